"""The plan's revisions: every change to the fastställd plan, when, what, why and who."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from riskreg.domain.records import PlanInfo
from riskreg.tui.model.revisions import revision_lines, revisions_intro
from riskreg.tui.screens.base import FOCUS_BINDINGS, BaseModal
from riskreg.tui.widgets.plain import one_line, paragraph, plain
from riskreg.tui.widgets.scroll import Scroll
from riskreg.tui.widgets.swedish import SvButton


class RevisionsScreen(BaseModal[None]):
    HELP = """
## Planens revisioner

Varje ändring av en fastställd plan: när (svensk tid), vem, vad och varför.
**↑ ↓** rullar, **Esc** eller **Enter** stänger.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape,enter", "cancel", "Stäng"),
    ]

    def __init__(self, plan: PlanInfo) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            yield Static(f"Revisioner av planen {self.plan.year}", classes="dialog-title")
            yield Static(plain(revisions_intro(self.plan)), classes="dialog-body")
            with Scroll(id="revisions"):
                yield Static(self._table(), id="revisions-table")
            with Horizontal(classes="dialog-buttons"):
                yield SvButton("Stäng (Esc)", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#revisions", Scroll).focus()

    def _table(self) -> Table | Text:
        lines = revision_lines(self.plan)
        if not lines:
            return Text("Inga revisioner.", style="dim")
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold", expand=True)
        table.add_column("Tid", no_wrap=True)
        table.add_column("Ändring", ratio=3)
        table.add_column("Motivering", ratio=2)
        table.add_column("Vem", ratio=1, min_width=8, overflow="fold")
        for line in lines:
            # Text, not str: Rich would read a str cell as markup ("[link=…]").
            table.add_row(
                line.at,
                Text(paragraph(line.what)),
                Text(paragraph(line.reason)),
                Text(one_line(line.actor)),
            )
        return table

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
