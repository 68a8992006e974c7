"""Helpers for the TUI tests: the screen as text, waiting for workers, database rows."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec

from sqlalchemy import text
from textual.app import App
from textual.pilot import Pilot

from riskreg.services.context import Context

P = ParamSpec("P")


def screen_text(app: App[Any]) -> str:
    """The current screen (with any dialog on top) as lines of plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and the messages they posted be handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def loaded(pilot: Pilot[Any]) -> None:
    """Wait until the register view shows a plan."""
    from riskreg.tui.screens.register import RegisterScreen

    for _ in range(100):
        await settle(pilot)
        screen = pilot.app.screen
        if not isinstance(screen, RegisterScreen) or screen.snapshot is not None:
            return
        await pilot.pause(0.02)
    raise AssertionError("Registret lästes aldrig in.")


def rows(ctx: Context, sql: str, **params: Any) -> list[Any]:
    with ctx.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def scalar(ctx: Context, sql: str, **params: Any) -> Any:
    with ctx.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def notifications(app: App[Any]) -> list[str]:
    return [str(n.message) for n in app._notifications]


def run_async(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async Pilot test with asyncio (the project has no async pytest plugin)."""

    @functools.wraps(test)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


def populate(ctx: Context) -> None:
    """Give the seeded 2024 plan a history: brutto values, kv 1 and kv 2 reviewed and
    locked, an accepted risk and an avvikelse. Deterministic (the fixture's fixed clock)."""
    from datetime import date

    from riskreg.domain.records import Assessment
    from riskreg.domain.scales import MeasureStatus, Severity
    from riskreg.services import editing, plans, reviews

    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    statuses = list(MeasureStatus)
    for i, risk in enumerate(snapshot.risks):
        brutto = Assessment(3 + i % 2, 2 + i % 3)
        editing.set_brutto(
            ctx, plan_id, risk.id, risk.version, brutto, reason="Bruttobedömning inför året."
        )
        for quarter in (1, 2):
            likelihood = max(1, brutto.likelihood - quarter + (i % 2))
            consequence = max(1, brutto.consequence - (i + quarter) % 2)
            reviews.record_risk_review(ctx, plan_id, risk.id, quarter, likelihood, consequence)
            for j, measure in enumerate(risk.measures):
                deviation = (i, j, quarter) == (0, 0, 2)
                reviews.record_measure_review(
                    ctx,
                    plan_id,
                    measure.id,
                    quarter,
                    statuses[(i + j + quarter) % 3],
                    deviation="Stickprov saknades på två enheter." if deviation else None,
                    severity=Severity.MODERATE if deviation else None,
                )
    for quarter in (1, 2):
        reviews.lock_period(ctx, plan_id, quarter)
    accepted = plans.load_plan(ctx, 2024).risk("KS-01")
    editing.accept_risk(
        ctx,
        plan_id,
        accepted.id,
        accepted.version,
        "Hälso- och sjukvårdsnämnden",
        "Rutinen är införd; kvarvarande risk är låg.",
        date(2025, 12, 31),
    )
