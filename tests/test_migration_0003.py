"""Migration 0003 moves each risk's status to the plan year in which it was set (the audit
log tells which), flags example data as data and freezes periods locked before it."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import text

from riskreg.db import migrate
from riskreg.db.engine import make_engine

MATRIX = json.dumps(
    {
        "sannolikhet": ["1", "2", "3", "4"],
        "konsekvens": ["1", "2", "3", "4"],
        "nivåer": [{"namn": "Låg", "färg": "#00aa00"}, {"namn": "Hög", "färg": "#aa0000"}],
        "rutnät": [[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 1], [0, 1, 1, 1]],
    }
)


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day)


def _insert(conn, table: str, **values: object) -> None:  # type: ignore[no-untyped-def]
    cols = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({cols}) VALUES (:{', :'.join(values)})"), values)


def _old_register(url: str) -> None:
    """A register at 0002: plans 2022 (avslutad) and 2024 (fastställd, kv 1 locked); an
    accepted risk, a closed risk (logged in 2024) and a risk closed with no log entry."""
    migrate.upgrade(url, "0002")
    engine = make_engine(url)
    with engine.begin() as conn:
        _insert(conn, "committee", id=1, name="Hälso- och sjukvårdsnämnden", short_name="HSN")
        _insert(conn, "area", id=1, committee_id=1, code="EK", name="Ekonomi")
        for pid, year, status, created in (
            (1, 2022, "avslutad", "2022-01-01"),
            (2, 2024, "fastställd", "2024-01-10"),
        ):
            _insert(
                conn,
                "plan",
                id=pid,
                committee_id=1,
                year=year,
                status=status,
                matrix=MATRIX,
                version=1,
                created_at=_at(created),
                updated_at=_at(created),
            )
            for q in (1, 2, 3, 4):
                locked = _at("2024-04-05") if (pid, q) == (2, 1) else None
                _insert(
                    conn,
                    "review_period",
                    id=pid * 10 + q,
                    plan_id=pid,
                    quarter=q,
                    locked_at=locked,
                    locked_by="controller" if locked else None,
                )
        risks = (
            (1, "EK-01", "accepterad", "Nämnden", "Låg påverkan", "2025-12-31"),
            (2, "EK-02", "avslutad", None, None, None),
            (3, "EK-03", "avslutad", None, None, None),
            (4, "EK-04", "aktiv", None, None, None),
        )
        for rid, ref, status, by, reason, until in risks:
            _insert(
                conn,
                "risk",
                id=rid,
                committee_id=1,
                area_id=1,
                ref=ref,
                status=status,
                accepted_by=by,
                accepted_reason=reason,
                accepted_until=until,
                version=3,
                created_at=_at("2022-01-01"),
                updated_at=_at("2024-05-01"),
            )
            for pid in (1, 2):
                _insert(
                    conn,
                    "plan_risk",
                    plan_id=pid,
                    risk_id=rid,
                    position=rid,
                    text=f"Risk {ref}",
                    region_wide=False,
                )
            _insert(
                conn,
                "measure",
                id=rid,
                risk_id=rid,
                kind="engångsåtgärd",
                version=1,
                created_at=_at("2022-01-01"),
                updated_at=_at("2022-01-01"),
            )
            _insert(
                conn,
                "plan_measure",
                plan_id=2,
                measure_id=rid,
                position=rid,
                text=f"Åtgärd {ref}",
                region_wide=False,
            )
        _insert(
            conn,
            "risk_review",
            risk_id=4,
            period_id=21,
            likelihood=2,
            consequence=2,
            comment="",
            reviewed_by="controller",
            reviewed_at=_at("2024-04-01"),
            version=1,
        )
        _insert(
            conn,
            "measure_review",
            measure_id=4,
            period_id=21,
            status="pågående",
            comment="",
            reviewed_by="controller",
            reviewed_at=_at("2024-04-01"),
            version=1,
        )
        for action, rid, after, at in (
            ("accepterade risk", 1, {"status": "accepterad"}, "2024-03-01"),
            (
                "avslutade risk",
                2,
                {"status": "avslutad", "motivering": "Uppdraget klart."},
                "2024-05-01",
            ),
            ("lade till exempeldata", 2, {"år": 2024}, "2024-05-02"),
        ):
            _insert(
                conn,
                "audit_entry",
                at=_at(at),
                actor="controller",
                action=action,
                entity="plan" if action.startswith("lade") else "risk",
                entity_id=rid,
                entity_ref="x",
                committee_id=1,
                before=None,
                after=json.dumps(after),
            )
    engine.dispose()


def test_statuses_move_to_the_year_they_were_set_in(backend_url: str) -> None:
    _old_register(backend_url)
    migrate.upgrade(backend_url)
    engine = make_engine(backend_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.ref, p.year, pr.status, pr.accepted_by, pr.accepted_on, "
                "pr.closed_reason FROM plan_risk pr JOIN risk r ON r.id = pr.risk_id "
                "JOIN plan p ON p.id = pr.plan_id ORDER BY r.ref, p.year"
            )
        ).all()
        facts = {
            (ref, year): (status, by, str(on) if on else None, why)
            for ref, year, status, by, on, why in rows
        }
        example = dict(conn.execute(text("SELECT year, example_data FROM plan")).all())
        period = conn.execute(
            text(
                "SELECT locked_risks, locked_risks_reviewed, locked_measures, "
                "locked_measures_reviewed FROM review_period WHERE id = 21"
            )
        ).one()
        members = (
            conn.execute(
                text("SELECT risk_id FROM locked_risk WHERE period_id = 21 ORDER BY risk_id")
            )
            .scalars()
            .all()
        )
    engine.dispose()
    # Accepted and closed in 2024: 2022 is left as it was then, aktiv.
    assert facts[("EK-01", 2022)] == ("aktiv", None, None, None)
    assert facts[("EK-01", 2024)] == ("accepterad", "Nämnden", "2024-03-01", None)
    assert facts[("EK-02", 2022)][0] == "aktiv"
    assert facts[("EK-02", 2024)] == ("avslutad", None, None, "Uppdraget klart.")
    # No log entry: the status belongs to the latest year, with a reason saying so.
    assert facts[("EK-03", 2022)][0] == "aktiv"
    assert facts[("EK-03", 2024)][0] == "avslutad"
    assert facts[("EK-03", 2024)][3]
    assert facts[("EK-04", 2024)][0] == "aktiv"
    assert bool(example[2024]) and not bool(example[2022])
    # kv 1 was locked before: it covers the risks not closed, and keeps its counts.
    assert list(members) == [1, 4]
    assert tuple(period) == (2, 1, 2, 1)


def test_downgrade_gives_the_identity_its_latest_status(backend_url: str) -> None:
    _old_register(backend_url)
    migrate.upgrade(backend_url)
    migrate.downgrade(backend_url, "0002")
    engine = make_engine(backend_url)
    with engine.connect() as conn:
        statuses = dict(conn.execute(text("SELECT ref, status FROM risk")).all())
    engine.dispose()
    assert statuses == {
        "EK-01": "accepterad",
        "EK-02": "avslutad",
        "EK-03": "avslutad",
        "EK-04": "aktiv",
    }
