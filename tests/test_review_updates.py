"""Review rows changed in bulk (``repo.ReviewUpdates``, what a workbook read-in of
thousands of answers uses) keep the optimistic locking of one-by-one ORM updates: each
row is written only where it still has the version that was loaded, on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from riskreg.db import repo
from riskreg.db.models import MeasureReview
from riskreg.domain.errors import ConflictError
from riskreg.domain.scales import MeasureStatus
from riskreg.services import reviews
from riskreg.services.context import Context
from riskreg.services.plans import load_plan


def _reviews(ctx: Context, count: int) -> list[int]:
    """Ids of ``count`` åtgärder followed up in 2024 kv 2 (saved through the service)."""
    plan = load_plan(ctx, 2024)
    measures = [m for r in plan.risks for m in r.measures][:count]
    for measure in measures:
        reviews.record_measure_review(ctx, plan.plan.id, measure.id, 2, MeasureStatus.IN_PROGRESS)
    return [m.id for m in measures]


def test_bulk_updates_bump_each_version_and_the_session_agrees(seeded_backend: Context) -> None:
    ctx = seeded_backend
    ids = _reviews(ctx, 3)
    with ctx.transaction() as session:
        rows = session.scalars(select(MeasureReview).where(MeasureReview.measure_id.in_(ids)))
        loaded = list(rows)
        versions = {r.measure_id: r.version for r in loaded}
        updates = repo.ReviewUpdates()
        for row in loaded:
            updates.set(row, {"status": "genomförd", "comment": "klar"})
        updates.write(session)
        assert all(r.status == "genomförd" for r in loaded)
        assert {r.measure_id: r.version - 1 for r in loaded} == versions
        assert not session.dirty  # nothing left for the ORM to write again
    plan = load_plan(ctx, 2024)
    ref = plan.plan.periods[1].ref
    stored = {m.id: m.review_in(ref) for r in plan.risks for m in r.measures if m.id in ids}
    assert {
        mid: (r.status, r.comment, r.version - 1) for mid, r in stored.items() if r is not None
    } == {mid: (MeasureStatus.DONE, "klar", v) for mid, v in versions.items()}


def test_a_row_changed_meanwhile_stops_the_whole_save(seeded_backend: Context) -> None:
    ctx = seeded_backend
    ids = _reviews(ctx, 2)
    conflict = pytest.raises(ConflictError, match="Någon annan ändrade samma uppgift samtidigt")
    with conflict, ctx.transaction() as session:
        query = select(MeasureReview).where(MeasureReview.measure_id.in_(ids))
        loaded = list(session.scalars(query))
        # another writer gets to the second row first
        bump = update(MeasureReview).where(MeasureReview.id == loaded[1].id)
        behind_our_back = {"synchronize_session": False}  # the loaded object keeps its version
        session.execute(
            bump.values(version=loaded[1].version + 1), execution_options=behind_our_back
        )
        updates = repo.ReviewUpdates()
        for row in loaded:
            updates.set(row, {"status": "genomförd"})
        updates.write(session)
    plan = load_plan(ctx, 2024)
    ref = plan.plan.periods[1].ref
    kept = [m.review_in(ref) for r in plan.risks for m in r.measures if m.id in ids]
    # rolled back, the first row too
    assert [r.status if r else None for r in kept] == [MeasureStatus.IN_PROGRESS] * 2
