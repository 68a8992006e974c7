"""The review keys follow the plan's matrix: 1–5 in a 5×5 plan (the footer says so), and
a 5 in a 4×4 plan is refused with a notice, nothing saved."""

from __future__ import annotations

from tui_helpers import loaded, notifications, run_async, scalar, screen_text, settle

from riskreg.services import editing
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.review import ReviewScreen

NETTO = (
    "SELECT rr.likelihood || '×' || rr.consequence FROM risk_review rr "
    "JOIN risk r ON r.id = rr.risk_id WHERE r.ref = :ref"
)


@run_async
async def test_keys_1_to_5_in_a_5x5_plan(ctx: Context) -> None:
    editing.set_matrix_size(ctx, 2024, 5, committee="HSN", reason="Nämnden bytte till 5×5.")
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "tryck 1–5 för sannolikhet" in screen_text(app)
        assert "1–5 Sätt S/K" in screen_text(app)  # the footer follows the matrix
        ref = screen.state.risks[0].risk.ref
        await pilot.press("5", "4")
        await settle(pilot)
        assert scalar(ctx, NETTO, ref=ref) == "5×4"
        assert "Mycket sannolik" in screen_text(app)


@run_async
async def test_a_5_in_a_4x4_plan_is_refused(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "1–4 Sätt S/K" in screen_text(app)
        ref = screen.state.risks[0].risk.ref
        await pilot.press("5", "5")
        await settle(pilot)
        assert "Planens 4×4-matris har värdena 1–4." in notifications(app)
        assert scalar(ctx, NETTO, ref=ref) is None
