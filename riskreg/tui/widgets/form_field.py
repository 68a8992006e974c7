"""A labelled form field with its error message right under it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from riskreg.tui.widgets.plain import plain


class FormField(Vertical):
    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin-bottom: 1;
        & > .field-label { text-style: bold; }
        & > Input, & > Select, & > TextArea, & > SelectionList, & > RadioSet {
            margin-left: 1;
        }
        & > .field-hint { color: $text-muted; }
        & > .field-error { color: $text-error; text-style: bold; display: none; }
        &.-invalid > .field-error { display: block; }
        &.-invalid > Input, &.-invalid > TextArea { background: $error 25%; }
    }
    """

    def __init__(self, label: str, field: Widget, *, key: str, hint: str = "") -> None:
        super().__init__(id=f"field-{key}")
        self.key = key
        self._label = label
        self._field = field
        self._hint = hint
        self.error = ""

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field-label")
        if self._hint:
            yield Static(self._hint, classes="field-hint")
        yield self._field
        yield Static("", classes="field-error")

    def set_error(self, message: str | None) -> None:
        self.error = message or ""
        self.set_class(bool(message), "-invalid")
        # A service's sentence can quote what was typed or stored.
        self.query_one(".field-error", Static).update(plain(self.error))
