"""The quarterly review: netto per risk, status per åtgärd, locking and reopening a period.

Every call is its own transaction and writes the audit log, so a review saved key by key
loses nothing if the terminal closes. ``expected_version`` guards against silent
overwrites: ``0`` means "I saw no answer for this period yet", ``n`` "I saw version n",
``None`` skips the check (scripts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.mappers import measure_review_record, risk_review_record
from riskreg.db.models import (
    Committee,
    Measure,
    MeasureReview,
    Plan,
    PlanMeasure,
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
from riskreg.services.context import Context

# Who a review is attributed to and when, when that is not the person saving it now:
# ``riskreg seed --exempel`` attributes its reviews to "exempeldata", dated inside the
# plan year. The audit log still records who saved them, and when.
Attribution = tuple[str, datetime]


def record_risk_review(
    ctx: Context,
    plan_id: int,
    risk_id: int,
    quarter: int,
    likelihood: int,
    consequence: int,
    comment: str = "",
    *,
    expected_version: int | None = None,
    attributed: Attribution | None = None,
) -> RiskReviewRecord:
    netto = Assessment.checked(likelihood, consequence)
    comment = limits.checked(comment.strip(), "Kommentaren", limits.TEXT_MAX, multiline=True)
    now = ctx.clock()
    who, when = attributed or (ctx.actor, now)
    limits.checked(who, "Den som bedömningen står på", limits.ACTOR_MAX)
    with ctx.transaction() as session:
        plan, period = _open_period(session, plan_id, quarter)
        risk = _risk_in_plan(session, plan, risk_id)
        review = session.scalar(
            select(RiskReview).where(
                RiskReview.risk_id == risk.id, RiskReview.period_id == period.id
            )
        )
        _check_version(review, expected_version, f"Bedömningen av {risk.ref}")
        before = _risk_review_state(review)
        if review is None:
            review = RiskReview(
                risk_id=risk.id,
                period_id=period.id,
                reviewed_by=who,
                reviewed_at=when,
                likelihood=0,
                consequence=0,
            )
            session.add(review)
        review.likelihood = netto.likelihood
        review.consequence = netto.consequence
        review.comment = comment.strip()
        review.reviewed_by = who
        review.reviewed_at = when
        session.flush()
        repo.write_audit(
            session,
            at=now,
            actor=ctx.actor,
            action="bedömde risk",
            entity="risk",
            entity_id=risk.id,
            entity_ref=f"{risk.ref} {plan.year} kv {quarter}",
            committee_id=plan.committee_id,
            plan_id=plan.id,
            before=before,
            after=_risk_review_state(review),
        )
        return risk_review_record(review, plan.year, quarter)


def record_measure_review(
    ctx: Context,
    plan_id: int,
    measure_id: int,
    quarter: int,
    status: MeasureStatus,
    *,
    result: ControlResult | None = None,
    comment: str = "",
    deviation: str | None = None,
    severity: Severity | None = None,
    expected_version: int | None = None,
    attributed: Attribution | None = None,
) -> MeasureReviewRecord:
    deviation = (
        limits.checked((deviation or "").strip(), "Avvikelsen", limits.TEXT_MAX, multiline=True)
        or None
    )
    comment = limits.checked(comment.strip(), "Kommentaren", limits.TEXT_MAX, multiline=True)
    if (deviation is None) != (severity is None):
        raise InvalidInput("En avvikelse behöver både en beskrivning och en allvarlighetsgrad.")
    if deviation is not None and result is ControlResult.NO_REMARK:
        raise InvalidInput(
            "Resultatet kan inte vara ”utan anmärkning” när en avvikelse är registrerad: "
            "välj ”med avvikelse” eller ta bort avvikelsen."
        )
    now = ctx.clock()
    who, when = attributed or (ctx.actor, now)
    limits.checked(who, "Den som bedömningen står på", limits.ACTOR_MAX)
    with ctx.transaction() as session:
        plan, period = _open_period(session, plan_id, quarter)
        measure = session.get(Measure, measure_id)
        in_plan = session.scalar(
            select(PlanMeasure.id).where(
                PlanMeasure.plan_id == plan.id, PlanMeasure.measure_id == measure_id
            )
        )
        if measure is None or in_plan is None:
            raise NotFound(f"Åtgärden finns inte i planen för {plan.year}.")
        if result is not None and measure.kind != MeasureKind.RECURRING:
            raise InvalidInput("Bara en återkommande kontroll har ett kontrollresultat.")
        review = session.scalar(
            select(MeasureReview).where(
                MeasureReview.measure_id == measure_id, MeasureReview.period_id == period.id
            )
        )
        risk = session.get_one(Risk, measure.risk_id)
        _check_version(review, expected_version, f"Uppföljningen av en åtgärd i {risk.ref}")
        before = _measure_review_state(review)
        if review is None:
            review = MeasureReview(
                measure_id=measure_id,
                period_id=period.id,
                reviewed_by=who,
                reviewed_at=when,
                status=status.value,
            )
            session.add(review)
        review.status = status.value
        review.result = result.value if result else None
        review.comment = comment.strip()
        review.deviation = deviation
        review.severity = severity.value if severity else None
        review.reviewed_by = who
        review.reviewed_at = when
        session.flush()
        repo.write_audit(
            session,
            at=now,
            actor=ctx.actor,
            action="följde upp åtgärd",
            entity="åtgärd",
            entity_id=measure_id,
            entity_ref=f"{risk.ref} {plan.year} kv {quarter}",
            committee_id=plan.committee_id,
            plan_id=plan.id,
            before=before,
            after=_measure_review_state(review),
        )
        return measure_review_record(review, plan.year, quarter)


def lock_period(ctx: Context, plan_id: int, quarter: int) -> PeriodInfo:
    """Finish a review period: nothing in it can change until it is reopened, and what it
    covered (its risks and åtgärder, and the counts) is frozen with it."""
    from riskreg.db.mappers import load_snapshot

    now = ctx.clock()
    with ctx.transaction() as session:
        plan, period = _open_period(session, plan_id, quarter, exclusive=True)
        snapshot = load_snapshot(session, plan)
        info = next(p for p in snapshot.plan.periods if p.quarter == quarter)
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
        return PeriodInfo(period.id, plan.year, quarter, period.locked_at, period.locked_by, frozen)


def reopen_period(ctx: Context, plan_id: int, quarter: int, reason: str) -> PeriodInfo:
    """Open a locked period again (logged, with the reason); its frozen scope goes with the
    lock and is taken anew when it is locked again."""
    reason = limits.checked(reason.strip(), "Motiveringen", limits.TEXT_MAX, multiline=True)
    if not reason:
        raise InvalidInput("Ange varför perioden öppnas igen; motiveringen sparas i loggen.")
    with ctx.transaction() as session:
        plan, period = _period(session, plan_id, quarter, exclusive=True)
        if period.locked_at is None:
            raise InvalidInput(f"Perioden {plan.year} kv {quarter} är inte låst.")
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
        return PeriodInfo(period.id, plan.year, quarter, None, None)


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
        entity_ref=f"{committee.short_name} {plan.year} kv {period.quarter}",
        committee_id=plan.committee_id,
        before=before,
        after=after,
    )


def _period(
    session: Session, plan_id: int, quarter: int, *, exclusive: bool = False
) -> tuple[Plan, ReviewPeriod]:
    """The plan and one of its periods, row-locked until the transaction ends (on
    PostgreSQL; SQLite's write transactions are serialised anyway): a review save takes
    shared locks, so locking the period or changing the plan's status waits for it, and a
    save that waited sees the period locked. ``exclusive`` for changing the period."""
    plan = session.get(Plan, plan_id, with_for_update={"read": True})
    if plan is None:
        raise NotFound("Planen finns inte längre i registret.")
    if not 1 <= quarter <= 4:
        raise InvalidInput(f"Kvartal {quarter} finns inte: välj 1–4.")
    period = session.scalar(
        select(ReviewPeriod)
        .where(ReviewPeriod.plan_id == plan_id, ReviewPeriod.quarter == quarter)
        .with_for_update(read=not exclusive)
    )
    if period is None:
        raise InvalidInput(f"Kvartal {quarter} finns inte: välj 1–4.")
    return plan, period


def _open_period(
    session: Session, plan_id: int, quarter: int, *, exclusive: bool = False
) -> tuple[Plan, ReviewPeriod]:
    plan, period = _period(session, plan_id, quarter, exclusive=exclusive)
    if plan.status != PlanStatus.ADOPTED:
        raise InvalidInput(
            f"Planen för {plan.year} är {plan.status}: bara en fastställd plan följs upp."
        )
    if period.locked_at is not None:
        raise InvalidInput(
            f"Perioden {plan.year} kv {quarter} är låst; öppna den igen med en motivering "
            "för att ändra."
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
    return {
        "sannolikhet": review.likelihood,
        "konsekvens": review.consequence,
        "kommentar": review.comment,
    }


def _measure_review_state(review: MeasureReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "status": review.status,
        "resultat": review.result,
        "kommentar": review.comment,
        "avvikelse": review.deviation,
        "allvarlighet": review.severity,
    }
