"""Brutto mode: the plan's risks one by one, a brutto saved the moment it is complete.

Left the risks with their markers, right the risk, its brutto and the matrix's labels.
Two digit keys (sannolikhet, then konsekvens) make one ``editing.set_brutto`` call with
the version this screen last saw: one transaction and audit entry, and on a fastställd
plan one revision with the motivering asked for when the mode was opened. A risk changed
elsewhere meanwhile gives the conflict dialog, never an overwrite. Saving runs in the UI
thread for the same reason as in the review: a single-row write, in key order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, OptionList, Static

from riskreg.domain.errors import RiskregError
from riskreg.domain.records import PlanSnapshot
from riskreg.domain.text import count_of
from riskreg.services import editing, plans
from riskreg.services.context import Context
from riskreg.tui.model.brutto import BruttoState, build_brutto
from riskreg.tui.screens.base import BaseScreen, attempt, show_error
from riskreg.tui.widgets.brutto_card import BruttoCard
from riskreg.tui.widgets.plain import one_line
from riskreg.tui.widgets.review_nav import ReviewNavigator
from riskreg.tui.widgets.scroll import MouseScroll


class BruttoScreen(BaseScreen[bool]):
    """Dismisses with whether any brutto was saved."""

    HELP = """
## Bruttobedömning

Risk för risk, före åtgärder. Allt sparas direkt.

- **1–4** sannolikhet, sedan konsekvens (**1–5** i en plan med 5×5-matris, **1–3** med
  3×3): sparas, och nästa risk utan bruttorisk visas
- **⌫** ångrar vald sannolikhet
- **↓ ↑** eller **j k** byter risk, **n** nästa utan bruttorisk
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        Binding("1", "digit(1)", "Sätt S/K"),  # shown as the matrix's scale: key_display
        # One line in F1 for all of them (system: left out of the key panel).
        Binding("2", "digit(2)", "Sätt S/K", show=False, system=True),
        Binding("3", "digit(3)", "Sätt S/K", show=False, system=True),
        Binding("4", "digit(4)", "Sätt S/K", show=False, system=True),
        Binding("5", "digit(5)", "Sätt S/K", show=False, system=True),  # a 5×5 plan
        Binding("down,j", "step(1)", "Nästa", key_display="↓/j"),
        Binding("up,k", "step(-1)", "Föregående", key_display="↑/k"),
        Binding("n", "next_missing", "Nästa utan brutto", show=False),
        Binding("backspace", "undo", "Ångra sannolikhet", show=False),
        Binding("ctrl+r", "reload", "Läs in på nytt", show=False),
        Binding("escape", "back", "Tillbaka"),
    ]

    class _Fetched(Message):
        def __init__(self, snapshot: PlanSnapshot) -> None:
            self.snapshot = snapshot
            super().__init__()

    class _Failed(Message):
        def __init__(self, error: RiskregError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, ctx: Context, snapshot: PlanSnapshot, reason: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.state: BruttoState = build_brutto(snapshot, reason)
        self.changed = False

    def key_display(self, binding: Binding) -> str | None:
        return self.state.plan.matrix.keys if binding.action == "digit(1)" else None

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="brutto-title", classes="screen-title")
        yield Static("", id="brutto-progress", classes="counts")
        with Horizontal(id="brutto-body"):
            yield ReviewNavigator(id="brutto-nav")
            with MouseScroll(id="brutto-main"):
                yield BruttoCard(id="brutto-card")
        yield Footer()

    def on_mount(self) -> None:
        # The card has the focus and no keys of its own, so ↑ ↓ reach the screen and F1
        # finds this screen's help.
        self.query_one(BruttoCard).focus()
        self._show_all()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(ReviewNavigator).set_narrow(event.size.width < 90)

    # -- drawing -------------------------------------------------------------------

    def _show_all(self) -> None:
        self.query_one(ReviewNavigator).show(self.state.items, self.state.index)
        self._show_item()
        self._show_progress()

    def _show_progress(self) -> None:
        state = self.state
        plan = state.plan
        title = Text.assemble(
            ("riskreg · Bruttobedömning ", "bold"),
            (str(plan.year), "bold"),
            " · ",
            (state.progress, "bold"),
            f" · {one_line(plan.committee)}",
        )
        self.query_one("#brutto-title", Static).update(title, layout=False)
        line = Text()  # two lines, each cut to fit (app.tcss)
        total = max(1, len(state.items))
        filled = round(20 * state.assessed / total)
        line.append("█" * filled, style="bold green")
        line.append("░" * (20 - filled), style="dim")
        line.append(f"  {state.progress}", style="" if state.missing else "bold green")
        if state.missing:
            line.append(f" · {state.missing} saknas")
        if state.revision:
            line.append("\nFastställd plan, varje bedömning blir en revision: ", style="dim")
            line.append(f"”{one_line(state.reason or '')}”", style="italic")
        elif not state.editable:
            line.append(f"\nPlanen är {plan.status.value} och kan inte ändras.", style="bold")
        self.query_one("#brutto-progress", Static).update(line, layout=False)

    def _show_item(self) -> None:
        state = self.state
        card = self.query_one(BruttoCard)
        item = state.current
        if item is None:
            card.update("Planen har inga risker att bedöma (avslutade risker räknas inte).")
            return
        card.show(
            item,
            matrix=state.plan.matrix,
            year=state.plan.year,
            position=f"{state.index + 1} av {len(state.items)}",
            editable=state.editable,
        )

    def _refresh_current(self) -> None:
        item = self.state.current
        if item is not None:
            self.query_one(ReviewNavigator).update_draft(self.state.index, item)
        self._show_item()

    # -- keys ----------------------------------------------------------------------

    def action_digit(self, value: int) -> None:
        state = self.state
        item = state.current
        if item is None:
            return
        if not state.editable:
            self.app.notify(
                f"Planen för {state.plan.year} är {state.plan.status.value} och kan inte ändras.",
                severity="warning",
            )
            return
        brutto = state.press(value)
        if brutto is None:
            self._refresh_current()
            return
        plan_id, risk_id, version, reason = state.plan.id, item.risk.id, item.version, state.reason
        saved = attempt(
            self,
            lambda: editing.set_brutto(self.ctx, plan_id, risk_id, version, brutto, reason=reason),
            on_reload=self.reload,
        )
        if saved is None:
            item.pending_likelihood = None
            self._refresh_current()
            return
        state.saved(brutto, saved)
        self.changed = True
        self._refresh_current()
        self._show_progress()
        if state.missing == 0:
            self.app.notify(
                f"Alla {count_of(len(state.items), 'risk', 'risker')} har bruttorisk.",
                title="Klart",
            )
        self._go(state.next_index())

    def action_undo(self) -> None:
        item = self.state.current
        if item is not None and item.pending_likelihood is not None:
            item.pending_likelihood = None
            self._refresh_current()

    def _go(self, index: int) -> None:
        state = self.state
        if not state.items:
            return
        before = state.index
        state.go(index)
        navigator = self.query_one(ReviewNavigator)
        navigator.update_draft(before, state.items[before])
        navigator.move_to(state.index)
        self._show_item()
        self.query_one("#brutto-main", MouseScroll).scroll_home(animate=False)

    def action_step(self, delta: int) -> None:
        target = self.state.index + delta
        if 0 <= target < len(self.state.items):
            self._go(target)
        elif target >= len(self.state.items) and self.state.items:
            self.app.notify("Sista risken.")

    def action_next_missing(self) -> None:
        state = self.state
        if state.missing == 0:
            self.app.notify("Alla risker har bruttorisk.")
            return
        self._go(state.next_index())

    @on(OptionList.OptionSelected, "#brutto-nav")
    def _clicked_risk(self, event: OptionList.OptionSelected) -> None:
        self._go(event.option_index)

    def action_back(self) -> None:
        self.dismiss(self.changed)

    # -- reloading -----------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load(self.state.plan.id)

    @work(thread=True, exclusive=True, group="brutto-load")
    def _load(self, plan_id: int) -> None:
        try:
            snapshot = plans.load_plan_by_id(self.ctx, plan_id)
        except RiskregError as exc:
            self.post_message(self._Failed(exc))
            return
        self.post_message(self._Fetched(snapshot))

    @on(_Fetched)
    def _fetched(self, message: _Fetched) -> None:
        current = self.state.current
        self.state = build_brutto(message.snapshot, self.state.reason)
        found = self.state.index_of(current.risk.id) if current is not None else None
        if found is not None:
            self.state.index = found
        self._show_all()
        self.app.notify(f"Planen {self.state.plan.year} är inläst på nytt.")

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        show_error(self.app, message.error)

    # -- command palette -----------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Nästa risk utan bruttorisk", "Hoppa till nästa obedömda", self.action_next_missing
        )
        yield SystemCommand("Läs in på nytt", "Hämta det som nu finns i registret", self.reload)
        yield SystemCommand("Tillbaka till registret", "Lämna bruttobedömningen", self.action_back)
