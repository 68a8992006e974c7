"""The review's period: lock it when done, reopen it with a reason, choose another period.

Locking is deliberate: its dialog answers to no letter (``j`` is also "ej påbörjad"), the
focus starts on Avbryt, and only Enter on "Lås perioden" (reached with Tab or ←) locks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from riskreg.domain.text import count_of
from riskreg.services import reviews
from riskreg.tui.screens.base import attempt
from riskreg.tui.screens.dialogs import ConfirmScreen, TextScreen

if TYPE_CHECKING:
    from riskreg.tui.screens.review import ReviewScreen


def lock(screen: ReviewScreen) -> None:
    if not screen.can_change():
        return
    state = screen.state
    missing_risks = len(state.risks) - state.assessed
    missing_measures = state.measures_total - state.measures_assessed
    lines = [
        f"{state.progress}, {state.measures_assessed} av {state.measures_total} "
        "åtgärder har status."
    ]
    if missing_risks or missing_measures:
        lines.append(
            f"Obs: {count_of(missing_risks, 'risk', 'risker')} saknar bedömning och "
            f"{count_of(missing_measures, 'åtgärd', 'åtgärder')} saknar status för perioden."
        )
    lines.append(
        "Efter låsningen kan inget i perioden ändras förrän den öppnas igen med en motivering."
    )
    lines.append("Tab eller ← väljer ”Lås perioden”, Enter låser. Esc avbryter.")

    def confirmed(yes: bool | None) -> None:
        if not yes:
            return
        period = attempt(
            screen, lambda: reviews.lock_period(screen.ctx, state.plan.id, state.period.number)
        )
        if period is not None:
            state.period = period
            covered = f": {period.frozen.label}" if period.frozen else ""
            screen.app.notify(f"{state.ref.label} är låst{covered}.", title="Perioden är klar")
            screen.redraw()

    screen.app.push_screen(
        ConfirmScreen(
            f"Lås {state.ref.label}?",
            "\n\n".join(lines),
            confirm="Lås perioden",
            danger=True,
            shortcuts=False,
        ),
        confirmed,
    )


def reopen(screen: ReviewScreen) -> None:
    state = screen.state
    if not state.locked:
        screen.app.notify(f"{state.ref.label} är inte låst.", severity="warning")
        return

    def reason_given(reason: str | None) -> None:
        if not reason:
            return
        period = attempt(
            screen,
            lambda: reviews.reopen_period(screen.ctx, state.plan.id, state.period.number, reason),
        )
        if period is not None:
            state.period = period
            screen.app.notify(f"{state.ref.label} är öppen igen. Motiveringen finns i loggen.")
            screen.redraw()

    screen.app.push_screen(
        TextScreen(
            f"Öppna {state.ref.label} igen",
            "Motivering",
            message=(
                f"Perioden låstes av {state.period.locked_by or 'okänd'}. Varför ska den "
                "öppnas igen? Motiveringen sparas i loggen."
            ),
            required="Ange varför perioden öppnas igen; motiveringen sparas i loggen.",
            confirm="Öppna perioden",
        ),
        reason_given,
    )


def pick(screen: ReviewScreen) -> None:
    from riskreg.tui.screens.pick import PickScreen

    state = screen.state
    choices = [
        (p.number, f"{p.label} · {'låst' if p.locked else 'öppen'}") for p in state.plan.periods
    ]

    def picked(number: int | None) -> None:
        if number is not None and number != screen.state.period.number:
            screen.reload(number)

    title = f"Välj {state.plan.period_kind.value}"
    screen.app.push_screen(PickScreen(title, choices, current=state.period.number), picked)
