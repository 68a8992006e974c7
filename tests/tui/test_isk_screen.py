"""The ISK screen: the suggested grade with its reasons, editing and saving the conclusion
(field errors, service errors, conflicts), and writing the PDF in a worker."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea
from tui_helpers import loaded, notifications, run_async, screen_text, settle

from riskreg.domain.errors import InvalidInput
from riskreg.domain.isk import ConclusionFields, Grade
from riskreg.report.output import export_target
from riskreg.services import examples, isk
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.model.isk import field_of_error
from riskreg.tui.screens.dialogs import ConfirmScreen, ConflictScreen
from riskreg.tui.screens.export import ExportPathScreen
from riskreg.tui.screens.isk import IskScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.widgets.form_field import FormField

FILE_NAME = "isk-bedomning-halso-och-sjukvardsnamnden-2024.pdf"


@pytest.fixture
def example_ctx(ctx: Context) -> Context:
    """The seeded 2024 plan with a year of example follow-up and a stored conclusion."""
    examples.add_examples(ctx)
    return ctx


async def open_isk(pilot: Pilot[Any]) -> IskScreen:
    await loaded(pilot)
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, IskScreen)
    assert screen.view is not None
    return screen


async def type_into(pilot: Pilot[Any], widget_id: str, text: str) -> None:
    """Focus a field, empty it and type ``text`` key by key."""
    widget = pilot.app.screen.query_one(f"#{widget_id}")
    widget.focus()
    await pilot.pause()
    if isinstance(widget, TextArea):
        widget.select_all()
        await pilot.press("backspace")
    elif isinstance(widget, Input):
        widget.value = ""
    for char in text:
        await pilot.press("enter" if char == "\n" else char)


@run_async
async def test_shows_suggested_grade_with_reasons_and_stored_conclusion(
    example_ctx: Context,
) -> None:
    app = RiskregApp(example_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_isk(pilot)
        text = screen_text(app)
        assert "ISK-bedömning Hälso- och sjukvårdsnämnden 2024" in text
        assert "Föreslaget betyg: Inte tillräcklig" in text
        assert "▼ Verkställda åtgärder: 24 av 27 åtgärder (89\u00a0%)." in text
        assert "✓ Risker som aldrig bedömts" in text
        assert "Sparat: i allt väsentligt tillräcklig · 2024-10-15 11:30 av testare" in text
        # the stored conclusion fills the form
        assert screen.query_one("#grade", Select).value == Grade.MOSTLY.value
        assert screen.query_one("#dnr", Input).value == "24RS00000"
        assert "Regionens revisorer" in screen.query_one("#send-to", TextArea).text
        assert "esc Tillbaka" in text and "^s Spara" in text and "w Skriv PDF" in text
        await pilot.press("escape")
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)


@run_async
async def test_palette_opens_the_isk_screen_and_f1_lists_its_keys(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"ISK-bedömning")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IskScreen)
        assert "Föreslaget betyg: Inte tillräcklig" in screen_text(app)
        assert "Sparat: ingen bedömning ännu" in screen_text(app)

        await pilot.press("f1")  # the help dialog scrolls through every key
        pages = [screen_text(app)]
        for _ in range(6):
            await pilot.press("pagedown")
            pages.append(screen_text(app))
        keys = " ".join(" ".join(pages).replace("█", " ").split())
        for key in ("esc Tillbaka", "^s Spara", "w Skriv PDF", "^r Läs in på nytt", "Öppna"):
            assert key in keys
        assert "Show menu" not in keys
        await pilot.press("f1")


@run_async
async def test_edit_and_save_by_keyboard(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_isk(pilot)
        assert screen.view is not None and screen.view.suggestion.grade is Grade.INSUFFICIENT
        assert app.focused is screen.query_one("#grade", Select)
        # Inget beslut → Tillräcklig → I allt väsentligt → Inte tillräcklig (suggested)
        await pilot.press("enter", "down", "down", "down", "enter")
        await pilot.press("tab", *"Ingen uppföljning.")
        await pilot.press("tab", *"att godkänna", "enter", *"att sända")
        await pilot.press("tab", *"Målen nåddes.")
        await pilot.press("tab", *"Anna Berg")
        await pilot.press("tab", *"Staben")
        await pilot.press("tab", *"2025-02-12")
        await pilot.press("tab", *"24RS1")
        await pilot.press("tab", *"RS", "enter", *"Revisorer")
        assert "● ändrat, inte sparat" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IskScreen)
        assert "ISK-bedömningen för 2024 är sparad (version 1)." in notifications(app)
        assert "● ändrat" not in screen_text(app)
        assert not screen.dirty

    stored = isk.view_conclusion(ctx, 2024).conclusion
    assert stored.version == 1
    assert stored.updated_by == "testare"
    assert stored.fields == ConclusionFields(
        grade=Grade.INSUFFICIENT,
        motivation="Ingen uppföljning.",
        proposal="att godkänna\natt sända",
        handler="Staben",
        handler_name="Anna Berg",
        governance="Målen nåddes.",
        meeting_date=date(2025, 2, 12),
        dnr="24RS1",
        send_to=("RS", "Revisorer"),
    )


@run_async
async def test_invalid_date_is_refused_next_to_the_field(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_isk(pilot)
        await type_into(pilot, "handler", "Staben")
        await type_into(pilot, "meeting-date", "2025-13-40")
        await pilot.press("ctrl+s")
        await settle(pilot)
        field = screen.query_one("#field-meeting_date")
        assert field.has_class("-invalid")
        assert app.focused is screen.query_one("#meeting-date", Input)
        text = screen_text(app)
        assert "”2025-13-40” är inget datum: skriv ÅÅÅÅ-MM-DD" in text
        assert "Rätta det som är markerat; inget har sparats." in notifications(app)
        assert isinstance(app.screen, IskScreen)
    assert not isk.view_conclusion(ctx, 2024).conclusion.stored


@run_async
async def test_service_errors_appear_next_to_their_field(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_isk(pilot)
        # "tillräcklig" is better than the suggestion and needs a motivation
        await pilot.press("enter", "down", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#field-motivation").has_class("-invalid")
        assert "avviker från det föreslagna (”inte tillräcklig”): skriv en motivering" in (
            screen_text(app)
        )
        assert app.focused is screen.query_one("#motivation", TextArea)
        # a meeting before the plan year: the service's rule, shown at the date
        await pilot.press(*"Luckor, men fungerar.")
        await type_into(pilot, "meeting-date", "2023-12-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.query_one("#field-motivation").has_class("-invalid")
        assert screen.query_one("#field-meeting_date").has_class("-invalid")
        assert "ligger före planåret 2024" in screen_text(app)
    assert not isk.view_conclusion(ctx, 2024).conclusion.stored


def test_service_errors_map_to_fields() -> None:
    assert field_of_error("Betyget ”tillräcklig” avviker …") == "motivation"
    assert field_of_error("Diarienumret får vara högst 40 tecken.") == "dnr"
    assert field_of_error("Planen för 2025 är ett utkast; …") is None


@run_async
async def test_conclusion_changed_elsewhere_is_not_overwritten(example_ctx: Context) -> None:
    ctx = example_ctx
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_isk(pilot)  # holds version 1

        # meanwhile, a colleague on the command line:
        other = Context(ctx.engine, ctx.target, actor="kollega", clock=ctx.clock)
        current = isk.view_conclusion(other, 2024).conclusion
        isk.save_conclusion(
            other,
            current.plan_id,
            ConclusionFields(grade=Grade.MOSTLY, motivation="Kollegans motivering."),
            expected_version=1,
        )

        await type_into(pilot, "dnr", "24RS99999")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert "ISK-bedömningen för 2024 har ändrats av kollega" in screen_text(app)
        stored = isk.view_conclusion(ctx, 2024).conclusion
        assert (stored.version, stored.fields.dnr) == (2, None)
        assert stored.fields.motivation == "Kollegans motivering."

        await pilot.press("r")  # reload
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IskScreen)
        assert screen.query_one("#dnr", Input).value == ""
        assert screen.query_one("#motivation", TextArea).text == "Kollegans motivering."
        assert "av kollega, version 2" in screen_text(app)
        assert not screen.dirty


@run_async
async def test_leaving_with_unsaved_changes_asks_first(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_isk(pilot)
        await type_into(pilot, "dnr", "24RS1")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, IskScreen)
        await pilot.press("escape", "j")
        await loaded(pilot)
        assert isinstance(app.screen, RegisterScreen)
    assert not isk.view_conclusion(ctx, 2024).conclusion.stored


@run_async
async def test_write_pdf_in_a_worker_to_the_current_folder(
    example_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = RiskregApp(example_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_isk(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ExportPathScreen)
        assert app.screen.query_one("#path", Input).value == FILE_NAME
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IskScreen)
        target = tmp_path / FILE_NAME
        assert f"PDF skriven: {target}" in notifications(app)
        assert "PDF skriven (" in screen_text(app) and "exempeldata" in screen_text(app)
    reader = PdfReader(target)
    assert len(reader.pages) > 0
    assert reader.metadata is not None
    assert "ISK-bedömning" in (reader.metadata.subject or "")
    assert not list(tmp_path.glob(".*.tmp"))  # nothing half-written left behind


@run_async
async def test_write_pdf_to_a_typed_path(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rapporter").mkdir()
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_isk(pilot)
        await pilot.press(*["tab"] * 10)
        assert app.focused is not None and app.focused.id == "write"
        await pilot.press("enter")  # the button
        await settle(pilot)
        assert isinstance(app.screen, ExportPathScreen)
        field = app.screen.query_one("#path", Input)
        field.value = ""
        await pilot.press(*"saknas/isk.pdf", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportPathScreen)  # refused next to the field
        assert app.screen.query_one(FormField).error == f"Mappen {tmp_path / 'saknas'} finns inte."
        assert "finns inte." in screen_text(app)
        field.value = ""
        await pilot.press(*"rapporter", "enter")  # a folder gets the default name
        await settle(pilot)
        assert isinstance(app.screen, IskScreen)
        target = tmp_path / "rapporter" / FILE_NAME
        assert f"PDF skriven: {target}" in notifications(app)
    assert len(PdfReader(target).pages) > 0


@run_async
async def test_pdf_failure_is_reported(ctx: Context, tmp_path: Path) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_isk(pilot)
        folder = tmp_path / "borta"
        folder.mkdir()
        screen.start_pdf(folder / "isk.pdf")
        folder.rmdir()  # gone before the worker writes
        await settle(pilot)
        assert any(n.startswith("PDF:en skrevs inte: Kan inte skriva") for n in notifications(app))
        assert "PDF:en skrevs inte" in screen_text(app)
        assert not screen.query_one("#write").disabled


def test_export_target(tmp_path: Path) -> None:
    assert export_target("", tmp_path, FILE_NAME) == tmp_path / FILE_NAME
    assert export_target(str(tmp_path), Path("/"), FILE_NAME) == tmp_path / FILE_NAME
    assert export_target("ut.pdf", tmp_path, FILE_NAME) == tmp_path / "ut.pdf"
    with pytest.raises(InvalidInput, match="finns inte"):
        export_target("x/ut.pdf", tmp_path, FILE_NAME)


def test_isk_100x30(snap_compare: Any, example_ctx: Context) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_isk(pilot)

    assert snap_compare(RiskregApp(example_ctx), terminal_size=(100, 30), run_before=run_before)
