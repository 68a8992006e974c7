"""No silent overwrites, and database problems shown in the app instead of a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Input, TextArea
from tui_helpers import loaded, notifications, rows, run_async, scalar, screen_text, settle

from riskreg.domain.scales import MeasureStatus
from riskreg.services import editing, plans, reviews
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.dialogs import ConflictScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.screens.review import ReviewScreen
from riskreg.tui.screens.risk_form import RiskFormScreen


@run_async
async def test_risk_changed_elsewhere_is_not_overwritten(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("e")  # the form holds HR-01 as loaded
        await settle(pilot)
        assert isinstance(app.screen, RiskFormScreen)

        # meanwhile, on the command line or another controller's machine:
        snapshot = plans.load_plan(ctx, 2024)
        risk = snapshot.risk("HR-01")
        editing.update_risk(
            ctx,
            snapshot.plan.id,
            risk.id,
            risk.version,
            editing.RiskFields(area="HR", text="Ändrad på annat håll.", region_wide=True),
            reason="Ändrad av en kollega.",
        )

        app.screen.query_one("#text", TextArea).text = "Min ändring."
        app.screen.query_one("#revision", Input).value = "Min motivering."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert "Ändrat av någon annan" in screen_text(app)
        assert "Risken HR-01 har ändrats någon annanstans" in screen_text(app)
        assert scalar(
            ctx,
            "SELECT text FROM plan_risk pr JOIN risk r ON r.id = pr.risk_id "
            "JOIN plan p ON p.id = pr.plan_id WHERE r.ref = 'HR-01' AND p.year = 2024",
        ) == ("Ändrad på annat håll.")
        await pilot.press("r")  # reload: what was typed would be lost, so it asks first
        await settle(pilot)
        assert "Kasta det du skrivit och läsa in på nytt?" in screen_text(app)
        await pilot.press("enter")  # the focus is on "Fortsätt skriva"
        await settle(pilot)
        assert isinstance(app.screen, RiskFormScreen)
        assert app.screen.query_one("#text", TextArea).text == "Min ändring."
        await pilot.press("ctrl+s", "r")  # conflict again; this time discard knowingly
        await settle(pilot)
        await pilot.press("left", "enter")
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "HR-01 HR: Ändrad på annat håll." in screen_text(app)
        assert app.screen.table.highlighted is not None
        assert app.screen.table.highlighted.risk.text == "Ändrad på annat håll."
    # only the colleague's revision was recorded; mine was not saved
    assert rows(ctx, "SELECT reason, actor FROM plan_revision") == [
        ("Ändrad av en kollega.", "testare")
    ]


@run_async
async def test_review_answer_changed_elsewhere_is_not_overwritten(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)

        snapshot = plans.load_plan(ctx, 2024)
        hr = snapshot.risk("HR-01")
        other = Context(ctx.engine, ctx.target, actor="kollega", clock=ctx.clock)
        reviews.record_risk_review(other, snapshot.plan.id, hr.id, 1, 4, 4, expected_version=0)
        reviews.record_measure_review(
            other, snapshot.plan.id, hr.measures[0].id, 1, MeasureStatus.DONE, expected_version=0
        )

        await pilot.press("2", "2")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert "Bedömningen av HR-01 har ändrats av kollega" in screen_text(app)
        assert rows(ctx, "SELECT likelihood, consequence, reviewed_by FROM risk_review") == [
            (4, 4, "kollega")
        ]
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.draft is not None and screen.draft.risk.ref == "HR-01"
        assert "✓ Sparad 2024-10-15 11:30 av kollega"  # 09:30 UTC in screen_text(app)
        # now that the screen knows the colleague's answer, changing it is deliberate
        await pilot.press("2", "2", "p")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    assert rows(ctx, "SELECT likelihood, consequence, reviewed_by FROM risk_review") == [
        (2, 2, "testare")
    ]
    assert rows(ctx, "SELECT status, reviewed_by FROM measure_review") == [("pågående", "testare")]


def _app_text(ctx: Context) -> str:
    import asyncio

    async def scenario() -> str:
        app = RiskregApp(ctx)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("u", "m", "a", "e")  # nothing loaded: all of these are harmless
            await settle(pilot)
            assert isinstance(app.screen, RegisterScreen)
            return screen_text(app) + "\n" + "\n".join(notifications(app))

    return asyncio.run(scenario())


def test_database_at_an_older_schema_is_explained(ctx: Context) -> None:
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    text = _app_text(ctx)
    assert "Registret kunde inte läsas: Databasen har en äldre schemaversion (0000)" in text
    assert "riskreg db upgrade" in text
    assert "Traceback" not in text


def test_database_without_tables_is_explained(tmp_path: Path) -> None:
    from riskreg.db.engine import make_engine
    from riskreg.db.target import DatabaseTarget

    url = f"sqlite:///{tmp_path / 'tom.db'}"
    ctx = Context(make_engine(url), DatabaseTarget(url, False), actor="testare")
    try:
        text = _app_text(ctx)
    finally:
        ctx.engine.dispose()
    assert "Databasen saknar riskregs tabeller: kör ”riskreg init”" in text


@run_async
async def test_locked_database_gives_a_message_and_saves_nothing(ctx: Context) -> None:
    path = ctx.target.sqlite_path
    assert path is not None
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        blocker = sqlite3.connect(path, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            await pilot.press("3", "3")  # waits for the busy timeout, then gives up
            await settle(pilot)
        finally:
            blocker.rollback()
            blocker.close()
        assert "Databasen är låst av ett annat program" in notifications(app)[-1]
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("3", "3")  # the lock is gone: the same keys now save
    assert rows(ctx, "SELECT likelihood, consequence FROM risk_review") == [(3, 3)]
