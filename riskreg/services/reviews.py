"""The quarterly review: netto per risk, status per åtgärd, locking and reopening a period.

Every call is its own transaction and writes the audit log, so a review saved key by key
loses nothing if the terminal closes. ``expected_version`` guards against silent
overwrites: ``0`` means "I saw no answer for this period yet", ``n`` "I saw version n",
``None`` skips the check (scripts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.mappers import measure_review_record, risk_review_record
from riskreg.db.models import (
    Committee,
    MeasureReview,
    Plan,
    PlanRisk,
    ReviewPeriod,
    Risk,
    RiskReview,
)
from riskreg.domain import limits
from riskreg.domain.errors import ConflictError, InvalidInput, NotFound
from riskreg.domain.records import (
    Assessment,
    FrozenPeriod,
    MeasureReviewRecord,
    PeriodInfo,
    RiskReviewRecord,
)
from riskreg.domain.register import period_scope
from riskreg.domain.scales import ControlResult, MeasureKind, MeasureStatus, PlanStatus, Severity
from riskreg.services import building
from riskreg.services.context import Context

# Who a review is attributed to and when, when that is not the person saving it now:
# ``riskreg seed --exempel`` attributes its reviews to "exempeldata", dated inside the
# plan year. The audit log still records who saved them, and when.
Attribution = tuple[str, datetime]


def record_risk_review(
    ctx: Context,
    plan_id: int,
    risk_id: int,
    number: int,
    likelihood: int,
    consequence: int,
    comment: str = "",
    *,
    expected_version: int | None = None,
    attributed: Attribution | None = None,
) -> RiskReviewRecord:
    answer = RiskAnswer(Assessment(likelihood, consequence), comment)
    saving = Saving(risk_id, answer, expected_version)
    with ctx.transaction() as session:
        return write_reviews(session, ctx, plan_id, number, [saving], attributed).risks[risk_id]


def record_measure_review(
    ctx: Context,
    plan_id: int,
    measure_id: int,
    number: int,
    status: MeasureStatus,
    *,
    result: ControlResult | None = None,
    comment: str = "",
    deviation: str | None = None,
    severity: Severity | None = None,
    expected_version: int | None = None,
    attributed: Attribution | None = None,
) -> MeasureReviewRecord:
    answer = MeasureAnswer(status, result, comment, deviation, severity)
    saving = Saving(measure_id, answer, expected_version)
    with ctx.transaction() as session:
        saved = write_reviews(session, ctx, plan_id, number, [saving], attributed)
        return saved.measures[measure_id]


@dataclass(frozen=True)
class RiskAnswer:
    """A netto assessment to save: what the TUI, ``riskreg review set`` and a follow-up
    workbook hand over."""

    netto: Assessment
    comment: str = ""

    def checked(self) -> RiskAnswer:
        comment = limits.checked(
            self.comment.strip(), "Kommentaren", limits.TEXT_MAX, multiline=True
        )
        return RiskAnswer(self.netto, comment)  # the scale is the plan's (_save_risks)


@dataclass(frozen=True)
class MeasureAnswer:
    """An åtgärd's follow-up to save (see ``RiskAnswer``)."""

    status: MeasureStatus
    result: ControlResult | None = None
    comment: str = ""
    deviation: str | None = None
    severity: Severity | None = None

    def checked(self) -> MeasureAnswer:
        deviation = (
            limits.checked(
                (self.deviation or "").strip(), "Avvikelsen", limits.TEXT_MAX, multiline=True
            )
            or None
        )
        comment = limits.checked(
            self.comment.strip(), "Kommentaren", limits.TEXT_MAX, multiline=True
        )
        if (deviation is None) != (self.severity is None):
            raise InvalidInput("En avvikelse behöver både en beskrivning och en allvarlighetsgrad.")
        if deviation is not None and self.result is ControlResult.NO_REMARK:
            raise InvalidInput(
                "Resultatet kan inte vara ”utan anmärkning” när en avvikelse är registrerad: "
                "välj ”med avvikelse” eller ta bort avvikelsen."
            )
        return MeasureAnswer(self.status, self.result, comment, deviation, self.severity)


@dataclass(frozen=True)
class Saving:
    """One answer to save: for a risk (``RiskAnswer``) or an åtgärd (``MeasureAnswer``),
    by its id, and the version of the period's row the answer was made from."""

    target_id: int
    answer: RiskAnswer | MeasureAnswer
    expected_version: int | None = None
    source: str | None = None  # where it came from ("arbetsbok från …"), logged as "via"


@dataclass(frozen=True)
class Saved:
    risks: dict[int, RiskReviewRecord]
    measures: dict[int, MeasureReviewRecord]


def write_reviews(
    session: Session,
    ctx: Context,
    plan_id: int,
    number: int,
    savings: Sequence[Saving],
    attributed: Attribution | None = None,
) -> Saved:
    """Save answers for one plan's period inside the caller's transaction, each with every
    check (open period, in the plan, scale and choices, kontrollresultat only for a
    recurring control, the version it was made from) and its audit entry. Rows are read
    and the log is written once for all of them, so a workbook of hundreds of answers
    costs a few queries."""
    checked = [replace(s, answer=s.answer.checked()) for s in savings]
    now = ctx.clock()
    who, when = attributed or (ctx.actor, now)
    limits.checked(who, "Den som bedömningen står på", limits.ACTOR_MAX)
    plan, period = _open_period(session, plan_id, number)
    ref = building.period_ref(plan, number)
    risk_savings = [s for s in checked if isinstance(s.answer, RiskAnswer)]
    measure_savings = [s for s in checked if isinstance(s.answer, MeasureAnswer)]
    stamp = _Stamp(who, when)
    audits: list[dict[str, Any]] = []
    updates = repo.ReviewUpdates()
    risks = _save_risks(session, plan, period, risk_savings, stamp, audits, updates)
    measures = _save_measures(session, plan, period, measure_savings, stamp, audits, updates)
    session.flush()
    updates.write(session)
    for entry in audits:
        review = entry.pop("review")
        entry["after"] = (
            _risk_review_state(review)
            if isinstance(review, RiskReview)
            else _measure_review_state(review)
        )
    repo.write_audits(session, now, ctx.actor, audits)
    return Saved(
        {rid: risk_review_record(r, ref) for rid, r in risks.items()},
        {mid: measure_review_record(r, ref) for mid, r in measures.items()},
    )


@dataclass(frozen=True)
class _Stamp:
    who: str
    when: datetime

    def fields(self, source: str | None) -> dict[str, Any]:
        return {"reviewed_by": self.who, "reviewed_at": self.when, "source": source}


def _assign(
    review: RiskReview | MeasureReview, values: dict[str, Any], updates: repo.ReviewUpdates
) -> None:
    """A new review takes its values for the flush; a stored one is updated in bulk."""
    if review.id is None:
        for key, value in values.items():
            setattr(review, key, value)
    else:
        updates.set(review, values)


def _save_risks(
    session: Session,
    plan: Plan,
    period: ReviewPeriod,
    savings: Sequence[Saving],
    stamp: _Stamp,
    audits: list[dict[str, Any]],
    updates: repo.ReviewUpdates,
) -> dict[int, RiskReview]:
    if not savings:
        return {}
    ids = [s.target_id for s in savings]
    refs = repo.risk_refs_in_plan(session, plan.id, ids)
    existing = {
        r.risk_id: r
        for r in session.scalars(
            select(RiskReview).where(RiskReview.period_id == period.id, RiskReview.risk_id.in_(ids))
        )
    }
    saved: dict[int, RiskReview] = {}
    matrix = building.plan_matrix(plan)
    for saving in savings:
        answer = saving.answer
        assert isinstance(answer, RiskAnswer)  # sorted by the caller
        matrix.check(answer.netto)
        risk_id = saving.target_id
        ref = refs.get(risk_id)
        if ref is None:
            raise NotFound(f"Risken finns inte i planen för {plan.year}.")
        review = existing.get(risk_id)
        _check_version(review, saving.expected_version, f"Bedömningen av {ref}")
        before = _risk_review_state(review)
        if review is None:
            review = RiskReview(risk_id=risk_id, period_id=period.id, likelihood=0, consequence=0)
            session.add(review)
            existing[risk_id] = review
        values = {
            "likelihood": answer.netto.likelihood,
            "consequence": answer.netto.consequence,
            "comment": answer.comment,
            **stamp.fields(saving.source),
        }
        _assign(review, values, updates)
        saved[risk_id] = review
        audits.append(
            _audit_entry(plan, period, "bedömde risk", "risk", (risk_id, ref), before, review)
        )
    return saved


def _save_measures(
    session: Session,
    plan: Plan,
    period: ReviewPeriod,
    savings: Sequence[Saving],
    stamp: _Stamp,
    audits: list[dict[str, Any]],
    updates: repo.ReviewUpdates,
) -> dict[int, MeasureReview]:
    if not savings:
        return {}
    ids = [s.target_id for s in savings]
    measures = repo.measures_in_plan(session, plan.id, ids)
    existing = {
        r.measure_id: r
        for r in session.scalars(
            select(MeasureReview).where(
                MeasureReview.period_id == period.id, MeasureReview.measure_id.in_(ids)
            )
        )
    }
    saved: dict[int, MeasureReview] = {}
    for saving in savings:
        answer = saving.answer
        assert isinstance(answer, MeasureAnswer)  # sorted by the caller
        measure = measures.get(saving.target_id)
        if measure is None:
            raise NotFound(f"Åtgärden finns inte i planen för {plan.year}.")
        if answer.result is not None and measure.kind != MeasureKind.RECURRING:
            raise InvalidInput("Bara en återkommande kontroll har ett kontrollresultat.")
        measure_id = saving.target_id
        review = existing.get(measure_id)
        what = f"Uppföljningen av en åtgärd i {measure.risk_ref}"
        _check_version(review, saving.expected_version, what)
        before = _measure_review_state(review)
        if review is None:
            review = MeasureReview(measure_id=measure_id, period_id=period.id)
            session.add(review)
            existing[measure_id] = review
        values = {
            "status": answer.status.value,
            "result": answer.result.value if answer.result else None,
            "comment": answer.comment,
            "deviation": answer.deviation,
            "severity": answer.severity.value if answer.severity else None,
            **stamp.fields(saving.source),
        }
        _assign(review, values, updates)
        saved[measure_id] = review
        risk = (measure.risk_id, measure.risk_ref)
        entry = _audit_entry(plan, period, "följde upp åtgärd", "åtgärd", risk, before, review)
        entry["entity_id"] = measure_id
        audits.append(entry)
    return saved


def _audit_entry(
    plan: Plan,
    period: ReviewPeriod,
    action: str,
    entity: str,
    risk: tuple[int, str],  # id and ref
    before: dict[str, Any] | None,
    review: RiskReview | MeasureReview,
) -> dict[str, Any]:
    """An audit entry to write once the review row is flushed (its state is taken then)."""
    risk_id, ref = risk
    return {
        "action": action,
        "entity": entity,
        "entity_id": risk_id,
        "entity_ref": f"{ref} {building.period_ref(plan, period.number).label}",
        "committee_id": plan.committee_id,
        "plan_id": plan.id,
        "before": before,
        "review": review,
    }


def lock_period(ctx: Context, plan_id: int, number: int) -> PeriodInfo:
    """Finish a review period: nothing in it can change until it is reopened, and what it
    covered (its risks and åtgärder, and the counts) is frozen with it."""
    from riskreg.db.mappers import load_snapshot

    now = ctx.clock()
    with ctx.transaction() as session:
        plan, period = _open_period(session, plan_id, number, exclusive=True)
        snapshot = load_snapshot(session, plan)
        info = next(p for p in snapshot.plan.periods if p.number == number)
        scope = period_scope(snapshot.risks, info)
        ref = info.ref
        period.locked_at = now
        period.locked_by = ctx.actor
        frozen = FrozenPeriod(
            risk_ids=frozenset(r.id for r in scope.risks),
            measure_ids=frozenset(m.id for _, m in scope.measures),
            risks=len(scope.risks),
            risks_reviewed=sum(1 for r in scope.risks if r.review_in(ref)),
            measures=len(scope.measures),
            measures_reviewed=sum(1 for _, m in scope.measures if m.review_in(ref)),
        )
        repo.freeze_period(session, period, frozen)
        _audit_period(
            session,
            ctx,
            plan,
            period,
            "låste period",
            {"låst": False},
            {"låst": True, "omfattar": frozen.label},
        )
        return replace(info, locked_at=period.locked_at, locked_by=period.locked_by, frozen=frozen)


def reopen_period(ctx: Context, plan_id: int, number: int, reason: str) -> PeriodInfo:
    """Open a locked period again (logged, with the reason); its frozen scope goes with the
    lock and is taken anew when it is locked again."""
    reason = limits.checked(reason.strip(), "Motiveringen", limits.TEXT_MAX, multiline=True)
    if not reason:
        raise InvalidInput("Ange varför perioden öppnas igen; motiveringen sparas i loggen.")
    with ctx.transaction() as session:
        plan, period = _period(session, plan_id, number, exclusive=True)
        if period.locked_at is None:
            raise InvalidInput(f"Perioden {building.period_ref(plan, number).label} är inte låst.")
        if plan.status == PlanStatus.CLOSED:
            raise InvalidInput(
                f"Planen för {plan.year} är avslutad; dess perioder kan inte öppnas igen."
            )
        locked_by = period.locked_by
        covered = repo.unlock_period(session, period)
        before: dict[str, Any] = {"låst": True, "låst av": locked_by}
        if covered is not None:
            before["omfattade"] = covered.label
        _audit_period(
            session,
            ctx,
            plan,
            period,
            "öppnade period igen",
            before,
            {"låst": False, "motivering": reason},
        )
        kind = building.plan_period_kind(plan)
        return PeriodInfo(period.id, plan.year, number, None, None, kind=kind)


def _audit_period(
    session: Session,
    ctx: Context,
    plan: Plan,
    period: ReviewPeriod,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    committee = session.get_one(Committee, plan.committee_id)
    repo.write_audit(
        session,
        at=ctx.clock(),
        actor=ctx.actor,
        action=action,
        entity="period",
        entity_id=period.id,
        entity_ref=f"{committee.short_name} {building.period_ref(plan, period.number).label}",
        committee_id=plan.committee_id,
        before=before,
        after=after,
    )


def _period(
    session: Session, plan_id: int, number: int, *, exclusive: bool = False
) -> tuple[Plan, ReviewPeriod]:
    """The plan and one of its periods, row-locked until the transaction ends (on
    PostgreSQL; SQLite's write transactions are serialised anyway): a review save takes
    shared locks, so locking the period or changing the plan's status waits for it, and a
    save that waited sees the period locked. ``exclusive`` for changing the period."""
    plan = session.get(Plan, plan_id, with_for_update={"read": True})
    if plan is None:
        raise NotFound("Planen finns inte längre i registret.")
    building.plan_period_kind(plan).check(number, plan.year)
    period = session.scalar(
        select(ReviewPeriod)
        .where(ReviewPeriod.plan_id == plan_id, ReviewPeriod.number == number)
        .with_for_update(read=not exclusive)
    )
    if period is None:
        raise InvalidInput(building.plan_period_kind(plan).wrong(plan.year))
    return plan, period


def _open_period(
    session: Session, plan_id: int, number: int, *, exclusive: bool = False
) -> tuple[Plan, ReviewPeriod]:
    plan, period = _period(session, plan_id, number, exclusive=exclusive)
    if plan.status != PlanStatus.ADOPTED:
        raise InvalidInput(
            f"Planen för {plan.year} är {plan.status}: bara en fastställd plan följs upp."
        )
    if period.locked_at is not None:
        raise InvalidInput(
            f"Perioden {building.period_ref(plan, number).label} är låst; öppna den igen med en "
            "motivering för att ändra."
        )
    return plan, period


def _risk_in_plan(session: Session, plan: Plan, risk_id: int) -> Risk:
    risk = session.scalar(
        select(Risk)
        .join(PlanRisk, PlanRisk.risk_id == Risk.id)
        .where(PlanRisk.plan_id == plan.id, Risk.id == risk_id)
    )
    if risk is None:
        raise NotFound(f"Risken finns inte i planen för {plan.year}.")
    return risk


def _check_version(row: RiskReview | MeasureReview | None, expected: int | None, what: str) -> None:
    if expected is None:
        return
    actual = 0 if row is None else row.version
    if actual != expected:
        who = f" av {row.reviewed_by}" if row is not None else ""
        raise ConflictError(
            f"{what} har ändrats{who} sedan du läste in den; läs in på nytt innan du sparar."
        )


def _risk_review_state(review: RiskReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return _with_source(
        {
            "sannolikhet": review.likelihood,
            "konsekvens": review.consequence,
            "kommentar": review.comment,
        },
        review.source,
    )


def _measure_review_state(review: MeasureReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return _with_source(
        {
            "status": review.status,
            "resultat": review.result,
            "kommentar": review.comment,
            "avvikelse": review.deviation,
            "allvarlighet": review.severity,
        },
        review.source,
    )


def _with_source(state: dict[str, Any], source: str | None) -> dict[str, Any]:
    """An answer that came from elsewhere (a workbook) says so in the log: "via"."""
    if source is not None:
        state["via"] = source
    return state
