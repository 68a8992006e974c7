"""Editing the plan: risks, åtgärder, roles, acceptance, adoption and roll-over.

Each call is one transaction with an audit entry holding the state before and after.
Edits of something loaded earlier pass the ``expected_version`` they saw; a row changed
elsewhere since then raises ``ConflictError`` instead of being overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.mappers import plan_info
from riskreg.db.models import (
    Committee,
    Measure,
    Plan,
    PlanMeasure,
    PlanRisk,
    Risk,
    Role,
    measure_role,
)
from riskreg.domain.errors import ConflictError, InvalidInput, NotFound
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import Assessment, PlanInfo
from riskreg.domain.scales import Frequency, MeasureKind, PlanStatus, Requirement, RiskStatus
from riskreg.domain.text import swedish_key
from riskreg.services import building
from riskreg.services.context import Context


@dataclass(frozen=True)
class RiskFields:
    """What the plan editor sets on a risk in one plan year."""

    area: str
    text: str
    region_wide: bool = False
    requirement: Requirement | None = None
    brutto: Assessment | None = None


@dataclass(frozen=True)
class MeasureFields:
    """What the plan editor sets on an åtgärd in one plan year."""

    text: str
    kind: MeasureKind = MeasureKind.ONE_OFF
    frequency: Frequency | None = None
    due_date: date | None = None
    roles: tuple[str, ...] = ()
    region_wide: bool = False


@dataclass(frozen=True)
class RoleInfo:
    id: int
    name: str
    description: str
    measures: int  # how many åtgärder the role is responsible for


def add_risk(ctx: Context, plan_id: int, fields: RiskFields) -> str:
    """Add a new risk to a plan year; returns its new reference."""
    now = ctx.clock()
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        area = repo.get_area(session, plan.committee_id, fields.area)
        risk, entry = building.add_risk(
            session,
            plan,
            area,
            fields.text,
            now,
            region_wide=fields.region_wide,
            requirement=fields.requirement.value if fields.requirement else None,
            brutto=fields.brutto,
        )
        _audit(
            session,
            ctx,
            "lade till risk",
            "risk",
            risk.id,
            f"{risk.ref} {plan.year}",
            plan.committee_id,
            None,
            _risk_state(risk, entry),
        )
        return risk.ref


def update_risk(
    ctx: Context, plan_id: int, risk_id: int, expected_version: int, fields: RiskFields
) -> None:
    now = ctx.clock()
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        risk, entry = _plan_risk(session, plan, risk_id, expected_version)
        before = _risk_state(risk, entry)
        area = repo.get_area(session, plan.committee_id, fields.area)
        text = " ".join(fields.text.split())
        if not text:
            raise InvalidInput("Risktexten får inte vara tom.")
        risk.area_id = area.id
        risk.requirement = fields.requirement.value if fields.requirement else None
        risk.updated_at = now
        entry.text = text
        entry.region_wide = fields.region_wide
        entry.brutto_likelihood = fields.brutto.likelihood if fields.brutto else None
        entry.brutto_consequence = fields.brutto.consequence if fields.brutto else None
        session.flush()
        _audit(
            session,
            ctx,
            "ändrade risk",
            "risk",
            risk.id,
            f"{risk.ref} {plan.year}",
            plan.committee_id,
            before,
            _risk_state(risk, entry),
        )


def accept_risk(
    ctx: Context, risk_id: int, expected_version: int, by: str, reason: str, until: date | None
) -> None:
    """Accept a risk instead of handling it: who decided, why, until when."""
    by, reason = by.strip(), reason.strip()
    if not by or not reason:
        raise InvalidInput("Ange vem som beslutade att acceptera risken och varför.")
    if until is not None and until < ctx.clock().date():
        raise InvalidInput("Datumet för hur länge risken accepteras har redan passerat.")
    _set_status(
        ctx, risk_id, expected_version, RiskStatus.ACCEPTED, by, reason, until, "accepterade risk"
    )


def close_risk(ctx: Context, risk_id: int, expected_version: int, reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("Ange varför risken avslutas.")
    _set_status(
        ctx,
        risk_id,
        expected_version,
        RiskStatus.CLOSED,
        None,
        reason.strip(),
        None,
        "avslutade risk",
    )


def reactivate_risk(ctx: Context, risk_id: int, expected_version: int) -> None:
    _set_status(
        ctx, risk_id, expected_version, RiskStatus.ACTIVE, None, None, None, "återaktiverade risk"
    )


def _set_status(
    ctx: Context,
    risk_id: int,
    expected_version: int,
    status: RiskStatus,
    by: str | None,
    reason: str | None,
    until: date | None,
    action: str,
) -> None:
    now = ctx.clock()
    with ctx.transaction() as session:
        risk = _risk(session, risk_id, expected_version)
        before = _status_state(risk)
        risk.status = status.value
        risk.accepted_by = by if status is RiskStatus.ACCEPTED else None
        risk.accepted_reason = reason if status is RiskStatus.ACCEPTED else None
        risk.accepted_until = until if status is RiskStatus.ACCEPTED else None
        risk.updated_at = now
        session.flush()
        after = _status_state(risk)
        if status is RiskStatus.CLOSED:
            after["motivering"] = reason
        _audit(session, ctx, action, "risk", risk.id, risk.ref, risk.committee_id, before, after)


def add_measure(ctx: Context, plan_id: int, risk_id: int, fields: MeasureFields) -> int:
    """Add an åtgärd to a risk in a plan year; returns the åtgärd's id."""
    now = ctx.clock()
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        risk = _risk_of_plan(session, plan, risk_id)
        measure, entry = building.add_measure(
            session,
            plan,
            risk,
            fields.text,
            now,
            region_wide=fields.region_wide,
            kind=fields.kind,
            frequency=fields.frequency,
            due_date=fields.due_date,
            roles=[repo.get_role(session, r) for r in fields.roles],
            reuse_same_text=False,
        )
        risk.updated_at = now  # the risk's version moves with its åtgärder
        _audit(
            session,
            ctx,
            "lade till åtgärd",
            "åtgärd",
            measure.id,
            f"{risk.ref} {plan.year}",
            plan.committee_id,
            None,
            _measure_state(measure, entry),
        )
        return measure.id


def update_measure(
    ctx: Context, plan_id: int, measure_id: int, expected_version: int, fields: MeasureFields
) -> None:
    now = ctx.clock()
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        measure = session.get(Measure, measure_id)
        entry = session.scalar(
            select(PlanMeasure).where(
                PlanMeasure.plan_id == plan.id, PlanMeasure.measure_id == measure_id
            )
        )
        if measure is None or entry is None:
            raise NotFound(f"Åtgärden finns inte i planen för {plan.year}.")
        if measure.version != expected_version:
            raise ConflictError(_changed("Åtgärden"))
        if fields.kind is MeasureKind.ONE_OFF and fields.frequency is not None:
            raise InvalidInput("Bara en återkommande kontroll kan ha en frekvens.")
        text = " ".join(fields.text.split())
        if not text:
            raise InvalidInput("Åtgärdstexten får inte vara tom.")
        before = _measure_state(measure, entry)
        entry.text = text
        entry.region_wide = fields.region_wide
        measure.kind = fields.kind.value
        measure.frequency = fields.frequency.value if fields.frequency else None
        measure.due_date = fields.due_date
        measure.roles = [repo.get_role(session, r) for r in fields.roles]
        measure.updated_at = now
        session.flush()
        risk = session.get_one(Risk, measure.risk_id)
        _audit(
            session,
            ctx,
            "ändrade åtgärd",
            "åtgärd",
            measure.id,
            f"{risk.ref} {plan.year}",
            plan.committee_id,
            before,
            _measure_state(measure, entry),
        )


def list_roles(ctx: Context) -> list[RoleInfo]:
    with ctx.reading() as session:
        counts: dict[int, int] = {
            role_id: count
            for role_id, count in session.execute(
                select(measure_role.c.role_id, func.count()).group_by(measure_role.c.role_id)
            )
        }
        roles = [
            RoleInfo(r.id, r.name, r.description, counts.get(r.id, 0))
            for r in session.scalars(select(Role))
        ]
        return sorted(roles, key=lambda r: swedish_key(r.name))


def save_role(ctx: Context, role_id: int | None, name: str, description: str = "") -> int:
    """Create a role (``role_id=None``) or rename/redescribe one; returns its id."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Rollen behöver ett namn.")
    with ctx.transaction() as session:
        clash = session.scalar(select(Role).where(func.lower(Role.name) == name.lower()))
        if clash is not None and clash.id != role_id:
            raise InvalidInput(f"Rollen ”{name}” finns redan.")
        if role_id is None:
            role = Role(name=name, description=description.strip())
            session.add(role)
            session.flush()
            _audit(
                session,
                ctx,
                "lade till roll",
                "roll",
                role.id,
                name,
                None,
                None,
                {"namn": name, "beskrivning": role.description},
            )
            return role.id
        existing = session.get(Role, role_id)
        if existing is None:
            raise NotFound("Rollen finns inte längre.")
        role = existing
        before = {"namn": role.name, "beskrivning": role.description}
        role.name, role.description = name, description.strip()
        _audit(
            session,
            ctx,
            "ändrade roll",
            "roll",
            role.id,
            name,
            None,
            before,
            {"namn": role.name, "beskrivning": role.description},
        )
        return role.id


def delete_role(ctx: Context, role_id: int) -> None:
    with ctx.transaction() as session:
        role = session.get(Role, role_id)
        if role is None:
            raise NotFound("Rollen finns inte längre.")
        used = session.scalar(
            select(func.count()).select_from(measure_role).where(measure_role.c.role_id == role_id)
        )
        if used:
            raise InvalidInput(
                f"Rollen ”{role.name}” ansvarar för {used} åtgärder; ta bort den från dem först."
            )
        _audit(
            session,
            ctx,
            "tog bort roll",
            "roll",
            role.id,
            role.name,
            None,
            {"namn": role.name, "beskrivning": role.description},
            None,
        )
        session.delete(role)


def set_plan_status(
    ctx: Context,
    plan_id: int,
    status: PlanStatus,
    *,
    adopted_on: date | None = None,
    dnr: str | None = None,
) -> PlanInfo:
    """Adopt (fastställ), close or reopen a plan year; adoption records its date and dnr."""
    with ctx.transaction() as session:
        plan = repo.get_plan_by_id(session, plan_id)
        before = {"status": plan.status, "dnr": plan.dnr, "fastställd": _iso(plan.adopted_on)}
        plan.status = status.value
        if adopted_on is not None:
            plan.adopted_on = adopted_on
        if dnr is not None:
            plan.dnr = dnr.strip() or None
        plan.updated_at = ctx.clock()
        session.flush()
        committee = session.get_one(Committee, plan.committee_id)
        _audit(
            session,
            ctx,
            "ändrade planstatus",
            "plan",
            plan.id,
            f"{committee.short_name} {plan.year}",
            plan.committee_id,
            before,
            {"status": plan.status, "dnr": plan.dnr, "fastställd": _iso(plan.adopted_on)},
        )
        return plan_info(session, plan)


def roll_forward(ctx: Context, plan_id: int, to_year: int | None = None) -> PlanInfo:
    """Carry a plan into a new year: its open and accepted risks with their åtgärder (the
    same identities, so history continues), the matrix; no reviews. The new plan is an
    utkast."""
    now = ctx.clock()
    with ctx.transaction() as session:
        source = repo.get_plan_by_id(session, plan_id)
        committee = session.get_one(Committee, source.committee_id)
        year = to_year if to_year is not None else source.year + 1
        if year <= source.year:
            raise InvalidInput(f"Den nya planen måste gälla ett senare år än {source.year}.")
        target = building.create_plan(
            session, committee, year, now, matrix=RiskMatrix.from_dict(source.matrix)
        )
        rows = session.execute(
            select(PlanRisk, Risk)
            .join(Risk, Risk.id == PlanRisk.risk_id)
            .where(PlanRisk.plan_id == source.id, Risk.status != RiskStatus.CLOSED.value)
            .order_by(PlanRisk.position)
        ).all()
        carried = {risk.id for _, risk in rows}
        for position, (pr, _risk) in enumerate(rows, start=1):
            session.add(
                PlanRisk(
                    plan_id=target.id,
                    risk_id=pr.risk_id,
                    position=position,
                    text=pr.text,
                    region_wide=pr.region_wide,
                    brutto_likelihood=pr.brutto_likelihood,
                    brutto_consequence=pr.brutto_consequence,
                    source=pr.source,
                )
            )
        measures = session.execute(
            select(PlanMeasure, Measure.risk_id)
            .join(Measure, Measure.id == PlanMeasure.measure_id)
            .where(PlanMeasure.plan_id == source.id)
            .order_by(PlanMeasure.position)
        ).all()
        position = 0
        for pm, risk_id in measures:
            if risk_id in carried:
                position += 1
                session.add(
                    PlanMeasure(
                        plan_id=target.id,
                        measure_id=pm.measure_id,
                        position=position,
                        text=pm.text,
                        region_wide=pm.region_wide,
                        source=pm.source,
                    )
                )
        session.flush()
        _audit(
            session,
            ctx,
            "förde plan vidare",
            "plan",
            target.id,
            f"{committee.short_name} {year}",
            committee.id,
            None,
            {"från år": source.year, "till år": year, "risker": len(rows), "åtgärder": position},
        )
        return plan_info(session, target)


# -- helpers -------------------------------------------------------------------------


def _editable_plan(session: Session, plan_id: int) -> Plan:
    plan = repo.get_plan_by_id(session, plan_id)
    if plan.status == PlanStatus.CLOSED:
        raise InvalidInput(f"Planen för {plan.year} är avslutad och kan inte ändras.")
    return plan


def _risk(session: Session, risk_id: int, expected_version: int) -> Risk:
    risk = session.get(Risk, risk_id)
    if risk is None:
        raise NotFound("Risken finns inte längre i registret.")
    if risk.version != expected_version:
        raise ConflictError(_changed(f"Risken {risk.ref}"))
    return risk


def _risk_of_plan(session: Session, plan: Plan, risk_id: int) -> Risk:
    risk = session.get(Risk, risk_id)
    in_plan = session.scalar(
        select(PlanRisk.id).where(PlanRisk.plan_id == plan.id, PlanRisk.risk_id == risk_id)
    )
    if risk is None or in_plan is None:
        raise NotFound(f"Risken finns inte i planen för {plan.year}.")
    return risk


def _plan_risk(
    session: Session, plan: Plan, risk_id: int, expected_version: int
) -> tuple[Risk, PlanRisk]:
    risk = _risk(session, risk_id, expected_version)
    entry = session.scalar(
        select(PlanRisk).where(PlanRisk.plan_id == plan.id, PlanRisk.risk_id == risk_id)
    )
    if entry is None:
        raise NotFound(f"Risken {risk.ref} finns inte i planen för {plan.year}.")
    return risk, entry


def _changed(what: str) -> str:
    return f"{what} har ändrats någon annanstans sedan du läste in den; läs in på nytt."


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _risk_state(risk: Risk, entry: PlanRisk) -> dict[str, Any]:
    return {
        "text": entry.text,
        "verksamhet_id": risk.area_id,
        "krav": risk.requirement,
        "regionövergripande": entry.region_wide,
        "brutto": None
        if entry.brutto_likelihood is None
        else f"{entry.brutto_likelihood}×{entry.brutto_consequence}",
    }


def _status_state(risk: Risk) -> dict[str, Any]:
    return {
        "status": risk.status,
        "accepterad av": risk.accepted_by,
        "motivering": risk.accepted_reason,
        "till och med": _iso(risk.accepted_until),
    }


def _measure_state(measure: Measure, entry: PlanMeasure) -> dict[str, Any]:
    return {
        "text": entry.text,
        "typ": measure.kind,
        "frekvens": measure.frequency,
        "klart senast": _iso(measure.due_date),
        "regionövergripande": entry.region_wide,
        "roller": [r.name for r in measure.roles],
    }


def _audit(
    session: Session,
    ctx: Context,
    action: str,
    entity: str,
    entity_id: int,
    ref: str,
    committee_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    repo.write_audit(
        session,
        at=ctx.clock(),
        actor=ctx.actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        entity_ref=ref,
        committee_id=committee_id,
        before=before,
        after=after,
    )
