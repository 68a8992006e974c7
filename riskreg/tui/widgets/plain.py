"""Register text on the screen: control characters as symbols, and never read as markup.

What users, imports and other tools stored can hold escape sequences (clear the screen,
set the window title, a hyperlink that says one thing and goes elsewhere), a backspace or
carriage return that overwrites what was drawn, or a bidi override that reorders it.
Textual hands such characters to the terminal as they are, in a Static as well as in an
Input or a TextArea. And a ``str`` given to a Static, an option, a Select or a toast is
parsed as markup, so ``[@click=app.quit]`` in a risk text would be a button.

So register text reaches a widget only through this module, using
``riskreg.domain.visible`` as the CLI does:

- ``one_line`` for a piece of one line (a table cell, a title, a name in a sentence);
- ``paragraph`` for a text of its own, line breaks kept;
- ``plain`` for a whole Static, option or dialog text: ``paragraph`` as ``Content``,
  which Textual never parses as markup.

A string that joins a ``rich.text.Text`` (``append``, ``assemble``) is never parsed as
markup; one given to a Rich Table cell is, so a cell is a ``Text``.

Editing: ``PlainInput`` and ``PlainTextArea`` show the stored text the same way, and
what is typed or pasted too, so the field never draws a raw control character. What you
see is what you edit: a field you change saves what it shows (a symbol is then an ordinary
character), while ``result`` of a field left as it was is the stored text itself, so
opening a form and saving it changes nothing the user did not touch.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.content import Content

from riskreg.domain.visible import visible
from riskreg.tui.widgets.swedish import SvInput, SvTextArea


def one_line(text: str) -> str:
    """``text`` for one line: every control character as a symbol, line breaks too."""
    return visible(text)


def paragraph(text: str) -> str:
    """``text`` as a paragraph: line breaks kept, every other control character a symbol."""
    return visible(text, keep_newlines=True)


def plain(text: str) -> Content:
    """A Static's, an option's or a dialog's text: ``paragraph``, never parsed as markup."""
    return Content(paragraph(text))


def editable(text: str) -> str:
    """``text`` in a TextArea: line breaks and tabs are layout there (a tab is drawn as
    spaces), every other control character is a symbol."""
    return "\t".join(paragraph(part) for part in text.split("\t"))


class PlainInput(SvInput):
    """An Input for register text; ``result`` is what to save."""

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        super().__init__(value, **kwargs)
        self.stored = value
        self._loaded = self.value

    def validate_value(self, value: str) -> str:
        # Every way a value arrives (the stored text, a key, a paste) goes through here.
        return one_line(value)

    def set_stored(self, value: str) -> None:
        """Make ``value`` the field's stored text; what is shown changes (and the cursor
        moves) only when it shows something else."""
        self.stored = value
        if self.value != one_line(value):
            self.value = value
        self._loaded = self.value

    @property
    def result(self) -> str:
        """The stored text while the field shows it unchanged, else what the field shows."""
        return self.stored if self.value == self._loaded else self.value


class PlainTextArea(SvTextArea):
    """A TextArea for register text; ``result`` is what to save."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(editable(text), **kwargs)
        self.stored = text
        self._loaded = self.text

    def on_paste(self, event: events.Paste) -> None:
        """Pasted text is shown as stored text is (keys only ever type printable text)."""
        pasted = event.text.replace("\r\n", "\n")  # a clipboard's line breaks are layout
        safe = editable(pasted)
        if safe == event.text:
            return  # TextArea pastes it itself
        event.prevent_default()
        event.stop()
        if not self.read_only:
            self.move_cursor(self.replace(safe, *self.selection).end_location)

    def set_stored(self, value: str) -> None:
        """Make ``value`` the field's stored text; what is shown changes (and the cursor
        moves) only when it shows something else."""
        self.stored = value
        if self.text != editable(value):
            self.text = editable(value)
        self._loaded = self.text

    @property
    def result(self) -> str:
        """The stored text while the field shows it unchanged, else what the field shows."""
        return self.stored if self.text == self._loaded else self.text
