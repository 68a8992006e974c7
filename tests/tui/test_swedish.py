"""Everything Textual itself shows a user is Swedish: key descriptions of built-in widgets
(F1 lists them), the quit hint, the command palette; and F1 shows the whole help."""

from __future__ import annotations

from textual.binding import Binding
from tui_helpers import loaded, notifications, run_async, screen_text, settle

from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.help import HelpScreen
from riskreg.tui.widgets import swedish
from riskreg.tui.widgets.plain import PlainInput, PlainTextArea

ENGLISH = ("Scroll", "Page Left", "Cursor", "Delete", "Press", "Toggle", "Submit", "Focus")


def test_every_binding_of_the_swedish_widgets_is_swedish() -> None:
    classes = [
        swedish.SvButton,
        swedish.SvCheckbox,
        swedish.SvRadioButton,
        swedish.SvRadioSet,
        swedish.SvCommandPalette,
        PlainInput,
        PlainTextArea,
    ]
    for cls in classes:
        parent = cls.__mro__[1] if cls.__name__.startswith("Sv") else cls.__mro__[2]
        english = {
            b.description
            for klass in parent.__mro__
            for b in klass.__dict__.get("BINDINGS", [])
            if isinstance(b, Binding) and b.description
        }
        assert english <= set(swedish.DESCRIPTIONS), (cls, english - set(swedish.DESCRIPTIONS))
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.description and binding.description not in english, (cls, binding)


def _inside_dialog(text: str) -> str:
    """The lines inside the dialog's frame, without what shows beside it."""
    lines = []
    for line in text.splitlines():
        if line.count("█") >= 2:
            lines.append(line[line.index("█") + 1 : line.rindex("█")])
    return "\n".join(lines)


async def _help_text(pilot) -> str:  # type: ignore[no-untyped-def]
    """The help dialog's text, page by page to the end, joined into one line."""
    await pilot.press("f1")
    assert isinstance(pilot.app.screen, HelpScreen)
    pages = [_inside_dialog(screen_text(pilot.app))]
    for _ in range(8):
        await pilot.press("pagedown")
        pages.append(_inside_dialog(screen_text(pilot.app)))
    await pilot.press("f1")
    return " ".join("\n".join(pages).split())


@run_async
async def test_f1_shows_everything_in_swedish(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        text = await _help_text(pilot)
        assert "C kommenterar åtgärden" in text
        assert "Kursiv status med ↻ är överförd från förra perioden" in text
        assert "1–4 Sätt S/K" in text and "Värde 2" not in text
        assert "Status: ej påbörjad" in text
        assert not any(word in text for word in ENGLISH), text
        await pilot.press("2", "3", "c")  # a multi-line comment: TextArea's keys
        text = await _help_text(pilot)
        assert "Radera tecknet till vänster" in text and "Ångra" in text
        assert not any(word in text for word in ENGLISH), text


@run_async
async def test_the_footer_says_how_to_quit_at_80_columns(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert footer.lstrip().startswith("q Avsluta"), footer
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_quit_hint_and_palette_are_swedish(ctx: Context) -> None:
    app = RiskregApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+c")
        assert "Avsluta med Ctrl+Q. Allt är redan sparat." in notifications(app)
        assert not any("quit" in n for n in notifications(app))
        await pilot.press("ctrl+p", *"xyzzy")
        await pilot.pause(1.0)  # the palette searches in the background
        text = screen_text(app)
        assert "Inga träffar för ”xyzzy”" in text
        assert "No matches" not in text
