"""The quiet notice about what others changed: "2024 kv 2 låstes av controller2"."""

from __future__ import annotations

from collections.abc import Sequence

from riskreg.domain.isk import count_of
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


def notice(changes: Sequence[Change]) -> str:
    """At most a few sentences, the latest last, and how many more there were."""
    lines = [sentence(c) for c in changes[-SHOWN:]]
    more = len(changes) - SHOWN
    if more > 0:
        lines.insert(0, f"(och {count_of(more, 'ändring', 'ändringar')} till)")
    return "\n".join(lines)
