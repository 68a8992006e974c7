"""ORM rows to frozen records. The plan snapshot is loaded in a handful of set-based
queries (no per-risk round trips), so a 2,000-risk plan loads at once."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

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


def acceptance(risk: Risk) -> Acceptance | None:
    if risk.accepted_by is None:
        return None
    return Acceptance(risk.accepted_by, risk.accepted_reason or "", risk.accepted_until)


def load_snapshot(session: Session, plan: Plan) -> PlanSnapshot:
    info = plan_info(session, plan)
    risk_rows = session.execute(
        select(PlanRisk, Risk, Area)
        .join(Risk, Risk.id == PlanRisk.risk_id)
        .join(Area, Area.id == Risk.area_id)
        .where(PlanRisk.plan_id == plan.id)
        .order_by(PlanRisk.position)
    ).all()
    risk_ids = select(PlanRisk.risk_id).where(PlanRisk.plan_id == plan.id).scalar_subquery()
    measure_ids = (
        select(PlanMeasure.measure_id).where(PlanMeasure.plan_id == plan.id).scalar_subquery()
    )

    risk_reviews: dict[int, list[RiskReviewRecord]] = defaultdict(list)
    for review, year, quarter in session.execute(
        select(RiskReview, Plan.year, ReviewPeriod.quarter)
        .join(ReviewPeriod, ReviewPeriod.id == RiskReview.period_id)
        .join(Plan, Plan.id == ReviewPeriod.plan_id)
        .where(RiskReview.risk_id.in_(risk_ids), Plan.year <= plan.year)
        .order_by(Plan.year, ReviewPeriod.quarter)
    ):
        risk_reviews[review.risk_id].append(
            RiskReviewRecord(
                period=PeriodRef(year, quarter),
                netto=Assessment(review.likelihood, review.consequence),
                comment=review.comment,
                reviewed_by=review.reviewed_by,
                reviewed_at=review.reviewed_at,
                version=review.version,
            )
        )

    measure_reviews: dict[int, list[MeasureReviewRecord]] = defaultdict(list)
    for m_review, year, quarter in session.execute(
        select(MeasureReview, Plan.year, ReviewPeriod.quarter)
        .join(ReviewPeriod, ReviewPeriod.id == MeasureReview.period_id)
        .join(Plan, Plan.id == ReviewPeriod.plan_id)
        .where(MeasureReview.measure_id.in_(measure_ids), Plan.year <= plan.year)
        .order_by(Plan.year, ReviewPeriod.quarter)
    ):
        measure_reviews[m_review.measure_id].append(measure_review_record(m_review, year, quarter))

    roles: dict[int, list[str]] = defaultdict(list)
    for measure_id, role_name in session.execute(
        select(measure_role.c.measure_id, Role.name)
        .join(Role, Role.id == measure_role.c.role_id)
        .where(measure_role.c.measure_id.in_(measure_ids))
    ):
        roles[measure_id].append(role_name)

    measures: dict[int, list[PlanMeasureRecord]] = defaultdict(list)
    for pm, measure in session.execute(
        select(PlanMeasure, Measure)
        .join(Measure, Measure.id == PlanMeasure.measure_id)
        .where(PlanMeasure.plan_id == plan.id)
        .order_by(PlanMeasure.position)
    ):
        measures[measure.risk_id].append(
            PlanMeasureRecord(
                id=measure.id,
                version=measure.version,
                text=pm.text,
                region_wide=pm.region_wide,
                kind=MeasureKind(measure.kind),
                frequency=Frequency(measure.frequency) if measure.frequency else None,
                due_date=measure.due_date,
                roles=tuple(sorted(roles[measure.id], key=swedish_key)),
                source=pm.source,
                reviews=tuple(measure_reviews[measure.id]),
            )
        )

    risks = tuple(
        PlanRiskRecord(
            id=risk.id,
            version=risk.version,
            ref=risk.ref,
            area=area.name,
            area_code=area.code,
            text=pr.text,
            region_wide=pr.region_wide,
            requirement=Requirement(risk.requirement) if risk.requirement else None,
            status=RiskStatus(risk.status),
            acceptance=acceptance(risk),
            brutto=assessment(pr.brutto_likelihood, pr.brutto_consequence),
            source=pr.source,
            measures=tuple(measures[risk.id]),
            reviews=tuple(risk_reviews[risk.id]),
        )
        for pr, risk, area in risk_rows
    )
    return PlanSnapshot(plan=info, risks=risks)


def measure_review_record(review: MeasureReview, year: int, quarter: int) -> MeasureReviewRecord:
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
