"""isk_assessment: the annual ISK-bedömning per plan year

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Hand-written. A new table only, so no existing row is touched; the grade values are
spelled out here (not imported) so the migration keeps meaning what it meant today.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GRADES = ("tillräcklig", "i allt väsentligt tillräcklig", "inte tillräcklig")


def upgrade() -> None:
    quoted = ", ".join(f"'{g}'" for g in GRADES)
    op.create_table(
        "isk_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=40), nullable=True),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("handler", sa.String(length=200), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("dnr", sa.String(length=40), nullable=True),
        sa.Column("send_to", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_isk_assessment")),
        sa.CheckConstraint(f"grade IN ({quoted})", name=op.f("ck_isk_assessment_grade")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_isk_assessment_plan_id")),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_isk_assessment_plan_id_plan"),
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("isk_assessment")
