"""The annual ISK-bedömning: the stored conclusion per plan year and the report content.

``build_report`` gathers everything the PDF needs in one read (the plan year, the previous
plan year for "changes since last year", the stored conclusion, the example-data flag)
and hands it to the pure ``riskreg.domain.isk.build_content``.

Example data: ``riskreg seed --exempel`` (``services.examples``) sets the plan's
``example_data`` column before it writes anything, and ``--ta-bort-exempel`` clears it
after removing the example reviews; while it is set the report says "exempeldata" on
every page. The example reviews' comments also start with ``EXAMPLE_MARK`` so a reader of
a single review sees it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import auditlog, repo
from riskreg.db.mappers import load_snapshot, reader_of
from riskreg.db.models import Committee, IskAssessment, Plan
from riskreg.domain import limits
from riskreg.domain.errors import ConflictError, InvalidInput
from riskreg.domain.isk import ConclusionFields, Grade, IskConclusion, Suggestion
from riskreg.domain.isk_content import IskReport, assess, build_content
from riskreg.domain.limits import DNR_MAX as DNR_MAX  # the TUI form's field lengths
from riskreg.domain.limits import HANDLER_MAX as HANDLER_MAX
from riskreg.domain.scales import PlanStatus
from riskreg.services.context import Context

EXAMPLE_MARK = "Exempeldata"


@dataclass(frozen=True)
class ConclusionView:
    """The stored conclusion next to what the data suggests (``riskreg isk show``, TUI)."""

    conclusion: IskConclusion
    suggestion: Suggestion


def get_conclusion(
    ctx: Context, year: int | None = None, committee: str | None = None
) -> IskConclusion:
    """The stored conclusion of a plan year (``version == 0`` when none is stored yet)."""
    with ctx.reading() as session:
        plan = _plan(session, year, committee)
        return _conclusion(session, plan)


def view_conclusion(
    ctx: Context, year: int | None = None, committee: str | None = None
) -> ConclusionView:
    with ctx.reading() as session:
        plan = _plan(session, year, committee)
        return ConclusionView(_conclusion(session, plan), assess(load_snapshot(session, plan)))


def save_conclusion(
    ctx: Context,
    plan_id: int,
    fields: ConclusionFields,
    *,
    expected_version: int | None = None,
) -> IskConclusion:
    """Store the conclusion of a plan year. ``expected_version``: 0 = "I saw none stored",
    n = "I saw version n", None = no check (scripts). A grade other than the suggested one
    needs a motivation."""
    fields = _cleaned(fields)
    now = ctx.clock()
    with ctx.transaction() as session:
        plan = repo.get_plan_by_id(session, plan_id)
        if plan.status == PlanStatus.DRAFT:
            raise InvalidInput(
                f"Planen för {plan.year} är ett utkast; ISK-bedömningen görs för en fastställd "
                "eller avslutad plan."
            )
        if fields.meeting_date is not None and fields.meeting_date < date(plan.year, 1, 1):
            raise InvalidInput(
                f"Sammanträdesdatumet {fields.meeting_date.isoformat()} ligger före planåret "
                f"{plan.year}."
            )
        if fields.grade is not None and not fields.motivation:
            suggested = assess(load_snapshot(session, plan)).grade
            if fields.grade is not suggested:
                raise InvalidInput(
                    f"Betyget ”{fields.grade.value}” avviker från det föreslagna "
                    f"(”{suggested.value}”): skriv en motivering."
                )
        row = session.scalar(select(IskAssessment).where(IskAssessment.plan_id == plan.id))
        actual = 0 if row is None else row.version
        if expected_version is not None and expected_version != actual:
            who = f" av {row.updated_by}" if row is not None else ""
            raise ConflictError(
                f"ISK-bedömningen för {plan.year} har ändrats{who} sedan du läste in den; "
                "läs in på nytt innan du sparar."
            )
        _refuse_stale_motivation(row, fields)
        before = _state(row)
        if row is None:
            row = IskAssessment(plan_id=plan.id, updated_at=now, updated_by=ctx.actor)
            session.add(row)
        row.grade = fields.grade.value if fields.grade else None
        row.motivation = fields.motivation
        row.proposal = fields.proposal
        row.handler = fields.handler
        row.handler_name = fields.handler_name
        row.governance = fields.governance
        row.meeting_date = fields.meeting_date
        row.dnr = fields.dnr
        row.send_to = "\n".join(fields.send_to)
        row.updated_at = now
        row.updated_by = ctx.actor
        session.flush()
        committee = session.get_one(Committee, plan.committee_id)
        repo.write_audit(
            session,
            at=now,
            actor=ctx.actor,
            action="lade till ISK-bedömning" if before is None else "ändrade ISK-bedömning",
            entity="isk-bedömning",
            entity_id=row.id,
            entity_ref=f"{committee.short_name} {plan.year}",
            committee_id=plan.committee_id,
            plan_id=plan.id,
            before=before,
            after=_state(row),
        )
        return _record(row, plan, committee)


def build_report(ctx: Context, year: int | None = None, committee: str | None = None) -> IskReport:
    """The ISK-bedömning of a plan year as a record; ``NotFound`` for an unknown nämnd or
    year, ``InvalidInput`` for a plan year without risks."""
    with ctx.reading() as session:
        plan = _plan(session, year, committee)
        snapshot = load_snapshot(session, plan)
        previous_plan = session.scalar(
            select(Plan)
            .where(Plan.committee_id == plan.committee_id, Plan.year < plan.year)
            .order_by(Plan.year.desc())
            .limit(1)
        )
        previous = load_snapshot(session, previous_plan) if previous_plan is not None else None
        conclusion = _conclusion(session, plan)
        anchor = auditlog.latest_for_plan(reader_of(session), plan.id)
    return build_content(snapshot, conclusion, previous=previous, log_anchor=anchor)


# -- helpers -------------------------------------------------------------------------------


def _refuse_stale_motivation(row: IskAssessment | None, fields: ConclusionFields) -> None:
    """A motivation is written for one grade: a new grade with the old, unchanged
    motivation would print a reasoning that argued for something else."""
    if row is None or not row.motivation or fields.motivation != row.motivation:
        return
    new = fields.grade.value if fields.grade else None
    if new != row.grade:
        raise InvalidInput(
            f"Motiveringen skrevs för betyget ”{row.grade or 'inget'}”: skriv en ny "
            "motivering för det nya betyget, eller töm den."
        )


def _plan(session: Session, year: int | None, committee: str | None) -> Plan:
    return repo.get_plan(session, repo.get_committee(session, committee), year)


def _conclusion(session: Session, plan: Plan) -> IskConclusion:
    committee = session.get_one(Committee, plan.committee_id)
    row = session.scalar(select(IskAssessment).where(IskAssessment.plan_id == plan.id))
    if row is None:
        return IskConclusion(plan.id, committee.name, plan.year, ConclusionFields(), None, None, 0)
    return _record(row, plan, committee)


def _record(row: IskAssessment, plan: Plan, committee: Committee) -> IskConclusion:
    return IskConclusion(
        plan_id=plan.id,
        committee=committee.name,
        year=plan.year,
        fields=ConclusionFields(
            grade=Grade(row.grade) if row.grade else None,
            motivation=row.motivation,
            proposal=row.proposal,
            handler=row.handler,
            handler_name=row.handler_name,
            governance=row.governance,
            meeting_date=row.meeting_date,
            dnr=row.dnr,
            send_to=tuple(line for line in row.send_to.splitlines() if line.strip()),
        ),
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        version=row.version,
    )


def _cleaned(fields: ConclusionFields) -> ConclusionFields:
    """The fields as they will be stored, or ``InvalidInput`` naming the first one that
    cannot be (too long, a control character, a date outside the register's years)."""
    dnr = " ".join((fields.dnr or "").split()) or None
    send_to = tuple(
        limits.checked(" ".join(part.split()), "Mottagaren", limits.TEXT_MAX)
        for entry in fields.send_to
        for part in entry.replace(";", "\n").splitlines()
        if part.strip()
    )
    proposal = "\n".join(line.strip() for line in fields.proposal.splitlines() if line.strip())
    return ConclusionFields(
        grade=fields.grade,
        motivation=limits.checked(
            fields.motivation.strip(), "Motiveringen", limits.TEXT_MAX, multiline=True
        ),
        proposal=limits.checked(proposal, "Förslaget till beslut", limits.TEXT_MAX, multiline=True),
        handler=limits.checked(" ".join(fields.handler.split()), "Tjänstestället", HANDLER_MAX),
        handler_name=limits.checked(
            " ".join(fields.handler_name.split()), "Handläggarens namn", HANDLER_MAX
        ),
        governance=limits.checked(
            fields.governance.strip(), "Styrningen", limits.TEXT_MAX, multiline=True
        ),
        meeting_date=limits.check_date(fields.meeting_date, "Sammanträdesdatumet"),
        dnr=None if dnr is None else limits.checked(dnr, "Diarienumret", DNR_MAX),
        send_to=send_to,
    )


def _state(row: IskAssessment | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "betyg": row.grade,
        "motivering": row.motivation,
        "förslag till beslut": row.proposal,
        "handläggare": row.handler,
        "handläggarens namn": row.handler_name,
        "styrning": row.governance,
        "sammanträdesdatum": row.meeting_date.isoformat() if row.meeting_date else None,
        "dnr": row.dnr,
        "skickas till": row.send_to,
    }
