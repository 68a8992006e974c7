"""What every command shares: the database the user chose, opened once and lazily."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from riskreg.services.context import Context


@dataclass
class CliState:
    db_url: str | None
    _context: Context | None = field(default=None, repr=False)

    def context(self) -> Context:
        """The register, opened on first use (missing or outdated databases refuse here)."""
        if self._context is None:
            from riskreg.services.database import open_register

            self._context = open_register(self.db_url)
        return self._context

    def close(self) -> None:
        if self._context is not None:
            self._context.engine.dispose()
            self._context = None


pass_state = click.make_pass_decorator(CliState)


def info(message: str) -> None:
    """A message for the user (stderr), keeping stdout for data."""
    click.echo(message, err=True)
