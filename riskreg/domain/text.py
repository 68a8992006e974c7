"""Swedish text: sorting the way a Swedish reader expects, and counted nouns."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# å, ä, ö sort after z in that order (æ and ø with ä and ö; é with e, ü with y), which
# plain code-point order gets wrong.
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "é": "e", "ü": "y"})


@lru_cache(maxsize=8192)
def swedish_key(text: str) -> str:
    """Sort key that orders Swedish words the way a Swedish reader expects."""
    return text.casefold().translate(_SWEDISH)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by dashes ("Hälso- och sjukvård" gives
    "halso-och-sjukvard"): a file name part no file system or shell minds."""
    ascii_name = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())


def count_of(n: int, singular: str, plural: str) -> str:
    """``n`` with the noun phrase in the right number: "1 accepterad risk", "2 accepterade
    risker", "0 risker". The one helper for Swedish plurals in what riskreg prints."""
    return f"{n} {singular if n == 1 else plural}"


NBSP = "\u00a0"


def percent(value: int | str) -> str:
    """ "89 %" with a non-breaking space, so the sign never starts a line."""
    return f"{value}{NBSP}%"
