"""The delår follow-up report as PDF (``report uppföljning``): the ``FollowUpReport`` record
laid out on the same page frame, styles and shared tables as the ISK-bedömning.

Decides nothing about content. Sections: summary, the follow-up's state per quarter,
risks at the highest level and what is done about them, avvikelser, and per verksamhet
every risk's netto with its change and every åtgärd's status in the period.
"""

from __future__ import annotations

import io

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from riskreg.domain.followup import FollowUpReport, RiskFollowUp
from riskreg.report import heatmap, tables
from riskreg.report.followup_texts import (
    AREAS_INTRO,
    HIGHEST_INTRO,
    NOT_REVIEWED,
    acceptance_text,
    area_line,
    change_text,
    comment_text,
    doing_text,
    followup_tallies,
    netto_text,
    risk_state,
    subtitle,
)
from riskreg.report.fonts import register_fonts
from riskreg.report.isk_texts import EXAMPLE_NOTE
from riskreg.report.pages import NumberedCanvas, PageHeader, Rendered, ReportDocument
from riskreg.report.pdfmeta import PdfMeta
from riskreg.report.styles import (
    BODY,
    BODY_WIDTH,
    CELL_HEAD,
    H1,
    HEAD_BG,
    NOTE,
    RISK_BG,
    SMALL_MUTED,
    TITLE,
    hex_colour,
    para,
    plain,
    table_style,
    text,
    tint,
)
from riskreg.report.styles import CELL as CELL_ISK
from riskreg.report.styles import CELL_BOLD as CELL_BOLD_ISK
from riskreg.report.tables import MUTED_HEX
from riskreg.report.words import data_source

# The report's cells: the ISK tables' sizes and fonts, set a little closer (two to four
# pages is what a nämnd reads at the delårsrapport).
CELL = ParagraphStyle("followup-cell", parent=CELL_ISK, leading=8.7)
CELL_BOLD = ParagraphStyle("followup-cell-bold", parent=CELL_BOLD_ISK, leading=8.7)


def render_followup(report: FollowUpReport) -> Rendered:
    """The report as PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    doc = ReportDocument(
        buffer,
        PageHeader(
            organ=report.committee,
            document=f"Uppföljning av internkontrollplanen {report.period.label}",
            dnr=f"Dnr: {report.dnr or 'saknas'}",
            handling="Underlag till delårsrapport",
            footer=data_source(report.as_of),
            example=report.example_data,
        ),
        title=f"{report.title} – {report.committee}",
        author=report.committee,
        subject=f"Uppföljning av internkontrollplanen {report.period.label} för {report.committee}",
        keywords=["internkontrollplan", "uppföljning", report.committee, report.period.label],
    )
    doc.build(_story(report), canvasmaker=NumberedCanvas)
    from riskreg.report.pdfa import finish_pdfa  # pikepdf: only when a file is finished

    meta = PdfMeta(
        title=f"{report.title} – {report.committee}",
        author=report.committee,
        subject=f"Uppföljning av internkontrollplanen {report.period.label}",
        created=report.document_time,
        committee=report.committee,
        dnr=report.dnr,
        keywords=("internkontrollplan", "uppföljning", report.period.label),
        outline=tuple(doc.outline),
    )
    return Rendered(finish_pdfa(buffer.getvalue(), meta), doc.page)


def _story(report: FollowUpReport) -> list[Flowable]:
    story: list[Flowable] = [
        para(text(report.title), TITLE),
        para(text(subtitle(report)), SMALL_MUTED),
        Spacer(1, 3 * mm),
    ]
    if report.example_data:
        story += [
            tables.note_box(
                [para(f"<b>Exempeldata.</b> {text(EXAMPLE_NOTE)}", NOTE)],
                fill="#fbe3e1",
                edge="#b3261e",
            ),
            Spacer(1, 3 * mm),
        ]
    if not report.reviewed:
        story += [tables.note_box([para(text(NOT_REVIEWED), NOTE)]), Spacer(1, 3 * mm)]
    story += [para("1 Sammanfattning", H1), *[plain(p, BODY) for p in report.summary]]
    story += _state(report)
    story += _highest(report)
    story += _deviations(report)
    story += _areas(report)
    return story


def _state(report: FollowUpReport) -> list[Flowable]:
    half = (BODY_WIDTH - 6 * mm) / 2
    status, severity = followup_tallies(report)
    out: list[Flowable] = [
        CondPageBreak(60 * mm),
        para("2 Uppföljningens läge", H1),
        tables.coverage_table(report.coverage, report.year),
        Spacer(1, 3 * mm),
        heatmap.side_by_side(
            tables.tally_table(f"Åtgärdernas status {report.period.label}", status, half),
            tables.tally_table("Avvikelser efter allvarlighet", severity, half),
            BODY_WIDTH,
        ),
    ]
    if report.pending:
        out += [
            Spacer(1, 3 * mm),
            tables.note_box(
                [para("<b>Inte fullständigt uppföljt</b>", NOTE)]
                + [plain(line, NOTE) for line in report.pending]
            ),
        ]
    return out


def _highest(report: FollowUpReport) -> list[Flowable]:
    title = f"3 Risker på nivån {report.top_level.lower()}"
    if not report.highest:
        return [
            CondPageBreak(30 * mm),
            para(text(title), H1),
            para(f"Ingen risk ligger på nivån {text(report.top_level.lower())}.", BODY),
        ]
    return [
        CondPageBreak(40 * mm),
        para(text(title), H1),
        para(text(HIGHEST_INTRO), BODY),
        _highest_table(report),
    ]


def _highest_table(report: FollowUpReport) -> Table:
    data: list[list[object]] = [
        [
            para(label, CELL_HEAD)
            for label in ("Ref", "Risk", "Netto och förändring", "Vad som görs")
        ]
    ]
    style: list[tuple[object, ...]] = [*table_style(1)]
    for risk in report.highest:
        data.append(
            [
                para(f"<b>{text(risk.ref)}</b>", CELL),
                para(text(risk.text), CELL),
                _netto(risk, report),
                para(text(doing_text(risk, risk.area)), CELL),
            ]
        )
        _fill_level(style, risk, report, 2, len(data) - 1)
    widths = [13 * mm, 62 * mm, 34 * mm, BODY_WIDTH - 109 * mm]
    return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(style), hAlign="LEFT")


def _netto(risk: RiskFollowUp, report: FollowUpReport) -> list[Flowable]:
    return [
        para(text(netto_text(risk, report)), CELL_BOLD),
        para(text(change_text(risk, report)), CELL),
    ]


def _fill_level(
    style: list[tuple[object, ...]], risk: RiskFollowUp, report: FollowUpReport, col: int, row: int
) -> None:
    if risk.level is not None:
        fill = tint(report.matrix.levels[risk.level].colour, 0.55)
        style.append(("BACKGROUND", (col, row), (col, row), fill))


def _deviations(report: FollowUpReport) -> list[Flowable]:
    head = [CondPageBreak(30 * mm), para("4 Avvikelser", H1)]
    if not report.deviations:
        return [*head, para(f"Inga avvikelser registrerades {report.period.label}.", BODY)]
    return [*head, tables.deviations_table(report.deviations)]


def _areas(report: FollowUpReport) -> list[Flowable]:
    """One table for all verksamheter (a heading row each), so short verksamheter do not
    each cost a heading and a header row."""
    rows = _Rows(report)
    for area in report.areas:
        rows.area(text(area_line(area)))
        for risk in area.risks:
            rows.risk(risk)
    return [
        CondPageBreak(40 * mm),
        para("5 Uppföljning per verksamhet", H1),
        para(text(AREAS_INTRO), BODY),
        rows.table(),
    ]


WIDTHS = (12 * mm, BODY_WIDTH - 12 * mm - 30 * mm - 41 * mm, 30 * mm, 41 * mm)
_MISSING = hex_colour("#f5cfcb")


class _Rows:
    """Each risk (netto and its change) followed by its åtgärder (status in the period,
    responsible roles under the text)."""

    def __init__(self, report: FollowUpReport) -> None:
        self.report = report
        self.data: list[list[object]] = [
            [
                para("Ref", CELL_HEAD),
                para("Risk och åtgärder (ansvariga)", CELL_HEAD),
                para("Status i perioden", CELL_HEAD),
                para("Netto och förändring", CELL_HEAD),
            ]
        ]
        # Tighter rows than the ISK register's: the report is read on two to four pages.
        self.style: list[tuple[object, ...]] = [
            *table_style(1),
            ("TOPPADDING", (0, 1), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5),
        ]
        self._heading: int | None = None

    def area(self, title: str) -> None:
        row = len(self.data)
        self._heading = row
        self.data.append([para(title, CELL_HEAD), "", "", ""])
        self.style += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), HEAD_BG)]

    def risk(self, risk: RiskFollowUp) -> None:
        report = self.report
        row = len(self.data)
        accepted = acceptance_text(risk)
        self.data.append(
            [
                para(f"<b>{text(risk.ref)}</b>", CELL),
                [para(text(risk.text), CELL_BOLD)]
                + ([para(f"<i>{text(accepted)}</i>", CELL)] if accepted else []),
                para(text(risk_state(risk, report)), CELL),
                _netto(risk, report),
            ]
        )
        self.style.append(("BACKGROUND", (0, row), (2, row), RISK_BG))
        _fill_level(self.style, risk, report, 3, row)
        for number, m in enumerate(risk.measures, start=1):
            # Åtgärder without a role are counted in the ISK report's key figures; here
            # only the roles there are, to keep the report short.
            roles = (
                f" <font color='{MUTED_HEX}'>({'; '.join(text(r) for r in m.roles)})</font>"
                if m.roles
                else ""
            )
            self.data.append(
                [
                    "",
                    para(
                        f"{number}. {text(m.text)}{roles}"
                        + (f" <i>{text(comment_text(m))}</i>" if m.comment else ""),
                        CELL,
                    ),
                    para(text(m.status_label), CELL),
                    "",
                ]
            )
            if m.status is None:
                at = len(self.data) - 1
                self.style.append(("BACKGROUND", (2, at), (2, at), _MISSING))
        if not risk.measures:
            self.data.append(["", para("<i>Inga åtgärder att följa upp i perioden.</i>", CELL)])
            self.data[-1] += ["", ""]
        # A verksamhet's heading row, the risk and its first åtgärd stay on one page.
        start = self._heading if self._heading is not None else row
        self.style.append(("NOSPLIT", (0, start), (-1, row + 1)))
        self._heading = None

    def table(self) -> Table:
        return Table(
            self.data,
            colWidths=list(WIDTHS),
            repeatRows=1,
            style=TableStyle(self.style),
            hAlign="LEFT",
        )
