"""Reading a filled-in follow-up workbook (openpyxl) back into plain records, checking
everything that can be checked without the register: that it is an .xlsx at all (not
.xls, .ods, password-protected or damaged), that it is one of ours, that no locked cell,
row or hidden value was changed (``domain.workbook`` checksums), and that every answer is
one the drop-downs allow, a netto a whole number (whether it lies on the scale of the
plan's matrix is checked against the register, in ``workbook_import``). Each problem is
one Swedish sentence naming the file, the sheet and the row.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from riskreg.domain.errors import InvalidInput
from riskreg.domain.periods import PeriodKind
from riskreg.domain.scales import (
    ControlResult,
    MeasureStatus,
    Severity,
    parse_enum,
)
from riskreg.domain.workbook import (
    DATA_SHEET,
    FIRST_ROW,
    FORMAT,
    FORMAT_VERSION,
    HEADER_ROW,
    HIDDEN_ROWS_AT,
    HIDDEN_SHEET,
    INPUT_COLUMNS,
    LOCKED_COLUMNS,
    STATUS_COLUMN,
    WorkbookInfo,
    WorkbookRow,
    checksum,
    from_entry,
)
from riskreg.services.files import reason

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and an encrypted (password) .xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_FIELDS = 11  # WorkbookInfo.fields() rows on the hidden sheet


class WorkbookProblem(InvalidInput):
    """A workbook that cannot be read in; the message names file, sheet and row."""


@dataclass(frozen=True)
class FilledRow:
    """One åtgärd row as the owner returned it; None means an empty cell (no answer)."""

    sheet_row: int
    row: WorkbookRow
    status: MeasureStatus | None
    result: ControlResult | None
    comment: str | None
    deviation: str | None
    severity: Severity | None
    likelihood: int | None
    consequence: int | None

    @property
    def answers_measure(self) -> bool:
        return any(
            v is not None
            for v in (self.status, self.result, self.comment, self.deviation, self.severity)
        )

    @property
    def answers_netto(self) -> bool:
        return self.likelihood is not None


@dataclass(frozen=True)
class FilledWorkbook:
    name: str  # the file name, as messages say it
    info: WorkbookInfo
    rows: tuple[FilledRow, ...]

    def where(self, row: int | None = None) -> str:
        return place(self.name, row)


def place(name: str, row: int | None = None) -> str:
    """How a message names where in a workbook something is."""
    return f"{name}, bladet {DATA_SHEET}" + (f", rad {row}" if row else "")


def read_filled(path: Path) -> tuple[FilledWorkbook | None, list[str]]:
    """The workbook and the problems found in it (the workbook is None when it could not
    be read at all)."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [f"{path}: filen finns inte."]
    except OSError as exc:
        return None, [f"{name}: kan inte läsas ({reason(exc)})."]
    try:
        book = _open(name, data)
    except WorkbookProblem as exc:
        return None, [str(exc)]
    try:
        info, stored, hidden = _identity(name, book)
        if DATA_SHEET not in book.sheetnames:
            raise WorkbookProblem(f"{name}: bladet {DATA_SHEET} saknas.")
        cells = [tuple(r) for r in book[DATA_SHEET].iter_rows(values_only=True)]
    except WorkbookProblem as exc:
        return None, [str(exc)]
    finally:
        book.close()
    reader = _Reader(name, info, cells)
    rows = reader.rows(hidden)
    if reader.broken:  # the rows are not those sent out: nothing in the file is trusted
        return None, reader.broken + reader.problems
    if checksum(info.fields(), reader.head(), rows) != stored:
        return None, [
            f"{place(name)}: rubrikerna eller arbetsbokens dolda uppgifter har ändrats; "
            "skapa en ny arbetsbok med riskreg workbooks create."
        ]
    return FilledWorkbook(name, info, tuple(reader.filled)), reader.problems


def _open(name: str, data: bytes) -> Any:
    import openpyxl

    if data.startswith(_OLE2):
        if _ENCRYPTED in data:
            raise WorkbookProblem(
                f"{name}: arbetsboken är lösenordsskyddad; spara den utan lösenord och läs in "
                "den igen."
            )
        raise WorkbookProblem(
            f"{name}: filen är sparad som .xls (Excel 97–2003); spara den som "
            "Excel-arbetsbok (.xlsx) och läs in den igen."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "mimetype" in archive.namelist() and b"opendocument" in archive.read("mimetype"):
                raise WorkbookProblem(
                    f"{name}: filen är sparad som OpenDocument (.ods); spara den som "
                    "Excel-arbetsbok (.xlsx) och läs in den igen."
                )
    except zipfile.BadZipFile as exc:
        raise WorkbookProblem(
            f"{name}: filen är ingen Excel-arbetsbok (.xlsx) eller är skadad."
        ) from exc
    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookProblem(f"{name}: arbetsboken är skadad och kan inte läsas.") from exc


def _identity(name: str, book: Any) -> tuple[WorkbookInfo, str, list[tuple[Any, ...]]]:
    """The workbook's identity, its stored checksum and the hidden row table."""
    not_ours = WorkbookProblem(
        f"{name}: arbetsboken kommer inte från riskreg workbooks create (riskregs dolda "
        "blad saknas eller är ändrat)."
    )
    if HIDDEN_SHEET not in book.sheetnames:
        raise not_ours
    table = [tuple(r) for r in book[HIDDEN_SHEET].iter_rows(values_only=True)]
    fields = {_text(r[0]): _text(r[1]) for r in table[: _FIELDS + 1] if len(r) >= 2 and r[0]}
    if fields.get("format") != FORMAT:
        raise not_ours
    if fields.get("formatversion") != FORMAT_VERSION:
        raise WorkbookProblem(
            f"{name}: arbetsboken är gjord av en annan version av riskreg "
            f"(format {fields.get('formatversion')}); skapa en ny."
        )
    kind = next((k for k in PeriodKind if k.value in fields), PeriodKind.QUARTER)
    try:
        info = WorkbookInfo(
            workbook_id=fields["arbetsbok"],
            committee=fields["nämnd"],
            plan_ids=tuple(int(p) for p in fields["planer"].split(",")),
            year=int(fields["år"]),
            number=int(fields[kind.value]),
            role=fields["roll"] or None,
            deadline=date.fromisoformat(fields["svara senast"]) if fields["svara senast"] else None,
            created_at=datetime.fromisoformat(fields["skapad"]),
            created_by=fields["skapad av"],
            period_kind=kind,
        )
        stored = fields["kontrollsumma"]
    except (KeyError, ValueError) as exc:
        raise not_ours from exc
    return info, stored, table[HIDDEN_ROWS_AT - 1 :]


class _Reader:
    """Reads the rows of the data sheet against the hidden row table, collecting
    problems instead of stopping at the first, so the owner can fix them all at once."""

    def __init__(self, name: str, info: WorkbookInfo, cells: list[tuple[Any, ...]]) -> None:
        self.name = name
        self.info = info
        self.cells = cells
        self.broken: list[str] = []  # rows missing, added, doubled or with locked edits
        self.problems: list[str] = []  # answers outside the drop-downs and scales
        self.filled: list[FilledRow] = []

    def at(self, row: int | None = None) -> str:
        return place(self.name, row)

    def cell(self, row: int, col: int) -> Any:
        """1-based row, 0-based column; None beyond what was stored."""
        if row - 1 >= len(self.cells):
            return None
        values = self.cells[row - 1]
        return values[col] if col < len(values) else None

    def head(self) -> tuple[str, ...]:
        top = tuple(_text(self.cell(r, 0)) for r in (1, 2, HEADER_ROW - 1))
        width = len(LOCKED_COLUMNS) + len(INPUT_COLUMNS)
        return top + tuple(_text(self.cell(HEADER_ROW, c)) for c in range(width))

    def rows(self, hidden: list[tuple[Any, ...]]) -> tuple[WorkbookRow, ...]:
        places: dict[str, list[int]] = {}
        for number in range(FIRST_ROW, len(self.cells) + 1):
            key = _text(self.cell(number, 0))
            if key or any(self.cell(number, c) is not None for c in range(1, STATUS_COLUMN)):
                places.setdefault(key, []).append(number)
        expected: list[WorkbookRow] = []
        known: set[str] = set()
        for entry in hidden:
            if not entry or not _text(entry[0]):
                continue
            key = _text(entry[0])
            known.add(key)
            found = places.get(key, [])
            if not found:
                self.broken.append(
                    f"{self.at()}: raden för åtgärd {key} saknas (borttagen eller ändrad)."
                )
                continue
            if len(found) > 1:
                self.broken.append(
                    f"{self.at(found[1])}: åtgärd {key} finns på flera rader "
                    f"({', '.join(map(str, found))}); ta bort kopian."
                )
                continue
            row = self._row(entry, found[0])
            if row is not None:
                expected.append(row)
        for key, found in places.items():
            if key not in known:
                self.broken.append(
                    f"{self.at(found[0])}: raden ”{key}” hör inte till arbetsboken; "
                    "lägg inte till rader."
                )
        return tuple(expected)

    def _row(self, hidden: tuple[Any, ...], number: int) -> WorkbookRow | None:
        texts = tuple(_text(self.cell(number, c)) for c in range(len(LOCKED_COLUMNS)))
        try:
            row, stored = from_entry(_text(hidden[1] if len(hidden) > 1 else None), texts)
        except ValueError:
            self.broken.append(f"{self.at()}: riskregs dolda uppgifter har ändrats.")
            return None
        if row.digest != stored:
            self.broken.append(
                f"{self.at(number)}: låsta celler för åtgärd {row.key} har ändrats; "
                "ändra bara de gula kolumnerna."
            )
            return None
        self._answers(row, number)
        return row

    def _answers(self, row: WorkbookRow, number: int) -> None:
        def value(offset: int) -> Any:
            return self.cell(number, STATUS_COLUMN + offset)

        where = self.at(number)
        problems = len(self.problems)
        status = self._choice(MeasureStatus, value(0), "Status", "status", where)
        result = self._choice(
            ControlResult, value(1), "Kontrollresultat", "kontrollresultat", where
        )
        severity = self._choice(Severity, value(4), "Allvarlighet", "allvarlighetsgrad", where)
        likelihood = self._scale(value(5), "Netto S", where)
        consequence = self._scale(value(6), "Netto K", where)
        if result is not None and not row.recurring:
            self.problems.append(
                f"{where}: Kontrollresultat gäller bara återkommande kontroller, inte "
                f"åtgärd {row.key}."
            )
        if (likelihood, consequence) != (None, None) and not row.asks_netto:
            self.problems.append(
                f"{where}: nettorisken föreslås på riskens första rad, inte för åtgärd {row.key}."
            )
        if (likelihood is None) != (consequence is None):
            self.problems.append(f"{where}: ange både Netto S och Netto K, eller ingen av dem.")
        if len(self.problems) > problems:
            return
        self.filled.append(
            FilledRow(
                sheet_row=number,
                row=row,
                status=status,
                result=result,
                comment=_answer(value(2)),
                deviation=_answer(value(3)),
                severity=severity,
                likelihood=likelihood,
                consequence=consequence,
            )
        )

    def _choice(self, enum: Any, raw: Any, column: str, what: str, where: str) -> Any:
        text = _answer(raw)
        if text is None:
            return None
        try:
            return parse_enum(enum, text, what)
        except InvalidInput as exc:
            self.problems.append(f"{where}, kolumnen {column}: {exc}")
            return None

    def _scale(self, raw: Any, column: str, where: str) -> int | None:
        text = _answer(raw)
        if text is None:
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            number = float("nan")
        if not number.is_integer():
            self.problems.append(f"{where}, kolumnen {column}: ska vara ett heltal, inte ”{text}”.")
            return None
        return int(number)  # on the plan's scale? Its matrix decides (workbook_import)


def _text(value: Any) -> str:
    """A locked or hidden cell as text (None is empty)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _answer(value: Any) -> str | None:
    """An input cell as text; empty or blank is no answer. A number or date typed into a
    text cell is kept as the owner typed it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return text.strip() or None
