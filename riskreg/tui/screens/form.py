"""The frame every edit form shares: fields with their own errors, Spara/Avbryt, conflicts.

A form checks its fields first and shows each problem next to its field; only a clean
form calls the service. A service error keeps the form open with the message at the
bottom (nothing was saved, nothing typed is lost). A conflict offers to reload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Static

from riskreg.domain.errors import ConflictError, RiskregError
from riskreg.domain.records import PlanInfo
from riskreg.domain.scales import PlanStatus
from riskreg.tui.model.forms import FormErrors
from riskreg.tui.screens.base import FOCUS_BINDINGS, BaseModal, ask_to_discard
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput, plain
from riskreg.tui.widgets.scroll import Scroll
from riskreg.tui.widgets.swedish import SvButton

V = TypeVar("V")  # what the fields parse into
R = TypeVar("R")  # what saving returns


class FormScreen(BaseModal[R], Generic[V, R]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape", "cancel", "Avbryt"),
        Binding("ctrl+s", "save", "Spara"),
    ]

    title_text = ""
    save_label = "Spara"

    def __init__(self, *, on_reload: Callable[[], None] | None = None) -> None:
        super().__init__()
        self._on_reload = on_reload

    # -- to implement --------------------------------------------------------------

    def fields(self) -> Iterable[Widget]:
        raise NotImplementedError

    def collect(self) -> tuple[V | None, FormErrors]:
        raise NotImplementedError

    def submit(self, value: V) -> R:
        """Call the service; raise ``RiskregError`` to keep the form open."""
        raise NotImplementedError

    def intro(self) -> str:
        return ""

    # -- revisions of a fastställd plan ----------------------------------------------

    def revision_field(self, plan: PlanInfo) -> Iterable[Widget]:
        """A change to a fastställd plan is a revision with a reason (none for a draft)."""
        if plan.status is PlanStatus.ADOPTED:
            yield FormField(
                "Motivering till revisionen",
                PlainInput(id="revision"),
                key="revision",
                hint=f"Planen för {plan.year} är fastställd: ändringen sparas som en "
                "revision och visas i ISK-rapporten.",
            )

    def revision_reason(self, plan: PlanInfo, errors: FormErrors) -> str | None:
        if plan.status is not PlanStatus.ADOPTED:
            return None
        reason = self.query_one("#revision", PlainInput).result.strip()
        if not reason:
            errors.add("revision", "Ange varför den fastställda planen ändras.")
        return reason

    # -- frame ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -form"):
            yield Static(plain(self.title_text), classes="dialog-title")
            with Scroll(classes="form-body"):
                if self.intro():
                    yield Static(plain(self.intro()), classes="dialog-body")
                yield from self.fields()
            yield Static("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield SvButton(f"{self.save_label} (Ctrl+S)", id="save", variant="primary")
                yield SvButton("Avbryt (Esc)", id="cancel")

    def on_mount(self) -> None:
        first = next(iter(self.query(FormField)), None)
        if first is not None:
            focusable = [w for w in first.query("*") if w.can_focus]
            if focusable:
                focusable[0].focus()

    def show_errors(self, errors: FormErrors) -> None:
        first: FormField | None = None
        for field in self.query(FormField):
            message = errors.fields.get(field.key)
            field.set_error(message)
            if message and first is None:
                first = field
        if first is not None:
            first.scroll_visible()
            focusable = [w for w in first.query("*") if w.can_focus]
            if focusable:
                focusable[0].focus()
        self.query_one("#form-error", Static).update(
            "Rätta det som är markerat; inget har sparats." if errors else ""
        )

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        value, errors = self.collect()
        self.show_errors(errors)
        if errors or value is None:
            return
        try:
            result = self.submit(value)
        except ConflictError as exc:
            self._conflict(exc)
            return
        except RiskregError as exc:
            self.query_one("#form-error", Static).update(plain(f"{exc} Inget har sparats."))
            return
        self.dismiss(result)

    def _conflict(self, exc: ConflictError) -> None:
        from riskreg.tui.screens.dialogs import ConflictScreen

        def reload_now() -> None:
            self.dismiss(None)
            if self._on_reload is not None:
                self._on_reload()

        def done(reload: bool | None) -> None:
            if not reload:
                return  # the form stays open with everything typed in it
            if not self.changed:
                reload_now()
                return
            ask_to_discard(
                self.app,
                reload_now,
                title="Kasta det du skrivit och läsa in på nytt?",
                message="Formuläret stängs och det du har ändrat i det sparas inte. Välj "
                "Fortsätt skriva för att ha kvar det (till exempel för att kopiera det).",
                confirm="Kasta och läs in",
            )

        self.query_one("#form-error", Static).update(plain(f"{exc} Inget har sparats."))
        self.app.push_screen(ConflictScreen(str(exc)), done)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()
