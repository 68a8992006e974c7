"""History is immutable: a closed year and a locked period read the same whatever is done to
later years, on SQLite and PostgreSQL. Facts belong to their plan year; a lock freezes what
the period covered; a fastställd plan changes only through a revision with a reason."""

from __future__ import annotations

import json
from datetime import date

import pytest

from riskreg.domain.errors import InvalidInput
from riskreg.domain.records import Assessment
from riskreg.domain.scales import MeasureKind, MeasureStatus, PlanStatus, RiskStatus
from riskreg.report.isk_pdf import render_isk
from riskreg.services import editing, isk, plans, reviews
from riskreg.services.context import Context
from riskreg.services.examples import add_examples
from riskreg.tui.model.review import build_review
from tests.clirun import run_cli

REASON = "Nämnden beslutade om ändringen 2024-06-12, § 88."


def _listing(capsys: pytest.CaptureFixture[str], url: str, year: int) -> list[dict]:
    result = run_cli(
        capsys, "--db", url, "risks", "--year", str(year), "--alla", "--format", "json"
    )
    assert result.code == 0, result.err
    return json.loads(result.out)


def _review_all(ctx: Context, year: int, quarter: int) -> None:
    snapshot = plans.load_plan(ctx, year)
    for risk in snapshot.risks:
        reviews.record_risk_review(ctx, snapshot.plan.id, risk.id, quarter, 2, 3)
        for measure in risk.measures:
            reviews.record_measure_review(
                ctx, snapshot.plan.id, measure.id, quarter, MeasureStatus.IN_PROGRESS
            )


def _every_kind_of_2024_edit(ctx: Context) -> None:
    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    hf = snapshot.risk("HF-03")  # in 2022 too
    editing.accept_risk(ctx, plan_id, hf.id, hf.version, "Nämnden", "Avvaktar beslut.", None)
    ek = snapshot.risk("EK-03")  # in 2022 too
    editing.close_risk(ctx, plan_id, ek.id, ek.version, "Risken är hanterad.")
    editing.add_risk(ctx, plan_id, editing.RiskFields(area="EK", text="Ny risk."), reason=REASON)
    ps = snapshot.risk("PS-02")
    editing.update_risk(
        ctx,
        plan_id,
        ps.id,
        ps.version,
        editing.RiskFields(area=ps.area, text="Omformulerad risk.", brutto=Assessment(3, 3)),
        reason=REASON,
    )
    _review_all(ctx, 2024, 1)
    reviews.lock_period(ctx, plan_id, 1)
    editing.roll_forward(ctx, plan_id, 2025)


def test_a_closed_year_regenerates_byte_for_byte(
    capsys: pytest.CaptureFixture[str], seeded_backend: Context
) -> None:
    ctx = seeded_backend
    before_pdf = render_isk(isk.build_report(ctx, 2022)).pdf
    before_list = _listing(capsys, ctx.target.url, 2022)
    _every_kind_of_2024_edit(ctx)
    assert render_isk(isk.build_report(ctx, 2022)).pdf == before_pdf
    assert _listing(capsys, ctx.target.url, 2022) == before_list
    hf_2022 = plans.load_plan(ctx, 2022).risk("HF-03")
    assert hf_2022.status is RiskStatus.ACTIVE and hf_2022.acceptance is None
    assert plans.load_plan(ctx, 2024).risk("HF-03").status is RiskStatus.ACCEPTED


def test_example_data_leaves_2022_alone(
    capsys: pytest.CaptureFixture[str], seeded_backend: Context
) -> None:
    ctx = seeded_backend
    before = _listing(capsys, ctx.target.url, 2022)
    add_examples(ctx)
    assert _listing(capsys, ctx.target.url, 2022) == before


def test_a_locked_period_keeps_what_it_covered(seeded_backend: Context) -> None:
    ctx = seeded_backend
    _review_all(ctx, 2024, 1)
    snapshot = plans.load_plan(ctx, 2024)
    locked = reviews.lock_period(ctx, snapshot.plan.id, 1)
    assert locked.frozen is not None and locked.frozen.label == (
        "19 av 19 risker och 27 av 27 åtgärder"
    )
    ek = snapshot.risk("EK-03")
    editing.close_risk(ctx, snapshot.plan.id, ek.id, ek.version, "Hanterad.")
    editing.add_risk(
        ctx, snapshot.plan.id, editing.RiskFields(area="HR", text="Ny risk."), reason=REASON
    )
    after = plans.load_plan(ctx, 2024)
    q1 = build_review(after, 1)
    assert q1.progress == "19 av 19 bedömda" and q1.complete
    assert "EK-03" in [d.risk.ref for d in q1.risks]
    coverage = isk.build_report(ctx, 2024).coverage.periods[0]
    assert (coverage.risks_reviewed, coverage.risks_expected) == (19, 19)
    assert (coverage.measures_reviewed, coverage.measures_expected) == (27, 27)
    # The open kv 2 follows the plan as it stands now: 19 risks (EK-03 out, HR-03 in).
    q2 = build_review(after, 2)
    assert len(q2.risks) == 19 and "EK-03" not in [d.risk.ref for d in q2.risks]
    with pytest.raises(InvalidInput, match="kv 1 är låst"):
        reviews.record_risk_review(ctx, snapshot.plan.id, ek.id, 1, 1, 1)
    reopened = reviews.reopen_period(ctx, snapshot.plan.id, 1, "Rättelse.")
    assert reopened.frozen is None
    # Open again, kv 1 follows the plan: the new risk joins, and EK-03 stays because it
    # was reviewed in kv 1.
    assert len(build_review(plans.load_plan(ctx, 2024), 1).risks) == 20


def test_a_fastställd_plan_changes_only_by_revision(seeded_backend: Context) -> None:
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    hr = snapshot.risk("HR-01")
    fields = editing.RiskFields(
        area=hr.area, text="Ny lydelse.", region_wide=hr.region_wide, requirement=hr.requirement
    )
    with pytest.raises(InvalidInput, match="fastställd: ange en motivering"):
        editing.update_risk(ctx, plan_id, hr.id, hr.version, fields, reason="  ")
    assert plans.load_plan(ctx, 2024).risk("HR-01").text == hr.text  # nothing changed
    editing.update_risk(ctx, plan_id, hr.id, hr.version, fields, reason=REASON)
    with pytest.raises(InvalidInput, match="tas inte bort ur en fastställd plan"):
        editing.delete_risk(ctx, plan_id, hr.id, hr.version + 1)
    info = plans.load_plan(ctx, 2024).plan
    assert [(r.what, r.reason) for r in info.revisions] == [("Ändrade HR-01: ny lydelse", REASON)]
    report = isk.build_report(ctx, 2024)
    assert report.revisions == (
        "Planen reviderad 2024-10-15: Ändrade HR-01: ny lydelse. Motivering: Nämnden beslutade "
        "om ändringen 2024-06-12, § 88.",
    )
    old = plans.load_plan(ctx, 2022)
    with pytest.raises(InvalidInput, match="avslutad och kan inte ändras"):
        editing.close_risk(ctx, old.plan.id, old.risks[0].id, old.risks[0].version, "X")


def test_roll_forward_leaves_out_what_is_finished(seeded_backend: Context) -> None:
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    ek = snapshot.risk("EK-07")
    one_off, dropped, _ = ek.measures
    assert one_off.kind is MeasureKind.ONE_OFF
    reviews.record_measure_review(ctx, plan_id, one_off.id, 1, MeasureStatus.DONE)
    reviews.record_measure_review(ctx, plan_id, dropped.id, 2, MeasureStatus.DROPPED)
    ks = snapshot.risk("KS-01")
    editing.accept_risk(
        ctx, plan_id, ks.id, ks.version, "Nämnden", "Liten risk.", date(2024, 12, 31)
    )
    hf = snapshot.risk("HF-03")
    editing.accept_risk(ctx, plan_id, hf.id, hf.version, "Nämnden", "Avvaktar.", None)
    result = editing.roll_forward(ctx, plan_id)
    whys = {(x.ref, x.why) for x in result.left_out}
    assert ("EK-07", "engångsåtgärden genomfördes 2024") in whys
    assert ("EK-07", "åtgärden utgick 2024") in whys
    assert ("KS-01", "acceptansen gällde till 2024-12-31; risken är aktiv igen") in whys
    rolled = plans.load_plan(ctx, 2025)
    assert result.measures == 25 == sum(len(r.measures) for r in rolled.risks)
    assert rolled.risk("KS-01").status is RiskStatus.ACTIVE
    assert rolled.risk("HF-03").status is RiskStatus.ACCEPTED
    assert rolled.plan.status is PlanStatus.DRAFT
    # A draft's risks and åtgärder can be deleted (logged); the identity keeps 2024.
    assert len(rolled.risk("EK-07").measures) == 1
    new = rolled.risk("HR-01")
    editing.delete_measure(ctx, rolled.plan.id, new.measures[0].id, new.measures[0].version)
    new = plans.load_plan(ctx, 2025).risk("HR-01")
    assert len(new.measures) == 2
    editing.delete_risk(ctx, rolled.plan.id, new.id, new.version)
    assert "HR-01" not in [r.ref for r in plans.load_plan(ctx, 2025).risks]
    assert len(plans.load_plan(ctx, 2024).risk("HR-01").measures) == 3
