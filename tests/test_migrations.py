"""Migrations: pytest-alembic's built-ins, migrated schema equal to the models', data
surviving every step, and the same on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from pytest_alembic.tests import (  # noqa: F401  (collected as tests here)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, MetaData, func, inspect, select

from riskreg.db import migrate
from riskreg.db.engine import make_engine
from riskreg.db.models import Base
from riskreg.db.target import SCHEMA_HEAD
from tests.conftest import _postgres_database, make_context


@pytest.fixture
def alembic_config() -> Any:
    return migrate.alembic_config("sqlite://")


@pytest.fixture
def alembic_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'alembic.db'}", foreign_keys=False)
    yield engine
    engine.dispose()


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_schema_head_constant_matches_alembic() -> None:
    assert migrate.head_revision() == SCHEMA_HEAD


def _schema(engine: Engine) -> dict[str, Any]:
    """Everything autogenerate may miss, CHECK constraints included, in comparable form."""
    inspector = inspect(engine)
    result: dict[str, Any] = {}
    for table in sorted(t for t in inspector.get_table_names() if t != "alembic_version"):
        result[table] = {
            "columns": sorted(
                (c["name"], type(c["type"]).__name__, c["nullable"])
                for c in inspector.get_columns(table)
            ),
            "checks": sorted(
                (c["name"], " ".join(str(c["sqltext"]).split()))
                for c in inspector.get_check_constraints(table)
            ),
            "uniques": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "foreign_keys": sorted(
                (
                    f["name"],
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    (f.get("options") or {}).get("ondelete"),
                )
                for f in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "pk": inspector.get_pk_constraint(table)["name"],
        }
    return result


def test_migrated_schema_equals_create_all(backend_url: str, tmp_path: Path) -> None:
    migrate.upgrade(backend_url)
    migrated = make_engine(backend_url)
    if migrated.dialect.name == "sqlite":
        reference_urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'create_all.db'}"])
    else:  # a second database on the same server, made by the models alone
        reference_urls = _postgres_database()
    reference = make_engine(next(reference_urls))
    Base.metadata.create_all(reference)
    try:
        assert _schema(migrated) == _schema(reference)
    finally:
        migrated.dispose()
        reference.dispose()
        for _ in reference_urls:  # drops the PostgreSQL database
            pass


def _counts(engine: Engine) -> dict[str, int]:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
            if name != "alembic_version"
        }


def test_data_survives_every_migration_step(backend_url: str) -> None:
    """Seed the newest schema, then go down step by step to the first revision and up
    again: no row is lost on the way (statuses and example data included)."""
    from riskreg.services.examples import add_examples
    from riskreg.services.seeding import seed

    migrate.upgrade(backend_url)
    ctx = make_context(backend_url)
    seed(ctx)
    add_examples(ctx)
    before = _counts(ctx.engine)
    assert before["risk"] == 26 and before["plan_risk"] == 41
    steps = revisions()
    for revision in reversed(steps[:-1]):
        migrate.downgrade(backend_url, revision)
        after = _counts(ctx.engine)
        kept = {k: after[k] for k in before if k in after}
        assert kept == {k: before[k] for k in kept}, f"rows lost going down to {revision}"
    for revision in steps[1:]:
        migrate.upgrade(backend_url, revision)
    after = _counts(ctx.engine)
    assert {k: v for k, v in after.items() if k in before and k not in FROZEN} == {
        k: v for k, v in before.items() if k not in FROZEN
    }
    ctx.engine.dispose()


# Tables a downgrade drops (their rows cannot come back up): 0002's and 0003's own.
FROZEN = {"isk_assessment", "plan_revision", "locked_risk", "locked_measure"}
