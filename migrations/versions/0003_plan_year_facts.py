"""plan-year facts: status and acceptance per plan year, frozen periods, plan revisions,
the example-data flag

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Hand-written, with a data move:

- A risk's status, acceptance and closing move from the risk's identity to each plan year
  (``plan_risk``). The audit log tells in which year a status was set: the latest plan
  year holding the risk that existed when the status was logged (or the risk's first
  year, if it was logged before any of them). That year and the later ones the risk was
  carried into get the status; earlier years go back to ``aktiv``, which is what they
  said before the later year rewrote them. A status with no log entry belongs to the
  risk's latest plan year.
- ``plan.example_data`` becomes true where the log holds "lade till exempeldata".
- Periods locked before this revision get their membership and counts as the register
  holds them now: the risks not closed (plus any reviewed in the period), and their
  åtgärder not finished earlier that year (plus any followed up in the period).

Vocabulary values are spelled out here (not imported) so the migration keeps meaning
what it meant today.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STATUSES = ("aktiv", "accepterad", "avslutad")
ACTIONS = {"accepterad": "accepterade risk", "avslutad": "avslutade risk"}
EXAMPLE_ACTION = "lade till exempeldata"
CLOSED_WITHOUT_REASON = "Avslutad innan registret sparade motiveringar per planår."


def _in(column: str, allowed: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in allowed)})"


def _json(value: Any) -> dict[str, Any]:
    import json

    if value is None:
        return {}
    return json.loads(value) if isinstance(value, str) else dict(value)


def _when(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def upgrade() -> None:
    with op.batch_alter_table("plan_risk") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="aktiv")
        )
        batch.add_column(sa.Column("accepted_by", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("accepted_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("accepted_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("accepted_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("closed_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("plan") as batch:
        batch.add_column(
            sa.Column("example_data", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("review_period") as batch:
        for name in (
            "locked_risks",
            "locked_risks_reviewed",
            "locked_measures",
            "locked_measures_reviewed",
        ):
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
    op.create_table(
        "locked_risk",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["review_period.id"],
            name=op.f("fk_locked_risk_period_id_review_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risk.id"], name=op.f("fk_locked_risk_risk_id_risk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("period_id", "risk_id", name=op.f("pk_locked_risk")),
    )
    op.create_index(op.f("ix_locked_risk_risk_id"), "locked_risk", ["risk_id"])
    op.create_table(
        "locked_measure",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["review_period.id"],
            name=op.f("fk_locked_measure_period_id_review_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name=op.f("fk_locked_measure_measure_id_measure"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period_id", "measure_id", name=op.f("pk_locked_measure")),
    )
    op.create_index(op.f("ix_locked_measure_measure_id"), "locked_measure", ["measure_id"])
    op.create_table(
        "plan_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_revision_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risk.id"], name=op.f("fk_plan_revision_risk_id_risk"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_revision")),
    )
    op.create_index(op.f("ix_plan_revision_plan_id"), "plan_revision", ["plan_id"])

    conn = op.get_bind()
    _move_statuses(conn)
    conn.execute(
        sa.text(
            "UPDATE plan SET example_data = :yes WHERE id IN (SELECT entity_id FROM audit_entry "
            "WHERE entity = 'plan' AND action = :action)"
        ),
        {"yes": True, "action": EXAMPLE_ACTION},
    )
    _freeze_locked_periods(conn)

    with op.batch_alter_table("plan_risk") as batch:
        batch.alter_column("status", server_default=None)
        batch.create_check_constraint(op.f("ck_plan_risk_status"), _in("status", STATUSES))
        batch.create_check_constraint(
            op.f("ck_plan_risk_acceptance"),
            "status <> 'accepterad' OR (accepted_by IS NOT NULL AND accepted_reason IS NOT NULL)",
        )
        batch.create_check_constraint(
            op.f("ck_plan_risk_closing"), "status <> 'avslutad' OR closed_reason IS NOT NULL"
        )
    with op.batch_alter_table("plan") as batch:
        batch.alter_column("example_data", server_default=None)
    with op.batch_alter_table("risk") as batch:
        batch.drop_constraint(op.f("ck_risk_acceptance"), type_="check")
        batch.drop_constraint(op.f("ck_risk_status"), type_="check")
        batch.drop_column("status")
        batch.drop_column("accepted_by")
        batch.drop_column("accepted_reason")
        batch.drop_column("accepted_until")


def _move_statuses(conn: sa.Connection) -> None:
    risks = conn.execute(
        sa.text(
            "SELECT id, status, accepted_by, accepted_reason, accepted_until FROM risk "
            "WHERE status <> 'aktiv'"
        )
    ).all()
    for risk_id, status, by, reason, until in risks:
        years = conn.execute(
            sa.text(
                "SELECT pr.id, p.created_at FROM plan_risk pr JOIN plan p ON p.id = pr.plan_id "
                "WHERE pr.risk_id = :risk ORDER BY p.year"
            ),
            {"risk": risk_id},
        ).all()
        if not years:
            continue
        entry = conn.execute(
            sa.text(
                "SELECT at, after FROM audit_entry WHERE entity = 'risk' AND entity_id = :risk "
                "AND action = :action ORDER BY at DESC, id DESC"
            ),
            {"risk": risk_id, "action": ACTIONS[status]},
        ).first()
        at = _when(entry[0]) if entry else None
        start = len(years) - 1
        if at is not None:
            existed = [i for i, (_, created) in enumerate(years) if _when(created) <= at]
            start = existed[-1] if existed else 0
        values: dict[str, Any] = {"status": status}
        if status == "accepterad":
            values.update(
                accepted_by=by,
                accepted_reason=reason,
                accepted_until=until,
                accepted_on=at.date() if at else None,
            )
        else:
            logged = _json(entry[1]).get("motivering") if entry else None
            values.update(closed_reason=logged or CLOSED_WITHOUT_REASON, closed_at=at)
        sets = ", ".join(f"{k} = :{k}" for k in values)
        for plan_risk_id, _ in years[start:]:
            conn.execute(
                sa.text(f"UPDATE plan_risk SET {sets} WHERE id = :id"),
                {**values, "id": plan_risk_id},
            )


def _freeze_locked_periods(conn: sa.Connection) -> None:
    periods = conn.execute(
        sa.text("SELECT id, plan_id, quarter FROM review_period WHERE locked_at IS NOT NULL")
    ).all()
    for period_id, plan_id, quarter in periods:
        risk_rows = conn.execute(
            sa.text(
                "SELECT pr.risk_id, pr.status, "
                "(SELECT count(*) FROM risk_review rr WHERE rr.risk_id = pr.risk_id "
                " AND rr.period_id = :period) FROM plan_risk pr WHERE pr.plan_id = :plan"
            ),
            {"plan": plan_id, "period": period_id},
        ).all()
        members = [r for r, status, reviewed in risk_rows if status != "avslutad" or reviewed]
        reviewed_risks = sum(1 for r, _, reviewed in risk_rows if r in members and reviewed)
        statuses: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for measure_id, q, status in conn.execute(
            sa.text(
                "SELECT mr.measure_id, rp.quarter, mr.status FROM measure_review mr "
                "JOIN review_period rp ON rp.id = mr.period_id WHERE rp.plan_id = :plan"
            ),
            {"plan": plan_id},
        ):
            statuses[measure_id].append((q, status))
        measures, reviewed_measures = [], 0
        for measure_id, risk_id, kind in conn.execute(
            sa.text(
                "SELECT m.id, m.risk_id, m.kind FROM plan_measure pm "
                "JOIN measure m ON m.id = pm.measure_id WHERE pm.plan_id = :plan"
            ),
            {"plan": plan_id},
        ):
            if risk_id not in members:
                continue
            here = any(q == quarter for q, _ in statuses[measure_id])
            finished = any(
                q < quarter
                and (status == "utgår" or (status == "genomförd" and kind == "engångsåtgärd"))
                for q, status in statuses[measure_id]
            )
            if here or not finished:
                measures.append(measure_id)
                reviewed_measures += here
        for risk_id in members:
            conn.execute(
                sa.text("INSERT INTO locked_risk (period_id, risk_id) VALUES (:p, :r)"),
                {"p": period_id, "r": risk_id},
            )
        for measure_id in measures:
            conn.execute(
                sa.text("INSERT INTO locked_measure (period_id, measure_id) VALUES (:p, :m)"),
                {"p": period_id, "m": measure_id},
            )
        conn.execute(
            sa.text(
                "UPDATE review_period SET locked_risks = :r, locked_risks_reviewed = :rr, "
                "locked_measures = :m, locked_measures_reviewed = :mr WHERE id = :id"
            ),
            {
                "r": len(members),
                "rr": reviewed_risks,
                "m": len(measures),
                "mr": reviewed_measures,
                "id": period_id,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("risk") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="aktiv")
        )
        batch.add_column(sa.Column("accepted_by", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("accepted_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("accepted_until", sa.Date(), nullable=True))
    conn = op.get_bind()
    # The identity gets the status of its latest plan year, as before this revision.
    latest = conn.execute(
        sa.text(
            "SELECT pr.risk_id, pr.status, pr.accepted_by, pr.accepted_reason, "
            "pr.accepted_until FROM plan_risk pr JOIN plan p ON p.id = pr.plan_id "
            "ORDER BY pr.risk_id, p.year"
        )
    ).all()
    by_risk = {row[0]: row[1:] for row in latest}
    for risk_id, (status, by, reason, until) in by_risk.items():
        conn.execute(
            sa.text(
                "UPDATE risk SET status = :s, accepted_by = :b, accepted_reason = :r, "
                "accepted_until = :u WHERE id = :id"
            ),
            {"s": status, "b": by, "r": reason, "u": until, "id": risk_id},
        )
    with op.batch_alter_table("risk") as batch:
        batch.alter_column("status", server_default=None)
        batch.create_check_constraint(op.f("ck_risk_status"), _in("status", STATUSES))
        batch.create_check_constraint(
            op.f("ck_risk_acceptance"),
            "status <> 'accepterad' OR (accepted_by IS NOT NULL AND accepted_reason IS NOT NULL)",
        )
    op.drop_index(op.f("ix_plan_revision_plan_id"), table_name="plan_revision")
    op.drop_table("plan_revision")
    op.drop_index(op.f("ix_locked_measure_measure_id"), table_name="locked_measure")
    op.drop_table("locked_measure")
    op.drop_index(op.f("ix_locked_risk_risk_id"), table_name="locked_risk")
    op.drop_table("locked_risk")
    with op.batch_alter_table("review_period") as batch:
        for name in (
            "locked_measures_reviewed",
            "locked_measures",
            "locked_risks_reviewed",
            "locked_risks",
        ):
            batch.drop_column(name)
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("example_data")
    with op.batch_alter_table("plan_risk") as batch:
        batch.drop_constraint(op.f("ck_plan_risk_closing"), type_="check")
        batch.drop_constraint(op.f("ck_plan_risk_acceptance"), type_="check")
        batch.drop_constraint(op.f("ck_plan_risk_status"), type_="check")
        for name in (
            "closed_at",
            "closed_reason",
            "accepted_on",
            "accepted_until",
            "accepted_reason",
            "accepted_by",
            "status",
        ):
            batch.drop_column(name)
