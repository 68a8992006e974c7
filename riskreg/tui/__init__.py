"""The Textual terminal UI: the register, the quarterly review, the matrix and plan editing.

Nothing here is imported on the ``riskreg risks`` path; the CLI imports
``riskreg.tui.app`` inside the command that starts the UI.
"""
