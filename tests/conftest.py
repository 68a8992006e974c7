"""Shared fixtures: a migrated and seeded template database, copied for each test.

Tests use a SQLite *file* (Textual workers are threads; an in-memory database is per
connection). ``RISKREG_TEST_POSTGRES_URL`` adds PostgreSQL runs of the tests that take
the ``backend_url`` fixture.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from riskreg.db.engine import make_engine, server_actor
from riskreg.db.migrate import upgrade
from riskreg.db.target import DatabaseTarget
from riskreg.services.context import Context
from riskreg.services.seeding import seed

FIXED_NOW = datetime(2024, 10, 15, 9, 30, tzinfo=UTC)
PG_ENV = "RISKREG_TEST_POSTGRES_URL"
# The 2024 plan table exactly as the source document has it (tests/data/seeds/ says where
# it comes from), so that importer tests run in any clone.
SEED_DOCUMENT_2024 = Path(__file__).parent / "data" / "seeds" / "000_c87e44454b5fd3f6.txt"


def fixed_clock() -> datetime:
    return FIXED_NOW


def make_context(url: str) -> Context:
    engine = make_engine(url)
    actor = server_actor(engine) or "testare"
    return Context(engine, DatabaseTarget(url, False), actor=actor, clock=fixed_clock)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "register.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    ctx = make_context(url)
    seed(ctx)
    with ctx.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.engine.dispose()
    return path


@pytest.fixture
def db_url(template_db: Path, tmp_path: Path) -> str:
    """A seeded SQLite register of this test's own."""
    path = tmp_path / "register.db"
    shutil.copyfile(template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def ctx(db_url: str) -> Iterator[Context]:
    context = make_context(db_url)
    yield context
    context.engine.dispose()


@pytest.fixture
def empty_db_url(tmp_path: Path) -> str:
    """A migrated SQLite register with no data."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    return url


def _admin_engine(server: str) -> Engine:
    return create_engine(
        make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )


def _postgres_database() -> Iterator[str]:
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"PostgreSQL-testerna körs bara när {PG_ENV} pekar på en server (se .ci/run).")
    name = f"riskreg_test_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, unmigrated database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'backend.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated, seeded PostgreSQL database made once per session (per xdist worker):
    the PostgreSQL twin of ``template_db``, copied for each test by ``seeded_backend``."""
    databases = _postgres_database()
    url = next(databases)
    upgrade(url)
    context = make_context(url)
    seed(context)
    context.engine.dispose()  # CREATE DATABASE ... TEMPLATE needs it unused
    yield url
    databases.close()


def _copy_seeded_template(request: pytest.FixtureRequest, url: str) -> None:
    """Make the empty database at ``url`` a copy of the seeded template of its backend:
    migrating and seeding once per session instead of once per test."""
    target = make_url(url)
    if target.get_backend_name() == "sqlite":
        assert target.database is not None and not Path(target.database).exists()
        shutil.copyfile(request.getfixturevalue("template_db"), target.database)
        return
    template = make_url(request.getfixturevalue("postgres_template")).database
    admin = _admin_engine(os.environ[PG_ENV])
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{target.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target.database}" TEMPLATE "{template}"'))
    finally:
        admin.dispose()


@pytest.fixture
def seeded_backend(request: pytest.FixtureRequest, backend_url: str) -> Iterator[Context]:
    """A migrated, seeded register on each backend (a copy of the session's template)."""
    _copy_seeded_template(request, backend_url)
    context = make_context(backend_url)
    yield context
    context.engine.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With RISKREG_NO_SKIP set (as .ci/run does), a skipped test fails the run: CI has
    every server and program the tests need, so a skip there means testing less."""
    if not os.environ.get("RISKREG_NO_SKIP") or exitstatus != pytest.ExitCode.OK:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped:
        names = ", ".join(report.nodeid for report in skipped[:5])
        reporter.write_line(
            f"FEL: {len(skipped)} test hoppades över i CI, där inget får hoppas över: {names}",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
