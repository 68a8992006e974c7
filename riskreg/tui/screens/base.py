"""What every screen of riskreg shares: Swedish key descriptions and calling a service.

Textual's own screens describe tab/shift+tab in English; these bases replace them so the
F1 key panel reads Swedish. ``attempt`` is the one place a service call from the UI
thread turns a ``RiskregError`` into a toast, and a ``ConflictError`` into the conflict
dialog that offers to reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import RadioSet, SelectionList, TextArea

from riskreg.domain.errors import ConflictError, RiskregError

ResultT = TypeVar("ResultT")
T = TypeVar("T")

FOCUS_BINDINGS: list[BindingType] = [
    Binding("tab", "app.focus_next", "Nästa fält", show=False),
    Binding("shift+tab", "app.focus_previous", "Föregående fält", show=False),
]


def show_error(app: App[object], error: RiskregError) -> None:
    title = "Konflikt" if isinstance(error, ConflictError) else "Det gick inte"
    app.notify(str(error), title=title, severity="error", timeout=8)


def attempt(
    screen: Screen[Any],
    call: Callable[[], T],
    *,
    on_reload: Callable[[], None] | None = None,
    on_conflict: Callable[[ConflictError], None] | None = None,
) -> T | None:
    """Run a service call; ``None`` (and the user told why) when it failed. A conflict
    goes to ``on_conflict`` when given (a dialog that keeps what the user typed), else
    to the dialog that offers to reload."""
    try:
        return call()
    except ConflictError as exc:
        if on_conflict is not None:
            on_conflict(exc)
        elif on_reload is None:
            show_error(screen.app, exc)
        else:
            from riskreg.tui.screens.dialogs import ConflictScreen

            def done(reload: bool | None) -> None:
                if reload:
                    on_reload()

            screen.app.push_screen(ConflictScreen(str(exc)), done)
        return None
    except RiskregError as exc:
        show_error(screen.app, exc)
        return None


class BaseScreen(Screen[ResultT], inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = list(FOCUS_BINDINGS)

    _stale = False

    def key_display(self, binding: Binding) -> str | None:
        """How this screen shows ``binding``'s keys when that depends on its data (the
        scale keys follow the plan's matrix); ``None`` leaves it to the app."""
        return None

    def refresh_for_changes(self) -> None:
        """Someone else changed the register: read it again now if this screen is shown,
        else when it is shown again (never under an open dialog, whose answer is saved
        against what the dialog was opened on)."""
        if self.is_current:
            self.reload_for_changes()
        else:
            self._stale = True

    def reload_for_changes(self) -> None:
        """Read what this screen shows again, quietly (the app names the change)."""

    @on(events.ScreenResume)
    def _resumed_stale(self) -> None:
        if self._stale:
            self._stale = False
            self.reload_for_changes()


_ENTRY_WIDGETS = "Input, Select, TextArea, SelectionList, RadioSet, Checkbox"


def _entered(widget: Widget) -> object:
    """What a field holds, to tell whether the user changed something in a dialog."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, RadioSet):
        return widget.pressed_index
    if isinstance(widget, SelectionList):
        return tuple(widget.selected)
    return getattr(widget, "value", None)


class BaseModal(ModalScreen[ResultT], inherit_bindings=False):
    """A dialog: ``escape`` leaves it without a result, after asking when something typed
    or chosen in it would be lost. Its inputs and buttons use Textual's compact style, so
    a whole form fits a 80×24 terminal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape", "cancel", "Avbryt"),
    ]

    @on(events.Mount)
    def _compact(self) -> None:
        for widget in self.query("Input, Select, TextArea, Button, SelectionList, RadioSet"):
            if hasattr(widget, "compact"):
                widget.compact = True
        self._initial = self.entered()

    def entered(self) -> tuple[object, ...]:
        return tuple(_entered(widget) for widget in self.query(_ENTRY_WIDGETS))

    @property
    def changed(self) -> bool:
        """Something was typed or chosen since the dialog opened."""
        return self.entered() != getattr(self, "_initial", ())

    def action_cancel(self) -> None:
        """Leave without a result; a changed dialog first asks (nothing typed is lost
        by a stray Esc)."""
        if not self.changed:
            self.dismiss(None)
            return
        ask_to_discard(
            self.app,
            lambda: self.dismiss(None),
            title="Kasta det du skrivit?",
            message="Det du har skrivit eller valt i dialogen är inte sparat och försvinner.",
            confirm="Kasta",
        )


def ask_to_discard(
    app: App[object], discard: Callable[[], object], *, title: str, message: str, confirm: str
) -> None:
    """Before unsaved input is dropped: a question whose focus starts on "Fortsätt skriva"
    (a stray Enter or Esc keeps the text); ``discard`` runs only on a yes."""
    from riskreg.tui.screens.dialogs import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            discard()

    app.push_screen(
        ConfirmScreen(title, message, confirm=confirm, cancel="Fortsätt skriva", danger=True),
        answered,
    )
