"""F1: the help for what has the focus and every key that works there, in one dialog that
scrolls (↑ ↓, Page Up/Down), so nothing is cut off however small the terminal is.

The keys are the screen's active bindings as Textual resolves them (the focused widget's
first, then its containers', the screen's and the app's), each action once, with its
Swedish description; a key bound to nothing described is left out.
"""

from __future__ import annotations

from textwrap import dedent
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Markdown, Static

from riskreg.tui.screens.base import BaseModal
from riskreg.tui.widgets.scroll import Scroll


def help_texts(screen: Screen[Any]) -> list[str]:
    """The HELP of the focused widget and of each container up to the screen, once each."""
    texts: list[str] = []
    start = screen.focused if screen.focused is not None else screen
    for node in start.ancestors_with_self:
        text = getattr(node, "HELP", None)
        if isinstance(text, str) and text.strip() and dedent(text).strip() not in texts:
            texts.append(dedent(text).strip())
    return texts


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, description) for every action bound where the focus is."""
    by_action: dict[str, tuple[list[str], str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        keys, _ = by_action.setdefault(binding.action, ([], binding.description))
        shown = screen.app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    return [(" ".join(keys), description) for keys, description in by_action.values()]


class HelpScreen(BaseModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "cancel", "Stäng hjälpen"),
    ]

    def __init__(self, texts: list[str], keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._texts = texts
        self._keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -help"):
            yield Static("Hjälp  (↑ ↓ rullar, Esc eller F1 stänger)", classes="dialog-title")
            with Scroll(id="help-body"):
                for text in self._texts:
                    yield Markdown(text)
                table = Table(box=None, show_header=False, padding=(0, 1))
                table.add_column(justify="right", style="bold", no_wrap=True)
                table.add_column()
                for keys, description in self._keys:
                    table.add_row(Text(keys), Text(description))
                yield Static("Tangenter här", classes="help-heading")
                yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
