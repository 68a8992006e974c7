"""workbook source: which answers came from an owner's follow-up workbook, and which
workbooks have been read in

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Hand-written. ``risk_review.source`` and ``measure_review.source`` say where an answer came
from ("arbetsbok från Ekonomichef"; NULL when it was entered in riskreg), so the review
shows it. ``workbook_read`` records each follow-up workbook read in (by its id, one row
per nämnd it covers), so the same workbook is never read twice and ``riskreg workbooks
status`` can say who answered.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from riskreg.domain.limits import ACTOR_MAX, ROLE_NAME_MAX

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("risk_review", "measure_review"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("source", sa.Text(), nullable=True))
    op.create_table(
        "workbook_read",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workbook_id", sa.String(length=36), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=ROLE_NAME_MAX), nullable=True),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.Column("read_by", sa.String(length=ACTOR_MAX), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["review_period.id"],
            name=op.f("fk_workbook_read_period_id_review_period"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workbook_read")),
        sa.UniqueConstraint(
            "workbook_id", "period_id", name=op.f("uq_workbook_read_workbook_id_period_id")
        ),
    )
    op.create_index(op.f("ix_workbook_read_period_id"), "workbook_read", ["period_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_workbook_read_period_id"), table_name="workbook_read")
    op.drop_table("workbook_read")
    for table in ("measure_review", "risk_review"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("source")
