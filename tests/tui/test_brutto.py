"""Brutto mode: the model on its own, then the keys against the database rows. A draft
saves plainly, a fastställd plan asks once for the motivering and records a revision per
risk, an avslutad plan refuses, and a risk changed elsewhere is never overwritten."""

from __future__ import annotations

from tui_helpers import loaded, notifications, rows, run_async, screen_text, settle

from riskreg.domain.records import Assessment
from riskreg.services import editing, plans
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.model.brutto import (
    build_brutto,
    lacks_brutto,
    missing_brutto,
    missing_brutto_text,
)
from riskreg.tui.model.revisions import revision_lines, revisions_intro
from riskreg.tui.screens.brutto import BruttoScreen
from riskreg.tui.screens.dialogs import ConflictScreen, TextScreen
from riskreg.tui.screens.matrix import MatrixScreen
from riskreg.tui.screens.register import RegisterScreen

BRUTTO = (
    "SELECT r.ref, pr.brutto_likelihood, pr.brutto_consequence FROM plan_risk pr "
    "JOIN risk r ON r.id = pr.risk_id JOIN plan p ON p.id = pr.plan_id "
    "WHERE p.year = :year AND pr.brutto_likelihood IS NOT NULL ORDER BY pr.position"
)


def brutto_rows(ctx: Context, year: int = 2024) -> list[tuple[str, int, int]]:
    return [(ref, s, k) for ref, s, k in rows(ctx, BRUTTO, year=year)]


def draft_2025(ctx: Context) -> editing.RollForward:
    return editing.roll_forward(ctx, plans.load_plan(ctx, 2024).plan.id)


# -- the model -------------------------------------------------------------------------


def test_state_walks_the_risks_not_closed_and_counts_what_is_missing(ctx: Context) -> None:
    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    ek1 = snapshot.risk("EK-01")
    editing.close_risk(ctx, plan_id, ek1.id, ek1.version, "Ersatt av EK-07.")
    hr = snapshot.risk("HR-01")
    editing.set_brutto(ctx, plan_id, hr.id, hr.version, Assessment(3, 2), reason="Bedömd.")

    snapshot = plans.load_plan(ctx, 2024)
    state = build_brutto(snapshot, "Bedömd.")
    refs = [item.risk.ref for item in state.items]
    assert "EK-01" not in refs and len(refs) == 18  # closed: no brutto needed
    assert missing_brutto(snapshot.risks) == 17
    assert not lacks_brutto(snapshot.risk("EK-01")) and not lacks_brutto(snapshot.risk("HR-01"))
    assert state.progress == "1 av 18 har bruttorisk" and state.missing == 17
    assert state.current is not None and state.current.risk.ref == "EK-02"  # first without
    assert state.revision and state.editable

    assert state.press(3) is None  # sannolikhet only: nothing to save yet
    assert state.current.marker == "◐"
    assert state.press(4) == Assessment(3, 4)
    state.saved(Assessment(3, 4), 7)
    assert state.current.brutto == Assessment(3, 4) and state.current.version == 7
    assert state.current.pending_likelihood is None and state.current.marker == "✓"
    assert state.items[state.next_index()].risk.ref == "EK-03"

    state.go(len(state.items) - 1)  # the last: the next without brutto is found from the top
    state.saved(Assessment(1, 1), 1)
    assert state.items[state.next_index()].risk.ref == "EK-03"
    state.press(2)
    state.go(0)  # moving away forgets a half-typed brutto
    assert all(item.pending_likelihood is None for item in state.items)


def test_missing_brutto_sentence_uses_swedish_plurals() -> None:
    assert missing_brutto_text(0) == ""
    assert missing_brutto_text(1) == "1 risk saknar bruttobedömning"
    assert missing_brutto_text(7) == "7 risker saknar bruttobedömning"


def test_revision_lines_in_swedish_time(ctx: Context) -> None:
    snapshot = plans.load_plan(ctx, 2024)
    hr = snapshot.risk("HR-01")
    editing.set_brutto(
        ctx, snapshot.plan.id, hr.id, hr.version, Assessment(3, 2), reason="Nytt underlag."
    )
    plan = plans.load_plan(ctx, 2024).plan
    [line] = revision_lines(plan)
    assert (line.at, line.actor, line.what, line.reason) == (
        "2024-10-15 11:30",  # 09:30 UTC
        "testare",
        "Bruttorisk för HR-01: 3×2",
        "Nytt underlag.",
    )
    assert "Sedan dess har den 1 revision;" in revisions_intro(plan)
    draft = draft_2025(ctx).plan
    assert "är ett utkast" in revisions_intro(draft) and revision_lines(draft) == []


# -- the screen ------------------------------------------------------------------------


@run_async
async def test_fastställd_plan_asks_once_then_saves_each_brutto_as_a_revision(
    ctx: Context,
) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "19 risker saknar bruttobedömning – tryck b" in screen_text(app)
        await pilot.press("b")
        assert isinstance(app.screen, TextScreen)
        await pilot.press("enter")  # no motivering: refused next to the field
        assert "Ange varför den fastställda planen ändras." in screen_text(app)
        await pilot.press(*"Bruttobedömning inför året", "enter")
        screen = app.screen
        assert isinstance(screen, BruttoScreen)
        text = screen_text(app)
        assert "0 av 19 har bruttorisk" in text
        assert "HR-01 · HR" in text and "Risk för ohälsa" in text
        assert "1 Osannolik · 2 Mindre sannolik · 3 Möjlig · 4 Sannolik" in text
        assert "1 Försumbar · 2 Lindrig · 3 Kännbar · 4 Allvarlig" in text

        await pilot.press("3")
        assert "Sannolikhet 3 vald: välj konsekvens 1–4" in screen_text(app)
        assert brutto_rows(ctx) == []  # half an answer is not saved
        await pilot.press("2")  # saved at once, and on to the next risk
        assert brutto_rows(ctx) == [("HR-01", 3, 2)]
        assert screen.state.current is not None and screen.state.current.risk.ref == "EK-01"
        await pilot.press("4", "backspace", "4", "3")  # Backsteg undoes the sannolikhet
        await pilot.press("k")  # back to EK-01: it shows what was saved
        assert "✓ Har bruttorisk 4×3" in screen_text(app)
        await pilot.press("j", "j", "1", "1")  # EK-03
        assert "3 av 19 har bruttorisk" in screen_text(app)
        await pilot.press("escape")
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "16 risker saknar bruttobedömning – tryck b" in screen_text(app)

    assert brutto_rows(ctx) == [("HR-01", 3, 2), ("EK-01", 4, 3), ("EK-03", 1, 1)]
    assert rows(ctx, "SELECT what, reason, actor FROM plan_revision ORDER BY id") == [
        ("Bruttorisk för HR-01: 3×2", "Bruttobedömning inför året", "testare"),
        ("Bruttorisk för EK-01: 4×3", "Bruttobedömning inför året", "testare"),
        ("Bruttorisk för EK-03: 1×1", "Bruttobedömning inför året", "testare"),
    ]
    actions = [a for (a,) in rows(ctx, "SELECT action FROM audit_entry ORDER BY id")]
    assert actions[-3:] == ["bedömde bruttorisk"] * 3


@run_async
async def test_a_draft_saves_without_revisions(ctx: Context) -> None:
    draft_2025(ctx)
    app = RiskregApp(ctx, year=2025)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "internkontrollplan 2025 (utkast)" in screen_text(app)
        await pilot.press("b")
        assert isinstance(app.screen, BruttoScreen)  # no motivering asked
        assert "Fastställd plan" not in screen_text(app)
        await pilot.press("2", "2", "4", "4")
        await pilot.press("escape")
        await loaded(pilot)
    assert brutto_rows(ctx, 2025) == [("HR-01", 2, 2), ("EK-01", 4, 4)]
    assert brutto_rows(ctx, 2024) == []
    assert rows(ctx, "SELECT count(*) FROM plan_revision") == [(0,)]


@run_async
async def test_an_avslutad_plan_is_refused(ctx: Context) -> None:
    app = RiskregApp(ctx, year=2022)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "internkontrollplan 2022 (avslutad)" in screen_text(app)
        await pilot.press("b")
        assert isinstance(app.screen, RegisterScreen)
        assert notifications(app)[-1] == (
            "Planen för 2022 är avslutad: dess bruttorisker kan inte ändras längre."
        )


@run_async
async def test_brutto_changed_elsewhere_is_not_overwritten(ctx: Context) -> None:
    draft_2025(ctx)
    app = RiskregApp(ctx, year=2025)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        assert isinstance(app.screen, BruttoScreen)

        snapshot = plans.load_plan(ctx, 2025)
        hr = snapshot.risk("HR-01")
        other = Context(ctx.engine, ctx.target, actor="kollega", clock=ctx.clock)
        editing.set_brutto(other, snapshot.plan.id, hr.id, hr.version, Assessment(4, 4))

        await pilot.press("1", "1")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert "Risken HR-01 har ändrats någon annanstans" in screen_text(app)
        assert brutto_rows(ctx, 2025) == [("HR-01", 4, 4)]
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BruttoScreen)
        assert screen.state.current is not None and screen.state.current.risk.ref == "HR-01"
        assert "✓ Har bruttorisk 4×4" in screen_text(app)
        await pilot.press("1", "1")  # now a deliberate change of the colleague's value
        await settle(pilot)
        assert isinstance(app.screen, BruttoScreen)
    assert brutto_rows(ctx, 2025) == [("HR-01", 1, 1)]


@run_async
async def test_matrix_says_how_many_lack_brutto_and_opens_the_mode(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        assert isinstance(app.screen, MatrixScreen)
        assert "19 risker saknar bruttobedömning – tryck B" in screen_text(app)
        await pilot.press("B", *"Nämndens beslut", "enter")
        assert isinstance(app.screen, BruttoScreen)
        await pilot.press("4", "4", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert "18 risker saknar bruttobedömning – tryck B" in screen_text(app)
        await pilot.press("b")  # the brutto view places the new value
        assert "1 risk i matrisen" in screen_text(app)
    assert brutto_rows(ctx) == [("HR-01", 4, 4)]
