"""The TUI's own service reads: the overview loader gives the same records as
``plans.load_plan``, and its light variant the same register rows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tui_helpers import populate

from riskreg.db.engine import make_engine
from riskreg.db.target import DatabaseTarget
from riskreg.services import plans, reviews, tui_support
from riskreg.services.context import Context
from riskreg.tui.model.rows import build_rows

ROOT = Path(__file__).resolve().parents[2]


def _row_view(snapshots: list) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (r.plan.id, r.ref, r.netto, r.trend, r.measures_done, r.roles, r.last_period)
        for s in snapshots
        for r in build_rows(s)
    ]


def test_current_plans_equal_load_plan_on_the_seeded_register(ctx: Context) -> None:
    populate(ctx)
    snapshot = plans.load_plan(ctx, 2024)
    reviews.reopen_period(ctx, snapshot.plan.id, 2, "test")
    found = tui_support.current_plans(ctx)
    assert found == [plans.load_plan(ctx)]
    light = tui_support.current_plans(ctx, latest_only=True)
    assert _row_view(light) == _row_view(found)
    assert all(len(r.reviews) <= 2 for s in light for r in s.risks)


def test_current_plans_on_a_synthetic_region(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    url = f"sqlite:///{tmp_path / 'region.db'}"
    module.build(url, committees=4, risks_per=5, measures_per=2)
    ctx = Context(make_engine(url), DatabaseTarget(url, False), actor="testare")
    try:
        found = tui_support.current_plans(ctx)
        assert [s.plan.committee for s in found] == plans.committee_names(ctx)
        assert found == [plans.load_plan(ctx, None, s.plan.committee) for s in found]
        assert _row_view(tui_support.current_plans(ctx, latest_only=True)) == _row_view(found)
    finally:
        ctx.engine.dispose()


def test_area_names_are_sorted_the_swedish_way(ctx: Context) -> None:
    snapshot = plans.load_plan(ctx, 2024)
    names = tui_support.area_names(ctx, snapshot.plan.committee_id)
    assert "HR" in names and names.index("HR") < names.index("Hälsofrämjande")
    tui_support.check_register(ctx)  # the seeded register is at the current schema
