"""An utkast's risk matrix and follow-up periods, chosen in one dialog (P): keys pick
5×5 and tertial, the plan gets three periods, the log has both changes; a fastställd plan
is refused with a notice, and F1 explains the dialog."""

from __future__ import annotations

from textual.widgets import OptionList, Static
from tui_helpers import loaded, notifications, rows, run_async, screen_text, settle

from riskreg.domain.periods import PeriodKind
from riskreg.domain.scales import PlanStatus
from riskreg.services import editing, plans
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.help import HelpScreen
from riskreg.tui.screens.pick import PickScreen
from riskreg.tui.screens.plan_forms import PlanSetupScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.screens.review import ReviewScreen


@run_async
async def test_a_draft_gets_a_5x5_matrix_and_tertials_by_keys(ctx: Context) -> None:
    editing.roll_forward(ctx, plans.load_plan(ctx, 2024, "HSN").plan.id)
    app = RiskregApp(ctx, year=2025)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PlanSetupScreen)
        assert "har en 4×4-matris och följs upp per kvartal" in screen_text(app)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Riskmatris och uppföljningsperioder" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PlanSetupScreen)
        await pilot.press("enter", "down", "enter")  # 4×4 → 5×5
        await pilot.press("tab", "enter", "down", "enter")  # kvartal → tertial
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "5×5-matris och följs upp per tertial" in notifications(app)[-1]

    plan = plans.load_plan(ctx, 2025, "HSN").plan
    assert plan.matrix.label == "5×5"
    assert [p.label for p in plan.periods] == ["2025 T1", "2025 T2", "2025 T3"]
    actions = [a for (a,) in rows(ctx, "SELECT action FROM audit_entry ORDER BY id")]
    assert actions[-2:] == ["bytte riskmatris", "bytte periodtyp"]


@run_async
async def test_a_halvar_plan_is_reviewed_per_halvar_and_not_changed_once_adopted(
    ctx: Context,
) -> None:
    editing.roll_forward(ctx, plans.load_plan(ctx, 2024, "HSN").plan.id)
    editing.set_period_kind(ctx, 2025, PeriodKind.HALF_YEAR, committee="HSN")
    plan = plans.load_plan(ctx, 2025, "HSN").plan
    editing.set_plan_status(ctx, plan.id, PlanStatus.ADOPTED)
    app = RiskregApp(ctx, year=2025)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "bara i ett utkast" in notifications(app)[-1]
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.state.ref.label == "2025 H1"
        await pilot.press("v")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickScreen)
        title = picker.query_one(".dialog-title", Static).render()
        options = picker.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert (str(title), shown) == ("Välj halvår", ["2025 H1 · öppen", "2025 H2 · öppen"])
        await pilot.press("down", "enter")  # H2
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.state.ref.label == "2025 H2"
    kept = plans.load_plan(ctx, 2025, "HSN").plan
    assert kept.period_kind is PeriodKind.HALF_YEAR and len(kept.periods) == 2
