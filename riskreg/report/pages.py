"""The page frame every riskreg PDF shares: A4 portrait and landscape templates, the
header (organ, document, dnr, handling), the footer ("Uppgifter ur riskreg, läge …",
"Sida x av y") and the example-data marking on every page.

A report names what its header says in a ``PageHeader`` and builds a ``ReportDocument``;
``NumberedCanvas`` writes the page total when the document is saved. ``invariant=True``
keeps the bytes identical for identical data.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from riskreg.report.fonts import BOLD, REGULAR
from riskreg.report.isk_texts import EXAMPLE_BANNER
from riskreg.report.styles import (
    ACCENT,
    EXAMPLE,
    EXAMPLE_WASH,
    FOOTER_SPACE,
    HEADER_SPACE,
    LANDSCAPE,
    MARGIN,
    MARGIN_WIDE,
    MUTED,
    PORTRAIT,
    RULE,
)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


@dataclass(frozen=True)
class PageHeader:
    """What every page says: top left the organ and the document, top right the dnr and
    the handling, bottom left where the data come from."""

    organ: str
    document: str
    dnr: str
    handling: str
    footer: str
    example: bool


class ReportDocument(BaseDocTemplate):  # type: ignore[misc]
    """A4 with a portrait ("portrait") and a landscape ("wide") page template, both
    carrying ``header``; ``progress`` is told each finished page number."""

    def __init__(
        self,
        target: io.BytesIO,
        header: PageHeader,
        *,
        progress: Progress | None = None,
        **info: Any,
    ) -> None:
        super().__init__(
            target,
            pagesize=PORTRAIT,
            creator="riskreg",
            lang="sv-SE",
            invariant=1,
            initialFontName=REGULAR,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            **info,
        )
        self.header = header
        self.progress = progress
        self.addPageTemplates(
            [
                PageTemplate(
                    id="portrait",
                    frames=[_frame("body", PORTRAIT, MARGIN)],
                    onPage=self._decorate,
                    pagesize=PORTRAIT,
                ),
                PageTemplate(
                    id="wide",
                    frames=[_frame("wide", LANDSCAPE, MARGIN_WIDE)],
                    onPage=self._decorate,
                    pagesize=LANDSCAPE,
                ),
            ]
        )

    def afterPage(self) -> None:
        if self.progress is not None:
            self.progress(self.page)

    def _decorate(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        draw_header(canvas, self.header)


def _frame(name: str, size: tuple[float, float], margin: float) -> Frame:
    return Frame(
        margin,
        margin + FOOTER_SPACE,
        size[0] - 2 * margin,
        size[1] - 2 * margin - HEADER_SPACE - FOOTER_SPACE,
        id=name,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


def draw_header(canvas: Canvas, header: PageHeader) -> None:
    """Header, footer and the example-data marking of one page."""
    width, height = canvas._pagesize
    margin = MARGIN if width < height else MARGIN_WIDE
    top = height - margin
    canvas.saveState()
    if header.example:
        canvas.setFillColor(EXAMPLE_WASH)
        canvas.setFont(BOLD, 96)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, -30, "EXEMPEL")
        canvas.rotate(-50)
        canvas.translate(-width / 2, -height / 2)
        canvas.setFillColor(EXAMPLE)
        canvas.setFont(BOLD, 7.5)
        canvas.drawCentredString(width / 2, top + 5 * mm, EXAMPLE_BANNER)
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(margin, top - 2 * mm, header.organ)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 8)
    canvas.drawString(margin, top - 6 * mm, header.document)
    canvas.drawRightString(width - margin, top - 2 * mm, header.dnr)
    canvas.drawRightString(width - margin, top - 6 * mm, header.handling)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(margin, top - 8.5 * mm, width - margin, top - 8.5 * mm)
    canvas.line(
        margin, margin + FOOTER_SPACE - 3 * mm, width - margin, margin + FOOTER_SPACE - 3 * mm
    )
    canvas.setFont(REGULAR, 7)
    canvas.setFillColor(MUTED)
    canvas.drawString(margin, margin + FOOTER_SPACE - 7 * mm, header.footer)
    if header.example:
        canvas.setFillColor(EXAMPLE)
        canvas.setFont(BOLD, 7)
        canvas.drawCentredString(width / 2, margin + FOOTER_SPACE - 7 * mm, "EXEMPELDATA")
    canvas.restoreState()


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds finished pages until the end so each can say "Sida x av y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            width, height = self._pagesize
            margin = MARGIN if width < height else MARGIN_WIDE
            self.setFont(REGULAR, 7)
            self.setFillColor(MUTED)
            self.drawRightString(
                width - margin, margin + FOOTER_SPACE - 7 * mm, f"Sida {number} av {total}"
            )
            super().showPage()
        self._pages = []
        super().save()
