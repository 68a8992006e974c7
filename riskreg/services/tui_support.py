"""Small reads the terminal UI needs beyond the plan services.

Kept apart so the TUI adds no code to the modules other entry points depend on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from riskreg.db import repo
from riskreg.db.engine import check_schema, explain
from riskreg.db.mappers import assessment, plan_info
from riskreg.db.models import (
    Area,
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
from riskreg.domain.records import (
    Acceptance,
    Assessment,
    MeasureReviewRecord,
    PeriodRef,
    PlanSnapshot,
    RiskReviewRecord,
)
from riskreg.domain.records import PlanMeasure as PlanMeasureRecord
from riskreg.domain.records import PlanRisk as PlanRiskRecord
from riskreg.domain.scales import (
    ControlResult,
    Frequency,
    MeasureKind,
    MeasureStatus,
    Requirement,
    RiskStatus,
    Severity,
)
from riskreg.domain.text import swedish_key
from riskreg.services.context import Context


def check_register(ctx: Context) -> None:
    """Raise ``DatabaseProblem`` unless the database is a riskreg register at the schema
    version this code expects (missing tables, older or newer schema, unreachable)."""
    try:
        check_schema(ctx.engine)
    except SQLAlchemyError as exc:
        raise explain(exc, ctx.target) from exc


def area_names(ctx: Context, committee_id: int) -> list[str]:
    """The nämnd's verksamheter, sorted the Swedish way (the risk form's choices)."""
    with ctx.reading() as session:
        names = session.scalars(select(Area.name).where(Area.committee_id == committee_id))
        return sorted(names, key=swedish_key)


def current_plans(ctx: Context, *, latest_only: bool = False) -> list[PlanSnapshot]:
    """Every nämnd's current plan (the latest adopted, else the latest), nämnder in
    Swedish order: the overview across nämnder.

    The same records as ``plans.load_plan`` gives one plan at a time, but read with a
    handful of set-based Core queries for all plans at once (no ORM entities per
    review row). ``latest_only`` keeps just the two latest netto reviews per risk and
    the latest status per åtgärd — all a register row shows — which makes a region of
    50 nämnder about three times cheaper to load; load the full plan
    (``plans.load_plan_by_id``) before reviewing it.
    """
    with ctx.reading() as session:
        chosen: list[Plan] = []
        for committee in repo.committees(session):
            if repo.plans_of(session, committee.id):
                chosen.append(repo.current_plan(session, committee.id))
        return _snapshots(session, chosen, latest_only)


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


def _snapshots(session: Session, chosen: list[Plan], latest_only: bool) -> list[PlanSnapshot]:
    plan_ids = [p.id for p in chosen]
    if not plan_ids:
        return []
    in_plans = PlanRisk.plan_id.in_(plan_ids)

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
        .where(in_plans)
        .order_by(PlanRisk.plan_id, PlanRisk.position)
    ).all()

    current_pr, current_plan = aliased(PlanRisk), aliased(Plan)
    risk_review_rows: dict[int, list[Any]] = defaultdict(list)
    for r in _ranked(
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
        .join(current_pr, current_pr.risk_id == RiskReview.risk_id)
        .join(current_plan, current_plan.id == current_pr.plan_id)
        .where(current_pr.plan_id.in_(plan_ids), Plan.year <= current_plan.year),
        RiskReview.risk_id,
        2 if latest_only else None,
    ):
        risk_review_rows[r.owner].append(r)
    risk_reviews = {
        risk_id: [
            RiskReviewRecord(
                period=PeriodRef(r.year, r.quarter),
                netto=Assessment(r.likelihood, r.consequence),
                comment=r.comment,
                reviewed_by=r.reviewed_by,
                reviewed_at=r.reviewed_at,
                version=r.version,
            )
            for r in found
        ]
        for risk_id, found in risk_review_rows.items()
    }

    in_measure_plans = PlanMeasure.plan_id.in_(plan_ids)
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
        .where(in_measure_plans)
        .order_by(PlanMeasure.plan_id, PlanMeasure.position)
    ).all()
    measure_ids = select(PlanMeasure.measure_id).where(in_measure_plans)

    current_pm = aliased(PlanMeasure)
    measure_review_rows: dict[int, list[Any]] = defaultdict(list)
    for m in _ranked(
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
        .join(current_pm, current_pm.measure_id == MeasureReview.measure_id)
        .join(current_plan, current_plan.id == current_pm.plan_id)
        .where(current_pm.plan_id.in_(plan_ids), Plan.year <= current_plan.year),
        MeasureReview.measure_id,
        1 if latest_only else None,
    ):
        measure_review_rows[m.owner].append(m)
    measure_reviews = {
        measure_id: [
            MeasureReviewRecord(
                period=PeriodRef(m.year, m.quarter),
                status=MeasureStatus(m.status),
                result=ControlResult(m.result) if m.result else None,
                comment=m.comment,
                deviation=m.deviation,
                severity=Severity(m.severity) if m.severity else None,
                reviewed_by=m.reviewed_by,
                reviewed_at=m.reviewed_at,
                version=m.version,
            )
            for m in found
        ]
        for measure_id, found in measure_review_rows.items()
    }

    roles: dict[int, list[str]] = defaultdict(list)
    role_rows = session.execute(
        select(measure_role.c.measure_id, Role.name)
        .join(Role, Role.id == measure_role.c.role_id)
        .where(measure_role.c.measure_id.in_(measure_ids))
    ).all()
    for measure_id, role_name in role_rows:
        roles[int(measure_id)].append(str(role_name))

    measures: dict[tuple[int, int], list[PlanMeasureRecord]] = defaultdict(list)
    for mrow in measure_rows:
        measures[(mrow.plan_id, mrow.risk_id)].append(
            PlanMeasureRecord(
                id=mrow.id,
                version=mrow.version,
                text=mrow.text,
                region_wide=mrow.region_wide,
                kind=MeasureKind(mrow.kind),
                frequency=Frequency(mrow.frequency) if mrow.frequency else None,
                due_date=mrow.due_date,
                roles=tuple(sorted(roles[mrow.id], key=swedish_key)),
                source=mrow.source,
                reviews=tuple(measure_reviews.get(mrow.id, ())),
            )
        )

    risks: dict[int, list[PlanRiskRecord]] = defaultdict(list)
    for rrow in risk_rows:
        risks[rrow.plan_id].append(
            PlanRiskRecord(
                id=rrow.id,
                version=rrow.version,
                ref=rrow.ref,
                area=rrow.name,
                area_code=rrow.code,
                text=rrow.text,
                region_wide=rrow.region_wide,
                requirement=Requirement(rrow.requirement) if rrow.requirement else None,
                status=RiskStatus(rrow.status),
                acceptance=None
                if rrow.accepted_by is None
                else Acceptance(rrow.accepted_by, rrow.accepted_reason or "", rrow.accepted_until),
                brutto=assessment(rrow.brutto_likelihood, rrow.brutto_consequence),
                source=rrow.source,
                measures=tuple(measures[(rrow.plan_id, rrow.id)]),
                reviews=tuple(risk_reviews.get(rrow.id, ())),
            )
        )
    return [
        PlanSnapshot(plan=plan_info(session, plan), risks=tuple(risks[plan.id])) for plan in chosen
    ]
