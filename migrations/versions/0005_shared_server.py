"""shared server: which roles may change which nämnd; on PostgreSQL the log's actor is the
server's login

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Hand-written. ``committee_access`` on every database. On PostgreSQL also a trigger that
refuses an audit entry whose actor is not ``session_user``: the log names the login that
made the change, and no client setting can say otherwise.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from riskreg.db.rights import ACTOR_TRIGGER, DROP_ACTOR_TRIGGER

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "committee_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committee.id"],
            name=op.f("fk_committee_access_committee_id_committee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_access")),
        sa.UniqueConstraint(
            "committee_id", "role_name", name=op.f("uq_committee_access_committee_id_role_name")
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ACTOR_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP_ACTOR_TRIGGER)
    op.drop_table("committee_access")
