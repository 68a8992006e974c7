"""``riskreg risks``: the risks of the current plans, filtered, in a few set-based queries.

"Open" means what a controller means: a risk of the nämnd's current plan (the latest
fastställd plan, else the latest plan) whose status is aktiv — not accepted, not closed.
Netto, trend and "last reviewed" come from the risk's reviews up to that plan year, so a
new plan shows last year's verdicts until the first review of the year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from riskreg.db import repo
from riskreg.db.models import (
    Area,
    AreaAlias,
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
from riskreg.domain.errors import InvalidInput, NotFound
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import Assessment, PeriodRef, RiskRow, trend_between
from riskreg.domain.scales import QUARTERS, MeasureStatus, PlanStatus, RiskStatus
from riskreg.domain.text import swedish_key
from riskreg.services.context import Context


@dataclass(frozen=True)
class RiskFilter:
    committee: str | None = None
    year: int | None = None
    area: str | None = None
    role: str | None = None
    min_value: int | None = None
    unreviewed: bool = False  # no netto review yet in the current period
    include_all: bool = False  # accepted and closed risks too


def current_period(plan_year: int, locked: set[int], today: date) -> PeriodRef:
    """The period a review is due in: this quarter for this year's plan; for an earlier
    year the first quarter not yet locked (its last quarter when all are)."""
    if plan_year == today.year:
        return PeriodRef(plan_year, (today.month - 1) // 3 + 1)
    if plan_year > today.year:
        return PeriodRef(plan_year, 1)
    open_quarters = [q for q in QUARTERS if q not in locked]
    return PeriodRef(plan_year, open_quarters[0] if open_quarters else QUARTERS[-1])


def list_risks(ctx: Context, wanted: RiskFilter) -> list[RiskRow]:
    if wanted.min_value is not None and not 1 <= wanted.min_value <= 16:
        raise InvalidInput(f"Lägsta riskvärde ska vara 1–16, inte {wanted.min_value}.")
    today = ctx.clock().date()
    with ctx.reading() as session:
        plans = _plans_in_scope(session, wanted)
        if not plans:
            return []
        plan_ids = [p.id for p in plans]
        matrices = {p.id: RiskMatrix.from_dict(p.matrix) for p in plans}
        periods = {
            p.id: current_period(p.year, {q.quarter for q in p.periods if q.locked_at}, today)
            for p in plans
        }
        area_ids = _area_filter(session, plans, wanted.area)
        role_risks = _role_filter(session, plan_ids, wanted.role)
        netto = _latest_reviews(session, plan_ids)
        done, total = _measure_progress(session, plan_ids)
        roles = _roles(session, plan_ids)

        query = (
            select(
                Committee.name,
                Plan.id,
                Plan.year,
                Risk.id,
                Risk.ref,
                Area.id,
                Area.name,
                PlanRisk.text,
                PlanRisk.region_wide,
                Risk.status,
                PlanRisk.brutto_likelihood,
                PlanRisk.brutto_consequence,
            )
            .join(Plan, Plan.id == PlanRisk.plan_id)
            .join(Risk, Risk.id == PlanRisk.risk_id)
            .join(Area, Area.id == Risk.area_id)
            .join(Committee, Committee.id == Plan.committee_id)
            .where(PlanRisk.plan_id.in_(plan_ids))
        )
        if not wanted.include_all:
            query = query.where(Risk.status == RiskStatus.ACTIVE.value)
        rows: list[tuple[str, int, RiskRow]] = []
        for (
            committee,
            plan_id,
            year,
            risk_id,
            ref,
            area_id,
            area,
            text,
            region_wide,
            status,
            b_l,
            b_c,
        ) in session.execute(query.order_by(PlanRisk.position)):
            if area_ids is not None and area_id not in area_ids:
                continue
            if role_risks is not None and risk_id not in role_risks:
                continue
            reviews = netto.get((plan_id, risk_id), [])
            latest = reviews[0] if reviews else None
            if wanted.unreviewed and latest is not None and latest[0] == periods[plan_id]:
                continue
            latest_netto = latest[1] if latest else None
            if wanted.min_value is not None and (
                latest_netto is None or latest_netto.value < wanted.min_value
            ):
                continue
            level = (
                matrices[plan_id].level(latest_netto.likelihood, latest_netto.consequence)
                if latest_netto
                else None
            )
            key = (plan_id, risk_id)
            rows.append(
                (
                    committee,
                    plan_id,
                    RiskRow(
                        committee=committee,
                        year=year,
                        ref=ref,
                        area=area,
                        text=text,
                        region_wide=region_wide,
                        status=RiskStatus(status),
                        brutto=Assessment(b_l, b_c) if b_l and b_c else None,
                        netto=latest_netto,
                        netto_level=level.name if level else None,
                        netto_colour=level.colour if level else None,
                        trend=trend_between(
                            latest_netto, reviews[1][1] if len(reviews) > 1 else None
                        ),
                        measures_done=done.get(key, 0),
                        measures_total=total.get(key, 0),
                        roles=tuple(sorted(roles.get(key, ()), key=swedish_key)),
                        last_reviewed=latest[2] if latest else None,
                    ),
                )
            )
    rows.sort(key=lambda r: swedish_key(r[0]))  # stable: plan order within a nämnd
    return [row for _, _, row in rows]


def _plans_in_scope(session: Session, wanted: RiskFilter) -> list[Plan]:
    if wanted.committee is not None:
        committees = [repo.get_committee(session, wanted.committee)]
    else:
        committees = repo.committees(session)
        if not committees:
            raise NotFound(
                "Registret är tomt: kör ”riskreg seed” eller importera en plan med "
                "”riskreg import plan”."
            )
    by_committee: dict[int, list[Plan]] = defaultdict(list)
    for plan in session.scalars(
        select(Plan)
        .where(Plan.committee_id.in_([c.id for c in committees]))
        .options(selectinload(Plan.periods))
        .order_by(Plan.year)
    ):
        by_committee[plan.committee_id].append(plan)
    chosen: list[Plan] = []
    for committee in committees:
        plans = by_committee.get(committee.id, [])
        if wanted.year is not None:
            match = [p for p in plans if p.year == wanted.year]
            if not match and wanted.committee is not None:
                years = ", ".join(str(p.year) for p in plans) or "inga"
                raise NotFound(
                    f"{committee.name} har ingen plan för {wanted.year}; planer finns för: {years}."
                )
            chosen.extend(match)
        elif plans:
            adopted = [p for p in plans if p.status == PlanStatus.ADOPTED]
            chosen.append((adopted or plans)[-1])
    if wanted.year is not None and not chosen:
        raise NotFound(f"Det finns ingen plan för {wanted.year} i registret.")
    return chosen


def _area_filter(session: Session, plans: list[Plan], label: str | None) -> set[int] | None:
    if label is None:
        return None
    wanted = label.strip().casefold()
    committee_ids = {p.committee_id for p in plans}
    ids = {
        area_id
        for area_id, *names in session.execute(
            select(Area.id, Area.name, Area.code, AreaAlias.alias)
            .outerjoin(AreaAlias, AreaAlias.area_id == Area.id)
            .where(Area.committee_id.in_(committee_ids))
        )
        if wanted in (n.casefold() for n in names if n)
    }
    if not ids:
        known = sorted(
            set(session.scalars(select(Area.name).where(Area.committee_id.in_(committee_ids)))),
            key=swedish_key,
        )
        raise NotFound(f"Okänd verksamhet ”{label}”; kända verksamheter: {', '.join(known)}.")
    return ids


def _role_filter(session: Session, plan_ids: list[int], name: str | None) -> set[int] | None:
    if name is None:
        return None
    role = repo.get_role(session, name)
    return set(
        session.scalars(
            select(Measure.risk_id)
            .join(PlanMeasure, PlanMeasure.measure_id == Measure.id)
            .join(measure_role, measure_role.c.measure_id == Measure.id)
            .where(PlanMeasure.plan_id.in_(plan_ids), measure_role.c.role_id == role.id)
        )
    )


def _latest_reviews(
    session: Session, plan_ids: list[int]
) -> dict[tuple[int, int], list[tuple[PeriodRef, Assessment, date]]]:
    """The two newest netto reviews of each risk up to its plan's year, newest first."""
    chosen = select(Plan.id, Plan.year).where(Plan.id.in_(plan_ids)).subquery()
    review_plan = Plan.__table__.alias("review_plan")
    ranked = (
        select(
            PlanRisk.plan_id.label("plan_id"),
            RiskReview.risk_id.label("risk_id"),
            review_plan.c.year.label("year"),
            ReviewPeriod.quarter.label("quarter"),
            RiskReview.likelihood.label("likelihood"),
            RiskReview.consequence.label("consequence"),
            RiskReview.reviewed_at.label("reviewed_at"),
            func.row_number()
            .over(
                partition_by=(PlanRisk.plan_id, RiskReview.risk_id),
                order_by=(review_plan.c.year.desc(), ReviewPeriod.quarter.desc()),
            )
            .label("rank"),
        )
        .join(chosen, chosen.c.id == PlanRisk.plan_id)
        .join(RiskReview, RiskReview.risk_id == PlanRisk.risk_id)
        .join(ReviewPeriod, ReviewPeriod.id == RiskReview.period_id)
        .join(review_plan, review_plan.c.id == ReviewPeriod.plan_id)
        .where(review_plan.c.year <= chosen.c.year)
        .subquery()
    )
    result: dict[tuple[int, int], list[tuple[PeriodRef, Assessment, date]]] = defaultdict(list)
    for row in session.execute(_top_two(ranked)):
        result[(row.plan_id, row.risk_id)].append(
            (
                PeriodRef(row.year, row.quarter),
                Assessment(row.likelihood, row.consequence),
                row.reviewed_at.date(),
            )
        )
    return result


def _top_two(ranked: object) -> Select[tuple[object, ...]]:
    columns = ranked.c  # type: ignore[attr-defined]
    return select(columns).where(columns.rank <= 2).order_by(columns.plan_id, columns.rank)


def _measure_progress(
    session: Session, plan_ids: list[int]
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Per risk and plan: åtgärder whose latest status this year is genomförd, and all
    åtgärder that have not been dropped (utgår)."""
    ranked = (
        select(
            PlanMeasure.plan_id.label("plan_id"),
            Measure.risk_id.label("risk_id"),
            PlanMeasure.measure_id.label("measure_id"),
            MeasureReview.status.label("status"),
            func.row_number()
            .over(
                partition_by=(PlanMeasure.plan_id, PlanMeasure.measure_id),
                # quarters without a review for this åtgärd last
                order_by=(MeasureReview.id.is_(None), ReviewPeriod.quarter.desc()),
            )
            .label("rank"),
        )
        .join(Measure, Measure.id == PlanMeasure.measure_id)
        .outerjoin(ReviewPeriod, ReviewPeriod.plan_id == PlanMeasure.plan_id)
        .outerjoin(
            MeasureReview,
            (MeasureReview.period_id == ReviewPeriod.id)
            & (MeasureReview.measure_id == PlanMeasure.measure_id),
        )
        .where(PlanMeasure.plan_id.in_(plan_ids))
        .subquery()
    )
    done: dict[tuple[int, int], int] = defaultdict(int)
    total: dict[tuple[int, int], int] = defaultdict(int)
    latest = select(ranked.c.plan_id, ranked.c.risk_id, ranked.c.status).where(ranked.c.rank == 1)
    for plan_id, risk_id, status in session.execute(latest):
        if status == MeasureStatus.DROPPED:
            continue
        total[(plan_id, risk_id)] += 1
        if status == MeasureStatus.DONE:
            done[(plan_id, risk_id)] += 1
    return done, total


def _roles(session: Session, plan_ids: list[int]) -> dict[tuple[int, int], set[str]]:
    result: dict[tuple[int, int], set[str]] = defaultdict(set)
    for plan_id, risk_id, name in session.execute(
        select(PlanMeasure.plan_id, Measure.risk_id, Role.name)
        .join(Measure, Measure.id == PlanMeasure.measure_id)
        .join(measure_role, measure_role.c.measure_id == Measure.id)
        .join(Role, Role.id == measure_role.c.role_id)
        .where(PlanMeasure.plan_id.in_(plan_ids))
    ):
        result[(plan_id, risk_id)].add(name)
    return result
