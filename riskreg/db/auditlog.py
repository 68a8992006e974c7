"""Reading the audit log through the DB-API driver: the whole chain in order (for
``riskreg audit verify``, tens of thousands of entries in well under a second) and
filtered searches (``riskreg audit log``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from riskreg.db.dbapi import Reader, as_datetime
from riskreg.domain.audit import ChainEntry, canonical_time

# The JSON columns as the text stored, which is what the hashes cover.
COLUMNS = (
    "seq, at, actor, action, entity, entity_id, entity_ref, committee_id, plan_id, "
    "CAST(before AS TEXT), CAST(after AS TEXT), prev_hash, hash"
)
BATCH = 5000


def chain(reader: Reader) -> Iterator[ChainEntry]:
    """Every entry in ``seq`` order, read in batches."""
    last = 0
    while True:
        rows = reader.rows(
            f"SELECT {COLUMNS} FROM audit_entry WHERE seq > :last ORDER BY seq LIMIT :n",
            last=last,
            n=BATCH,
        )
        for row in rows:
            yield entry(row)
        if len(rows) < BATCH:
            return
        last = rows[-1][0]


def head(reader: Reader) -> tuple[int, str] | None:
    rows = reader.rows("SELECT seq, hash FROM audit_chain WHERE id = 1")
    return (int(rows[0][0]), str(rows[0][1])) if rows else None


def latest_for_plan(reader: Reader, plan_id: int) -> tuple[int, str] | None:
    """The last entry concerning a plan year (the anchor its report prints)."""
    rows = reader.rows(
        "SELECT seq, hash FROM audit_entry WHERE plan_id = :p ORDER BY seq DESC LIMIT 1",
        p=plan_id,
    )
    return (int(rows[0][0]), str(rows[0][1])) if rows else None


def search(reader: Reader, where: list[str], params: dict[str, Any]) -> list[ChainEntry]:
    """Entries matching every condition in ``where`` (SQL over the columns above)."""
    condition = " AND ".join(where) or "1 = 1"
    rows = reader.rows(
        f"SELECT {COLUMNS} FROM audit_entry WHERE {condition} ORDER BY seq", **params
    )
    return [entry(row) for row in rows]


def entry(row: tuple[Any, ...]) -> ChainEntry:
    seq, at, actor, action, entity, entity_id, ref, committee, plan, before, after, prev, h = row
    return ChainEntry(
        seq, _time(at), actor, action, entity, entity_id, ref, committee, plan, before, after,
        prev, h,
    )  # fmt: skip


def _time(value: Any) -> str:
    """``canonical_time`` of a stored time. SQLite keeps UTC as "YYYY-MM-DD HH:MM:SS.ffffff"
    (SQLAlchemy's format, always with microseconds), which is rewritten directly: reading
    tens of thousands of entries is then mostly hashing."""
    if isinstance(value, str) and len(value) == 26 and value[10] == " ":
        return f"{value[:10]}T{value[11:]}+00:00"
    moment = as_datetime(value)
    assert moment is not None  # NOT NULL
    return canonical_time(moment)
