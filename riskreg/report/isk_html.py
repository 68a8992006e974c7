"""The ISK-bedömning as one accessible, self-contained HTML file (``report isk --format
html``): the same ``IskReport`` record as the PDF, section for section, for publishing
(WCAG 2.1 AA: headings in order, tables with captions and header cells, the heat maps as
data tables with the level written in every cell, colour only beside text).

Lays the record out and decides nothing about content; the shared document frame, CSS
and table helpers are ``html_doc``. The same record gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from riskreg.domain.isk import Coverage, Finding, KeyFigures, Tally
from riskreg.domain.isk_content import (
    AreaSection,
    Changes,
    DeviationLine,
    HeatMap,
    IskReport,
    MeasureLine,
    PeriodCell,
    RiskLine,
)
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import Assessment
from riskreg.domain.register import TREND_RULE
from riskreg.domain.scales import MeasureKind, MeasureStatus
from riskreg.report.html_doc import (
    Cell,
    Classed,
    Markup,
    bullets,
    doc_footer,
    doc_header,
    document,
    em,
    esc,
    facts,
    heading,
    join,
    level_fill,
    level_label,
    note,
    para,
    paras,
    ref_cell,
    strong,
    table,
    tag,
)
from riskreg.report.isk_texts import (
    ACCEPTED_INTRO,
    CARRY_INTRO,
    CONSEQUENCES_TEXT,
    ECONOMY_TEXT,
    EDITORIAL_NOTE,
    EXAMPLE_BANNER,
    EXAMPLE_NOTE,
    FOLLOW_UP_TEXT,
    GAPS_NOTE,
    HEAT_MAPS_INTRO,
    MATRIX_NOTE,
    brutto_netto_text,
    complete_note,
    method_text,
    per_area_intro,
)
from riskreg.report.words import (
    MISSING,
    RESULT_WORD,
    TREND_WORD,
    data_source,
    figure_rows,
    risk_notes,
)

NOT_GIVEN = "ej angivet"


def render_isk_html(report: IskReport) -> bytes:
    """The report as UTF-8 HTML bytes."""
    fields = report.conclusion.fields
    body = [
        header(report),
        tag("main", [_memo(report), _assessment(report), _register(report)]),
        doc_footer(data_source(report.as_of), report.example_data),
    ]
    return document(
        f"{report.title} – {report.committee}",
        body,
        description=f"ISK-bedömning {report.year} för {report.committee}"
        + (f", dnr {fields.dnr or report.dnr}" if report.dnr else ""),
        banner=EXAMPLE_BANNER if report.example_data else None,
    )


def header(report: IskReport) -> Markup:
    meeting = report.conclusion.fields.meeting_date
    return doc_header(
        report.committee,
        [f"ISK-bedömning {report.year}"],
        [
            f"Dnr: {report.dnr or 'saknas'}",
            f"FöredragningsPM {meeting.isoformat()}" if meeting else "FöredragningsPM",
        ],
    )


def _given(value: str | None, missing: str = NOT_GIVEN) -> Markup:
    return esc(value) if value else em(missing)


# -- the FöredragningsPM -------------------------------------------------------------------


def _memo(report: IskReport) -> Markup:
    fields = report.conclusion.fields
    meeting = fields.meeting_date
    parts: list[str | Markup] = [
        facts(
            [
                ("Tjänsteställe, handläggare", _given(report.handler_text, "ej angiven")),
                ("Handling", strong("FöredragningsPM")),
                ("Dnr", _given(report.dnr)),
                ("Sammanträdesdatum", _given(meeting.isoformat() if meeting else None)),
                ("Organ", strong(report.committee)),
            ]
        )
    ]
    if report.example_data:
        parts.append(note(para([strong("Exempeldata. "), EXAMPLE_NOTE]), "example"))
    if report.missing_fields:
        parts.append(
            note(
                para(
                    [
                        strong("Utkast. "),
                        "Följande uppgifter saknas ännu och sätts med ",
                        em("riskreg isk set"),
                        ": " + ", ".join(report.missing_fields) + ".",
                    ]
                )
            )
        )
    parts += [
        heading(1, report.title),
        heading(2, "Förslag till beslut"),
        para(report.decision_intro),
        paras(report.proposal),
        heading(2, "Sammanfattning"),
        paras(report.summary),
        heading(2, "Konsekvenser för miljö-, barn- och jämställdhetsperspektiven"),
        para(CONSEQUENCES_TEXT),
        heading(2, "Ekonomiska konsekvenser"),
        para(ECONOMY_TEXT),
        heading(2, "Uppföljning"),
        para(FOLLOW_UP_TEXT),
        heading(2, "Beslutsunderlag"),
        para(f"FöredragningsPM {meeting.isoformat() if meeting else ''}".strip()),
        para(f"{report.title}, med bilaga: riskregistret {report.year}"),
    ]
    if report.log_anchor is not None:
        seq, digest = report.log_anchor
        parts.append(
            para(
                [
                    f"Underlaget bygger på riskregs ändringslogg till och med post {seq}, "
                    f"SHA-256 {digest}. Att loggen är oförändrad kontrolleras med ",
                    em("riskreg audit verify"),
                    ".",
                ],
                "muted",
            )
        )
    parts += [
        para(_given(report.handler_text, "ej angiven")),
        heading(3, "Skickas till"),
        bullets(fields.send_to) if fields.send_to else para(em(NOT_GIVEN)),
    ]
    return tag("section", parts, aria_label="FöredragningsPM")


# -- the assessment ------------------------------------------------------------------------


def _assessment(report: IskReport) -> Markup:
    parts: list[str | Markup] = [
        heading(2, report.title),
        para(_subtitle(report), "muted"),
        _grade(report),
        _key_figures(report),
        _method(report),
        _heat_maps(report),
        _per_area(report),
        _deviations(report),
        _accepted(report),
        _changes(report),
        _carry_forward(report),
    ]
    return tag("section", parts, class_="part", aria_label="Bedömning")


def _subtitle(report: IskReport) -> str:
    adopted = f" {report.adopted_on.isoformat()}" if report.adopted_on else ""
    as_of = f" · uppgifterna avser läget {report.as_of.isoformat()}" if report.as_of else ""
    return (
        f"{report.committee} · internkontrollplan {report.year} "
        f"({report.plan_status.value}{adopted}){as_of}"
    )


def _grade(report: IskReport) -> Markup:
    fields = report.conclusion.fields
    suggestion = report.suggestion
    box: list[str | Markup] = []
    if report.grade is not None:
        box += [
            para("Den interna styrningen och kontrollen har under året varit"),
            para(report.grade.label, "grade-value"),
        ]
    else:
        box += [
            para(strong("Betyget är ännu inte fastställt.")),
            para(
                [
                    "Registrets uppgifter ger förslaget ",
                    strong(suggestion.grade.value),
                    "; controllern beslutar betyget med ",
                    em("riskreg isk set"),
                    ".",
                ]
            ),
        ]
    meeting = fields.meeting_date
    box.append(
        para(
            [
                "Bedömningen är beredd av ",
                _given(report.handler_text, "handläggare ej angiven"),
                f" och lämnas till {report.committee}"
                + (f" för beslut {meeting.isoformat()}." if meeting else "."),
            ],
            "muted",
        )
    )
    parts: list[str | Markup] = [heading(3, "1 Bedömning"), note(box, "grade")]
    if fields.motivation:
        parts += [heading(4, "Motivering"), paras(fields.motivation.split("\n\n"))]
    parts += [heading(4, "Omfattning"), para(report.scope), *_governance(report)]
    overruled = (
        f" Det fastställda betyget ({report.grade.value}) avviker från förslaget; "
        "motiveringen ovan anger varför."
        if report.overruled and report.grade is not None
        else ""
    )
    parts += [
        heading(4, "Föreslaget betyg enligt registrets uppgifter"),
        para(["Förslag: ", strong(suggestion.grade.value), "." + overruled]),
        _findings(suggestion.findings),
        heading(4, "Regeln bakom förslaget"),
        paras(report.rule, "rule-text"),
    ]
    return join(parts)


def _governance(report: IskReport) -> list[str | Markup]:
    """Intern styrning (krav a–b): the controller's account, or clearly marked missing."""
    head = heading(4, "Intern styrning (krav a–b)")
    if report.governance is None:
        return [head, note(para(report.governance_missing))]
    return [head, paras(report.governance.split("\n\n"))]


def _findings(findings: Sequence[Finding]) -> Markup:
    return table(
        "Kriterierna för det föreslagna betyget",
        ["Kriterium", "Utfall", "Ger högst"],
        [[Cell(f.criterion, header=True), f.observed, f.cap.label] for f in findings],
    )


# -- key figures ---------------------------------------------------------------------------


def _key_figures(report: IskReport) -> Markup:
    f = report.figures
    statements = report.coverage.statements()
    parts: list[str | Markup] = [
        heading(3, "2 Nyckeltal"),
        _figures(f),
        tally_table(
            "Åtgärdernas status vid årets sista uppföljning",
            "Status",
            [(t.label, t.count) for t in f.measures_by_status],
        ),
        tally_table(
            "Avvikelser efter allvarlighet",
            "Allvarlighet",
            [(t.label, t.count) for t in f.deviations_by_severity],
        ),
        heading(4, "Uppföljningens fullständighet"),
        coverage_table(report.coverage, report.year),
    ]
    if statements:
        parts.append(
            note(
                [
                    para(strong("Det här saknas i uppföljningen")),
                    paras(statements),
                    para(GAPS_NOTE),
                ]
            )
        )
    else:
        parts.append(para(complete_note(report.coverage.kind), "muted"))
    return join(parts)


def _figures(f: KeyFigures) -> Markup:
    rows = figure_rows(f)
    return table(
        "Nyckeltal för planåret",
        ["Nyckeltal", "Antal", "Därav"],
        [[Cell(label, header=True), Cell(n, class_="num"), more] for label, n, more in rows],
    )


def tally_table(title: str, label: str, tallies: Sequence[tuple[str, int]]) -> Markup:
    total = sum(count for _, count in tallies)
    rows: list[list[Cell | str | Markup]] = [
        [Cell(name[:1].upper() + name[1:], header=True), Cell(str(count), class_="num")]
        for name, count in tallies
    ]
    rows.append([Cell("Summa", header=True), Cell(strong(str(total)), class_="num")])
    return table(title, [label, "Antal"], rows)


def coverage_table(coverage: Coverage, year: int) -> Markup:
    rows: list[list[Cell | str | Markup]] = []
    for q in coverage.periods:
        state = "fullständig" if q.complete else ("ej uppföljd" if q.empty else "ofullständig")
        rows.append(
            [
                Cell(q.kind.label(year, q.number), header=True),
                f"{q.risks_reviewed} av {q.risks_expected}",
                f"{q.measures_reviewed} av {q.measures_expected}",
                "ja" if q.locked else "nej",
                state if q.complete else strong(state),
            ]
        )
    return table(
        f"Uppföljningen per {coverage.kind.value} {year}",
        [
            coverage.kind.capitalised,
            "Risker bedömda",
            "Åtgärder uppföljda",
            "Perioden låst",
            "Läge",
        ],
        rows,
    )


# -- method and heat maps ------------------------------------------------------------------


def _method(report: IskReport) -> Markup:
    m = report.matrix
    likelihood = ", ".join(f"{i} {label}" for i, label in enumerate(m.likelihood_labels, 1))
    consequence = ", ".join(f"{i} {label}" for i, label in enumerate(m.consequence_labels, 1))
    return join(
        [
            heading(3, "3 Metod"),
            para(method_text(likelihood, consequence)),
            para(brutto_netto_text(report.coverage.kind)),
            para(TREND_RULE),
            para(report.working_definition),
            matrix_table(m, f"Riskmatrisen för {report.year}: riskvärde och nivå per cell"),
            para(MATRIX_NOTE, "muted"),
        ]
    )


def matrix_table(m: RiskMatrix, caption: str) -> Markup:
    rows, cols = m.size
    body = []
    for s in range(rows, 0, -1):
        row: list[Cell | str | Markup] = [Cell(f"{s} {m.likelihood_labels[s - 1]}", header=True)]
        for k in range(1, cols + 1):
            level = m.level(s, k)
            row.append(
                Cell(
                    [f"{s}×{k} = {s * k}", Markup("<br>"), level_label(level.name, level.colour)],
                    fill=level_fill(level.colour),
                )
            )
        body.append(row)
    head = ["Sannolikhet / konsekvens"] + [
        f"{k} {m.consequence_labels[k - 1]}" for k in range(1, cols + 1)
    ]
    return table(caption, head, body)


def _heat_maps(report: IskReport) -> Markup:
    f = report.figures
    return join(
        [
            heading(3, "4 Riskkartor"),
            para(HEAT_MAPS_INTRO),
            level_table(report.matrix, f.brutto_by_level, f.netto_by_level),
            heat_table(report.brutto_map, report.matrix),
            heat_table(report.netto_map, report.matrix),
        ]
    )


def level_table(m: RiskMatrix, brutto: Sequence[Tally], netto: Sequence[Tally]) -> Markup:
    """The colour legend with the number of risks per level."""
    by_b = {t.label: t.count for t in brutto}
    by_n = {t.label: t.count for t in netto}
    rows: list[list[Cell | str | Markup]] = [
        [
            Cell(level_label(lv.name, lv.colour), header=True, fill=level_fill(lv.colour)),
            Cell(str(by_b.get(lv.name, 0)), class_="num"),
            Cell(str(by_n.get(lv.name, 0)), class_="num"),
        ]
        for lv in reversed(m.levels)
    ]
    rows.append(
        [
            Cell("Ej bedömd", header=True),
            Cell(str(brutto[-1].count), class_="num"),
            Cell(str(netto[-1].count), class_="num"),
        ]
    )
    return table("Färgförklaring: antal risker per nivå", ["Nivå", "Brutto", "Netto"], rows)


def heat_table(heat: HeatMap, m: RiskMatrix) -> Markup:
    """Rows sannolikhet (highest first), columns konsekvens; every cell names its level and
    its risks, so nothing depends on the colour."""
    rows, cols = m.size
    body = []
    for s in range(rows, 0, -1):
        row: list[Cell | str | Markup] = [
            Cell(f"Sannolikhet {s} {m.likelihood_labels[s - 1]}", header=True)
        ]
        for k in range(1, cols + 1):
            level = m.level(s, k)
            refs = heat.cell(s, k).refs
            shown = (
                f"{len(refs)} {'risk' if len(refs) == 1 else 'risker'}: {', '.join(refs)}"
                if refs
                else "inga risker"
            )
            row.append(
                Cell(
                    [
                        level_label(level.name, level.colour),
                        Markup("<br>"),
                        tag("span", shown, class_="refs"),
                    ],
                    fill=level_fill(level.colour),
                )
            )
        body.append(row)
    head = ["Sannolikhet \\ konsekvens"] + [
        f"Konsekvens {k} {m.consequence_labels[k - 1]}" for k in range(1, cols + 1)
    ]
    parts: list[str | Markup] = [
        table(f"{heat.title}: nivå och risker per cell", head, body, class_="heat")
    ]
    if heat.unassessed:
        parts.append(
            para(f"Ej bedömda ({len(heat.unassessed)}): {', '.join(heat.unassessed)}", "muted")
        )
    return join(parts)


# -- per verksamhet ------------------------------------------------------------------------


def _per_area(report: IskReport) -> Markup:
    parts: list[str | Markup] = [
        heading(3, "5 Uppföljning per verksamhet"),
        para(per_area_intro(report.coverage.kind)),
    ]
    for area in report.areas:
        parts += [
            heading(4, area.name),
            area_table(area, report.matrix, report.year, report.coverage.kind),
        ]
    return join(parts)


def area_table(area: AreaSection, m: RiskMatrix, year: int, kind: PeriodKind) -> Markup:
    count = len(area.risks)
    return table(
        f"{area.name}: {count} {'risk' if count == 1 else 'risker'}, nettorisk och åtgärdernas "
        f"status per {kind.value} {year}",
        [
            "Ref",
            "Risk och åtgärder",
            "Ansvarig",
            *(kind.heading(n) for n in kind.numbers),
            "Trend",
        ],
        _area_rows(area, m, kind),
    )


def _area_rows(area: AreaSection, m: RiskMatrix, kind: PeriodKind) -> Iterator[Classed]:
    for risk in area.risks:
        yield Classed(_risk_row(risk, m, kind), "risk")
        for number, measure in enumerate(risk.measures, start=1):
            yield Classed(_measure_row(measure, number), "measure")
        if not risk.measures:
            none = Cell(em("Risken har inga åtgärder i planen."), span=kind.per_year + 3)
            yield Classed([Cell("", header=True), none], "measure")


def netto_cell(value: Assessment | None, level: int | None, m: RiskMatrix) -> Cell:
    if value is None or level is None:
        return Cell(tag("span", MISSING, class_="missing"))
    lv = m.levels[level]
    return Cell([value.label, " ", level_label(lv.name, lv.colour)], fill=level_fill(lv.colour))


def _risk_row(risk: RiskLine, m: RiskMatrix, kind: PeriodKind) -> list[Cell | str | Markup]:
    return [
        ref_cell(risk.ref),
        Cell([strong(risk.text), Markup("<br>"), tag("span", risk_notes(risk), class_="muted")]),
        f"Netto per {kind.value}",
        *(netto_cell(a, lv, m) for a, lv in zip(risk.netto, risk.netto_levels, strict=True)),
        TREND_WORD[risk.trend] if risk.trend else "–",
    ]


def _measure_row(measure: MeasureLine, number: int) -> list[Cell | str | Markup]:
    prefix = "Regionövergripande åtgärd: " if measure.region_wide else ""
    return [
        Cell(f"{number}.", header=True),
        Cell(
            [
                f"{prefix}{measure.text}",
                Markup("<br>"),
                tag("span", measure.kind_label, class_="muted"),
            ]
        ),
        ", ".join(measure.roles) if measure.roles else em("ej angiven"),
        *period_cells(measure),
        "",
    ]


def period_cells(measure: MeasureLine) -> list[Cell]:
    """Status per period; after a one-off åtgärd is done or one utgår, "–"."""
    out = []
    finished = False
    for cell in measure.periods:
        out.append(_period_cell(cell, finished))
        if cell is not None and (
            cell.status is MeasureStatus.DROPPED
            or (cell.status is MeasureStatus.DONE and measure.kind is MeasureKind.ONE_OFF)
        ):
            finished = True
    return out


def _period_cell(cell: PeriodCell | None, finished: bool) -> Cell:
    if cell is None:
        return Cell("–") if finished else Cell(tag("span", MISSING, class_="missing"))
    words = [cell.status.value]
    if cell.result is not None:
        words.append(RESULT_WORD[cell.result])
    if cell.severity is not None:
        words[-1] = f"avvikelse: {cell.severity.value}"
    return Cell(", ".join(words))


# -- avvikelser, acceptanser, förändringar, inför nästa år ---------------------------------


def _deviations(report: IskReport) -> Markup:
    parts: list[str | Markup] = [heading(3, "6 Avvikelser")]
    if not report.deviations:
        return join([*parts, para(f"Inga avvikelser registrerades under {report.year}.")])
    return join(
        [
            *parts,
            para(
                f"Avvikelser som registrerats vid uppföljningen under {report.year}, de "
                "allvarligaste först."
            ),
            deviations_table(report.deviations, f"Avvikelser {report.year}"),
        ]
    )


def deviations_table(lines: Sequence[DeviationLine], caption: str) -> Markup:
    rows: list[list[Cell | str | Markup]] = [
        [
            Cell(d.severity.value, header=True),
            d.ref,
            d.period.label,
            Cell(
                [d.description]
                + ([Markup("<br>"), em("Kommentar: "), d.comment] if d.comment else [])
            ),
            d.measure,
        ]
        for d in lines
    ]
    return table(
        caption,
        ["Allvarlighet", "Ref", "Period", "Avvikelse", "Åtgärd där den upptäcktes"],
        rows,
    )


def _accepted(report: IskReport) -> Markup:
    parts: list[str | Markup] = [heading(3, "7 Accepterade risker")]
    if not report.accepted:
        return join([*parts, para("Ingen risk är accepterad; alla risker hanteras med åtgärder.")])
    rows: list[list[Cell | str | Markup]] = [
        [
            ref_cell(a.ref),
            a.text,
            a.by,
            a.reason,
            a.until.isoformat() if a.until else "tills vidare",
            netto_cell(a.year_end, a.year_end_level, report.matrix),
        ]
        for a in report.accepted
    ]
    return join(
        [
            *parts,
            para(ACCEPTED_INTRO),
            table(
                f"Accepterade risker {report.year}",
                ["Ref", "Risk", "Accepterad av", "Motivering", "Till och med", "Netto"],
                rows,
            ),
        ]
    )


def _brief(caption: str, rows: Sequence[tuple[str, str, str]]) -> Markup:
    return table(
        caption,
        ["Ref", "Verksamhet", "Risk"],
        [[ref_cell(ref), area, text] for ref, area, text in rows],
    )


def _changes(report: IskReport) -> Markup:
    changes = report.changes
    revisions: list[str | Markup] = []
    if report.revisions:
        revisions = [
            heading(4, f"Revideringar av planen för {report.year}"),
            paras(report.revisions),
        ]
    if changes is None:
        return join(
            [
                heading(3, "8 Förändringar sedan föregående plan"),
                para("Det finns ingen tidigare plan för nämnden att jämföra med."),
                *revisions,
            ]
        )
    prev = changes.previous_year
    parts: list[str | Markup] = [
        heading(3, f"8 Förändringar sedan planen för {prev}"),
        para(changes.summary()),
    ]
    if changes.new:
        parts += [
            heading(4, "Nya risker"),
            _brief(f"Nya risker {report.year}", [(r.ref, r.area, r.text) for r in changes.new]),
        ]
    if changes.dropped:
        title = f"Risker som inte finns med {report.year}"
        parts += [
            heading(4, title),
            _brief(title, [(r.ref, r.area, r.text) for r in changes.dropped]),
        ]
    if changes.changed:
        parts += [heading(4, "Ändrade risker"), _changed(changes, report.year)]
    if changes.editorial:
        parts += [
            heading(4, "Redaktionella ändringar"),
            para(EDITORIAL_NOTE, "muted"),
            table(
                f"Redaktionella ändringar, lydelse {changes.previous_year} och {report.year}",
                ["Ref", "Redaktionell ändring", f"{changes.previous_year}", f"{report.year}"],
                [[ref_cell(e.ref), e.what, e.old_text, e.new_text] for e in changes.editorial],
            ),
        ]
    return join(parts + revisions)


def _changed(changes: Changes, year: int) -> Markup:
    rows: list[list[Cell | str | Markup]] = []
    for c in changes.changed:
        old: list[str | Markup] = [em("samma lydelse") if c.old_text == c.new_text else c.old_text]
        new: list[str | Markup] = [c.new_text]
        old += [join([Markup("<br>"), em("Åtgärd: "), t]) for t in c.removed_measures]
        new += [join([Markup("<br>"), em("Åtgärd: "), t]) for t in c.added_measures]
        rows.append([ref_cell(c.ref), "; ".join(c.what), Cell(old), Cell(new)])
    return table(
        f"Ändrade risker, lydelse {changes.previous_year} och {year}",
        ["Ref", "Ändring", f"{changes.previous_year}", f"{year}"],
        rows,
    )


def _carry_forward(report: IskReport) -> Markup:
    parts: list[str | Markup] = [heading(3, f"9 Inför planen för {report.year + 1}")]
    if not report.carry_forward:
        return join(
            [*parts, para("Inga risker behöver särskilt föras vidare enligt uppföljningen.")]
        )
    return join(
        [
            *parts,
            para(CARRY_INTRO),
            table(
                f"Risker att föra vidare till {report.year + 1}",
                ["Ref", "Risk", "Skäl"],
                [[ref_cell(c.ref), c.text, c.why] for c in report.carry_forward],
            ),
        ]
    )


# -- bilaga: the register ------------------------------------------------------------------


def _register(report: IskReport) -> Markup:
    parts: list[str | Markup] = [
        heading(2, f"Bilaga. Riskregistret {report.year}"),
        para(
            f"Samtliga {report.risk_count} risker i internkontrollplanen för {report.year}, per "
            "verksamhet, med åtgärder, ansvariga roller, bruttorisk och nettorisk vid årets "
            "sista bedömning."
        ),
    ]
    for area in report.areas:
        parts += [heading(3, area.name), _register_table(area, report.matrix, report.year)]
    return tag("section", parts, class_="bilaga", aria_label="Bilaga: riskregistret")


def _register_table(area: AreaSection, m: RiskMatrix, year: int) -> Markup:
    rows: list[list[Cell | str | Markup]] = []
    for r in area.risks:
        measures: list[str | Markup] = []
        for number, measure in enumerate(r.measures, start=1):
            prefix = "Regionövergripande åtgärd: " if measure.region_wide else ""
            roles = ", ".join(measure.roles) if measure.roles else em("ej angiven")
            measures.append(
                tag(
                    "li",
                    [
                        f"{number}. {prefix}{measure.text} ",
                        tag("span", ["(", roles, ")"], class_="muted"),
                    ],
                )
            )
        rows.append(
            [
                ref_cell(r.ref),
                ("Regionövergripande: " if r.region_wide else "") + r.text,
                r.requirement or "–",
                tag("ul", measures, class_="plain") if measures else em("inga"),
                _level_cell(r.brutto, r.brutto_level, m),
                _level_cell(r.year_end, r.year_end_level, m),
                r.status.value,
            ]
        )
    return table(
        f"Riskregistret {year}: {area.name}",
        ["Ref", "Risk", "Krav", "Åtgärder (ansvariga roller)", "Brutto", "Netto", "Status"],
        rows,
    )


def _level_cell(value: Assessment | None, level: int | None, m: RiskMatrix) -> Cell:
    if value is None or level is None:
        return Cell("–")
    lv = m.levels[level]
    return Cell([value.label, Markup("<br>"), lv.name], fill=level_fill(lv.colour))
