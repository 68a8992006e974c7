"""Review mode: a period's risks one by one, every key saved the moment it is pressed.

Left the plan's risks with their markers, right the risk under review and its åtgärder.
Each answer is one service call (its own transaction and audit entry) carrying the
version this screen last saw, so closing the terminal loses nothing and a change made
elsewhere in the meantime is reported instead of overwritten.

Saving runs in the UI thread on purpose: a review answer is a single-row write of a few
milliseconds, and saving in key order keeps each answer's expected version exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, OptionList, Static

from riskreg.domain.errors import ConflictError, RiskregError
from riskreg.domain.records import PlanSnapshot
from riskreg.domain.scales import ControlResult, MeasureStatus, PlanStatus, Severity
from riskreg.services import plans, reviews
from riskreg.services.context import Context
from riskreg.tui.model.review import (
    STATUS_KEYS,
    MeasureDraft,
    ReviewState,
    RiskDraft,
    build_review,
)
from riskreg.tui.screens import review_notes, review_period
from riskreg.tui.screens.base import BaseScreen, attempt, show_error
from riskreg.tui.widgets.measure_list import MeasureList
from riskreg.tui.widgets.plain import one_line
from riskreg.tui.widgets.review_nav import ReviewNavigator
from riskreg.tui.widgets.risk_card import RiskCard
from riskreg.tui.widgets.scroll import Scroll


class ReviewScreen(BaseScreen[None]):
    HELP = """
## Uppföljning

Gå igenom planens risker en i taget. Allt sparas direkt när du trycker.

- **1–4** sätter sannolikhet och sedan konsekvens (**s**/**k** väljer vilken); **1–5** i
  en plan med 5×5-matris, **1–3** med 3×3.
- **j p g e u** sätter status på markerad åtgärd: ej påbörjad, pågående, genomförd,
  ej genomförd, utgår. Markeringen står kvar; **↑ ↓** väljer åtgärd.
- **Enter** bekräftar överförda värden (↻) och går till nästa risk;
  **mellanslag** bekräftar utan att gå vidare. ↻ betyder ett värde som förts över
  från förra perioden och ännu inte bekräftats.
- **n/→** nästa risk, **b/←** föregående.
- **c** kommentar till risken, **C** kommenterar åtgärden (flera rader, Ctrl+S sparar),
  **a** avvikelse, **r** kontrollresultat.
- **f** låser perioden: dialogen börjar på Avbryt, och bara Enter på ”Lås perioden”
  låser. **o** öppnar en låst period igen (med motivering), **v** väljer period.
- Förra periodens bedömning, kommentar, status och avvikelser visas bredvid.
- Ändringar som andra gör syns inom några sekunder. **Esc** tillbaka till registret.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        Binding("1", "digit(1)", "Sätt S/K"),  # shown as the matrix's scale: key_display
        # One line in F1 for all four (system: left out of the key panel).
        Binding("2", "digit(2)", "Sätt S/K", show=False, system=True),
        Binding("3", "digit(3)", "Sätt S/K", show=False, system=True),
        Binding("4", "digit(4)", "Sätt S/K", show=False, system=True),
        Binding("5", "digit(5)", "Sätt S/K", show=False, system=True),  # a 5×5 plan
        Binding("s", "field('S')", "Sannolikhet", show=False),
        Binding("k", "field('K')", "Konsekvens", show=False),
        *[
            Binding(key, f"status('{key}')", f"Status: {status.value}", show=False)
            for key, status in STATUS_KEYS.items()
        ],
        Binding("enter", "confirm(True)", "Bekräfta, nästa"),
        Binding("space", "confirm(False)", "Bekräfta", show=False),
        # Priority: the scrolling container around the åtgärder would take ← → first.
        Binding("n,right", "step(1)", "Nästa", priority=True),
        Binding("b,left", "step(-1)", "Föreg.", show=False, priority=True),
        Binding("c", "comment", "Kommentar"),
        Binding("C", "measure_comment", "Kommentar åtgärd", show=False),
        Binding("a", "deviation", "Avvikelse"),
        Binding("r", "result", "Kontrollresultat", show=False),
        Binding("f", "lock", "Lås period"),
        Binding("o", "reopen", "Öppna igen", show=False),
        Binding("v", "pick_period", "Period", show=False),
        Binding("ctrl+r", "reload", "Läs in på nytt", show=False),
        Binding("escape", "back", "Tillbaka"),
    ]

    class _Fetched(Message):
        def __init__(self, snapshot: PlanSnapshot, number: int, quiet: bool) -> None:
            self.snapshot = snapshot
            self.number = number
            self.quiet = quiet
            super().__init__()

    class _Failed(Message):
        def __init__(self, error: RiskregError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, ctx: Context, snapshot: PlanSnapshot, number: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.state: ReviewState = build_review(snapshot, number)
        self.index = self._first_open()
        self.field = "S"

    def key_display(self, binding: Binding) -> str | None:
        return self.state.plan.matrix.keys if binding.action == "digit(1)" else None

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title", classes="screen-title")
        yield Static("", id="review-progress", classes="counts")
        with Horizontal(id="review-body"):
            yield ReviewNavigator(id="review-nav")
            with Scroll(id="review-main"):
                yield RiskCard(id="risk-card")
                yield MeasureList(id="measures")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(MeasureList).focus()
        self._show_all()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(ReviewNavigator).set_narrow(event.size.width < 90)

    @property
    def draft(self) -> RiskDraft | None:
        risks = self.state.risks
        return risks[self.index] if 0 <= self.index < len(risks) else None

    def _first_open(self) -> int:
        """Resume where the review stopped: the first risk without a saved netto."""
        return next((i for i, r in enumerate(self.state.risks) if not r.assessed), 0)

    # -- drawing -------------------------------------------------------------------

    def _show_all(self) -> None:
        self.query_one(ReviewNavigator).show(self.state.risks, self.index)
        self._show_risk(reset_cursor=True)
        self._show_progress()

    def _show_progress(self) -> None:
        state = self.state
        title = Text.assemble(
            ("riskreg · Uppföljning ", "bold"),
            (state.ref.label, "bold"),
            " · ",
            (state.progress, "bold"),
            f" · {one_line(state.plan.committee)}",
        )
        self.query_one("#review-title", Static).update(title, layout=False)
        line = Text()
        total = max(1, len(state.risks))
        filled = round(20 * state.assessed / total)
        line.append("█" * filled, style="bold green")
        line.append("░" * (20 - filled), style="dim")
        line.append(f"  Risker {state.assessed}/{len(state.risks)}")
        line.append(f" · åtgärder {state.measures_assessed}/{state.measures_total}")
        if state.locked:
            by = one_line(state.period.locked_by or "")
            line.append(f"  LÅST av {by} (o öppnar igen)", style="bold red")
        elif state.plan.status is not PlanStatus.ADOPTED:
            line.append(f"  Planen är {state.plan.status.value}: kan inte följas upp", style="bold")
        elif state.complete:
            line.append("  Allt bedömt – f låser perioden", style="bold green")
        self.query_one("#review-progress", Static).update(line, layout=False)

    def _show_risk(self, *, reset_cursor: bool = False) -> None:
        draft = self.draft
        card = self.query_one(RiskCard)
        measures = self.query_one(MeasureList)
        if draft is None:
            card.update("Planen har inga risker att följa upp.")
            measures.show([])
            return
        card.show(
            draft,
            field=self.field,
            matrix=self.state.plan.matrix,
            period=self.state.ref.label,
            editable=self.state.editable,
            position=f"{self.index + 1} av {len(self.state.risks)}",
            today=self.ctx.clock().date(),
        )
        if reset_cursor:
            measures.show(
                draft.measures,
                0,
                draft.left_out_note,
                period=self.state.plan.period_kind.definite,
            )
            self.query_one("#review-main", Scroll).scroll_home(animate=False)

    def _after_save(self, *, measure_index: int | None = None) -> None:
        draft = self.draft
        if draft is None:
            return
        self.query_one(ReviewNavigator).update_draft(self.index, draft)
        self._show_risk()
        if measure_index is not None:
            self.query_one(MeasureList).refresh_row(measure_index)
        self._show_progress()

    # -- guards --------------------------------------------------------------------

    def can_change(self) -> bool:
        state = self.state
        if state.plan.status is not PlanStatus.ADOPTED:
            self.app.notify(
                f"Planen för {state.plan.year} är {state.plan.status.value}: bara en "
                "fastställd plan följs upp.",
                severity="warning",
            )
            return False
        if state.locked:
            covered = f" ({state.period.frozen.label})" if state.period.frozen else ""
            self.app.notify(
                f"{state.ref.label} är låst{covered}. Tryck o för att öppna perioden igen.",
                severity="warning",
            )
            return False
        return True

    def editable_draft(self) -> RiskDraft | None:
        return self.draft if self.can_change() else None

    # -- netto -----------------------------------------------------------------------

    def action_field(self, field: str) -> None:
        if self.draft is None:
            return
        self.field = field
        self._show_risk()

    def action_digit(self, value: int) -> None:
        draft = self.editable_draft()
        if draft is None:
            return
        matrix = self.state.plan.matrix
        if value > max(matrix.size):
            self.app.notify(
                f"Planens {matrix.label}-matris har värdena {matrix.keys}.", severity="warning"
            )
            return
        if self.field == "S":
            self.field = "K"
            if draft.consequence is None:
                draft.pending_likelihood = value  # no konsekvens to pair with yet
                self._after_save()
                return
            self.save_netto(draft, value, draft.consequence, draft.comment)
            return
        likelihood = draft.likelihood
        if likelihood is None:
            self.field = "S"
            self._show_risk()
            self.app.notify(
                f"Välj sannolikhet först ({self.state.plan.matrix.keys}).", severity="warning"
            )
            return
        self.field = "S"
        self.save_netto(draft, likelihood, value, draft.comment)

    def save_netto(
        self,
        draft: RiskDraft,
        likelihood: int,
        consequence: int,
        comment: str,
        *,
        on_conflict: Callable[[ConflictError], None] | None = None,
    ) -> bool:
        state = self.state
        record = attempt(
            self,
            lambda: reviews.record_risk_review(
                self.ctx,
                state.plan.id,
                draft.risk.id,
                state.period.number,
                likelihood,
                consequence,
                comment,
                expected_version=draft.version,
            ),
            on_reload=self.reload,
            on_conflict=on_conflict,
        )
        if record is None:
            self._show_risk()
            return False
        draft.saved = record
        draft.pending_likelihood = None
        self._after_save()
        return True

    # -- åtgärder ------------------------------------------------------------------

    @property
    def _measures(self) -> MeasureList:
        return self.query_one(MeasureList)

    def current_measure(self, draft: RiskDraft | None) -> tuple[int, MeasureDraft] | None:
        if draft is None:
            return None
        if not draft.measures:
            self.app.notify(f"{draft.risk.ref} har inga åtgärder.", severity="warning")
            return None
        index = min(self._measures.cursor, len(draft.measures) - 1)
        return index, draft.measures[index]

    def save_measure(
        self,
        draft: RiskDraft,
        index: int,
        measure: MeasureDraft,
        status: MeasureStatus,
        *,
        result: ControlResult | None = None,
        comment: str | None = None,
        deviation: tuple[str | None, Severity | None] | None = None,
        on_conflict: Callable[[ConflictError], None] | None = None,
    ) -> bool:
        state = self.state
        saved = measure.saved
        keep_result = saved.result if saved else None
        keep_comment = saved.comment if saved else ""
        keep_deviation = (saved.deviation, saved.severity) if saved else (None, None)
        text, severity = deviation if deviation is not None else keep_deviation
        record = attempt(
            self,
            lambda: reviews.record_measure_review(
                self.ctx,
                state.plan.id,
                measure.measure.id,
                state.period.number,
                status,
                result=result if result is not None else keep_result,
                comment=comment if comment is not None else keep_comment,
                deviation=text,
                severity=severity,
                expected_version=measure.version,
            ),
            on_reload=self.reload,
            on_conflict=on_conflict,
        )
        if record is None:
            return False
        measure.saved = record
        self._after_save(measure_index=index)
        return True

    def action_status(self, key: str) -> None:
        draft = self.editable_draft()
        if draft is None:
            return
        found = self.current_measure(draft)
        if found is None:
            return
        index, measure = found
        # The cursor stays on the åtgärd: one key, one effect (↓ moves on).
        self.save_measure(draft, index, measure, STATUS_KEYS[key])

    def action_result(self) -> None:
        draft = self.editable_draft()
        if draft is None:
            return
        found = self.current_measure(draft)
        if found is None:
            return
        index, measure = found
        if not measure.is_recurring:
            self.app.notify(
                "Bara en återkommande kontroll har ett kontrollresultat.", severity="warning"
            )
            return
        if measure.status is None:
            self.app.notify("Sätt åtgärdens status först (j p g e u).", severity="warning")
            return
        result = measure.next_result()
        state = self.state
        saved = measure.saved
        record = attempt(
            self,
            lambda: reviews.record_measure_review(
                self.ctx,
                state.plan.id,
                measure.measure.id,
                state.period.number,
                measure.status or MeasureStatus.IN_PROGRESS,
                result=result,
                comment=saved.comment if saved else "",
                deviation=saved.deviation if saved else None,
                severity=saved.severity if saved else None,
                expected_version=measure.version,
            ),
            on_reload=self.reload,
        )
        if record is not None:
            measure.saved = record
            self._after_save(measure_index=index)

    # -- confirming carried values -------------------------------------------------

    def action_confirm(self, advance: bool) -> None:
        draft = self.editable_draft()
        if draft is None:
            return
        if draft.pending_likelihood is not None:
            self.app.notify(
                f"Välj konsekvens ({self.state.plan.matrix.keys}) innan du går vidare.",
                severity="warning",
            )
            return
        ok = True
        if draft.netto_carried and draft.carried is not None:
            netto = draft.carried.netto
            ok = self.save_netto(draft, netto.likelihood, netto.consequence, "")
        for index, measure in enumerate(draft.measures):
            if ok and measure.is_carried and measure.carried is not None:
                ok = self.save_measure(draft, index, measure, measure.carried.status)
        if not ok:
            return
        if not draft.assessed:
            self.app.notify(
                f"{draft.risk.ref} saknar nettobedömning: tryck "
                f"{self.state.plan.matrix.keys} för sannolikhet och "
                "konsekvens.",
                severity="warning",
            )
            return
        if advance:
            self.action_step(1)

    # -- navigation ----------------------------------------------------------------

    def _go(self, index: int) -> None:
        if not self.state.risks:
            return
        self.index = max(0, min(len(self.state.risks) - 1, index))
        self.field = "S"
        self.query_one(ReviewNavigator).move_to(self.index)
        self._show_risk(reset_cursor=True)

    def action_step(self, delta: int) -> None:
        target = self.index + delta
        if target >= len(self.state.risks):
            if self.state.complete and self.state.editable:
                self.app.notify("Sista risken. Allt är bedömt – tryck f för att låsa perioden.")
            else:
                self.app.notify("Sista risken.")
            return
        if target < 0:
            return
        self._go(target)

    @on(OptionList.OptionSelected, "#review-nav")
    def _clicked_risk(self, event: OptionList.OptionSelected) -> None:
        self._go(event.option_index)

    def action_back(self) -> None:
        self.dismiss(None)

    # -- comments, avvikelser and the period (review_notes, review_period) -------------

    def action_comment(self) -> None:
        review_notes.risk_comment(self)

    def action_measure_comment(self) -> None:
        review_notes.measure_comment(self)

    def action_deviation(self) -> None:
        review_notes.deviation(self)

    def action_lock(self) -> None:
        review_period.lock(self)

    def action_reopen(self) -> None:
        review_period.reopen(self)

    def action_pick_period(self) -> None:
        review_period.pick(self)

    # -- reloading -----------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self, number: int | None = None, *, quiet: bool = False) -> None:
        self._load(self.state.plan.id, number or self.state.period.number, quiet)

    def reload_for_changes(self) -> None:
        self.reload(quiet=True)

    @work(thread=True, exclusive=True, group="review-load")
    def _load(self, plan_id: int, number: int, quiet: bool) -> None:
        try:
            snapshot = plans.load_plan_by_id(self.ctx, plan_id)
        except RiskregError as exc:
            self.post_message(self._Failed(exc))
            return
        self.post_message(self._Fetched(snapshot, number, quiet))

    @on(_Fetched)
    def _fetched(self, message: _Fetched) -> None:
        draft = self.draft
        measure = self._measures.current if draft is not None else None
        self._apply(
            message.snapshot,
            message.number,
            measure_id=measure.measure.id if measure is not None else None,
        )
        if not message.quiet:
            self.app.notify(f"{self.state.ref.label} är inläst på nytt.")

    def _apply(self, snapshot: PlanSnapshot, number: int, *, measure_id: int | None = None) -> None:
        """Show ``snapshot``, staying on the risk (and åtgärd) under review."""
        current = self.draft.risk.id if self.draft else None
        same_period = number == self.state.period.number
        self.state = build_review(snapshot, number)
        found = self.state.index_of(current) if current is not None and same_period else None
        self.index = found if found is not None else self._first_open()
        self.field = "S"
        self._show_all()
        draft = self.draft
        if measure_id is not None and draft is not None:
            ids = [m.measure.id for m in draft.measures]
            if measure_id in ids:
                self._measures.move_to(ids.index(measure_id))

    def reload_now(self, risk_id: int, *, measure_id: int | None = None) -> RiskDraft | None:
        """Read the period again at once (after a conflict, to show what the other saved
        next to what the user typed); the draft of ``risk_id``, or ``None`` (told why)."""
        state = self.state
        snapshot = attempt(self, lambda: plans.load_plan_by_id(self.ctx, state.plan.id))
        if snapshot is None:
            return None
        self._apply(snapshot, state.period.number, measure_id=measure_id)
        found = self.state.index_of(risk_id)
        return self.state.risks[found] if found is not None else None

    def redraw(self) -> None:
        self._show_risk()
        self._show_progress()

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        show_error(self.app, message.error)

    # -- command palette -----------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Lås perioden", "Avsluta periodens uppföljning", self.action_lock)
        yield SystemCommand(
            "Öppna perioden igen", "Kräver en motivering som sparas i loggen", self.action_reopen
        )
        yield SystemCommand("Välj period", "Följ upp en annan period", self.action_pick_period)
        yield SystemCommand("Läs in på nytt", "Hämta det som nu finns i registret", self.reload)
        yield SystemCommand("Tillbaka till registret", "Lämna uppföljningen", self.action_back)
