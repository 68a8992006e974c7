"""The ISK-bedömning PDF: the nämnd's FöredragningsPM followed by the assessment and, in
landscape, the whole register.

``render_isk`` lays out an ``IskReport`` record; it decides nothing about content. Pages
carry the nämnd, year and dnr in the header and "Sida x av y" in the footer (the page frame
is ``report.pages``). ``invariant=True`` keeps the bytes identical for identical data.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterator
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass, replace
from datetime import date
from enum import Enum
from functools import partial

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from riskreg.domain.isk_content import IskReport, RiskLine
from riskreg.domain.register import TREND_RULE
from riskreg.report import heatmap, tables
from riskreg.report.fonts import REGULAR, register_fonts, unprintable
from riskreg.report.isk_texts import (
    ACCEPTED_INTRO,
    CARRY_INTRO,
    CONSEQUENCES_TEXT,
    ECONOMY_TEXT,
    EDITORIAL_NOTE,
    FOLLOW_UP_TEXT,
    GAPS_NOTE,
    HEAT_MAPS_INTRO,
    MATRIX_NOTE,
    complete_note,
    per_area_intro,
)
from riskreg.report.pages import (
    NumberedCanvas,
    PageHeader,
    Progress,
    Rendered,
    ReportDocument,
)
from riskreg.report.pdfmeta import OutlineEntry, PdfMeta
from riskreg.report.styles import (
    BODY,
    BODY_TIGHT,
    BODY_WIDTH,
    GRADE,
    H1,
    H2,
    H3,
    LABEL,
    NOTE,
    RULE_TEXT,
    SMALL,
    SMALL_MUTED,
    TITLE,
    VALUE,
    VALUE_BOLD,
    para,
    plain,
    text,
)
from riskreg.report.words import data_source


class Part(Enum):
    """What one file holds: the whole report, or one of the two handlingar a registrator
    files apart (``--delar``): the PM with the assessment, and the bilaga (the register)."""

    WHOLE = "hela"
    MEMO = "pm"
    APPENDIX = "bilaga"


def render_isk(
    report: IskReport, progress: Progress | None = None, part: Part = Part.WHOLE
) -> Rendered:
    """The report (or one ``part`` of it) as PDF/A bytes; ``progress`` is told each
    finished page number. Pages are numbered within the file."""
    register_fonts()
    buffer = io.BytesIO()
    doc = _Document(buffer, report, progress, part)
    # The heap only grows during a build (finished pages are kept until the file is
    # written), so full collections would rescan ever more objects and make a long report
    # quadratic. Young collections still run; what exists now is frozen meanwhile.
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], 1_000_000)
    # Binary (not ASCII85) streams: a smaller file, written faster. ReportLab only has a
    # global switch for it, so set it for this build and put it back.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(_story(report, part), canvasmaker=NumberedCanvas)
    finally:
        rl_config.useA85 = a85
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    # Imported here: pikepdf is needed only once the pages exist.
    from riskreg.report.pdfa import finish_pdfa

    return Rendered(
        finish_pdfa(buffer.getvalue(), pdf_meta(report, part, tuple(doc.outline))),
        doc.page,
        tuple(unprintable(_strings(report))),
    )


def _strings(value: object) -> Iterator[str]:
    """Every text in a content record (dataclasses, tuples, enums), for ``unprintable``."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Enum):
        yield str(value.value)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in dataclass_fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


APPENDIX_TITLE = "Bilaga. Riskregistret {year}"


def pdf_meta(
    report: IskReport, part: Part = Part.WHOLE, outline: tuple[OutlineEntry, ...] = ()
) -> PdfMeta:
    """What the archive reads about the report (see ``report.pdfa``)."""
    title = f"{report.title} – {report.committee}"
    if part is Part.APPENDIX:
        title = f"{APPENDIX_TITLE.format(year=report.year)} – {title}"
    return PdfMeta(
        title=title,
        outline=outline,
        author=report.handler_text or report.committee,
        subject=f"ISK-bedömning {report.year} (Kommunallagen 6 kap. 6 §)",
        created=report.document_time,
        committee=report.committee,
        dnr=report.dnr,
        keywords=("ISK-bedömning", "intern kontroll", str(report.year)),
    )


# -- document and pages --------------------------------------------------------------------


class _Document(ReportDocument):
    def __init__(
        self, target: io.BytesIO, report: IskReport, progress: Progress | None, part: Part
    ) -> None:
        fields = report.conclusion.fields
        meeting = f" {fields.meeting_date.isoformat()}" if fields.meeting_date else ""
        super().__init__(
            target,
            PageHeader(
                organ=report.committee,
                document=f"ISK-bedömning {report.year}",
                dnr=f"Dnr: {report.dnr or 'saknas'}",
                handling=f"FöredragningsPM{meeting}",
                # The register's pages say Bilaga, not FöredragningsPM.
                wide_handling=f"Bilaga till FöredragningsPM{meeting}",
                footer=data_source(report.as_of),
                example=report.example_data,
            ),
            progress=progress,
            wide_first=part is Part.APPENDIX,
            title=f"{report.title} – {report.committee}",
            author=fields.handler or report.committee,
            subject=f"ISK-bedömning {report.year} för {report.committee} "
            "(Kommunallagen 6 kap. 6 §)",
            keywords=["ISK-bedömning", "intern kontroll", report.committee, str(report.year)],
        )

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        """Build deferred tables as the layout reaches them, also the one a heading is
        kept with (headings have ``keepWithNext``)."""
        i = 0
        while i < len(flowables):
            if isinstance(flowables[i], _Deferred):
                flowables[i] = flowables[i].make()
                continue
            if not flowables[i].getKeepWithNext():
                return
            i += 1


# -- the story -----------------------------------------------------------------------------


def _story(report: IskReport, part: Part) -> list[Flowable]:
    if part is Part.APPENDIX:
        return _register(report)
    story: list[Flowable] = []
    story += _memo(report)
    story.append(PageBreak())
    story += _assessment(report)
    story += _key_figures(report)
    story += _method(report)
    story += _heat_maps(report)
    story += _per_area(report)
    story += _deviations(report)
    story += _accepted(report)
    story += _changes(report)
    story += _carry_forward(report)
    if part is Part.WHOLE:
        story += [NextPageTemplate("wide"), PageBreak()]
        story += _register(report)
    return story


def _iso(value: date | None, missing: str = "ej angivet") -> str:
    return value.isoformat() if value else f"<i>{missing}</i>"


def _memo(report: IskReport) -> list[Flowable]:
    """The FöredragningsPM frame, as in the nämnd's own documents."""
    fields = report.conclusion.fields
    handler = text(report.handler_text) if report.handler_text else "<i>ej angiven</i>"
    block = Table(
        [
            [para("Tjänsteställe, handläggare", LABEL), para("<b>FöredragningsPM</b>", VALUE_BOLD)],
            [
                para(handler, VALUE),
                para(f"Dnr: {text(report.dnr) if report.dnr else '<i>ej angivet</i>'}", VALUE),
            ],
            [para("Sammanträdesdatum", LABEL), para("Organ", LABEL)],
            [
                para(_iso(fields.meeting_date), VALUE),
                para(f"<b>{text(report.committee)}</b>", VALUE_BOLD),
            ],
        ],
        colWidths=[BODY_WIDTH * 0.55, BODY_WIDTH * 0.45],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 2), (-1, 2), 7),
            ]
        ),
        hAlign="LEFT",
    )
    out: list[Flowable] = [block, Spacer(1, 6 * mm)]
    if report.example_data:
        out += [
            tables.note_box(
                [
                    para(
                        "<b>Exempeldata.</b> Uppföljningarna, avvikelserna och bedömningen i "
                        "detta dokument har lagts in med <i>riskreg seed --exempel</i> för att "
                        "visa hur rapporten ser ut. De beskriver inte verkliga förhållanden.",
                        NOTE,
                    )
                ],
                fill="#fbe3e1",
                edge="#b3261e",
            ),
            Spacer(1, 3 * mm),
        ]
    if report.missing_fields:
        out += [
            tables.note_box(
                [
                    para(
                        "<b>Utkast.</b> Följande uppgifter saknas ännu och sätts med "
                        "<i>riskreg isk set</i>: " + ", ".join(report.missing_fields) + ".",
                        NOTE,
                    )
                ]
            ),
            Spacer(1, 3 * mm),
        ]
    out += [
        para(text(report.title), TITLE),
        para("Förslag till beslut", H2),
        para(text(report.decision_intro), BODY),
        *[plain(line, BODY) for line in report.proposal],
        para("Sammanfattning", H2),
        *[plain(p, BODY) for p in report.summary],
        para("Konsekvenser för miljö-, barn- och jämställdhetsperspektiven", H2),
        para(CONSEQUENCES_TEXT, BODY),
        para("Ekonomiska konsekvenser", H2),
        para(ECONOMY_TEXT, BODY),
        para("Uppföljning", H2),
        para(FOLLOW_UP_TEXT, BODY),
    ]
    meeting = fields.meeting_date.isoformat() if fields.meeting_date else ""
    out.append(
        KeepTogether(
            [
                para("Beslutsunderlag", H2),
                para(f"FöredragningsPM {meeting}".strip(), BODY_TIGHT),
                para(f"{text(report.title)}, med bilaga: riskregistret {report.year}", BODY),
                *_anchor(report),
                Spacer(1, 8 * mm),
                para(handler, BODY_TIGHT),
                Spacer(1, 6 * mm),
                para("Skickas till:", H3),
                *(
                    [plain(r, BODY_TIGHT) for r in fields.send_to]
                    or [para("<i>ej angivet</i>", BODY_TIGHT)]
                ),
            ]
        )
    )
    return out


def _anchor(report: IskReport) -> list[Flowable]:
    """The log entry the report's data reaches, so the filed copy anchors the log."""
    if report.log_anchor is None:
        return []
    seq, digest = report.log_anchor
    return [
        para(
            f"Underlaget bygger på riskregs ändringslogg till och med post {seq}, "
            f"SHA-256 {digest}. Att loggen är oförändrad kontrolleras med "
            "<i>riskreg audit verify</i>.",
            SMALL_MUTED,
        )
    ]


def _heading(number: str, title: str) -> list[Flowable]:
    return [CondPageBreak(35 * mm), para(f"{number} {title}", H1)]


def _assessment(report: IskReport) -> list[Flowable]:
    fields = report.conclusion.fields
    suggestion = report.suggestion
    out: list[Flowable] = [
        para(text(report.title), TITLE),
        para(
            f"{text(report.committee)} · internkontrollplan {report.year} "
            f"({report.plan_status.value}"
            + (f" {report.adopted_on.isoformat()}" if report.adopted_on else "")
            + ")"
            + (f" · uppgifterna avser läget {report.as_of.isoformat()}" if report.as_of else ""),
            SMALL_MUTED,
        ),
        Spacer(1, 3 * mm),
        *_heading("1", "Bedömning"),
    ]
    if report.grade is not None:
        box: list[Flowable] = [
            para("Den interna styrningen och kontrollen har under året varit", SMALL),
            para(report.grade.label, GRADE),
        ]
    else:
        box = [
            para("<b>Betyget är ännu inte fastställt.</b>", BODY_TIGHT),
            para(
                f"Registrets uppgifter ger förslaget <b>{suggestion.grade.value}</b>; "
                "controllern beslutar betyget med <i>riskreg isk set</i>.",
                BODY_TIGHT,
            ),
        ]
    who = text(report.handler_text) if report.handler_text else "<i>handläggare ej angiven</i>"
    box.append(
        para(
            f"Bedömningen är beredd av {who} och lämnas till {text(report.committee)}"
            + (f" för beslut {fields.meeting_date.isoformat()}." if fields.meeting_date else "."),
            SMALL_MUTED,
        )
    )
    out += [tables.note_box(box, fill="#eef2f7", edge="#1f3a5f"), Spacer(1, 3 * mm)]
    if fields.motivation:
        # Outside the box: a motivation may be longer than a page.
        out += [para("Motivering", H3), *[plain(p, BODY) for p in fields.motivation.split("\n\n")]]
    out += [para("Omfattning", H3), plain(report.scope, BODY), *_governance(report)]
    out += [
        para("Föreslaget betyg enligt registrets uppgifter", H2),
        para(
            f"Förslag: <b>{suggestion.grade.value}</b>."
            + (
                f" Det fastställda betyget ({report.grade.value}) avviker från förslaget; "
                "motiveringen ovan anger varför."
                if report.overruled and report.grade is not None
                else ""
            ),
            BODY,
        ),
        tables.findings_table(suggestion.findings),
        para("Regeln bakom förslaget", H3),
        *[para(text(line), RULE_TEXT) for line in report.rule],
    ]
    return out


def _governance(report: IskReport) -> list[Flowable]:
    """Intern styrning (krav a–b): the controller's account, or clearly marked missing."""
    head = para("Intern styrning (krav a–b)", H3)
    if report.governance is None:
        missing = tables.note_box([plain(report.governance_missing, NOTE)])
        return [KeepTogether([head, missing]), Spacer(1, 3 * mm)]
    return [head, *[plain(p, BODY) for p in report.governance.split("\n\n")]]


def _key_figures(report: IskReport) -> list[Flowable]:
    f = report.figures
    out: list[Flowable] = [
        CondPageBreak(60 * mm),
        KeepTogether([para("2 Nyckeltal", H1), tables.figures_table(f)]),
        Spacer(1, 4 * mm),
    ]
    half = (BODY_WIDTH - 6 * mm) / 2
    status = tables.tally_table(
        "Åtgärdernas status vid årets sista uppföljning",
        [(t.label, t.count) for t in f.measures_by_status],
        half,
    )
    severity = tables.tally_table(
        "Avvikelser efter allvarlighet",
        [(t.label, t.count) for t in f.deviations_by_severity],
        half,
    )
    out += [heatmap.side_by_side(status, severity, BODY_WIDTH), Spacer(1, 2 * mm)]
    out += [
        para("Uppföljningens fullständighet", H2),
        tables.coverage_table(report.coverage, report.year),
    ]
    statements = report.coverage.statements()
    if statements:
        out += [
            Spacer(1, 3 * mm),
            tables.note_box(
                [para("<b>Det här saknas i uppföljningen</b>", NOTE)]
                + [para(text(s), NOTE) for s in statements]
                + [para(GAPS_NOTE, NOTE)]
            ),
        ]
    else:
        out.append(para(complete_note(report.coverage.kind), SMALL_MUTED))
    return out


def _method(report: IskReport) -> list[Flowable]:
    m = report.matrix
    likelihood = ", ".join(f"{i} {text(label)}" for i, label in enumerate(m.likelihood_labels, 1))
    consequence = ", ".join(f"{i} {text(label)}" for i, label in enumerate(m.consequence_labels, 1))
    return [
        *_heading("3", "Metod"),
        para(
            "Varje risk bedöms efter <b>sannolikhet</b> och <b>konsekvens</b>. "
            f"Sannolikhet: {likelihood}. Konsekvens: {consequence}. Riskvärdet är sannolikhet "
            "× konsekvens, men riskens nivå och färg bestäms av cellen i riskmatrisen, så att en "
            "allvarlig konsekvens kan väga tyngre än en hög sannolikhet.",
            BODY,
        ),
        para(
            "<b>Bruttorisk</b> är risken utan åtgärder och sätts när risken förs in i planen. "
            "<b>Nettorisk</b> är risken med åtgärderna på plats och bedöms på nytt vid varje "
            f"{report.coverage.kind.review_word}. Vid uppföljningen anges också status för varje "
            "åtgärd (ej påbörjad, pågående, genomförd, ej genomförd, utgår), resultatet av "
            "återkommande kontroller (utan anmärkning, med avvikelse, ej utförd) och avvikelser "
            "med allvarlighetsgrad (liten, måttlig, allvarlig).",
            BODY,
        ),
        para(TREND_RULE, BODY),
        plain(report.working_definition, BODY),
        KeepTogether(
            [
                para(f"Riskmatrisen för {report.year}", H3),
                heatmap.method_matrix(m, BODY_WIDTH),
                Spacer(1, 2 * mm),
                para(MATRIX_NOTE, SMALL_MUTED),
            ]
        ),
    ]


def _heat_maps(report: IskReport) -> list[Flowable]:
    out: list[Flowable] = [
        CondPageBreak(110 * mm),
        para("4 Riskkartor", H1),
        para(HEAT_MAPS_INTRO, BODY),
    ]
    map_width = BODY_WIDTH - 58 * mm
    legend = [
        para("Färgförklaring", H3),
        heatmap.level_table(
            report.matrix, report.figures.brutto_by_level, report.figures.netto_by_level
        ),
    ]
    for index, heat in enumerate((report.brutto_map, report.netto_map)):
        block: list[Flowable] = [
            para(text(heat.title), H3),
            heatmap.heat_table(heat, report.matrix, map_width),
        ]
        if heat.unassessed:
            refs = ", ".join(heat.unassessed[:20]) + (
                f" med flera ({len(heat.unassessed)} totalt)" if len(heat.unassessed) > 20 else ""
            )
            block.append(para(f"Ej bedömda ({len(heat.unassessed)}): {text(refs)}", SMALL_MUTED))
        beside: list[Flowable] = legend if index == 0 else []
        out += [
            KeepTogether([heatmap.beside(block, beside, map_width, BODY_WIDTH)]),
            Spacer(1, 3 * mm),
        ]
    return out


def _per_area(report: IskReport) -> list[Flowable]:
    out: list[Flowable] = [
        PageBreak(),
        para("5 Uppföljning per verksamhet", H1),
        para(per_area_intro(report.coverage.kind), BODY),
        tables.status_legend(),
        Spacer(1, 2 * mm),
    ]
    for area in report.areas:
        count = len(area.risks)
        out += [
            CondPageBreak(45 * mm),
            para(
                f"{text(area.name)} <font size=8 color='#5b6470'>"
                f"({count} {'risk' if count == 1 else 'risker'})</font>",
                H2,
            ),
            *(
                _Deferred(
                    partial(
                        tables.area_table,
                        replace(area, risks=part),
                        report.matrix,
                        report.coverage.kind,
                    )
                )
                for part in _parts(area.risks)
            ),
        ]
    return out


def _deviations(report: IskReport) -> list[Flowable]:
    out = _heading("6", "Avvikelser")
    if not report.deviations:
        return [*out, para(f"Inga avvikelser registrerades under {report.year}.", BODY)]
    return [
        *out,
        para(
            f"Avvikelser som registrerats vid uppföljningen under {report.year}, de allvarligaste "
            "först.",
            BODY,
        ),
        tables.deviations_table(report.deviations),
    ]


def _accepted(report: IskReport) -> list[Flowable]:
    out = _heading("7", "Accepterade risker")
    if not report.accepted:
        return [*out, para("Ingen risk är accepterad; alla risker hanteras med åtgärder.", BODY)]
    return [
        *out,
        para(ACCEPTED_INTRO, BODY),
        tables.accepted_table(report.accepted, report.matrix),
    ]


def _revisions(report: IskReport) -> list[Flowable]:
    if not report.revisions:
        return []
    return [
        CondPageBreak(30 * mm),
        para(f"Revideringar av planen för {report.year}", H3),
        *(para(text(line), BODY) for line in report.revisions),
    ]


def _changes(report: IskReport) -> list[Flowable]:
    changes = report.changes
    if changes is None:
        return [
            *_heading("8", "Förändringar sedan föregående plan"),
            para("Det finns ingen tidigare plan för nämnden att jämföra med.", BODY),
            *_revisions(report),
        ]
    prev = changes.previous_year
    out = [
        *_heading("8", f"Förändringar sedan planen för {prev}"),
        plain(changes.summary(), BODY),
    ]
    if changes.new:
        out += [
            CondPageBreak(30 * mm),
            para("Nya risker", H3),
            tables.brief_table([(r.ref, r.area, r.text) for r in changes.new]),
        ]
    if changes.dropped:
        out += [
            CondPageBreak(30 * mm),
            para(f"Risker som inte finns med {report.year}", H3),
            tables.brief_table([(r.ref, r.area, r.text) for r in changes.dropped]),
        ]
    if changes.changed:
        out += [
            CondPageBreak(30 * mm),
            para("Ändrade risker", H3),
            tables.changed_table(changes, report.year),
        ]
    if changes.editorial:
        out += [
            CondPageBreak(30 * mm),
            para("Redaktionella ändringar", H3),
            para(EDITORIAL_NOTE, SMALL_MUTED),
            tables.editorial_table(changes, report.year),
        ]
    return out + _revisions(report)


def _carry_forward(report: IskReport) -> list[Flowable]:
    out = _heading("9", f"Inför planen för {report.year + 1}")
    if not report.carry_forward:
        return [*out, para("Inga risker behöver särskilt föras vidare enligt uppföljningen.", BODY)]
    return [
        *out,
        para(CARRY_INTRO, BODY),
        tables.carry_table(report.carry_forward),
    ]


def _register(report: IskReport) -> list[Flowable]:
    out: list[Flowable] = [
        para(APPENDIX_TITLE.format(year=report.year), H1),
        para(
            f"Samtliga {report.risk_count} risker i internkontrollplanen för {report.year}, per "
            "verksamhet, med åtgärder, ansvariga roller, bruttorisk och nettorisk vid årets "
            "sista bedömning.",
            BODY,
        ),
    ]
    for area in report.areas:
        out += [
            CondPageBreak(30 * mm),
            para(text(area.name), H3),
            *(
                _Deferred(partial(tables.register_table, part, report.matrix))
                for part in _parts(area.risks)
            ),
        ]
    return out


# ReportLab rebuilds the rest of a table, rows and style commands, at every page break, so
# one table for a verksamhet of hundreds of risks would lay out in quadratic time. Such a
# verksamhet gets a new table (with its header) every TABLE_RISKS risks; ordinary plans
# never reach it.
TABLE_RISKS = 30


def _parts(risks: tuple[RiskLine, ...]) -> list[tuple[RiskLine, ...]]:
    return [risks[i : i + TABLE_RISKS] for i in range(0, len(risks), TABLE_RISKS)] or [risks]


class _Deferred(Flowable):  # type: ignore[misc]
    """Stands in for flowables that are built only when the layout reaches them and
    dropped once laid out, so a 2,000-risk register never holds all its tables at once."""

    def __init__(self, make: Callable[[], Flowable]) -> None:
        super().__init__()
        self.make = make

    def wrap(self, _w: float, _h: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        return None


__all__ = ["Rendered", "render_isk"]
