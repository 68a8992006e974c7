"""Plan editing through the UI: risks, åtgärder, roles, acceptance, closing, roll-over to
2025 and adoption. Form errors appear next to their field and nothing is saved."""

from __future__ import annotations

import json

from textual.widgets import OptionList, TextArea
from tui_helpers import loaded, notifications, rows, run_async, scalar, screen_text, settle

from riskreg.services import plans
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.detail import RiskDetailScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.screens.review import ReviewScreen
from riskreg.tui.screens.risk_form import RiskFormScreen
from riskreg.tui.screens.roles import RolesScreen


def risk_count(ctx: Context) -> int:
    return int(scalar(ctx, "SELECT count(*) FROM risk"))


@run_async
async def test_add_risk_refuses_empty_fields_then_saves(ctx: Context) -> None:
    before = risk_count(ctx)
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RiskFormScreen)
        await pilot.press("ctrl+s")
        text = screen_text(app)
        assert "Välj verksamhet." in text
        assert "Skriv vad risken är; texten får inte vara tom." in text
        assert "Rätta det som är markerat; inget har sparats." in text
        assert risk_count(ctx) == before

        await pilot.press("enter", *"Ekonomi", "enter")  # verksamhet by typing
        await pilot.press("tab", *"Risken att avtal saknas")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "Risken EK-08 är tillagd i planen 2024." in notifications(app)
        assert app.screen.table.highlighted is not None
        assert app.screen.table.highlighted.ref == "EK-08"
    assert risk_count(ctx) == before + 1
    snapshot = plans.load_plan(ctx, 2024)
    assert snapshot.risk("EK-08").text == "Risken att avtal saknas"
    assert rows(
        ctx, "SELECT action, entity_ref FROM audit_entry WHERE action='lade till risk'"
    ) == [("lade till risk", "EK-08 2024")]


@run_async
async def test_edit_risk_and_its_measures_from_the_detail_screen(ctx: Context) -> None:
    measures = scalar(ctx, "SELECT count(*) FROM measure")
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")  # HR-01
        await settle(pilot)
        assert isinstance(app.screen, RiskDetailScreen)
        assert "Brutto och netto per kvartal" in screen_text(app)
        assert "Ansvar: Varje chef" in screen_text(app)

        await pilot.press("e")
        await settle(pilot)
        area = app.screen.query_one("#text", TextArea)
        area.text = "Risk för ohälsa när SAM brister."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RiskDetailScreen)
        assert "Risk för ohälsa när SAM brister." in screen_text(app)

        await pilot.press("t")  # new åtgärd
        await settle(pilot)
        await pilot.press(*"Kvartalsvis genomgång i ledningsgruppen")
        await pilot.press("tab", "tab", "tab", *"2024-13-01")  # text, typ, frekvens, datum
        await pilot.press("tab", "space")  # the first role is chosen
        await pilot.press("ctrl+s")
        assert "är inget datum: skriv ÅÅÅÅ-MM-DD" in screen_text(app)
        assert scalar(ctx, "SELECT count(*) FROM measure") == measures  # nothing saved
        for _ in range(10):
            await pilot.press("shift+tab")
            if app.screen.focused is not None and app.screen.focused.id == "due":
                break
        await pilot.press(*["backspace"] * 10, *"2025-03-31", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RiskDetailScreen)
        assert app.screen.risk.measures[-1].text == "Kvartalsvis genomgång i ledningsgruppen"

    risk = plans.load_plan(ctx, 2024).risk("HR-01")
    assert risk.text == "Risk för ohälsa när SAM brister."
    added = risk.measures[-1]
    assert added.text == "Kvartalsvis genomgång i ledningsgruppen"
    assert added.due_date is not None and added.due_date.isoformat() == "2025-03-31"
    assert len(added.roles) == 1
    actions = [a for (a,) in rows(ctx, "SELECT action FROM audit_entry")]
    assert actions[-2:] == ["ändrade risk", "lade till åtgärd"]


@run_async
async def test_accept_risk_asks_who_why_until_when(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("down", "A")  # EK-01
        await settle(pilot)
        assert "Acceptera risk EK-01" in screen_text(app)
        await pilot.press("tab", "tab", *"2024-01-01", "ctrl+s")
        text = screen_text(app)
        assert "Ange vem som beslutade att acceptera risken." in text
        assert "Ange varför risken accepteras." in text
        assert "Datumet har redan passerat" in text
        assert app.screen.focused is not None and app.screen.focused.id == "by"  # first error
        await pilot.press(*"Hälso- och sjukvårdsnämnden")
        await pilot.press("tab", *"Låg sannolikhet, kostsam kontroll")
        await pilot.press("tab", *["backspace"] * 10, *"2025-12-31", "ctrl+s")
        await loaded(pilot)
        assert "Risken EK-01 är accepterad." in notifications(app)
        assert "Accepterad: Risken att inköp" in screen_text(app)
    found = rows(
        ctx,
        "SELECT status, accepted_by, accepted_reason, accepted_until FROM risk WHERE ref='EK-01'",
    )
    assert found == [
        (
            "accepterad",
            "Hälso- och sjukvårdsnämnden",
            "Låg sannolikhet, kostsam kontroll",
            "2025-12-31",
        )
    ]
    audit = rows(ctx, "SELECT actor, after FROM audit_entry WHERE action='accepterade risk'")
    assert audit[0][0] == "testare"
    assert json.loads(audit[0][1])["accepterad av"] == "Hälso- och sjukvårdsnämnden"


@run_async
async def test_close_needs_a_reason_and_can_be_undone(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("x", "enter")
        assert "Ange varför risken avslutas" in screen_text(app)
        assert scalar(ctx, "SELECT status FROM risk WHERE ref='HR-01'") == "aktiv"
        await pilot.press(*"Ersätts av ny risk", "enter")
        await loaded(pilot)
        assert scalar(ctx, "SELECT status FROM risk WHERE ref='HR-01'") == "avslutad"
        assert "Avslutad: Risk för ohälsa" in screen_text(app)
        await pilot.press("x")
        assert "Återaktivera HR-01?" in screen_text(app)
        await pilot.press("j")
        await loaded(pilot)
    assert scalar(ctx, "SELECT status FROM risk WHERE ref='HR-01'") == "aktiv"
    actions = [a for (a,) in rows(ctx, "SELECT action FROM audit_entry")]
    assert actions[-2:] == ["avslutade risk", "återaktiverade risk"]


@run_async
async def test_roles_are_managed_in_their_own_screen(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RolesScreen)
        assert "Varje chef" in [r.name for r in screen.roles]
        await pilot.press("a", "ctrl+s")
        assert "Rollen behöver ett namn." in screen_text(app)
        await pilot.press(*"Controller", "tab", *"Håller ihop uppföljningen", "ctrl+s")
        await settle(pilot)
        assert "Rollen är tillagd." in notifications(app)
        index = [r.name for r in screen.roles].index("Controller")
        screen.query_one(OptionList).highlighted = index
        await pilot.press("e", "end", *" (region)", "ctrl+s")
        await settle(pilot)
        await pilot.press("home", "x")  # the first role owns åtgärder: refused
        assert "ta bort den från dem först" in notifications(app)[-1]
    assert rows(ctx, "SELECT description FROM role WHERE name='Controller (region)'") == [
        ("Håller ihop uppföljningen",)
    ]
    actions = [a for (a,) in rows(ctx, "SELECT action FROM audit_entry")]
    assert actions[-2:] == ["lade till roll", "ändrade roll"]


@run_async
async def test_roll_forward_to_2025_then_adopt_and_review(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("2", "3", "escape")  # one review in 2024: it must not be copied
        await loaded(pilot)
        await pilot.press("V")
        await settle(pilot)
        assert "För över planen 2024 till ett nytt år" in screen_text(app)
        await pilot.press("ctrl+s")  # the year is filled in: 2025
        await loaded(pilot)
        assert "internkontrollplan 2025 (utkast)" in screen_text(app)
        assert "19 risker" in screen_text(app)
        await pilot.press("u")  # an utkast is not followed up
        assert isinstance(app.screen, RegisterScreen)
        assert "Fastställ den med F." in notifications(app)[-1]
        await pilot.press("F")
        await settle(pilot)
        await pilot.press("tab", *"24RS00001", "ctrl+s")
        await loaded(pilot)
        assert "internkontrollplan 2025 (fastställd) · dnr 24RS00001" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.state.ref.label == "2025 kv 1"
        # netto carried over the year boundary from 2024 kv 1
        assert "Överfört från 2024 kv 1" in screen_text(app)

    plan = rows(ctx, "SELECT id, status, dnr FROM plan WHERE year = 2025")
    assert [(p[1], p[2]) for p in plan] == [("fastställd", "24RS00001")]
    plan_id = plan[0][0]
    assert scalar(ctx, "SELECT count(*) FROM plan_risk WHERE plan_id = :p", p=plan_id) == 19
    assert scalar(ctx, "SELECT count(*) FROM plan_measure WHERE plan_id = :p", p=plan_id) == 27
    reviews_2025 = scalar(
        ctx,
        "SELECT count(*) FROM risk_review rr JOIN review_period rp ON rp.id = rr.period_id "
        "WHERE rp.plan_id = :p",
        p=plan_id,
    )
    assert reviews_2025 == 0
    actions = [a for (a,) in rows(ctx, "SELECT action FROM audit_entry")]
    assert actions[-2:] == ["förde plan vidare", "ändrade planstatus"]
