"""Hostile text in the register reaches the terminal UI as symbols, never as control
sequences, and markup-looking text is shown as typed, never obeyed.

The strings are the CLI's (tests/test_terminal_safety.py): clear the screen, set the
window title, a hyperlink that says one thing and goes elsewhere, a device control string,
the one-byte C1 CSI, backspace and carriage return, bidi overrides; and Textual markup that
would make a button (``[@click=app.quit]``) or a link. The services refuse control
characters in what is typed, but a register holds what older versions, other tools on a
shared database or a restored backup stored, so most of it is written to the database
directly, as in the CLI's test.

What is checked is what the screen draws (every segment's text: what goes to the
terminal), on the register, the risk detail with its history, the review, brutto mode,
the revisions, the roles, dialogs and toasts; and that a form shows stored text as
symbols but gives it back unchanged while it is left untouched.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import text
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import OptionList
from tui_helpers import loaded, populate, rows, run_async, screen_text, settle

from riskreg.domain.visible import visible
from riskreg.services import editing, isk, plans
from riskreg.services.context import Context
from riskreg.services.editing import RiskFields
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.brutto import BruttoScreen
from riskreg.tui.screens.detail import RiskDetailScreen
from riskreg.tui.screens.isk import IskScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.screens.review import ReviewScreen
from riskreg.tui.screens.risk_form import RiskFormScreen
from riskreg.tui.screens.roles import RolesScreen
from riskreg.tui.widgets.plain import PlainInput, PlainTextArea
from riskreg.tui.widgets.risk_table import RiskTable

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
LINK = "\x1b]8;;https://evil.example/\x1b\\regionen.se\x1b]8;;\x1b\\"
DCS = "\x1bPq#0;2;0;0;0\x1b\\"
C1_CSI = "\x9b2J"
BIDI = "faktura\u202efdp.exe"
OVERWRITE = "godkänd\r\x08\x08underkänd"
BUTTON = "[@click=app.quit]klick[/]"  # no spaces: a wrapped line never splits it
BOLD = "[bold]fet[/bold]"

RISK_TEXT = f"Risk{CLEAR}{TITLE} bs\x08 {C1_CSI} {BIDI} {BUTTON} {BOLD} {LINK}"
# What each hostile piece looks like on screen.
SYMBOLS = ("␛[2J", "␛]0;pwned␇", "␈", "<U+009B>2J", "<U+202E>", "␛]8;;https://evil.example/")
# Raw characters a terminal would act on (line feed is layout).
RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SIZE = (200, 60)


def store(ctx: Context, sql: str, **values: object) -> None:
    """Write to the database as another tool would, past the services' checks."""
    with ctx.engine.begin() as conn:
        conn.execute(text(sql), values)


@pytest.fixture
def hostile(ctx: Context) -> Context:
    """The seeded 2024 plan with a history (``populate``), then hostile text in HR-01, its
    first åtgärd and its role, kv 2's review and lock, a revision, an acceptance, the
    nämnd, the plan's dnr and the audit log."""
    populate(ctx)
    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    risk = snapshot.risk("HR-01")
    # Through the services: a revision and an audit entry with bidi and markup text.
    editing.update_risk(
        ctx,
        plan_id,
        risk.id,
        risk.version,
        RiskFields(area=risk.area, text=f"Ny lydelse {BIDI} {BUTTON}", brutto=risk.brutto),
        reason=f"Motivering {BIDI} {BOLD}",
    )
    ids = {"plan": plan_id, "risk": risk.id}
    store(
        ctx,
        "UPDATE plan_risk SET text = :v WHERE plan_id = :plan AND risk_id = :risk",
        v=RISK_TEXT,
        **ids,
    )
    store(
        ctx,
        "UPDATE area SET name = :v WHERE id = (SELECT area_id FROM risk WHERE id = :risk)",
        v=f"HR{TITLE}",
        risk=risk.id,
    )
    measure = risk.measures[0]
    store(
        ctx,
        "UPDATE plan_measure SET text = :v WHERE plan_id = :plan AND measure_id = :m",
        v=f"Åtgärd{DCS} {BUTTON}",
        plan=plan_id,
        m=measure.id,
    )
    store(
        ctx,
        "UPDATE role SET name = :v, description = :d WHERE name = 'Varje chef'",
        v=f"Varje chef{CLEAR}",
        d=f"Beskrivning{C1_CSI} {BUTTON}",
    )
    store(
        ctx,
        "UPDATE measure_review SET deviation = :v, comment = :c "
        "WHERE measure_id = :m AND deviation IS NOT NULL",
        v=f"Avvikelse{TITLE} {BUTTON}",
        c=OVERWRITE,
        m=measure.id,
    )
    store(
        ctx,
        "UPDATE risk_review SET comment = :v, reviewed_by = :by WHERE risk_id = :risk",
        v=OVERWRITE,
        by=f"Granskare{C1_CSI}",
        risk=risk.id,
    )
    store(
        ctx,
        "UPDATE review_period SET locked_by = :v WHERE plan_id = :plan AND quarter = 2",
        v="Låsare\x1b[31m",
        plan=plan_id,
    )
    store(
        ctx,
        "UPDATE plan_revision SET reason = :v, actor = :a WHERE plan_id = :plan "
        "AND what LIKE 'Ändrade HR-01%'",
        v=f"Motivering{CLEAR} {BIDI} {BOLD}",
        a=f"Aktör{C1_CSI}",
        plan=plan_id,
    )
    store(
        ctx,
        "UPDATE plan_risk SET accepted_by = :by, accepted_reason = :why "
        "WHERE plan_id = :plan AND risk_id = :risk",
        by=f"Nämnden{TITLE}",
        why=f"Skäl{C1_CSI} {BUTTON}",
        plan=plan_id,
        risk=snapshot.risk("KS-01").id,
    )
    store(ctx, "UPDATE plan SET dnr = :v WHERE id = :plan", v=f"23RS{C1_CSI}1", plan=plan_id)
    store(ctx, "UPDATE committee SET name = :v", v=f"Nämnd{CLEAR}")
    entry = rows(
        ctx,
        "SELECT id FROM audit_entry WHERE entity_ref = 'HR-01 2024' ORDER BY id LIMIT 1",
    )[0]
    store(
        ctx,
        "UPDATE audit_entry SET actor = :a, after = :after WHERE id = :id",
        a=f"Aktör{TITLE}",
        after=json.dumps({"text": f"Efter{CLEAR} {BUTTON}", "kommentar": OVERWRITE}),
        id=entry.id,
    )
    return ctx


def drawn(app: App[Any]) -> str:
    """What the screen draws (dialogs and toasts included), checked to hold no character
    a terminal would act on; also in the exported screenshot."""
    shown = screen_text(app)
    assert RAW.search(shown) is None, repr(sorted(set(RAW.findall(shown))))
    assert RAW.search(app.export_screenshot()) is None
    return shown


def assert_symbols(shown: str, *symbols: str) -> None:
    """Each of ``symbols`` is on screen, perhaps wrapped at a space."""
    joined = " ".join(shown.split())
    missing = [s for s in symbols if s not in shown and s not in joined]
    assert not missing, f"{missing} not on screen:\n{shown}"


async def open_register(pilot: Pilot[Any]) -> RegisterScreen:
    await loaded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RegisterScreen)
    screen.query_one(RiskTable).move_to_ref("HR-01")
    await settle(pilot)
    return screen


# -- the register and the risk in detail ---------------------------------------------------


@run_async
async def test_register_and_detail_show_symbols_and_literal_markup(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(pilot)
        shown = drawn(app)
        # the table row, the preview under it, the title with nämnd and dnr
        assert_symbols(shown, *SYMBOLS, "HR␛]0;pwned␇", BUTTON, BOLD, "Nämnd␛[2J")
        assert_symbols(shown, "23RS<U+009B>2J1", "Varje chef␛[2J")

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RiskDetailScreen)
        assert app.screen.history is not None
        shown = drawn(app)
        assert_symbols(shown, *SYMBOLS, BUTTON, BOLD, "␛]8;;␛\\")
        assert_symbols(shown, "Åtgärd␛Pq#0;2;0;0;0␛\\", "Varje chef␛[2J")  # åtgärder
        assert_symbols(shown, "Avvikelse␛]0;pwned␇")  # avvikelser
        # the history: an actor, a change and a service-made entry, as cells of a table
        assert_symbols(shown, "Aktör␛]0;pwned␇", "Efter␛[2J", "godkänd␍␈␈underkänd")
        assert_symbols(shown, f"Ny lydelse faktura<U+202E>fdp.exe {BUTTON}")
        assert_symbols(shown, f"Motivering faktura<U+202E>fdp.exe {BOLD}")
        # a click on the would-be button does nothing: it is text
        assert app.is_running


@run_async
async def test_accepted_risk_and_dialogs_quote_it_as_symbols(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        screen.query_one(RiskTable).move_to_ref("KS-01")
        await pilot.press("enter")
        await settle(pilot)
        assert_symbols(drawn(app), "Nämnden␛]0;pwned␇", f"Skäl<U+009B>2J {BUTTON}")
        await pilot.press("escape")
        await settle(pilot)

        # closing a risk quotes its text in the dialog
        app.screen.query_one(RiskTable).move_to_ref("HR-01")
        await pilot.press("x")
        await settle(pilot)
        assert_symbols(drawn(app), *SYMBOLS, BUTTON, BOLD)
        await pilot.press("escape")


# -- review mode and brutto mode -----------------------------------------------------------


@run_async
async def test_review_shows_comments_deviation_and_names_as_symbols(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        screen.open_review(2)  # kv 2: locked, with the saved answers
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.draft is not None and review.draft.risk.ref == "HR-01"
        shown = drawn(app)
        assert_symbols(shown, *SYMBOLS, BUTTON, BOLD, "HR␛]0;pwned␇", "Nämnd␛[2J")
        assert_symbols(shown, "godkänd␍␈␈underkänd", "Granskare<U+009B>")  # netto comment
        assert_symbols(shown, "LÅST av Låsare␛[31m")
        assert_symbols(shown, "Åtgärd␛Pq#0;2;0;0;0␛\\", "Ansvar: Varje chef␛[2J")
        assert_symbols(shown, f"Avvikelse␛]0;pwned␇ {BUTTON}")

        # the reopen dialog quotes who locked the period
        await pilot.press("o")
        await settle(pilot)
        assert_symbols(drawn(app), "Perioden låstes av Låsare␛[31m")


@run_async
async def test_brutto_mode_shows_the_risk_and_the_reason_as_symbols(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(pilot)
        await pilot.press("b")  # a fastställd plan: the reason first
        await settle(pilot)
        app.post_message(events.Paste(f"Omprövning{CLEAR} {BUTTON}"))
        await settle(pilot)
        assert_symbols(drawn(app), f"Omprövning␛[2J {BUTTON}")  # pasted, as symbols
        await pilot.press("enter")
        await settle(pilot)
        brutto = app.screen
        assert isinstance(brutto, BruttoScreen)
        assert brutto.state.current is not None and brutto.state.current.risk.ref == "HR-01"
        shown = drawn(app)
        assert_symbols(shown, *SYMBOLS, BUTTON, BOLD, "HR␛]0;pwned␇", "Nämnd␛[2J")
        assert_symbols(shown, f"”Omprövning␛[2J {BUTTON}”")


# -- revisions, roles, toasts --------------------------------------------------------------


@run_async
async def test_revisions_and_roles_show_symbols(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_register(pilot)
        await pilot.press("R")
        await settle(pilot)
        shown = drawn(app)
        assert_symbols(shown, "Motivering␛[2J", "faktura<U+202E>fdp.exe", BOLD)
        assert_symbols(shown, "Aktör<U+009B", "dnr 23RS<U+009B>2J1")  # a narrow column
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("o")
        await settle(pilot)
        roles = app.screen
        assert isinstance(roles, RolesScreen)
        shown = drawn(app)
        assert_symbols(shown, "Varje chef␛[2J", f"Beskrivning<U+009B>2J {BUTTON}")

        # a role with åtgärder cannot be removed: the toast quotes its name
        index = next(i for i, r in enumerate(roles.roles) if r.name.startswith("Varje chef"))
        roles.query_one(OptionList).highlighted = index
        await pilot.press("x")
        await settle(pilot)
        assert_symbols(drawn(app), "Rollen ”Varje chef␛[2J” ansvarar för")

        # the edit form's title and field
        await pilot.press("e")
        await settle(pilot)
        assert_symbols(drawn(app), "Redigera rollen Varje chef␛[2J")
        field = app.screen.query_one("#name", PlainInput)
        assert field.value == "Varje chef␛[2J"
        assert field.result == f"Varje chef{CLEAR}"  # untouched: the stored name


@run_async
async def test_a_toast_shows_markup_and_controls_as_text(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        app.notify(f"Risken {RISK_TEXT} är sparad.", title=f"Sparat{TITLE}")
        await settle(pilot)
        assert_symbols(drawn(app), *SYMBOLS, BUTTON, BOLD, "Sparat␛]0;pwned␇")
        await pilot.press("ctrl+c")  # Textual's own hint is markup; ours is Swedish
        await settle(pilot)
        assert_symbols(drawn(app), "Avsluta med Ctrl+Q.")


# -- forms: symbols shown, the stored text kept while untouched ----------------------------


@run_async
async def test_risk_form_shows_symbols_and_keeps_the_stored_text(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RiskFormScreen)
        shown = drawn(app)
        assert_symbols(shown, "␛[2J", "<U+009B>2J", "<U+202E>", BUTTON, "HR␛]0;pwned␇")
        area = form.query_one("#text", PlainTextArea)
        assert area.text == visible(RISK_TEXT, keep_newlines=True)
        assert area.result == RISK_TEXT  # untouched: saving keeps the stored text

        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press("!")
        assert area.result == visible(RISK_TEXT) + "!"  # edited: what it shows


@run_async
async def test_typed_and_pasted_control_characters_become_symbols(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(pilot)
        await pilot.press("slash")
        app.post_message(events.Paste(f"HR{TITLE}"))
        await settle(pilot)
        field = app.screen.query_one("#filter", PlainInput)
        assert field.value == "HR␛]0;pwned␇"
        drawn(app)


@run_async
async def test_isk_form_keeps_a_stored_conclusion_untouched(hostile: Context) -> None:
    snapshot = plans.load_plan(hostile, 2024)
    view = isk.view_conclusion(hostile, 2024, snapshot.plan.committee)
    isk.save_conclusion(hostile, snapshot.plan.id, view.conclusion.fields)
    motivation = f"Rad ett{CLEAR}\n\tRad två {BUTTON}"
    store(
        hostile,
        "UPDATE isk_assessment SET motivation = :m, handler = :h, updated_by = :by",
        m=motivation,
        h=f"Handläggare{C1_CSI}",
        by=f"Sparare{TITLE}",
    )
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IskScreen)
        shown = drawn(app)
        assert_symbols(shown, "Rad ett␛[2J", f"Rad två {BUTTON}", "Handläggare<U+009B>")
        assert_symbols(shown, "Sparare␛]0;pwned␇", "Nämnd␛[2J")
        typed = screen.typed()
        assert (typed.motivation, typed.handler) == (motivation, f"Handläggare{C1_CSI}")
        assert not screen.dirty  # nothing changed: the stored text comes back as it was


@run_async
async def test_pickers_matrix_and_measure_form_show_symbols(hostile: Context) -> None:
    app = RiskregApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(pilot)
        await pilot.press("n")  # the nämnd picker
        await settle(pilot)
        assert_symbols(drawn(app), "Nämnd␛[2J")
        await pilot.press("escape")
        await pilot.press("m")  # the matrix
        await settle(pilot)
        assert_symbols(drawn(app), "Riskmatris Nämnd␛[2J")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("enter")  # the detail, then its first åtgärd's form
        await settle(pilot)
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        shown = drawn(app)
        assert_symbols(shown, "Åtgärd␛Pq#0;2;0;0;0␛\\", "Varje chef␛[2J", BUTTON)
        assert app.screen.query_one("#text", PlainTextArea).result == f"Åtgärd{DCS} {BUTTON}"
