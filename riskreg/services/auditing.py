"""The audit log as evidence: verifying its hash chain and searching it.

Reads through a DB-API ``Reader`` (``db.dbapi``), like ``riskreg risks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from riskreg.db import auditlog
from riskreg.db.dbapi import Reader
from riskreg.domain import audit
from riskreg.domain.audit import ChainEntry, Verdict
from riskreg.domain.clock import LOCAL
from riskreg.domain.records import PeriodRef


def verify(reader: Reader) -> Verdict:
    """The whole chain checked entry by entry, and against the head the register keeps."""
    return audit.verify(auditlog.chain(reader), auditlog.head(reader))


@dataclass(frozen=True)
class LogFilter:
    ref: str | None = None  # a risk reference or any part of the entry's reference
    actor: str | None = None
    action: str | None = None
    period: PeriodRef | None = None
    since: date | None = None  # Swedish dates, both inclusive
    until: date | None = None


def search(reader: Reader, wanted: LogFilter) -> list[ChainEntry]:
    where: list[str] = []
    params: dict[str, object] = {}
    if wanted.ref:
        where.append("lower(entity_ref) LIKE :ref")
        params["ref"] = f"%{wanted.ref.strip().lower()}%"
    if wanted.period:
        where.append("entity_ref LIKE :period")
        params["period"] = f"% {wanted.period.label}"
    if wanted.actor:
        where.append("lower(actor) = :actor")
        params["actor"] = wanted.actor.strip().lower()
    if wanted.action:
        where.append("lower(action) LIKE :action")
        params["action"] = f"%{wanted.action.strip().lower()}%"
    if wanted.since:
        where.append("at >= :since")
        params["since"] = _utc(wanted.since)
    if wanted.until:
        where.append("at < :until")
        params["until"] = _utc(wanted.until + timedelta(days=1))
    return auditlog.search(reader, where, params)


def _utc(day: date) -> datetime:
    """The UTC moment a Swedish calendar day starts, as stored (without zone)."""
    return datetime.combine(day, time(), LOCAL).astimezone(UTC).replace(tzinfo=None)
