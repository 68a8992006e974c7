"""Small dialogs: confirm, ask for a text (reason, comment), report a conflict.

Titles and messages quote register text (a risk's text, a role's name, a service's
sentence), so they are shown with ``plain``: symbols for control characters, no markup."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from riskreg.tui.screens.base import FOCUS_BINDINGS, BaseModal
from riskreg.tui.settings import Draft, Drafts
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput, PlainTextArea, plain
from riskreg.tui.widgets.scroll import Scroll
from riskreg.tui.widgets.swedish import SvButton


class ConfirmScreen(BaseModal[bool]):
    """Yes or no; for something destructive the safe answer has the focus.

    ``shortcuts=False`` makes the confirmation deliberate: no letter answers it and the
    focus starts on the safe button, so only Enter on the other button (reached with
    Tab or ←) confirms. Locking a period uses it, since its review keys (``j``!) are
    typed fast."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape,n", "cancel", "Avbryt"),
        Binding("j", "confirm", "Ja"),
        Binding("left,right", "app.focus_next", "Byt knapp", show=False),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        *,
        confirm: str = "Ja",
        cancel: str = "Avbryt",
        danger: bool = False,
        shortcuts: bool = True,
    ) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._confirm = confirm
        self._cancel = cancel
        self._danger = danger
        self._shortcuts = shortcuts

    def compose(self) -> ComposeResult:
        keys = (" (j)", " (n)") if self._shortcuts else ("", " (Esc)")
        with Vertical(classes="dialog"):
            yield Static(plain(self._title), classes="dialog-title")
            yield Static(plain(self._message), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield SvButton(
                    self._confirm + keys[0],
                    id="confirm",
                    variant="error" if self._danger else "primary",
                )
                yield SvButton(self._cancel + keys[1], id="cancel")

    def on_mount(self) -> None:
        safe = self._danger or not self._shortcuts
        self.query_one("#cancel" if safe else "#confirm", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self._shortcuts and action in ("confirm", "cancel"):
            return action == "cancel"  # escape (and n) still leave; j does nothing
        return True

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)


class TextScreen(BaseModal[str]):
    """A text: a required reason (reopening, closing) on one line, or an optional comment
    (``multiline``: Enter starts a new line, Ctrl+S saves). ``theirs`` shows what someone
    else saved meanwhile, above the user's own text kept in the field."""

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
        multiline: bool = False,
        theirs: str | None = None,
        draft: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._label = label
        self._message = message
        self._value = value
        self._required = required  # the error shown when left empty; None: may be empty
        self._confirm = confirm
        self._danger = danger
        self._multiline = multiline
        self._theirs = theirs
        # (key, label) of the draft kept while typing, so a crash or a lost connection
        # loses nothing: offered (filled in) the next time the same text is written
        self.draft = draft
        self._offered: Draft | None = None

    def _drafts(self) -> Drafts | None:
        drafts = getattr(self.app, "drafts", None)
        return drafts if self.draft is not None and isinstance(drafts, Drafts) else None

    def compose(self) -> ComposeResult:
        drafts = self._drafts()
        if drafts is not None and self.draft is not None and self._theirs is None:
            offered = drafts.get(self.draft[0])
            if offered is not None and offered.text != self._value:
                self._offered, self._value = offered, offered.text
        with Vertical(classes="dialog"):
            yield Static(plain(self._title), classes="dialog-title")
            if self._message:
                yield Static(plain(self._message), classes="dialog-body")
            if self._offered is not None:
                yield Static(
                    plain(
                        f"Osparad text från {self._offered.saved_at} är ifylld: spara den, "
                        "eller Esc för att kasta den."
                    ),
                    classes="dialog-body -theirs",
                )
            if self._theirs is not None:
                yield Static(
                    plain(f"Sparat av någon annan under tiden: {self._theirs or '(tomt)'}"),
                    classes="dialog-body -theirs",
                )
            field: Widget = (
                PlainTextArea(self._value, id="text", soft_wrap=True, classes="-comment")
                if self._multiline
                else PlainInput(self._value, id="text")
            )
            yield FormField(self._label, field, key="text")
            with Horizontal(classes="dialog-buttons"):
                save = f"{self._confirm} (Ctrl+S)" if self._multiline else self._confirm
                yield SvButton(save, id="save", variant="error" if self._danger else "primary")
                yield SvButton("Avbryt", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#text").focus()

    @property
    def text(self) -> str:
        """What the field holds now (line breaks kept in a multi-line comment)."""
        field = self.query_one("#text")
        if isinstance(field, PlainTextArea):
            return "\n".join(" ".join(line.split()) for line in field.result.strip().split("\n"))
        assert isinstance(field, PlainInput)
        return " ".join(field.result.split())

    @property
    def changed(self) -> bool:
        return self._offered is not None or super().changed

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed(self) -> None:
        if self._drafts() is not None:
            # written a moment after the last key, not on every key
            self.set_timer(0.5, self._keep_draft, name="draft")

    def _keep_draft(self) -> None:
        drafts = self._drafts()
        if drafts is None or self.draft is None or not self.is_attached:
            return
        if self.text != " ".join(self._value.split()) or self._offered is not None:
            drafts.keep(self.draft[0], self.draft[1], self.text)

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.text
        if self._required and not text:
            self.query_one(FormField).set_error(self._required)
            return
        drafts = self._drafts()
        if drafts is not None and self.draft is not None:
            # kept until the caller has it in the register (``Drafts.drop``)
            drafts.keep(self.draft[0], self.draft[1], text)
        self.dismiss(text)

    def dismiss(self, result: str | None = None) -> AwaitComplete:
        drafts = self._drafts()
        if result is None and drafts is not None and self.draft is not None:
            drafts.drop(self.draft[0])  # discarded knowingly (a changed text asked first)
        return super().dismiss(result)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()


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
                yield SvButton("Läs in på nytt (r)", id="reload", variant="primary")
                yield SvButton("Avbryt", id="cancel")

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
                yield SvButton("Stäng", id="close", variant="primary")

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.dismiss(True)
