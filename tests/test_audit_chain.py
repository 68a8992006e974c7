"""The audit log is a hash chain: ``riskreg audit verify`` finds any entry altered,
removed or inserted behind the program's back (any SQL client will do), on SQLite and
PostgreSQL; ``riskreg audit log`` searches it; the ISK report prints its anchor."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from riskreg.db.dbapi import as_datetime
from riskreg.domain.audit import GENESIS, canonical_time, entry_hash
from riskreg.services import isk, plans, reviews
from riskreg.services.context import Context
from tests.clirun import run_cli


def _verify(capsys: pytest.CaptureFixture[str], ctx: Context):  # type: ignore[no-untyped-def]
    return run_cli(capsys, "--db", ctx.target.url, "audit", "verify")


def _edit(ctx: Context, sql: str, **params: object) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(text(sql), params)


def _reviewed(ctx: Context) -> int:
    snapshot = plans.load_plan(ctx, 2024)
    for risk in snapshot.risks[:5]:
        reviews.record_risk_review(ctx, snapshot.plan.id, risk.id, 1, 2, 2)
    with ctx.engine.connect() as conn:
        return int(conn.execute(text("SELECT max(seq) FROM audit_entry")).scalar_one())


def test_a_whole_chain_verifies(capsys, seeded_backend: Context) -> None:
    last = _reviewed(seeded_backend)
    result = _verify(capsys, seeded_backend)
    assert result.code == 0, result.err
    count, head = result.out.split()
    assert int(count) == last and len(head) == 64
    assert "hashkedja är hel" in result.err


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("UPDATE audit_entry SET after = NULL WHERE seq = :n", "Post {n} har ändrats i efterhand"),
        ("UPDATE audit_entry SET actor = 'någon annan' WHERE seq = :n", "Post {n} har ändrats"),
        ("DELETE FROM audit_entry WHERE seq = :n", "Post {n} saknas"),
        ("DELETE FROM audit_entry WHERE seq >= :last", "saknas"),
        ("UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= :n", "saknas"),
    ],
)
def test_tampering_is_found(capsys, seeded_backend: Context, tamper: str, message: str) -> None:
    last = _reviewed(seeded_backend)
    n = last - 3
    _edit(seeded_backend, tamper, n=n, last=last)
    result = _verify(capsys, seeded_backend)
    assert result.code == 4
    assert message.format(n=n) in result.err
    assert "Traceback" not in result.err


def test_a_forged_entry_with_a_recomputed_hash_is_found(capsys, seeded_backend: Context) -> None:
    """Someone who knows the algorithm rewrites one entry and its hash: the next entry no
    longer points at it."""
    last = _reviewed(seeded_backend)
    n = last - 2
    with seeded_backend.engine.begin() as conn:
        row = conn.execute(
            text(
                "SELECT at, actor, action, entity, entity_id, entity_ref, committee_id, plan_id, "
                "CAST(before AS TEXT), prev_hash FROM audit_entry WHERE seq = :n"
            ),
            {"n": n},
        ).one()
        moment = as_datetime(row[0])
        assert moment is not None
        forged = entry_hash(
            seq=n, at=canonical_time(moment), actor="revisorn", action=row[2], entity=row[3],
            entity_id=row[4], entity_ref=row[5], committee_id=row[6], plan_id=row[7],
            before=row[8], after=None, prev_hash=row[9],
        )  # fmt: skip
        conn.execute(
            text(
                "UPDATE audit_entry SET actor = 'revisorn', after = NULL, hash = :h WHERE seq = :n"
            ),
            {"h": forged, "n": n},
        )
    result = _verify(capsys, seeded_backend)
    assert result.code == 4
    assert f"Post {n + 1} pekar inte på posten före" in result.err


def test_the_log_can_be_searched(capsys, seeded_backend: Context) -> None:
    _reviewed(seeded_backend)
    url = seeded_backend.target.url
    found = run_cli(
        capsys, "--db", url, "audit", "log", "--period", "2024 kv 1", "--format", "json"
    )
    assert found.code == 0, found.err
    entries = json.loads(found.out)
    assert len(entries) == 5 and {e["händelse"] for e in entries} == {"bedömde risk"}
    assert all(e["vem"] == seeded_backend.actor for e in entries)
    none = run_cli(capsys, "--db", url, "audit", "log", "--vem", "ingen")
    assert none.code == 0 and "Inga loggposter matchar" in none.err
    bad = run_cli(capsys, "--db", url, "audit", "log", "--från", "2024-13-01")
    assert bad.code == 2 and "inget datum" in bad.err


def test_the_report_anchors_the_log(seeded_backend: Context) -> None:
    _reviewed(seeded_backend)
    report = isk.build_report(seeded_backend, 2024)
    assert report.log_anchor is not None
    seq, digest = report.log_anchor
    with seeded_backend.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT hash, plan_id FROM audit_entry WHERE seq = :s"), {"s": seq}
        ).one()
    assert stored[0] == digest and stored[1] == plans.load_plan(seeded_backend, 2024).plan.id
    # 2022 is anchored at its own last entry, which later years never move.
    old = isk.build_report(seeded_backend, 2022).log_anchor
    assert old is not None and old[0] < seq


def test_an_empty_chain_starts_at_genesis() -> None:
    from riskreg.domain.audit import verify

    verdict = verify([], (0, GENESIS))
    assert verdict.ok and verdict.entries == 0 and verdict.head == GENESIS
