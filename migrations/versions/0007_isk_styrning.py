"""isk styrning: the conclusion's account of intern styrning (krav a–b) and the named
handläggare

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Hand-written. Two text columns on ``isk_assessment``: ``governance`` (what the nämnd's
follow-up of goals, uppdrag and budget shows: krav a–b, which the register does not hold)
and ``handler_name`` (the handläggare's own name, beside the role in ``handler``). Existing
rows get empty texts, which the report prints as missing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("isk_assessment") as batch:
        batch.add_column(sa.Column("governance", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("handler_name", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("isk_assessment") as batch:
        batch.alter_column("governance", server_default=None)
        batch.alter_column("handler_name", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("isk_assessment") as batch:
        batch.drop_column("handler_name")
        batch.drop_column("governance")
