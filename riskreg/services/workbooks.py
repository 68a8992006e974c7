"""Follow-up workbooks: what goes to each åtgärd owner for a period (as pure records for
``report.followup_xlsx``), and which owners have answered.

A workbook belongs to one plan year of one nämnd and one responsible role; the åtgärder
without a role get a workbook of their own, for the controller. An åtgärd with two roles
is in both roles' workbooks; the second answer read in is then a conflict, never a silent
overwrite (``services.workbook_import``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from riskreg.db import repo
from riskreg.db.mappers import load_snapshots
from riskreg.db.models import Plan, ReviewPeriod, WorkbookRead
from riskreg.domain.errors import InvalidInput, NotFound
from riskreg.domain.lookup import matches
from riskreg.domain.records import PeriodInfo, PlanMeasure, PlanRisk, PlanSnapshot
from riskreg.domain.register import period_scope, review_level_named
from riskreg.domain.scales import MeasureKind, PlanStatus
from riskreg.domain.text import swedish_key
from riskreg.domain.workbook import (
    NO_ROLE,
    FollowUpWorkbook,
    WorkbookInfo,
    WorkbookRow,
    file_stem,
)
from riskreg.services.context import Context


@dataclass(frozen=True)
class WorkbookOrder:
    """What ``riskreg workbooks create`` was asked for."""

    year: int
    period: str  # as the user typed it ("2", "T2"), read against the plans' kind
    committee: str | None = None  # None: every nämnd with a plan for the year
    role: str | None = None  # None: every role (and the åtgärder without one)
    deadline: date | None = None


@dataclass(frozen=True)
class NamedWorkbook:
    file_name: str
    workbook: FollowUpWorkbook


def build_workbooks(ctx: Context, order: WorkbookOrder) -> list[NamedWorkbook]:
    """One workbook per responsible role for an open period, over every chosen nämnd (a
    role is the region's, not one nämnd's); the åtgärder without a role get one too."""
    snapshots = _snapshots(ctx, order)
    several = len(snapshots) > 1
    kinds = {s.plan.period_kind for s, _ in snapshots}
    if len(kinds) > 1:
        raise InvalidInput(
            f"Nämnderna följer upp {order.year} per olika perioder ("
            + ", ".join(sorted(k.value for k in kinds))
            + "): skapa arbetsböckerna för en nämnd i taget med --nämnd."
        )
    kind = kinds.pop()
    number = kind.number(order.period, order.year)
    groups: dict[str | None, list[Placed]] = defaultdict(list)
    for snapshot, short_name in snapshots:
        period = _open_period(snapshot, number)
        prefix = f"{short_name} " if several else ""
        for role, pairs in _by_role(snapshot, period).items():
            groups[role] += [(snapshot, period, prefix, risk, m) for risk, m in pairs]
    ordered = {r: groups[r] for r in sorted(groups, key=_role_order)}
    if order.role is not None:
        ordered = _chosen_role(ordered, order.role)
    committee = snapshots[0][0].plan.committee if not several else f"{len(snapshots)} nämnder"
    built: list[NamedWorkbook] = []
    used: set[str] = set()
    for role, placed in ordered.items():
        plan_ids = tuple(dict.fromkeys(s.plan.id for s, *_ in placed))
        info = WorkbookInfo(
            workbook_id=str(uuid.uuid4()),
            committee=committee,
            plan_ids=plan_ids,
            year=order.year,
            number=number,
            role=role,
            deadline=order.deadline,
            created_at=ctx.clock(),
            created_by=ctx.actor,
            period_kind=kind,
        )
        name = _unique(file_stem(role, info.period), used)
        matrices = {s.plan.id: s.plan.matrix for s, *_ in placed}
        built.append(NamedWorkbook(name, FollowUpWorkbook(info, _rows(placed), matrices)))
    return built


def _snapshots(ctx: Context, order: WorkbookOrder) -> list[tuple[PlanSnapshot, str]]:
    with ctx.reading() as session:
        if order.committee is not None:
            committees = [repo.get_committee(session, order.committee)]
        else:
            committees = repo.committees(session)
        plans: list[Plan] = []
        names: dict[int, str] = {}
        for committee in committees:
            plan = session.scalar(
                select(Plan).where(Plan.committee_id == committee.id, Plan.year == order.year)
            )
            if plan is None and order.committee is not None:
                plan = repo.get_plan(session, committee, order.year)  # says which years exist
            if plan is not None and (
                order.committee is not None or plan.status == PlanStatus.ADOPTED
            ):
                plans.append(plan)
                names[plan.id] = committee.short_name
        if not plans:
            raise NotFound(f"Ingen nämnd har en fastställd plan för {order.year}.")
        snapshots = load_snapshots(session, plans)
        return [(s, names[s.plan.id]) for s in snapshots]


def _open_period(snapshot: PlanSnapshot, number: int) -> PeriodInfo:
    plan = snapshot.plan
    if plan.status != PlanStatus.ADOPTED:
        raise InvalidInput(
            f"Planen {plan.label} är {plan.status}: bara en fastställd plan följs upp."
        )
    period = next(p for p in plan.periods if p.number == number)
    if period.locked:
        raise InvalidInput(
            f"Perioden {period.label} är låst för {plan.committee}: arbetsböcker skapas bara "
            "för en öppen period."
        )
    return period


Pair = tuple[PlanRisk, PlanMeasure]
# An åtgärd to follow up, with its plan year, period and the prefix of its Id.
Placed = tuple[PlanSnapshot, PeriodInfo, str, PlanRisk, PlanMeasure]


def _role_order(role: str | None) -> tuple[bool, str]:
    return role is None, swedish_key(role or "")


def _by_role(snapshot: PlanSnapshot, period: PeriodInfo) -> dict[str | None, list[Pair]]:
    groups: dict[str | None, list[Pair]] = defaultdict(list)
    for risk, measure in period_scope(snapshot.risks, period).measures:
        for role in measure.roles or (None,):
            groups[role].append((risk, measure))
    return {role: groups[role] for role in sorted(groups, key=_role_order)}


def _chosen_role(
    groups: dict[str | None, list[Placed]], wanted: str
) -> dict[str | None, list[Placed]]:
    for role, placed in groups.items():
        if matches(wanted, (role,) if role is not None else (NO_ROLE, "utan roll")):
            return {role: placed}
    known = ", ".join(r or NO_ROLE for r in groups) or "inga"
    raise NotFound(f"Rollen ”{wanted}” har inga åtgärder att följa upp; roller: {known}.")


def _rows(placed: list[Placed]) -> tuple[WorkbookRow, ...]:
    rows: list[WorkbookRow] = []
    seen: set[tuple[int, int]] = set()
    for snapshot, period, prefix, risk, measure in placed:
        ref = period.ref
        matrix = snapshot.plan.matrix
        last = measure.latest_review(until=ref)
        netto = risk.latest_review(until=ref)
        level = review_level_named(matrix, netto)  # an earlier year's: in its own matrix
        netto_text = ""
        if netto is not None:
            name = f" {level.name}" if level is not None else ""
            netto_text = f"{netto.netto.label}{name} ({netto.period.label})"
        kind = measure.kind.value
        if measure.kind is MeasureKind.RECURRING and measure.frequency is not None:
            kind = f"{kind}, {measure.frequency.value}"
        texts = (
            f"{prefix}{risk.ref}/{risk.measures.index(measure) + 1}",
            risk.area,
            risk.text,
            measure.text,
            kind,
            ", ".join(measure.roles),
            last.period.label if last else "",
            last.status.value if last else "",
            last.comment if last else "",
            netto_text,
        )
        current_measure = measure.review_in(ref)
        current_risk = risk.review_in(ref)
        plan_id = snapshot.plan.id
        rows.append(
            WorkbookRow(
                plan_id=plan_id,
                measure_id=measure.id,
                risk_id=risk.id,
                texts=texts,
                recurring=measure.kind is MeasureKind.RECURRING,
                asks_netto=(plan_id, risk.id) not in seen,
                measure_version=current_measure.version if current_measure else None,
                risk_version=current_risk.version if current_risk else None,
            )
        )
        seen.add((plan_id, risk.id))
    return tuple(rows)


def _unique(stem: str, used: set[str]) -> str:
    name, n = f"{stem}.xlsx", 1
    while name in used:
        n += 1
        name = f"{stem}-{n}.xlsx"
    used.add(name)
    return name


# -- riskreg workbooks status ------------------------------------------------------------


@dataclass(frozen=True)
class RoleStatus:
    role: str | None
    measures: int
    answered: int  # åtgärder with a follow-up in the period, from any source
    read_in: tuple[tuple[datetime, str], ...]  # workbooks read in: when, by whom

    @property
    def label(self) -> str:
        return self.role if self.role is not None else NO_ROLE


@dataclass(frozen=True)
class PeriodStatus:
    committee: str
    period: PeriodInfo
    roles: tuple[RoleStatus, ...]


def workbook_status(
    ctx: Context, year: int, period_text: str, committee: str | None = None
) -> PeriodStatus:
    """Who has answered for the period ``period_text`` (read against the plan's kind)."""
    with ctx.reading() as session:
        found = repo.get_committee(session, committee)
        plan = repo.get_plan(session, found, year)
        snapshot = load_snapshots(session, [plan])[0]
        number = snapshot.plan.period_kind.number(period_text, year)
        period = next(p for p in snapshot.plan.periods if p.number == number)
        reads = session.scalars(
            select(WorkbookRead)
            .join(ReviewPeriod, ReviewPeriod.id == WorkbookRead.period_id)
            .where(ReviewPeriod.id == period.id)
            .order_by(WorkbookRead.read_at)
        )
        read_in: dict[str | None, list[tuple[datetime, str]]] = defaultdict(list)
        for read in reads:
            read_in[read.role].append((read.read_at, read.read_by))
    roles = tuple(
        RoleStatus(
            role,
            len(pairs),
            sum(1 for _, m in pairs if m.review_in(period.ref) is not None),
            tuple(read_in.get(role, ())),
        )
        for role, pairs in _by_role(snapshot, period).items()
    )
    return PeriodStatus(snapshot.plan.committee, period, roles)
