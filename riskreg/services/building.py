"""Writing plan content: a new plan year, a risk in it, an åtgärd in it.

Shared by seeding, importing, plan editing and roll-over, so that references, periods,
positions and the identity rules are decided in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
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
from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import Assessment, PeriodRef
from riskreg.domain.scales import Frequency, MeasureKind, PlanStatus


def create_plan(
    session: Session,
    committee: Committee,
    year: int,
    now: datetime,
    *,
    status: PlanStatus = PlanStatus.DRAFT,
    matrix: RiskMatrix | None = None,
    period_kind: PeriodKind = PeriodKind.QUARTER,
    dnr: str | None = None,
    adopted_on: date | None = None,
) -> Plan:
    """A plan year with its review periods (four quarters, three tertials or two halves)
    and its own frozen copy of the matrix.

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
        period_kind=period_kind.value,
        created_at=now,
        updated_at=now,
    )
    plan.periods = review_periods(period_kind)
    session.add(plan)
    session.flush()
    return plan


def review_periods(kind: PeriodKind) -> list[ReviewPeriod]:
    """A plan year's open periods of ``kind``, 1 first."""
    return [ReviewPeriod(number=n) for n in kind.numbers]


def plan_period_kind(plan: Plan) -> PeriodKind:
    """How the plan year is followed up: per kvartal, tertial or halvår."""
    return PeriodKind(plan.period_kind)


def period_ref(plan: Plan, number: int) -> PeriodRef:
    """The plan year's period ``number``, labelled by the plan's kind ("2024 T2")."""
    return PeriodRef(plan.year, number, plan_period_kind(plan))


@dataclass(frozen=True)
class NewMeasure:
    """An åtgärd to put into a plan year (see ``add_measures``)."""

    text: str
    region_wide: bool = False
    kind: MeasureKind = MeasureKind.ONE_OFF
    frequency: Frequency | None = None
    due_date: date | None = None
    roles: tuple[Role, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class NewRisk:
    """A risk to put into a plan year (see ``add_risks``): ``ref`` names an existing
    identity (or the reference a new one gets); None gives the next free one."""

    area: Area
    text: str
    ref: str | None = None
    region_wide: bool = False
    requirement: str | None = None
    brutto: Assessment | None = None
    source: str | None = None


@dataclass(frozen=True)
class Added:
    """Ids of what ``add_risks`` / ``add_measures`` wrote: the identity (risk or åtgärd),
    its reference (risks), and its row in the plan year."""

    id: int
    entry_id: int
    ref: str = ""


def _ref_numbers(session: Session, committee_id: int) -> dict[str, int]:
    """The highest number in use per verksamhet code: ``{"EK": 6}`` for ``EK-06``."""
    numbers: dict[str, int] = {}
    for ref in session.scalars(select(Risk.ref).where(Risk.committee_id == committee_id)):
        code, _, number = ref.rpartition("-")
        if code and re.fullmatch(r"\d+", number):
            numbers[code] = max(numbers.get(code, 0), int(number))
    return numbers


def next_position(session: Session, model: type[PlanRisk] | type[PlanMeasure], plan: Plan) -> int:
    current = session.scalar(select(func.max(model.position)).where(model.plan_id == plan.id))
    return (current or 0) + 1


def plan_matrix(plan: Plan) -> RiskMatrix:
    """The plan year's own matrix, which decides its scales (3×3, 4×4 or 5×5)."""
    return RiskMatrix.from_dict(plan.matrix)


def add_risks(session: Session, plan: Plan, risks: Sequence[NewRisk], now: datetime) -> list[Added]:
    """Put risks in a plan year, in order: an existing identity when ``ref`` names one,
    else a new one with the next free reference of its verksamhet (``EK-07`` after
    ``EK-06``). A handful of statements whatever the number of risks."""
    # The nämnd is locked first, so two writers never hand out the same new reference.
    repo.lock_committee(session, plan.committee_id)
    texts = [required_text(r.text, "Risktexten") for r in risks]
    matrix = plan_matrix(plan)
    for r in risks:
        if r.brutto is not None:
            matrix.check(r.brutto)
    existing = repo.risk_ids_by_ref(
        session, plan.committee_id, [r.ref for r in risks if r.ref is not None]
    )
    numbers: dict[str, int] | None = None
    refs: list[str] = []
    new_rows: list[dict[str, object]] = []
    for risk in risks:
        ref = risk.ref
        if ref is None:
            if numbers is None:
                numbers = _ref_numbers(session, plan.committee_id)
            numbers[risk.area.code] = numbers.get(risk.area.code, 0) + 1
            ref = f"{risk.area.code}-{numbers[risk.area.code]:02d}"
        refs.append(ref)
        if ref not in existing:
            existing[ref] = -1  # created below; a ref twice in one call is one identity
            new_rows.append(
                {
                    "committee_id": plan.committee_id,
                    "area_id": risk.area.id,
                    "ref": ref,
                    "requirement": risk.requirement,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    new_ids = repo.insert_rows(session, Risk, new_rows)
    existing.update(zip([str(row["ref"]) for row in new_rows], new_ids, strict=True))
    position = next_position(session, PlanRisk, plan)
    entries = repo.insert_rows(
        session,
        PlanRisk,
        [
            {
                "plan_id": plan.id,
                "risk_id": existing[ref],
                "position": position + index,
                "text": text,
                "region_wide": risk.region_wide,
                "brutto_likelihood": risk.brutto.likelihood if risk.brutto else None,
                "brutto_consequence": risk.brutto.consequence if risk.brutto else None,
                "source": risk.source,
            }
            for index, (risk, ref, text) in enumerate(zip(risks, refs, texts, strict=True))
        ],
    )
    return [Added(existing[ref], entry, ref) for ref, entry in zip(refs, entries, strict=True)]


def add_measures(
    session: Session,
    plan: Plan,
    measures: Sequence[tuple[int, NewMeasure]],
    now: datetime,
    *,
    reuse_same_text: bool = True,
) -> list[Added]:
    """Put åtgärder, each with its risk's id, in a plan year, in order. The same risk with
    the very same text in another plan year is the same åtgärd (its status history carries
    over), unless that åtgärd is already in this plan: two texts that were both once an
    åtgärd's text make one of them the åtgärd and the other a new one. Anything else is
    new, with the given roles. A handful of statements whatever the number."""
    texts = [required_text(m.text, "Åtgärdstexten") for _, m in measures]
    for _, m in measures:
        if m.kind is MeasureKind.ONE_OFF and m.frequency is not None:
            raise InvalidInput("Bara en återkommande kontroll kan ha en frekvens.")
    chosen: list[int | None] = (
        _same_measures(session, plan, measures, texts)
        if reuse_same_text
        else [None] * len(measures)
    )
    new = [
        (index, m)
        for index, ((_, m), c) in enumerate(zip(measures, chosen, strict=True))
        if c is None
    ]
    for (index, _), measure_id in zip(new, _new_measures(session, measures, new, now), strict=True):
        chosen[index] = measure_id
    ids = [c for c in chosen if c is not None]
    position = next_position(session, PlanMeasure, plan)
    entries = repo.insert_rows(
        session,
        PlanMeasure,
        [
            {
                "plan_id": plan.id,
                "measure_id": measure_id,
                "position": position + index,
                "text": text,
                "region_wide": m.region_wide,
                "source": m.source,
            }
            for index, (measure_id, text, (_, m)) in enumerate(
                zip(ids, texts, measures, strict=True)
            )
        ],
    )
    return [Added(measure_id, entry) for measure_id, entry in zip(ids, entries, strict=True)]


def _same_measures(
    session: Session, plan: Plan, measures: Sequence[tuple[int, NewMeasure]], texts: list[str]
) -> list[int | None]:
    """For each åtgärd, the id of the same åtgärd in another plan year, if any (see
    ``add_measures``)."""
    earlier = repo.earlier_measures(session, [risk_id for risk_id, _ in measures], plan.id)
    chosen: list[int | None] = []
    taken: set[int] = set()
    for (risk_id, _), text in zip(measures, texts, strict=True):
        found = next((i for i in earlier.get((risk_id, text), ()) if i not in taken), None)
        if found is not None:
            taken.add(found)
        chosen.append(found)
    return chosen


def _new_measures(
    session: Session,
    measures: Sequence[tuple[int, NewMeasure]],
    new: list[tuple[int, NewMeasure]],
    now: datetime,
) -> list[int]:
    """Create the åtgärder ``new`` (index into ``measures``, åtgärd) with their roles."""
    ids = repo.insert_rows(
        session,
        Measure,
        [
            {
                "risk_id": measures[index][0],
                "kind": m.kind.value,
                "frequency": m.frequency.value if m.frequency else None,
                "due_date": m.due_date,
                "created_at": now,
                "updated_at": now,
            }
            for index, m in new
        ],
    )
    repo.link_roles(
        session,
        [
            (measure_id, role.id)
            for (_, m), measure_id in zip(new, ids, strict=True)
            for role in {r.id: r for r in m.roles}.values()
        ],
    )
    return ids


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
    """One risk into a plan year (``add_risks``), as ORM rows for the caller to use."""
    item = NewRisk(area, text, ref, region_wide, requirement, brutto, source)
    added = add_risks(session, plan, [item], now)[0]
    return session.get_one(Risk, added.id), session.get_one(PlanRisk, added.entry_id)


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
    """One åtgärd into a plan year (``add_measures``), as ORM rows for the caller to use."""
    item = NewMeasure(text, region_wide, kind, frequency, due_date, tuple(roles or ()), source)
    added = add_measures(session, plan, [(risk.id, item)], now, reuse_same_text=reuse_same_text)
    return session.get_one(Measure, added[0].id), session.get_one(PlanMeasure, added[0].entry_id)


def required_text(text: str, what: str) -> str:
    """A risk or åtgärd text as stored: one line of single spaces, not empty, within the
    limit."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(f"{what} får inte vara tom.")
    return limits.checked(cleaned, what, limits.TEXT_MAX)
