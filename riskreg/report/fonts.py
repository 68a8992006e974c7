"""The report's fonts: DejaVu Sans, embedded as TrueType subsets.

DejaVu Sans covers Swedish, the Sámi letters (ŋ, đ, ŧ, č, š, ž, á …), the other Latin
letters of names and the symbols the report uses (→ ✓ ↑ ↓ • …). It is not shipped with
riskreg; it is found at run time, in this order:

1. the folder in ``RISKREG_FONT_DIR``;
2. the system's font folders (Debian/Ubuntu: packages ``fonts-dejavu-core`` and
   ``fonts-dejavu-extra``; Fedora: ``dejavu-sans-fonts``; also ``~/.local/share/fonts``).

Missing files give one Swedish sentence naming the packages. Registration is global in
ReportLab and done once. Characters outside the font are replaced by ``MISSING`` before
they reach the page (``printable``) and listed by ``unprintable`` so the user is warned.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from riskreg.domain.errors import InvalidInput

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
MISSING = "\ufffd"  # the replacement character, printed where the font has no glyph

FONT_DIR_VARIABLE = "RISKREG_FONT_DIR"
_FILES = {name: f"{name}.ttf" for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC)}
_SYSTEM_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
)


def font_folder() -> Path:
    """The folder holding all four DejaVu Sans files (see module for the order)."""
    chosen = os.environ.get(FONT_DIR_VARIABLE, "").strip()
    candidates = [Path(chosen).expanduser()] if chosen else []
    candidates += [Path(folder).expanduser() for folder in _SYSTEM_DIRS]
    for folder in candidates:
        if all((folder / file).is_file() for file in _FILES.values()):
            return folder
    where = f"i {chosen} ({FONT_DIR_VARIABLE}) eller " if chosen else ""
    raise InvalidInput(
        f"Typsnittet DejaVu Sans hittades inte {where}i systemets typsnittsmappar: installera "
        "paketen fonts-dejavu-core och fonts-dejavu-extra (Debian/Ubuntu) eller ange mappen "
        f"med filerna {', '.join(sorted(_FILES.values()))} i {FONT_DIR_VARIABLE}."
    )


def register_fonts() -> None:
    """Register the DejaVu Sans family (idempotent) so <b> and <i> in our markup map to it."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    folder = font_folder()
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )


@cache
def _covered() -> frozenset[int]:
    """Code points every face of the family has a glyph for."""
    register_fonts()
    faces = [pdfmetrics.getFont(name).face for name in _FILES]
    common = set(faces[0].charToGlyph)
    for face in faces[1:]:
        common &= set(face.charToGlyph)
    return frozenset(common)


def _printable_char(char: str) -> bool:
    return ord(char) in _covered() or char in "\n\t\r"


def printable(value: str) -> str:
    """``value`` with every character the font cannot print replaced by ``MISSING``."""
    if all(_printable_char(c) for c in value):
        return value
    return "".join(c if _printable_char(c) else MISSING for c in value)


def unprintable(values: Iterable[str]) -> list[str]:
    """The characters in ``values`` the font cannot print, each once, in code-point order
    (control characters are left out: they never reach the page)."""
    found = {c for value in values for c in value if not _printable_char(c) and c.isprintable()}
    return sorted(found)
