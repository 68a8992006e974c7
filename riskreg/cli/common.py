"""What every command shares: the database the user chose, opened once and lazily, and
the way text reaches the terminal (``show`` for data, ``info`` for messages), with every
control character made visible (``riskreg.domain.visible``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from riskreg.domain.visible import visible

# ``--period`` as the plan's kind reads it (``domain.periods``).
PERIOD_HELP = (
    "Perioden i planens uppföljning: 1–4 eller ”kv 2” (kvartal), T1–T3 (tertial), H1–H2 (halvår)."
)
COMMITTEE_HELP = "Nämnd (behövs när registret har flera)."

F = TypeVar("F", bound=Callable[..., Any])


def year_option(help: str = "Planår.", *, required: bool = True) -> Callable[[F], F]:
    """``--year``/``--år``: the plan year a command works on."""
    return click.option("--year", "--år", "year", type=int, required=required, help=help)


def committee_option(help: str = COMMITTEE_HELP) -> Callable[[F], F]:
    """``--nämnd``/``--namnd``: a nämnd by name, kortnamn or alias."""
    return click.option("--nämnd", "--namnd", "committee", help=help)


def period_option() -> Callable[[F], F]:
    """``--period``: a period of the plan year, read against the plan's kind."""
    return click.option("--period", "period", required=True, help=PERIOD_HELP)


if TYPE_CHECKING:
    from riskreg.db.dbapi import Reader
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

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        """A read connection through the DB-API driver alone (no SQLAlchemy import): the
        fast path of ``riskreg risks``. A default database not yet created is created
        first, as ``context()`` does."""
        from riskreg.db.dbapi import connect
        from riskreg.db.target import resolve_target

        target = resolve_target(self.db_url)
        if target.sqlite_path is not None and not target.sqlite_path.exists():
            self.context()  # creates the default database, or says how to create it
        with connect(target) as reader:
            yield reader

    def close(self) -> None:
        if self._context is not None:
            self._context.engine.dispose()
            self._context = None


pass_state = click.make_pass_decorator(CliState)

# ``--format`` of every listing: a table for people, CSV and JSON with the same columns.
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(("table", "csv", "json")),
    default="table",
    show_default=True,
    help="Utdataformat.",
)


def show(text: str) -> None:
    """Text for a person on stdout (not JSON or CSV, which carry the stored text)."""
    click.echo(visible(text, keep_newlines=True))


def info(message: str) -> None:
    """A message for the user (stderr), keeping stdout for data. Messages quote what the
    user or the register said, so they are made visible too."""
    click.echo(visible(message, keep_newlines=True), err=True)


def iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A click callback for a date option, written ÅÅÅÅ-MM-DD."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter(
            f"”{value}” är inget datum: skriv ÅÅÅÅ-MM-DD, till exempel 2025-02-12."
        ) from exc
