"""What the app keeps for its user between runs, in folders the test chooses (never the
real home): the theme, the last nämnd and year, and drafts of unsaved text."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import loaded, notifications, rows, run_async, screen_text, settle

from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.dialogs import TextScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.settings import Drafts, Settings


@run_async
async def test_theme_and_last_plan_year_are_remembered(ctx: Context, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "config", ctx.target.display)
    app = RiskregApp(ctx, settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("f2", "f2")  # dark → light → high contrast
        assert app.theme == "riskreg-hogkontrast"
        await pilot.press("y", "down", "enter")  # 2022
        await loaded(pilot)
        assert "internkontrollplan 2022" in screen_text(app)

    again = RiskregApp(ctx, settings=settings)
    async with again.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert again.theme == "riskreg-hogkontrast"
        assert "internkontrollplan 2022" in screen_text(again)
    # a nämnd and year given on the command line win over the remembered ones
    asked = RiskregApp(ctx, settings=settings, year=2024)
    async with asked.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "internkontrollplan 2024" in screen_text(asked)


@run_async
async def test_a_remembered_plan_that_is_gone_opens_the_current_one(
    ctx: Context, tmp_path: Path
) -> None:
    settings = Settings(tmp_path, ctx.target.display)
    settings.save(committee="Hälso- och sjukvårdsnämnden", year=1999, theme="ingen-sådan")
    app = RiskregApp(ctx, settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "internkontrollplan 2024" in screen_text(app)
        assert app.theme == "textual-dark"


@run_async
async def test_unsaved_text_survives_a_crash_and_is_offered_next_time(
    ctx: Context, tmp_path: Path
) -> None:
    drafts = Drafts(tmp_path / "utkast", ctx.target.display)
    app = RiskregApp(ctx, drafts=drafts)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("2", "3", "c", *"Viktig iakttagelse")
        await pilot.pause(0.8)  # kept a moment after the last key
        assert [d.text for d in drafts.all()] == ["Viktig iakttagelse"]
        # the terminal closes with the dialog open: nothing is saved in the register …
    assert rows(ctx, "SELECT comment FROM risk_review") == [("",)]

    again = RiskregApp(ctx, drafts=drafts)
    async with again.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert any("kommentar till HR-01 2024 kv 1" in n for n in notifications(again))
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("b", "c")  # back to HR-01: the same comment offers the text
        assert isinstance(again.screen, TextScreen)
        assert again.screen.text == "Viktig iakttagelse"
        assert "Osparad text från" in screen_text(again)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert rows(ctx, "SELECT comment FROM risk_review") == [("Viktig iakttagelse",)]
    assert drafts.all() == []  # saved: the draft is gone


@run_async
async def test_a_lost_connection_keeps_the_comment_as_a_draft(
    ctx: Context, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from riskreg.domain.errors import DatabaseProblem
    from riskreg.services import reviews

    drafts = Drafts(tmp_path / "utkast", ctx.target.display)
    app = RiskregApp(ctx, drafts=drafts)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("2", "3", "c", *"Skrivet när nätet gick ned")

        def lost(*args: object, **kwargs: object) -> None:
            raise DatabaseProblem("Databasen svarar inte.")

        monkeypatch.setattr(reviews, "record_risk_review", lost)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Databasen svarar inte." in notifications(app)[-1]
    assert [d.text for d in drafts.all()] == ["Skrivet när nätet gick ned"]
