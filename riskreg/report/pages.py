"""The page frame every riskreg PDF shares: A4 portrait and landscape templates, the
header (organ, document, dnr, handling), the footer ("Uppgifter ur riskreg, läge …",
"Sida x av y") and the example-data marking on every page; headings kept with what
follows them, and collected as the file's bookmarks.

A report names what its header says in a ``PageHeader`` and builds a ``ReportDocument``;
``NumberedCanvas`` writes the page total when the document is saved. ``invariant=True``
keeps the bytes identical for identical data; ``report.pdfa`` completes the file to
PDF/A with ``ReportDocument.outline`` as its bookmarks.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
)
from reportlab.platypus.flowables import _listWrapOn

from riskreg.report.fonts import BOLD, REGULAR
from riskreg.report.isk_texts import EXAMPLE_BANNER
from riskreg.report.pdfmeta import OutlineEntry
from riskreg.report.styles import (
    ACCENT,
    EXAMPLE,
    EXAMPLE_WASH,
    FOOTER_SPACE,
    H1,
    H2,
    H3,
    HEADER_SPACE,
    LANDSCAPE,
    MARGIN,
    MARGIN_WIDE,
    MIN_SIZE,
    MUTED,
    PORTRAIT,
    RULE,
    TITLE,
    line,
)

Progress = Callable[[int], None]

# Heading styles and their depth in the file's bookmarks.
OUTLINE_LEVELS = {TITLE.name: 0, H1.name: 0, H2.name: 1, H3.name: 2}


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    # Characters of the data the font cannot print (shown as the replacement character);
    # the caller warns about them.
    unprintable: tuple[str, ...] = ()


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
    wide_handling: str = ""  # on landscape pages, when it differs (an appendix)


# A long follower (a table that splits across pages anyway) needs only this much of its
# start on the heading's page; a shorter one moves with the heading as a whole.
FOLLOWER_START = 30 * mm
LONG_FOLLOWER = 90 * mm


class KeepWithNext(KeepTogether):  # type: ignore[misc]
    """Keep-with-next for headings (ReportLab groups a heading and what follows into this
    class): a short follower moves with the heading; a long one starts on the heading's page
    with at least ``FOLLOWER_START`` of it, else both go to the next page. Plain
    KeepTogether would push every long table to a new page, leaving half-empty pages."""

    def split(self, aW: float, aH: float) -> list[Flowable]:
        dims: list[tuple[float, float]] = []
        total = _listWrapOn(self._content, aW, self.canv, dims=dims)[1]
        if total <= aH:
            return list(self._content)
        follower = dims[-1][1] if dims else 0
        if follower <= LONG_FOLLOWER:
            return super().split(aW, aH)  # type: ignore[no-any-return]
        heads = total - follower
        return [CondPageBreak(heads + FOLLOWER_START), *self._content]


class ReportDocument(BaseDocTemplate):  # type: ignore[misc]
    """A4 with a portrait ("portrait") and a landscape ("wide") page template, both
    carrying ``header``; ``progress`` is told each finished page number. The first page is
    landscape when ``wide_first``. Headings become ``outline`` entries."""

    def __init__(
        self,
        target: io.BytesIO,
        header: PageHeader,
        *,
        progress: Progress | None = None,
        wide_first: bool = False,
        **info: Any,
    ) -> None:
        super().__init__(
            target,
            pagesize=PORTRAIT,
            creator="riskreg",
            lang="sv-SE",
            invariant=1,
            initialFontName=REGULAR,
            keepTogetherClass=KeepWithNext,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            **info,
        )
        self.header = header
        self.progress = progress
        self.outline: list[OutlineEntry] = []
        wide_header = replace(header, handling=header.wide_handling or header.handling)
        templates = [
            PageTemplate(
                id="portrait",
                frames=[_frame("body", PORTRAIT, MARGIN)],
                onPage=partial(_decorate, header=header),
                pagesize=PORTRAIT,
            ),
            PageTemplate(
                id="wide",
                frames=[_frame("wide", LANDSCAPE, MARGIN_WIDE)],
                onPage=partial(_decorate, header=wide_header),
                pagesize=LANDSCAPE,
            ),
        ]
        # The first template is the first page's.
        self.addPageTemplates(templates[::-1] if wide_first else templates)

    def afterFlowable(self, flowable: Flowable) -> None:
        """Headings become the file's bookmarks (outline), added in ``report.pdfa``."""
        level = OUTLINE_LEVELS.get(getattr(getattr(flowable, "style", None), "name", ""))
        if level is not None:
            title = " ".join(flowable.getPlainText().split())
            self.outline.append(OutlineEntry(title, level, self.page - 1))

    def afterPage(self) -> None:
        if self.progress is not None:
            self.progress(self.page)


def _decorate(canvas: Canvas, _doc: BaseDocTemplate, *, header: PageHeader) -> None:
    draw_header(canvas, header)


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
    canvas.drawString(margin, top - 2 * mm, line(header.organ))
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 8)
    canvas.drawString(margin, top - 6 * mm, line(header.document))
    canvas.drawRightString(width - margin, top - 2 * mm, line(header.dnr))
    canvas.drawRightString(width - margin, top - 6 * mm, line(header.handling))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(margin, top - 8.5 * mm, width - margin, top - 8.5 * mm)
    canvas.line(
        margin, margin + FOOTER_SPACE - 3 * mm, width - margin, margin + FOOTER_SPACE - 3 * mm
    )
    canvas.setFont(REGULAR, MIN_SIZE)
    canvas.setFillColor(MUTED)
    canvas.drawString(margin, margin + FOOTER_SPACE - 7 * mm, line(header.footer))
    if header.example:
        canvas.setFillColor(EXAMPLE)
        canvas.setFont(BOLD, MIN_SIZE)
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
            self.setFont(REGULAR, MIN_SIZE)
            self.setFillColor(MUTED)
            self.drawRightString(
                width - margin, margin + FOOTER_SPACE - 7 * mm, f"Sida {number} av {total}"
            )
            super().showPage()
        self._pages = []
        super().save()
