"""One risk in full: its text, brutto and netto per quarter across years, its åtgärder with
roles and status history, avvikelser, and the audit history. Editing starts here too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.message import Message
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from riskreg.domain.clock import local_stamp
from riskreg.domain.errors import RiskregError
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import PlanInfo, PlanRisk, RiskHistory
from riskreg.domain.register import matrices_note
from riskreg.domain.scales import REQUIREMENT_TEXT, RiskStatus
from riskreg.services import plans
from riskreg.services.context import Context
from riskreg.tui.model.history import (
    audit_lines,
    deviations,
    netto_values,
    period_grid,
    status_history,
)
from riskreg.tui.screens import flows
from riskreg.tui.screens.base import BaseScreen, show_error
from riskreg.tui.screens.pick import SwedishOptionList
from riskreg.tui.widgets.chips import assessment_chip, sparkline
from riskreg.tui.widgets.plain import one_line, paragraph
from riskreg.tui.widgets.scroll import Scroll


class MeasureOptions(SwedishOptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Redigera åtgärd"),
    ]

    HELP = """
## Åtgärder

**↑ ↓** väljer åtgärd, **Enter** redigerar den (text, typ, frekvens, datum, roller).
**t** lägger till en ny åtgärd för risken, **Delete** tar bort den markerade ur ett utkast.
"""


class RiskDetailScreen(BaseScreen[bool]):
    HELP = """
## Risken i detalj

Risktexten, brutto och netto per period och år, åtgärderna med ansvariga roller och
statushistorik, avvikelser och loggen över alla ändringar.

- **e** redigera risken, **t** ny åtgärd, **Enter** på en åtgärd redigerar den,
  **Delete** tar bort åtgärden ur ett utkast (i en fastställd plan: ange att den utgår)
- **A** acceptera risken (vem, varför, till när), **x** avsluta eller återaktivera
- **Esc** tillbaka
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        Binding("escape", "back", "Tillbaka"),
        Binding("e", "edit", "Redigera risk"),
        Binding("t", "add_measure", "Ny åtgärd"),
        Binding("A", "accept", "Acceptera"),
        Binding("x", "close", "Avsluta/återaktivera"),
        Binding("delete", "delete_measure", "Ta bort åtgärd", show=False),
        Binding("ctrl+r", "reload", "Läs in på nytt", show=False),
    ]

    class _Fetched(Message):
        def __init__(self, risk: PlanRisk, history: RiskHistory | None) -> None:
            self.risk = risk
            self.history = history
            super().__init__()

    class _Failed(Message):
        def __init__(self, error: RiskregError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, ctx: Context, plan: PlanInfo, risk: PlanRisk) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan = plan
        self.risk = risk
        self.history: RiskHistory | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", classes="screen-title")
        with Scroll(id="detail-body"):
            yield Static("", id="detail-text")
            yield Static(
                f"Brutto och netto per {self.plan.period_kind.value}", classes="section-title"
            )
            yield Static("", id="detail-trend")
            yield Static("Åtgärder", classes="section-title")
            yield MeasureOptions(id="detail-measures")
            yield Static("Avvikelser", classes="section-title")
            yield Static("", id="detail-deviations")
            yield Static("Historik", classes="section-title")
            yield Static("Läser in historiken …", id="detail-audit")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one(MeasureOptions).focus(scroll_visible=False)
        self.load()

    # -- loading -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="detail-load")
    def load(self) -> None:
        try:
            history = plans.risk_history(
                self.ctx, self.risk.ref, self.plan.committee, self.plan.year
            )
        except RiskregError as exc:
            self.post_message(self._Failed(exc))
            return
        self.post_message(self._Fetched(history.current, history))

    @on(_Fetched)
    def _fetched(self, message: _Fetched) -> None:
        self.risk = message.risk
        self.history = message.history
        self._show()

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        show_error(self.app, message.error)

    def _changed(self) -> None:
        self.changed = True
        self.load()

    # -- drawing -------------------------------------------------------------------

    def _show(self) -> None:
        risk, plan = self.risk, self.plan
        title = Text.assemble(
            (one_line(risk.ref), "bold"),
            f" · {one_line(risk.area)} · {risk.status.value} · plan {plan.year}",
        )
        self.query_one("#detail-title", Static).update(title)
        self.query_one("#detail-text", Static).update(self._text())
        self.query_one("#detail-trend", Static).update(self._trend(plan.matrix))
        self._show_measures()
        self.query_one("#detail-deviations", Static).update(self._deviations())
        if self.history is not None:
            self.query_one("#detail-audit", Static).update(self._audit())

    def _text(self) -> Text:
        risk = self.risk
        text = Text(paragraph(risk.text) + "\n", style="bold")
        facts = []
        if risk.region_wide:
            facts.append("Regionövergripande")
        if risk.requirement:
            facts.append(f"Krav {risk.requirement.value}: {REQUIREMENT_TEXT[risk.requirement]}")
        if risk.source:
            facts.append(f"Källa: {one_line(risk.source)}")
        if facts:
            text.append(" · ".join(facts) + "\n", style="dim")
        if risk.status is RiskStatus.ACCEPTED and risk.acceptance:
            acc = risk.acceptance
            until = acc.until.isoformat() if acc.until else "tills vidare"
            text.append("Accepterad ", style="bold")
            text.append(f"av {one_line(acc.by)}, till och med {until}: {paragraph(acc.reason)}\n")
            note = acc.expired_note(self.ctx.clock().date())
            if note:
                text.append(note + "\n", style="bold red")
        if self.history is not None and len(self.history.years) > 1:
            text.append("Finns i planerna ", style="dim")
            text.append(", ".join(str(y.year) for y in self.history.years), style="dim")
        return text

    def _trend(self, matrix: RiskMatrix) -> Group | Text:
        grid = period_grid(
            self.risk, self.history.years if self.history else (), self.plan.period_kind
        )
        rows = grid.rows
        if not rows:
            return Text("Inga bedömningar ännu.", style="dim")
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("År")
        table.add_column("Brutto", justify="center")
        for heading in grid.headings:
            table.add_column(heading, justify="center")
        for row in rows:
            table.add_row(
                str(row.year),
                assessment_chip(matrix, row.brutto),
                *[assessment_chip(matrix, value) for value in row.netto],
            )
        values = netto_values(self.risk)
        spark = Text("Trend netto: ", style="bold")
        if values:
            spark.append_text(sparkline(values))
            spark.append(f"  ({' → '.join(str(v) for v in values[-6:])})", style="dim")
        else:
            spark.append("inga nettobedömningar ännu", style="dim")
        note = matrices_note(matrix, self.risk.reviews)
        return Group(table, spark, Text(note, style="dim")) if note else Group(table, spark)

    def _show_measures(self) -> None:
        options = self.query_one(MeasureOptions)
        highlighted = options.highlighted
        options.clear_options()
        if not self.risk.measures:
            options.add_option(Option(Text("Inga åtgärder. Tryck t för att lägga till.")))
            return
        for number, measure in enumerate(self.risk.measures, start=1):
            prompt = Text()
            prompt.append(f"{number}. ", style="bold")
            prompt.append(paragraph(measure.text))
            kind = measure.kind.value
            if measure.frequency:
                kind += f", {measure.frequency.value}"
            if measure.due_date:
                kind += f", klar senast {measure.due_date.isoformat()}"
            prompt.append(f"\n   {kind}", style="dim")
            prompt.append("\n   Ansvar: ", style="bold")
            prompt.append(one_line(", ".join(measure.roles)) or "ingen roll angiven")
            history = status_history(measure)
            prompt.append("\n   Status: ", style="bold")
            prompt.append(history or "ingen uppföljning ännu", style="" if history else "dim")
            options.add_option(Option(prompt, id=str(measure.id)))
        if highlighted is not None and highlighted < len(self.risk.measures):
            options.highlighted = highlighted

    def _deviations(self) -> Text:
        found = deviations(self.risk)
        if not found:
            return Text("Inga avvikelser.", style="dim")
        text = Text()
        for line in found:
            severity = line.severity.value if line.severity else "–"
            text.append(f"{line.period.label} ", style="bold")
            text.append(f"({severity}) ", style="bold red")
            text.append(paragraph(line.text))
            text.append(f" – {one_line(line.measure)} ({one_line(line.by)})\n", style="dim")
        return text

    def _audit(self) -> Table | Text:
        assert self.history is not None
        lines = audit_lines(self.history)
        if not lines:
            return Text("Inga ändringar loggade.", style="dim")
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("Tid", no_wrap=True)
        table.add_column("Vem")
        table.add_column("Händelse")
        table.add_column("Ändring", ratio=1)
        for line in lines:
            # Text, not str: Rich would read a str cell as markup ("[link=…]").
            table.add_row(
                local_stamp(line.at),
                Text(one_line(line.actor)),
                Text(
                    one_line(
                        f"{line.action} ({line.ref})" + (f", {line.about}" if line.about else "")
                    )
                ),
                Text(one_line(line.change)),
            )
        return table

    # -- actions -------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_reload(self) -> None:
        self.load()

    def action_edit(self) -> None:
        flows.edit_risk(self, self.ctx, self.plan, self.risk, self._changed)

    def action_add_measure(self) -> None:
        flows.add_measure(self, self.ctx, self.plan, self.risk, self._changed)

    def action_accept(self) -> None:
        flows.accept_risk(self, self.ctx, self.plan, self.risk, self._changed)

    def action_close(self) -> None:
        flows.close_or_reactivate(self, self.ctx, self.plan, self.risk, self._changed)

    def action_delete_measure(self) -> None:
        index = self.query_one(MeasureOptions).highlighted
        if not self.risk.measures:
            self.app.notify(f"{self.risk.ref} har ingen åtgärd att ta bort.", severity="warning")
            return
        if index is None or index >= len(self.risk.measures):
            self.app.notify("Välj åtgärden med ↑ ↓ först.", severity="warning")
            return
        measure = self.risk.measures[index]
        flows.delete_measure(self, self.ctx, self.plan, self.risk, measure, self._changed)

    @on(OptionList.OptionSelected, "#detail-measures")
    def _edit_measure(self, event: OptionList.OptionSelected) -> None:
        if not self.risk.measures:
            self.action_add_measure()
            return
        measure = self.risk.measures[event.option_index]
        flows.edit_measure(self, self.ctx, self.plan, self.risk, measure, self._changed)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Redigera risken", "Text, verksamhet, krav, brutto", self.action_edit)
        yield SystemCommand(
            # The palette reads its help as markup.
            "Ny åtgärd",
            f"Lägg till en åtgärd för {escape(one_line(self.risk.ref))}",
            self.action_add_measure,
        )
        yield SystemCommand(
            "Ta bort åtgärden ur utkastet",
            "Den markerade åtgärden, bara i ett utkast",
            self.action_delete_measure,
        )
        yield SystemCommand(
            "Acceptera risken", "Vem beslutade, varför, till när", self.action_accept
        )
        yield SystemCommand(
            "Avsluta eller återaktivera risken", "Kräver en motivering", self.action_close
        )
        yield SystemCommand("Tillbaka till registret", "", self.action_back)
