"""matrix size: sannolikhet and konsekvens on scales up to 5

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Hand-written. A plan may have a 3×3, 4×4 or 5×5 matrix (``domain.matrix.matrix_for_size``),
so the fixed ``BETWEEN 1 AND 4`` CHECKs on netto (``risk_review``) and brutto
(``plan_risk``) become ``BETWEEN 1 AND 5``, the widest matrix; the plan's own matrix
narrows the scale in the services. No row and no stored matrix changes: every existing
plan keeps its 4×4 matrix exactly as it was.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CHECKS = {
    "risk_review": ("likelihood", "consequence"),
    "plan_risk": ("brutto_likelihood", "brutto_consequence"),
}


def _scales(top: int) -> None:
    for table, columns in _CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                name = op.f(f"ck_{table}_{column}")
                batch.drop_constraint(name, type_="check")
                batch.create_check_constraint(name, f"{column} BETWEEN 1 AND {top}")


def upgrade() -> None:
    _scales(5)


def downgrade() -> None:
    _scales(4)
