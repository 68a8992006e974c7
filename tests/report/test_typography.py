"""Typography of the ISK PDF: contrast of text on every fill, font sizes, level text in
every heat-map cell, headings kept with what follows, no near-empty page, plurals."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from pypdf import PdfReader

from riskreg.domain.matrix import default_matrix
from riskreg.domain.text import count_of, percent
from riskreg.report import styles, tables
from riskreg.report.contrast import AA_NORMAL, BLACK, WHITE, contrast, ink_on
from riskreg.report.styles import LANDSCAPE, MARGIN, MARGIN_WIDE, PORTRAIT

LEVELS = [level.colour for level in default_matrix().levels]
# Fills the renderer puts black text on.
LIGHT_FILLS = [
    *tables.STATUS_FILL.values(),
    *tables.SEVERITY_FILL.values(),
    *tables.GRADE_FILL.values(),
    tables.CONTROL_RUNNING,
    tables.NOT_PERFORMED_FILL,
    "#ffffff",
    "#eef2f7",
    "#fbe3e1",
    "#fff4d6",
    styles.HEAD_BG.hexval().replace("0x", "#"),
    styles.RISK_BG.hexval().replace("0x", "#"),
    styles.EXAMPLE_WASH.hexval().replace("0x", "#"),
]


def _hex(colour: object) -> str:
    return str(colour.hexval()).replace("0x", "#")  # type: ignore[attr-defined]


@pytest.mark.parametrize("fill", [*LEVELS, "#1b5e20", "#b71c1c", "#0d47a1", "#ffeb3b"])
def test_text_on_every_level_colour_reaches_aa(fill: str) -> None:
    """The matrix's colours are configuration: even a dark one gets readable text."""
    assert contrast(ink_on(fill), fill) >= AA_NORMAL


def test_the_red_level_no_longer_has_4_12() -> None:
    red = "#e53935"
    assert contrast("#1a1a1a", red) < AA_NORMAL  # the old dark grey text
    assert ink_on(red) == BLACK and contrast(BLACK, red) >= AA_NORMAL


@pytest.mark.parametrize("fill", LIGHT_FILLS)
def test_black_text_on_every_light_fill(fill: str) -> None:
    assert contrast(_hex(styles.INK), fill) >= AA_NORMAL


@pytest.mark.parametrize(
    ("ink", "fill"),
    [
        (_hex(styles.MUTED), "#ffffff"),
        (_hex(styles.MUTED), _hex(styles.RISK_BG)),
        (_hex(styles.MUTED), _hex(styles.HEAD_BG)),
        (_hex(styles.ACCENT), "#ffffff"),
        (_hex(styles.ACCENT), "#eef2f7"),
        (_hex(styles.EXAMPLE), "#ffffff"),
        (_hex(styles.EXAMPLE), "#fbe3e1"),
        (_hex(styles.EXAMPLE), _hex(styles.EXAMPLE_WASH)),
        (_hex(tables.MISSING_RED), "#ffffff"),
        (_hex(tables.MISSING_RED), _hex(styles.RISK_BG)),
    ],
)
def test_coloured_text_on_its_fills(ink: str, fill: str) -> None:
    assert contrast(ink, fill) >= AA_NORMAL


def test_tinted_levels_in_the_register_take_black() -> None:
    for level in LEVELS:
        assert contrast(BLACK, _hex(styles.tint(level, 0.55))) >= AA_NORMAL
    assert contrast(WHITE, BLACK) == pytest.approx(21)


def _font_sizes(data: bytes) -> set[float]:
    sizes: set[float] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("Tf"):
                    sizes.add(float(operands[1]))
    return sizes


def test_nothing_is_printed_under_7_5_pt(example_pdf: bytes) -> None:
    sizes = _font_sizes(example_pdf) - {96.0}  # the EXEMPEL watermark
    assert sizes and min(sizes) >= styles.MIN_SIZE
    for style in (styles.BODY, styles.BODY_TIGHT, styles.NOTE, styles.RULE_TEXT, styles.VALUE):
        assert style.fontSize >= styles.BODY_MIN, style.name


def test_every_heat_map_cell_names_its_level(example_pages: list[str]) -> None:
    matrix = default_matrix()
    rows, cols = matrix.size
    page = next(p for p in example_pages if "4 Riskkartor" in p)
    maps = page[page.index("4 Riskkartor") :]
    for level in matrix.levels:
        cells = sum(
            1 for s in range(1, rows + 1) for k in range(1, cols + 1) if matrix.level(s, k) == level
        )
        # The brutto map's cells (the netto map may continue on the next page).
        assert maps.count(level.name) >= cells, level.name


def _body_lines(data: bytes) -> list[list[tuple[float, str]]]:
    """Per page, the text lines between header and footer with their heights (y)."""
    pages: list[list[tuple[float, str]]] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        margin = MARGIN if width < height else MARGIN_WIDE
        top, bottom = height - margin - 14 * 2.835, margin + 10 * 2.835
        found: list[tuple[float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))  # noqa: B023

        page.extract_text(visitor_text=visit)
        pages.append([(y, t) for y, t in found if t and t != "EXEMPEL" and bottom < y < top])
    return pages


HEADING = re.compile(r"^(\d \D+|Förslag till beslut|Sammanfattning|Motivering|Omfattning)$")


def test_no_heading_ends_a_page_and_no_page_is_under_a_quarter_full(example_pdf: bytes) -> None:
    pages = _body_lines(example_pdf)
    for number, lines in enumerate(pages[:-1], start=1):
        assert lines, f"page {number} is empty"
        last = min(lines)[1]
        assert not HEADING.match(last), f"page {number} ends with the heading {last!r}"
        reader_page = PdfReader(io.BytesIO(example_pdf)).pages[number - 1]
        height = float(reader_page.mediabox.height)
        frame = (PORTRAIT if height > LANDSCAPE[1] else LANDSCAPE)[1] - 2 * MARGIN - 24 * 2.835
        used = max(y for y, _ in lines) - min(y for y, _ in lines)
        assert used >= frame / 4, f"page {number} is {used / frame:.0%} full"


def test_swedish_plurals_and_the_percent_sign() -> None:
    assert count_of(1, "accepterad risk", "accepterade risker") == "1 accepterad risk"
    assert count_of(2, "accepterad risk", "accepterade risker") == "2 accepterade risker"
    assert count_of(0, "risk", "risker") == "0 risker"
    assert percent(89) == "89\u00a0%"


def test_no_line_starts_with_a_percent_sign(example_pages: list[str]) -> None:
    """The space before % does not break (the font maps U+00A0 to the space glyph, so the
    extracted text shows a plain space)."""
    document = "\n".join(example_pages)
    assert "(89 %)" in document
    assert not re.search(r"^\s*%", document, re.MULTILINE)
    assert not re.search(r"\b1 accepterade\b", document)
