"""The delår follow-up report's content (``riskreg report uppföljning``): what the nämnd
gets at each delårsrapport about one period of its internkontrollplan, as a pure record.

``build_followup`` reads a plan snapshot through the register's read model only: the
period's scope is ``period_scope`` (frozen when the period is locked), a risk's netto and
its change since the review before it are ``latest_reviews``, ``level_of`` and ``trend``,
the follow-up of each quarter is ``coverage_of`` and the avvikelser ``deviation_lines``,
the same rules as the ISK-bedömning. The renderers (PDF and HTML) only lay it out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from riskreg.domain.errors import InvalidInput
from riskreg.domain.isk import Coverage, PeriodCoverage, Tally, ref_list, sentence
from riskreg.domain.isk_content import (
    NOT_FOLLOWED_UP,
    DeviationLine,
    coverage_of,
    deviation_lines,
    kind_label,
    last_review_at,
    ref_key,
)
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.periods import read_period
from riskreg.domain.records import (
    Acceptance,
    Assessment,
    PeriodRef,
    PlanMeasure,
    PlanRisk,
    PlanSnapshot,
    Trend,
)
from riskreg.domain.register import (
    latest_reviews,
    period_scope,
    review_level,
    trend,
)
from riskreg.domain.scales import (
    ControlResult,
    MeasureStatus,
    PlanStatus,
    RiskStatus,
    Severity,
)
from riskreg.domain.text import count_of, swedish_key


@dataclass(frozen=True)
class MeasureFollowUp:
    """An åtgärd of the period's scope and its follow-up in the period."""

    text: str
    region_wide: bool
    kind_label: str
    roles: tuple[str, ...]
    status: MeasureStatus | None  # None: not followed up in the period
    result: ControlResult | None
    severity: Severity | None
    comment: str

    @property
    def status_label(self) -> str:
        if self.status is None:
            return NOT_FOLLOWED_UP
        words = [self.status.value]
        if self.result is not None:
            words.append(self.result.value)
        if self.severity is not None:  # "med avvikelse" says less than its severity
            words[-1] = f"avvikelse: {self.severity.value}"
        return ", ".join(words)


@dataclass(frozen=True)
class RiskFollowUp:
    ref: str
    area: str
    text: str
    status: RiskStatus
    acceptance: Acceptance | None
    netto: Assessment | None  # the latest netto up to and including the period
    netto_period: PeriodRef | None  # when it was assessed (the period itself, or before)
    level: int | None
    previous: Assessment | None  # the netto before it
    previous_period: PeriodRef | None
    previous_level: int | None
    trend: Trend | None
    measures: tuple[MeasureFollowUp, ...]

    def reviewed_in(self, period: PeriodRef) -> bool:
        return self.netto_period == period


@dataclass(frozen=True)
class AreaFollowUp:
    name: str
    risks: tuple[RiskFollowUp, ...]
    measures_by_status: tuple[Tally, ...]


@dataclass(frozen=True)
class FollowUpReport:
    """Everything the delår follow-up report shows, in order and in Swedish."""

    committee: str
    period: PeriodRef
    title: str
    plan_status: PlanStatus
    dnr: str | None
    matrix: RiskMatrix
    locked: bool
    locked_on: date | None
    frozen: bool  # the scope is the one frozen when the period was locked
    reviewed: bool  # anything at all is recorded for the period
    summary: tuple[str, ...]
    this_period: PeriodCoverage
    coverage: Coverage  # every period of the plan year
    measures_by_status: tuple[Tally, ...]  # statuses in use only
    areas: tuple[AreaFollowUp, ...]
    highest: tuple[RiskFollowUp, ...]  # at the matrix's highest level in the period
    raised: tuple[RiskFollowUp, ...]  # netto at a higher level than the review before
    deviations: tuple[DeviationLine, ...]
    pending: tuple[str, ...]  # the plan year's periods up to this one not fully followed up
    example_data: bool
    last_review_at: datetime | None  # the last review saved in the period

    @property
    def as_of(self) -> date | None:
        return self.last_review_at.date() if self.last_review_at else None

    @property
    def document_time(self) -> datetime:
        """The document's date for the archive: the period's last review, else its lock,
        else the period's first day; from the data, never the clock (see ``isk_content``)."""
        if self.last_review_at is not None:
            return self.last_review_at
        first_month = self.period.kind.months(self.period.number)[0]
        day = self.locked_on or date(self.period.year, first_month, 1)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def top_level(self) -> str:
        return self.matrix.levels[-1].name


def period_year(raw: str, year: int | None) -> int | None:
    """The plan year ``--period`` names ("2024 kv 2", "2024 T2"), or ``--year``; the
    period itself is read against the plan's kind once the plan is found
    (``PeriodKind.number``). ``InvalidInput`` for text that is no period."""
    typed = read_period(raw)
    if typed is None:
        raise InvalidInput(
            f"Okänd period ”{raw}”: ange perioden, till exempel --period 2, --period T2 eller "
            "--period ”2024 kv 2”."
        )
    if year is not None and typed.year not in (None, year):
        raise InvalidInput(
            f"Perioden ”{raw.strip()}” hör inte till planåret {year} (--year {year})."
        )
    return year if year is not None else typed.year


def build_followup(snapshot: PlanSnapshot, number: int) -> FollowUpReport:
    """The follow-up of one period of a plan year (its kvartal, tertial or halvår
    ``number``); ``InvalidInput`` for a period the year does not have. A period with no
    follow-up recorded still gives a report, which says so."""
    plan = snapshot.plan
    period = next((p for p in plan.periods if p.number == number), None)
    if period is None:
        raise InvalidInput(plan.period_kind.wrong(plan.year))
    ref = period.ref
    matrix = plan.matrix
    scope = period_scope(snapshot.risks, period)
    due = {id(m) for _, m in scope.measures}
    risks = [_risk(r, [m for m in r.measures if id(m) in due], ref, matrix) for r in scope.risks]
    areas = _areas(risks)
    coverage = coverage_of(snapshot, plan.year)
    this = next(q for q in coverage.periods if q.number == number)
    top = len(matrix.levels) - 1
    ordered = sorted(risks, key=lambda r: ref_key(r.ref))
    report = FollowUpReport(
        committee=plan.committee,
        period=ref,
        title=f"Uppföljning av internkontrollplanen {plan.year}, {plan.period_kind.named(number)}",
        plan_status=plan.status,
        dnr=plan.dnr,
        matrix=matrix,
        locked=period.locked,
        locked_on=period.locked_at.date() if period.locked_at else None,
        frozen=period.frozen is not None,
        reviewed=not this.empty,
        summary=(),
        this_period=this,
        coverage=coverage,
        measures_by_status=_tally([m for r in risks for m in r.measures]),
        areas=areas,
        highest=tuple(r for r in ordered if r.level == top and r.status is not RiskStatus.CLOSED),
        raised=tuple(r for r in ordered if r.trend is Trend.UP),
        deviations=deviation_lines(snapshot, plan.year, number),
        pending=_pending(coverage, number),
        example_data=plan.example_data,
        last_review_at=last_review_at(snapshot, plan.year, number),
    )
    return replace(report, summary=_summary(report))


def _risk(
    risk: PlanRisk, measures: list[PlanMeasure], period: PeriodRef, matrix: RiskMatrix
) -> RiskFollowUp:
    latest, before = latest_reviews(risk, period)
    # Reviews of earlier plan years count as "before" (history spans years), as in
    # ``riskreg risks``; a review of a later period never does.
    netto = latest.netto if latest else None
    previous = before.netto if before else None
    return RiskFollowUp(
        ref=risk.ref,
        area=risk.area,
        text=risk.text,
        status=risk.status,
        acceptance=risk.acceptance,
        netto=netto,
        netto_period=latest.period if latest else None,
        level=review_level(matrix, latest),
        previous=previous,
        previous_period=before.period if before else None,
        previous_level=review_level(matrix, before),
        trend=trend(matrix, latest, before),
        measures=tuple(_measure(m, period) for m in measures),
    )


def _measure(measure: PlanMeasure, period: PeriodRef) -> MeasureFollowUp:
    review = measure.review_in(period)
    return MeasureFollowUp(
        text=measure.text,
        region_wide=measure.region_wide,
        kind_label=kind_label(measure.kind, measure.frequency),
        roles=measure.roles,
        status=review.status if review else None,
        result=review.result if review else None,
        severity=review.severity if review else None,
        comment=review.comment if review else "",
    )


def _tally(measures: list[MeasureFollowUp]) -> tuple[Tally, ...]:
    """Åtgärder per status in the period, in the scale's order; statuses no åtgärd has are
    left out."""
    counts = Counter(m.status.value if m.status else NOT_FOLLOWED_UP for m in measures)
    order = (*(m.value for m in MeasureStatus), NOT_FOLLOWED_UP)
    return tuple(Tally(s, counts[s]) for s in order if counts[s])


def _areas(risks: list[RiskFollowUp]) -> tuple[AreaFollowUp, ...]:
    by_area: dict[str, list[RiskFollowUp]] = {}
    for line in risks:
        by_area.setdefault(line.area, []).append(line)
    return tuple(
        AreaFollowUp(
            name,
            tuple(sorted(lines, key=lambda r: ref_key(r.ref))),
            _tally([m for r in lines for m in r.measures]),
        )
        for name, lines in sorted(by_area.items(), key=lambda kv: swedish_key(kv[0]))
    )


def _pending(coverage: Coverage, number: int) -> tuple[str, ...]:
    """What is missing in the periods up to this one, in the ISK report's words."""
    so_far = tuple(q for q in coverage.periods if q.number <= number)
    return Coverage(so_far, (), coverage.kind).statements()


def _summary(r: FollowUpReport) -> tuple[str, ...]:
    q = r.this_period
    label = r.period.label
    if not r.reviewed:
        first = (
            f"Ingen uppföljning är registrerad för {label}: ingen av planens "
            f"{count_of(q.risks_expected, 'risk', 'risker')} har bedömts och ingen av "
            f"{count_of(q.measures_expected, 'åtgärd', 'åtgärder')} har följts upp."
        )
    else:
        first = (
            f"Vid uppföljningen {label} bedömdes {q.risks_reviewed} av "
            f"{count_of(q.risks_expected, 'risk', 'risker')} och {q.measures_reviewed} av "
            f"{count_of(q.measures_expected, 'åtgärd', 'åtgärder')} följdes upp."
        )
    state = (
        f" Perioden låstes {r.locked_on.isoformat()}; rapporten visar det som gällde då."
        if r.locked and r.locked_on
        else " Perioden är inte låst; uppgifterna kan ännu ändras."
    )
    paragraphs = [first + state]
    facts = []
    done = Counter({t.label: t.count for t in r.measures_by_status})
    if r.reviewed:
        facts.append(
            f"{done[MeasureStatus.DONE.value]} åtgärder är genomförda och "
            f"{done[MeasureStatus.IN_PROGRESS.value]} pågår"
        )
    top = r.top_level.lower()
    highest = [x.ref for x in r.highest]
    facts.append(
        f"{count_of(len(highest), 'risk', 'risker')} ligger på nivån {top} ({ref_list(highest)})"
        if highest
        else f"ingen risk ligger på nivån {top}"
    )
    raised = [x.ref for x in r.raised]
    if raised:
        facts.append(f"nettorisken har ökat för {ref_list(raised)}")
    if r.deviations:
        by = Counter(d.severity for d in r.deviations)
        parts = [f"{s.value}: {by[s]}" for s in reversed(list(Severity)) if by[s]]
        facts.append(
            f"{count_of(len(r.deviations), 'avvikelse', 'avvikelser')} registrerades "
            f"({', '.join(parts)})"
        )
    else:
        facts.append("inga avvikelser registrerades under perioden")
    paragraphs.append(sentence(facts))
    if r.pending:
        paragraphs.append("Ej fullständigt uppföljt: " + " ".join(r.pending))
    return tuple(paragraphs)
