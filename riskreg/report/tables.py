"""The report's tables, one builder per section.

All cells are Paragraphs (so text wraps), long tables repeat their header row, and user
text always goes through ``styles.text``. A table row cannot be taller than a page, so a
very long user text is cut into pieces (at spaces where it can) that continue in the rows
below (``Long`` and ``_logical_row``) instead of failing the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from riskreg.domain.isk import (
    AcceptedLine,
    AreaSection,
    CarryForward,
    Changes,
    Coverage,
    DeviationLine,
    Finding,
    Grade,
    KeyFigures,
    MeasureLine,
    QuarterCell,
    RiskLine,
    percent,
)
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import Assessment, Trend
from riskreg.domain.scales import ControlResult, MeasureKind, MeasureStatus, RiskStatus, Severity
from riskreg.report.fonts import REGULAR
from riskreg.report.styles import (
    BODY_WIDTH,
    CELL,
    CELL_BOLD,
    CELL_HEAD,
    CELL_HEAD_CENTER,
    CELL_RIGHT,
    CELL_SMALL,
    GRID,
    NETTO,
    QUARTER,
    RISK_BG,
    ROLE,
    WIDE_WIDTH,
    hex_colour,
    para,
    table_style,
    text,
    tint,
)

PIECE = 1200  # characters of user text per table row; always well below a page
QUARTER_W = 14.5 * mm
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
TREND_WORD = {
    Trend.UP: "ökar",
    Trend.DOWN: "minskar",
    Trend.SAME: "oförändrad",
    Trend.FIRST: "första",
}
RESULT_WORD = {
    ControlResult.NO_REMARK: "utan anmärkning",
    ControlResult.DEVIATION: "med avvikelse",
    ControlResult.NOT_PERFORMED: "ej utförd",
}
MUTED_HEX = "#5b6470"
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
                row.append(Paragraph(markup, cell.style))
            else:
                row.append("")
        rows.append(row)
    return rows


class _Builder:
    """Collects rows; a rule is drawn under each logical row, not between its pieces."""

    def __init__(self, header: list[object] | None) -> None:
        self.data: list[list[object]] = [header] if header is not None else []
        self.header_rows = 1 if header is not None else 0
        self.style: Style = []
        self._groups: list[tuple[int, int]] = []
        self._groups_first_end: dict[int, int] = {}

    def add(
        self,
        cells: Sequence[Cell],
        *,
        joined: bool = False,
        divider: tuple[int, int] | None = None,
    ) -> tuple[int, int]:
        """Add a logical row; ``joined`` makes it part of the one before (no rule between),
        ``divider`` draws a light rule above it in those columns."""
        rows = _logical_row(cells)
        first = len(self.data)
        self.data += rows
        last = len(self.data) - 1
        if joined and self._groups:
            start, end = self._groups[-1]
            if end == self._groups_first_end.get(start, end):
                # Keep the first continuation with its row (a short range, always fits).
                self.style.append(("NOSPLIT", (0, start), (-1, first)))
            self._groups[-1] = (start, last)
        else:
            self._groups.append((first, last))
            self._groups_first_end[first] = last
        if divider is not None:
            self.style.append(("LINEABOVE", (divider[0], first), (divider[1], first), 0.3, LIGHT))
        return first, last

    def fill(
        self, col: int, rows: tuple[int, int], colour: object, col_to: int | None = None
    ) -> None:
        last_col = col if col_to is None else col_to
        self.style.append(("BACKGROUND", (col, rows[0]), (last_col, rows[1]), colour))

    def table(self, widths: Sequence[float]) -> Table:
        lines: Style = [("LINEBELOW", (0, last), (-1, last), 0.4, GRID) for _, last in self._groups]
        return Table(
            self.data,
            colWidths=list(widths),
            repeatRows=self.header_rows,
            style=TableStyle([*table_style(self.header_rows, rules=False), *lines, *self.style]),
            hAlign="LEFT",
        )


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


def _head(*labels: str, centered_from: int = 99) -> list[object]:
    return [
        para(label, CELL_HEAD if i < centered_from else CELL_HEAD_CENTER)
        for i, label in enumerate(labels)
    ]


def assessment_label(value: Assessment | None) -> str:
    return "–" if value is None else f"{value.likelihood}×{value.consequence}"


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
    share = f.carried_out_share
    rows = [
        (
            "Risker i planen",
            f"{f.risks}",
            f"{f.region_wide} regionövergripande, {f.accepted} accepterade, {f.closed} avslutade",
        ),
        ("Verksamheter", f"{f.areas}", ""),
        (
            "Åtgärder",
            f"{f.measures}",
            f"{f.recurring} återkommande kontroller, {f.measures - f.recurring} engångsåtgärder",
        ),
        (
            "Verkställda åtgärder",
            f"{f.carried_out} av {f.counted}",
            percent(share) if share is not None else "–",
        ),
        ("Åtgärder utan angiven ansvarig roll", f"{f.without_role}", ""),
        (
            "Avvikelser under året",
            f"{f.deviations}",
            ", ".join(f"{t.label} {t.count}" for t in f.deviations_by_severity),
        ),
    ]
    data: list[list[object]] = [
        [para(label, CELL), para(f"<b>{value}</b>", CELL_RIGHT), para(note, CELL)]
        for label, value, note in rows
    ]
    return _table(data, [62 * mm, 24 * mm, BODY_WIDTH - 86 * mm], header_rows=0)


def tally_table(title: str, tallies: Sequence[tuple[str, int]], width: float) -> Table:
    total = sum(count for _, count in tallies)
    data: list[list[object]] = [[para(title, CELL_HEAD), para("Antal", CELL_HEAD)]]
    data += [
        [para(text(label[:1].upper() + label[1:]), CELL), para(str(n), CELL_RIGHT)]
        for label, n in tallies
    ]
    data.append([para("<b>Summa</b>", CELL), para(f"<b>{total}</b>", CELL_RIGHT)])
    return _table(data, [width - 18 * mm, 18 * mm])


def coverage_table(coverage: Coverage, year: int) -> Table:
    b = _Builder(_head("Kvartal", "Risker bedömda", "Åtgärder uppföljda", "Perioden låst", "Läge"))
    for q in coverage.quarters:
        state = "fullständig" if q.complete else ("ej uppföljd" if q.empty else "ofullständig")
        rows = b.add(
            [
                para(f"{year} kv {q.quarter}", CELL),
                para(f"{q.risks_reviewed} av {q.risks_expected}", CELL),
                para(f"{q.measures_reviewed} av {q.measures_expected}", CELL),
                para("ja" if q.locked else "nej", CELL),
                para(state if q.complete else f"<b>{state}</b>", CELL),
            ]
        )
        b.fill(4, rows, hex_colour("#d5eacb" if q.complete else "#f5cfcb"))
    return b.table([28 * mm, 34 * mm, 38 * mm, 26 * mm, BODY_WIDTH - 126 * mm])


def findings_table(findings: Sequence[Finding]) -> Table:
    b = _Builder(_head("Kriterium", "Utfall", "Ger högst"))
    for f in findings:
        rows = b.add(
            [
                para(text(f.criterion), CELL_BOLD),
                para(text(f.observed), CELL),
                para(f.cap.label, CELL),
            ]
        )
        b.fill(2, rows, hex_colour(GRADE_FILL[f.cap]))
    return b.table([42 * mm, BODY_WIDTH - 84 * mm, 42 * mm])


# -- per verksamhet ------------------------------------------------------------------------

ROLE_W = 30 * mm
AREA_WIDTHS = (12 * mm, 53 * mm, ROLE_W, QUARTER_W, QUARTER_W, QUARTER_W, QUARTER_W, 17 * mm)


def area_table(area: AreaSection, matrix: RiskMatrix) -> Table:
    """Risk rows (netto per quarter, trend) each followed by its åtgärder (status per
    quarter). No row spans, so the table can break between any two rows."""
    b = _Builder(
        _head(
            "Ref",
            "Risk och åtgärder",
            "Ansvarig",
            "Kv 1",
            "Kv 2",
            "Kv 3",
            "Kv 4",
            "Trend",
            centered_from=3,
        )
    )
    quarter_pad: Style = [
        ("LEFTPADDING", (3, 0), (6, -1), 1.5),
        ("RIGHTPADDING", (3, 0), (6, -1), 1.5),
    ]
    for risk in area.risks:
        rows = b.add(_risk_row(risk))
        b.fill(0, rows, RISK_BG, col_to=2)
        b.fill(7, rows, RISK_BG)
        b.style.append(("LINEABOVE", (0, rows[0]), (-1, rows[0]), 0.9, hex_colour("#8894a3")))
        for q, level in enumerate(risk.netto_levels):
            colour = hex_colour(matrix.levels[level].colour) if level is not None else RISK_BG
            b.fill(3 + q, rows, colour)
        for number, measure in enumerate(risk.measures, start=1):
            cells, fills = _measure_row(measure, number)
            mrows = b.add(cells)
            if number == 1:
                # Never leave a risk alone at the foot of a page without its first åtgärd.
                b.style.append(("NOSPLIT", (0, rows[0]), (-1, mrows[0])))
            for q, fill in enumerate(fills):
                if fill is not None:
                    b.fill(3 + q, mrows, hex_colour(fill))
        if not risk.measures:
            b.add(["", para("<i>Risken har inga åtgärder i planen.</i>", CELL_SMALL)] + [""] * 6)
    b.style += quarter_pad
    return b.table(AREA_WIDTHS)


def _risk_row(risk: RiskLine) -> list[Cell]:
    notes = []
    if risk.region_wide:
        notes.append("regionövergripande")
    if risk.requirement:
        notes.append(f"krav {risk.requirement}")
    notes.append(f"brutto {assessment_label(risk.brutto)}")
    if risk.status is RiskStatus.ACCEPTED and risk.acceptance is not None:
        until = risk.acceptance.until.isoformat() if risk.acceptance.until else "tills vidare"
        notes.append(f"accepterad till {until} (se avsnitt 7)")
    elif risk.status is RiskStatus.CLOSED:
        notes.append("avslutad")
    netto = [para(assessment_label(a) if a else "<i>saknas</i>", NETTO) for a in risk.netto]
    return [
        para(f"<b>{text(risk.ref)}</b>", CELL),
        Long(
            risk.text,
            CELL_BOLD,
            after=f"<br/><font name='Vera' size=6.5 color='{MUTED_HEX}'>{'; '.join(notes)}</font>",
        ),
        para(f"<font color='{MUTED_HEX}'>Netto per kvartal</font>", CELL_SMALL),
        *netto,
        para(TREND_WORD[risk.trend] if risk.trend else "–", QUARTER),
    ]


def _measure_row(measure: MeasureLine, number: int) -> tuple[list[Cell], list[str | None]]:
    prefix = "Regionövergripande åtgärd: " if measure.region_wide else ""
    cells: list[Cell] = []
    fills: list[str | None] = []
    finished = False
    for cell in measure.quarters:
        shown, fill = _quarter(cell, finished)
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
            after=f"<br/><font size=6.5 color='{MUTED_HEX}'>{measure.kind_label}</font>",
        ),
        para(roles_markup(measure.roles, ROLE_W - 6, ROLE), ROLE),
        *cells,
        "",
    ], fills


def _quarter(cell: QuarterCell | None, finished: bool) -> tuple[Paragraph, str | None]:
    if cell is None:
        if finished:
            return para("–", QUARTER), None
        return para("<font color='#b3261e'><i>saknas</i></font>", QUARTER), None
    lines = [cell.status.value]
    fill: str | None = STATUS_FILL[cell.status]
    if cell.result is not None:
        lines.append(RESULT_WORD[cell.result])
        if cell.result is ControlResult.NOT_PERFORMED:
            fill = NOT_PERFORMED_FILL
        elif cell.status is MeasureStatus.IN_PROGRESS:
            fill = CONTROL_RUNNING
    if cell.severity is not None:
        lines[-1] = f"avvikelse:<br/><b>{cell.severity.value}</b>"
        fill = SEVERITY_FILL[cell.severity]
    return para("<br/>".join(lines), QUARTER), fill


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
    b = _Builder(_head("Allvarlighet", "Ref", "Period", "Avvikelse", "Åtgärd där den upptäcktes"))
    for d in lines:
        rows = b.add(
            [
                para(f"<b>{d.severity.value}</b>", CELL),
                para(text(d.ref), CELL),
                para(d.period.label, CELL),
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
    return b.table([20 * mm, 13 * mm, 19 * mm, 70 * mm, BODY_WIDTH - 122 * mm])


def accepted_table(lines: Sequence[AcceptedLine], matrix: RiskMatrix) -> Table:
    b = _Builder(_head("Ref", "Risk", "Accepterad av", "Motivering", "Till och med", "Netto"))
    for a in lines:
        rows = b.add(
            [
                para(f"<b>{text(a.ref)}</b>", CELL),
                Long(a.text, CELL),
                Long(a.by, CELL),
                Long(a.reason, CELL),
                para(a.until.isoformat() if a.until else "tills vidare", CELL),
                para(assessment_label(a.year_end), QUARTER),
            ]
        )
        if a.year_end_level is not None:
            b.fill(5, rows, hex_colour(matrix.levels[a.year_end_level].colour))
    return b.table([13 * mm, 44 * mm, 33 * mm, 49 * mm, 18 * mm, BODY_WIDTH - 157 * mm])


def brief_table(rows: Sequence[tuple[str, str, str]]) -> Table:
    b = _Builder(_head("Ref", "Verksamhet", "Risk"))
    for ref, area, risk_text in rows:
        b.add([para(f"<b>{text(ref)}</b>", CELL), para(text(area), CELL), Long(risk_text, CELL)])
    return b.table([13 * mm, 38 * mm, BODY_WIDTH - 51 * mm])


def changed_table(changes: Changes, year: int) -> Table:
    """Old and new wording side by side; removed and added åtgärder paired on a row."""
    half = (BODY_WIDTH - 48 * mm) / 2
    b = _Builder(_head("Ref", "Ändring", f"{changes.previous_year}", f"{year}"))
    for c in changes.changed:
        same = c.old_text == c.new_text
        b.add(
            [
                para(f"<b>{text(c.ref)}</b>", CELL),
                para(text("; ".join(c.what)), CELL),
                para("<i>samma lydelse</i>", CELL_SMALL) if same else Long(c.old_text, CELL_SMALL),
                Long(c.new_text, CELL_SMALL),
            ]
        )
        removed, added = c.removed_measures, c.added_measures
        for i in range(max(len(removed), len(added))):
            b.add(
                [
                    "",
                    "",
                    _measure_piece(removed, i),
                    _measure_piece(added, i),
                ],
                joined=True,
                divider=(2, 3),
            )
    return b.table([13 * mm, 35 * mm, half, half])


def _measure_piece(texts: tuple[str, ...], index: int) -> Cell:
    return Long(texts[index], CELL_SMALL, before="<i>Åtgärd:</i> ") if index < len(texts) else ""


def carry_table(lines: Sequence[CarryForward]) -> Table:
    b = _Builder(_head("Ref", "Risk", "Skäl"))
    for c in lines:
        b.add([para(f"<b>{text(c.ref)}</b>", CELL), Long(c.text, CELL), para(text(c.why), CELL)])
    return b.table([13 * mm, 95 * mm, BODY_WIDTH - 108 * mm])


# -- appendix: the whole register (landscape) ----------------------------------------------

REGISTER_WIDTHS = (14 * mm, 30 * mm, 62 * mm, 10 * mm, 80 * mm, 33 * mm, 12 * mm, 12 * mm)


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
        )
    )
    for r in lines:
        measures = r.measures
        first = measures[0] if measures else None
        start = b.add(
            [
                para(f"<b>{text(r.ref)}</b>", CELL_SMALL),
                para(text(r.area), CELL_SMALL),
                Long(r.text, CELL_SMALL, before="Regionövergripande: " if r.region_wide else ""),
                para(r.requirement or "–", QUARTER),
                _register_measure(first, 1) if first else para("<i>inga</i>", CELL_SMALL),
                para(roles_markup(first.roles, widths[5] - 6, ROLE), ROLE) if first else "",
                para(assessment_label(r.brutto), QUARTER),
                para(assessment_label(r.year_end), QUARTER),
                para(r.status.value, CELL_SMALL),
            ]
        )
        end = start
        for number, m in enumerate(measures[1:], start=2):
            roles = para(roles_markup(m.roles, widths[5] - 6, ROLE), ROLE)
            end = b.add(
                ["", "", "", "", _register_measure(m, number), roles, "", "", ""],
                joined=True,
                divider=(4, 5),
            )
        rows = (start[0], end[1])
        if r.brutto_level is not None:
            b.fill(6, rows, tint(matrix.levels[r.brutto_level].colour, 0.55))
        if r.year_end_level is not None:
            b.fill(7, rows, tint(matrix.levels[r.year_end_level].colour, 0.55))
    return b.table(widths)


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
