"""The plan's risk matrix, brutto or netto, with the risks of the highlighted cell."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, Static

from riskreg.domain.errors import RiskregError
from riskreg.domain.records import PlanRisk, PlanSnapshot
from riskreg.domain.scales import PlanStatus
from riskreg.domain.text import count_of
from riskreg.services import plans
from riskreg.services.context import Context
from riskreg.tui.model.brutto import missing_brutto, missing_brutto_text
from riskreg.tui.model.matrix_cells import Cell, Kind, cells, period_label, unplaced
from riskreg.tui.screens import flows
from riskreg.tui.screens.base import BaseScreen, show_error
from riskreg.tui.widgets.chips import level_style
from riskreg.tui.widgets.matrix_grid import MatrixGrid
from riskreg.tui.widgets.plain import one_line


class MatrixScreen(BaseScreen[None]):
    HELP = """
## Riskmatrisen

Planens riskmatris med nivåernas färger. **n** visar netto, **b** brutto (före
åtgärder). **v** väljer vilken period nettot gäller: slutet av en period (den senaste
bedömningen fram till dess) eller årets slut. **Pilarna** flyttar mellan rutor, **Enter**
listar rutans risker och öppnar den du väljer. **B** startar bruttobedömningen av de
risker som saknar bruttorisk. **Esc** tillbaka.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        Binding("escape", "back", "Tillbaka"),
        Binding("n", "kind('netto')", "Netto"),
        Binding("b", "kind('brutto')", "Brutto"),
        Binding("v", "pick_period", "Period"),
        Binding("B", "brutto_mode", "Bruttobedömning"),
    ]

    class _Fetched(Message):
        def __init__(self, snapshot: PlanSnapshot) -> None:
            self.snapshot = snapshot
            super().__init__()

    class _Failed(Message):
        def __init__(self, error: RiskregError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, ctx: Context, snapshot: PlanSnapshot) -> None:
        super().__init__()
        self.ctx = ctx
        self.snapshot = snapshot
        self.kind: Kind = "netto"
        self.period: int | None = None  # netto at the end of this period; None: year end
        self._cells: dict[Cell, list[PlanRisk]] = {}

    def compose(self) -> ComposeResult:
        plan = self.snapshot.plan
        yield Static(
            Text.assemble(
                ("riskreg · Riskmatris ", "bold"), f"{one_line(plan.committee)} {plan.year}"
            ),
            classes="screen-title",
        )
        yield Static("", id="matrix-info", classes="counts")
        yield MatrixGrid(plan.matrix, id="matrix")
        yield Static("", id="matrix-cell")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(MatrixGrid).focus()
        self._fill()

    def _fill(self) -> None:
        self._cells = cells(self.snapshot, self.kind, self.period)
        grid = self.query_one(MatrixGrid)
        grid.show({cell: [r.ref for r in risks] for cell, risks in self._cells.items()})
        info = Text()
        if self.kind == "brutto":
            info.append("Brutto – före åtgärder", style="bold")
        else:
            info.append(f"Netto {period_label(self.snapshot, self.period)}", style="bold")
            info.append(" (v väljer)", style="dim")
        info.append("  ")
        for level in self.snapshot.plan.matrix.levels:
            info.append(f" {one_line(level.name)} ", style=level_style(level))
            info.append(" ")
        placed = sum(len(r) for r in self._cells.values())
        info.append(f"\n{count_of(placed, 'risk', 'risker')} i matrisen")
        missing = unplaced(self.snapshot, self.kind, self.period)
        if missing and self.kind == "netto":
            info.append(f" · {missing} utan nettovärde", style="italic")
        no_brutto = missing_brutto_text(missing_brutto(self.snapshot.risks))
        if no_brutto:
            hint = "" if self.snapshot.plan.status is PlanStatus.CLOSED else " – tryck B"
            info.append(" · ")
            info.append(no_brutto + hint, style="bold")
        self.query_one("#matrix-info", Static).update(info)
        self._describe(grid.cursor)

    def _describe(self, cell: Cell) -> None:
        matrix = self.snapshot.plan.matrix
        likelihood, consequence = cell
        level = matrix.level(likelihood, consequence)
        text = Text()
        text.append(
            f"Sannolikhet {likelihood} {one_line(matrix.likelihood_labels[likelihood - 1])} × "
            f"konsekvens {consequence} {one_line(matrix.consequence_labels[consequence - 1])} = "
            f"{likelihood * consequence} ",
            style="bold",
        )
        text.append(f" {one_line(level.name)} ", style=level_style(level))
        risks = self._cells.get(cell, [])
        if risks:
            text.append(f"\n{count_of(len(risks), 'risk', 'risker')} – Enter listar dem: ")
            text.append(one_line(", ".join(r.ref for r in risks)))
        else:
            text.append("\nInga risker i rutan.", style="dim")
        self.query_one("#matrix-cell", Static).update(text)

    @on(MatrixGrid.Highlighted)
    def _highlighted(self, message: MatrixGrid.Highlighted) -> None:
        self._describe(message.cell)

    @on(MatrixGrid.Selected)
    def _selected(self, message: MatrixGrid.Selected) -> None:
        risks = self._cells.get(message.cell, [])
        if not risks:
            self.app.notify("Inga risker i rutan.", severity="warning")
            return
        from riskreg.tui.screens.detail import RiskDetailScreen
        from riskreg.tui.screens.pick import PickScreen

        s, k = message.cell
        choices = [(r.ref, f"{r.ref} · {r.text}") for r in risks]

        def picked(ref: str | None) -> None:
            if ref is None:
                return
            risk = next(r for r in risks if r.ref == ref)
            self.app.push_screen(RiskDetailScreen(self.ctx, self.snapshot.plan, risk))

        self.app.push_screen(
            PickScreen(f"Risker i rutan {s}×{k} ({self.kind})", choices, searchable=False),
            picked,
        )

    def action_kind(self, kind: str) -> None:
        self.kind = "brutto" if kind == "brutto" else "netto"
        self._fill()

    def action_pick_period(self) -> None:
        from riskreg.tui.screens.pick import PickScreen

        choices: list[tuple[int, str]] = [
            (p.number, f"Netto vid {p.label}") for p in self.snapshot.plan.periods
        ]
        choices.append((0, f"Netto {period_label(self.snapshot, None)}"))

        def picked(number: int | None) -> None:
            if number is not None:
                self.kind, self.period = "netto", number or None
                self._fill()

        self.app.push_screen(
            PickScreen("Vilken period?", choices, current=self.period or 0), picked
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def action_brutto_mode(self) -> None:
        flows.brutto_mode(self, self.ctx, self.snapshot, self._reload)

    def _reload(self) -> None:
        self._load(self.snapshot.plan.id)

    @work(thread=True, exclusive=True, group="matrix-load")
    def _load(self, plan_id: int) -> None:
        try:
            snapshot = plans.load_plan_by_id(self.ctx, plan_id)
        except RiskregError as exc:
            self.post_message(self._Failed(exc))
            return
        self.post_message(self._Fetched(snapshot))

    @on(_Fetched)
    def _fetched(self, message: _Fetched) -> None:
        self.snapshot = message.snapshot
        self._fill()

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        show_error(self.app, message.error)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Visa netto", "Senaste nettobedömningen", lambda: self.action_kind("netto")
        )
        yield SystemCommand(
            "Välj period för nettot", "En periods slut eller årets", self.action_pick_period
        )
        yield SystemCommand("Visa brutto", "Före åtgärder", lambda: self.action_kind("brutto"))
        yield SystemCommand(
            "Bruttobedömning",
            "Planens risker en i taget: sannolikhet och konsekvens före åtgärder",
            self.action_brutto_mode,
        )
        yield SystemCommand("Tillbaka till registret", "", self.action_back)
