"""Small dialogs: confirm, ask for a text (reason, comment), report a conflict.

Titles and messages quote register text (a risk's text, a role's name, a service's
sentence), so they are shown with ``plain``: symbols for control characters, no markup."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from riskreg.tui.screens.base import FOCUS_BINDINGS, BaseModal
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput, plain
from riskreg.tui.widgets.scroll import Scroll


class ConfirmScreen(BaseModal[bool]):
    """Yes or no; for something destructive the safe answer has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape,n", "cancel", "Avbryt"),
        Binding("j", "confirm", "Ja"),
    ]

    def __init__(
        self, title: str, message: str, *, confirm: str = "Ja", danger: bool = False
    ) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._confirm = confirm
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self._title), classes="dialog-title")
            yield Static(plain(self._message), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    f"{self._confirm} (j)",
                    id="confirm",
                    variant="error" if self._danger else "primary",
                )
                yield Button("Avbryt (n)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel" if self._danger else "#confirm", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)


class TextScreen(BaseModal[str]):
    """One line of text: a required reason (reopening, closing) or an optional comment."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape", "cancel", "Avbryt"),
        Binding("ctrl+s", "save", "Spara"),
    ]

    def __init__(
        self,
        title: str,
        label: str,
        *,
        message: str = "",
        value: str = "",
        required: str | None = None,
        confirm: str = "Spara",
        danger: bool = False,
    ) -> None:
        super().__init__()
        self._title = title
        self._label = label
        self._message = message
        self._value = value
        self._required = required  # the error shown when left empty; None: may be empty
        self._confirm = confirm
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self._title), classes="dialog-title")
            if self._message:
                yield Static(plain(self._message), classes="dialog-body")
            yield FormField(self._label, PlainInput(self._value, id="text"), key="text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    self._confirm, id="save", variant="error" if self._danger else "primary"
                )
                yield Button("Avbryt", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#text", PlainInput).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = " ".join(self.query_one("#text", PlainInput).result.split())
        if self._required and not text:
            self.query_one(FormField).set_error(self._required)
            return
        self.dismiss(text)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(None)


class ConflictScreen(BaseModal[bool]):
    """Someone else saved first: nothing was overwritten; offer to reload."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape", "cancel", "Avbryt"),
        Binding("r", "reload", "Läs in på nytt"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -conflict"):
            yield Static("Ändrat av någon annan", classes="dialog-title")
            yield Static(plain(self._message), classes="dialog-body")
            yield Static(
                "Din ändring sparades inte, och inget skrevs över. Läs in det som nu finns "
                "i registret och gör om ändringen om den fortfarande behövs.",
                classes="dialog-body",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Läs in på nytt (r)", id="reload", variant="primary")
                yield Button("Avbryt", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reload", Button).focus()

    @on(Button.Pressed, "#reload")
    def action_reload(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)


class MessageScreen(BaseModal[bool]):
    """A message that needs more room than a toast (help, database problems)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape,enter", "cancel", "Stäng"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self._title), classes="dialog-title")
            # A long message (what a roll-forward left out) scrolls; Stäng stays in view.
            with Scroll(classes="message-body"):
                yield Static(plain(self._body), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Stäng", id="close", variant="primary")

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.dismiss(True)
