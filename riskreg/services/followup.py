"""The delår follow-up report (``riskreg report uppföljning``): one read of the plan year,
handed to the pure ``riskreg.domain.followup.build_followup``."""

from __future__ import annotations

from riskreg.db import repo
from riskreg.db.mappers import load_snapshot
from riskreg.domain.followup import FollowUpReport, build_followup
from riskreg.services.context import Context


def build_followup_report(
    ctx: Context, year: int | None, period: int | str, committee: str | None = None
) -> FollowUpReport:
    """The follow-up of one period: its number, or the text a user typed ("2", "T2"),
    read against the plan's kind. ``NotFound`` for an unknown nämnd or year,
    ``InvalidInput`` for a period the year does not have."""
    with ctx.reading() as session:
        plan = repo.get_plan(session, repo.get_committee(session, committee), year)
        snapshot = load_snapshot(session, plan)
    kind = snapshot.plan.period_kind
    number = kind.number(period, snapshot.plan.year) if isinstance(period, str) else period
    return build_followup(snapshot, number)
