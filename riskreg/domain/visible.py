"""Text for a terminal: characters a terminal would act on, shown instead as symbols.

Register text is typed by many people and imported from files, so it can carry escape
sequences (clear the screen, set the window title, fake a hyperlink), a carriage return
that overwrites what came before on the line, or a bidi override that reorders what the
reader sees. ``visible`` maps each of these to a symbol, so they are seen, never obeyed:

- C0 controls (U+0000–U+001F) become their Unicode control picture, U+2400 + code:
  ESC is ␛, NUL ␀, backspace ␈, carriage return ␍, tab ␉, line feed ␊;
- DEL (U+007F) becomes ␡;
- C1 controls (U+0080–U+009F, e.g. the one-byte CSI U+009B) have no picture and become
  their code point, ``<U+009B>``, as ``less`` shows them;
- the Unicode Bidi_Control characters (U+061C, U+200E, U+200F, the embeddings and
  overrides U+202A–U+202E, the isolates U+2066–U+2069) become ``<U+202E>`` and so on.

``keep_newlines=True`` keeps line feeds as line breaks, for output that is laid out in
lines anyway (a table cell, a paragraph, a message); everything else above still becomes
a symbol, a carriage return included.

Only for display: data formats (JSON, CSV) carry the stored text unchanged.
"""

from __future__ import annotations

import re

# DEL, C1, and the Bidi_Control characters of Unicode (PropList.txt).
_ABOVE_C0 = r"\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(rf"[\x00-\x1f{_ABOVE_C0}]")
"""Every character ``visible`` replaces."""
UNSAFE_ABOVE_C0 = re.compile(rf"[{_ABOVE_C0}]")
"""The ones an encoder that escapes C0 controls itself (JSON) still lets through."""
_UNSAFE_BUT_NEWLINE = re.compile(rf"[\x00-\x09\x0b-\x1f{_ABOVE_C0}]")

_PICTURES = 0x2400  # U+2400 CONTROL PICTURES: the symbol for C0 control n is U+2400 + n
_DELETE_PICTURE = "\u2421"  # ␡


def symbol(char: str) -> str:
    """How one character of ``UNSAFE`` is shown."""
    code = ord(char)
    if code < 0x20:
        return chr(_PICTURES + code)
    if code == 0x7F:
        return _DELETE_PICTURE
    return f"<U+{code:04X}>"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every character a terminal would act on replaced by a symbol."""
    pattern = _UNSAFE_BUT_NEWLINE if keep_newlines else UNSAFE
    return pattern.sub(_symbol_of, text)


def _symbol_of(match: re.Match[str]) -> str:
    return symbol(match[0])
