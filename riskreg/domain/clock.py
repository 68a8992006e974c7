"""Times as the user reads them: stored in UTC, shown in Swedish local time.

The zone is fixed rather than taken from the machine, so a projector laptop set to UTC
shows the same times as the controller's desktop (and the snapshot tests are stable).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Stockholm")
    except ZoneInfoNotFoundError:  # no tz database on this machine
        return UTC


LOCAL = _zone()


def local_stamp(moment: datetime) -> str:
    """``2024-10-15 11:30`` in Swedish time; a naive value counts as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
