"""ORM rows to frozen records, and the register loader run on a session's connection.

Whole plan years are read by ``db.loader`` (plain SQL on the DB-API connection under the
session, the same SQL ``riskreg risks`` runs without SQLAlchemy); what is left here maps
single ORM rows a service has just written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from riskreg.db import loader
from riskreg.db.dbapi import Reader
from riskreg.db.models import AuditEntry, Plan
from riskreg.domain.records import (
    Assessment,
    MeasureReviewRecord,
    PeriodRef,
    PlanInfo,
    PlanSnapshot,
    RiskReviewRecord,
)
from riskreg.domain.records import (
    AuditEntry as AuditRecord,
)
from riskreg.domain.scales import ControlResult, MeasureStatus, Severity


def reader_of(session: Session) -> Reader:
    """The DB-API connection under the session (inside its transaction) as a ``Reader``."""
    connection = session.connection()
    return Reader(connection.connection.dbapi_connection, connection.dialect.name)


def plan_info(session: Session, plan: Plan) -> PlanInfo:
    session.flush()
    return loader.load_plans(reader_of(session), [plan.id])[0]


def load_snapshot(session: Session, plan: Plan, *, risk_id: int | None = None) -> PlanSnapshot:
    """One plan year; with ``risk_id``, a snapshot holding just that risk."""
    return load_snapshots(session, [plan], risk_id=risk_id)[0]


def load_snapshots(
    session: Session,
    chosen: Sequence[Plan],
    *,
    latest_only: bool = False,
    plan_year_only: bool = False,
    risk_id: int | None = None,
) -> list[PlanSnapshot]:
    """See ``loader.load_snapshots``."""
    session.flush()
    return loader.load_snapshots(
        reader_of(session),
        [p.id for p in chosen],
        latest_only=latest_only,
        plan_year_only=plan_year_only,
        risk_id=risk_id,
    )


def assessment(likelihood: int | None, consequence: int | None) -> Assessment | None:
    if likelihood is None or consequence is None:
        return None
    return Assessment(likelihood, consequence)


class _RiskReviewFields(Protocol):
    likelihood: int
    consequence: int
    comment: str
    reviewed_by: str
    reviewed_at: datetime
    version: int
    source: str | None


class _MeasureReviewFields(Protocol):
    status: str
    result: str | None
    comment: str
    deviation: str | None
    severity: str | None
    reviewed_by: str
    reviewed_at: datetime
    version: int
    source: str | None


def risk_review_record(review: _RiskReviewFields, period: PeriodRef) -> RiskReviewRecord:
    return RiskReviewRecord(
        period=period,
        netto=Assessment(review.likelihood, review.consequence),
        comment=review.comment,
        reviewed_by=review.reviewed_by,
        reviewed_at=review.reviewed_at,
        version=review.version,
        source=review.source,
    )


def measure_review_record(review: _MeasureReviewFields, period: PeriodRef) -> MeasureReviewRecord:
    return MeasureReviewRecord(
        period=period,
        status=MeasureStatus(review.status),
        result=ControlResult(review.result) if review.result else None,
        comment=review.comment,
        deviation=review.deviation,
        severity=Severity(review.severity) if review.severity else None,
        reviewed_by=review.reviewed_by,
        reviewed_at=review.reviewed_at,
        version=review.version,
        source=review.source,
    )


def audit_record(entry: AuditEntry) -> AuditRecord:
    return AuditRecord(
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        entity=entry.entity,
        entity_ref=entry.entity_ref,
        before=entry.before,
        after=entry.after,
        entity_id=entry.entity_id,
    )
