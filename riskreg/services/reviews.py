"""The quarterly review: netto per risk, status per åtgärd, locking and reopening a period.

Every call is its own transaction and writes the audit log, so a review saved key by key
loses nothing if the terminal closes. ``expected_version`` guards against silent
overwrites: ``0`` means "I saw no answer for this period yet", ``n`` "I saw version n",
``None`` skips the check (scripts).
"""

from __future__ import annotations

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
from riskreg.domain.errors import ConflictError, InvalidInput, NotFound
from riskreg.domain.records import (
    Assessment,
    MeasureReviewRecord,
    PeriodInfo,
    RiskReviewRecord,
)
from riskreg.domain.scales import ControlResult, MeasureKind, MeasureStatus, PlanStatus, Severity
from riskreg.services.context import Context


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
) -> RiskReviewRecord:
    netto = Assessment.checked(likelihood, consequence)
    now = ctx.clock()
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
                reviewed_by=ctx.actor,
                reviewed_at=now,
                likelihood=0,
                consequence=0,
            )
            session.add(review)
        review.likelihood = netto.likelihood
        review.consequence = netto.consequence
        review.comment = comment.strip()
        review.reviewed_by = ctx.actor
        review.reviewed_at = now
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
) -> MeasureReviewRecord:
    deviation = (deviation or "").strip() or None
    if (deviation is None) != (severity is None):
        raise InvalidInput("En avvikelse behöver både en beskrivning och en allvarlighetsgrad.")
    now = ctx.clock()
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
                reviewed_by=ctx.actor,
                reviewed_at=now,
                status=status.value,
            )
            session.add(review)
        review.status = status.value
        review.result = result.value if result else None
        review.comment = comment.strip()
        review.deviation = deviation
        review.severity = severity.value if severity else None
        review.reviewed_by = ctx.actor
        review.reviewed_at = now
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
            before=before,
            after=_measure_review_state(review),
        )
        return measure_review_record(review, plan.year, quarter)


def lock_period(ctx: Context, plan_id: int, quarter: int) -> PeriodInfo:
    """Finish a review period: nothing in it can change until it is reopened."""
    now = ctx.clock()
    with ctx.transaction() as session:
        plan, period = _open_period(session, plan_id, quarter)
        period.locked_at = now
        period.locked_by = ctx.actor
        _audit_period(session, ctx, plan, period, "låste period", {"låst": False}, {"låst": True})
        return PeriodInfo(period.id, plan.year, quarter, period.locked_at, period.locked_by)


def reopen_period(ctx: Context, plan_id: int, quarter: int, reason: str) -> PeriodInfo:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Ange varför perioden öppnas igen; motiveringen sparas i loggen.")
    with ctx.transaction() as session:
        plan, period = _period(session, plan_id, quarter)
        if period.locked_at is None:
            raise InvalidInput(f"Perioden {plan.year} kv {quarter} är inte låst.")
        before = {"låst": True, "låst av": period.locked_by}
        period.locked_at = None
        period.locked_by = None
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


def _period(session: Session, plan_id: int, quarter: int) -> tuple[Plan, ReviewPeriod]:
    plan = repo.get_plan_by_id(session, plan_id)
    period = next((p for p in plan.periods if p.quarter == quarter), None)
    if period is None:
        raise InvalidInput(f"Kvartal {quarter} finns inte: välj 1–4.")
    return plan, period


def _open_period(session: Session, plan_id: int, quarter: int) -> tuple[Plan, ReviewPeriod]:
    plan, period = _period(session, plan_id, quarter)
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
