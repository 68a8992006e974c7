"""The report's tables, one builder per section.

All cells are Paragraphs (so text wraps), long tables repeat their header row, and user
text always goes through ``styles.text``. A table row cannot be taller than a page, so a
very long user text is cut into pieces (at spaces where it can) that continue in the rows
below (``Long`` and ``_logical_row``) instead of failing the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from riskreg.domain.isk import Coverage, Finding, Grade, KeyFigures
from riskreg.domain.isk_content import (
    AcceptedLine,
    AreaSection,
    CarryForward,
    Changes,
    DeviationLine,
    MeasureLine,
    PeriodCell,
    RiskLine,
)
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.periods import PeriodKind
from riskreg.domain.scales import ControlResult, MeasureKind, MeasureStatus, Severity
from riskreg.report.contrast import BLACK, ink_on
from riskreg.report.fonts import BOLD, ITALIC, REGULAR
from riskreg.report.styles import (
    BODY_WIDTH,
    CELL,
    CELL_BOLD,
    CELL_HEAD,
    CELL_SMALL,
    GRID,
    MIN_SIZE,
    MUTED,
    RISK_BG,
    ROLE,
    WIDE_WIDTH,
    Para,
    hex_colour,
    para,
    table_style,
    text,
    tint,
)
from riskreg.report.words import MISSING, TREND_WORD, assessment_label, figure_rows, risk_notes

PIECE = 1200  # characters of user text per table row; always well below a page
TABLE_FONT_SIZE = 7.5  # the size table_style gives string cells; CELL has the same
PERIOD_W = 14.5 * mm
STATUS_FILL = {
    MeasureStatus.DONE: "#d5eacb",
    MeasureStatus.IN_PROGRESS: "#fbf0c4",
    MeasureStatus.NOT_STARTED: "#ececec",
    MeasureStatus.NOT_DONE: "#f5cfcb",
    MeasureStatus.DROPPED: "#e2e2e2",
}
CONTROL_RUNNING = "#e3f0da"  # a recurring control that is being performed
SEVERITY_FILL = {
    Severity.MINOR: "#ffe7a8",
    Severity.MODERATE: "#ffc98a",
    Severity.SERIOUS: "#f19a90",
}
NOT_PERFORMED_FILL = "#f5cfcb"
GRADE_FILL = {Grade.SUFFICIENT: "#d5eacb", Grade.MOSTLY: "#fbf0c4", Grade.INSUFFICIENT: "#f5cfcb"}
MUTED_HEX = "#5b6470"
MISSING_RED = hex_colour("#b3261e")
RISK_RULE = hex_colour("#8894a3")
LIGHT = hex_colour("#e3e7ec")

Style = list[tuple[object, ...]]


# -- long user text ------------------------------------------------------------------------


def pieces(value: str, limit: int = PIECE) -> list[str]:
    """``value`` cut into parts of at most ``limit`` characters, at spaces where possible."""
    rest = value.strip()
    out: list[str] = []
    while len(rest) > limit:
        cut = rest.rfind(" ", limit // 2, limit)
        if cut <= 0:
            cut = limit
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    out.append(rest)
    return out


@dataclass(frozen=True)
class Long:
    """A cell of user text that may continue in the rows below: ``before`` and ``after`` are
    our own markup around the first and last piece."""

    value: str
    style: ParagraphStyle = CELL
    before: str = ""
    after: str = ""


Cell = object  # a Paragraph, a string or a Long


def _logical_row(cells: Sequence[Cell]) -> list[list[object]]:
    """One logical row as one or more table rows (see ``Long``)."""
    split = [pieces(c.value) if isinstance(c, Long) else [] for c in cells]
    height = max([len(p) for p in split] + [1])
    rows: list[list[object]] = []
    for i in range(height):
        row: list[object] = []
        for cell, parts in zip(cells, split, strict=True):
            if not isinstance(cell, Long):
                row.append(cell if i == 0 else "")
            elif i < len(parts):
                markup = text(parts[i])
                if i == 0:
                    markup = cell.before + markup
                if i == len(parts) - 1:
                    markup += cell.after
                elif len(parts) > 1:
                    markup += " …"
                row.append(Para(markup, cell.style))
            else:
                row.append("")
        rows.append(row)
    return rows


class _Text(str):
    """A plain string cell (drawn as is, nothing parsed) that can carry ``rr_fill``."""

    rr_fill: object = None


def _render(table: Any, event: str, *args: Any) -> None:
    """ReportLab's per-cell render callback: paints cell fills and the rules between logical
    rows. As style commands these would be re-processed on every page break of a long
    table (quadratic in its length); carried by the cells they cost nothing extra."""
    if event == "startRow":
        table.rr_row = args[0]
    elif event == "startCell":
        value, (x, y), (w, h) = args[2], args[4], args[5]
        fill = getattr(value, "rr_fill", None)
        if fill is not None:
            canvas = table.canv
            canvas.saveState()
            canvas.setFillColor(fill)
            canvas.rect(x, y, w, h, stroke=0, fill=1)
            canvas.restoreState()
    elif event == "endRow":
        row = table.rr_row
        rules = getattr(table._cellvalues[row][0], "rr_rules", None)
        if rules:
            canvas = table.canv
            top = table._rowpositions[row]
            cols = table._colpositions
            canvas.saveState()
            for first, last, width, colour in rules:
                canvas.setLineWidth(width)
                canvas.setStrokeColor(colour)
                canvas.line(cols[first], top, cols[last + 1 if last >= 0 else last], top)
            canvas.restoreState()


class _KeepTable(Table):  # type: ignore[misc]
    """A Table that does not break right after a row in ``keep`` (a risk row stays with its
    first åtgärd). ReportLab's own NOSPLIT re-scans every cell on each page break, which
    makes a long table quadratic; this costs nothing. It overrides two private ReportLab
    methods, so reportlab is pinned below 6 in pyproject."""

    keep: frozenset[int] = frozenset()

    def _getFirstPossibleSplitRowPosition(
        self,
        availHeight: float,
        ignoreSpans: int = 0,
    ) -> int:
        n: int = super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans)
        if n >= len(self._rowHeights) or not self.keep:
            return n
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        m = n
        while m - 1 in self.keep and m - 1 > header:
            m -= 1
        return m if m - 1 not in self.keep else n

    def _splitRows(self, availHeight: float, doInRowSplit: int = 0) -> list[Any]:
        parts: list[Any] = super()._splitRows(availHeight, doInRowSplit)
        if len(parts) == 2 and isinstance(parts[1], _KeepTable) and self.keep:
            n = parts[0]._nrows
            header = self.repeatRows if isinstance(self.repeatRows, int) else 0
            parts[1].keep = frozenset(k - n + header for k in self.keep if k >= n)
        return parts


class _Builder:
    """Collects rows; a rule is drawn above each logical row, not between its pieces."""

    def __init__(self, header: list[object] | None, widths: Sequence[float]) -> None:
        self.widths = list(widths)
        self.data: list[list[Any]] = [header] if header is not None else []
        self.header_rows = 1 if header is not None else 0
        self.style: Style = []
        self._starts: list[int] = []
        self._rules: dict[int, list[tuple[int, int, float, object]]] = {}
        self._keep: set[int] = set()

    def add(
        self,
        cells: Sequence[Cell],
        *,
        joined: bool = False,
        divider: tuple[int, int] | None = None,
    ) -> tuple[int, int]:
        """Add a logical row; ``joined`` makes it part of the one before (no rule between),
        ``divider`` draws a light rule above it in those columns."""
        first = len(self.data)
        cells = [self._short(c, col, first) for col, c in enumerate(cells)]
        for row in _logical_row(cells):
            self.data.append([_Text(c) if isinstance(c, str) else c for c in row])
        if not joined:
            self._starts.append(first)
        if divider is not None:
            self._rules.setdefault(first, []).append((divider[0], divider[1], 0.3, LIGHT))
        return first, len(self.data) - 1

    def _short(self, cell: Cell, col: int, row: int) -> Cell:
        """A ``Long`` that fits on one line becomes a plain string: drawn as is, with no
        markup to parse and nothing to wrap (most cells of a big register)."""
        if not isinstance(cell, Long) or cell.before or cell.after or "\n" in cell.value:
            return cell
        style = cell.style
        room = self.widths[col] - 6  # the cell's left and right padding
        if len(cell.value) * style.fontSize * 0.3 > room:  # cheap early out
            return cell
        if stringWidth(cell.value, style.fontName, style.fontSize) > room:
            return cell
        if style.fontName != REGULAR or style.fontSize != TABLE_FONT_SIZE:
            self.style += [
                ("FONTNAME", (col, row), (col, row), style.fontName),
                ("FONTSIZE", (col, row), (col, row), style.fontSize),
                ("LEADING", (col, row), (col, row), style.leading),
            ]
        return cell.value.strip()

    def rule_above(self, row: int, width: float, colour: object) -> None:
        self._rules.setdefault(row, []).append((0, -1, width, colour))

    def keep_with_next(self, row: int) -> None:
        self._keep.add(row)

    def fill(
        self, col: int, rows: tuple[int, int], colour: object, col_to: int | None = None
    ) -> None:
        for r in range(rows[0], rows[1] + 1):
            for c in range(col, (col if col_to is None else col_to) + 1):
                self.data[r][c].rr_fill = colour

    def fill_level(self, col: int, rows: tuple[int, int], colour: str) -> None:
        """A matrix level's colour, with text that contrasts (``contrast.ink_on``); black,
        the table's text colour, needs no style command."""
        self.fill(col, rows, hex_colour(colour))
        ink = ink_on(colour)
        if ink != BLACK:
            self.style.append(("TEXTCOLOR", (col, rows[0]), (col, rows[1]), hex_colour(ink)))

    def missing(self, col: int, row: int) -> None:
        """Mark a string cell saying "saknas": red italic."""
        self.style += [
            ("FONTNAME", (col, row), (col, row), ITALIC),
            ("TEXTCOLOR", (col, row), (col, row), MISSING_RED),
        ]

    def table(self) -> Table:
        for start in self._starts:
            if start > self.header_rows:
                self._rules.setdefault(start, []).insert(0, (0, -1, 0.4, GRID))
        for row, rules in self._rules.items():
            self.data[row][0].rr_rules = rules
        table = _KeepTable(
            self.data,
            colWidths=self.widths,
            repeatRows=self.header_rows,
            style=TableStyle([*table_style(self.header_rows, rules=False), *self.style]),
            hAlign="LEFT",
            renderCB=_render,
        )
        table.keep = frozenset(self._keep)
        return table


def fitted(value: str, width: float, style: ParagraphStyle) -> Cell:
    """User text as a plain string cell when it fits on one line (drawn as is, nothing to
    parse), else as a wrapping ``Long``. The column's FONTNAME/FONTSIZE must match
    ``style``."""
    if "\n" not in value and stringWidth(value, style.fontName, style.fontSize) <= width:
        return value
    return Long(value, style)


def roles_cell(roles: Sequence[str], width: float) -> Cell:
    """Responsible roles for a ROLE-styled column: a plain string when every role fits on
    its line, else a Paragraph (set the cell's font to ITALIC when there are no roles)."""
    if not roles:
        return "ej angiven"
    bullet = len(roles) > 1
    lines = [f"• {r}" if bullet else r for r in roles]
    if all(stringWidth(line, ROLE.fontName, ROLE.fontSize) <= width for line in lines):
        return "\n".join(lines)
    return para(roles_markup(roles, width, ROLE), ROLE)


def _table(
    data: list[list[object]],
    widths: Sequence[float],
    extra: Sequence[tuple[object, ...]] = (),
    *,
    header_rows: int = 1,
) -> Table:
    return Table(
        data,
        colWidths=list(widths),
        repeatRows=header_rows,
        style=TableStyle([*table_style(header_rows), *extra]),
        hAlign="LEFT",
    )


def _head(*labels: str) -> list[object]:
    """A header row of plain strings (bold via ``table_style``); labels must fit."""
    return list(labels)


def roles_markup(roles: Sequence[str], width: float, style: ParagraphStyle = CELL_SMALL) -> str:
    """Roles, one a line; a name too wide for the column breaks after a "/" first."""
    if not roles:
        return "<i>ej angiven</i>"
    lines = []
    for role in roles:
        words = []
        for word in role.split():
            if "/" in word and stringWidth(word, style.fontName, style.fontSize) > width:
                words.append("/<br/>".join(text(part) for part in word.split("/")))
            else:
                words.append(text(word))
        lines.append(" ".join(words))
    if len(lines) == 1:
        return lines[0]
    return "<br/>".join(f"• {line}" for line in lines)


# -- key figures and the assessment --------------------------------------------------------


def figures_table(f: KeyFigures) -> Table:
    rows = figure_rows(f)
    b = _Builder(None, [62 * mm, 24 * mm, BODY_WIDTH - 86 * mm])
    for row in rows:
        b.add(list(row))
    b.style += [("FONTNAME", (1, 0), (1, -1), BOLD), ("ALIGN", (1, 0), (1, -1), "RIGHT")]
    return b.table()


def tally_table(title: str, tallies: Sequence[tuple[str, int]], width: float) -> Table:
    total = sum(count for _, count in tallies)
    b = _Builder([para(title, CELL_HEAD), "Antal"], [width - 18 * mm, 18 * mm])
    for label, n in tallies:
        b.add([Long(label[:1].upper() + label[1:]), str(n)])
    last = b.add(["Summa", str(total)])[0]
    b.style += [
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("FONTNAME", (0, last), (-1, last), BOLD),
    ]
    return b.table()


def coverage_table(coverage: Coverage, year: int) -> Table:
    b = _Builder(
        _head(
            coverage.kind.capitalised,
            "Risker bedömda",
            "Åtgärder uppföljda",
            "Perioden låst",
            "Läge",
        ),
        [28 * mm, 34 * mm, 38 * mm, 26 * mm, BODY_WIDTH - 126 * mm],
    )
    for q in coverage.periods:
        state = "fullständig" if q.complete else ("ej uppföljd" if q.empty else "ofullständig")
        rows = b.add(
            [
                q.kind.label(year, q.number),
                f"{q.risks_reviewed} av {q.risks_expected}",
                f"{q.measures_reviewed} av {q.measures_expected}",
                "ja" if q.locked else "nej",
                state,
            ]
        )
        b.fill(4, rows, hex_colour("#d5eacb" if q.complete else "#f5cfcb"))
        if not q.complete:
            b.style.append(("FONTNAME", (4, rows[0]), (4, rows[0]), BOLD))
    return b.table()


def findings_table(findings: Sequence[Finding]) -> Table:
    b = _Builder(
        _head("Kriterium", "Utfall", "Ger högst"), [42 * mm, BODY_WIDTH - 84 * mm, 42 * mm]
    )
    for f in findings:
        rows = b.add([Long(f.criterion, CELL_BOLD), Long(f.observed), f.cap.label])
        b.fill(2, rows, hex_colour(GRADE_FILL[f.cap]))
    return b.table()


# -- per verksamhet ------------------------------------------------------------------------

ROLE_W = 30 * mm
TREND_W = 17 * mm


def area_widths(periods: int) -> tuple[float, ...]:
    """Ref, text, roles, one column per period, trend: a year with fewer periods gives the
    text the room (four quarters: 12, 53, 30, 4 × 14.5 and 17 mm)."""
    text_w = 53 * mm + (4 - periods) * PERIOD_W
    return (12 * mm, text_w, ROLE_W, *(PERIOD_W,) * periods, TREND_W)


# Period cells are plain strings (drawn directly, no markup parsing): a 2,000-risk register
# has tens of thousands of them. Line breaks are chosen to fit PERIOD_W at 6 pt.
STATUS_LINES = {
    MeasureStatus.DONE: "genomförd",
    MeasureStatus.IN_PROGRESS: "pågående",
    MeasureStatus.NOT_STARTED: "ej påbörjad",
    MeasureStatus.NOT_DONE: "ej\ngenomförd",
    MeasureStatus.DROPPED: "utgår",
}
RESULT_LINES = {
    ControlResult.NO_REMARK: "utan\nanmärkning",
    ControlResult.DEVIATION: "med\navvikelse",
    ControlResult.NOT_PERFORMED: "ej utförd",
}


def area_table(area: AreaSection, matrix: RiskMatrix, kind: PeriodKind) -> Table:
    """Risk rows (netto per period, trend) each followed by its åtgärder (status per
    period). No row spans, so the table can break between any two rows, except right
    after a risk row."""
    periods = kind.per_year
    last = 2 + periods  # the last period column; the trend is the one after it
    b = _Builder(
        _head(
            "Ref",
            "Risk och åtgärder",
            "Ansvarig",
            *(kind.heading(n) for n in kind.numbers),
            "Trend",
        ),
        area_widths(periods),
    )
    b.style += [
        ("FONTNAME", (0, 1), (0, -1), BOLD),
        ("FONTSIZE", (2, 1), (-1, -1), MIN_SIZE),
        ("LEADING", (2, 1), (-1, -1), 9),
        ("ALIGN", (3, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (3, 0), (last, -1), 1.5),
        ("RIGHTPADDING", (3, 0), (last, -1), 1.5),
    ]
    for risk in area.risks:
        rows = b.add(_risk_row(risk, kind))
        b.keep_with_next(rows[1])
        b.rule_above(rows[0], 0.9, RISK_RULE)
        b.fill(0, rows, RISK_BG, col_to=2)
        b.fill(last + 1, rows, RISK_BG)
        b.style += [
            ("TEXTCOLOR", (2, rows[0]), (2, rows[0]), MUTED),
            ("FONTNAME", (3, rows[0]), (last, rows[0]), BOLD),
            ("FONTSIZE", (3, rows[0]), (last, rows[0]), MIN_SIZE),
        ]
        for q, (value, level) in enumerate(zip(risk.netto, risk.netto_levels, strict=True)):
            if level is None:
                b.fill(3 + q, rows, RISK_BG)
            else:
                b.fill_level(3 + q, rows, matrix.levels[level].colour)
            if value is None:
                b.missing(3 + q, rows[0])
        for number, measure in enumerate(risk.measures, start=1):
            cells, fills = _measure_row(measure, number)
            mrows = b.add(cells)
            for q, fill in enumerate(fills):
                if fill is not None:
                    b.fill(3 + q, mrows, hex_colour(fill))
                if cells[3 + q] == MISSING:
                    b.missing(3 + q, mrows[0])
            if not measure.roles:
                b.style.append(("FONTNAME", (2, mrows[0]), (2, mrows[0]), ITALIC))
        if not risk.measures:
            none = para("<i>Risken har inga åtgärder i planen.</i>", CELL_SMALL)
            b.add(["", none] + [""] * (periods + 2))
    return b.table()


def _risk_row(risk: RiskLine, kind: PeriodKind) -> list[Cell]:
    notes = risk_notes(risk)
    return [
        risk.ref,
        Long(
            risk.text,
            CELL_BOLD,
            after=f"<br/><font name='{REGULAR}' size={MIN_SIZE} color='{MUTED_HEX}'>{notes}</font>",
        ),
        f"Netto per {kind.value}",
        *(assessment_label(a) if a else MISSING for a in risk.netto),
        TREND_WORD[risk.trend] if risk.trend else "–",
    ]


def _measure_row(measure: MeasureLine, number: int) -> tuple[list[Cell], list[str | None]]:
    """The åtgärd's cells and the fill of each period cell."""
    prefix = "Regionövergripande åtgärd: " if measure.region_wide else ""
    cells: list[Cell] = []
    fills: list[str | None] = []
    finished = False
    for cell in measure.periods:
        shown, fill = _period_cell(cell, finished)
        cells.append(shown)
        fills.append(fill)
        if cell is not None and (
            cell.status is MeasureStatus.DROPPED
            or (cell.status is MeasureStatus.DONE and measure.kind is MeasureKind.ONE_OFF)
        ):
            finished = True
    return [
        "",
        Long(
            measure.text,
            CELL,
            before=f"{number}. {prefix}",
            after=f"<br/><font size={MIN_SIZE} color='{MUTED_HEX}'>{measure.kind_label}</font>",
        ),
        roles_cell(measure.roles, ROLE_W - 6),
        *cells,
        "",
    ], fills


def _period_cell(cell: PeriodCell | None, finished: bool) -> tuple[str, str | None]:
    if cell is None:
        return ("–", None) if finished else (MISSING, None)
    lines = [STATUS_LINES[cell.status]]
    fill: str | None = STATUS_FILL[cell.status]
    if cell.result is not None:
        lines.append(RESULT_LINES[cell.result])
        if cell.result is ControlResult.NOT_PERFORMED:
            fill = NOT_PERFORMED_FILL
        elif cell.status is MeasureStatus.IN_PROGRESS:
            fill = CONTROL_RUNNING
    if cell.severity is not None:
        lines[-1] = f"avvikelse:\n{cell.severity.value}"
        fill = SEVERITY_FILL[cell.severity]
    return "\n".join(lines), fill


def status_legend() -> Table:
    items = [
        ("genomförd", STATUS_FILL[MeasureStatus.DONE]),
        ("kontroll utförs", CONTROL_RUNNING),
        ("pågående", STATUS_FILL[MeasureStatus.IN_PROGRESS]),
        ("ej påbörjad", STATUS_FILL[MeasureStatus.NOT_STARTED]),
        ("ej genomförd, ej utförd", STATUS_FILL[MeasureStatus.NOT_DONE]),
        ("avvikelse: liten", SEVERITY_FILL[Severity.MINOR]),
        ("måttlig", SEVERITY_FILL[Severity.MODERATE]),
        ("allvarlig", SEVERITY_FILL[Severity.SERIOUS]),
    ]
    labels = [stringWidth(label, CELL_SMALL.fontName, CELL_SMALL.fontSize) for label, _ in items]
    spare = (BODY_WIDTH - len(items) * 4 * mm - sum(labels)) / len(items)
    row: list[object] = []
    style: Style = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    widths: list[float] = []
    for i, ((label, fill), label_w) in enumerate(zip(items, labels, strict=True)):
        row += ["", para(label, CELL_SMALL)]
        style.append(("BACKGROUND", (2 * i, 0), (2 * i, 0), hex_colour(fill)))
        widths += [4 * mm, label_w + spare]
    return Table([row], colWidths=widths, style=TableStyle(style), hAlign="LEFT")


# -- avvikelser, accepterade risker, förändringar, inför nästa år ------------------------------


def deviations_table(lines: Sequence[DeviationLine]) -> Table:
    b = _Builder(
        _head("Allvarlighet", "Ref", "Period", "Avvikelse", "Åtgärd där den upptäcktes"),
        [20 * mm, 13 * mm, 19 * mm, 70 * mm, BODY_WIDTH - 122 * mm],
    )
    b.style.append(("FONTNAME", (0, 1), (0, -1), BOLD))
    for d in lines:
        rows = b.add(
            [
                d.severity.value,
                d.ref,
                d.period.label,
                Long(d.description, CELL),
                Long(d.measure, CELL_SMALL),
            ]
        )
        if d.comment:
            more = b.add(
                ["", "", "", Long(d.comment, CELL_SMALL, before="<i>Kommentar:</i> "), ""],
                joined=True,
            )
            rows = (rows[0], more[1])
        b.fill(0, rows, hex_colour(SEVERITY_FILL[d.severity]))
    return b.table()


def accepted_table(lines: Sequence[AcceptedLine], matrix: RiskMatrix) -> Table:
    b = _Builder(
        _head("Ref", "Risk", "Accepterad av", "Motivering", "Till och med", "Netto"),
        [13 * mm, 44 * mm, 33 * mm, 49 * mm, 18 * mm, BODY_WIDTH - 157 * mm],
    )
    b.style += [("FONTNAME", (0, 1), (0, -1), BOLD), ("ALIGN", (5, 0), (5, -1), "CENTER")]
    for a in lines:
        rows = b.add(
            [
                a.ref,
                Long(a.text, CELL),
                Long(a.by, CELL),
                Long(a.reason, CELL),
                _until(a),
                assessment_label(a.year_end),
            ]
        )
        if a.year_end_level is not None:
            b.fill_level(5, rows, matrix.levels[a.year_end_level].colour)
    return b.table()


def _until(a: AcceptedLine) -> Cell:
    if a.until is None:
        return "tills vidare"
    if a.expired:
        return para(f"{a.until.isoformat()}<br/><b>Utgången</b>", CELL)
    return a.until.isoformat()


def brief_table(rows: Sequence[tuple[str, str, str]]) -> Table:
    b = _Builder(_head("Ref", "Verksamhet", "Risk"), [13 * mm, 38 * mm, BODY_WIDTH - 51 * mm])
    b.style.append(("FONTNAME", (0, 1), (0, -1), BOLD))
    for ref, area, risk_text in rows:
        b.add([ref, Long(area), Long(risk_text)])
    return b.table()


def _before_after(what: str, changes: Changes, year: int) -> _Builder:
    """A table of ref, what changed, and the wording of the previous and this year."""
    half = (BODY_WIDTH - 48 * mm) / 2
    b = _Builder(
        _head("Ref", what, f"{changes.previous_year}", f"{year}"), [13 * mm, 35 * mm, half, half]
    )
    b.style.append(("FONTNAME", (0, 1), (0, -1), BOLD))
    return b


def changed_table(changes: Changes, year: int) -> Table:
    """Old and new wording side by side; removed and added åtgärder paired on a row."""
    b = _before_after("Ändring", changes, year)
    for c in changes.changed:
        same = c.old_text == c.new_text
        b.add(
            [
                c.ref,
                Long("; ".join(c.what)),
                para("<i>samma lydelse</i>", CELL_SMALL) if same else Long(c.old_text, CELL_SMALL),
                Long(c.new_text, CELL_SMALL),
            ]
        )
        removed, added = c.removed_measures, c.added_measures
        for i in range(max(len(removed), len(added))):
            b.add(
                ["", "", _measure_piece(removed, i), _measure_piece(added, i)],
                joined=True,
                divider=(2, 3),
            )
    return b.table()


def editorial_table(changes: Changes, year: int) -> Table:
    """Redaktionella ändringar: the text before and after, each labelled."""
    b = _before_after("Redaktionell ändring", changes, year)
    for e in changes.editorial:
        b.add([e.ref, e.what, Long(e.old_text, CELL_SMALL), Long(e.new_text, CELL_SMALL)])
    return b.table()


def _measure_piece(texts: tuple[str, ...], index: int) -> Cell:
    return Long(texts[index], CELL_SMALL, before="<i>Åtgärd:</i> ") if index < len(texts) else ""


def carry_table(lines: Sequence[CarryForward]) -> Table:
    b = _Builder(_head("Ref", "Risk", "Skäl"), [13 * mm, 95 * mm, BODY_WIDTH - 108 * mm])
    b.style.append(("FONTNAME", (0, 1), (0, -1), BOLD))
    for c in lines:
        b.add([c.ref, Long(c.text), Long(c.why)])
    return b.table()


# -- appendix: the whole register (landscape) ----------------------------------------------

REGISTER_WIDTHS = (14 * mm, 30 * mm, 61 * mm, 10 * mm, 77 * mm, 33 * mm, 12 * mm, 12 * mm)


def register_table(lines: Sequence[RiskLine], matrix: RiskMatrix) -> Table:
    """One row per åtgärd; the risk's own cells on its first row."""
    widths = [*REGISTER_WIDTHS, WIDE_WIDTH - sum(REGISTER_WIDTHS)]
    b = _Builder(
        _head(
            "Ref",
            "Verksamhet",
            "Risk",
            "Krav",
            "Åtgärder",
            "Ansvariga roller",
            "Brutto",
            "Netto",
            "Status",
        ),
        widths,
    )
    b.style += [
        ("FONTNAME", (0, 1), (0, -1), BOLD),
        ("FONTSIZE", (0, 1), (-1, -1), MIN_SIZE),
        ("LEADING", (0, 1), (-1, -1), 9),
        ("ALIGN", (3, 1), (3, -1), "CENTER"),
        ("ALIGN", (6, 1), (7, -1), "CENTER"),
    ]
    area_w = widths[1] - 6
    for r in lines:
        measures = r.measures
        first = measures[0] if measures else None
        start = b.add(
            [
                r.ref,
                fitted(r.area, area_w, CELL_SMALL),
                Long(r.text, CELL_SMALL, before="Regionövergripande: " if r.region_wide else ""),
                r.requirement or "–",
                _register_measure(first, 1) if first else para("<i>inga</i>", CELL_SMALL),
                roles_cell(first.roles, widths[5] - 6) if first else "",
                assessment_label(r.brutto),
                assessment_label(r.year_end),
                r.status.value,
            ]
        )
        if first is not None and not first.roles:
            b.style.append(("FONTNAME", (5, start[0]), (5, start[0]), ITALIC))
        end = start
        for number, m in enumerate(measures[1:], start=2):
            end = b.add(
                ["", "", "", "", _register_measure(m, number), roles_cell(m.roles, widths[5] - 6)]
                + [""] * 3,
                joined=True,
                divider=(4, 5),
            )
            if not m.roles:
                b.style.append(("FONTNAME", (5, end[0]), (5, end[0]), ITALIC))
            if number == 2:
                b.keep_with_next(start[1])
        rows = (start[0], end[1])
        if r.brutto_level is not None:
            b.fill(6, rows, tint(matrix.levels[r.brutto_level].colour, 0.55))
        if r.year_end_level is not None:
            b.fill(7, rows, tint(matrix.levels[r.year_end_level].colour, 0.55))
    return b.table()


def _register_measure(m: MeasureLine, number: int) -> Long:
    prefix = "Regionövergripande åtgärd: " if m.region_wide else ""
    return Long(m.text, CELL_SMALL, before=f"{number}. {prefix}")


def note_box(
    flowables: list[Flowable],
    width: float = BODY_WIDTH,
    fill: str = "#fff4d6",
    edge: str = "#e0b54a",
) -> Table:
    """A coloured box around short, fixed-size content (never around long user text)."""
    return Table(
        [[flowables]],
        colWidths=[width],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("BACKGROUND", (0, 0), (-1, -1), hex_colour(fill)),
                ("BOX", (0, 0), (-1, -1), 0.8, hex_colour(edge)),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
        hAlign="LEFT",
    )
