"""An åtgärd owner filling in a follow-up workbook, as tests (and bench/) need one: opens
the file with openpyxl, writes answers by Id and column heading, saves it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl

from riskreg.domain.workbook import DATA_SHEET, FIRST_ROW, HEADER_ROW

Answers = Mapping[str, Mapping[str, Any]]  # {"EK-02/1": {"Status": "genomförd", ...}}


def fill(path: Path, answers: Answers) -> dict[str, int]:
    """Write the answers; returns each answered Id's row number on the sheet."""
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    columns = {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}
    rows = row_numbers(sheet)
    for key, values in answers.items():
        for heading, value in values.items():
            sheet.cell(rows[key], column(columns, heading)).value = value
    book.save(path)
    return {key: rows[key] for key in answers}


def column(columns: Mapping[str, int], heading: str) -> int:
    """A column by its heading; "Netto S" also finds "Netto S (1–5)", the heading with
    the scale of the plans' matrix."""
    if heading in columns:
        return columns[heading]
    return next(n for name, n in columns.items() if name.startswith(f"{heading} ("))


def row_numbers(sheet: Any) -> dict[str, int]:
    return {
        sheet.cell(r, 1).value: r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(r, 1).value
    }


def keys(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        found = [
            row[0]
            for row in book[DATA_SHEET].iter_rows(min_row=FIRST_ROW, values_only=True)
            if row and row[0]
        ]
    finally:
        book.close()
    return found


def answer_all(folder: Path, status: str = "pågående", netto: tuple[int, int] = (2, 2)) -> int:
    """Every owner answers every row: ``status``, and ``netto`` where a netto is asked
    (the unlocked Netto cells). Returns the number of rows answered."""
    answered = 0
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        sheet = book[DATA_SHEET]
        columns = {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}
        for row in row_numbers(sheet).values():
            sheet.cell(row, columns["Status"]).value = status
            s_cell = sheet.cell(row, column(columns, "Netto S"))
            if not s_cell.protection.locked:
                s_cell.value = netto[0]
                sheet.cell(row, column(columns, "Netto K")).value = netto[1]
            answered += 1
        book.save(path)
    return answered


if __name__ == "__main__":  # python -m tests.workbook_owner MAPP: the owners, in a script
    import sys

    print(f"{answer_all(Path(sys.argv[1]))} rader besvarade.", file=sys.stderr)
