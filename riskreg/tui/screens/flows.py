"""Plan-editing flows shared by the register and the risk detail screen.

Each flow opens the right form or dialog, calls the service through it, tells the user
what happened and calls ``done`` so the calling screen reloads what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from textual.screen import Screen

from riskreg.domain.records import PlanInfo, PlanMeasure, PlanRisk, PlanSnapshot
from riskreg.domain.scales import PlanStatus, RiskStatus
from riskreg.domain.text import count_of
from riskreg.services import editing, plans, tui_support
from riskreg.services.context import Context
from riskreg.tui.screens.base import attempt
from riskreg.tui.screens.dialogs import ConfirmScreen, MessageScreen, TextScreen

Done = Callable[[], None]


def _editable(screen: Screen[Any], plan: PlanInfo) -> bool:
    if plan.status is PlanStatus.CLOSED:
        screen.app.notify(
            f"Planen för {plan.year} är avslutad och kan inte ändras.", severity="error"
        )
        return False
    return True


def add_risk(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, done: Callable[[str | None], None]
) -> None:
    from riskreg.tui.screens.risk_form import RiskFormScreen

    if not _editable(screen, plan):
        return
    areas = attempt(screen, lambda: tui_support.area_names(ctx, plan.committee_id))
    if areas is None:
        return

    def saved(ref: str | None) -> None:
        if ref:
            screen.app.notify(f"Risken {ref} är tillagd i planen {plan.year}.", title="Sparat")
            done(ref)

    screen.app.push_screen(RiskFormScreen(ctx, plan, areas), saved)


def edit_risk(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, risk: PlanRisk, done: Done
) -> None:
    from riskreg.tui.screens.risk_form import RiskFormScreen

    if not _editable(screen, plan):
        return
    areas = attempt(screen, lambda: tui_support.area_names(ctx, plan.committee_id))
    if areas is None:
        return

    def saved(ref: str | None) -> None:
        if ref:
            screen.app.notify(f"Risken {ref} är sparad.", title="Sparat")
            done()

    screen.app.push_screen(RiskFormScreen(ctx, plan, areas, risk, on_reload=done), saved)


def accept_risk(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, risk: PlanRisk, done: Done
) -> None:
    from riskreg.tui.screens.plan_forms import AcceptRiskScreen

    if not _editable(screen, plan):
        return
    if risk.status is RiskStatus.CLOSED:
        screen.app.notify(
            f"Risken {risk.ref} är avslutad; återaktivera den (x) innan den accepteras.",
            severity="error",
        )
        return

    def saved(warning: str | None) -> None:
        if warning is None:
            return
        screen.app.notify(f"Risken {risk.ref} är accepterad.", title="Sparat")
        if warning:
            screen.app.notify(
                warning, title=f"{risk.ref}: acceptansen har gått ut", severity="warning"
            )
        done()

    screen.app.push_screen(AcceptRiskScreen(ctx, plan, risk, on_reload=done), saved)


def close_or_reactivate(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, risk: PlanRisk, done: Done
) -> None:
    if not _editable(screen, plan):
        return
    if risk.status is not RiskStatus.ACTIVE:
        what = "avslutad" if risk.status is RiskStatus.CLOSED else "accepterad"

        def run(reason: str | None) -> None:
            if reason is None:
                return
            ok = attempt(
                screen,
                lambda: _call(editing.reactivate_risk, ctx, plan.id, risk.id, risk.version, reason),
                on_reload=done,
            )
            if ok:
                screen.app.notify(f"Risken {risk.ref} är aktiv igen.", title="Sparat")
                done()

        screen.app.push_screen(
            TextScreen(
                f"Återaktivera {risk.ref}",
                "Varför återaktiveras risken?",
                message=(
                    f"Risken är {what} i planen för {plan.year}. Som aktiv risk hanteras den "
                    f"med åtgärder och följs upp varje {plan.period_kind} igen. Motiveringen "
                    "sparas i loggen."
                ),
                required="Ange varför risken återaktiveras; motiveringen sparas i loggen.",
                confirm="Återaktivera",
            ),
            run,
        )
        return

    def closed(reason: str | None) -> None:
        if not reason:
            return
        ok = attempt(
            screen,
            lambda: _call(editing.close_risk, ctx, plan.id, risk.id, risk.version, reason),
            on_reload=done,
        )
        if ok:
            screen.app.notify(f"Risken {risk.ref} är avslutad.", title="Sparat")
            done()

    screen.app.push_screen(
        TextScreen(
            f"Avsluta risk {risk.ref}",
            "Varför avslutas risken?",
            message=(
                f"{risk.text}\n\nEn avslutad risk följs inte upp och förs inte över till "
                "nästa år. Den kan återaktiveras. Motiveringen sparas i loggen."
            ),
            required="Ange varför risken avslutas; motiveringen sparas i loggen.",
            confirm="Avsluta risken",
            danger=True,
        ),
        closed,
    )


def _call(function: Callable[..., object], *args: object) -> bool:
    """Run a service that returns nothing; ``True`` once it did not raise."""
    function(*args)
    return True


def add_measure(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, risk: PlanRisk, done: Done
) -> None:
    _measure_form(screen, ctx, plan, risk, None, done)


def edit_measure(
    screen: Screen[Any],
    ctx: Context,
    plan: PlanInfo,
    risk: PlanRisk,
    measure: PlanMeasure,
    done: Done,
) -> None:
    _measure_form(screen, ctx, plan, risk, measure, done)


def _measure_form(
    screen: Screen[Any],
    ctx: Context,
    plan: PlanInfo,
    risk: PlanRisk,
    measure: PlanMeasure | None,
    done: Done,
) -> None:
    from riskreg.tui.screens.measure_form import MeasureFormScreen

    if not _editable(screen, plan):
        return
    roles = attempt(screen, lambda: [r.name for r in editing.list_roles(ctx)])
    if roles is None:
        return

    def saved(measure_id: int | None) -> None:
        if measure_id is not None:
            verb = "sparad" if measure else "tillagd"
            screen.app.notify(f"Åtgärden för {risk.ref} är {verb}.", title="Sparat")
            done()

    screen.app.push_screen(
        MeasureFormScreen(ctx, plan, risk, roles, measure, on_reload=done), saved
    )


def adopt_plan(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, switch: Callable[[PlanInfo], None]
) -> None:
    from riskreg.tui.screens.plan_forms import AdoptPlanScreen

    if plan.status is not PlanStatus.DRAFT:
        screen.app.notify(
            f"Planen för {plan.year} är redan {plan.status.value}; bara ett utkast fastställs.",
            severity="warning",
        )
        return

    def saved(info: PlanInfo | None) -> None:
        if info is not None:
            screen.app.notify(
                f"Planen för {info.year} är fastställd och kan följas upp.", title="Sparat"
            )
            switch(info)

    screen.app.push_screen(AdoptPlanScreen(ctx, plan), saved)


def plan_setup(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, switch: Callable[[PlanInfo], None]
) -> None:
    """An utkast's matrix size and follow-up periods, in one dialog."""
    from riskreg.tui.screens.plan_forms import PlanSetupScreen

    if plan.status is not PlanStatus.DRAFT:
        screen.app.notify(
            f"Planen för {plan.year} är {plan.status.value}: riskmatris och perioder väljs här "
            "bara i ett utkast.",
            severity="warning",
        )
        return

    def saved(info: PlanInfo | None) -> None:
        if info is not None:
            screen.app.notify(
                f"Planen för {info.year} har en {info.matrix.label}-matris och följs upp per "
                f"{info.period_kind.value}.",
                title="Sparat",
            )
            switch(info)

    screen.app.push_screen(PlanSetupScreen(ctx, plan), saved)


def roll_forward(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, switch: Callable[[PlanInfo], None]
) -> None:
    from riskreg.tui.screens.plan_forms import RollForwardScreen

    known = attempt(screen, lambda: plans.list_plans(ctx, plan.committee))
    if known is None:
        return
    latest = max(p.year for p in known)

    def saved(result: editing.RollForward | None) -> None:
        if result is None:
            return
        info = result.plan
        screen.app.notify(
            f"Planen för {info.year} är skapad som utkast från {plan.year}: "
            f"{count_of(result.risks, 'risk', 'risker')} och "
            f"{count_of(result.measures, 'åtgärd', 'åtgärder')}.",
            title="Sparat",
        )
        if result.left_out:
            lines = "\n".join(f"• {x.ref}: {x.why} – {x.text}" for x in result.left_out)
            screen.app.push_screen(
                MessageScreen(f"Inte överfört till {info.year}", lines),
                lambda _: switch(info),
            )
        else:
            switch(info)

    screen.app.push_screen(RollForwardScreen(ctx, plan, latest), saved)


def brutto_mode(screen: Screen[Any], ctx: Context, snapshot: PlanSnapshot, done: Done) -> None:
    """Open brutto mode; on a fastställd plan ask first, once, why the plan is revised."""
    from riskreg.tui.screens.brutto import BruttoScreen

    plan = snapshot.plan
    if plan.status is PlanStatus.CLOSED:
        screen.app.notify(
            f"Planen för {plan.year} är avslutad: dess bruttorisker kan inte ändras längre.",
            severity="error",
        )
        return

    def start(reason: str | None) -> None:
        screen.app.push_screen(BruttoScreen(ctx, snapshot, reason), lambda _: done())

    if plan.status is not PlanStatus.ADOPTED:
        start(None)
        return

    def given(reason: str | None) -> None:
        if reason:
            start(reason)

    screen.app.push_screen(
        TextScreen(
            f"Bruttobedömning i planen {plan.year}",
            "Motivering till revisionen",
            message=(
                f"Planen för {plan.year} är fastställd. Varje bruttorisk du sparar nu blir en "
                "revision av planen med den här motiveringen, och revisionerna visas i "
                "ISK-rapporten."
            ),
            required="Ange varför den fastställda planen ändras.",
            confirm="Börja bedöma",
        ),
        given,
    )


def delete_risk(
    screen: Screen[Any], ctx: Context, plan: PlanInfo, risk: PlanRisk, done: Done
) -> None:
    """Take a risk out of an utkast, after a confirmation; any other plan gives the
    service's reason (close the risk instead)."""
    measures = len(risk.measures)
    with_measures = f" med {count_of(measures, 'åtgärd', 'åtgärder')}" if measures else ""
    _delete_from_draft(
        screen,
        ctx,
        plan,
        "risker",
        ConfirmScreen(
            f"Ta bort {risk.ref} ur utkastet {plan.year}?",
            f"{risk.text}\n\nRisken tas bort ur planen{with_measures}. Finns den i tidigare "
            "års planer står den kvar där. Borttagningen sparas i loggen.",
            confirm="Ta bort",
            danger=True,
        ),
        lambda: _call(editing.delete_risk, ctx, plan.id, risk.id, risk.version),
        f"Risken {risk.ref} är borttagen ur utkastet {plan.year}.",
        done,
    )


def delete_measure(
    screen: Screen[Any],
    ctx: Context,
    plan: PlanInfo,
    risk: PlanRisk,
    measure: PlanMeasure,
    done: Done,
) -> None:
    """Take an åtgärd out of an utkast, after a confirmation."""
    _delete_from_draft(
        screen,
        ctx,
        plan,
        "åtgärder",
        ConfirmScreen(
            f"Ta bort åtgärden ur {risk.ref}?",
            f"{measure.text}\n\nÅtgärden tas bort ur utkastet {plan.year}. Borttagningen "
            "sparas i loggen.",
            confirm="Ta bort",
            danger=True,
        ),
        lambda: _call(editing.delete_measure, ctx, plan.id, measure.id, measure.version),
        f"Åtgärden är borttagen ur {risk.ref} i utkastet {plan.year}.",
        done,
    )


def _delete_from_draft(
    screen: Screen[Any],
    ctx: Context,
    plan: PlanInfo,
    what: Literal["risker", "åtgärder"],
    question: ConfirmScreen,
    delete: Callable[[], bool],
    deleted: str,
    done: Done,
) -> None:
    """Ask, then delete; a plan that is no utkast gets the service's reason instead."""
    if plan.status is not PlanStatus.DRAFT:
        attempt(screen, lambda: editing.ensure_deletable(ctx, plan.id, what))
        return

    def confirmed(yes: bool | None) -> None:
        if yes and attempt(screen, delete, on_reload=done):
            screen.app.notify(deleted, title="Borttagen")
            done()

    screen.app.push_screen(question, confirmed)
