"""The ISK-bedömning's content: ``build_content`` turns plan snapshots and the stored
conclusion into an ``IskReport`` record holding every figure, grouping, sort order and
sentence the PDF shows, so the renderer only lays it out and tests check the content
directly. Pure Python, like the rest of the domain.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from difflib import SequenceMatcher

from riskreg.domain.errors import InvalidInput
from riskreg.domain.isk import (
    GOVERNANCE_MISSING,
    SCOPE_TEXT,
    WORKING_TEXT,
    ConclusionFields,
    Coverage,
    Grade,
    IskConclusion,
    KeyFigures,
    PeriodCoverage,
    Suggestion,
    Tally,
    carried_out,
    ref_list,
    rule_text,
    sentence,
    suggest,
    working,
    year_end_review,
    year_end_status,
)
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import (
    Acceptance,
    Assessment,
    PeriodRef,
    PlanInfo,
    PlanMeasure,
    PlanRisk,
    PlanSnapshot,
    Revision,
    Trend,
)
from riskreg.domain.register import level_of, local_date, period_scope, trend
from riskreg.domain.scales import (
    ControlResult,
    Frequency,
    MeasureKind,
    MeasureStatus,
    PlanStatus,
    RiskStatus,
    Severity,
)
from riskreg.domain.text import count_of, percent, swedish_key


@dataclass(frozen=True)
class PeriodCell:
    """An åtgärd's follow-up in one period."""

    status: MeasureStatus
    result: ControlResult | None
    severity: Severity | None


@dataclass(frozen=True)
class MeasureLine:
    text: str
    region_wide: bool
    kind: MeasureKind
    frequency: Frequency | None
    roles: tuple[str, ...]
    periods: tuple[PeriodCell | None, ...]  # the plan year's periods, 1 first
    carried_out: bool
    counted: bool  # False when it was dropped (utgår)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind, self.frequency)


def kind_label(kind: MeasureKind, frequency: Frequency | None) -> str:
    """ "Engångsåtgärd", or "Återkommande kontroll, månadsvis"."""
    if kind is MeasureKind.RECURRING:
        return f"Återkommande kontroll, {frequency}" if frequency else "Återkommande"
    return "Engångsåtgärd"


@dataclass(frozen=True)
class RiskLine:
    ref: str
    area: str
    text: str
    region_wide: bool
    requirement: str | None
    status: RiskStatus
    acceptance: Acceptance | None
    brutto: Assessment | None
    brutto_level: int | None
    netto: tuple[Assessment | None, ...]  # Q1..Q4 of the plan year
    netto_levels: tuple[int | None, ...]
    year_end: Assessment | None  # the latest netto of the plan year
    year_end_level: int | None
    trend: Trend | None
    measures: tuple[MeasureLine, ...]


@dataclass(frozen=True)
class AreaSection:
    name: str
    risks: tuple[RiskLine, ...]


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    consequence: int
    level: int
    refs: tuple[str, ...]


@dataclass(frozen=True)
class HeatMap:
    title: str
    cells: tuple[HeatCell, ...]  # every cell of the matrix, sannolikhet-major
    unassessed: tuple[str, ...]  # refs with no assessment

    def cell(self, likelihood: int, consequence: int) -> HeatCell:
        return next(
            c for c in self.cells if (c.likelihood, c.consequence) == (likelihood, consequence)
        )

    @property
    def assessed(self) -> int:
        return sum(len(c.refs) for c in self.cells)


@dataclass(frozen=True)
class DeviationLine:
    ref: str
    area: str
    measure: str
    period: PeriodRef
    severity: Severity
    description: str
    comment: str


@dataclass(frozen=True)
class AcceptedLine:
    ref: str
    area: str
    text: str
    by: str
    reason: str
    until: date | None
    year_end: Assessment | None
    year_end_level: int | None
    expired: bool = False  # ``Acceptance.expired`` on the report's day (``_judged_on``)


@dataclass(frozen=True)
class ChangedRisk:
    ref: str
    area: str
    old_text: str
    new_text: str
    what: tuple[str, ...]
    added_measures: tuple[str, ...] = ()
    removed_measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class BriefRisk:
    ref: str
    area: str
    text: str


@dataclass(frozen=True)
class EditorialChange:
    """A text whose words stayed the same (only punctuation, spacing or case changed): a
    redaktionell ändring, shown but not counted as a change."""

    ref: str
    what: str  # "risktext" or "åtgärd"
    old_text: str
    new_text: str


@dataclass(frozen=True)
class Changes:
    previous_year: int
    new: tuple[BriefRisk, ...]
    dropped: tuple[BriefRisk, ...]
    changed: tuple[ChangedRisk, ...]
    unchanged: int  # including risks with only editorial changes
    editorial: tuple[EditorialChange, ...] = ()

    def summary(self) -> str:
        """The section's opening sentence, counted the Swedish way."""
        text = (
            f"Jämfört med internkontrollplanen för {self.previous_year} har "
            f"{count_of(len(self.new), 'risk', 'risker')} tillkommit, {len(self.dropped)} "
            f"utgått och {len(self.changed)} ändrats; "
            f"{count_of(self.unchanged, 'är oförändrad', 'är oförändrade')}."
        )
        if self.editorial:
            text += (
                f" {count_of(len(self.editorial), 'text', 'texter')} har bara "
                "redaktionella ändringar (skiljetecken, mellanslag eller versaler); de räknas "
                "inte som ändringar och visas för sig."
            )
        return text


@dataclass(frozen=True)
class CarryForward:
    ref: str
    area: str
    text: str
    why: str


@dataclass(frozen=True)
class IskReport:
    """Everything the ISK-bedömning PDF shows, in order and in Swedish."""

    committee: str
    year: int
    title: str
    plan_status: PlanStatus
    adopted_on: date | None
    dnr: str | None
    matrix: RiskMatrix
    conclusion: IskConclusion
    suggestion: Suggestion
    rule: tuple[str, ...]
    decision_intro: str  # "⟨Nämnden⟩ beslutar"
    proposal: tuple[str, ...]  # "att …" lines
    summary: tuple[str, ...]  # paragraphs
    missing_fields: tuple[str, ...]  # frame data the controller still has to supply
    figures: KeyFigures
    coverage: Coverage
    brutto_map: HeatMap
    netto_map: HeatMap
    areas: tuple[AreaSection, ...]
    deviations: tuple[DeviationLine, ...]
    accepted: tuple[AcceptedLine, ...]
    changes: Changes | None
    carry_forward: tuple[CarryForward, ...]
    register: tuple[RiskLine, ...]
    example_data: bool
    as_of: date | None  # the last review of the plan year
    revisions: tuple[str, ...] = ()  # "Planen reviderad 2024-06-12: …", oldest first
    # The audit chain up to the last entry about this plan year: (number, hash). Printed so
    # that the diarium copy anchors the log (``riskreg audit verify``).
    log_anchor: tuple[int, str] | None = None
    last_review_at: datetime | None = None  # the time behind ``as_of``
    working_definition: str = WORKING_TEXT  # "fungerande åtgärd", printed in Metod
    scope: str = SCOPE_TEXT  # what the evidence covers (krav c–e)

    @property
    def governance(self) -> str | None:
        """The account of intern styrning (krav a–b); None when it is missing (the report
        says so, ``GOVERNANCE_MISSING``)."""
        return self.conclusion.fields.governance.strip() or None

    @property
    def governance_missing(self) -> str:
        """What the report says when ``governance`` is None."""
        return GOVERNANCE_MISSING

    @property
    def handler_text(self) -> str | None:
        """The handläggare by name, beside the role or unit: "Anna Berg, verksamhetscontroller"."""
        f = self.conclusion.fields
        return ", ".join(part for part in (f.handler_name, f.handler) if part.strip()) or None

    @property
    def document_time(self) -> datetime:
        """The document's date for the archive (the PDF's creation date): the latest of the
        last review and the conclusion's last change, so it comes from the data, never the
        clock, and a rebuild gives the same file. A plan with neither is dated by its
        adoption, else by the first day of its year."""
        stamps = [t for t in (self.last_review_at, self.conclusion.updated_at) if t is not None]
        if stamps:
            return max(stamps)
        day = self.adopted_on or date(self.year, 1, 1)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)

    @property
    def grade(self) -> Grade | None:
        return self.conclusion.fields.grade

    @property
    def overruled(self) -> bool:
        return self.grade is not None and self.grade is not self.suggestion.grade

    @property
    def risk_count(self) -> int:
        return len(self.register)


# -- rules on single records ---------------------------------------------------------------


def build_content(
    snapshot: PlanSnapshot,
    conclusion: IskConclusion,
    *,
    previous: PlanSnapshot | None = None,
    log_anchor: tuple[int, str] | None = None,
) -> IskReport:
    """The whole report as a record. Raises ``InvalidInput`` for a plan with no risks."""
    plan = snapshot.plan
    year = plan.year
    if not snapshot.risks:
        raise InvalidInput(
            f"Planen för {year} har inga risker; det finns inget att bedöma i en ISK-bedömning."
        )
    matrix = plan.matrix
    lines = tuple(_risk_line(r, plan, matrix) for r in snapshot.risks)
    register = tuple(sorted(lines, key=lambda r: ref_key(r.ref)))
    by_area: dict[str, list[RiskLine]] = {}
    for line in register:
        by_area.setdefault(line.area, []).append(line)
    areas = tuple(
        AreaSection(name, tuple(risks))
        for name, risks in sorted(by_area.items(), key=lambda kv: swedish_key(kv[0]))
    )

    coverage = coverage_of(snapshot, year)
    figures = _figures(snapshot, register, matrix, year)
    deviations = deviation_lines(snapshot, year)
    suggestion = _suggest(snapshot, register, figures, coverage, deviations)

    fields = conclusion.fields
    dnr = fields.dnr or plan.dnr
    last_review = last_review_at(snapshot, year)
    report = IskReport(
        committee=plan.committee,
        year=year,
        title=f"Bedömning av intern styrning och kontroll {year}",
        plan_status=plan.status,
        adopted_on=plan.adopted_on,
        dnr=dnr,
        matrix=matrix,
        conclusion=conclusion,
        suggestion=suggestion,
        rule=rule_text(plan.period_kind),
        decision_intro=f"{plan.committee} beslutar",
        proposal=_proposal(fields, year),
        summary=(),
        missing_fields=_missing(fields, dnr),
        figures=figures,
        coverage=coverage,
        brutto_map=_heat_map(f"Bruttorisk {year}", register, matrix, brutto=True),
        netto_map=_heat_map(f"Nettorisk vid årets sista bedömning {year}", register, matrix),
        areas=areas,
        deviations=deviations,
        accepted=_accepted(register, _judged_on(fields, year)),
        changes=_changes(previous, snapshot) if previous is not None else None,
        carry_forward=_carry_forward(register, deviations, matrix, year),
        register=register,
        example_data=plan.example_data,
        as_of=last_review.date() if last_review else None,
        revisions=revision_notes(plan.revisions),
        log_anchor=log_anchor,
        last_review_at=last_review,
    )
    return _with_summary(report)


def assess(snapshot: PlanSnapshot) -> Suggestion:
    """The suggested grade of a plan year with the findings behind it."""
    year = snapshot.plan.year
    register = tuple(_risk_line(r, snapshot.plan, snapshot.plan.matrix) for r in snapshot.risks)
    return _suggest(
        snapshot,
        register,
        _figures(snapshot, register, snapshot.plan.matrix, year),
        coverage_of(snapshot, year),
        deviation_lines(snapshot, year),
    )


def _suggest(
    snapshot: PlanSnapshot,
    register: tuple[RiskLine, ...],
    figures: KeyFigures,
    coverage: Coverage,
    deviations: tuple[DeviationLine, ...],
) -> Suggestion:
    year = snapshot.plan.year
    top = len(snapshot.plan.matrix.levels) - 1
    by_ref = {r.ref: r for r in snapshot.risks}
    red = [r for r in register if r.year_end_level == top and r.status is not RiskStatus.CLOSED]
    red_without = tuple(
        r.ref
        for r in red
        if r.status is not RiskStatus.ACCEPTED and not _has_working(by_ref[r.ref], year)
    )
    red_with = tuple(r.ref for r in red if r.ref not in red_without)
    serious = sum(1 for d in deviations if d.severity is Severity.SERIOUS)
    return suggest(figures, coverage, red_without, red_with, serious)


def ref_key(ref: str) -> tuple[str, int, str]:
    head, _, tail = ref.rpartition("-")
    if head and tail.isdigit():
        return swedish_key(head), int(tail), ref
    return swedish_key(ref), 0, ref


def _risk_line(risk: PlanRisk, plan: PlanInfo, matrix: RiskMatrix) -> RiskLine:
    year = plan.year
    netto = tuple(
        review.netto if (review := risk.review_in(plan.period(n))) else None
        for n in plan.period_kind.numbers
    )
    end = year_end_review(risk, year)
    before = risk.previous_review(end.period) if end else None
    return RiskLine(
        ref=risk.ref,
        area=risk.area,
        text=risk.text,
        region_wide=risk.region_wide,
        requirement=risk.requirement.value if risk.requirement else None,
        status=risk.status,
        acceptance=risk.acceptance,
        brutto=risk.brutto,
        brutto_level=level_of(matrix, risk.brutto),
        netto=netto,
        netto_levels=tuple(level_of(matrix, a) for a in netto),
        year_end=end.netto if end else None,
        year_end_level=level_of(matrix, end.netto if end else None),
        trend=trend(matrix, end, before),
        measures=tuple(_measure_line(m, plan) for m in risk.measures),
    )


def _measure_line(measure: PlanMeasure, plan: PlanInfo) -> MeasureLine:
    periods = tuple(
        PeriodCell(r.status, r.result, r.severity)
        if (r := measure.review_in(plan.period(n)))
        else None
        for n in plan.period_kind.numbers
    )
    end = year_end_status(measure, plan.year)
    return MeasureLine(
        text=measure.text,
        region_wide=measure.region_wide,
        kind=measure.kind,
        frequency=measure.frequency,
        roles=measure.roles,
        periods=periods,
        carried_out=carried_out(end, measure.kind),
        counted=not (end is not None and end.status is MeasureStatus.DROPPED),
    )


def _has_working(risk: PlanRisk, year: int) -> bool:
    return any(working(m.kind, year_end_status(m, year)) for m in risk.measures)


def coverage_of(snapshot: PlanSnapshot, year: int) -> Coverage:
    """Per period, what it covered (frozen when it was locked) and what was followed up."""
    periods = []
    for period in sorted(snapshot.plan.periods, key=lambda p: p.number):
        ref = period.ref
        scope = period_scope(snapshot.risks, period)
        missing = tuple(
            sorted((r.ref for r in scope.risks if r.review_in(ref) is None), key=ref_key)
        )
        expected = len(scope.risks)
        periods.append(
            PeriodCoverage(
                number=period.number,
                risks_reviewed=expected - len(missing),
                risks_expected=expected,
                measures_reviewed=sum(1 for _, m in scope.measures if m.review_in(ref)),
                measures_expected=len(scope.measures),
                locked=period.locked,
                missing_risks=missing if len(missing) < expected else (),
                kind=period.kind,
            )
        )
    never = tuple(
        sorted(
            (
                r.ref
                for r in snapshot.risks
                if r.status is not RiskStatus.CLOSED and year_end_review(r, year) is None
            ),
            key=ref_key,
        )
    )
    return Coverage(tuple(periods), never, snapshot.plan.period_kind)


NOT_FOLLOWED_UP = "ej uppföljd"
EXAMPLE_DATA_NOTE = (
    "Observera: uppföljningarna i detta dokument är exempeldata som lagts in för att visa hur "
    "rapporten ser ut. De beskriver inte verkliga förhållanden."
)
NOT_ASSESSED = "ej bedömd"


def _figures(
    snapshot: PlanSnapshot, register: tuple[RiskLine, ...], matrix: RiskMatrix, year: int
) -> KeyFigures:
    measures = [m for r in snapshot.risks for m in r.measures]
    statuses: Counter[str] = Counter()
    for m in measures:
        end = year_end_status(m, year)
        statuses[end.status.value if end else NOT_FOLLOWED_UP] += 1
    lines = [m for r in register for m in r.measures]
    severities: Counter[Severity] = Counter(
        r.severity
        for m in measures
        for r in m.reviews
        if r.period.year == year and r.severity is not None
    )
    return KeyFigures(
        risks=len(register),
        areas=len({r.area for r in register}),
        region_wide=sum(1 for r in register if r.region_wide),
        accepted=sum(1 for r in register if r.status is RiskStatus.ACCEPTED),
        closed=sum(1 for r in register if r.status is RiskStatus.CLOSED),
        measures=len(measures),
        recurring=sum(1 for m in measures if m.kind is MeasureKind.RECURRING),
        without_role=sum(1 for m in measures if not m.roles),
        measures_by_status=tuple(
            Tally(s, statuses[s]) for s in (*(m.value for m in MeasureStatus), NOT_FOLLOWED_UP)
        ),
        carried_out=sum(1 for m in lines if m.carried_out and m.counted),
        counted=sum(1 for m in lines if m.counted),
        deviations_by_severity=tuple(
            Tally(s.value, severities[s]) for s in reversed(list(Severity))
        ),
        brutto_by_level=_by_level(matrix, [r.brutto_level for r in register]),
        netto_by_level=_by_level(matrix, [r.year_end_level for r in register]),
    )


def _by_level(matrix: RiskMatrix, levels: list[int | None]) -> tuple[Tally, ...]:
    counts = Counter(levels)
    tallies = [Tally(lv.name, counts[i]) for i, lv in reversed(list(enumerate(matrix.levels)))]
    return (*tallies, Tally(NOT_ASSESSED, counts[None]))


def _heat_map(
    title: str, register: tuple[RiskLine, ...], matrix: RiskMatrix, *, brutto: bool = False
) -> HeatMap:
    cells: dict[tuple[int, int], list[str]] = {}
    unassessed: list[str] = []
    for line in register:
        value = line.brutto if brutto else line.year_end
        if value is None:
            unassessed.append(line.ref)
        else:
            cells.setdefault((value.likelihood, value.consequence), []).append(line.ref)
    rows, cols = matrix.size
    return HeatMap(
        title=title,
        cells=tuple(
            HeatCell(s, k, matrix.level_index(s, k), tuple(cells.get((s, k), [])))
            for s in range(1, rows + 1)
            for k in range(1, cols + 1)
        ),
        unassessed=tuple(unassessed),
    )


def deviation_lines(
    snapshot: PlanSnapshot, year: int, number: int | None = None
) -> tuple[DeviationLine, ...]:
    """The avvikelser of a plan year (or one of its quarters), the most serious first."""
    found = [
        DeviationLine(
            ref=risk.ref,
            area=risk.area,
            measure=m.text,
            period=r.period,
            severity=r.severity,
            description=r.deviation or "",
            comment=r.comment,
        )
        for risk in snapshot.risks
        for m in risk.measures
        for r in m.reviews
        if r.period.year == year
        and (number is None or r.period.number == number)
        and r.severity is not None
    ]
    order = list(Severity)
    return tuple(sorted(found, key=lambda d: (-order.index(d.severity), d.period, ref_key(d.ref))))


def _judged_on(fields: ConclusionFields, year: int) -> date:
    """The day the report judges acceptances on: the nämnd's meeting, else the plan year's
    last day."""
    return fields.meeting_date or date(year, 12, 31)


def _accepted(register: tuple[RiskLine, ...], on: date) -> tuple[AcceptedLine, ...]:
    return tuple(
        AcceptedLine(
            ref=r.ref,
            area=r.area,
            text=r.text,
            by=r.acceptance.by,
            reason=r.acceptance.reason,
            until=r.acceptance.until,
            year_end=r.year_end,
            year_end_level=r.year_end_level,
            expired=r.acceptance.expired(on),
        )
        for r in register
        if r.status is RiskStatus.ACCEPTED and r.acceptance is not None
    )


_WORDS = re.compile(r"\w+")
REWORDED = 0.8  # how alike (difflib ratio) two åtgärd texts are to be one åtgärd reworded


def _normal(text: str) -> str:
    """A text's words: case, punctuation and spacing do not make a new wording."""
    return " ".join(_WORDS.findall(text.casefold()))


def _editorial(ref: str, what: str, old: list[str], new: list[str]) -> list[EditorialChange]:
    """Texts of ``new`` whose words are those of a text in ``old`` but written otherwise."""
    by_words = {_normal(t): t for t in old}
    exact = set(old)
    return [
        EditorialChange(ref, what, by_words[_normal(t)], t)
        for t in new
        if t not in exact and _normal(t) in by_words
    ]


def _measure_changes(
    old: list[str], new: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """(added, removed, reworded) between two years' åtgärd texts. Texts with the same
    words are the same åtgärd; a text mostly alike (a typo fixed, a phrase changed) is the
    same åtgärd reworded, not one removed and one added."""
    old_words, new_words = {_normal(t) for t in old}, {_normal(t) for t in new}
    left = [t for t in old if _normal(t) not in new_words]
    right = [t for t in new if _normal(t) not in old_words]
    reworded = 0
    for text in list(right):
        alike = [(SequenceMatcher(None, _normal(o), _normal(text)).ratio(), o) for o in left]
        ratio, best = max(alike, default=(0.0, ""))
        if ratio >= REWORDED:
            left.remove(best)
            right.remove(text)
            reworded += 1
    return tuple(right), tuple(left), reworded


def _changes(previous: PlanSnapshot, current: PlanSnapshot) -> Changes:
    before = {r.ref: r for r in previous.risks}
    after = {r.ref: r for r in current.risks}

    def brief(r: PlanRisk) -> BriefRisk:
        return BriefRisk(r.ref, r.area, r.text)

    changed: list[ChangedRisk] = []
    editorial: list[EditorialChange] = []
    unchanged = 0
    for ref in sorted(after.keys() & before.keys(), key=ref_key):
        old, new = before[ref], after[ref]
        what: list[str] = []
        editorial += _editorial(ref, "risktext", [old.text], [new.text])
        editorial += _editorial(
            ref, "åtgärd", [m.text for m in old.measures], [m.text for m in new.measures]
        )
        if _normal(old.text) != _normal(new.text):
            what.append("ny lydelse")
        if old.area != new.area:
            what.append(f"flyttad från {old.area}")
        if old.region_wide != new.region_wide:
            what.append(
                "nu regionövergripande" if new.region_wide else "inte längre regionövergripande"
            )
        if old.brutto != new.brutto and old.brutto is not None and new.brutto is not None:
            what.append(f"bruttorisk {old.brutto.label} → {new.brutto.label}")
        added_texts, removed_texts, reworded = _measure_changes(
            [m.text for m in old.measures], [m.text for m in new.measures]
        )
        added, removed = len(added_texts), len(removed_texts)
        if added or removed or reworded:
            parts = []
            if added:
                parts.append(f"{added} {'ny' if added == 1 else 'nya'}")
            if removed:
                parts.append(f"{removed} {'borttagen' if removed == 1 else 'borttagna'}")
            if reworded:
                parts.append(f"{reworded} {'omformulerad' if reworded == 1 else 'omformulerade'}")
            what.append("åtgärder: " + ", ".join(parts))
        if what:
            changed.append(
                ChangedRisk(
                    ref, new.area, old.text, new.text, tuple(what), added_texts, removed_texts
                )
            )
        else:
            unchanged += 1
    return Changes(
        previous_year=previous.plan.year,
        new=tuple(brief(after[r]) for r in sorted(after.keys() - before.keys(), key=ref_key)),
        dropped=tuple(brief(before[r]) for r in sorted(before.keys() - after.keys(), key=ref_key)),
        changed=tuple(changed),
        unchanged=unchanged,
        editorial=tuple(editorial),
    )


def _carry_forward(
    register: tuple[RiskLine, ...],
    deviations: tuple[DeviationLine, ...],
    matrix: RiskMatrix,
    year: int,
) -> tuple[CarryForward, ...]:
    """Risks the next plan should keep: high netto, unfinished åtgärder, serious findings."""
    high = len(matrix.levels) - 2
    serious = {d.ref for d in deviations if d.severity is not Severity.MINOR}
    out = []
    for r in register:
        if r.status is RiskStatus.CLOSED:
            continue
        why: list[str] = []
        if r.year_end_level is not None and r.year_end_level >= high:
            why.append(
                f"nettorisk {r.year_end.label if r.year_end else ''} "
                f"({matrix.levels[r.year_end_level].name.lower()})"
            )
        open_measures = sum(1 for m in r.measures if m.counted and not m.carried_out)
        if open_measures:
            why.append(
                count_of(open_measures, "åtgärd inte verkställd", "åtgärder inte verkställda")
            )
        if r.ref in serious:
            why.append("avvikelse av betydelse under året")
        if r.acceptance and r.acceptance.until and r.acceptance.until.year <= year + 1:
            why.append(f"acceptansen gäller till {r.acceptance.until.isoformat()}")
        if r.year_end is None:
            why.append("ingen nettobedömning under året")
        if why:
            out.append(CarryForward(r.ref, r.area, r.text, "; ".join(why).capitalize() + "."))
    return tuple(out)


def last_review_at(snapshot: PlanSnapshot, year: int, number: int | None = None) -> datetime | None:
    """When the last review of a plan year (or one of its quarters) was saved."""

    def within(period: PeriodRef) -> bool:
        return period.year == year and (number is None or period.number == number)

    stamps = [r.reviewed_at for risk in snapshot.risks for r in risk.reviews if within(r.period)]
    stamps += [
        r.reviewed_at
        for risk in snapshot.risks
        for m in risk.measures
        for r in m.reviews
        if within(r.period)
    ]
    return max(stamps) if stamps else None


def revision_notes(revisions: tuple[Revision, ...]) -> tuple[str, ...]:
    """One sentence per day and reason: "Planen reviderad 2024-06-12: …. Motivering: …"."""
    groups: dict[tuple[date, str], list[str]] = {}
    for revision in revisions:
        key = (local_date(revision.at), revision.reason)
        groups.setdefault(key, []).append(revision.what.rstrip("."))
    return tuple(
        f"Planen reviderad {day.isoformat()}: {'; '.join(whats)}. Motivering: {reason.rstrip('.')}."
        for (day, reason), whats in groups.items()
    )


def _proposal(fields: ConclusionFields, year: int) -> tuple[str, ...]:
    if fields.proposal.strip():
        return tuple(line.strip() for line in fields.proposal.splitlines() if line.strip())
    grade = fields.grade.value if fields.grade else "…"
    return (
        f"att fastställa bedömningen att den interna styrningen och kontrollen under {year} "
        f"har varit {grade}, samt",
        "att överlämna bedömningen till regionstyrelsen.",
    )


def _missing(fields: ConclusionFields, dnr: str | None) -> tuple[str, ...]:
    missing = []
    if fields.grade is None:
        missing.append("betyg")
    if not fields.handler_name.strip():
        missing.append("handläggarens namn")
    if not fields.handler.strip():
        missing.append("tjänsteställe")
    if not fields.governance.strip():
        missing.append("intern styrning (krav a–b)")
    if fields.meeting_date is None:
        missing.append("sammanträdesdatum")
    if not dnr:
        missing.append("diarienummer")
    if not fields.send_to:
        missing.append("skickas till")
    return tuple(missing)


def _with_summary(report: IskReport) -> IskReport:
    from dataclasses import replace

    f = report.figures
    year = report.year
    paragraphs = [
        f"Internkontrollplanen för {year} omfattar "
        f"{count_of(f.risks, 'risk', 'risker')} inom "
        f"{count_of(f.areas, 'verksamhet', 'verksamheter')} och "
        f"{count_of(f.measures, 'åtgärd', 'åtgärder')}, varav {f.recurring} återkommande "
        f"kontroller. "
        + (
            "Ingen uppföljning av planen är registrerad för året."
            if all(q.empty for q in report.coverage.periods)
            else f"Planen har följts upp {report.coverage.kind.adverb} med en bedömning av "
            "nettorisken för varje risk och status för varje åtgärd."
        )
    ]
    share = f.carried_out_percent
    facts = []
    if share is not None:
        facts.append(
            f"Av åtgärderna har {f.carried_out} av {f.counted} ({percent(share)}) verkställts"
        )
    dev_parts = [f"{t.label}: {t.count}" for t in f.deviations_by_severity if t.count]
    if f.deviations:
        facts.append(
            f"under året registrerades {count_of(f.deviations, 'avvikelse', 'avvikelser')} "
            f"({', '.join(dev_parts)})"
        )
    else:
        facts.append("inga avvikelser registrerades under året")
    top = report.matrix.levels[-1].name.lower()
    highest = len(report.matrix.levels) - 1
    reds = [r.ref for r in report.register if r.year_end_level == highest]
    if f.netto_assessed:
        facts.append(
            f"vid årets sista bedömning låg {count_of(len(reds), 'risk', 'risker')} på nivån "
            f"{top} ({ref_list(reds)})"
            if reds
            else f"ingen risk låg på nivån {top} vid årets sista bedömning"
        )
    serious = [d for d in report.deviations if d.severity is Severity.SERIOUS]
    if serious:
        facts.append(
            ("den allvarliga avvikelsen gällde " if len(serious) == 1 else
             "de allvarliga avvikelserna gällde ")
            + ", ".join(f"{d.ref} ({d.period.label})" for d in serious)
        )  # fmt: skip
    paragraphs.append(sentence(facts))
    gaps = report.coverage.statements()
    if gaps:
        paragraphs.append(
            "Uppföljningen är inte fullständig: " + " ".join(gaps) + " Det föreslagna betyget "
            "tar hänsyn till det."
        )
    expired = [a for a in report.accepted if a.expired]
    if expired:
        paragraphs.append(
            "Observera: acceptansen har gått ut för "
            + ", ".join(f"{a.ref} (till och med {a.until})" for a in expired)
            + ". Risken behöver hanteras med åtgärder eller accepteras på nytt."
        )
    paragraphs.append(
        "Registrets underlag avser den interna kontrollen (krav c–e). Den interna styrningen "
        "(krav a–b) "
        + (
            "redovisas i avsnitt 1 under Intern styrning."
            if report.governance
            else "är inte redovisad: uppgift saknas."
        )
    )
    if report.revisions:
        paragraphs.append(
            f"Den fastställda planen har reviderats "
            f"{count_of(len(report.revisions), 'gång', 'gånger')} under året; revideringarna "
            "redovisas i avsnitt 8."
        )
    grade = report.grade
    suggestion = report.suggestion.grade.value
    if grade is None:
        paragraphs.append(
            f"Någon bedömning är ännu inte fastställd. Utifrån registrets uppgifter föreslår "
            f"riskreg bedömningen att den interna styrningen och kontrollen under {year} har "
            f"varit {suggestion}."
        )
    else:
        paragraphs.append(
            f"Förvaltningens bedömning är att den interna styrningen och kontrollen under "
            f"{year} har varit {grade.value}."
            + (
                ""
                if not report.overruled
                else f" Bedömningen avviker från det betyg som registrets uppgifter ger "
                f"({suggestion}). Motivering: "
                + report.conclusion.fields.motivation.strip().rstrip(".")
                + "."
            )
        )
    meeting = report.conclusion.fields.meeting_date
    if meeting is not None and report.as_of is not None and report.as_of > meeting:
        paragraphs.append(
            f"Observera: registrets senaste uppgift är från {report.as_of.isoformat()}, efter "
            f"sammanträdesdatumet {meeting.isoformat()}. Rapporten innehåller alltså "
            "uppgifter som inte fanns när nämnden sammanträdde."
        )
    if report.example_data:
        paragraphs.append(EXAMPLE_DATA_NOTE)
    return replace(report, summary=tuple(paragraphs))


# -- small text helpers --------------------------------------------------------------------
