"""Ask where an exported file goes: the default name in the current folder, or a path."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from riskreg.domain.errors import InvalidInput
from riskreg.report.output import export_target
from riskreg.tui.screens.base import FOCUS_BINDINGS, BaseModal
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput, plain
from riskreg.tui.widgets.swedish import SvButton


class ExportPathScreen(BaseModal[Path]):
    """Dismisses with the file to write; Enter accepts the suggested name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape", "cancel", "Avbryt"),
        Binding("ctrl+s", "write", "Skriv"),
    ]

    def __init__(self, title: str, default_name: str, folder: Path, *, warning: str = "") -> None:
        super().__init__()
        self._title = title
        self._default_name = default_name
        self._folder = folder
        self._warning = warning

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self._title), classes="dialog-title")
            yield Static(
                plain(
                    f"En relativ sökväg räknas från {self._folder}. En mapp får filnamnet "
                    "nedan. En befintlig fil ersätts först när den nya är helt skriven."
                ),
                classes="dialog-body",
            )
            if self._warning:
                yield Static(plain(self._warning), classes="dialog-body -warning")
            yield FormField(
                "Fil", PlainInput(self._default_name, id="path", select_on_focus=False), key="path"
            )
            with Horizontal(classes="dialog-buttons"):
                yield SvButton("Skriv PDF (Enter)", id="write", variant="primary")
                yield SvButton("Avbryt (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", PlainInput).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#write")
    def action_write(self) -> None:
        try:
            target = export_target(
                self.query_one("#path", PlainInput).result, self._folder, self._default_name
            )
        except InvalidInput as problem:
            self.query_one(FormField).set_error(str(problem))
            return
        self.dismiss(target)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()
