"""Reading an internkontrollplan from a worksheet's rows (``riskreg import plan FILE.xlsx``).

This module owns the rows-to-records step for workbooks: finding the header row by its
column names (Verksamhet, Risk, Åtgärd; optional Ansvarig, Brutto S, Brutto K; any order,
case and surrounding spaces ignored), reading the rows under it with the spreadsheet's
habits (an empty Verksamhet or Risk cell, or the risk text repeated on the next row,
continues the risk above: one more åtgärd of it) and checking every cell before anything
is written. Each problem is an ``ImportFileError`` with the worksheet's own row number.

The same records and the same checks as the Word-table import (``domain.wordtable``):
the "Regionövergripande" prefix, the register's limits, a risk or åtgärd standing twice,
stray control characters stripped with a warning. Opening the file (openpyxl) is the
service's job; it hands over plain values, and a cell holding a formula as ``Formula``,
which is refused: a plan is text, and a formula's result is not what the file says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from riskreg.domain import limits
from riskreg.domain.errors import ImportFileError
from riskreg.domain.records import Assessment
from riskreg.domain.scales import SCALE_MAX, SCALE_MIN
from riskreg.domain.wordtable import (
    ParsedMeasure,
    ParsedRisk,
    PlanTable,
    check_parsed,
    clean_cell,
    split_region_wide,
    stripped_warning,
)

__all__ = ["COLUMNS", "Formula", "SheetRow", "parse_sheet"]


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula (its text, e.g. ``=A1+1``), not a value."""

    text: str


Cell = str | int | float | bool | Formula | None


@dataclass(frozen=True)
class SheetRow:
    """One worksheet row: its number as the spreadsheet shows it, and its cells' values."""

    number: int
    cells: tuple[Cell, ...]


AREA, RISK, MEASURE, RESPONSIBLE, BRUTTO_S, BRUTTO_K = (
    "Verksamhet",
    "Risk",
    "Åtgärd",
    "Ansvarig",
    "Brutto S",
    "Brutto K",
)
REQUIRED = (AREA, RISK, MEASURE)
COLUMNS = (*REQUIRED, RESPONSIBLE, BRUTTO_S, BRUTTO_K)
_KEYS = {" ".join(name.split()).casefold(): name for name in COLUMNS}
_KEYS["ansvariga"] = RESPONSIBLE  # as ``riskreg export register`` names the column
HEADER_SEARCH = 20  # rows looked at for the header (a title or a note may come first)


def parse_sheet(rows: Iterable[SheetRow], sheet: str, scale: int = SCALE_MAX) -> PlanTable:
    """The plan in a worksheet's rows; ``sheet`` names the worksheet in messages, and
    ``scale`` is the top of the plan matrix's scales (Brutto S and K are 1–``scale``)."""
    reader = _Reader(scale)
    header: dict[str, int] | None = None
    best: tuple[int, set[str]] = (0, set())
    for row in rows:
        if header is None:
            found = _header(row)
            if found is not None and set(REQUIRED) <= found.keys():
                header = found
                reader.header_line = row.number
            elif found and len(found) > len(best[1]) and row.number <= HEADER_SEARCH:
                best = (row.number, set(found))
            continue
        reader.row(row, header)
    if header is None:
        raise _no_header(sheet, best)
    return reader.finish()


def _header(row: SheetRow) -> dict[str, int] | None:
    """Column positions by name when the row names any of the plan's columns."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        if not isinstance(cell, str):
            continue
        name = _KEYS.get(" ".join(cell.split()).casefold())
        if name is None:
            continue
        if name in found:
            raise ImportFileError(
                f"Kolumnen {name} står två gånger i rubrikraden: ta bort den ena.", row.number
            )
        found[name] = index
    return found or None


def _no_header(sheet: str, best: tuple[int, set[str]]) -> ImportFileError:
    line, names = best
    if not names:
        return ImportFileError(
            f"Hittar ingen rubrikrad med kolumnerna Verksamhet, Risk och Åtgärd i bladet ”{sheet}”."
        )
    missing = [name for name in REQUIRED if name not in names]
    listed = " och ".join(missing)
    column = "kolumnen" if len(missing) == 1 else "kolumnerna"
    return ImportFileError(f"rubrikraden saknar {column} {listed}.", line)


@dataclass
class _RiskDraft:
    area_label: str
    text: str
    region_wide: bool
    line: int
    brutto: Assessment | None
    measures: list[ParsedMeasure] = field(default_factory=list)


@dataclass
class _Reader:
    scale: int
    header_line: int = 0
    risks: list[_RiskDraft] = field(default_factory=list)
    area: str | None = None
    cell_text: str | None = None  # the current risk's cell as written (to spot repeats)
    warnings: list[str] = field(default_factory=list)

    def row(self, row: SheetRow, header: dict[str, int]) -> None:
        values = {name: _cell(row, index) for name, index in header.items()}
        texts = {name: self._text(values[name], name, row.number) for name in (*REQUIRED,)}
        if not any(texts.values()) and not any(
            values.get(n) not in (None, "") for n in COLUMNS[3:]
        ):
            return  # an empty row separates nothing and carries nothing
        label, risk_cell, measure_cell = texts[AREA], texts[RISK], texts[MEASURE]
        brutto = _brutto(values.get(BRUTTO_S), values.get(BRUTTO_K), row.number, self.scale)
        current = self.risks[-1] if self.risks else None
        continues = (
            current is not None
            and (not risk_cell or risk_cell == self.cell_text)
            and (not label or label == self.area)
        )
        if continues and current is not None:
            if brutto is not None and brutto != current.brutto:
                raise ImportFileError(
                    "Bruttovärdet skiljer sig från riskens rad ovanför: skriv Brutto S och K "
                    "en gång per risk.",
                    row.number,
                )
        elif not risk_cell:
            raise ImportFileError(
                f"Verksamheten ”{label}” saknar risk i kolumnen Risk."
                if label
                else "Raden har bara en åtgärd men det finns ingen risk ovanför som den kan "
                "höra till.",
                row.number,
            )
        else:
            if label:
                self.area = _fitting(label, "Verksamhetens namn", limits.AREA_NAME_MAX, row)
            if self.area is None:
                raise ImportFileError(
                    "Raden saknar verksamhet och det finns ingen verksamhet ovanför att fortsätta.",
                    row.number,
                )
            self._require_measures(current)
            text, region_wide = split_region_wide(risk_cell)
            if not text:
                raise ImportFileError(
                    "Risken har ingen text efter ”Regionövergripande:”.", row.number
                )
            current = _RiskDraft(self.area, text, region_wide, row.number, brutto)
            self.risks.append(current)
            self.cell_text = risk_cell
        if measure_cell:
            text, region_wide = split_region_wide(measure_cell)
            if not text:
                raise ImportFileError(
                    "Åtgärden har ingen text efter ”Regionövergripande åtgärd:”.", row.number
                )
            responsible = _responsible(values.get(RESPONSIBLE), row)
            current.measures.append(ParsedMeasure(text, region_wide, (row.number,), responsible))
        elif values.get(RESPONSIBLE) not in (None, ""):
            raise ImportFileError("Raden har en ansvarig men ingen åtgärd.", row.number)

    def _text(self, value: Cell, column: str, line: int) -> str:
        text = _as_text(value, column, line)
        found = sorted(set(limits.STRAY_CONTROL.findall(text)))
        if found:
            self.warnings.append(stripped_warning(line, found))
            text = limits.STRAY_CONTROL.sub("", text)
        return clean_cell(text)

    def _require_measures(self, risk: _RiskDraft | None) -> None:
        if risk is not None and not risk.measures:
            raise ImportFileError(f"Risken ”{limits.fit(risk.text, 60)}” saknar åtgärd.", risk.line)

    def finish(self) -> PlanTable:
        if not self.risks:
            raise ImportFileError(
                "Tabellen är tom: det finns inga rader under rubriken.", self.header_line
            )
        self._require_measures(self.risks[-1])
        parsed = tuple(
            ParsedRisk(
                area_label=r.area_label,
                text=r.text,
                region_wide=r.region_wide,
                lines=(r.line,),
                measures=tuple(r.measures),
                brutto=r.brutto,
            )
            for r in self.risks
        )
        check_parsed(parsed)
        return PlanTable(parsed, tuple(dict.fromkeys(self.warnings)))


def _cell(row: SheetRow, index: int) -> Cell:
    return row.cells[index] if index < len(row.cells) else None


def _as_text(value: Cell, column: str, line: int) -> str:
    if isinstance(value, Formula):
        raise ImportFileError(
            f"cellen innehåller en formel ({column}: {limits.fit(value.text, 40)}); "
            "skriv texten i cellen i stället.",
            line,
        )
    if value is None or isinstance(value, bool):
        return "" if value is None else ("SANT" if value else "FALSKT")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _brutto(s: Cell, k: Cell, line: int, top: int) -> Assessment | None:
    likelihood = _scale(s, BRUTTO_S, line, top)
    consequence = _scale(k, BRUTTO_K, line, top)
    if likelihood is None and consequence is None:
        return None
    if likelihood is None or consequence is None:
        raise ImportFileError("Ange både Brutto S och Brutto K, eller ingen av dem.", line)
    return Assessment(likelihood, consequence)


def _scale(value: Cell, column: str, line: int, top: int) -> int | None:
    text = _as_text(value, column, line).strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = None
    if number is None or not number.is_integer() or not SCALE_MIN <= number <= top:
        raise ImportFileError(
            f"{column} ska vara ett heltal {SCALE_MIN}–{top}, inte ”{limits.fit(text, 20)}”.",
            line,
        )
    return int(number)


def _responsible(value: Cell, row: SheetRow) -> tuple[str, ...]:
    """Role names in an Ansvarig cell, one per line or separated by semicolons (a comma
    belongs to names like "Regionservice, Medicinsk teknik")."""
    text = limits.STRAY_CONTROL.sub("", _as_text(value, RESPONSIBLE, row.number))
    names = [" ".join(part.split()) for part in text.replace("\n", ";").split(";")]
    return tuple(
        dict.fromkeys(
            _fitting(name, "Rollens namn", limits.ROLE_NAME_MAX, row) for name in names if name
        )
    )


def _fitting(value: str, what: str, limit: int, row: SheetRow) -> str:
    found = limits.problem(value, what, limit)
    if found is not None:
        raise ImportFileError(found, row.number)
    return value


def sheet_rows(values: Sequence[Sequence[Cell]], first: int = 1) -> list[SheetRow]:
    """Rows numbered from ``first`` (tests and callers holding plain lists)."""
    return [SheetRow(first + index, tuple(cells)) for index, cells in enumerate(values)]
