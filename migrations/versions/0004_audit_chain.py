"""audit chain: the log as a hash chain with its head, plan per entry, role versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Hand-written, with a data move: the entries already logged are chained in the order they
were written (``id``), each hash computed by ``riskreg.domain.audit.entry_hash`` (pure,
and fixed forever: a change would stop old chains from verifying), and the head row is
set to the last of them. Old entries get no ``plan_id`` (it was not recorded).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from riskreg.domain.audit import GENESIS, canonical_time, entry_hash

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def upgrade() -> None:
    with op.batch_alter_table("role") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain")),
    )
    conn = op.get_bind()
    previous, seq = GENESIS, 0
    rows = conn.execute(
        sa.text(
            "SELECT id, at, actor, action, entity, entity_id, entity_ref, committee_id, "
            "CAST(before AS TEXT), CAST(after AS TEXT) FROM audit_entry ORDER BY id"
        )
    ).all()
    for row in rows:
        seq += 1
        digest = entry_hash(
            seq=seq,
            at=canonical_time(_when(row[1])),
            actor=row[2],
            action=row[3],
            entity=row[4],
            entity_id=row[5],
            entity_ref=row[6],
            committee_id=row[7],
            plan_id=None,
            before=row[8],  # the JSON text as stored: what the hash covers
            after=row[9],
            prev_hash=previous,
        )
        conn.execute(
            sa.text("UPDATE audit_entry SET seq = :s, prev_hash = :p, hash = :h WHERE id = :id"),
            {"s": seq, "p": previous, "h": digest, "id": row[0]},
        )
        previous = digest
    conn.execute(
        sa.text("INSERT INTO audit_chain (id, seq, hash) VALUES (1, :s, :h)"),
        {"s": seq, "h": previous},
    )
    with op.batch_alter_table("role") as batch:
        batch.alter_column("version", server_default=None)
    with op.batch_alter_table("audit_entry") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_audit_entry_seq"), ["seq"])
        batch.create_unique_constraint(op.f("uq_audit_entry_hash"), ["hash"])
        batch.create_index(op.f("ix_audit_entry_plan_id"), ["plan_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_index(op.f("ix_audit_entry_plan_id"))
        batch.drop_constraint(op.f("uq_audit_entry_hash"), type_="unique")
        batch.drop_constraint(op.f("uq_audit_entry_seq"), type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("plan_id")
        batch.drop_column("seq")
    op.drop_table("audit_chain")
    with op.batch_alter_table("role") as batch:
        batch.drop_column("version")
