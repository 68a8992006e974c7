"""Review mode driven by the keyboard alone: a whole quarter of the seeded 2024 plan,
then the database rows and the audit log; carrying values into the next quarter;
locking, reopening with a reason; keys that must not change anything."""

from __future__ import annotations

import json

from tui_helpers import loaded, notifications, rows, run_async, scalar, screen_text, settle

from riskreg.services import plans
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.screens.review import ReviewScreen

STATUS_KEYS = "pgeju"
STATUS_OF_KEY = {
    "p": "pågående",
    "g": "genomförd",
    "e": "ej genomförd",
    "j": "ej påbörjad",
    "u": "utgår",
}


def answer(i: int) -> tuple[int, int]:
    return (i % 4) + 1, ((i + 1) % 4) + 1


async def review_whole_quarter(pilot, app) -> dict[str, tuple[int, int, list[str]]]:  # type: ignore[no-untyped-def]
    """Assess every risk and set every åtgärd's status with single keys."""
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    expected: dict[str, tuple[int, int, list[str]]] = {}
    for i, draft in enumerate(list(screen.state.risks)):
        assert screen.draft is draft  # the screen moved on by itself after Enter
        s, k = answer(i)
        await pilot.press(str(s), str(k))
        keys = [STATUS_KEYS[(i + j) % len(STATUS_KEYS)] for j in range(len(draft.measures))]
        for j, key in enumerate(keys):  # a status key stays on its åtgärd; ↓ moves on
            await pilot.press(key, *(["down"] if j < len(keys) - 1 else []))
        expected[draft.risk.ref] = (s, k, [STATUS_OF_KEY[key] for key in keys])
        await pilot.press("enter")
    return expected


def period_id(ctx: Context, quarter: int) -> int:
    return int(
        scalar(
            ctx,
            "SELECT rp.id FROM review_period rp JOIN plan p ON p.id = rp.plan_id "
            "WHERE p.year = 2024 AND rp.quarter = :q",
            q=quarter,
        )
    )


@run_async
async def test_full_review_by_keyboard_then_lock(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "Uppföljning 2024 kv 1 · 0 av 19 bedömda" in screen_text(app)

        expected = await review_whole_quarter(pilot, app)

        assert "2024 kv 1 · 19 av 19 bedömda" in screen_text(app)
        assert "åtgärder 27/27" in screen_text(app)
        await pilot.press("f")  # finish the period …
        assert "Lås 2024 kv 1?" in screen_text(app)
        await pilot.press("j")  # … not by a review key …
        assert "Lås 2024 kv 1?" in screen_text(app)
        await pilot.press("left", "enter")  # … but by Enter on "Lås perioden"
        await settle(pilot)
        assert "LÅST av testare" in screen_text(app)

    kv1 = period_id(ctx, 1)
    saved = {
        ref: (s, k)
        for ref, s, k in rows(
            ctx,
            "SELECT r.ref, rr.likelihood, rr.consequence FROM risk_review rr "
            "JOIN risk r ON r.id = rr.risk_id WHERE rr.period_id = :p",
            p=kv1,
        )
    }
    assert saved == {ref: (s, k) for ref, (s, k, _) in expected.items()}
    statuses: dict[str, list[str]] = {}
    for ref, status in rows(
        ctx,
        "SELECT r.ref, mr.status FROM measure_review mr JOIN measure m ON m.id = mr.measure_id "
        "JOIN risk r ON r.id = m.risk_id JOIN plan_measure pm ON pm.measure_id = m.id "
        "JOIN plan p ON p.id = pm.plan_id AND p.year = 2024 "
        "WHERE mr.period_id = :p ORDER BY pm.position",
        p=kv1,
    ):
        statuses.setdefault(ref, []).append(status)
    assert statuses == {ref: st for ref, (_, _, st) in expected.items() if st}
    assert sum(len(v) for v in statuses.values()) == 27
    locked = rows(ctx, "SELECT locked_at, locked_by FROM review_period WHERE id = :p", p=kv1)[0]
    assert locked[0] is not None and locked[1] == "testare"

    audit = rows(ctx, "SELECT action, actor, entity_ref, after FROM audit_entry ORDER BY id")
    actions = [a[0] for a in audit]
    assert actions.count("bedömde risk") == 19  # one entry per answer, nothing twice
    assert actions.count("följde upp åtgärd") == 27
    assert actions[-1] == "låste period"
    assert {a[1] for a in audit if a[0] in ("bedömde risk", "låste period")} == {"testare"}
    assert any(a[2] == "HR-01 2024 kv 1" for a in audit)


@run_async
async def test_next_quarter_starts_from_carried_values(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        expected = await review_whole_quarter(pilot, app)
        await pilot.press("f", "left", "enter", "escape")
        await loaded(pilot)
        await pilot.press("u")  # the first unlocked quarter is now kv 2
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.state.ref.label == "2024 kv 2"
        text = screen_text(app)
        assert "↻ Överfört från 2024 kv 1, ej bekräftat" in text
        assert "0 av 19 bedömda" in text
        await pilot.press(*["enter"] * 19)  # confirm everything as carried
        assert "19 av 19 bedömda" in screen_text(app)

    kv1, kv2 = period_id(ctx, 1), period_id(ctx, 2)
    query = (
        "SELECT r.ref, rr.likelihood, rr.consequence FROM risk_review rr "
        "JOIN risk r ON r.id = rr.risk_id WHERE rr.period_id = :p"
    )
    assert sorted(rows(ctx, query, p=kv2)) == sorted(rows(ctx, query, p=kv1))
    m_query = (
        "SELECT mr.measure_id, mr.status, m.kind FROM measure_review mr "
        "JOIN measure m ON m.id = mr.measure_id WHERE mr.period_id = :p"
    )
    # åtgärder that utgår, and one-off åtgärder done, in kv 1 are not followed up again
    finished = [
        row
        for row in rows(ctx, m_query, p=kv1)
        if row[1] == "utgår" or (row[1] == "genomförd" and row[2] == "engångsåtgärd")
    ]
    carried = [row for row in rows(ctx, m_query, p=kv1) if row not in finished]
    assert finished and sorted(rows(ctx, m_query, p=kv2)) == sorted(carried)
    assert len(expected) == 19


@run_async
async def test_changing_one_value_and_closing_the_terminal_loses_nothing(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("3", "2", "p")  # HR-01 netto 3×2, first åtgärd pågående
        app.exit()  # no save step: the terminal just closes
    assert rows(ctx, "SELECT likelihood, consequence FROM risk_review") == [(3, 2)]
    assert rows(ctx, "SELECT status FROM measure_review") == [("pågående",)]

    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # resumes at the first risk without a netto; HR-01 is half done
        assert screen.draft is not None and screen.draft.risk.ref == "EK-01"
        assert "◐ HR-01" in screen_text(app)
        await pilot.press("b")
        await pilot.press("k", "4")  # change only the konsekvens
    assert rows(ctx, "SELECT likelihood, consequence FROM risk_review") == [(3, 4)]


@run_async
async def test_comment_and_avvikelse_with_severity(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("c")  # no netto yet: nothing to attach the comment to
        assert "Sätt sannolikhet och konsekvens först" in notifications(app)[-1]
        await pilot.press("2", "3", "c")
        # a comment has several lines: Enter starts a new one, Ctrl+S saves
        await pilot.press(*"Bra lägesbild", "enter", *"Uppföljt i ledningsgruppen", "ctrl+s")
        await pilot.press("a")  # avvikelse needs a status first
        assert "Sätt åtgärdens status först" in notifications(app)[-1]
        await pilot.press("p", "a")
        await pilot.press(*"Rutinen saknades på två enheter")
        await pilot.press("ctrl+s")  # no severity chosen: shown next to the field
        assert "Välj hur allvarlig avvikelsen var." in screen_text(app)
        await pilot.click("#sev-1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Avvikelse (måttlig): Rutinen saknades på två enheter" in screen_text(app)
    assert rows(ctx, "SELECT likelihood, consequence, comment FROM risk_review") == [
        (2, 3, "Bra lägesbild\nUppföljt i ledningsgruppen")
    ]
    assert rows(ctx, "SELECT status, result, deviation, severity FROM measure_review") == [
        ("pågående", "med avvikelse", "Rutinen saknades på två enheter", "måttlig")
    ]


@run_async
async def test_locked_period_ignores_changes_and_reopens_with_a_reason(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("4", "4", "f", "left", "enter")  # most risks left: asked first
        await settle(pilot)
        before = rows(ctx, "SELECT count(*) FROM audit_entry")
        await pilot.press("1", "2", "p", "g", "enter", "space", "c", "a", "r", "C")
        # The lock says what it froze: one risk reviewed of 19, no åtgärd of 27.
        locked = "är låst (1 av 19 risker och 0 av 27 åtgärder). Tryck o för att öppna"
        assert locked in notifications(app)[-1]
        assert rows(ctx, "SELECT count(*) FROM audit_entry") == before
        assert rows(ctx, "SELECT likelihood, consequence FROM risk_review") == [(4, 4)]

        await pilot.press("o")
        await pilot.press("enter")  # an empty reason is refused next to the field
        assert "Ange varför perioden öppnas igen" in screen_text(app)
        await pilot.press(*"Fel bedömning av HR-01", "enter")
        await settle(pilot)
        assert "LÅST" not in screen_text(app)
        await pilot.press("3", "3")
    assert rows(ctx, "SELECT likelihood, consequence FROM risk_review") == [(3, 3)]
    locked = rows(ctx, "SELECT locked_at FROM review_period WHERE locked_at IS NOT NULL")
    assert locked == []
    reopened = rows(
        ctx, "SELECT actor, before, after FROM audit_entry WHERE action = 'öppnade period igen'"
    )
    assert len(reopened) == 1
    assert reopened[0][0] == "testare"
    assert json.loads(reopened[0][2])["motivering"] == "Fel bedömning av HR-01"


@run_async
async def test_keys_without_meaning_change_nothing(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("z", "9", "#", "ctrl+x", "delete", "left", "right")
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("k", "1")  # konsekvens before any sannolikhet
        assert "Välj sannolikhet först" in notifications(app)[-1]
        await pilot.press("5", "0", "z", "left", "left", "b")  # before the first risk
        await pilot.press("space", "enter")  # nothing carried, nothing to confirm
        assert "saknar nettobedömning" in notifications(app)[-1]
        assert isinstance(app.screen, ReviewScreen)
    assert rows(ctx, "SELECT count(*) FROM risk_review") == [(0,)]
    assert rows(ctx, "SELECT count(*) FROM measure_review") == [(0,)]


@run_async
async def test_closed_plan_is_not_reviewed(ctx: Context) -> None:
    app = RiskregApp(ctx, year=2022)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "internkontrollplan 2022 (avslutad)" in screen_text(app)
        await pilot.press("u")
        assert isinstance(app.screen, RegisterScreen)
        assert "bara en fastställd plan följs upp" in notifications(app)[-1]
    assert plans.load_plan(ctx, 2022).plan.status.value == "avslutad"
