"""Plan editing through the UI: risks, åtgärder, roles, acceptance, closing, roll-over to
2025 and adoption. Form errors appear next to their field and nothing is saved."""

from __future__ import annotations

import json

from textual.widgets import Input, OptionList, TextArea
from tui_helpers import loaded, notifications, rows, run_async, scalar, screen_text, settle

from riskreg.domain.records import Assessment
from riskreg.services import editing, plans
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.detail import RiskDetailScreen
from riskreg.tui.screens.dialogs import ConfirmScreen, MessageScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.screens.review import ReviewScreen
from riskreg.tui.screens.revisions import RevisionsScreen
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
        await pilot.press("ctrl+s")  # the plan is fastställd: a revision needs a reason
        assert "Ange varför den fastställda planen ändras." in screen_text(app)
        assert risk_count(ctx) == before
        assert app.screen.focused is not None and app.screen.focused.id == "revision"
        await pilot.press(*"Ny risk enligt nämndens beslut", "ctrl+s")
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
    assert rows(ctx, "SELECT what, reason, actor FROM plan_revision") == [
        ("Ny risk EK-08: Risken att avtal saknas", "Ny risk enligt nämndens beslut", "testare")
    ]


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
        app.screen.query_one("#revision", Input).value = "Förtydligad lydelse"
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
        assert "Ange varför den fastställda planen ändras." in screen_text(app)
        assert scalar(ctx, "SELECT count(*) FROM measure") == measures
        assert app.screen.focused is not None and app.screen.focused.id == "revision"
        await pilot.press(*"Ny kontroll efter internrevisionen", "ctrl+s")
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
    assert rows(ctx, "SELECT what, reason FROM plan_revision ORDER BY id") == [
        ("Ändrade HR-01: ny lydelse", "Förtydligad lydelse"),
        (
            "Ny åtgärd för HR-01: Kvartalsvis genomgång i ledningsgruppen",
            "Ny kontroll efter internrevisionen",
        ),
    ]


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
        assert "Datumet" not in text  # a passed date is allowed (an old decision) …
        assert "ett äldre beslut" in text  # … and the form says what it means
        assert app.screen.focused is not None and app.screen.focused.id == "by"  # first error
        await pilot.press(*"Hälso- och sjukvårdsnämnden")
        await pilot.press("tab", *"Låg sannolikhet, kostsam kontroll")
        await pilot.press("tab", *["backspace"] * 10, *"2025-12-31", "ctrl+s")
        await loaded(pilot)
        assert "Risken EK-01 är accepterad." in notifications(app)
        assert "Accepterad: Risken att inköp" in screen_text(app)
    found = rows(
        ctx,
        "SELECT pr.status, pr.accepted_by, pr.accepted_reason, pr.accepted_until FROM plan_risk pr "
        "JOIN risk r ON r.id = pr.risk_id JOIN plan p ON p.id = pr.plan_id "
        "WHERE r.ref = 'EK-01' AND p.year = 2024",
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


def hr01_status(ctx: Context) -> str:
    return str(
        scalar(
            ctx,
            "SELECT pr.status FROM plan_risk pr JOIN risk r ON r.id = pr.risk_id "
            "JOIN plan p ON p.id = pr.plan_id WHERE r.ref = 'HR-01' AND p.year = 2024",
        )
    )


@run_async
async def test_close_needs_a_reason_and_can_be_undone(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("x", "enter")
        assert "Ange varför risken avslutas" in screen_text(app)
        assert hr01_status(ctx) == "aktiv"
        await pilot.press(*"Ersätts av ny risk", "enter")
        await loaded(pilot)
        assert hr01_status(ctx) == "avslutad"
        assert "Avslutad: Risk för ohälsa" in screen_text(app)
        await pilot.press("x")  # reactivating a closed risk of a fastställd plan: a revision
        assert "Återaktivera HR-01" in screen_text(app)
        await pilot.press("enter")
        assert "Ange varför risken återaktiveras" in screen_text(app)
        assert hr01_status(ctx) == "avslutad"
        await pilot.press(*"Avslutad av misstag", "enter")
        await loaded(pilot)
        assert "Risken HR-01 är aktiv igen." in notifications(app)
    assert hr01_status(ctx) == "aktiv"
    actions = [a for (a,) in rows(ctx, "SELECT action FROM audit_entry")]
    assert actions[-2:] == ["avslutade risk", "återaktiverade risk"]
    assert rows(ctx, "SELECT what, reason FROM plan_revision ORDER BY id") == [
        ("Avslutade HR-01: " + plans.load_plan(ctx, 2024).risk("HR-01").text, "Ersätts av ny risk"),
        (
            "Återaktiverade HR-01: " + plans.load_plan(ctx, 2024).risk("HR-01").text,
            "Avslutad av misstag",
        ),
    ]


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


def plan_rows(ctx: Context, table: str, year: int) -> int:
    return int(
        scalar(
            ctx,
            f"SELECT count(*) FROM {table} t JOIN plan p ON p.id = t.plan_id WHERE p.year = :y",
            y=year,
        )
    )


@run_async
async def test_delete_from_a_draft_after_confirmation(ctx: Context) -> None:
    editing.roll_forward(ctx, plans.load_plan(ctx, 2024).plan.id)
    measures_2025 = plan_rows(ctx, "plan_measure", 2025)
    app = RiskregApp(ctx, year=2025)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("delete")  # HR-01
        assert isinstance(app.screen, ConfirmScreen)
        assert "Ta bort HR-01 ur utkastet 2025?" in screen_text(app)
        assert "med 3 åtgärder" in screen_text(app)
        await pilot.press("n")
        assert plan_rows(ctx, "plan_risk", 2025) == 19
        await pilot.press("delete", "j")
        await loaded(pilot)
        assert "Risken HR-01 är borttagen ur utkastet 2025." in notifications(app)
        assert "18 risker" in screen_text(app)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        assert [r.ref for r in screen.table.rows][:2] == ["EK-01", "EK-02"]

        await pilot.press("down", "down", "down", "down", "enter")  # EK-06, two åtgärder
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RiskDetailScreen) and detail.risk.ref == "EK-06"
        first, second = (m.id for m in detail.risk.measures)
        await pilot.press("delete")  # no åtgärd chosen yet
        assert "Välj åtgärden med ↑ ↓ först." in notifications(app)[-1]
        await pilot.press("down", "down", "delete")
        assert "Ta bort åtgärden ur EK-06?" in screen_text(app)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, RiskDetailScreen)
        assert [m.id for m in app.screen.risk.measures] == [first]
        assert "Åtgärden är borttagen ur EK-06 i utkastet 2025." in notifications(app)

    assert plan_rows(ctx, "plan_risk", 2025) == 18
    assert plan_rows(ctx, "plan_measure", 2025) == measures_2025 - 3 - 1
    # 2024 is untouched: the risk and the åtgärd keep their earlier year
    assert plan_rows(ctx, "plan_risk", 2024) == 19
    assert scalar(ctx, "SELECT count(*) FROM measure WHERE id = :m", m=second) == 1
    assert (
        scalar(
            ctx,
            "SELECT count(*) FROM plan_measure pm JOIN plan p ON p.id = pm.plan_id "
            "WHERE pm.measure_id = :m AND p.year = 2025",
            m=second,
        )
        == 0
    )
    actions = [a for (a,) in rows(ctx, "SELECT action FROM audit_entry ORDER BY id")]
    assert actions[-2:] == ["tog bort risk ur utkast", "tog bort åtgärd ur utkast"]


@run_async
async def test_delete_in_a_fastställd_plan_says_why_not(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("delete")
        assert isinstance(app.screen, RegisterScreen)  # no confirmation to begin with
        assert notifications(app)[-1] == (
            "Planen för 2024 är fastställd: risker tas inte bort ur en fastställd plan; "
            "avsluta risken eller ange att åtgärden utgår i stället."
        )
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "delete")
        assert isinstance(app.screen, RiskDetailScreen)
        assert "åtgärder tas inte bort ur en fastställd plan" in notifications(app)[-1]
    assert plan_rows(ctx, "plan_risk", 2024) == 19
    assert plan_rows(ctx, "plan_measure", 2024) == 27


@run_async
async def test_revisions_are_listed_with_when_what_why_and_who(ctx: Context) -> None:
    snapshot = plans.load_plan(ctx, 2024)
    hr = snapshot.risk("HR-01")
    editing.set_brutto(
        ctx, snapshot.plan.id, hr.id, hr.version, Assessment(3, 2), reason="Ny riskanalys."
    )
    ek = snapshot.risk("EK-01")
    editing.close_risk(ctx, snapshot.plan.id, ek.id, ek.version, "Ersätts av EK-07.")
    app = RiskregApp(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("R")
        assert isinstance(app.screen, RevisionsScreen)
        text = screen_text(app)
        assert "Revisioner av planen 2024" in text
        assert "Sedan dess har den 2 revisioner" in text
        lines = [line for line in text.splitlines() if "2024-10-15 11:30" in line]
        assert len(lines) == 2
        assert "Bruttorisk för HR-01: 3×2" in lines[0] and "Ny riskanalys." in lines[0]
        assert "testare" in lines[0]
        assert "Avslutade EK-01" in lines[1] and "Ersätts av EK-07." in lines[1]
        await pilot.press("escape")
        assert isinstance(app.screen, RegisterScreen)

        await pilot.press("ctrl+p", *"revisioner")  # the palette has it too
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RevisionsScreen)


@run_async
async def test_roll_forward_lists_what_was_left_out(ctx: Context) -> None:
    from riskreg.domain.scales import MeasureKind, MeasureStatus
    from riskreg.services import reviews

    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    ek = snapshot.risk("EK-01")
    editing.close_risk(ctx, plan_id, ek.id, ek.version, "Ersätts av EK-07.")
    hr = snapshot.risk("HR-01")
    reviews.record_measure_review(ctx, plan_id, hr.measures[2].id, 1, MeasureStatus.DROPPED)
    one_off = next(
        (r, m)
        for r in snapshot.risks
        if r.ref != "EK-01"
        for m in r.measures
        if m.kind is MeasureKind.ONE_OFF
    )
    reviews.record_measure_review(ctx, plan_id, one_off[1].id, 1, MeasureStatus.DONE)

    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("V")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        text = screen_text(app)
        assert "Inte överfört till 2025" in text
        assert "• EK-01: risken avslutades 2024 – Risken att inköp" in text
        assert "• HR-01: åtgärden utgick 2024 – " in text
        assert f"• {one_off[0].ref}: engångsåtgärden genomfördes 2024 – " in text
        assert "18 risker och 24 åtgärder" in notifications(app)[-1]
        await pilot.press("enter")
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "internkontrollplan 2025 (utkast)" in screen_text(app)
        assert "18 risker" in screen_text(app)
    assert plan_rows(ctx, "plan_risk", 2025) == 18
    assert plan_rows(ctx, "plan_measure", 2025) == 27 - 1 - 2
