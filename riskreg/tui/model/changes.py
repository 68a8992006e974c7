"""The quiet notice about what others changed: "2024 kv 2 låstes av controller2"."""

from __future__ import annotations

from collections.abc import Sequence

from riskreg.domain.text import count_of
from riskreg.services.watching import Change

# The logged action in the passive voice, for the actions a meeting needs to notice.
_PASSIVE = {
    "låste period": "låstes",
    "öppnade period igen": "öppnades igen",
    "bedömde risk": "bedömdes",
    "följde upp åtgärd": "följdes upp",
    "accepterade risk": "accepterades",
    "avslutade risk": "avslutades",
    "återaktiverade risk": "återaktiverades",
}
SHOWN = 3


def sentence(change: Change) -> str:
    passive = _PASSIVE.get(change.action)
    if passive is None:
        return f"{change.actor} {change.action}: {change.ref}"
    return f"{change.ref} {passive} av {change.actor}"


# A review meeting's answers arrive by the dozen: they refresh the view and are told as
# one line now and then, while what changes the meeting itself (a lock, a reopening, a
# risk accepted or closed) is named every time.
ROUTINE = frozenset({"bedömde risk", "följde upp åtgärd"})


def notable(changes: Sequence[Change]) -> list[Change]:
    return [c for c in changes if c.action not in ROUTINE]


def notice(changes: Sequence[Change]) -> str:
    """The notable changes (at most a few, the latest last, and how many more there were),
    else one line per writer of routine answers."""
    named = notable(changes)
    if named:
        lines = [sentence(c) for c in named[-SHOWN:]]
        more = len(named) - SHOWN
        if more > 0:
            lines.insert(0, f"(och {count_of(more, 'ändring', 'ändringar')} till)")
        return "\n".join(lines)
    writers: dict[str, list[Change]] = {}
    for change in changes:
        writers.setdefault(change.actor, []).append(change)
    return "\n".join(
        f"{actor} sparade {count_of(len(done), 'svar', 'svar')} (senast {done[-1].ref})"
        for actor, done in writers.items()
    )
