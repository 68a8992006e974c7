"""What the archive reads about a PDF riskreg writes (title, author, nämnd, dnr, the date
from the data, bookmarks): plain records, so a renderer can describe its document without
importing pikepdf; ``report.pdfa.finish_pdfa`` writes them into the file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OutlineEntry:
    """A bookmark: a heading's text, its depth (0 = top) and its page (0-based)."""

    title: str
    level: int
    page: int


@dataclass(frozen=True)
class PdfMeta:
    """What the archive reads about a document. ``created`` comes from the data, never the
    clock (see ``report.pdfa``)."""

    title: str
    author: str
    subject: str
    created: datetime
    committee: str
    dnr: str | None = None
    keywords: tuple[str, ...] = ()
    language: str = "sv-SE"
    outline: tuple[OutlineEntry, ...] = ()  # bookmarks, in reading order
