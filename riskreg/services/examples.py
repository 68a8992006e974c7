"""Example quarterly reviews for a first look (``riskreg seed --exempel``).

Fills a fastställd plan year with a plausible, clearly labelled year of follow-up: brutto
values, netto for every risk in Q1–Q4 (a couple of risks stay red), åtgärd statuses, a few
avvikelser of different severity, one accepted risk, locked periods and, if none is stored,
an example conclusion. Everything is written through the ordinary services (so the audit
log is right) and is fully deterministic: the same plan gives the same example data.

The plan is flagged first (its ``example_data`` column, see ``services.isk``), so even a
run that stops half-way is reported as example data; running again fills in only what is
missing, and a complete run is a no-op. A plan year that already has real reviews is
refused: example data never mixes with real follow-up. The example reviews are attributed
to "exempeldata" and dated at the end of their quarter, inside the plan year; the audit
log still says who added them and when. ``remove_examples`` takes all of it away again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from riskreg.db import repo
from riskreg.db.models import Committee, Plan
from riskreg.domain.errors import InvalidInput
from riskreg.domain.isk import ConclusionFields, Grade
from riskreg.domain.records import Assessment, PeriodRef, PlanMeasure, PlanRisk, PlanSnapshot
from riskreg.domain.scales import (
    QUARTERS,
    ControlResult,
    Frequency,
    MeasureKind,
    MeasureStatus,
    PlanStatus,
    RiskStatus,
    Severity,
)
from riskreg.services import editing, isk, plans, reviews
from riskreg.services.context import Context

MARK = isk.EXAMPLE_MARK
EXAMPLE_ACTOR = "exempeldata"
REVISION_REASON = f"{MARK}: bruttobedömning för exempeluppföljningen."


@dataclass(frozen=True)
class ExampleResult:
    year: int
    added: bool  # False when the plan year already had all of it
    risk_reviews: int
    measure_reviews: int
    deviations: int
    accepted: str | None

    def __str__(self) -> str:
        """One Swedish sentence for the user (``riskreg seed --exempel``)."""
        if not self.added:
            return f"Exempeldata för {self.year} fanns redan; inget ändrades."
        accepted = f", accepterad risk {self.accepted}" if self.accepted else ""
        return (
            f"Lade till exempeldata för {self.year}: {self.risk_reviews} riskbedömningar, "
            f"{self.measure_reviews} åtgärdsuppföljningar med {self.deviations} avvikelser"
            f"{accepted}. Allt är märkt som exempeldata, också i ISK-rapporten."
        )


# status, kontrollresultat, avvikelse, allvarlighet
_Cell = tuple[MeasureStatus, ControlResult | None, str | None, Severity | None]


@dataclass(frozen=True)
class _MeasurePlan:
    measure_id: int
    cells: tuple[_Cell, ...]


@dataclass
class _RiskPlan:
    risk: PlanRisk
    brutto: Assessment
    netto: tuple[Assessment, ...]
    measures: list[_MeasurePlan] = field(default_factory=list)


# Avvikelser, matched to an åtgärd by a word in its text (first match wins, each once).
_DEVIATIONS: tuple[tuple[str, Severity, int, str], ...] = (
    (
        "kontantkass",
        Severity.MODERATE,
        2,
        "Stickprov visade en kassadifferens på 1 250 kr på en mottagning; kassan stämdes av "
        "och rutinen för dagskassa förtydligades.",
    ),
    (
        "säkerhetsbrister",
        Severity.SERIOUS,
        3,
        "Behörighetskontrollen visade att tre medarbetare som bytt tjänst fortfarande hade "
        "åtkomst till journaler i sin tidigare verksamhet; behörigheterna är borttagna och "
        "rutinen för avslut ses över.",
    ),
    (
        "stickprov av inköp",
        Severity.MINOR,
        3,
        "Två inköp under 10 tkr saknade beslutsattest; berörda beställare har påmints om "
        "attestordningen.",
    ),
    (
        "skyldighet",
        Severity.MINOR,
        4,
        "På en enhet hade rapporterade avvikelser inte återkopplats till rapportören inom "
        "fyra veckor.",
    ),
)
_DEFAULT_DEVIATIONS = (
    (Severity.MODERATE, 2, "Kontrollen visade brister som rapporterades till ansvarig chef."),
    (Severity.SERIOUS, 3, "Kontrollen visade allvarliga brister; åtgärder har beslutats."),
    (Severity.MINOR, 3, "Kontrollen visade en mindre brist som rättades direkt."),
    (Severity.MINOR, 4, "Kontrollen visade en mindre brist som rättades direkt."),
)

_COMMENTS = {
    "down": "åtgärderna har effekt; sannolikheten bedöms lägre än föregående kvartal.",
    "up": "risken bedöms högre än föregående kvartal; åtgärderna har förstärkts.",
    "same": "oförändrat läge.",
    "red": "risken kvarstår på hög nivå; åtgärderna pågår.",
}


def add_examples(ctx: Context, year: int = 2024, committee: str | None = None) -> ExampleResult:
    snapshot = plans.load_plan(ctx, year, committee)
    info = snapshot.plan
    if info.status is not PlanStatus.ADOPTED:
        raise InvalidInput(
            f"Planen för {year} är {info.status}: exempeldata läggs bara in i en fastställd plan."
        )
    if not snapshot.risks:
        raise InvalidInput(f"Planen för {year} har inga risker att lägga exempeldata på.")
    flagged = _flag(ctx, info.id, info.committee_id, year)
    if not flagged and _has_reviews(snapshot, year):
        raise InvalidInput(
            f"Planen för {year} har redan uppföljningar; exempeldata läggs bara in i en plan "
            "utan uppföljningar."
        )

    planned = _plan_examples(snapshot)
    risk_reviews = measure_reviews = deviations = 0
    for rp in planned:
        if rp.risk.brutto is None:
            editing.set_brutto(
                ctx, info.id, rp.risk.id, rp.risk.version, rp.brutto, reason=REVISION_REASON
            )
    locked = {p.number for p in info.periods if p.locked}
    kind = info.period_kind
    for quarter in kind.numbers:  # the example script runs over the plan's own periods
        if quarter in locked:
            continue
        period = info.period(quarter)
        for rp in planned:
            netto = rp.netto[quarter - 1]
            if rp.risk.review_in(period) is None:
                reviews.record_risk_review(
                    ctx,
                    info.id,
                    rp.risk.id,
                    quarter,
                    netto.likelihood,
                    netto.consequence,
                    f"{MARK}: {_risk_comment(rp, quarter)}",
                    attributed=_attribution(period),
                )
                risk_reviews += 1
            for mp in rp.measures:
                status, result, deviation, severity = mp.cells[quarter - 1]
                measure = next(m for m in rp.risk.measures if m.id == mp.measure_id)
                if measure.review_in(period) is not None:
                    continue
                reviews.record_measure_review(
                    ctx,
                    info.id,
                    mp.measure_id,
                    quarter,
                    status,
                    result=result,
                    comment=f"{MARK}: {_measure_comment(status, result, severity)}",
                    deviation=deviation,
                    severity=severity,
                    attributed=_attribution(period),
                )
                measure_reviews += 1
                deviations += deviation is not None
        reviews.lock_period(ctx, info.id, quarter)

    accepted = _accept_one(ctx, year, committee)
    _example_conclusion(ctx, year, committee)
    return ExampleResult(
        year=year,
        added=bool(risk_reviews or measure_reviews or not flagged),
        risk_reviews=risk_reviews,
        measure_reviews=measure_reviews,
        deviations=deviations,
        accepted=accepted,
    )


def _flag(ctx: Context, plan_id: int, committee_id: int, year: int) -> bool:
    """Flag the plan as holding example data; True if it already was."""
    with ctx.transaction() as session:
        plan = session.get_one(Plan, plan_id)
        if plan.example_data:
            return True
        plan.example_data = True
        committee = session.get_one(Committee, plan.committee_id)
        repo.write_audit(
            session,
            at=ctx.clock(),
            actor=ctx.actor,
            action="lade till exempeldata",
            entity="plan",
            entity_id=plan_id,
            entity_ref=f"{committee.short_name} {year}",
            committee_id=committee_id,
            plan_id=plan_id,
            after={
                "år": year,
                "beskrivning": "Exempel på kvartalsuppföljningar för en första titt; "
                "inte verkliga uppgifter.",
            },
        )
        return False


def _attribution(period: PeriodRef) -> reviews.Attribution:
    """Example reviews are "by" exempeldata, dated on the last day of their period."""
    last_month = period.kind.months(period.number)[1]
    last_day = date(period.year, last_month, 1) + timedelta(days=31)
    last_day = last_day.replace(day=1) - timedelta(days=1)
    return EXAMPLE_ACTOR, datetime.combine(last_day, time(12), UTC)


def _has_reviews(snapshot: PlanSnapshot, year: int) -> bool:
    return any(r.period.year == year for risk in snapshot.risks for r in risk.reviews) or any(
        r.period.year == year for risk in snapshot.risks for m in risk.measures for r in m.reviews
    )


# -- the deterministic example year --------------------------------------------------------


def _plan_examples(snapshot: PlanSnapshot) -> list[_RiskPlan]:
    risks = list(snapshot.risks)
    accepted = _accepted_choice(risks)
    ranked = sorted(
        (r for r in risks if r is not accepted and r.measures),
        key=lambda r: (-len(r.text), r.ref),
    )
    red = {r.ref for r in ranked[:2]}
    planned = []
    picks = _deviation_picks(risks)
    one_offs = recurring = 0
    for index, risk in enumerate(risks):
        brutto, netto = _values(index, risk.ref in red, risk is accepted)
        rp = _RiskPlan(risk, brutto, netto)
        for measure in risk.measures:
            if measure.kind is MeasureKind.ONE_OFF:
                one_offs += 1
                number = one_offs
            else:
                recurring += 1
                number = recurring
            cells = _cells(measure, number, risk.ref in red, picks.get(measure.id))
            rp.measures.append(_MeasurePlan(measure.id, cells))
        planned.append(rp)
    return planned


def _accepted_choice(risks: list[PlanRisk]) -> PlanRisk:
    for risk in risks:
        if any("avvakta" in m.text.casefold() for m in risk.measures):
            return risk
    return risks[-1]


def _deviation_picks(risks: list[PlanRisk]) -> dict[int, tuple[Severity, int, str]]:
    recurring = [m for r in risks for m in r.measures if m.kind is MeasureKind.RECURRING]
    picks: dict[int, tuple[Severity, int, str]] = {}
    for word, severity, quarter, text in _DEVIATIONS:
        match = next(
            (m for m in recurring if word in m.text.casefold() and m.id not in picks), None
        )
        if match is not None:
            picks[match.id] = (severity, quarter, text)
    defaults: Iterator[tuple[Severity, int, str]] = iter(_DEFAULT_DEVIATIONS[len(picks) :])
    for m in recurring:
        if m.id in picks or m.frequency is Frequency.YEARLY:
            continue
        nxt = next(defaults, None)
        if nxt is None:
            break
        picks[m.id] = nxt
    return picks


# Brutto and netto paths: (brutto, Q1, Q2, Q3, Q4) as (sannolikhet, konsekvens).
_PATHS: tuple[tuple[tuple[int, int], ...], ...] = (
    ((3, 3), (3, 3), (2, 3), (2, 3), (2, 2)),
    ((4, 3), (3, 3), (3, 3), (3, 2), (2, 2)),
    ((3, 4), (3, 3), (3, 3), (2, 3), (2, 3)),
    ((2, 3), (2, 2), (2, 2), (2, 2), (1, 2)),
    ((3, 3), (2, 3), (3, 3), (2, 3), (2, 2)),
    ((3, 2), (2, 2), (2, 2), (2, 1), (2, 1)),
    ((2, 4), (2, 3), (2, 3), (2, 3), (1, 3)),
    ((2, 2), (2, 2), (2, 2), (2, 2), (2, 2)),
    ((4, 2), (3, 2), (3, 2), (3, 2), (2, 2)),
    ((3, 3), (2, 2), (2, 2), (2, 3), (2, 3)),
)
_RED_PATHS = (
    ((4, 4), (4, 4), (4, 4), (3, 4), (3, 4)),
    ((3, 4), (3, 4), (3, 4), (3, 4), (3, 4)),
)
_ACCEPTED_PATH = ((2, 3), (2, 2), (2, 2), (2, 2), (2, 2))


def _values(index: int, red: bool, accepted: bool) -> tuple[Assessment, tuple[Assessment, ...]]:
    path: tuple[tuple[int, int], ...]
    if accepted:
        path = _ACCEPTED_PATH
    elif red:
        path = _RED_PATHS[index % len(_RED_PATHS)]
    else:
        path = _PATHS[index % len(_PATHS)]
    brutto, *netto = (Assessment(s, k) for s, k in path)
    return brutto, tuple(netto)


def _cells(
    measure: PlanMeasure,
    number: int,  # 1-based count among the plan's åtgärder of the same kind
    red: bool,
    deviation: tuple[Severity, int, str] | None,
) -> tuple[_Cell, ...]:
    done, going = MeasureStatus.DONE, MeasureStatus.IN_PROGRESS
    if measure.kind is MeasureKind.ONE_OFF:
        if red:
            statuses = (going, going, going, going)
        elif number % 6 == 2:
            statuses = (MeasureStatus.NOT_STARTED, going, going, going)  # late
        elif number % 6 == 5:
            statuses = (going, going, going, MeasureStatus.NOT_DONE)
        else:
            statuses = (going, going, done, done)
        return tuple((s, None, None, None) for s in statuses)
    if measure.frequency is Frequency.YEARLY:
        return (
            (MeasureStatus.NOT_STARTED, None, None, None),
            (going, None, None, None),
            (going, None, None, None),
            (done, ControlResult.NO_REMARK, None, None),
        )
    cells: list[_Cell] = []
    for quarter in QUARTERS:
        result = ControlResult.NO_REMARK
        if number % 8 == 5 and quarter == 1:
            result = ControlResult.NOT_PERFORMED  # a missed control, made up for later
        if deviation is not None and deviation[1] == quarter:
            cells.append((going, ControlResult.DEVIATION, deviation[2], deviation[0]))
        else:
            cells.append((going, result, None, None))
    return tuple(cells)


def _risk_comment(rp: _RiskPlan, quarter: int) -> str:
    now = rp.netto[quarter - 1]
    before = rp.netto[quarter - 2] if quarter > 1 else rp.brutto
    if now.value >= 12:
        return _COMMENTS["red"]
    if now.value < before.value:
        return _COMMENTS["down"]
    if now.value > before.value:
        return _COMMENTS["up"]
    return _COMMENTS["same"]


def _measure_comment(
    status: MeasureStatus, result: ControlResult | None, severity: Severity | None
) -> str:
    if severity is not None:
        return "avvikelsen är rapporterad till ansvarig chef och åtgärdad."
    if result is ControlResult.NOT_PERFORMED:
        return "kontrollen hann inte utföras under kvartalet."
    if status is MeasureStatus.NOT_DONE:
        return "åtgärden kunde inte genomföras under året; förs vidare."
    return f"{status.value}."


def _accept_one(ctx: Context, year: int, committee: str | None) -> str | None:
    snapshot = plans.load_plan(ctx, year, committee)
    risk = _accepted_choice(list(snapshot.risks))
    if risk.status is RiskStatus.ACCEPTED:
        return risk.ref
    today = ctx.clock().date()
    until = date(max(year + 1, today.year), 12, 31)
    editing.accept_risk(
        ctx,
        snapshot.plan.id,
        risk.id,
        risk.version,
        "Hälso- och sjukvårdsdirektören",
        f"{MARK}: Fortsatta åtgärder avvaktar regionens inriktningsbeslut. Risken bedöms "
        "som godtagbar till dess och bevakas i den ordinarie kvartalsuppföljningen.",
        until,
    )
    return risk.ref


def _example_conclusion(ctx: Context, year: int, committee: str | None) -> None:
    view = isk.view_conclusion(ctx, year, committee)
    if view.conclusion.stored:
        return
    suggested = view.suggestion.grade
    # The example controller grades the year "i allt väsentligt tillräcklig"; where the
    # register suggests "inte tillräcklig" (a red risk whose one-off åtgärd is still under
    # way), she overrules it, with the motivation the report prints in the memo.
    grade = Grade.SUFFICIENT if suggested is Grade.SUFFICIENT else Grade.MOSTLY
    motivation = {
        Grade.SUFFICIENT: "åtgärderna har genomförts och kontrollerna utförts som planerat.",
        Grade.MOSTLY: "huvuddelen av åtgärderna har verkställts och kontrollerna har utförts, "
        "men några risker ligger kvar på högsta nivån och en allvarlig avvikelse har "
        "registrerats. Riskerna förs vidare till planen för nästa år.",
        Grade.INSUFFICIENT: "huvuddelen av åtgärderna har verkställts och kontrollerna har "
        "utförts. Registret föreslår ”inte tillräcklig” eftersom en röd nettorisk saknar "
        "fungerande åtgärd: engångsåtgärden för medicintekniska produkter pågår fortfarande. "
        "Förvaltningen bedömer att arbetet följer tidplanen och att risken under tiden "
        "hanteras i den ordinarie kvartalsuppföljningen; risken förs vidare till nästa år.",
    }[suggested]
    fields = ConclusionFields(
        grade=grade,
        motivation=f"{MARK}: Bedömningen grundas på att {motivation}",
        handler="Hälso- och sjukvårdsförvaltningen, verksamhetscontroller",
        handler_name="Exempel Exempelsson",
        governance=f"{MARK}: Nämndens uppföljning av verksamhetsplanen visar att de beslutade "
        "målen i huvudsak har nåtts och att budgetramen hölls; två uppdrag pågår och "
        "redovisas i verksamhetsberättelsen.",
        meeting_date=date(year + 1, 2, 12),
        dnr=f"{year % 100:02d}RS00000",
        send_to=("Regionstyrelsen", "Hälso- och sjukvårdsförvaltningen", "Regionens revisorer"),
    )
    isk.save_conclusion(
        ctx, view.conclusion.plan_id, fields, expected_version=view.conclusion.version
    )


@dataclass(frozen=True)
class RemovedExamples:
    year: int
    risk_reviews: int
    measure_reviews: int
    brutto: int
    unlocked: int

    def __str__(self) -> str:
        return (
            f"Tog bort exempeldata för {self.year}: {self.risk_reviews} riskbedömningar, "
            f"{self.measure_reviews} åtgärdsuppföljningar och {self.brutto} bruttobedömningar; "
            f"{self.unlocked} perioder är öppna igen. Rapporten säger inte längre exempeldata."
        )


def remove_examples(
    ctx: Context, year: int = 2024, committee: str | None = None
) -> RemovedExamples:
    """Take away what ``add_examples`` added (its reviews, brutto values, acceptance,
    conclusion and the locks on periods that then hold nothing real), logged, and clear
    the plan's example flag. Real reviews added since are kept."""
    with ctx.transaction() as session:
        plan = repo.get_plan(session, repo.get_committee(session, committee), year)
        if not plan.example_data:
            raise InvalidInput(f"Planen för {year} har inga exempeldata att ta bort.")
        removed = repo.remove_example_data(session, plan.id, EXAMPLE_ACTOR, MARK)
        plan.example_data = False
        plan.updated_at = ctx.clock()
        committee_row = session.get_one(Committee, plan.committee_id)
        result = RemovedExamples(year, *removed)
        repo.write_audit(
            session,
            at=ctx.clock(),
            actor=ctx.actor,
            action="tog bort exempeldata",
            entity="plan",
            entity_id=plan.id,
            entity_ref=f"{committee_row.short_name} {year}",
            committee_id=plan.committee_id,
            plan_id=plan.id,
            before={"exempeldata": True},
            after={"exempeldata": False, "borttaget": str(result)},
        )
        return result
