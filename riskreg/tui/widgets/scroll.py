"""A vertical scroll container whose keys are described in Swedish (F1 lists them)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll


class Scroll(VerticalScroll, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Rulla upp", show=False),
        Binding("down", "scroll_down", "Rulla ned", show=False),
        Binding("home", "scroll_home", "Till början", show=False),
        Binding("end", "scroll_end", "Till slutet", show=False),
        Binding("pageup", "page_up", "Sida upp", show=False),
        Binding("pagedown", "page_down", "Sida ned", show=False),
    ]


class MouseScroll(VerticalScroll, inherit_bindings=False, can_focus=False):
    """Scrolls with the mouse wheel only, for a screen whose ↑ ↓ mean something else
    (brutto mode steps between risks); F1 then lists none of its keys."""
