"""Opening an Excel workbook (.xlsx) a user hands riskreg, and reading a worksheet's rows.

One place for what can be wrong with the file itself, each said in one Swedish sentence
naming the file: the old binary .xls format, an OpenDocument .ods, a password-protected
workbook (Excel stores those encrypted inside an OLE container, not as a zip), a file that
is not a workbook or is damaged. The worksheet's cells are handed on as plain values; a
cell that holds a formula is handed on as ``sheettable.Formula`` so that the reader can
refuse it with its row instead of importing a cached result.

openpyxl is imported inside the functions: it costs import time that ``riskreg risks``
should not pay.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from riskreg.domain.errors import ImportFileError
from riskreg.domain.sheettable import Cell, Formula, SheetRow

WORKBOOK_SUFFIX = ".xlsx"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls and of encrypted .xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_OTHER_FORMATS = {
    ".xls": "i det gamla Excel-formatet (.xls)",
    ".xlsb": "en binär Excel-arbetsbok (.xlsb)",
    ".ods": "ett OpenDocument-kalkylblad (.ods)",
    ".numbers": "ett Numbers-dokument",
}
_SAVE_AS = "spara den som Excel-arbetsbok (.xlsx) och försök igen"


def is_workbook_name(path: Path) -> bool:
    """Whether the user named a spreadsheet (one riskreg reads, or one it explains)."""
    suffix = path.suffix.lower()
    return suffix == WORKBOOK_SUFFIX or suffix in _OTHER_FORMATS


def open_workbook(path: Path, data: bytes) -> Any:
    """The workbook in ``data`` (read from ``path``), read-only, formulas kept as
    formulas. Raises ``ImportFileError`` naming the file for anything but an .xlsx."""
    other = _OTHER_FORMATS.get(path.suffix.lower())
    if other is not None:
        raise ImportFileError(f"Filen {path.name} är {other}: {_SAVE_AS}.")
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise ImportFileError(
                f"Filen {path.name} är lösenordsskyddad: ta bort lösenordet i Excel "
                "(Arkiv > Info > Skydda arbetsbok) och försök igen."
            )
        raise ImportFileError(
            f"Filen {path.name} är i det gamla Excel-formatet (.xls): {_SAVE_AS}."
        )
    if not data.startswith(b"PK"):
        raise ImportFileError(f"Filen {path.name} är ingen Excel-arbetsbok (.xlsx).")

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise damaged(path, exc) from None


def damaged(path: Path, exc: Exception) -> ImportFileError:
    return ImportFileError(
        f"Filen {path.name} är skadad eller ingen Excel-arbetsbok (.xlsx) och kan inte "
        f"läsas ({type(exc).__name__})."
    )


def worksheet(book: Any, path: Path, name: str | None) -> Any:
    """The first worksheet, or the one named (case-insensitive, spaces trimmed)."""
    names: list[str] = list(book.sheetnames)
    if name is None:
        return book[names[0]]
    wanted = name.strip().casefold()
    for found in names:
        if found.strip().casefold() == wanted:
            return book[found]
    listed = ", ".join(f"”{n}”" for n in names)
    raise ImportFileError(f"Bladet ”{name}” finns inte i {path.name}; bladen är {listed}.")


def rows(sheet: Any) -> Iterator[SheetRow]:
    """The worksheet's rows as plain values, numbered as the spreadsheet numbers them."""
    from openpyxl.utils.escape import unescape

    # The stored dimension may be wrong (some programs write none or a stale one), and
    # read-only mode trusts it: read what the sheet holds instead.
    sheet.reset_dimensions()
    number = 0
    for cells in sheet.iter_rows():
        # Empty cells carry no row number; a row of them is the one after the last.
        number = next((c.row for c in cells if getattr(c, "row", None)), number + 1)
        yield SheetRow(number, tuple(_value(c, unescape) for c in cells))


def _value(cell: Any, unescape: Any) -> Cell:
    value = cell.value
    if cell.data_type == "f":  # also array formulas, whose value is an object
        return Formula(str(getattr(value, "text", value)))
    if isinstance(value, str):
        # Characters XML cannot hold are stored as "_x001B_" (ECMA-376 ST_Xstring); Excel
        # shows the character, and so does the import's check for control characters.
        return str(unescape(value))
    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
