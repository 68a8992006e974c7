"""What a review meeting writes in words: comments on the risk and on an åtgärd, and
avvikelser. Nothing typed is lost: when someone else saved the same answer meanwhile, the
dialog opens again with their value shown and the user's own text kept, to save again
(over the version now read) or to discard knowingly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from riskreg.domain.errors import ConflictError
from riskreg.domain.scales import ControlResult, MeasureStatus
from riskreg.tui.screens.dialogs import TextScreen
from riskreg.tui.settings import Drafts

if TYPE_CHECKING:
    from riskreg.tui.model.review import MeasureDraft, RiskDraft
    from riskreg.tui.screens.deviation import DeviationInput
    from riskreg.tui.screens.review import ReviewScreen

KEPT = "Din text är kvar nedan: spara igen, eller Esc för att kasta den."


def _measure_with_status(
    screen: ReviewScreen, why: str
) -> tuple[RiskDraft, int, MeasureDraft, MeasureStatus] | None:
    """The åtgärd under the cursor, if the period is open and it has a status (a comment
    or an avvikelse is saved with the status); else the user is told why not."""
    draft = screen.editable_draft()
    found = screen.current_measure(draft) if draft else None
    if draft is None or found is None:
        return None
    index, measure = found
    if measure.status is None:
        screen.app.notify(f"Sätt åtgärdens status först (j p g e u){why}.", severity="warning")
        return None
    return draft, index, measure, measure.status


def saved_draft(screen: ReviewScreen, key: str) -> None:
    """The text is in the register: its draft is no longer needed."""
    drafts = getattr(screen.app, "drafts", None)
    if isinstance(drafts, Drafts):
        drafts.drop(key)


def risk_comment(
    screen: ReviewScreen, *, kept: str | None = None, theirs: str | None = None
) -> None:
    """``c``: the comment saved with the risk's netto for the period (multi-line)."""
    draft = screen.editable_draft()
    if draft is None:
        return
    likelihood, consequence = draft.likelihood, draft.consequence
    if likelihood is None or consequence is None or draft.pending_likelihood is not None:
        screen.app.notify(
            "Sätt sannolikhet och konsekvens först; kommentaren sparas med bedömningen.",
            severity="warning",
        )
        return
    risk_id = draft.risk.id
    period = screen.state.ref.label
    key = f"kommentar risk {risk_id} plan {screen.state.plan.id} kv {screen.state.period.number}"

    def done(comment: str | None) -> None:
        if comment is None:
            return

        def conflict(_: ConflictError) -> None:
            fresh = screen.reload_now(risk_id)
            if fresh is not None:
                risk_comment(screen, kept=comment, theirs=fresh.comment)

        if screen.save_netto(draft, likelihood, consequence, comment, on_conflict=conflict):
            saved_draft(screen, key)

    message = "Sparas tillsammans med nettobedömningen (som då bekräftas). Ctrl+S sparar."
    carried = draft.carried
    if carried is not None and carried.comment:
        message += f"\nFörra perioden ({carried.period.label}): {carried.comment}"
    screen.app.push_screen(
        TextScreen(
            f"Kommentar till {draft.risk.ref} {screen.state.ref.label}",
            "Kommentar",
            message=KEPT if theirs is not None else message,
            value=draft.comment if kept is None else kept,
            multiline=True,
            theirs=theirs,
            draft=(key, f"kommentar till {draft.risk.ref} {period}"),
        ),
        done,
    )


def measure_comment(
    screen: ReviewScreen, *, kept: str | None = None, theirs: str | None = None
) -> None:
    """``C``: the comment on the åtgärd under the cursor (multi-line)."""
    target = _measure_with_status(screen, "")
    if target is None:
        return
    draft, index, measure, status = target
    measure_id = measure.measure.id
    state = screen.state
    key = f"kommentar åtgärd {measure_id} plan {state.plan.id} kv {state.period.number}"
    label = f"kommentar till åtgärd {index + 1} i {draft.risk.ref} {state.ref.label}"

    def done(comment: str | None) -> None:
        if comment is None:
            return

        def conflict(_: ConflictError) -> None:
            fresh = screen.reload_now(draft.risk.id, measure_id=measure_id)
            if fresh is not None:
                saved = screen.current_measure(fresh)
                their = saved[1].saved.comment if saved and saved[1].saved else ""
                measure_comment(screen, kept=comment, theirs=their)

        if screen.save_measure(
            draft, index, measure, status, comment=comment, on_conflict=conflict
        ):
            saved_draft(screen, key)

    screen.app.push_screen(
        TextScreen(
            f"Kommentar till åtgärd {index + 1} för {draft.risk.ref}",
            "Kommentar",
            message=KEPT if theirs is not None else measure.measure.text,
            value=(measure.saved.comment if measure.saved else "") if kept is None else kept,
            multiline=True,
            theirs=theirs,
            draft=(key, label),
        ),
        done,
    )


def deviation(
    screen: ReviewScreen, *, kept: DeviationInput | None = None, theirs: str | None = None
) -> None:
    """``a``: record (or remove) an avvikelse with its allvarlighetsgrad."""
    from riskreg.tui.screens.deviation import DeviationScreen

    target = _measure_with_status(screen, "; avvikelsen sparas med den")
    if target is None:
        return
    draft, index, measure, status = target
    saved = measure.saved
    measure_id = measure.measure.id

    def done(value: DeviationInput | None) -> None:
        if value is None:
            return
        # an avvikelse makes a control's result "med avvikelse" (else the result is kept)
        result = None
        if measure.is_recurring and value.text is not None:
            result = ControlResult.DEVIATION

        def conflict(_: ConflictError) -> None:
            fresh = screen.reload_now(draft.risk.id, measure_id=measure_id)
            if fresh is not None:
                now = screen.current_measure(fresh)
                their = now[1].saved.deviation if now and now[1].saved else None
                deviation(screen, kept=value, theirs=their or "")

        if screen.save_measure(
            draft,
            index,
            measure,
            status,
            result=result,
            deviation=(value.text, value.severity),
            on_conflict=conflict,
        ):
            what = "sparad" if value.text else "borttagen"
            screen.app.notify(f"Avvikelsen för {draft.risk.ref} är {what}.")

    text = kept.text if kept is not None else (saved.deviation if saved else None)
    severity = kept.severity if kept is not None else (saved.severity if saved else None)
    screen.app.push_screen(
        DeviationScreen(
            measure.measure.text,
            text,
            severity,
            theirs=theirs,
        ),
        done,
    )
