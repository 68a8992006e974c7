"""The risk listing as table, CSV or JSON, from one column definition so formats agree.

JSON carries typed values (numbers, lists, ISO dates, null); CSV and the table carry the
same columns as text. The table fits the terminal's width (80 columns upwards) by giving
what is left to the risk text, and colours the netto level only on a terminal.

What is stored may be hostile. The table shows control characters as symbols
(``riskreg.domain.visible``). JSON keeps the exact text: it escapes control characters
itself, and the DEL, C1 and bidi characters it would let through raw are written as
``\\u`` escapes too, so the output parses back to the stored text. CSV keeps the text as
well, but a cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP,
"CSV Injection").
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import click

from riskreg.domain.register import RiskRow
from riskreg.domain.visible import UNSAFE_ABOVE_C0, visible

EMPTY = "–"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[RiskRow], Any]  # the JSON value
    text: Callable[[RiskRow], str]  # the CSV / table text
    width: int  # table width; 0 = takes the remaining space; -1 = not in the table
    per_committee: bool = False  # shown in the table only when several nämnder are listed
    table: Callable[[RiskRow], str] | None = None  # table text, when it differs from text
    short: Callable[[RiskRow], str] | None = None  # table text in a narrow terminal
    short_header: str = ""
    widest: int = 0  # grows to keep its longest word whole: to this, or 10 more when wide

    def table_text(self, row: RiskRow, narrow: bool = False) -> str:
        if narrow and self.short:
            return self.short(row)
        return (self.table or self.text)(row)


def _netto(row: RiskRow) -> dict[str, int] | None:
    if row.netto is None:
        return None
    return {
        "sannolikhet": row.netto.likelihood,
        "konsekvens": row.netto.consequence,
        "riskvärde": row.netto.value,
    }


def _brutto(row: RiskRow) -> dict[str, int] | None:
    if row.brutto is None:
        return None
    return {
        "sannolikhet": row.brutto.likelihood,
        "konsekvens": row.brutto.consequence,
        "riskvärde": row.brutto.value,
    }


def _netto_text(row: RiskRow) -> str:
    return f"{row.netto.label}={row.netto.value}" if row.netto else EMPTY


COLUMNS: tuple[Column, ...] = (
    Column("nämnd", "Nämnd", lambda r: r.committee, lambda r: r.committee, 14, True),
    Column("år", "År", lambda r: r.year, lambda r: str(r.year), 4, True),
    Column("ref", "Ref", lambda r: r.ref, lambda r: r.ref, 5),
    Column(
        "verksamhet",
        "Verksamhet",
        lambda r: r.area,
        lambda r: r.area,
        11,
        short=lambda r: r.area_code,
        short_header="Vht",
        widest=20,
    ),
    Column("risk", "Risk", lambda r: r.text, lambda r: r.text, 0),
    Column(
        "regionövergripande",
        "Regionöverg.",
        lambda r: r.region_wide,
        lambda r: "ja" if r.region_wide else "nej",
        -1,
    ),
    Column("status", "Status", lambda r: r.status.value, lambda r: r.status.value, -1),
    Column(
        "brutto",
        "Brutto",
        _brutto,
        lambda r: f"{r.brutto.label}={r.brutto.value}" if r.brutto else EMPTY,
        -1,
    ),
    Column(
        "netto",
        "Netto",
        _netto,
        _netto_text,
        7,
        table=lambda r: f"{_netto_text(r)} {r.level_name}" if r.level_name else _netto_text(r),
    ),
    Column("nivå", "Nivå", lambda r: r.level_name, lambda r: r.level_name or EMPTY, -1),
    Column(
        "trend",
        "T",
        lambda r: r.trend.value if r.trend else None,
        lambda r: r.trend.value if r.trend else EMPTY,
        1,
        table=lambda r: r.trend.arrow if r.trend else " ",
    ),
    Column(
        "åtgärder",
        "Åtg",
        lambda r: {"genomförda": r.measures_done, "totalt": r.measures_total},
        lambda r: f"{r.measures_done}/{r.measures_total}",
        5,
    ),
    Column(
        "roller",
        "Roller",
        lambda r: list(r.roles),
        lambda r: "; ".join(r.roles) if r.roles else EMPTY,
        13,
        table=lambda r: "\n".join(r.roles) or EMPTY,
        widest=20,
    ),
    Column(
        "senast_bedömd",
        "Bedömd",
        lambda r: r.last_reviewed.isoformat() if r.last_reviewed else None,
        lambda r: r.last_reviewed.isoformat() if r.last_reviewed else EMPTY,
        10,
    ),
)


def write_json(rows: Iterable[RiskRow], out: io.TextIOBase | Any) -> None:
    """A JSON array written row by row (a large register is never held as one string)."""
    # Indented for a person at a terminal; compact (and with the C encoder, several
    # times faster) when piped into a script.
    pretty = use_colour(out) or getattr(out, "isatty", lambda: False)()
    count = 0
    out.write("[")
    for row in rows:
        item = json_text({c.key: c.value(row) for c in COLUMNS}, indent=2 if pretty else None)
        if pretty:
            item = "\n  " + item.replace("\n", "\n  ")
        out.write(("," if count else "") + item)
        count += 1
    out.write("\n]\n" if pretty and count else "]\n")


def json_text(data: Any, *, indent: int | None = None) -> str:
    """``data`` as JSON (UTF-8 text, not ``\\u`` escapes, for Swedish readers), with the
    characters a terminal would act on escaped: JSON escapes C0 controls itself, but lets
    DEL, C1 and bidi controls through raw. Outside strings JSON text is ASCII, so every
    match is inside a string, where its escape parses back to the same character."""
    return UNSAFE_ABOVE_C0.sub(_json_escape, json.dumps(data, ensure_ascii=False, indent=indent))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a
    leading apostrophe, which the spreadsheet hides (OWASP's advice)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_csv(rows: Iterable[RiskRow], out: io.TextIOBase | Any) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in COLUMNS])
    for row in rows:
        writer.writerow([spreadsheet_safe(c.text(row)) for c in COLUMNS])


def use_colour(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


NARROW = 100  # below this many columns the table uses short forms where it has them
RISK_TEXT_MIN = 16


_CHUNKS = re.compile(r"[^\s/-]+[/-]+|[/-]+|[^\s/-]+|\s+")  # a word and what ends it


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width``, broken only between words and after a hyphen or a
    slash; a word longer than the whole column is shortened with "…" rather than cut."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for chunk in _CHUNKS.findall(part):
            if chunk.isspace():
                line += " " if line else ""
            elif not line or len(line) + len(chunk) <= width:
                line += chunk
            else:
                lines.append(line.rstrip())
                line = chunk
        lines.append(line.rstrip())
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines]


def _longest_word(rows: Sequence[RiskRow], column: Column, narrow: bool) -> int:
    return max(
        (
            len(word.strip())
            for row in rows
            for word in _CHUNKS.findall(column.table_text(row, narrow))
        ),
        default=0,
    )


def render_table(rows: Sequence[RiskRow], *, width: int | None = None, colour: bool = False) -> str:
    """A fixed-width table whose cells wrap at word boundaries, so nothing is cut off at
    80 columns; the netto cell is in its matrix colour when ``colour``. Cell text is made
    visible before it is wrapped, so the widths count the symbols that are shown."""
    width = width or _terminal_width()
    narrow = width < NARROW
    several = len({r.committee for r in rows}) > 1 or len({r.year for r in rows}) > 1
    columns = [c for c in COLUMNS if c.width >= 0 and (several or not c.per_committee)]
    widths = []
    for column in columns:
        if narrow and column.short:
            widths.append(max(len(column.short_header), _longest_word(rows, column, narrow)))
        elif column.widest:
            longest = _longest_word(rows, column, narrow)
            cap = column.widest if narrow else column.widest + 10
            widths.append(min(max(column.width, longest), cap))
        else:
            widths.append(column.width)
    fixed = sum(widths) + len(columns) - 1
    widths = [w or max(width - fixed, RISK_TEXT_MIN) for w in widths]
    header = " ".join(
        ((c.short_header if narrow and c.short else "") or c.header).ljust(w)
        for c, w in zip(columns, widths, strict=True)
    )
    lines = [header.rstrip(), "─" * min(width, len(header))]
    for row in rows:
        cells = [
            _wrap(visible(c.table_text(row, narrow), keep_newlines=True), w)
            for c, w in zip(columns, widths, strict=True)
        ]
        for index in range(max(len(cell) for cell in cells)):
            parts = []
            for column, cell, w in zip(columns, cells, widths, strict=True):
                part = (cell[index] if index < len(cell) else "").ljust(w)
                if colour and column.key == "netto" and row.netto_colour and part.strip():
                    part = click.style(part, fg=_rgb(row.netto_colour), bold=True)
                parts.append(part)
            lines.append(" ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _terminal_width() -> int:
    """``COLUMNS``, else the terminal's width, else 100 (as ``shutil`` would answer, without
    importing it and the compression modules it pulls in on this fast path)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 100
    except (OSError, ValueError):
        return 100


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
