"""Writing plan content: a new plan year, a risk in it, an åtgärd in it.

Shared by seeding, importing, plan editing and roll-over, so that references, periods,
positions and the identity rules are decided in one place.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.models import (
    Area,
    Committee,
    Measure,
    Plan,
    PlanMeasure,
    PlanRisk,
    ReviewPeriod,
    Risk,
    Role,
)
from riskreg.domain import limits
from riskreg.domain.errors import InvalidInput
from riskreg.domain.matrix import RiskMatrix, default_matrix
from riskreg.domain.records import Assessment
from riskreg.domain.scales import QUARTERS, Frequency, MeasureKind, PlanStatus


def create_plan(
    session: Session,
    committee: Committee,
    year: int,
    now: datetime,
    *,
    status: PlanStatus = PlanStatus.DRAFT,
    matrix: RiskMatrix | None = None,
    dnr: str | None = None,
    adopted_on: date | None = None,
) -> Plan:
    """A plan year with its four review periods and its own frozen copy of the matrix.

    The nämnd is locked first, before anything in this transaction refers to it: two
    imports at once then wait for each other instead of deadlocking on PostgreSQL, and the
    second is told the year exists rather than meeting a duplicate key."""
    repo.lock_committee(session, committee.id)
    limits.check_year(year)
    if dnr is not None:
        limits.checked(dnr, "Diarienumret", limits.DNR_MAX)
    exists = session.scalar(
        select(Plan.id).where(Plan.committee_id == committee.id, Plan.year == year)
    )
    if exists is not None:
        raise InvalidInput(f"{committee.name} har redan en plan för {year}.")
    plan = Plan(
        committee_id=committee.id,
        year=year,
        status=status.value,
        dnr=dnr,
        adopted_on=adopted_on,
        matrix=(matrix or default_matrix()).to_dict(),
        created_at=now,
        updated_at=now,
    )
    plan.periods = [ReviewPeriod(quarter=q) for q in QUARTERS]
    session.add(plan)
    session.flush()
    return plan


def next_ref(session: Session, area: Area) -> str:
    """The next free reference in a verksamhet: ``EK-07`` after ``EK-06``."""
    repo.lock_committee(session, area.committee_id)
    refs = session.scalars(
        select(Risk.ref).where(
            Risk.committee_id == area.committee_id, Risk.ref.like(f"{area.code}-%")
        )
    )
    numbers = [int(m[1]) for r in refs if (m := re.fullmatch(rf"{re.escape(area.code)}-(\d+)", r))]
    return f"{area.code}-{max(numbers, default=0) + 1:02d}"


def next_position(session: Session, model: type[PlanRisk] | type[PlanMeasure], plan: Plan) -> int:
    current = session.scalar(select(func.max(model.position)).where(model.plan_id == plan.id))
    return (current or 0) + 1


def add_risk(
    session: Session,
    plan: Plan,
    area: Area,
    text: str,
    now: datetime,
    *,
    ref: str | None = None,
    region_wide: bool = False,
    requirement: str | None = None,
    brutto: Assessment | None = None,
    source: str | None = None,
) -> tuple[Risk, PlanRisk]:
    """Put a risk in a plan year: an existing identity when ``ref`` is known, else a new one."""
    text = required_text(text, "Risktexten")
    risk = None
    if ref is not None:
        risk = session.scalar(
            select(Risk).where(Risk.committee_id == plan.committee_id, Risk.ref == ref)
        )
    if risk is None:
        risk = Risk(
            committee_id=plan.committee_id,
            area_id=area.id,
            ref=ref or next_ref(session, area),
            requirement=requirement,
            created_at=now,
            updated_at=now,
        )
        session.add(risk)
        session.flush()
    entry = PlanRisk(
        plan_id=plan.id,
        risk_id=risk.id,
        position=next_position(session, PlanRisk, plan),
        text=text,
        region_wide=region_wide,
        brutto_likelihood=brutto.likelihood if brutto else None,
        brutto_consequence=brutto.consequence if brutto else None,
        source=source,
    )
    session.add(entry)
    session.flush()
    return risk, entry


def add_measure(
    session: Session,
    plan: Plan,
    risk: Risk,
    text: str,
    now: datetime,
    *,
    region_wide: bool = False,
    kind: MeasureKind = MeasureKind.ONE_OFF,
    frequency: Frequency | None = None,
    due_date: date | None = None,
    roles: list[Role] | None = None,
    source: str | None = None,
    reuse_same_text: bool = True,
) -> tuple[Measure, PlanMeasure]:
    """Put an åtgärd in a plan year. The same risk with the very same text in an earlier
    year is the same åtgärd (its status history carries over); anything else is new."""
    text = required_text(text, "Åtgärdstexten")
    if kind is MeasureKind.ONE_OFF and frequency is not None:
        raise InvalidInput("Bara en återkommande kontroll kan ha en frekvens.")
    measure = None
    if reuse_same_text:
        # Not one already in this plan: two texts that were both once this åtgärd's text
        # make one of them the åtgärd and the other a new one.
        in_plan = select(PlanMeasure.measure_id).where(PlanMeasure.plan_id == plan.id)
        measure = session.scalar(
            select(Measure)
            .join(PlanMeasure, PlanMeasure.measure_id == Measure.id)
            .where(
                Measure.risk_id == risk.id,
                PlanMeasure.text == text,
                Measure.id.not_in(in_plan),
            )
            .limit(1)
        )
    if measure is None:
        measure = Measure(
            risk_id=risk.id,
            kind=kind.value,
            frequency=frequency.value if frequency else None,
            due_date=due_date,
            created_at=now,
            updated_at=now,
        )
        measure.roles = list(roles or [])
        session.add(measure)
        session.flush()
    entry = PlanMeasure(
        plan_id=plan.id,
        measure_id=measure.id,
        position=next_position(session, PlanMeasure, plan),
        text=text,
        region_wide=region_wide,
        source=source,
    )
    session.add(entry)
    session.flush()
    return measure, entry


def required_text(text: str, what: str) -> str:
    """A risk or åtgärd text as stored: one line of single spaces, not empty, within the
    limit."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(f"{what} får inte vara tom.")
    return limits.checked(cleaned, what, limits.TEXT_MAX)
