"""A database that a newer riskreg has migrated: every command, the migrating ones
included, refuses it with the same Swedish sentence and exit code 3, and touches nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from riskreg.db.engine import make_engine
from riskreg.db.migrate import upgrade
from riskreg.db.target import SCHEMA_HEAD, schema_problem
from tests.clirun import run_cli

NEWER = "9999"
COMMANDS = [
    ("risks",),
    ("risks", "--format", "json"),
    ("risk", "show", "EK-01"),
    ("isk", "show"),
    ("init",),
    ("db", "upgrade"),
]


def stamp(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    finally:
        engine.dispose()


def stamped(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_refuses_a_newer_database_alike(
    capsys: pytest.CaptureFixture[str], db_url: str, command: tuple[str, ...]
) -> None:
    stamp(db_url, NEWER)
    result = run_cli(capsys, "--db", db_url, *command)
    problem = schema_problem(NEWER)
    assert problem is not None
    assert result.code == 3
    assert result.err == f"Fel: {problem}\n"
    assert "nyare schemaversion (9999)" in result.err and result.out == ""
    assert stamped(db_url) == NEWER


def test_init_and_upgrade_refuse_a_newer_database_on_each_backend(
    capsys: pytest.CaptureFixture[str], backend_url: str
) -> None:
    upgrade(backend_url)
    stamp(backend_url, NEWER)
    for command in (("init",), ("db", "upgrade")):
        result = run_cli(capsys, "--db", backend_url, *command)
        assert result.code == 3, result.err
        assert f"nyare schemaversion ({NEWER}) än programmet ({SCHEMA_HEAD})" in result.err
    assert stamped(backend_url) == NEWER


def test_db_current_names_the_newer_revision_and_gives_the_right_advice(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    stamp(db_url, NEWER)
    result = run_cli(capsys, "--db", db_url, "db", "current")
    assert result.code == 0
    assert result.out == f"{NEWER}\n"
    assert "uppdatera riskreg" in result.err and "db upgrade" not in result.err
