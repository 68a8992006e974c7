"""period kind: a plan year is followed up per kvartal, tertial or halvår

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Hand-written. ``plan.period_kind`` (``domain.periods.PeriodKind``) says how many review
periods the year has: 4, 3 or 2. The server default 'kvartal' gives every existing plan
the kind it has always had, so no period, review or label changes. ``review_period``
keeps its column ``quarter`` (the period's number; 1–4 holds every kind).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.add_column(
            sa.Column(
                "period_kind", sa.String(length=10), server_default="kvartal", nullable=False
            )
        )
        batch.create_check_constraint(
            op.f("ck_plan_period_kind"), "period_kind IN ('kvartal', 'tertial', 'halvår')"
        )


def downgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.drop_constraint(op.f("ck_plan_period_kind"), type_="check")
        batch.drop_column("period_kind")
