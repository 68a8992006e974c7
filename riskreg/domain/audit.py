"""The audit log as a hash chain: each entry's hash covers its own canonical content and the
hash of the entry before it, so altering, removing or inserting an entry anywhere breaks
every hash after it. Pure Python; the canonical form below must never change, or old
chains would stop verifying.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

GENESIS = "0" * 64  # the "previous hash" of the first entry


def canonical_json(value: Any) -> str:
    """How the register stores a JSON value (the engine's serializer): sorted keys, no
    whitespace, UTF-8 as is. The log's hashes cover exactly this text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_time(moment: datetime) -> str:
    """A moment as the chain writes it: UTC to the microsecond (a naive value is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class ChainEntry(NamedTuple):
    """One audit entry as the chain sees it: the time in ``canonical_time`` form and
    ``before``/``after`` as the JSON text stored (a named tuple: verifying builds tens of
    thousands of them)."""

    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int
    entity_ref: str
    committee_id: int | None
    plan_id: int | None
    before: str | None
    after: str | None
    prev_hash: str
    hash: str


def entry_hash(
    *,
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    entity_ref: str,
    committee_id: int | None,
    plan_id: int | None,
    before: str | None,
    after: str | None,
    prev_hash: str,
) -> str:
    """SHA-256 of the previous hash and the entry's content as one compact JSON array (the
    stored JSON texts inside it as strings, so they are hashed exactly as stored)."""
    content = json.dumps(
        [seq, at, actor, action, entity, entity_id, entity_ref, committee_id, plan_id,
         before, after],
        ensure_ascii=False,
        separators=(",", ":"),
    )  # fmt: skip
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def recomputed(entry: ChainEntry) -> str:
    fields = entry._asdict()
    del fields["hash"]
    return entry_hash(**fields)


@dataclass(frozen=True)
class Verdict:
    """The result of checking the chain: ``problem`` is None when it is whole."""

    entries: int
    head: str  # the latest hash (GENESIS for an empty log)
    problem: str | None = None
    at_seq: int | None = None  # the first entry that does not fit

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(entries: Iterable[ChainEntry], head: tuple[int, str] | None = None) -> Verdict:
    """Walk the chain in ``seq`` order. ``head`` is the chain head the register keeps
    (last seq and hash): a log that ends early has lost its latest entries."""
    previous, expected_seq, count = GENESIS, 1, 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            if entry.seq < expected_seq:
                return Verdict(
                    count, previous, f"Post {entry.seq} förekommer två gånger.", entry.seq
                )
            missing = (
                expected_seq if entry.seq == expected_seq + 1 else f"{expected_seq}–{entry.seq - 1}"
            )
            return Verdict(count, previous, f"Post {missing} saknas (borttagen).", entry.seq)
        if entry.prev_hash != previous:
            return Verdict(
                count,
                previous,
                f"Post {entry.seq} pekar inte på posten före (infogad eller ändrad kedja).",
                entry.seq,
            )
        if recomputed(entry) != entry.hash:
            return Verdict(count, previous, f"Post {entry.seq} har ändrats i efterhand.", entry.seq)
        previous, expected_seq = entry.hash, expected_seq + 1
    if head is not None and (head[0], head[1]) != (expected_seq - 1, previous):
        last = expected_seq - 1
        if head[0] > last:
            return Verdict(
                count, previous, f"Posterna {last + 1}–{head[0]} saknas (borttagna).", last + 1
            )
        return Verdict(count, previous, "Kedjans huvud stämmer inte med loggens sista post.", last)
    return Verdict(count, previous)
