"""Noticing other writers: the audit chain's head is a change counter that every logged
write moves, so one tiny query tells whether anything changed since last time; only then
are the few new entries read, to say who changed what."""

from __future__ import annotations

from dataclasses import dataclass

from riskreg.db import repo
from riskreg.services.context import Context

SHOWN = 20  # entries read when the counter moved; a notice names at most a few


@dataclass(frozen=True)
class Change:
    seq: int
    actor: str
    action: str  # as logged: "låste period", "bedömde risk", …
    entity: str
    ref: str  # "2024 kv 2", "HR-01 2024 kv 2", …


def head(ctx: Context) -> int:
    """The change counter: the number of the last logged write."""
    with ctx.reading() as session:
        return repo.chain_head(session)


def changes_since(ctx: Context, seen: int) -> tuple[int, list[Change]]:
    """The counter now and what others changed after ``seen`` (this context's own writes
    left out), newest last."""
    with ctx.reading() as session:
        now = repo.chain_head(session)
        if now == seen:
            return now, []
        rows = repo.entries_after(session, seen, SHOWN)
    own = set(ctx.own_entries)
    return now, [Change(*row) for row in rows if row[0] not in own]
