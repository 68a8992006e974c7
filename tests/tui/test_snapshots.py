"""Snapshots of the main screens on seeded data with a fixed clock and pinned sizes.

Update after a deliberate change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at the SVGs in ``__snapshots__`` before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import loaded, populate, settle

from riskreg.services import editing, plans
from riskreg.services.context import Context
from riskreg.tui.app import RiskregApp
from riskreg.tui.themes import HIGH_CONTRAST

Compare = Callable[..., bool]


@pytest.fixture
def history(ctx: Context) -> Context:
    populate(ctx)
    return ctx


def keys(*presses: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_register_100x30(snap_compare: Compare, history: Context) -> None:
    assert snap_compare(RiskregApp(history), terminal_size=(100, 30), run_before=keys())


def test_register_80x24(snap_compare: Compare, history: Context) -> None:
    assert snap_compare(RiskregApp(history), terminal_size=(80, 24), run_before=keys("down"))


def test_review_step_100x30(snap_compare: Compare, history: Context) -> None:
    # kv 1 and kv 2 are locked: kv 3 opens with values carried from kv 2
    assert snap_compare(
        RiskregApp(history), terminal_size=(100, 30), run_before=keys("u", "3", "2", "p")
    )


def test_review_step_80x24(snap_compare: Compare, history: Context) -> None:
    assert snap_compare(
        RiskregApp(history), terminal_size=(80, 24), run_before=keys("u", "enter", "4")
    )


def test_brutto_step_100x30(snap_compare: Compare, history: Context) -> None:
    # two risks lack a brutto: the mode opens on the first, a sannolikhet is chosen
    snapshot = plans.load_plan(history, 2024)
    for ref in ("EK-02", "PS-01"):
        risk = snapshot.risk(ref)
        editing.set_brutto(
            history, snapshot.plan.id, risk.id, risk.version, None, reason="Bedöms om."
        )
    assert snap_compare(
        RiskregApp(history),
        terminal_size=(100, 30),
        run_before=keys("b", *"Ny riskanalys", "enter", "3"),
    )


def test_matrix_100x30(snap_compare: Compare, history: Context) -> None:
    assert snap_compare(
        RiskregApp(history), terminal_size=(100, 30), run_before=keys("m", "down", "left")
    )


def test_risk_detail_100x30(snap_compare: Compare, history: Context) -> None:
    assert snap_compare(RiskregApp(history), terminal_size=(100, 30), run_before=keys("enter"))


def test_risk_form_errors_100x30(snap_compare: Compare, history: Context) -> None:
    assert snap_compare(
        RiskregApp(history), terminal_size=(100, 30), run_before=keys("a", "ctrl+s")
    )


def test_high_contrast_with_help_100x30(snap_compare: Compare, history: Context) -> None:
    app = RiskregApp(history, theme=HIGH_CONTRAST.name)
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys("f1"))
