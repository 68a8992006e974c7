"""The errors riskreg raises for the user: each carries one Swedish sentence.

Entry points turn them into an exit code (CLI) or a notification (TUI); nothing below
them prints.
"""

from __future__ import annotations


class RiskregError(Exception):
    """Base: ``str(error)`` is the Swedish sentence shown to the user."""

    exit_code = 1


class InvalidInput(RiskregError):
    """A value the user gave is wrong (out of range, unknown choice, bad format)."""


class NotFound(RiskregError):
    """A reference, plan year, nämnd or role that does not exist."""


class ImportFileError(InvalidInput):
    """An import file that cannot be read; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        self.detail = message  # without the line, for a caller that says where itself
        super().__init__(f"Rad {line}: {message}" if line is not None else message)


class ConflictError(RiskregError):
    """Someone else changed the row after it was loaded: reload before saving."""


class DatabaseProblem(RiskregError):
    """The database is missing, locked, unreachable or at the wrong schema version."""

    exit_code = 3


class ChainBroken(RiskregError):
    """The audit log's hash chain does not verify: an entry was altered, removed or
    inserted behind the program's back."""

    exit_code = 4
