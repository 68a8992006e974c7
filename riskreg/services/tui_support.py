"""Small reads the terminal UI needs beyond the plan services.

Kept apart so the TUI adds no code to the modules other entry points depend on.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from riskreg.db import repo
from riskreg.db.engine import check_schema
from riskreg.db.mappers import load_snapshots
from riskreg.db.models import (
    Area,
    Plan,
)
from riskreg.db.target import explain
from riskreg.domain.records import (
    PlanSnapshot,
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

    ``latest_only`` keeps just what a register row shows (see ``load_snapshots``); load
    the full plan (``plans.load_plan_by_id``) before reviewing it.
    """
    with ctx.reading() as session:
        chosen: list[Plan] = []
        for committee in repo.committees(session):
            if repo.plans_of(session, committee.id):
                chosen.append(repo.current_plan(session, committee.id))
        return load_snapshots(session, chosen, latest_only=latest_only)
