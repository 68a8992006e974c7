"""A register shared on a real PostgreSQL server (the one .ci/run starts): the roles script,
a controller who may change only her own nämnd, a revisor who reads and writes nothing,
an actor the server names, and a log that even the owner cannot edit unnoticed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from riskreg.db.migrate import upgrade
from riskreg.db.rights import roles_script
from riskreg.domain.errors import DatabaseProblem
from riskreg.services import editing, plans, reviews, rights
from riskreg.services.database import open_register
from riskreg.services.importing import import_plan
from riskreg.services.seeding import seed
from tests.clirun import run_cli
from tests.conftest import _postgres_database

pytestmark = pytest.mark.postgres

SECOND_PLAN = (
    "Verksamhet\tRisk\tÅtgärd\n"
    "Ekonomi\tRisken att bidrag betalas ut felaktigt.\tStickprov av utbetalningar.\n"
)


def _as(url: str, user: str) -> str:
    return make_url(url).set(username=user).render_as_string(hide_password=False)


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A seeded register with two nämnder, the roles script applied, and three logins:
    a controller for each nämnd and a revisor."""
    pending: list[str] = []
    for url in _postgres_database():
        upgrade(url)
        admin = open_register(url)
        seed(admin)
        plan_file = tmp_path / "kultur.txt"
        plan_file.write_text(SECOND_PLAN, encoding="utf-8")
        import_plan(admin, plan_file, year=2024, committee="Kulturnämnden", short_name="KN")
        rights.apply_roles(admin)
        suffix = uuid.uuid4().hex[:6]
        users = {"anna": f"anna_{suffix}", "bertil": f"bertil_{suffix}", "revisor": f"rev_{suffix}"}
        server = create_engine(url, isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            for key, login in users.items():
                group = "riskreg_revisor" if key == "revisor" else "riskreg_controller"
                conn.execute(text(f"CREATE ROLE {login} LOGIN IN ROLE {group}"))
        rights.grant(admin, "HSN", users["anna"])
        rights.grant(admin, "KN", users["bertil"])
        admin.engine.dispose()
        try:
            yield {"url": url, **{k: _as(url, v) for k, v in users.items()}}
        finally:
            server.dispose()
            pending.extend(users.values())
    _drop_roles(pending)  # after _postgres_database has dropped the database


def _drop_roles(logins: list[str]) -> None:
    import os

    server = create_engine(
        make_url(os.environ["RISKREG_TEST_POSTGRES_URL"]).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
    )
    with server.connect() as conn:
        for login in logins:
            conn.execute(text(f"DROP ROLE IF EXISTS {login}"))
    server.dispose()


def test_the_roles_script_is_printed_for_psql(capsys) -> None:
    script = roles_script()
    assert script.startswith("BEGIN;") and script.rstrip().endswith("COMMIT;")
    assert "FORCE ROW LEVEL SECURITY" in script
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry" in script


def test_a_controller_changes_only_her_own_nämnd(shared: dict[str, str]) -> None:
    anna = open_register(shared["anna"])
    assert anna.actor == make_url(shared["anna"]).username
    hsn = plans.load_plan(anna, 2024, "HSN")
    saved = reviews.record_risk_review(anna, hsn.plan.id, hsn.risks[0].id, 1, 2, 2)
    assert saved.reviewed_by == anna.actor
    kn = plans.load_plan(anna, 2024, "KN")
    with pytest.raises(DatabaseProblem, match="inte behörighet"):
        editing.add_risk(anna, kn.plan.id, editing.RiskFields(area="Ekonomi", text="Ny."))
    with pytest.raises(DatabaseProblem, match="inte behörighet"):
        risk = kn.risks[0]
        editing.update_risk(
            anna, kn.plan.id, risk.id, risk.version,
            editing.RiskFields(area="Ekonomi", text="Ändrad av fel person."),
        )  # fmt: skip
    assert plans.load_plan(anna, 2024, "KN").risks[0].text == kn.risks[0].text
    # Her own log entry names her login, and she cannot rewrite it.
    with anna.engine.connect() as conn, pytest.raises(Exception, match="permission denied"):
        conn.execute(text("UPDATE audit_entry SET actor = 'någon' WHERE seq = 1"))
    anna.engine.dispose()


def test_nobody_can_log_in_someone_elses_name(shared: dict[str, str]) -> None:
    anna = open_register(shared["anna"])
    anna.actor = "bertil"  # what a modified client might try
    hsn = plans.load_plan(anna, 2024, "HSN")
    with pytest.raises(DatabaseProblem, match="inte behörighet"):
        reviews.record_risk_review(anna, hsn.plan.id, hsn.risks[0].id, 1, 3, 3)
    anna.engine.dispose()


def test_the_revisor_reads_and_writes_nothing(capsys, shared: dict[str, str]) -> None:
    listing = run_cli(capsys, "--db", shared["revisor"], "risks", "--alla", "--format", "json")
    assert listing.code == 0, listing.err
    assert len(json.loads(listing.out)) == 20  # 19 HSN + 1 KN
    verify = run_cli(capsys, "--db", shared["revisor"], "audit", "verify")
    assert verify.code == 0, verify.err
    revisor = open_register(shared["revisor"])
    hsn = plans.load_plan(revisor, 2024, "HSN")
    with pytest.raises(DatabaseProblem, match="inte behörighet"):
        reviews.record_risk_review(revisor, hsn.plan.id, hsn.risks[0].id, 1, 2, 2)
    set_grade = run_cli(
        capsys, "--db", shared["revisor"], "isk", "set", "--year", "2024", "--nämnd", "HSN",
        "--dnr", "24RS1",
    )  # fmt: skip
    assert set_grade.code == 3 and "inte behörighet" in set_grade.err
    revisor.engine.dispose()


def test_an_owner_edit_of_the_log_is_caught(capsys, shared: dict[str, str]) -> None:
    owner = create_engine(shared["url"])
    with owner.begin() as conn:  # the superuser bypasses every right
        conn.execute(text("UPDATE audit_entry SET after = NULL WHERE seq = 3"))
    owner.dispose()
    result = run_cli(capsys, "--db", shared["revisor"], "audit", "verify")
    assert result.code == 4 and "Post 3 har ändrats i efterhand" in result.err
