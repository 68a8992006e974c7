"""The delår follow-up report as one accessible, self-contained HTML file (``report
uppföljning --format html``): the ``FollowUpReport`` record on the same HTML base as the
ISK-bedömning (``html_doc``), with its coverage, tally and avvikelse tables shared.
Decides nothing about content; the same record gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from riskreg.domain.followup import FollowUpReport, RiskFollowUp
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
from riskreg.report.html_doc import (
    Cell,
    Classed,
    Markup,
    doc_footer,
    doc_header,
    document,
    em,
    heading,
    join,
    level_fill,
    note,
    para,
    paras,
    ref_cell,
    strong,
    swatch,
    table,
    tag,
)
from riskreg.report.isk_html import coverage_table, deviations_table, tally_table
from riskreg.report.isk_texts import EXAMPLE_BANNER, EXAMPLE_NOTE
from riskreg.report.words import data_source


def render_followup_html(report: FollowUpReport) -> bytes:
    """The report as UTF-8 HTML bytes."""
    label = report.period.label
    parts: list[str | Markup] = [heading(1, report.title), para(subtitle(report), "muted")]
    if report.example_data:
        parts.append(note(para([strong("Exempeldata. "), EXAMPLE_NOTE]), "example"))
    if not report.reviewed:
        parts.append(note(para(NOT_REVIEWED)))
    parts += [heading(2, "1 Sammanfattning"), paras(report.summary)]
    parts += [_state(report), _highest(report), _deviations(report), _areas(report)]
    body = [
        doc_header(
            report.committee,
            [f"Uppföljning av internkontrollplanen {label}"],
            [f"Dnr: {report.dnr or 'saknas'}", "Underlag till delårsrapport"],
        ),
        tag("main", parts),
        doc_footer(data_source(report.as_of), report.example_data),
    ]
    return document(
        f"{report.title} – {report.committee}",
        body,
        description=f"Uppföljning av internkontrollplanen {label} för {report.committee}",
        banner=EXAMPLE_BANNER if report.example_data else None,
    )


def _state(report: FollowUpReport) -> Markup:
    status, severity = followup_tallies(report)
    label = report.period.label
    parts: list[str | Markup] = [
        heading(2, "2 Uppföljningens läge"),
        coverage_table(report.coverage, report.year),
        tally_table(f"Åtgärdernas status {label}", "Status", status),
        tally_table(
            f"Avvikelser {report.period.label} efter allvarlighet", "Allvarlighet", severity
        ),
    ]
    if report.pending:
        parts.append(note([para(strong("Inte fullständigt uppföljt")), paras(report.pending)]))
    return join(parts)


def _highest(report: FollowUpReport) -> Markup:
    top = report.top_level.lower()
    head = heading(2, f"3 Risker på nivån {top}")
    if not report.highest:
        return join([head, para(f"Ingen risk ligger på nivån {top}.")])
    return join(
        [
            head,
            para(HIGHEST_INTRO),
            table(
                f"Risker på nivån {top} {report.period.label} och vad som görs",
                ["Ref", "Risk", "Netto och förändring", "Vad som görs"],
                [
                    [
                        ref_cell(r.ref),
                        r.text,
                        _netto(r, report),
                        doing_text(r, r.area),
                    ]
                    for r in report.highest
                ],
            ),
        ]
    )


def _deviations(report: FollowUpReport) -> Markup:
    head = heading(2, "4 Avvikelser")
    label = report.period.label
    if not report.deviations:
        return join([head, para(f"Inga avvikelser registrerades {label}.")])
    return join([head, deviations_table(report.deviations, f"Avvikelser {label}")])


def _areas(report: FollowUpReport) -> Markup:
    parts: list[str | Markup] = [
        heading(2, "5 Uppföljning per verksamhet"),
        para(AREAS_INTRO),
    ]
    for area in report.areas:
        parts += [
            heading(3, area_line(area)),
            _risk_table(f"{area.name} {report.period.label}", area.risks, report),
        ]
    return join(parts)


def _netto(risk: RiskFollowUp, report: FollowUpReport) -> Cell:
    """The netto with its level in words (``netto_text``), the level's colour beside it."""
    shown: list[str | Markup] = [strong(netto_text(risk, report))]
    fill = None
    if risk.level is not None:
        colour = report.matrix.levels[risk.level].colour
        shown.insert(0, swatch(colour))
        fill = level_fill(colour)
    return Cell([*shown, Markup("<br>"), change_text(risk, report)], fill=fill)


def _risk_table(caption: str, risks: Sequence[RiskFollowUp], report: FollowUpReport) -> Markup:
    return table(
        caption,
        ["Ref", "Risk och åtgärder", "Ansvariga", "Status i perioden", "Netto och förändring"],
        _risk_rows(risks, report),
    )


def _risk_rows(risks: Sequence[RiskFollowUp], report: FollowUpReport) -> Iterator[Classed]:
    for risk in risks:
        note = acceptance_text(risk)
        accepted = [Markup("<br>"), em(note)] if note else []
        yield Classed(
            [
                ref_cell(risk.ref),
                Cell([strong(risk.text), *accepted]),
                "",
                risk_state(risk, report),
                _netto(risk, report),
            ],
            "risk",
        )
        for number, m in enumerate(risk.measures, start=1):
            label = m.status_label
            status = label if m.status else tag("span", label, class_="missing")
            comment = [Markup("<br>"), em(comment_text(m))] if m.comment else []
            what = [m.text, Markup("<br>"), tag("span", m.kind_label, class_="muted"), *comment]
            yield Classed(
                [
                    Cell(f"{number}.", header=True),
                    Cell(what),
                    ", ".join(m.roles) if m.roles else em("ej angiven"),
                    Cell(status),
                    "",
                ],
                "measure",
            )
        if not risk.measures:
            none = Cell(em("Inga åtgärder att följa upp i perioden."), span=4)
            yield Classed([Cell("", header=True), none], "measure")
