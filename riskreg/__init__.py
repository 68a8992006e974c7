"""riskreg: the nämnd's internkontrollplan as a register."""

__version__ = "0.1.0"
