"""Reading plans: which nämnder and years exist, a whole plan year, one risk's history."""

from __future__ import annotations

from sqlalchemy import or_, select

from riskreg.db import repo
from riskreg.db.mappers import assessment, audit_record, load_snapshot, plan_info
from riskreg.db.models import Area, AuditEntry, Measure, Plan, PlanRisk
from riskreg.domain.errors import NotFound
from riskreg.domain.records import PlanInfo, PlanSnapshot, RiskHistory, RiskYear
from riskreg.domain.scales import RiskStatus
from riskreg.services.context import Context


def committee_names(ctx: Context) -> list[str]:
    with ctx.reading() as session:
        return [c.name for c in repo.committees(session)]


def list_plans(ctx: Context, committee: str | None = None) -> list[PlanInfo]:
    with ctx.reading() as session:
        found = repo.get_committee(session, committee)
        return [plan_info(session, p) for p in repo.plans_of(session, found.id)]


def load_plan(ctx: Context, year: int | None = None, committee: str | None = None) -> PlanSnapshot:
    """A plan year with its risks, åtgärder and reviews; ``year=None`` is the current plan."""
    with ctx.reading() as session:
        found = repo.get_committee(session, committee)
        return load_snapshot(session, repo.get_plan(session, found, year))


def load_plan_by_id(ctx: Context, plan_id: int) -> PlanSnapshot:
    with ctx.reading() as session:
        return load_snapshot(session, session.get_one(Plan, plan_id))


def risk_history(
    ctx: Context, ref: str, committee: str | None = None, year: int | None = None
) -> RiskHistory:
    """A risk in every plan year it belongs to, as of ``year`` (default: its latest plan
    year), and its audit log."""
    with ctx.reading() as session:
        found = repo.get_committee(session, committee)
        risk = repo.get_risk(session, found, ref)
        rows = session.execute(
            select(PlanRisk, Plan)
            .join(Plan, Plan.id == PlanRisk.plan_id)
            .where(PlanRisk.risk_id == risk.id)
            .order_by(Plan.year)
        ).all()
        years = tuple(
            RiskYear(
                year=plan.year,
                text=pr.text,
                region_wide=pr.region_wide,
                brutto=assessment(pr.brutto_likelihood, pr.brutto_consequence),
                source=pr.source,
                status=RiskStatus(pr.status),
            )
            for pr, plan in rows
        )
        as_of = next((plan for _, plan in rows if plan.year == year), None) if year else rows[-1][1]
        if as_of is None:
            raise NotFound(f"Risken {risk.ref} finns inte i planen för {year}.")
        snapshot = load_snapshot(session, as_of, risk_id=risk.id)
        current = snapshot.risk(risk.ref)
        measure_ids = select(Measure.id).where(Measure.risk_id == risk.id)
        audit = session.scalars(
            select(AuditEntry)
            .where(
                or_(
                    (AuditEntry.entity == "risk") & (AuditEntry.entity_id == risk.id),
                    (AuditEntry.entity == "åtgärd") & AuditEntry.entity_id.in_(measure_ids),
                )
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return RiskHistory(
            committee=found.name,
            current=current,
            current_year=as_of.year,
            matrix=snapshot.plan.matrix,
            years=years,
            audit=tuple(audit_record(a) for a in audit),
            area_names={
                int(area_id): str(name)
                for area_id, name in session.execute(
                    select(Area.id, Area.name).where(Area.committee_id == found.id)
                )
            },
        )
