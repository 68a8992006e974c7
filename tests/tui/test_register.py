"""The register view and the app's conventions: filter, sort, plan year, nämnd, matrix,
detail, command palette, F1 help, themes, sizes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tui_helpers import loaded, notifications, run_async, screen_text, settle

from riskreg.db.engine import make_engine
from riskreg.db.target import DatabaseTarget
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.detail import RiskDetailScreen
from riskreg.tui.screens.help import HelpScreen
from riskreg.tui.screens.matrix import MatrixScreen
from riskreg.tui.screens.pick import PickScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.themes import HIGH_CONTRAST

ROOT = Path(__file__).resolve().parents[2]


def shown_refs(app: RiskregApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, RegisterScreen)
    return [row.ref for row in screen.table.rows]


@run_async
async def test_register_lists_the_plan_with_counts(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(120, 30)) as pilot:  # wide enough for every column
        await loaded(pilot)
        text = screen_text(app)
        assert "Hälso- och sjukvårdsnämnden · internkontrollplan 2024 (fastställd)" in text
        assert "19 risker" in text and "19 ej bedömda" in text
        for header in (
            "Ref",
            "Verksamhet",
            "Risk",
            "Brutto",
            "Netto",
            "Tr",
            "Åtg.",
            "Roller",
            "Bedömd",
        ):
            assert header in text
        assert len(shown_refs(app)) == 19
        # the highlighted risk's full text is under the table
        assert "HR-01 HR: Risk för ohälsa och olycksfall" in text


@run_async
async def test_filter_by_text_area_and_role(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"v:ekonomi")
        assert shown_refs(app) == ["EK-01", "EK-02", "EK-03", "EK-04", "EK-06", "EK-07"]
        assert "Filter visar 6 av 19" in screen_text(app)
        await pilot.press("space", *"kontanta")
        assert shown_refs(app) == ["EK-02"]
        await pilot.press("enter", "down", "up")  # Enter leaves the field; keys move the cursor
        await pilot.press("escape")  # clears the filter
        assert len(shown_refs(app)) == 19
        await pilot.press("slash", *'roll:"varje chef"', "enter")
        assert shown_refs(app) == ["HR-01"]
        await pilot.press("slash", *["backspace"] * 20, *"zzz", "enter")
        assert shown_refs(app) == []
        assert "Inga risker matchar filtret." in screen_text(app)
        await pilot.press("enter", "e", "x", "A")  # nothing highlighted: nothing happens
        assert isinstance(app.screen, RegisterScreen)
        assert "Ingen risk är markerad." in notifications(app)[-1]


@run_async
async def test_sort_cycles_and_reverses(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        plan_order = shown_refs(app)
        await pilot.press("s")  # referens
        assert shown_refs(app)[:3] == ["EK-01", "EK-02", "EK-03"]
        assert "Sortering: referens" in screen_text(app)
        await pilot.press("S")
        assert shown_refs(app)[0] == "PS-04"
        await pilot.press("s", "s", "s", "s", "s", "s", "s", "s", "s")  # back to the plan
        assert shown_refs(app) == plan_order


@run_async
async def test_switch_plan_year(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("y")
        assert isinstance(app.screen, PickScreen)
        assert "2022 · avslutad" in screen_text(app)
        await pilot.press("down", "enter")
        await loaded(pilot)
        assert "internkontrollplan 2022 (avslutad)" in screen_text(app)
        assert len(shown_refs(app)) == 22
        await pilot.press("a")  # a closed plan is not edited
        assert "är avslutad och kan inte ändras" in notifications(app)[-1]


@run_async
async def test_matrix_moves_with_arrows_and_lists_a_cell(ctx: Context) -> None:
    from riskreg.services import plans, reviews

    snapshot = plans.load_plan(ctx, 2024)
    for ref in ("HR-01", "EK-01"):
        reviews.record_risk_review(ctx, snapshot.plan.id, snapshot.risk(ref).id, 1, 4, 4)
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        assert isinstance(app.screen, MatrixScreen)
        text = screen_text(app)
        assert "2 risker" in text and "HR-01 EK-01" in text
        assert "Sannolikhet 4 Sannolik × konsekvens 4 Allvarlig = 16" in text
        await pilot.press("left", "down")
        assert "Sannolikhet 3 Möjlig × konsekvens 3 Kännbar = 9" in screen_text(app)
        await pilot.press("enter")
        assert "Inga risker i rutan." in notifications(app)[-1]
        await pilot.press("up", "right", "enter")
        assert isinstance(app.screen, PickScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RiskDetailScreen)
        assert app.screen.risk.ref == "EK-01"
        await pilot.press("escape", "b")
        assert "Brutto – före åtgärder" in screen_text(app)
        await pilot.press("escape")
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)


@run_async
async def test_palette_help_and_themes(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert "Sök kommando" in screen_text(app)
        await pilot.press(*"Riskmatris")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        await pilot.press("escape")
        await loaded(pilot)

        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Risktabellen" in screen_text(app)
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)

        themes = []
        for _ in range(3):
            await pilot.press("f2")
            themes.append(app.theme)
        assert HIGH_CONTRAST.name in themes
        assert "Tema: Hög kontrast." in notifications(app)


@run_async
async def test_usable_at_80_by_24(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        header = next(line for line in text.splitlines() if line.startswith("Ref"))
        assert "Risk" in header and "Netto" in header  # the columns that matter stay
        assert "Roller" not in header  # the ones that do not fit give way
        await pilot.press("u")
        await settle(pilot)
        text = screen_text(app)
        assert "Sannolikhet" in text and "Konsekvens" in text
        assert "1. ingen status" in text


def _synthetic(path: Path) -> str:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    url = f"sqlite:///{path}"
    module.build(url, committees=3, risks_per=4, measures_per=1)
    return url


@run_async
async def test_several_nämnder_ask_which_one(tmp_path: Path) -> None:
    url = _synthetic(tmp_path / "synthetic.db")
    ctx = Context(make_engine(url), DatabaseTarget(url, False), actor="testare")
    try:
        app = RiskregApp(ctx)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, PickScreen)
            assert "Välj nämnd" in screen_text(app)
            names = [label for _, label in app.screen._choices]
            await pilot.press(*names[1][-2:], "enter")  # typing narrows the list
            await loaded(pilot)
            assert f"{names[1]} · internkontrollplan 2024" in screen_text(app)
            await pilot.press("n")
            await pilot.press("escape")
            assert isinstance(app.screen, RegisterScreen)
    finally:
        ctx.engine.dispose()


@run_async
async def test_overview_across_all_nämnder(tmp_path: Path) -> None:
    url = _synthetic(tmp_path / "synthetic.db")
    ctx = Context(make_engine(url), DatabaseTarget(url, False), actor="testare")
    try:
        app = RiskregApp(ctx)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # the first choice: the overview
            await loaded(pilot)
            screen = app.screen
            assert isinstance(screen, RegisterScreen) and screen.overview
            assert "Alla nämnder · aktuella planer för 3 nämnder" in screen_text(app)
            assert len(shown_refs(app)) == 12
            header = next(x for x in screen_text(app).splitlines() if x.startswith("Ref"))
            assert "Nämnd" in header
            await pilot.press("slash", *"nämnd:02", "enter")
            assert {r.plan.committee for r in screen.table.rows} == {"Nämnd 02"}
            await pilot.press("a")  # a new risk needs one nämnd's plan
            assert "välj en nämnd med n först" in notifications(app)[-1]
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RiskDetailScreen)
            assert app.screen.plan.committee == "Nämnd 02"
    finally:
        ctx.engine.dispose()
