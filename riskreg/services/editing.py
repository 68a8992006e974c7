"""Editing the plan: risks, åtgärder, roles, acceptance, adoption and roll-over.

Each call is one transaction with an audit entry holding the state before and after.
Edits of something loaded earlier pass the ``expected_version`` they saw; a row changed
elsewhere since then raises ``ConflictError`` instead of being overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from riskreg.db import repo
from riskreg.db.mappers import assessment, plan_info
from riskreg.db.models import (
    Committee,
    Measure,
    Plan,
    PlanMeasure,
    PlanRevision,
    PlanRisk,
    Risk,
    Role,
    measure_role,
)
from riskreg.domain import limits
from riskreg.domain.errors import ConflictError, InvalidInput, NotFound
from riskreg.domain.matrix import RiskMatrix, matrix_for_size
from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import Acceptance, Assessment, PlanInfo
from riskreg.domain.records import PlanMeasure as PlanMeasureRecord
from riskreg.domain.register import year_status
from riskreg.domain.scales import (
    Frequency,
    MeasureKind,
    MeasureStatus,
    PlanStatus,
    Requirement,
    RiskStatus,
)
from riskreg.domain.text import count_of, swedish_key
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
    version: int = 1


def add_risk(ctx: Context, plan_id: int, fields: RiskFields, *, reason: str | None = None) -> str:
    """Add a new risk to a plan year; returns its new reference. On a fastställd plan it
    is a revision and needs a ``reason``."""
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
        _revise(session, ctx, plan, f"Ny risk {risk.ref}: {entry.text}", reason, risk)
        _audit_risk(
            session,
            ctx,
            plan,
            risk,
            "lade till risk",
            "risk",
            risk.id,
            None,
            _with_reason(_risk_state(risk, entry), plan, reason),
        )
        return risk.ref


def update_risk(
    ctx: Context,
    plan_id: int,
    risk_id: int,
    expected_version: int,
    fields: RiskFields,
    *,
    reason: str | None = None,
) -> None:
    """Change a risk as it reads in a plan year (a revision of a fastställd plan)."""
    now = ctx.clock()
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        risk, entry = _plan_risk(session, plan, risk_id, expected_version)
        before = _risk_state(risk, entry)
        area = repo.get_area(session, plan.committee_id, fields.area)
        text = building.required_text(fields.text, "Risktexten")
        risk.area_id = area.id
        risk.requirement = fields.requirement.value if fields.requirement else None
        entry.text = text
        entry.region_wide = fields.region_wide
        entry.brutto_likelihood = fields.brutto.likelihood if fields.brutto else None
        entry.brutto_consequence = fields.brutto.consequence if fields.brutto else None
        after = _risk_state(risk, entry)
        if after == before:
            return
        _revise(session, ctx, plan, f"Ändrade {risk.ref}: {_changes(before, after)}", reason, risk)
        _touch(risk, now)
        session.flush()
        _audit_risk(
            session,
            ctx,
            plan,
            risk,
            "ändrade risk",
            "risk",
            risk.id,
            before,
            _with_reason(after, plan, reason),
        )


def set_brutto(
    ctx: Context,
    plan_id: int,
    risk_id: int,
    expected_version: int,
    brutto: Assessment | None,
    *,
    reason: str | None = None,
) -> int:
    """The brutto assessment of a risk in a plan year (the TUI's brutto mode); returns the
    risk's new version. A revision of a fastställd plan."""
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        if brutto is not None:
            building.plan_matrix(plan).check(brutto)
        risk, entry = _plan_risk(session, plan, risk_id, expected_version)
        before = _risk_state(risk, entry)
        entry.brutto_likelihood = brutto.likelihood if brutto else None
        entry.brutto_consequence = brutto.consequence if brutto else None
        after = _risk_state(risk, entry)
        if after == before:
            return risk.version
        label = brutto.label if brutto else "ingen"
        _revise(session, ctx, plan, f"Bruttorisk för {risk.ref}: {label}", reason, risk)
        _touch(risk, ctx.clock())
        session.flush()
        _audit_risk(
            session,
            ctx,
            plan,
            risk,
            "bedömde bruttorisk",
            "risk",
            risk.id,
            before,
            _with_reason(after, plan, reason),
        )
        return risk.version


def accept_risk(
    ctx: Context,
    plan_id: int,
    risk_id: int,
    expected_version: int,
    by: str,
    reason: str,
    until: date | None,
    *,
    decided_on: date | None = None,
) -> str | None:
    """Accept a risk in a plan year instead of handling it: who decided, why, until when,
    and when it was decided (default today). A "till och med" already passed records an
    old decision: it is saved, and the sentence flagging it as expired is returned."""
    by = limits.checked(by.strip(), "Den som beslutade", limits.PERSON_MAX)
    reason = limits.checked(reason.strip(), "Motiveringen", limits.TEXT_MAX, multiline=True)
    limits.check_date(until, "Datumet för hur länge risken accepteras")
    limits.check_date(decided_on, "Beslutsdatumet")
    if not by or not reason:
        raise InvalidInput("Ange vem som beslutade att acceptera risken och varför.")
    today = ctx.clock().date()
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        risk, entry = _plan_risk(session, plan, risk_id, expected_version)
        before = _status_state(entry)
        repo.reset_status(entry)
        entry.status = RiskStatus.ACCEPTED.value
        entry.accepted_by, entry.accepted_reason, entry.accepted_until = by, reason, until
        entry.accepted_on = decided_on or today
        _status_changed(session, ctx, plan, risk, entry, "accepterade risk", before)
    return Acceptance(by, reason, until, entry.accepted_on).expired_note(today)


def close_risk(
    ctx: Context, plan_id: int, risk_id: int, expected_version: int, reason: str
) -> None:
    """Close a risk in a plan year; on a fastställd plan the reason is the revision's."""
    reason = limits.checked(reason.strip(), "Motiveringen", limits.TEXT_MAX, multiline=True)
    if not reason:
        raise InvalidInput("Ange varför risken avslutas.")
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        risk, entry = _plan_risk(session, plan, risk_id, expected_version)
        before = _status_state(entry)
        _revise(session, ctx, plan, f"Avslutade {risk.ref}: {entry.text}", reason, risk)
        repo.reset_status(entry)
        entry.status = RiskStatus.CLOSED.value
        entry.closed_reason, entry.closed_at = reason, ctx.clock()
        _status_changed(session, ctx, plan, risk, entry, "avslutade risk", before)


def reactivate_risk(
    ctx: Context, plan_id: int, risk_id: int, expected_version: int, reason: str
) -> None:
    """Make a risk aktiv again in a plan year (a revision of a fastställd plan if it was
    closed); the reason is required and logged."""
    reason = limits.checked(reason.strip(), "Motiveringen", limits.TEXT_MAX, multiline=True)
    if not reason:
        raise InvalidInput("Ange varför risken återaktiveras; motiveringen sparas i loggen.")
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        risk, entry = _plan_risk(session, plan, risk_id, expected_version)
        if entry.status == RiskStatus.CLOSED:
            _revise(session, ctx, plan, f"Återaktiverade {risk.ref}: {entry.text}", reason, risk)
        before = _status_state(entry)
        repo.reset_status(entry)
        _status_changed(session, ctx, plan, risk, entry, "återaktiverade risk", before, reason)


def _status_changed(
    session: Session,
    ctx: Context,
    plan: Plan,
    risk: Risk,
    entry: PlanRisk,
    action: str,
    before: dict[str, Any],
    reason: str | None = None,
) -> None:
    _touch(risk, ctx.clock())
    session.flush()
    after = _status_state(entry)
    if reason and reason.strip():
        after["motivering"] = reason.strip()
    _audit_risk(
        session,
        ctx,
        plan,
        risk,
        action,
        "risk",
        risk.id,
        before,
        after,
    )


def ensure_deletable(ctx: Context, plan_id: int, what: Literal["risker", "åtgärder"]) -> None:
    """Raise the reason nothing can be taken out of the plan (it is not an utkast), so the
    TUI can say why before it asks for a confirmation."""
    with ctx.reading() as session:
        _draft_plan(session, plan_id, what)


def delete_risk(ctx: Context, plan_id: int, risk_id: int, expected_version: int) -> None:
    """Take a risk out of a draft plan (utkast), with its åtgärder there. A risk that
    exists only in this draft is deleted altogether; one with earlier years keeps them."""
    with ctx.transaction() as session:
        plan = _draft_plan(session, plan_id, "risker")
        risk, entry = _plan_risk(session, plan, risk_id, expected_version)
        before = _risk_state(risk, entry)
        measure_ids = select(Measure.id).where(Measure.risk_id == risk.id)
        for pm in session.scalars(
            select(PlanMeasure).where(
                PlanMeasure.plan_id == plan.id, PlanMeasure.measure_id.in_(measure_ids)
            )
        ):
            session.delete(pm)
        session.delete(entry)
        session.flush()
        _delete_orphans(session, risk)
        _audit_risk(
            session,
            ctx,
            plan,
            risk,
            "tog bort risk ur utkast",
            "risk",
            risk_id,
            before,
            None,
        )


def delete_measure(ctx: Context, plan_id: int, measure_id: int, expected_version: int) -> None:
    """Take an åtgärd out of a draft plan (utkast)."""
    with ctx.transaction() as session:
        plan = _draft_plan(session, plan_id, "åtgärder")
        measure, entry = _plan_measure(session, plan, measure_id, expected_version)
        before = _measure_state(measure, entry)
        risk = session.get_one(Risk, measure.risk_id)
        session.delete(entry)
        session.flush()
        _delete_orphans(session, risk)
        _touch(risk, ctx.clock())
        session.flush()
        _audit_risk(
            session,
            ctx,
            plan,
            risk,
            "tog bort åtgärd ur utkast",
            "åtgärd",
            measure_id,
            before,
            None,
        )


def _delete_orphans(session: Session, risk: Risk) -> None:
    """A risk (or åtgärd) left in no plan year was only ever a draft: remove it."""
    used = set(
        session.scalars(
            select(PlanMeasure.measure_id).join(Measure).where(Measure.risk_id == risk.id)
        )
    )
    for measure in session.scalars(select(Measure).where(Measure.risk_id == risk.id)):
        if measure.id not in used:
            session.delete(measure)
    if session.scalar(select(PlanRisk.id).where(PlanRisk.risk_id == risk.id).limit(1)) is None:
        session.delete(risk)
    session.flush()


def add_measure(
    ctx: Context, plan_id: int, risk_id: int, fields: MeasureFields, *, reason: str | None = None
) -> int:
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
        _revise(session, ctx, plan, f"Ny åtgärd för {risk.ref}: {entry.text}", reason, risk)
        _touch(risk, now)
        _audit_risk(
            session,
            ctx,
            plan,
            risk,
            "lade till åtgärd",
            "åtgärd",
            measure.id,
            None,
            _with_reason(_measure_state(measure, entry), plan, reason),
        )
        return measure.id


def update_measure(
    ctx: Context,
    plan_id: int,
    measure_id: int,
    expected_version: int,
    fields: MeasureFields,
    *,
    reason: str | None = None,
) -> None:
    now = ctx.clock()
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        measure, entry = _plan_measure(session, plan, measure_id, expected_version)
        if fields.kind is MeasureKind.ONE_OFF and fields.frequency is not None:
            raise InvalidInput("Bara en återkommande kontroll kan ha en frekvens.")
        text = building.required_text(fields.text, "Åtgärdstexten")
        before = _measure_state(measure, entry)
        entry.text = text
        entry.region_wide = fields.region_wide
        measure.kind = fields.kind.value
        measure.frequency = fields.frequency.value if fields.frequency else None
        measure.due_date = fields.due_date
        measure.roles = [repo.get_role(session, r) for r in fields.roles]
        after = _measure_state(measure, entry)
        if after == before:
            return
        risk = session.get_one(Risk, measure.risk_id)
        _revise(
            session,
            ctx,
            plan,
            f"Ändrade en åtgärd för {risk.ref}: {_changes(before, after)}",
            reason,
            risk,
        )
        _touch(measure, now)
        session.flush()
        _audit_risk(
            session,
            ctx,
            plan,
            risk,
            "ändrade åtgärd",
            "åtgärd",
            measure.id,
            before,
            _with_reason(after, plan, reason),
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
            RoleInfo(r.id, r.name, r.description, counts.get(r.id, 0), r.version)
            for r in session.scalars(select(Role))
        ]
        return sorted(roles, key=lambda r: swedish_key(r.name))


def save_role(
    ctx: Context,
    role_id: int | None,
    name: str,
    description: str = "",
    *,
    expected_version: int | None = None,
) -> int:
    """Create a role (``role_id=None``) or rename/redescribe one; returns its id. A rename
    based on a stale copy (``expected_version``) is a conflict, never an overwrite."""
    name = limits.checked(" ".join(name.split()), "Rollens namn", limits.ROLE_NAME_MAX)
    description = limits.checked(
        description.strip(), "Rollens beskrivning", limits.TEXT_MAX, multiline=True
    )
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
        if expected_version is not None and existing.version != expected_version:
            raise ConflictError(_changed(f"Rollen ”{existing.name}”"))
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
                f"Rollen ”{role.name}” ansvarar för {count_of(used, 'åtgärd', 'åtgärder')}; "
                "ta bort den från dem först."
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
        if (
            status is PlanStatus.DRAFT
            and plan.status != PlanStatus.DRAFT
            and repo.plan_has_reviews(session, plan.id)
        ):
            raise InvalidInput(
                f"Planen för {plan.year} har uppföljningar och kan inte bli ett utkast "
                "igen; ändra den genom revisioner i stället."
            )
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
            plan_id=plan.id,
        )
        return plan_info(session, plan)


def set_matrix_size(
    ctx: Context,
    year: int,
    size: int,
    *,
    committee: str | None = None,
    reason: str | None = None,
) -> PlanInfo:
    """Give a plan year the preset matrix of ``size`` × ``size`` (3, 4 or 5). Allowed on
    an utkast; on a fastställd plan only before its first review, as a revision with a
    reason; never on an avslutad plan. Every brutto already set must fit the new scales."""
    matrix = matrix_for_size(size)
    with ctx.transaction() as session:
        found = repo.get_committee(session, committee)
        plan = _editable_plan(session, repo.get_plan(session, found, year).id)
        _change_matrix(session, ctx, plan, found, matrix, reason)
        return plan_info(session, plan)


def set_period_kind(
    ctx: Context,
    year: int,
    kind: PeriodKind,
    *,
    committee: str | None = None,
    reason: str | None = None,
) -> PlanInfo:
    """Follow a plan year up per kvartal, tertial or halvår: its periods are replaced by
    ``kind``'s. Only before the year's first review (and before any period is locked);
    on a fastställd plan as a revision with a reason; never on an avslutad plan."""
    with ctx.transaction() as session:
        found = repo.get_committee(session, committee)
        plan = _editable_plan(session, repo.get_plan(session, found, year).id)
        _change_period_kind(session, ctx, plan, found, kind, reason)
        return plan_info(session, plan)


def set_plan_setup(
    ctx: Context, plan_id: int, version: int, size: int, kind: PeriodKind
) -> PlanInfo:
    """The terminal's plan dialog: an utkast's matrix size and period kind, as loaded at
    ``version``. Both change in one transaction (or neither), each logged as ``plan
    matrix`` and ``plan perioder`` log theirs."""
    matrix = matrix_for_size(size)
    with ctx.transaction() as session:
        plan = _editable_plan(session, plan_id)
        if plan.version != version:
            raise ConflictError(_changed(f"Planen för {plan.year}"))
        if plan.status != PlanStatus.DRAFT:
            raise InvalidInput(
                f"Planen för {plan.year} är {plan.status}: riskmatris och perioder väljs "
                "här bara i ett utkast (en fastställd plan: riskreg plan matrix/perioder "
                "med motivering)."
            )
        found = session.get_one(Committee, plan.committee_id)
        _change_matrix(session, ctx, plan, found, matrix, None)
        _change_period_kind(session, ctx, plan, found, kind, None)
        return plan_info(session, plan)


def _change_matrix(
    session: Session,
    ctx: Context,
    plan: Plan,
    found: Committee,
    matrix: RiskMatrix,
    reason: str | None,
) -> None:
    old = building.plan_matrix(plan)
    if old == matrix:
        return
    if plan.status == PlanStatus.ADOPTED and repo.plan_has_reviews(session, plan.id):
        raise InvalidInput(
            f"Planen för {plan.year} är fastställd och har uppföljningar: dess "
            f"{old.label}-matris kan inte längre bytas."
        )
    for entry, ref in session.execute(
        select(PlanRisk, Risk.ref)
        .join(Risk, Risk.id == PlanRisk.risk_id)
        .where(PlanRisk.plan_id == plan.id, PlanRisk.brutto_likelihood.is_not(None))
        .order_by(PlanRisk.position)
    ):
        brutto = assessment(entry.brutto_likelihood, entry.brutto_consequence)
        if brutto is None:
            continue
        try:
            matrix.check(brutto)
        except InvalidInput:
            raise InvalidInput(
                f"{ref} har bruttorisk {brutto.label}, som inte ryms i en "
                f"{matrix.label}-matris: ändra bruttorisken först."
            ) from None
    _revise(session, ctx, plan, f"Riskmatris {old.label} → {matrix.label}", reason)
    plan.matrix = matrix.to_dict()
    plan.updated_at = ctx.clock()
    session.flush()
    _audit(
        session,
        ctx,
        "bytte riskmatris",
        "plan",
        plan.id,
        f"{found.short_name} {plan.year}",
        found.id,
        {"matris": old.label},
        _with_reason({"matris": matrix.label}, plan, reason),
        plan_id=plan.id,
    )


def _change_period_kind(
    session: Session,
    ctx: Context,
    plan: Plan,
    found: Committee,
    kind: PeriodKind,
    reason: str | None,
) -> None:
    old = building.plan_period_kind(plan)
    if old is kind:
        return
    repo.lock_plan(session, plan.id)
    if repo.plan_has_reviews(session, plan.id) or any(p.locked_at for p in plan.periods):
        raise InvalidInput(
            f"Planen för {plan.year} har redan uppföljningar per {old.value}: "
            "periodtypen kan bara bytas före årets första uppföljning."
        )
    _revise(session, ctx, plan, f"Uppföljning per {old.value} → per {kind.value}", reason)
    plan.periods.clear()
    session.flush()  # the old periods go before the new ones take their numbers
    plan.periods.extend(building.review_periods(kind))
    plan.period_kind = kind.value
    plan.updated_at = ctx.clock()
    session.flush()
    _audit(
        session,
        ctx,
        "bytte periodtyp",
        "plan",
        plan.id,
        f"{found.short_name} {plan.year}",
        found.id,
        {"perioder": old.value},
        _with_reason({"perioder": kind.value}, plan, reason),
        plan_id=plan.id,
    )


@dataclass(frozen=True)
class LeftOut:
    """What roll-forward did not carry into the new year, and why."""

    ref: str
    text: str
    why: str


@dataclass(frozen=True)
class RollForward:
    plan: PlanInfo
    risks: int
    measures: int
    left_out: tuple[LeftOut, ...]


def roll_forward(ctx: Context, plan_id: int, to_year: int | None = None) -> RollForward:
    """Carry a plan into a new year as an utkast: the risks not closed, with their texts,
    brutto and åtgärder (the same identities, so history continues), the matrix and the
    period kind; no
    reviews. Left out, and listed: closed risks, åtgärder that utgår, one-off åtgärder
    already done. An acceptance goes along only while it is still valid."""
    from riskreg.db.mappers import load_snapshot

    now = ctx.clock()
    with ctx.transaction() as session:
        source = repo.get_plan_by_id(session, plan_id)
        committee = session.get_one(Committee, source.committee_id)
        year = to_year if to_year is not None else source.year + 1
        if year <= source.year:
            raise InvalidInput(f"Den nya planen måste gälla ett senare år än {source.year}.")
        snapshot = load_snapshot(session, source)
        entries = {
            pr.risk_id: pr
            for pr in session.scalars(select(PlanRisk).where(PlanRisk.plan_id == source.id))
        }
        target = building.create_plan(
            session,
            committee,
            year,
            now,
            matrix=RiskMatrix.from_dict(source.matrix),
            period_kind=building.plan_period_kind(source),
        )
        left_out: list[LeftOut] = []
        risks = measures = 0
        for risk in snapshot.risks:
            if risk.status is RiskStatus.CLOSED:
                left_out.append(LeftOut(risk.ref, risk.text, f"risken avslutades {source.year}"))
                continue
            risks += 1
            entry = _carried_risk(entries[risk.id], target.id, risks, year)
            session.add(entry)
            if risk.status is RiskStatus.ACCEPTED and entry.status == RiskStatus.ACTIVE.value:
                until = risk.acceptance.until if risk.acceptance else None
                left_out.append(
                    LeftOut(
                        risk.ref,
                        risk.text,
                        f"acceptansen gällde till {_iso(until)}; risken är aktiv igen",
                    )
                )
            for measure in risk.measures:
                why = _finished(measure, source.year)
                if why is not None:
                    left_out.append(LeftOut(risk.ref, measure.text, why))
                    continue
                measures += 1
                session.add(
                    PlanMeasure(
                        plan_id=target.id,
                        measure_id=measure.id,
                        position=measures,
                        text=measure.text,
                        region_wide=measure.region_wide,
                        source=measure.source,
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
            {
                "från år": source.year,
                "till år": year,
                "risker": risks,
                "åtgärder": measures,
                "utelämnat": [f"{x.ref}: {x.why} ({x.text})" for x in left_out],
            },
            plan_id=target.id,
        )
        return RollForward(plan_info(session, target), risks, measures, tuple(left_out))


def _carried_risk(old: PlanRisk, plan_id: int, position: int, year: int) -> PlanRisk:
    entry = PlanRisk(
        plan_id=plan_id,
        risk_id=old.risk_id,
        position=position,
        text=old.text,
        region_wide=old.region_wide,
        brutto_likelihood=old.brutto_likelihood,
        brutto_consequence=old.brutto_consequence,
        source=old.source,
        status=RiskStatus.ACTIVE.value,
    )
    valid = old.accepted_until is None or old.accepted_until >= date(year, 1, 1)
    if old.status == RiskStatus.ACCEPTED and valid:
        entry.status = RiskStatus.ACCEPTED.value
        entry.accepted_by, entry.accepted_reason = old.accepted_by, old.accepted_reason
        entry.accepted_until, entry.accepted_on = old.accepted_until, old.accepted_on
    return entry


def _finished(measure: PlanMeasureRecord, year: int) -> str | None:
    """Why an åtgärd is not carried into the next year, or None to carry it."""
    status = year_status(measure, year)
    if status is None:
        return None
    if status.status is MeasureStatus.DROPPED:
        return f"åtgärden utgick {year}"
    if status.status is MeasureStatus.DONE and measure.kind is MeasureKind.ONE_OFF:
        return f"engångsåtgärden genomfördes {year}"
    return None


# -- helpers -------------------------------------------------------------------------


def _editable_plan(session: Session, plan_id: int) -> Plan:
    plan = repo.get_plan_by_id(session, plan_id)
    if plan.status == PlanStatus.CLOSED:
        raise InvalidInput(f"Planen för {plan.year} är avslutad och kan inte ändras.")
    return plan


def _draft_plan(session: Session, plan_id: int, what: str) -> Plan:
    plan = _editable_plan(session, plan_id)
    if plan.status != PlanStatus.DRAFT:
        raise InvalidInput(
            f"Planen för {plan.year} är fastställd: {what} tas inte bort ur en fastställd plan; "
            "avsluta risken eller ange att åtgärden utgår i stället."
        )
    return plan


def _revise(
    session: Session,
    ctx: Context,
    plan: Plan,
    what: str,
    reason: str | None,
    risk: Risk | None = None,
) -> None:
    """A change to a fastställd plan is a revision: it needs a reason and is recorded."""
    if plan.status != PlanStatus.ADOPTED:
        return
    reason = limits.checked((reason or "").strip(), "Motiveringen", limits.TEXT_MAX, multiline=True)
    if not reason:
        raise InvalidInput(
            f"Planen för {plan.year} är fastställd: ange en motivering, så sparas ändringen "
            "som en revision av planen."
        )
    session.add(
        PlanRevision(
            plan_id=plan.id,
            risk_id=risk.id if risk else None,
            at=ctx.clock(),
            actor=ctx.actor,
            what=what,
            reason=reason,
        )
    )


def _with_reason(state: dict[str, Any], plan: Plan, reason: str | None) -> dict[str, Any]:
    if plan.status == PlanStatus.ADOPTED and reason:
        return {**state, "revision": reason.strip()}
    return state


_CHANGE_WORDS = {
    "text": "ny lydelse",
    "verksamhet_id": "ny verksamhet",
    "krav": "krav",
    "regionövergripande": "regionövergripande",
    "brutto": "bruttorisk",
    "typ": "typ",
    "frekvens": "frekvens",
    "klart senast": "klart senast",
    "roller": "roller",
}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What a revision changed, in words: "ny lydelse, bruttorisk 3×3"."""
    parts = []
    for key, value in after.items():
        if value == before.get(key):
            continue
        word = _CHANGE_WORDS.get(key, key)
        parts.append(f"{word} {value}" if key in ("brutto", "krav") and value else word)
    return ", ".join(parts)


def _plan_measure(
    session: Session, plan: Plan, measure_id: int, expected_version: int
) -> tuple[Measure, PlanMeasure]:
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
    return measure, entry


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


def _touch(row: Risk | Measure, now: datetime) -> None:
    """Move the row's version even when the clock has not: a change to a plan year's facts
    or åtgärder is a change of the risk, so an edit based on the old version conflicts."""
    row.updated_at = now
    flag_modified(row, "updated_at")


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


def _status_state(entry: PlanRisk) -> dict[str, Any]:
    return {
        "status": entry.status,
        "accepterad av": entry.accepted_by,
        "motivering": entry.accepted_reason or entry.closed_reason,
        "till och med": _iso(entry.accepted_until),
        "beslutad": _iso(entry.accepted_on),
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


def _audit_risk(
    session: Session,
    ctx: Context,
    plan: Plan,
    risk: Risk,
    action: str,
    entity: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """An entry about a risk (or one of its åtgärder) in a plan year."""
    _audit(
        session,
        ctx,
        action,
        entity,
        entity_id,
        f"{risk.ref} {plan.year}",
        plan.committee_id,
        before,
        after,
        plan_id=plan.id,
    )


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
    *,
    plan_id: int | None = None,
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
        plan_id=plan_id,
        before=before,
        after=after,
    )
