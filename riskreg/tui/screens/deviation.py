"""Record an avvikelse on an åtgärd in the period: what happened and how serious it was."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, RadioSet, Static

from riskreg.domain.scales import Severity
from riskreg.tui.screens.base import FOCUS_BINDINGS, BaseModal
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput, plain
from riskreg.tui.widgets.swedish import SvButton, SvRadioButton, SvRadioSet


@dataclass(frozen=True)
class DeviationInput:
    text: str | None  # None with severity None: remove the avvikelse
    severity: Severity | None


class DeviationScreen(BaseModal[DeviationInput]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape", "cancel", "Avbryt"),
        Binding("ctrl+s", "save", "Spara"),
    ]

    def __init__(
        self,
        measure_text: str,
        text: str | None = None,
        severity: Severity | None = None,
        *,
        theirs: str | None = None,
    ) -> None:
        super().__init__()
        self._measure_text = measure_text
        self._text = text or ""
        self._severity = severity
        self._theirs = theirs  # what someone else saved meanwhile (a conflict)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Avvikelse", classes="dialog-title")
            yield Static(plain(self._measure_text), classes="dialog-body")
            if self._theirs is not None:
                yield Static(
                    plain(
                        f"Sparat av någon annan under tiden: {self._theirs or '(ingen avvikelse)'}"
                        "\nDitt är kvar nedan: spara igen, eller Esc för att kasta det."
                    ),
                    classes="dialog-body -theirs",
                )
            yield FormField("Vad avvek?", PlainInput(self._text, id="deviation-text"), key="text")
            yield FormField(
                "Allvarlighetsgrad",
                SvRadioSet(
                    *[
                        SvRadioButton(s.value.capitalize(), s is self._severity, id=f"sev-{i}")
                        for i, s in enumerate(Severity)
                    ],
                    id="severity",
                ),
                key="severity",
            )
            with Horizontal(classes="dialog-buttons"):
                if self._text:
                    yield SvButton("Ta bort avvikelsen", id="remove", variant="error")
                yield SvButton("Spara (Ctrl+S)", id="save", variant="primary")
                yield SvButton("Avbryt (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#deviation-text", PlainInput).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = " ".join(self.query_one("#deviation-text", PlainInput).result.split())
        index = self.query_one(RadioSet).pressed_index
        severity = list(Severity)[index] if index >= 0 else None
        fields = {f.key: f for f in self.query(FormField)}
        fields["text"].set_error(None if text else "Beskriv avvikelsen.")
        fields["severity"].set_error(None if severity else "Välj hur allvarlig avvikelsen var.")
        if not text:
            self.query_one("#deviation-text", PlainInput).focus()
            return
        if severity is None:
            self.query_one(RadioSet).focus()
            return
        self.dismiss(DeviationInput(text, severity))

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        self.dismiss(DeviationInput(None, None))

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()
