"""``riskreg export register``: a plan year's register as a sheet of åtgärd rows.

Loads the plan year once through the register loader (the read model's source, the same
rows the TUI and the ISK report read) and hands it to the pure
``domain.register_sheet.build_sheet``; laying it out as a workbook or CSV is the entry
points' business.
"""

from __future__ import annotations

from riskreg.db import repo
from riskreg.db.mappers import load_snapshot
from riskreg.domain.register import local_date
from riskreg.domain.register_sheet import RegisterSheet, build_sheet
from riskreg.services.context import Context


def register_sheet(ctx: Context, year: int | None, committee: str | None) -> RegisterSheet:
    """The register of a nämnd's plan year (``None``: the only nämnd / the current plan),
    dated today in Swedish time."""
    today = local_date(ctx.clock())
    with ctx.reading() as session:
        found = repo.get_committee(session, committee)
        plan = repo.get_plan(session, found, year)
        snapshot = load_snapshot(session, plan)
        return build_sheet(snapshot, found.short_name, today)
