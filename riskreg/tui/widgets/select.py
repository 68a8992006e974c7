"""A Select whose key is described in Swedish, so the F1 key panel reads Swedish."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.widgets import Select

T = TypeVar("T")


class SwedishSelect(Select[T], inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,down,space,up", "show_overlay", "Öppna listan", show=False),
    ]
