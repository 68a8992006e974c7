"""Helpers shared by the ISK tests (imported by name: tests/report is on sys.path)."""

from __future__ import annotations

from datetime import UTC, datetime

from riskreg.db.engine import make_engine
from riskreg.db.target import DatabaseTarget
from riskreg.services.context import Context

# After the year's end, when the ISK-bedömning is written.
REPORT_NOW = datetime(2025, 1, 20, 9, 0, tzinfo=UTC)


def report_context(url: str, now: datetime = REPORT_NOW) -> Context:
    return Context(
        make_engine(url), DatabaseTarget(url, False), actor="controller", clock=lambda: now
    )
