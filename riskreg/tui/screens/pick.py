"""Pick one of a list: a plan year, a nämnd, a quarter. Typing narrows long lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from riskreg.tui.screens.base import FOCUS_BINDINGS, BaseModal
from riskreg.tui.widgets.plain import PlainInput, plain

V = TypeVar("V")


class SwedishOptionList(OptionList):
    """An OptionList whose keys are described in Swedish (F1)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Ned", show=False),
        Binding("up", "cursor_up", "Upp", show=False),
        Binding("home", "first", "Första", show=False),
        Binding("end", "last", "Sista", show=False),
        Binding("pagedown", "page_down", "Sida ned", show=False),
        Binding("pageup", "page_up", "Sida upp", show=False),
        Binding("enter", "select", "Välj"),
    ]


class PickScreen(BaseModal[V], Generic[V]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape", "cancel", "Avbryt"),
        Binding("down", "move(1)", "Ned", show=False),
        Binding("up", "move(-1)", "Upp", show=False),
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[V, str]],
        *,
        current: V | None = None,
        searchable: bool | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)
        self._current = current
        self._searchable = len(self._choices) > 8 if searchable is None else searchable
        self._shown: list[tuple[V, str]] = list(self._choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -pick"):
            yield Static(plain(self._title), classes="dialog-title")
            if self._searchable:
                yield PlainInput(placeholder="Skriv för att söka …", id="pick-search")
            yield SwedishOptionList(id="pick-options")

    def on_mount(self) -> None:
        self._fill()
        if self._searchable:
            self.query_one("#pick-search", PlainInput).focus()
        else:
            self.query_one(OptionList).focus()

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [Option(plain(label), id=str(i)) for i, (_, label) in enumerate(self._shown)]
        )
        index = next((i for i, (v, _) in enumerate(self._shown) if v == self._current), 0)
        if self._shown:
            options.highlighted = index

    @on(Input.Changed, "#pick-search")
    def _search(self, event: Input.Changed) -> None:
        wanted = event.value.casefold().strip()
        self._shown = [c for c in self._choices if wanted in c[1].casefold()]
        self._fill()

    @on(Input.Submitted, "#pick-search")
    def _submit_search(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self._shown:
            self.dismiss(self._shown[options.highlighted][0])

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.has_focus:
            options.action_cursor_down() if delta > 0 else options.action_cursor_up()
            return
        if self._shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self._shown) - 1, current + delta))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._shown[event.option_index][0])
