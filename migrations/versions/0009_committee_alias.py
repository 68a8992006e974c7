"""committee alias: other names a nämnd is known by

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Hand-written. ``committee_alias`` holds the names ``riskreg nämnd alias`` stores; an alias
is unique over the register (it names one nämnd). Existing registers get no aliases.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "committee_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committee.id"],
            name=op.f("fk_committee_alias_committee_id_committee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_alias")),
        sa.UniqueConstraint("alias", name=op.f("uq_committee_alias_alias")),
    )


def downgrade() -> None:
    op.drop_table("committee_alias")
