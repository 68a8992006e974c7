"""The HTML base every accessible report shares: escaping, the document frame with its
inline stylesheet (screen and print), headings, paragraphs, data tables and level colours.

Standard library only. ``Markup`` is HTML we wrote ourselves; every other string that
reaches a builder here is user text and is escaped on the way in (``esc``), with control
and bidi characters shown as symbols (``domain.visible``), so hostile text is shown and
never parsed as markup. No scripts and no external resources: the file is self-contained.

Colour is only ever decoration beside text: a level is always written out, and its cell
gets a light tint of the matrix colour chosen so that the text keeps a contrast of at least
``MIN_CONTRAST`` (WCAG 2.1 AA, 1.4.3).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from riskreg.domain.visible import visible

INK = "#1a1a1a"
MUTED = "#4d5560"
MIN_CONTRAST = 4.5
SAFE_CONTRAST = 7.0  # the tints aim higher than the minimum, so small text stays easy


# Text with no character that ``html.escape`` or ``visible`` would change.
_PLAIN = re.compile(r"[^&<>\"'\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*")


class Markup(str):
    """HTML written by riskreg itself: passed through the builders unescaped."""

    __slots__ = ()

    def __add__(self, other: str) -> Markup:
        return Markup(str.__add__(self, esc(other)))

    def __radd__(self, other: str) -> Markup:
        return Markup(str.__add__(esc(other), self))


Content = str | Markup | Iterable["str | Markup"]


def esc(value: str | Markup) -> Markup:
    """User text as HTML: escaped, control characters as symbols, line breaks kept."""
    if isinstance(value, Markup):
        return value
    if _PLAIN.fullmatch(value):  # most texts: nothing to escape or show
        return Markup(value)
    shown = visible(value.replace("\r\n", "\n"), keep_newlines=True)
    return Markup(html.escape(shown, quote=True).replace("\n", "<br>"))


def join(parts: Iterable[str | Markup], sep: str = "") -> Markup:
    return Markup(sep.join(esc(p) for p in parts))


def _content(content: Content) -> Markup:
    if isinstance(content, str):
        return esc(content)
    return join(content)


def _attrs(attrs: dict[str, str | None]) -> str:
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{html.escape(value, quote=True)}"'
        for name, value in attrs.items()
        if value is not None
    )


def tag(name: str, content: Content = "", **attrs: str | None) -> Markup:
    """``<name attrs>content</name>``; ``class_`` for ``class``, ``aria_label`` for
    ``aria-label``."""
    opened = f"<{name}{_attrs(attrs)}>" if attrs else f"<{name}>"
    return Markup(f"{opened}{_content(content)}</{name}>")


def heading(level: int, title: str | Markup, anchor: str | None = None) -> Markup:
    return tag(f"h{level}", title, id=anchor)


def para(content: Content, class_: str | None = None) -> Markup:
    return tag("p", content, class_=class_)


def paras(texts: Iterable[str | Markup], class_: str | None = None) -> Markup:
    return join(para(t, class_) for t in texts)


def bullets(items: Iterable[Content]) -> Markup:
    return tag("ul", [tag("li", item) for item in items])


def facts(pairs: Sequence[tuple[str, Content]], class_: str = "facts") -> Markup:
    """A description list: label, value."""
    return tag(
        "dl", [Markup(tag("dt", label) + tag("dd", value)) for label, value in pairs], class_=class_
    )


def note(content: Content, kind: str = "note") -> Markup:
    """A framed note (``note``, ``example``, ``grade``)."""
    return tag("div", content, class_=f"box {kind}")


def strong(value: str | Markup) -> Markup:
    return tag("strong", value)


def em(value: str | Markup) -> Markup:
    return tag("em", value)


# -- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell: ``header`` makes it a ``<th scope="row">``; ``fill`` a background
    (a light tint, see ``level_fill``); ``span`` a colspan."""

    content: Content
    header: bool = False
    fill: str | None = None
    class_: str | None = None
    span: int = 1

    def html(self) -> Markup:
        style = f"background-color:{self.fill}" if self.fill else None
        colspan = str(self.span) if self.span > 1 else None
        if self.header:
            return tag(
                "th", self.content, scope="row", class_=self.class_, style=style, colspan=colspan
            )
        return tag("td", self.content, class_=self.class_, style=style, colspan=colspan)


Row = Sequence["Cell | str | Markup"]


def ref_cell(ref: str) -> Cell:
    """A risk's reference as its row's header, never broken at the hyphen."""
    return Cell(ref, header=True, class_="ref")


def _cell(value: Cell | str | Markup) -> Markup:
    return value.html() if isinstance(value, Cell) else tag("td", value)


@dataclass(frozen=True)
class Classed:
    """A table row with a class (``risk``, ``measure``) for the stylesheet."""

    cells: Row
    class_: str


def table(
    caption: str | Markup,
    head: Sequence[str | Markup],
    rows: Iterable[Row | Classed],
    *,
    class_: str | None = None,
) -> Markup:
    """A data table: a caption, one row of column headers (``scope="col"``), and rows whose
    first cell is usually a ``Cell(header=True)``. ``rows`` is read once, so a generator
    keeps a long table from holding all its cells at once."""
    header = tag("tr", [tag("th", label, scope="col") for label in head])
    body: list[Markup] = []
    for row in rows:
        if isinstance(row, Classed):
            body.append(tag("tr", [_cell(c) for c in row.cells], class_=row.class_))
        else:
            body.append(tag("tr", [_cell(c) for c in row]))
    return tag(
        "table",
        [tag("caption", caption), tag("thead", [header]), tag("tbody", body)],
        class_=class_,
    )


# -- colour ------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white: 0 is white, 1 the colour itself."""
    r, g, b = (round(255 - (255 - c * 255) * amount) for c in _rgb(colour))
    return f"#{r:02x}{g:02x}{b:02x}"


@lru_cache(maxsize=64)
def level_fill(colour: str, ink: str = INK) -> str:
    """The strongest light tint of a matrix colour (at most half strength) on which
    ``ink`` reaches ``SAFE_CONTRAST``; never below ``MIN_CONTRAST``."""
    amount = 0.5
    while amount > 0 and contrast(ink, _tint(colour, amount)) < SAFE_CONTRAST:
        amount = round(amount - 0.05, 2)
    return _tint(colour, max(amount, 0.0))


# -- the document ------------------------------------------------------------------------

CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1a1a1a;font:16px/1.5 "DejaVu Sans","Noto Sans",
"Segoe UI",Arial,sans-serif}
.page{max-width:62rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}
header.doc{border-bottom:2px solid #9aa5b1;margin-bottom:1.25rem;padding-bottom:.5rem;
display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 2rem}
header.doc p{margin:0}
.organ{font-weight:bold;color:#1f3a5f}
.muted,.doc .sub{color:#4d5560}
h1{font-size:1.75rem;line-height:1.25;margin:1.5rem 0 1rem}
h2{font-size:1.35rem;color:#1f3a5f;margin:2rem 0 .5rem;break-after:avoid}
h3{font-size:1.1rem;margin:1.5rem 0 .4rem;break-after:avoid}
p{margin:.4rem 0 .8rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1.25rem;margin:.5rem 0 1rem}
dl.facts dt{color:#4d5560}
dl.facts dd{margin:0}
.box{border:2px solid #e0b54a;background:#fff4d6;padding:.6rem .9rem;margin:.8rem 0;
border-radius:3px}
.box.example{border-color:#b3261e;background:#fbe3e1}
.box.grade{border-color:#1f3a5f;background:#eef2f7}
.grade-value{font-size:1.4rem;font-weight:bold;color:#1f3a5f;margin:.2rem 0}
.banner{background:#b3261e;color:#fff;font-weight:bold;text-align:center;padding:.35rem;
margin:0 0 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.25rem;font-size:.9rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0;caption-side:top}
th,td{border:1px solid #9aa5b1;padding:.3rem .45rem;text-align:left;vertical-align:top}
thead th{background:#dfe6ef}
tbody th{font-weight:bold}
tr.risk>*{border-top:2px solid #4d5560;background:#f1f3f6}
tr.measure>th{font-weight:normal}
.num{text-align:right;white-space:nowrap}
.ref{white-space:nowrap}
ul.plain{list-style:none;padding-left:0;margin:0}
ul.plain li{margin:0 0 .3rem}
.level{font-weight:bold}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #1a1a1a;
vertical-align:-.1em;margin-right:.35em}
table.heat td{height:4.5rem;width:20%}
table.heat .refs{display:block;font-size:.85rem}
.missing{font-style:italic;color:#8a1c14}
.rule-text{font-size:.9rem}
footer.doc{border-top:1px solid #9aa5b1;margin-top:2rem;padding-top:.5rem;color:#4d5560;
font-size:.9rem}
section.bilaga{margin-top:3rem;border-top:3px double #9aa5b1}
@media print{
body{font-size:10pt}
.page{max-width:none;padding:0}
table{font-size:8.5pt}
thead{display:table-header-group}
tr,th,td{break-inside:avoid}
h2,h3{break-after:avoid}
section.bilaga{break-before:page;border-top:none;margin-top:0}
section.part{break-before:page}
.box,.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}
td,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
@page{size:A4;margin:18mm 16mm}
"""


def document(
    title: str,
    body: Iterable[str | Markup],
    *,
    description: str = "",
    banner: str | None = None,
) -> bytes:
    """The whole file as UTF-8: language sv, the title in ``<title>``, inline CSS, no
    scripts. ``banner`` (our own text) is shown above everything, e.g. for example data."""
    head = [
        Markup('<meta charset="utf-8">'),
        Markup('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        Markup('<meta name="generator" content="riskreg">'),
        tag("title", title),
    ]
    if description:
        head.append(Markup(f'<meta name="description" content="{esc(description)}">'))
    head.append(Markup(f"<style>{CSS.strip()}</style>"))
    top = para(banner, class_="banner") if banner else Markup("")
    page = Markup('<div class="page">' + "".join(esc(part) for part in body) + "</div>")
    text = (
        "<!DOCTYPE html>\n"
        '<html lang="sv">\n'
        f"<head>{''.join(head)}</head>\n"
        f"<body>{top}{page}</body>\n"
        "</html>\n"
    )
    return text.encode("utf-8")


def doc_header(organ: str, lines_left: Sequence[str], lines_right: Sequence[str]) -> Markup:
    """The header every page of the PDF carries, once at the top of the HTML."""
    left = tag("div", [para(organ, "organ"), *(para(line, "sub") for line in lines_left)])
    right = tag("div", [para(line, "sub") for line in lines_right])
    return tag("header", [left, right], class_="doc")


def doc_footer(source: str, example: bool) -> Markup:
    """The footer: where the data come from, and the example-data marking."""
    lines = [para(source)] + ([para(strong("EXEMPELDATA"))] if example else [])
    return tag("footer", lines, class_="doc")


def swatch(colour: str) -> Markup:
    """A small square of a level's colour: decoration beside the level's name, hidden from
    screen readers."""
    return Markup(
        f'<span class="swatch" style="background-color:{esc(colour)}" aria-hidden="true"></span>'
    )


def level_label(name: str, colour: str) -> Markup:
    """A level as text with its colour as a small swatch beside it (decoration only)."""
    return swatch(colour) + tag("span", name, class_="level")
