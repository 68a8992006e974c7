"""A follow-up workbook (``domain.workbook.FollowUpWorkbook``) as an .xlsx file.

Three sheets: the instructions (first, so the owner reads them first), the åtgärder with
locked context columns and unlocked input columns with drop-downs and whole-number
validation, and a very hidden sheet with the ids, row versions and checksums that
``services.workbook_file`` reads back. Sheet protection has no password: it keeps an owner
from editing the context by mistake, while the checksums, not a password anyone can
remove, are what detect an edit (see ``domain.workbook``). Every text is written with
``write_string`` and formula and URL conversion is off, so a text that begins with
``=``, ``+``, ``-`` or ``@`` stays text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from riskreg.domain.matrix import RiskMatrix, span
from riskreg.domain.workbook import (
    DATA_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    HIDDEN_HEADINGS,
    HIDDEN_ROWS_AT,
    HIDDEN_SHEET,
    INFO_SHEET,
    INPUT_COLUMNS,
    LOCKED_COLUMNS,
    NETTO_COLUMNS,
    RESULTS,
    SEVERITIES,
    STATUS_COLUMN,
    STATUSES,
    FollowUpWorkbook,
    entry,
)

_WIDTHS = (9, 14, 32, 32, 13, 16, 11, 12, 24, 11, 14, 16, 30, 24, 11, 8, 8)
_LINE_HEIGHT = 13.5  # points per wrapped line at 10 pt
_PROTECTION = {"format_columns": True, "format_rows": True, "autofilter": True}
_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def render_followup(workbook: FollowUpWorkbook) -> bytes:
    buffer = io.BytesIO()
    book = Workbook(buffer, _OPTIONS)
    info = workbook.info
    book.set_properties(
        {
            "title": info.title,
            "subject": f"Uppföljning av internkontrollplanen {info.year}",
            "author": info.created_by,
            "company": info.committee,
            "comments": "Skapad av riskreg. Fyll i de gula kolumnerna på bladet Åtgärder.",
        }
    )
    styles = _styles(book)
    _instructions(book.add_worksheet(INFO_SHEET), workbook, styles)
    _rows(book.add_worksheet(DATA_SHEET), workbook, styles)
    _hidden(book.add_worksheet(HIDDEN_SHEET), workbook)
    book.close()
    return buffer.getvalue()


def _styles(book: Workbook) -> dict[str, Format]:
    wrap = {"text_wrap": True, "valign": "top", "font_name": "Calibri", "font_size": 10}
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "plain": book.add_format({"font_size": 10}),
        "bold": book.add_format({"bold": True, "font_size": 10}),
        "wrap": book.add_format({**wrap}),
        "heading": book.add_format({**wrap, "bold": True, "bg_color": "#D9D9D9", "border": 1}),
        "input_heading": book.add_format(
            {**wrap, "bold": True, "bg_color": "#FFE699", "border": 1}
        ),
        "locked": book.add_format({**wrap, "bg_color": "#F2F2F2", "border": 1}),
        "input": book.add_format(
            {**wrap, "bg_color": "#FFF2CC", "border": 1, "locked": False, "num_format": "@"}
        ),
        "number": book.add_format(
            {**wrap, "bg_color": "#FFF2CC", "border": 1, "locked": False, "num_format": "0"}
        ),
        "closed": book.add_format({**wrap, "bg_color": "#BFBFBF", "border": 1}),
    }


def _instructions(sheet: Worksheet, workbook: FollowUpWorkbook, styles: dict[str, Format]) -> None:
    info = workbook.info
    lines = [
        (info.title, "title"),
        (info.subtitle, "bold"),
        ("", "plain"),
        (
            f"Den här arbetsboken gäller internkontrollplanen {info.year} för "
            f"{info.committee}, {info.period_kind.named(info.number)}, och de "
            f"{len(workbook.rows)} åtgärder som {info.role_label} ansvarar för.",
            "wrap",
        ),
        ("Så här fyller du i:", "bold"),
        ("1. Gå till bladet Åtgärder. Varje rad är en åtgärd under sin risk.", "wrap"),
        (
            "2. Välj Status i listan: " + ", ".join(STATUSES) + ". Lämna tomt om du inte "
            "har något att rapportera för åtgärden.",
            "wrap",
        ),
        (
            "3. Kontrollresultat gäller bara återkommande kontroller: " + ", ".join(RESULTS) + ".",
            "wrap",
        ),
        ("4. Skriv gärna en kommentar om hur åtgärden gått.", "wrap"),
        (
            "5. Har en avvikelse upptäckts: beskriv den under Avvikelse och välj Allvarlighet ("
            + ", ".join(SEVERITIES)
            + "). Båda behövs.",
            "wrap",
        ),
        (_netto_instruction(workbook), "wrap"),
        (
            "7. Spara filen som Excel-arbetsbok (.xlsx) med samma namn och skicka tillbaka den. "
            "Spara inte som .xls eller .ods och sätt inget lösenord.",
            "wrap",
        ),
        ("", "plain"),
        (
            "De grå kolumnerna är låsta. Flytta, ta bort eller kopiera inga rader och ändra "
            "inga blad: controllern läser in arbetsboken i riskreg, som kontrollerar att "
            "innehållet är det som skickades ut. Det som ändrats i riskreg sedan arbetsboken "
            "skapades skrivs aldrig över; controllern får se båda svaren.",
            "wrap",
        ),
    ]
    width = 90
    sheet.set_column(0, 0, width)
    for row, (text, style) in enumerate(lines):
        sheet.write_string(row, 0, text, styles[style])
        if style == "wrap":
            sheet.set_row(row, _height([text], [width]))
    sheet.protect("", _PROTECTION)
    sheet.activate()


def _rows(sheet: Worksheet, workbook: FollowUpWorkbook, styles: dict[str, Format]) -> None:
    info = workbook.info
    head, hint = HEADER_ROW - 1, HEADER_ROW - 2  # 0-based
    sheet.write_string(0, 0, info.title, styles["title"])
    sheet.write_string(1, 0, info.subtitle, styles["bold"])
    sheet.write_string(hint, 0, workbook.head()[2], styles["plain"])
    for col, name in enumerate(LOCKED_COLUMNS):
        sheet.write_string(head, col, name, styles["heading"])
    for col, name in enumerate(workbook.input_headings(), start=STATUS_COLUMN):
        sheet.write_string(head, col, name, styles["input_heading"])
    for col, width in enumerate(_WIDTHS):
        sheet.set_column(col, col, width)
    first = FIRST_ROW - 1
    for offset, row in enumerate(workbook.rows):
        at = first + offset
        for col, text in enumerate(row.texts):
            sheet.write_string(at, col, text, styles["locked"])
        sheet.set_row(at, _height(row.texts, _WIDTHS))
        for col in range(STATUS_COLUMN, STATUS_COLUMN + len(INPUT_COLUMNS)):
            style = _input_style(col - STATUS_COLUMN, row.recurring, row.asks_netto)
            sheet.write_blank(at, col, None, styles[style])
    last = first + max(len(workbook.rows), 1) - 1
    _validations(sheet, first, last)
    _netto_validations(sheet, workbook, first)
    end = STATUS_COLUMN + len(INPUT_COLUMNS) - 1
    sheet.freeze_panes(first, 1)
    sheet.autofilter(head, 0, last, end)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(head)
    sheet.set_header(f"&L{_escaped(info.title)}&R{_escaped(info.subtitle)}")
    sheet.set_footer("&CSida &P av &N")
    sheet.protect("", _PROTECTION)


def _height(texts: Sequence[str], widths: Sequence[int]) -> float:
    """A row tall enough for its wrapped texts: spreadsheet programs do not all fit the
    height of a wrapped row themselves (LibreOffice keeps the stored height)."""
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        per_line = max(width - 1, 1)
        needed = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        lines = max(lines, needed)
    return _LINE_HEIGHT * min(lines, 30)


def _input_style(index: int, recurring: bool, asks_netto: bool) -> str:
    """Which input cells an owner may fill on a row: a kontrollresultat only for a
    recurring control, a netto only on its risk's first row."""
    if index == 1 and not recurring:
        return "closed"
    if index >= 5:
        return "number" if asks_netto else "closed"
    return "input"


def _validations(sheet: Worksheet, first: int, last: int) -> None:
    col = STATUS_COLUMN
    choices: list[tuple[int, tuple[str, ...], str]] = [
        (col, STATUSES, "Status"),
        (col + 1, RESULTS, "Kontrollresultat"),
        (col + 4, SEVERITIES, "Allvarlighet"),
    ]
    for at, allowed, name in choices:
        sheet.data_validation(
            first,
            at,
            last,
            at,
            {
                "validate": "list",
                "source": list(allowed),
                "error_title": f"Ogiltig {name.lower()}",
                "error_message": f"Välj en av: {', '.join(allowed)}.",
            },
        )


def _netto_instruction(workbook: FollowUpWorkbook) -> str:
    start = "6. Du kan föreslå nettorisk för risken på dess första rad: Netto S (sannolikhet) "
    shared = workbook.shared_matrix()
    if shared is not None:
        s, k = span(shared.likelihood_scale), span(shared.consequence_scale)
        scales = f"heltal {s}" if s == k else f"heltal {s} respektive {k}"
        return (
            f"{start}och Netto K (konsekvens), {scales} enligt planens riskmatris "
            f"{shared.label}. Båda behövs."
        )
    labels = ", ".join(sorted({m.label for m in workbook.matrices.values()}))
    return (
        f"{start}och Netto K (konsekvens), heltal enligt nämndens riskmatris ({labels}); "
        "cellen visar vilka värden som gäller för raden. Båda behövs."
    )


def _netto_validations(sheet: Worksheet, workbook: FollowUpWorkbook, first: int) -> None:
    """Whole numbers on the scales of each row's plan matrix: one rule per run of rows
    whose plans share a matrix (a workbook over several nämnder may mix sizes)."""
    runs: list[tuple[int, int, RiskMatrix]] = []  # first row, last row, matrix
    for at, row in enumerate(workbook.rows, start=first):
        matrix = workbook.matrix(row)
        if runs and runs[-1][2] == matrix and runs[-1][1] == at - 1:
            runs[-1] = (runs[-1][0], at, matrix)
        else:
            runs.append((at, at, matrix))
    col = STATUS_COLUMN + len(INPUT_COLUMNS) - NETTO_COLUMNS
    names = INPUT_COLUMNS[-NETTO_COLUMNS:]
    for top, bottom, matrix in runs:
        scales = (matrix.likelihood_scale, matrix.consequence_scale)
        for at, name, scale in zip((col, col + 1), names, scales, strict=True):
            allowed = f"Ett heltal {span(scale)} (planens riskmatris är {matrix.label})."
            rule: dict[str, Any] = {
                "validate": "integer",
                "criteria": "between",
                "minimum": scale[0],
                "maximum": scale[-1],
                "input_title": name,
                "input_message": allowed,
                "error_title": f"Ogiltigt {name}",
                "error_message": allowed,
            }
            sheet.data_validation(top, at, bottom, at, rule)


def _hidden(sheet: Worksheet, workbook: FollowUpWorkbook) -> None:
    fields = workbook.info.fields()
    for at, (name, value) in enumerate(fields):
        sheet.write_string(at, 0, name)
        sheet.write_string(at, 1, value)
    sheet.write_string(len(fields), 0, "kontrollsumma")
    sheet.write_string(len(fields), 1, workbook.checksum())
    for col, name in enumerate(HIDDEN_HEADINGS):
        sheet.write_string(HIDDEN_ROWS_AT - 2, col, name)
    for offset, row in enumerate(workbook.rows):
        sheet.write_string(HIDDEN_ROWS_AT - 1 + offset, 0, row.key)
        sheet.write_string(HIDDEN_ROWS_AT - 1 + offset, 1, entry(row))
    sheet.protect("", {})
    sheet.very_hidden()


def _escaped(text: str) -> str:
    """Header text: ``&`` starts a control code there."""
    return text.replace("&", "&&")[:120]
