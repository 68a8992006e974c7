"""Service rules the review meeting relies on, on SQLite and PostgreSQL: an old acceptance
decision can be recorded (and is flagged as expired), reactivating a risk needs a reason,
and a control cannot be "utan anmärkning" while an avvikelse is recorded."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from riskreg.domain.errors import InvalidInput
from riskreg.domain.scales import ControlResult, MeasureKind, MeasureStatus, RiskStatus, Severity
from riskreg.services import editing, plans, reviews
from riskreg.services.context import Context


def _audit_count(ctx: Context) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one())


def test_an_old_acceptance_is_saved_and_flagged_as_expired(seeded_backend: Context) -> None:
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk("HF-03")
    today = ctx.clock().date()
    warning = editing.accept_risk(
        ctx, snapshot.plan.id, risk.id, risk.version, "Nämnden", "Beslut 2023", date(2024, 3, 31)
    )
    assert warning == "Acceptansen gällde till och med 2024-03-31 och har gått ut."
    accepted = plans.load_plan(ctx, 2024).risk("HF-03")
    assert accepted.status is RiskStatus.ACCEPTED
    assert accepted.acceptance is not None and accepted.acceptance.expired(today)
    # one that still holds: no warning
    assert (
        editing.accept_risk(
            ctx,
            snapshot.plan.id,
            risk.id,
            accepted.version,
            "Nämnden",
            "Nytt beslut",
            date(today.year + 1, 12, 31),
        )
        is None
    )


def test_reactivation_needs_a_reason(seeded_backend: Context) -> None:
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk("HF-03")
    editing.accept_risk(ctx, snapshot.plan.id, risk.id, risk.version, "Nämnden", "Låg", None)
    accepted = plans.load_plan(ctx, 2024).risk("HF-03")
    before = _audit_count(ctx)
    with pytest.raises(InvalidInput, match="Ange varför risken återaktiveras"):
        editing.reactivate_risk(ctx, snapshot.plan.id, risk.id, accepted.version, "   ")
    assert _audit_count(ctx) == before
    assert plans.load_plan(ctx, 2024).risk("HF-03").status is RiskStatus.ACCEPTED
    editing.reactivate_risk(ctx, snapshot.plan.id, risk.id, accepted.version, "Nytt läge")
    assert plans.load_plan(ctx, 2024).risk("HF-03").status is RiskStatus.ACTIVE
    assert _audit_count(ctx) == before + 1


def test_no_remark_with_a_deviation_is_refused(seeded_backend: Context) -> None:
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    measure = next(m for r in snapshot.risks for m in r.measures if m.kind is MeasureKind.RECURRING)
    before = _audit_count(ctx)
    with pytest.raises(InvalidInput, match="kan inte vara ”utan anmärkning”"):
        reviews.record_measure_review(
            ctx,
            snapshot.plan.id,
            measure.id,
            1,
            MeasureStatus.IN_PROGRESS,
            result=ControlResult.NO_REMARK,
            deviation="Stickprov saknades.",
            severity=Severity.MODERATE,
        )
    assert _audit_count(ctx) == before
    saved = reviews.record_measure_review(
        ctx,
        snapshot.plan.id,
        measure.id,
        1,
        MeasureStatus.IN_PROGRESS,
        result=ControlResult.DEVIATION,
        deviation="Stickprov saknades.",
        severity=Severity.MODERATE,
    )
    assert saved.result is ControlResult.DEVIATION


def test_risk_show_flags_an_expired_acceptance(capsys, ctx: Context, db_url: str) -> None:  # type: ignore[no-untyped-def]
    import json

    from clirun import run_cli

    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk("HF-03")
    editing.accept_risk(
        ctx, snapshot.plan.id, risk.id, risk.version, "Nämnden", "Beslut 2023", date(2024, 3, 31)
    )
    shown = run_cli(capsys, "--db", db_url, "risk", "show", "HF-03")
    assert shown.code == 0
    assert "Acceptansen gällde till och med 2024-03-31 och har gått ut." in shown.out
    as_json = run_cli(capsys, "--db", db_url, "risk", "show", "HF-03", "--format", "json")
    data = json.loads(as_json.out)
    assert data["accepterad"]["utgången"] is True
