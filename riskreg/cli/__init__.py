"""The command line (click): the only place besides the TUI that prints."""
