"""The register of a plan year as an Excel workbook (XlsxWriter), from a ``RegisterSheet``.

Three sheets: "Register" (one row per åtgärd, the columns of
``RegisterSheet.columns``), "Riskmatris" (the plan's matrix with the netto risks
in their cells and the levels with their counts) and "Kolumner" (what each column means).

Text is never a formula or a link: the workbook is opened with XlsxWriter's
``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` off and every
text goes through ``write_string``, so "=SUMMA(…)" typed into a risk is shown as typed.
A level is never told by colour alone: the S×K cell is in the level's colour and the
level's name stands in the next column (and in the matrix's cells). Characters a
spreadsheet would not show (control characters, bidi overrides) are shown as symbols
(``domain.visible``). The bytes are the same for the same register and day.
"""

from __future__ import annotations

import io
from datetime import datetime, time
from typing import Any

import xlsxwriter

from riskreg import __version__
from riskreg.domain.register_sheet import RegisterSheet
from riskreg.domain.visible import visible

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
A4 = 9  # XlsxWriter's paper code
MATRIX_WIDTH = 22
EXPLANATION_WIDTH = 90
LINE_HEIGHT = 15  # points per line of 11-point text


def render_register(sheet: RegisterSheet) -> bytes:
    """The workbook's bytes."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, OPTIONS)
    made = datetime.combine(sheet.made_on, time(12, 0))
    book.set_properties(
        {
            "title": sheet.title,
            "subject": f"Internkontrollplanens register {sheet.year}, en rad per åtgärd",
            "author": sheet.committee,
            "company": sheet.committee,
            "category": "Intern styrning och kontroll",
            "keywords": f"internkontrollplan, {sheet.short_name}, {sheet.year}",
            "comments": f"Utdrag ur riskreg {__version__} {sheet.made_on.isoformat()}"
            + (" (exempeldata)" if sheet.example_data else ""),
            "created": made,
        }
    )
    styles = _Styles(book)
    _register(book, sheet, styles)
    _matrix(book, sheet, styles)
    _columns(book, sheet, styles)
    book.close()
    return out.getvalue()


class _Styles:
    def __init__(self, book: Any) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        self.note = book.add_format({"italic": True, "text_wrap": True, "valign": "top"})
        self._levels: dict[str, Any] = {}

    def level(self, colour: str) -> Any:
        """A cell in a level's colour, its text black or white, whichever reads better."""
        if colour not in self._levels:
            self._levels[colour] = self.book.add_format(
                {
                    "bg_color": colour,
                    "font_color": _readable_on(colour),
                    "bold": True,
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            )
        return self._levels[colour]


def _readable_on(colour: str) -> str:
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#FFFFFF"


def _shown(text: str) -> str:
    return visible(text, keep_newlines=True)


def _register(book: Any, sheet: RegisterSheet, styles: _Styles) -> None:
    ws = book.add_worksheet("Register")
    columns = sheet.columns
    for index, column in enumerate(columns):
        ws.set_column(index, index, column.width)
        ws.write_string(0, index, column.header, styles.header)
    ws.set_row(0, LINE_HEIGHT * max(_lines(c.header, c.width) for c in columns))
    for row, line in enumerate(sheet.lines, start=1):
        height = 1
        for index, column in enumerate(columns):
            scored = column.level(line) if column.level else None
            style = styles.level(scored.colour) if scored else styles.text
            text = _shown(column.text(line))
            ws.write_string(row, index, text, style)
            height = max(height, _lines(text, column.width))
        ws.set_row(row, LINE_HEIGHT * height)
    last = len(sheet.lines)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(last, 1), len(columns) - 1)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)  # as wide as one page, as many pages long as it takes
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    example = " – EXEMPELDATA" if sheet.example_data else ""
    ws.set_header(f"&L{_header_text(sheet.title)}{example}&R{sheet.made_on.isoformat()}")
    ws.set_footer("&CSida &P av &N")


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell needs. Neither XlsxWriter nor LibreOffice sizes rows to
    wrapped text, so the height is set from the text, a little generously."""
    usable = max(width - 1, 1)
    return sum(max(1, -(-len(part) // usable)) for part in text.split("\n"))


def _note(
    ws: Any, row: int, columns: tuple[int, int], text: str, width: int, styles: _Styles
) -> None:
    """A line of explanation across ``columns``, as tall as its wrapped text."""
    ws.merge_range(row, columns[0], row, columns[1], text, styles.note)
    ws.set_row(row, LINE_HEIGHT * _lines(text, width))


def _header_text(text: str) -> str:
    # "&" starts a control code in Excel's page header; "&&" is the character itself.
    return _shown(text).replace("&", "&&")


def _matrix(book: Any, sheet: RegisterSheet, styles: _Styles) -> None:
    ws = book.add_worksheet("Riskmatris")
    matrix = sheet.matrix
    rows, cols = matrix.size
    ws.set_column(0, 0, 24)
    ws.set_column(1, cols, MATRIX_WIDTH)
    ws.write_string(0, 0, f"Riskmatris {sheet.year} – nettorisk", styles.title)
    _note(
        ws,
        1,
        (0, cols),
        "Varje cell visar nivån i ord och referenserna till riskerna med den nettorisken "
        "vid senaste bedömningen under året. Färgen följer nivån.",
        24 + cols * MATRIX_WIDTH,
        styles,
    )
    top = 3
    ws.write_string(top, 0, "Sannolikhet \\ Konsekvens", styles.header)
    for k in range(1, cols + 1):
        label = f"{k} {matrix.consequence_labels[k - 1]}"
        ws.write_string(top + rows + 1, k, _shown(label), styles.header)
    for offset, s in enumerate(range(rows, 0, -1), start=1):
        ws.write_string(
            top + offset, 0, _shown(f"{s} {matrix.likelihood_labels[s - 1]}"), styles.header
        )
        height = 3
        for k in range(1, cols + 1):
            level = matrix.level(s, k)
            refs = sheet.netto_refs.get((s, k), ())
            text = _shown(level.name + (f"\n{', '.join(refs)}" if refs else ""))
            ws.write_string(top + offset, k, text, styles.level(level.colour))
            height = max(height, _lines(text, MATRIX_WIDTH) + 1)
        ws.set_row(top + offset, LINE_HEIGHT * height)
    ws.write_string(top + rows + 1, 0, "", styles.header)
    legend = top + rows + 3
    ws.write_string(legend, 0, "Nivå", styles.header)
    ws.write_string(legend, 1, "Antal risker (netto)", styles.header)
    counts = [0] * len(matrix.levels)
    for (s, k), refs in sheet.netto_refs.items():
        counts[matrix.level_index(s, k)] += len(refs)
    for index, level in enumerate(matrix.levels):
        ws.write_string(legend + 1 + index, 0, _shown(level.name), styles.level(level.colour))
        ws.write_number(legend + 1 + index, 1, counts[index], styles.text)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 1)


def _columns(book: Any, sheet: RegisterSheet, styles: _Styles) -> None:
    ws = book.add_worksheet("Kolumner")
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, EXPLANATION_WIDTH)
    ws.write_string(0, 0, "Kolumn", styles.header)
    ws.write_string(0, 1, "Förklaring", styles.header)
    for row, column in enumerate(sheet.columns, start=1):
        ws.write_string(row, 0, column.header, styles.text)
        ws.write_string(row, 1, column.explanation, styles.text)
        ws.set_row(row, LINE_HEIGHT * _lines(column.explanation, EXPLANATION_WIDTH))
    _note(
        ws,
        len(sheet.columns) + 2,
        (0, 1),
        "Nivåerna står alltid i ord bredvid färgen. Texter som börjar med =, +, - eller @ "
        "är text, aldrig formler.",
        16 + EXPLANATION_WIDTH,
        styles,
    )
    ws.freeze_panes(1, 0)
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
