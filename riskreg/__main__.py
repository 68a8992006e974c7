"""``python -m riskreg``."""

from riskreg.cli.main import main

main()
