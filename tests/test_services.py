"""The use cases behind the TUI and the CLI, on SQLite and PostgreSQL: reviews with the
audit log, locking, conflicts, acceptance, editing and roll-over."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from riskreg.db.models import AuditEntry, RiskReview
from riskreg.domain.errors import ConflictError, InvalidInput, NotFound
from riskreg.domain.records import Assessment
from riskreg.domain.scales import MeasureStatus, PlanStatus, RiskStatus, Severity
from riskreg.services import editing, plans, reviews
from riskreg.services.context import Context


def _audit(ctx: Context) -> list[AuditEntry]:
    with ctx.reading() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        session.expunge_all()
        return entries


def test_seeded_register_links_risks_across_years(seeded_backend: Context) -> None:
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    assert len(snapshot.risks) == 19
    assert sum(len(r.measures) for r in snapshot.risks) == 27
    assert len(plans.load_plan(ctx, 2022).risks) == 22
    history = plans.risk_history(ctx, "PS-02")
    assert [y.year for y in history.years] == [2022, 2024]
    assert "rubusta" in history.years[0].text and "robusta" in history.years[1].text
    # no personal names from the seeds in the data: roles only
    roles = {r.name for r in editing.list_roles(ctx)}
    assert "Varje chef" in roles and not any("Åkesson" in r for r in roles)


def test_review_is_saved_with_audit_and_guards_against_overwrites(seeded_backend: Context):
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk("EK-02")
    saved = reviews.record_risk_review(
        ctx, snapshot.plan.id, risk.id, 1, 3, 2, "Stickprov ok", expected_version=0
    )
    assert saved.netto == Assessment(3, 2) and saved.version == 1
    with pytest.raises(ConflictError):  # someone loaded before the first save
        reviews.record_risk_review(ctx, snapshot.plan.id, risk.id, 1, 4, 4, expected_version=0)
    reviews.record_risk_review(ctx, snapshot.plan.id, risk.id, 1, 2, 2, expected_version=1)
    reloaded = plans.load_plan(ctx, 2024).risk("EK-02")
    assert reloaded.review_in(reloaded.reviews[0].period).netto == Assessment(2, 2)  # type: ignore[union-attr]
    entries = [e for e in _audit(ctx) if e.action == "bedömde risk"]
    assert entries[0].before is None
    assert entries[1].before == {"sannolikhet": 3, "konsekvens": 2, "kommentar": "Stickprov ok"}
    assert entries[1].after["sannolikhet"] == 2 and entries[1].actor == ctx.actor


def test_values_out_of_range_are_refused_and_nothing_is_written(seeded_backend: Context):
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk("EK-02")
    with pytest.raises(InvalidInput, match="Sannolikhet ska vara ett heltal 1–4, inte 5"):
        reviews.record_risk_review(ctx, snapshot.plan.id, risk.id, 1, 5, 2)
    measure = risk.measures[0]
    with pytest.raises(InvalidInput, match="avvikelse behöver både"):
        reviews.record_measure_review(
            ctx, snapshot.plan.id, measure.id, 1, MeasureStatus.DONE, deviation="Kassan stämde inte"
        )
    with ctx.reading() as session:
        assert session.scalars(select(RiskReview)).all() == []


def test_locked_period_refuses_changes_until_reopened_with_a_reason(seeded_backend: Context):
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    plan_id, measure = snapshot.plan.id, snapshot.risk("EK-02").measures[0]
    reviews.record_measure_review(
        ctx,
        plan_id,
        measure.id,
        2,
        MeasureStatus.DONE,
        deviation="Differens 200 kr",
        severity=Severity.MINOR,
    )
    reviews.lock_period(ctx, plan_id, 2)
    with pytest.raises(InvalidInput, match="låst"):
        reviews.record_measure_review(ctx, plan_id, measure.id, 2, MeasureStatus.NOT_DONE)
    with pytest.raises(InvalidInput, match="Ange varför"):
        reviews.reopen_period(ctx, plan_id, 2, "  ")
    reviews.reopen_period(ctx, plan_id, 2, "Revisorerna hittade en felaktig uppgift.")
    reviews.record_measure_review(ctx, plan_id, measure.id, 2, MeasureStatus.NOT_DONE)
    reopened = [e for e in _audit(ctx) if e.action == "öppnade period igen"]
    assert reopened[0].after == {
        "låst": False,
        "motivering": "Revisorerna hittade en felaktig uppgift.",
    }


def test_only_an_adopted_plan_is_reviewed(seeded_backend: Context):
    ctx = seeded_backend
    old = plans.load_plan(ctx, 2022)
    with pytest.raises(InvalidInput, match="avslutad"):
        reviews.record_risk_review(ctx, old.plan.id, old.risks[0].id, 1, 2, 2)


def test_accept_edit_and_conflict(seeded_backend: Context):
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk("HF-03")
    with pytest.raises(InvalidInput, match="vem som beslutade"):
        editing.accept_risk(ctx, snapshot.plan.id, risk.id, risk.version, "", "Läge", None)
    editing.accept_risk(
        ctx,
        snapshot.plan.id,
        risk.id,
        risk.version,
        "Hälso- och sjukvårdsnämnden",
        "Ekonomiskt läge",
        date(2025, 12, 31),
    )
    accepted = plans.load_plan(ctx, 2024).risk("HF-03")
    assert accepted.status is RiskStatus.ACCEPTED
    assert accepted.acceptance is not None and accepted.acceptance.until == date(2025, 12, 31)
    with pytest.raises(ConflictError):  # the stale version the TUI had loaded
        editing.update_risk(
            ctx,
            snapshot.plan.id,
            risk.id,
            risk.version,
            editing.RiskFields(area="HF", text="Ny text"),
            reason="Nämnden beslutade ny lydelse.",
        )
    editing.update_risk(
        ctx,
        snapshot.plan.id,
        risk.id,
        accepted.version,
        editing.RiskFields(area="Hälsofrämjande", text="Ny  text", brutto=Assessment(3, 4)),
        reason="Nämnden beslutade ny lydelse.",
    )
    edited = plans.load_plan(ctx, 2024).risk("HF-03")
    assert edited.text == "Ny text" and edited.brutto == Assessment(3, 4)
    assert plans.load_plan(ctx, 2022).risk("HF-03").text.startswith("Risken att inriktningsbeslut")


def test_add_risk_and_measure_with_roles(seeded_backend: Context):
    ctx = seeded_backend
    plan_id = plans.load_plan(ctx, 2024).plan.id
    with pytest.raises(InvalidInput, match="fastställd: ange en motivering"):
        editing.add_risk(ctx, plan_id, editing.RiskFields(area="EK", text="Momsrisk."))
    ref = editing.add_risk(
        ctx,
        plan_id,
        editing.RiskFields(area="EK", text="Risken att moms redovisas fel."),
        reason="Ny risk efter revisionens granskning.",
    )
    assert ref == "EK-08"
    risk = plans.load_plan(ctx, 2024).risk(ref)
    editing.add_measure(
        ctx,
        plan_id,
        risk.id,
        editing.MeasureFields(text="Månadsvis avstämning.", roles=("Verksamhetschef",)),
        reason="Ny risk efter revisionens granskning.",
    )
    with pytest.raises(NotFound, match="Okänd roll"):
        editing.add_measure(
            ctx,
            plan_id,
            risk.id,
            editing.MeasureFields(text="X", roles=("Påven",)),
            reason="Test.",
        )
    assert plans.load_plan(ctx, 2024).risk(ref).measures[0].roles == ("Verksamhetschef",)


def test_roll_forward_copies_plan_not_reviews(seeded_backend: Context):
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    closing = snapshot.risk("FU-02")
    editing.close_risk(ctx, snapshot.plan.id, closing.id, closing.version, "Uppdraget är avslutat.")
    reviews.record_risk_review(ctx, snapshot.plan.id, snapshot.risks[0].id, 1, 2, 2)
    new = editing.roll_forward(ctx, snapshot.plan.id)
    assert new.plan.year == 2025 and new.plan.status is PlanStatus.DRAFT
    assert [(x.ref, x.why) for x in new.left_out] == [("FU-02", "risken avslutades 2024")]
    rolled = plans.load_plan(ctx, 2025)
    assert len(rolled.risks) == 18 and "FU-02" not in [r.ref for r in rolled.risks]
    assert sum(len(r.measures) for r in rolled.risks) == 26
    assert all(r.review_in(p.ref) is None for r in rolled.risks for p in rolled.plan.periods)
    assert rolled.risks[0].reviews  # history from 2024 is still the risk's history
    with pytest.raises(InvalidInput, match="redan en plan för 2025"):
        editing.roll_forward(ctx, snapshot.plan.id)


def test_a_stale_role_rename_is_a_conflict(seeded_backend: Context) -> None:
    ctx = seeded_backend
    role = next(r for r in editing.list_roles(ctx) if r.name == "Varje chef")
    editing.save_role(
        ctx, role.id, "Varje chef och ställföreträdare", expected_version=role.version
    )
    with pytest.raises(ConflictError, match="Rollen ”Varje chef och ställföreträdare”"):
        editing.save_role(ctx, role.id, "Alla chefer", expected_version=role.version)
    assert {r.name for r in editing.list_roles(ctx)} >= {"Varje chef och ställföreträdare"}
