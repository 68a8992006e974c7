"""Responsible roles: list, add, rename, remove. Roles are assigned in the åtgärd form."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from riskreg.domain.errors import RiskregError
from riskreg.domain.text import count_of
from riskreg.services import editing
from riskreg.services.context import Context
from riskreg.services.editing import RoleInfo
from riskreg.tui.model.forms import FormErrors, required
from riskreg.tui.screens.base import BaseScreen, attempt, show_error
from riskreg.tui.screens.dialogs import ConfirmScreen
from riskreg.tui.screens.form import FormScreen
from riskreg.tui.screens.pick import SwedishOptionList
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput, one_line


@dataclass(frozen=True)
class RoleInput:
    name: str
    description: str


class RoleFormScreen(FormScreen[RoleInput, int]):
    def __init__(self, ctx: Context, role: RoleInfo | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.role = role
        self.title_text = f"Redigera rollen {role.name}" if role else "Ny roll"

    def fields(self) -> Iterable[Widget]:
        yield FormField(
            "Namn", PlainInput(self.role.name if self.role else "", id="name"), key="name"
        )
        yield FormField(
            "Beskrivning (frivilligt)",
            PlainInput(self.role.description if self.role else "", id="description"),
            key="description",
        )

    def collect(self) -> tuple[RoleInput | None, FormErrors]:
        errors = FormErrors()
        name = required(
            self.query_one("#name", PlainInput).result, errors, "name", "Rollen behöver ett namn."
        )
        if errors:
            return None, errors
        description = self.query_one("#description", PlainInput).result.strip()
        return RoleInput(name, description), errors

    def submit(self, value: RoleInput) -> int:
        return editing.save_role(
            self.ctx,
            self.role.id if self.role else None,
            value.name,
            value.description,
            expected_version=self.role.version if self.role else None,
        )


class RolesScreen(BaseScreen[None]):
    HELP = """
## Roller

De roller som kan ansvara för åtgärder. **a** ny roll, **e** eller **Enter** redigera,
**x** ta bort (bara en roll utan åtgärder). Roller kopplas till åtgärder i åtgärdsformuläret.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        Binding("escape", "back", "Tillbaka"),
        Binding("a", "add", "Ny roll"),
        Binding("e", "edit", "Redigera"),
        Binding("x,delete", "delete", "Ta bort"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.roles: list[RoleInfo] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("riskreg · Roller", style="bold"), classes="screen-title")
        yield Static("", id="roles-info", classes="counts")
        yield SwedishOptionList(id="roles")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load()

    def _load(self) -> None:
        try:
            self.roles = editing.list_roles(self.ctx)
        except RiskregError as exc:
            show_error(self.app, exc)
            return
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for role in self.roles:
            prompt = Text()
            prompt.append(one_line(role.name), style="bold")
            prompt.append(
                f"  {count_of(role.measures, 'åtgärd', 'åtgärder')}",
                style="dim" if not role.measures else "",
            )
            if role.description:
                prompt.append(f"\n  {one_line(role.description)}", style="italic")
            options.add_option(Option(prompt, id=str(role.id)))
        if self.roles:
            options.highlighted = min(highlighted or 0, len(self.roles) - 1)
        self.query_one("#roles-info", Static).update(
            f"{len(self.roles)} roller · a ny roll · e redigera · x ta bort"
        )

    def _current(self) -> RoleInfo | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.roles:
            self.app.notify("Ingen roll är markerad.", severity="warning")
            return None
        return self.roles[index]

    def _saved(self, what: str) -> Callable[[int | None], None]:
        def done(role_id: int | None) -> None:
            if role_id is not None:
                self.app.notify(what, title="Sparat")
                self._load()

        return done

    def action_add(self) -> None:
        self.app.push_screen(RoleFormScreen(self.ctx), self._saved("Rollen är tillagd."))

    def action_edit(self) -> None:
        role = self._current()
        if role is not None:
            self.app.push_screen(RoleFormScreen(self.ctx, role), self._saved("Rollen är sparad."))

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_edit()

    def action_delete(self) -> None:
        role = self._current()
        if role is None:
            return
        if role.measures:
            self.app.notify(
                f"Rollen ”{role.name}” ansvarar för "
                f"{count_of(role.measures, 'åtgärd', 'åtgärder')}; ta bort den från dem först.",
                severity="error",
            )
            return

        def confirmed(yes: bool | None) -> None:
            if yes and attempt(self, lambda: _delete(self.ctx, role.id)):
                self.app.notify(f"Rollen ”{role.name}” är borttagen.", title="Sparat")
                self._load()

        self.app.push_screen(
            ConfirmScreen(
                f"Ta bort rollen ”{role.name}”?",
                "Rollen ansvarar inte för någon åtgärd. Borttagningen loggas.",
                confirm="Ta bort",
                danger=True,
            ),
            confirmed,
        )

    def action_back(self) -> None:
        self.dismiss(None)


def _delete(ctx: Context, role_id: int) -> bool:
    editing.delete_role(ctx, role_id)
    return True
