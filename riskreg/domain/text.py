"""Swedish text helpers: sorting and whitespace."""

from __future__ import annotations

import re
from functools import lru_cache

# å, ä, ö sort after z in that order (æ and ø with ä and ö; é with e, ü with y), which
# plain code-point order gets wrong.
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "é": "e", "ü": "y"})
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def swedish_key(text: str) -> str:
    """Sort key that orders Swedish words the way a Swedish reader expects."""
    return text.casefold().translate(_SWEDISH)


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _SPACE.sub(" ", text).strip()
