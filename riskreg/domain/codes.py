"""The code of a new verksamhet: short, readable, free, and never running out.

A code prefixes the references of the verksamhet's risks ("EK" gives EK-01, EK-02, …), so
it is capital letters and digits only, at most ``limits.AREA_CODE_MAX`` characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

# The first letter when a name has no letter A–Z (or none that decomposes to one): "2030".
_NO_LETTER = "V"


def area_code(name: str, taken: Collection[str]) -> str:
    """The code for a new verksamhet called ``name`` that is not in ``taken``.

    First the name's first letter and one of its later letters, in the order they come
    ("EK", "EO", "EN", … for Ekonomi), then the first letter and a number ("E1", "E2", …).
    Only ``taken`` decides which one, so the same register and file give the same codes.
    """
    used = {code.upper() for code in taken}
    letters = [c for c in unicodedata.normalize("NFKD", name.upper()) if "A" <= c <= "Z"]
    first = letters[0] if letters else _NO_LETTER
    for code in dict.fromkeys(first + later for later in letters[1:]):
        if code not in used:
            return code
    # One of the numbers 1 … len(used) + 1 is free, so this always finds a code, and the
    # code fits: limits.AREA_CODE_MAX (8) characters hold the letter and any number up to
    # 9 999 999, far more verksamheter than a nämnd has.
    numbered = (f"{first}{n}" for n in range(1, len(used) + 2))
    return next(code for code in numbered if code not in used)
