"""The list of risks beside the review and brutto mode, each with its marker: ✓ done,
◐ partly, ↻ carried, · left."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from riskreg.domain.records import PlanRisk
from riskreg.tui.widgets.plain import one_line


class NavItem(Protocol):
    """A review draft or a brutto item: a risk and where it stands."""

    @property
    def risk(self) -> PlanRisk: ...

    @property
    def marker(self) -> str: ...


MARKER_STYLE = {"✓": "bold green", "◐": "bold yellow", "↻": "italic", "·": "dim"}


NAV_WIDTH = 24


def nav_prompt(draft: NavItem, narrow: bool = False) -> Text:
    marker = draft.marker
    ref = one_line(draft.risk.ref)
    room = 0 if narrow else NAV_WIDTH - len(ref) - 4
    area = one_line(draft.risk.area)
    if room <= 1:
        area = ""
    elif len(area) > room:
        area = area[: room - 1] + "…"
    return Text.assemble(
        (f"{marker} ", MARKER_STYLE.get(marker, "")),
        (ref, "bold"),
        " ",
        (area, "dim"),
        no_wrap=True,
        overflow="ellipsis",
    )


class ReviewNavigator(OptionList, can_focus=False):
    """Shows where the review stands; a click posts ``OptionSelected`` for that risk."""

    DEFAULT_CSS = """
    ReviewNavigator {
        width: 25;
        height: 1fr;
        border: none;
        border-right: vkey $foreground 30%;
        padding: 0;
        background: $surface;
        & > .option-list--option-highlighted { text-style: bold; }
        &.-narrow { width: 12; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drafts: list[NavItem] = []

    def show(self, drafts: Sequence[NavItem], current: int) -> None:
        self._drafts = list(drafts)
        narrow = self.has_class("-narrow")
        self.clear_options()
        self.add_options([Option(nav_prompt(d, narrow), id=str(d.risk.id)) for d in drafts])
        if drafts:
            self.highlighted = current

    def set_narrow(self, narrow: bool) -> None:
        """Below 90 columns only the marker and the reference are shown."""
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.show(self._drafts, self.highlighted or 0)

    def update_draft(self, index: int, draft: NavItem) -> None:
        self.replace_option_prompt_at_index(index, nav_prompt(draft, self.has_class("-narrow")))

    def move_to(self, index: int) -> None:
        self.highlighted = index
