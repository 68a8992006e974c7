"""Page geometry, colours and paragraph styles; every style names its font.

``text()`` is the only way user text reaches a ``Paragraph``: it escapes markup
characters, so ``<b>`` or ``&`` in a risk text is printed as typed.
"""

from __future__ import annotations

import re
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from riskreg.report.fonts import BOLD, ITALIC, REGULAR, printable

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 20 * mm
MARGIN_WIDE = 15 * mm
HEADER_SPACE = 14 * mm  # between the top margin line and the frame
FOOTER_SPACE = 10 * mm
BODY_WIDTH = PORTRAIT[0] - 2 * MARGIN
WIDE_WIDTH = LANDSCAPE[0] - 2 * MARGIN_WIDE

# Text sizes: running text at least BODY_MIN, nothing at all under MIN_SIZE (legibility
# in print and for the accessibility requirements; tests check every font size used).
BODY_MIN = 9
MIN_SIZE = 7.5

# Black: the text colour with the highest contrast on every light fill and on the matrix's
# level colours (see ``report.contrast``).
INK = colors.HexColor("#000000")
MUTED = colors.HexColor("#5b6470")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa5b1")
GRID = colors.HexColor("#c3cad3")
HEAD_BG = colors.HexColor("#dfe6ef")
RISK_BG = colors.HexColor("#f1f3f6")
NOTE_BG = colors.HexColor("#fff4d6")
NOTE_EDGE = colors.HexColor("#e0b54a")
EXAMPLE = colors.HexColor("#b3261e")
# Opaque (PDF/A for the archive: no transparency); drawn first, so the text covers it.
EXAMPLE_WASH = colors.HexColor("#f6e4e2")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def line(value: str) -> str:
    """User text for the canvas: control characters gone, characters outside the font
    replaced (``fonts.printable``)."""
    return printable(_CONTROL.sub(" ", value.replace("\r\n", "\n")))


def text(value: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept (see ``line``)."""
    return escape(line(value)).replace("\n", "<br/>")


def _style(name: str, **kw: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": REGULAR,
        "fontSize": 9.5,
        "leading": 13.5,
        "textColor": INK,
        "splitLongWords": 1,
        "allowWidows": 0,
        "allowOrphans": 0,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


BODY = _style("body", spaceAfter=6)
BODY_TIGHT = _style("body-tight")
SMALL = _style("small", fontSize=8, leading=10.5, textColor=INK)
RULE_TEXT = _style("rule-text", fontSize=9, leading=12, spaceAfter=3)
SMALL_MUTED = _style("small-muted", fontSize=7.5, leading=9.5, textColor=MUTED)
NOTE = _style("note", fontSize=9, leading=12)
TITLE = _style(
    "title", fontName=BOLD, fontSize=16, leading=20, spaceBefore=6, spaceAfter=12, keepWithNext=1
)
H1 = _style(
    "h1",
    fontName=BOLD,
    fontSize=13,
    leading=16,
    textColor=ACCENT,
    spaceBefore=10,
    spaceAfter=6,
    keepWithNext=1,
)
H2 = _style(
    "h2", fontName=BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4, keepWithNext=1
)
H3 = _style(
    "h3", fontName=BOLD, fontSize=9.5, leading=12.5, spaceBefore=6, spaceAfter=3, keepWithNext=1
)
LABEL = _style("label", fontSize=8, leading=10, textColor=MUTED)
VALUE = _style("value", fontSize=9.5, leading=12)
VALUE_BOLD = _style("value-bold", fontName=BOLD, fontSize=9.5, leading=12)
GRADE = _style("grade", fontName=BOLD, fontSize=14, leading=18, textColor=ACCENT)

CELL = _style("cell", fontSize=7.5, leading=9.3)
CELL_BOLD = _style("cell-bold", fontName=BOLD, fontSize=7.5, leading=9.3)
CELL_SMALL = _style("cell-small", fontSize=MIN_SIZE, leading=9)
ROLE = _style("role", fontSize=MIN_SIZE, leading=9)
NETTO = _style("netto", fontName=BOLD, fontSize=MIN_SIZE, leading=9, alignment=TA_CENTER)
CELL_CENTER = _style("cell-center", fontSize=MIN_SIZE, leading=9, alignment=TA_CENTER)
QUARTER = _style("quarter", fontSize=MIN_SIZE, leading=9, alignment=TA_CENTER)
CELL_RIGHT = _style("cell-right", fontSize=7.5, leading=9.3, alignment=TA_RIGHT)
CELL_HEAD = _style("cell-head", fontName=BOLD, fontSize=7.5, leading=9.3)
CELL_HEAD_CENTER = _style(
    "cell-head-center", fontName=BOLD, fontSize=7.5, leading=9.3, alignment=TA_CENTER
)
CELL_MUTED = _style("cell-muted", fontName=ITALIC, fontSize=MIN_SIZE, leading=9, textColor=MUTED)
HEAT = _style("heat", fontSize=MIN_SIZE, leading=9, alignment=TA_CENTER)
HEAT_COUNT = _style("heat-count", fontName=BOLD, fontSize=11, leading=13, alignment=TA_CENTER)
HEAT_AXIS = _style("heat-axis", fontSize=MIN_SIZE, leading=9, alignment=TA_LEFT)
HEAT_AXIS_CENTER = _style("heat-axis-center", fontSize=MIN_SIZE, leading=9, alignment=TA_CENTER)


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that remembers its last layout: a table wraps every cell once to size
    its rows and again to draw it, with the same width; the second time is free."""

    _laid_out: tuple[float, float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        done = self._laid_out
        if done is not None and done[0] == availWidth:
            return done[1], done[2]
        width, height = super().wrap(availWidth, availHeight)
        self._laid_out = (availWidth, width, height)
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Paragraph]:
        self._laid_out = None  # the pieces lay themselves out again
        return super().split(availWidth, availHeight)  # type: ignore[no-any-return]


def para(markup: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A Paragraph from *our own* markup; user text must go through ``text()`` first."""
    return Para(markup, style)


def plain(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A Paragraph of user text, printed literally."""
    return Para(text(value), style)


def table_style(header_rows: int = 1, *, rules: bool = True) -> list[tuple[object, ...]]:
    """The grid every table shares; the font is named so no cell falls back to Helvetica.
    ``rules=False`` leaves the lines between rows to the caller (rows that continue)."""
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if rules:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID))
    if header_rows:
        commands += [
            ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, RULE),
        ]
    return commands


@cache
def inked(style: ParagraphStyle, ink: str) -> ParagraphStyle:
    """``style`` with text in ``ink`` (``#rrggbb``), for text on a coloured fill."""
    if colors.HexColor(ink) == style.textColor:
        return style
    return ParagraphStyle(f"{style.name}-{ink}", parent=style, textColor=colors.HexColor(ink))


def hex_colour(value: str) -> colors.Color:
    return colors.HexColor(value)


def tint(value: str, amount: float) -> colors.Color:
    """``value`` mixed with white: 0 is white, 1 is the colour itself."""
    c = colors.HexColor(value)
    return colors.Color(
        1 - (1 - c.red) * amount, 1 - (1 - c.green) * amount, 1 - (1 - c.blue) * amount
    )
