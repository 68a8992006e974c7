"""The review meeting's safety: one key, one effect; locking is deliberate; nothing typed
is lost (a conflict keeps the text, Esc on a changed dialog asks)."""

from __future__ import annotations

from tui_helpers import loaded, notifications, rows, run_async, screen_text, settle

from riskreg.services import plans, reviews
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.dialogs import ConfirmScreen, TextScreen
from riskreg.tui.screens.review import ReviewScreen


async def open_review(pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await loaded(pilot)
    await pilot.press("u")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def statuses(ctx: Context, ref: str) -> list[str]:
    return [
        r[0]
        for r in rows(
            ctx,
            "SELECT mr.status FROM measure_review mr JOIN measure m ON m.id = mr.measure_id "
            "JOIN risk r ON r.id = m.risk_id WHERE r.ref = :ref ORDER BY m.id",
            ref=ref,
        )
    ]


@run_async
async def test_set_move_set_move_set_leaves_exactly_the_intended_statuses(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        draft = screen.draft
        assert draft is not None and draft.risk.ref == "HR-01" and len(draft.measures) == 3
        await pilot.press("p", "down", "g", "down", "j")
        assert screen.query_one("MeasureList").cursor == 2  # j did not move on by itself
    assert statuses(ctx, "HR-01") == ["pågående", "genomförd", "ej påbörjad"]
    changes = rows(ctx, "SELECT count(*) FROM audit_entry WHERE action = 'följde upp åtgärd'")
    assert changes == [(3,)]  # three keys, three answers, nothing overwritten


@run_async
async def test_f_then_review_keys_never_lock(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_review(pilot)
        await pilot.press("f", "j")
        assert isinstance(app.screen, ConfirmScreen)  # j answers nothing
        await pilot.press("p", "g", "space", "1", "enter")  # Enter on the focused Avbryt
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("f", "escape")
        await settle(pilot)
        assert "LÅST" not in screen_text(app)
    assert rows(ctx, "SELECT count(*) FROM review_period WHERE locked_at IS NOT NULL") == [(0,)]
    assert rows(ctx, "SELECT count(*) FROM measure_review") == [(0,)]


@run_async
async def test_a_conflict_keeps_the_typed_comment(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("2", "3", "c")  # netto saved; the comment dialog opens
        assert isinstance(app.screen, TextScreen)
        # meanwhile a colleague saves the same risk's assessment with a comment
        snapshot = plans.load_plan(ctx, 2024)
        hr = snapshot.risk("HR-01")
        saved = hr.review_in(screen.state.ref)
        assert saved is not None
        reviews.record_risk_review(
            ctx, snapshot.plan.id, hr.id, 1, 3, 3, "Deras kommentar", expected_version=saved.version
        )
        await pilot.press(*"Min kommentar", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen)  # open again, with both texts
        text = screen_text(app)
        assert "Sparat av någon annan under tiden: Deras kommentar" in text
        assert "Min kommentar" in text
        assert app.screen.text == "Min kommentar"
        await pilot.press("ctrl+s")  # save again, knowingly, over their version
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    assert rows(ctx, "SELECT likelihood, consequence, comment FROM risk_review") == [
        (3, 3, "Min kommentar")
    ]


@run_async
async def test_escape_on_a_changed_dialog_asks(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_review(pilot)
        await pilot.press("2", "3", "c", *"Halvfärdig tanke", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Kasta det du skrivit?" in screen_text(app)
        await pilot.press("enter")  # the focus is on "Fortsätt skriva"
        assert isinstance(app.screen, TextScreen) and app.screen.text == "Halvfärdig tanke"
        await pilot.press("escape", "left", "enter")  # discard, knowingly
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("c", "escape")  # unchanged: leaves at once
        assert isinstance(app.screen, ReviewScreen)
    assert rows(ctx, "SELECT comment FROM risk_review") == [("",)]


@run_async
async def test_a_lock_by_a_second_app_shows_up_within_the_refresh_interval(ctx: Context) -> None:
    import asyncio
    import time

    # another controller's app: its own Context (so its own writes), same register
    other = Context(ctx.engine, ctx.target, actor="controller2", clock=ctx.clock)
    first = RiskregApp(ctx, watch=0.2)
    second = RiskregApp(other, watch=0.2)
    async with first.run_test(size=(100, 30)) as one, second.run_test(size=(100, 30)) as two:
        review = await open_review(one)
        await open_review(two)
        await one.pause(0.3)  # the watcher has read the counter once
        assert "LÅST" not in screen_text(first)
        await two.press("f", "left", "enter")  # the colleague locks kv 1
        await settle(two)
        assert "LÅST av controller2" in screen_text(second)
        started = time.monotonic()
        while "LÅST av controller2" not in screen_text(first):
            assert time.monotonic() - started < 2.0, "the lock never showed up"
            await asyncio.sleep(0.05)
            await one.pause()
        assert review.state.locked
        assert any("kv 1 låstes av controller2" in n for n in notifications(first))
        # its own lock is not news to the second app
        assert not any("låstes av" in n for n in notifications(second))
        await one.press("3")  # and nothing is written into the locked period
        assert "är låst" in notifications(first)[-1]


@run_async
async def test_an_expired_acceptance_is_flagged_in_register_and_review(ctx: Context) -> None:
    from datetime import date

    from riskreg.services import editing

    snapshot = plans.load_plan(ctx, 2024)
    hr = snapshot.risk("HR-01")
    editing.accept_risk(
        ctx, snapshot.plan.id, hr.id, hr.version, "Nämnden", "Gammalt beslut", date(2024, 3, 31)
    )
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "HR-01 HR             Acceptansen har gått ut: Risk för" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        text = screen_text(app)  # HR-01, the first risk: its card says so
        assert "HR-01 · HR · Regionövergripande · Accepterad – Acceptansen gällde till" in text
        assert "och med 2024-03-31 och har gått ut." in text


@run_async
async def test_the_matrix_shows_netto_at_a_chosen_period(ctx: Context) -> None:
    from tui_helpers import populate

    from riskreg.tui.model.matrix_cells import cells
    from riskreg.tui.screens.matrix import MatrixScreen

    populate(ctx)  # kv 1 and kv 2 reviewed, with different values
    snapshot = plans.load_plan(ctx, 2024)
    kv1 = {
        r.ref: (r.review_in(snapshot.plan.periods[0].ref).netto)  # type: ignore[union-attr]
        for r in snapshot.risks
        if r.status.value != "avslutad"
    }
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        assert "Netto vid årets slut (2024, senaste bedömningen)" in screen_text(app)
        await pilot.press("v", "home", "enter")  # the first choice: kv 1
        await settle(pilot)
        assert "Netto vid 2024 kv 1" in screen_text(app)
        shown = {r.ref: cell for cell, risks in screen._cells.items() for r in risks}
        assert shown == {ref: (value.likelihood, value.consequence) for ref, value in kv1.items()}
        assert shown != {r.ref: c for c, rs in cells(snapshot, "netto").items() for r in rs}


@run_async
async def test_the_title_keeps_the_plan_year_at_60_columns(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        title = screen_text(app).splitlines()[0]
        assert "plan 2024 (fastställd)" in title
        assert "riskreg · Hälso-" in title and "…" in title


@run_async
async def test_a_drop_down_shows_no_stray_characters(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("e")  # edit HR-01: the Verksamhet drop-down has the focus
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "│Ekonomi" in text
        assert "REkonomi" not in text and "HForskning" not in text
