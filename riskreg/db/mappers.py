"""ORM and Core rows to frozen records. Plan snapshots load in a handful of set-based
queries (no per-risk or per-review round trips), so a region's 2,000 risks load at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Row, func, select, true
from sqlalchemy.orm import Session, aliased

from riskreg.db.models import (
    Area,
    AuditEntry,
    Committee,
    Measure,
    MeasureReview,
    Plan,
    PlanMeasure,
    PlanRisk,
    ReviewPeriod,
    Risk,
    RiskReview,
    Role,
    measure_role,
)
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import (
    Acceptance,
    Assessment,
    MeasureReviewRecord,
    PeriodInfo,
    PeriodRef,
    PlanInfo,
    PlanSnapshot,
    RiskReviewRecord,
)
from riskreg.domain.records import (
    AuditEntry as AuditRecord,
)
from riskreg.domain.records import (
    PlanMeasure as PlanMeasureRecord,
)
from riskreg.domain.records import (
    PlanRisk as PlanRiskRecord,
)
from riskreg.domain.scales import (
    ControlResult,
    Frequency,
    MeasureKind,
    MeasureStatus,
    PlanStatus,
    Requirement,
    RiskStatus,
    Severity,
)
from riskreg.domain.text import swedish_key


def plan_info(session: Session, plan: Plan) -> PlanInfo:
    committee = session.get_one(Committee, plan.committee_id)
    return PlanInfo(
        id=plan.id,
        committee_id=committee.id,
        committee=committee.name,
        year=plan.year,
        status=PlanStatus(plan.status),
        dnr=plan.dnr,
        adopted_on=plan.adopted_on,
        matrix=RiskMatrix.from_dict(plan.matrix),
        periods=tuple(
            PeriodInfo(p.id, plan.year, p.quarter, p.locked_at, p.locked_by) for p in plan.periods
        ),
        version=plan.version,
    )


def assessment(likelihood: int | None, consequence: int | None) -> Assessment | None:
    if likelihood is None or consequence is None:
        return None
    return Assessment(likelihood, consequence)


def acceptance(by: str | None, reason: str | None, until: date | None) -> Acceptance | None:
    return None if by is None else Acceptance(by, reason or "", until)


class _RiskReviewFields(Protocol):
    likelihood: int
    consequence: int
    comment: str
    reviewed_by: str
    reviewed_at: datetime
    version: int


class _MeasureReviewFields(Protocol):
    status: str
    result: str | None
    comment: str
    deviation: str | None
    severity: str | None
    reviewed_by: str
    reviewed_at: datetime
    version: int


def risk_review_record(review: _RiskReviewFields, year: int, quarter: int) -> RiskReviewRecord:
    """From an ORM row or a Core row with the same column names."""
    return RiskReviewRecord(
        period=PeriodRef(year, quarter),
        netto=Assessment(review.likelihood, review.consequence),
        comment=review.comment,
        reviewed_by=review.reviewed_by,
        reviewed_at=review.reviewed_at,
        version=review.version,
    )


def measure_review_record(
    review: _MeasureReviewFields, year: int, quarter: int
) -> MeasureReviewRecord:
    """From an ORM row or a Core row with the same column names."""
    return MeasureReviewRecord(
        period=PeriodRef(year, quarter),
        status=MeasureStatus(review.status),
        result=ControlResult(review.result) if review.result else None,
        comment=review.comment,
        deviation=review.deviation,
        severity=Severity(review.severity) if review.severity else None,
        reviewed_by=review.reviewed_by,
        reviewed_at=review.reviewed_at,
        version=review.version,
    )


def load_snapshot(session: Session, plan: Plan, *, risk_id: int | None = None) -> PlanSnapshot:
    """One plan year; with ``risk_id``, a snapshot holding just that risk."""
    return load_snapshots(session, [plan], risk_id=risk_id)[0]


def load_snapshots(
    session: Session,
    chosen: Sequence[Plan],
    *,
    latest_only: bool = False,
    risk_id: int | None = None,
) -> list[PlanSnapshot]:
    """Plan years with their risks, åtgärder and reviews (each risk's reviews up to its
    plan's year), read with a handful of set-based Core queries for all plans at once.

    ``latest_only`` keeps just the two latest netto reviews per risk and the latest status
    per åtgärd — all a register row shows — which makes an overview of a whole region's
    plans several times cheaper to load. Give each risk at most one of the plans.
    """
    plan_ids = [p.id for p in chosen]
    if not plan_ids:
        return []
    # ``risk_id`` narrows every query to one risk (a detail view needs no more).
    in_risk = Risk.id == risk_id if risk_id is not None else true()
    reviews_of_risk = RiskReview.risk_id == risk_id if risk_id is not None else true()
    measures_of_risk = Measure.risk_id == risk_id if risk_id is not None else true()
    reviews_of_measures = (
        MeasureReview.measure_id.in_(select(Measure.id).where(measures_of_risk))
        if risk_id is not None
        else true()
    )
    risk_rows = session.execute(
        select(
            PlanRisk.plan_id,
            PlanRisk.text,
            PlanRisk.region_wide,
            PlanRisk.brutto_likelihood,
            PlanRisk.brutto_consequence,
            PlanRisk.source,
            Risk.id,
            Risk.version,
            Risk.ref,
            Risk.requirement,
            Risk.status,
            Risk.accepted_by,
            Risk.accepted_reason,
            Risk.accepted_until,
            Area.name,
            Area.code,
        )
        .join(Risk, Risk.id == PlanRisk.risk_id)
        .join(Area, Area.id == Risk.area_id)
        .where(PlanRisk.plan_id.in_(plan_ids), in_risk)
        .order_by(PlanRisk.plan_id, PlanRisk.position)
    ).all()
    chosen_plan = aliased(Plan)

    chosen_risk = aliased(PlanRisk)
    risk_reviews: dict[int, list[RiskReviewRecord]] = defaultdict(list)
    for rv in _ranked(
        session,
        select(
            RiskReview.risk_id.label("owner"),
            RiskReview.likelihood,
            RiskReview.consequence,
            RiskReview.comment,
            RiskReview.reviewed_by,
            RiskReview.reviewed_at,
            RiskReview.version,
            Plan.year,
            ReviewPeriod.quarter,
        )
        .join(ReviewPeriod, ReviewPeriod.id == RiskReview.period_id)
        .join(Plan, Plan.id == ReviewPeriod.plan_id)
        .join(chosen_risk, chosen_risk.risk_id == RiskReview.risk_id)
        .join(chosen_plan, chosen_plan.id == chosen_risk.plan_id)
        .where(
            chosen_risk.plan_id.in_(plan_ids),
            Plan.year <= chosen_plan.year,
            reviews_of_risk,
        ),
        RiskReview.risk_id,
        2 if latest_only else None,
    ):
        risk_reviews[rv.owner].append(risk_review_record(rv, rv.year, rv.quarter))

    measure_rows = session.execute(
        select(
            PlanMeasure.plan_id,
            PlanMeasure.text,
            PlanMeasure.region_wide,
            PlanMeasure.source,
            Measure.id,
            Measure.risk_id,
            Measure.version,
            Measure.kind,
            Measure.frequency,
            Measure.due_date,
        )
        .join(Measure, Measure.id == PlanMeasure.measure_id)
        .where(
            PlanMeasure.plan_id.in_(plan_ids),
            measures_of_risk,
        )
        .order_by(PlanMeasure.plan_id, PlanMeasure.position)
    ).all()

    chosen_measure = aliased(PlanMeasure)
    measure_reviews: dict[int, list[MeasureReviewRecord]] = defaultdict(list)
    for mv in _ranked(
        session,
        select(
            MeasureReview.measure_id.label("owner"),
            MeasureReview.status,
            MeasureReview.result,
            MeasureReview.comment,
            MeasureReview.deviation,
            MeasureReview.severity,
            MeasureReview.reviewed_by,
            MeasureReview.reviewed_at,
            MeasureReview.version,
            Plan.year,
            ReviewPeriod.quarter,
        )
        .join(ReviewPeriod, ReviewPeriod.id == MeasureReview.period_id)
        .join(Plan, Plan.id == ReviewPeriod.plan_id)
        .join(chosen_measure, chosen_measure.measure_id == MeasureReview.measure_id)
        .join(chosen_plan, chosen_plan.id == chosen_measure.plan_id)
        .where(
            chosen_measure.plan_id.in_(plan_ids),
            Plan.year <= chosen_plan.year,
            reviews_of_measures,
        ),
        MeasureReview.measure_id,
        1 if latest_only else None,
    ):
        measure_reviews[mv.owner].append(measure_review_record(mv, mv.year, mv.quarter))

    roles: dict[int, list[str]] = defaultdict(list)
    for measure_id, role_name in session.execute(
        select(measure_role.c.measure_id, Role.name)
        .join(Role, Role.id == measure_role.c.role_id)
        .where(
            measure_role.c.measure_id.in_(
                select(PlanMeasure.measure_id).where(PlanMeasure.plan_id.in_(plan_ids))
            )
        )
    ):
        roles[measure_id].append(role_name)

    measures: dict[tuple[int, int], list[PlanMeasureRecord]] = defaultdict(list)
    for m in measure_rows:
        measures[(m.plan_id, m.risk_id)].append(
            PlanMeasureRecord(
                id=m.id,
                version=m.version,
                text=m.text,
                region_wide=m.region_wide,
                kind=MeasureKind(m.kind),
                frequency=Frequency(m.frequency) if m.frequency else None,
                due_date=m.due_date,
                roles=tuple(sorted(roles[m.id], key=swedish_key)),
                source=m.source,
                reviews=tuple(measure_reviews[m.id]),
            )
        )

    risks: dict[int, list[PlanRiskRecord]] = defaultdict(list)
    for r in risk_rows:
        risks[r.plan_id].append(
            PlanRiskRecord(
                id=r.id,
                version=r.version,
                ref=r.ref,
                area=r.name,
                area_code=r.code,
                text=r.text,
                region_wide=r.region_wide,
                requirement=Requirement(r.requirement) if r.requirement else None,
                status=RiskStatus(r.status),
                acceptance=acceptance(r.accepted_by, r.accepted_reason, r.accepted_until),
                brutto=assessment(r.brutto_likelihood, r.brutto_consequence),
                source=r.source,
                measures=tuple(measures[(r.plan_id, r.id)]),
                reviews=tuple(risk_reviews[r.id]),
            )
        )
    return [PlanSnapshot(plan=plan_info(session, p), risks=tuple(risks[p.id])) for p in chosen]


def _ranked(session: Session, query: Any, owner: Any, keep: int | None) -> Sequence[Row[Any]]:
    """Reviews in period order per owner; with ``keep``, only each owner's latest ones
    (a window function, so the rows left out never leave the database)."""
    if keep is None:
        return session.execute(query.order_by(owner, Plan.year, ReviewPeriod.quarter)).all()
    rank = (
        func.row_number()
        .over(partition_by=owner, order_by=(Plan.year.desc(), ReviewPeriod.quarter.desc()))
        .label("rank")
    )
    ranked = query.add_columns(rank).subquery()
    return session.execute(
        select(ranked)
        .where(ranked.c.rank <= keep)
        .order_by(ranked.c.owner, ranked.c.year, ranked.c.quarter)
    ).all()


def audit_record(entry: AuditEntry) -> AuditRecord:
    return AuditRecord(
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        entity=entry.entity,
        entity_ref=entry.entity_ref,
        before=entry.before,
        after=entry.after,
    )
