"""Where a report from ``riskreg report …`` or ``riskreg export`` goes: ``--format``,
``-o`` checked before the slow part (suffix, folder, file), then standard out or an
atomic write. Shared by every report and export command. Cheap to import: the report
modules are imported inside the functions."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from riskreg.cli.common import show
from riskreg.domain.errors import InvalidInput

STDOUT = "-"  # -o -: the report on standard output
FORMATS = ("pdf", "html")


def report_options(default_name: str) -> Callable[[Any], Any]:
    """The options every report command shares: --year, --nämnd, --format, -o."""

    def decorate(func: Any) -> Any:
        for option in reversed(
            [
                click.option(
                    "--year", "--år", "year", type=int, help="Planår (standard: aktuell plan)."
                ),
                click.option(
                    "--nämnd", "--namnd", "committee", help="Nämnd (namn eller kortnamn)."
                ),
                click.option(
                    "--format",
                    "fmt",
                    type=click.Choice(FORMATS),
                    default="pdf",
                    show_default=True,
                    help="pdf för diariet, html (tillgänglig, fristående fil) för publicering.",
                ),
                click.option(
                    "-o",
                    "--output",
                    metavar="FIL",
                    help="Fil att skriva, en mapp, eller - för standard ut. "
                    f"Standard: {default_name}.pdf (.html).",
                ),
            ]
        ):
            func = option(func)
        return func

    return decorate


@dataclass(frozen=True)
class Output:
    """Where a report goes: standard out, or ``typed`` (a file, a folder, or nothing for
    the default name in the working folder)."""

    to_stdout: bool
    typed: str | None
    suffix: str


def prepare_output(output: str | None, fmt: str) -> Output:
    """Check what ``-o`` names before the slow part: the suffix, the folder, the file."""
    from riskreg.report.output import SUFFIXES, check_export

    suffix = SUFFIXES[fmt]
    if output == STDOUT:
        check_binary_stdout(fmt)
        return Output(True, None, suffix)
    check_export(output, Path.cwd(), suffix)  # a wrong path fails before the slow part
    return Output(False, output, suffix)


def deliver(target: Output, default_name: str, data: bytes) -> None:
    """Write the finished report to standard out or, atomically, to its file."""
    from riskreg.report.output import export_target, write_atomically

    if target.to_stdout:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = export_target(target.typed, Path.cwd(), default_name, target.suffix)
    write_atomically(path, data)
    show(str(path))


TO_TERMINAL = {"pdf": "PDF:en", "html": "HTML-filen", "xlsx": "Arbetsboken"}  # csv is text


def check_binary_stdout(fmt: str = "pdf") -> None:
    """A file format that is no text for a person is not written to the terminal."""
    what = TO_TERMINAL.get(fmt)
    if what is not None and sys.stdout.isatty():
        raise InvalidInput(
            f"{what} skrivs inte till terminalen: led om den till en fil "
            f"(-o - > fil.{fmt}) eller ange -o FIL."
        )
