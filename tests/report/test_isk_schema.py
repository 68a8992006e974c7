"""Migration 0002: the isk_assessment table, its CHECK on the grade, and a working
downgrade that leaves the rest of the register alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from isk_support import report_context
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from riskreg.db import migrate
from riskreg.db.engine import make_engine
from riskreg.domain.isk import ConclusionFields, Grade
from riskreg.services.isk import get_conclusion, save_conclusion
from riskreg.services.seeding import seed


def test_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'register.db'}"
    migrate.upgrade(url)
    ctx = report_context(url)
    seed(ctx)
    plan_id = get_conclusion(ctx, 2024).plan_id
    save_conclusion(ctx, plan_id, ConclusionFields(grade=Grade.INSUFFICIENT, dnr="24RS1"))
    ctx.engine.dispose()

    engine = make_engine(url)
    try:
        assert "isk_assessment" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            with pytest.raises(IntegrityError):
                conn.execute(text("UPDATE isk_assessment SET grade = 'godkänd'"))
            conn.rollback()
    finally:
        engine.dispose()

    migrate.downgrade(url, "0001")
    engine = make_engine(url)
    try:
        assert "isk_assessment" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM plan")).scalar() == 2
            assert conn.execute(text("SELECT count(*) FROM plan_risk")).scalar() == 41
    finally:
        engine.dispose()

    migrate.upgrade(url)
    ctx = report_context(url)
    assert not get_conclusion(ctx, 2024).stored
    ctx.engine.dispose()


def test_deleting_a_plan_deletes_its_assessment(db_url: str) -> None:
    ctx = report_context(db_url)
    plan_id = get_conclusion(ctx, 2024).plan_id
    save_conclusion(ctx, plan_id, ConclusionFields(dnr="24RS1"))
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM plan WHERE id = :id"), {"id": plan_id})
        assert conn.execute(text("SELECT count(*) FROM isk_assessment")).scalar() == 0
    ctx.engine.dispose()
