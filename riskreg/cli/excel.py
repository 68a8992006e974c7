"""``riskreg export register``: a plan year's register as an Excel workbook or as CSV in
the flavour Swedish Excel opens directly.

The workbook is laid out by ``riskreg.report.register_xlsx``; the CSV carries the same
columns (``RegisterSheet.columns``) separated by ``;``, in UTF-8 with a BOM and
CRLF line ends, and a cell a spreadsheet would run as a formula gets a leading
apostrophe (``output.spreadsheet_safe``, the rule ``riskreg risks --format csv`` uses).
Files are checked and written by the rules every file riskreg writes follows
(``report.output``: a regular file or a new name, atomic replacement).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import click

from riskreg.cli.common import CliState, committee_option, info, pass_state, year_option

if TYPE_CHECKING:
    from riskreg.domain.register_sheet import RegisterSheet

FORMATS = ("xlsx", "csv")


@click.group("export")
def export_group() -> None:
    """Exportera registret till Excel."""


@export_group.command("register")
@year_option()
@committee_option("Nämnd (namn eller kortnamn).")
@click.option(
    "-o",
    "--output",
    metavar="FIL",
    help="Fil att skriva (.xlsx, eller .csv med --format csv), en mapp, eller - för "
    "standard ut. Standard: register-<nämnd>-<år>.xlsx.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="xlsx",
    show_default=True,
    help="xlsx: arbetsbok med register, riskmatris och kolumnförklaringar; csv: "
    "semikolonseparerad text som svenska Excel öppnar direkt.",
)
@pass_state
def export_register(
    state: CliState, year: int, committee: str | None, output: str | None, output_format: str
) -> None:
    """Skriv planårets register, en rad per åtgärd under sin risk, som Excel-arbetsbok
    (eller CSV): brutto och netto med nivå, status per kvartal, avvikelser, ansvariga och
    acceptans."""
    from riskreg.cli.report_files import deliver, prepare_output
    from riskreg.report.output import REGISTER_KIND, default_file_name
    from riskreg.services.exporting import register_sheet

    target = prepare_output(output, output_format)  # a wrong path fails before the work
    sheet = register_sheet(state.context(), year, committee)
    name = default_file_name(sheet.committee, sheet.year, fmt=output_format, kind=REGISTER_KIND)
    deliver(target, name, render(sheet, output_format))
    info(
        f"Klart: {sheet.committee} {sheet.year}, {len(sheet.lines)} rader "
        f"({len({line.ref for line in sheet.lines})} risker)."
    )


def render(sheet: RegisterSheet, output_format: str) -> bytes:
    if output_format == "csv":
        return excel_csv(sheet)
    from riskreg.report.register_xlsx import render_register

    return render_register(sheet)


def excel_csv(sheet: RegisterSheet) -> bytes:
    """The sheet as CSV for Swedish Excel: ``;``, UTF-8 with BOM, CRLF, formula guard."""
    from riskreg.cli.output import spreadsheet_safe

    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in sheet.columns])
    for line in sheet.lines:
        writer.writerow([spreadsheet_safe(column.text(line)) for column in sheet.columns])
    return text.getvalue().encode("utf-8-sig")
