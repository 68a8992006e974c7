"""Reading an HTML report back (imported by name: tests/report is on sys.path): the
structure a screen reader relies on, parsed with the standard library."""

from __future__ import annotations

import dataclasses
import enum
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Table:
    caption: str = ""
    head: list[tuple[str, str | None]] = field(default_factory=list)  # (text, scope)
    rows: list[list[tuple[str, str, str | None]]] = field(default_factory=list)  # tag, text, scope


@dataclass
class Parsed:
    lang: str | None = None
    title: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    urls: list[str] = field(default_factory=list)  # every src/href
    inline_handlers: list[str] = field(default_factory=list)  # on… attributes
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Parsed()
        self._stack: list[str] = []
        self._buffer: list[str] | None = None
        self._cell: tuple[str, str | None] | None = None
        self._in_thead = False
        self._texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.out.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.out.urls.append(value)
            if name.startswith("on"):
                self.out.inline_handlers.append(name)
        if tag == "html":
            self.out.lang = a.get("lang")
        if tag == "br":
            self._data(" ")
            return
        if tag in ("title", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "th", "td"):
            self._buffer = []
        if tag == "table":
            self.out.tables.append(Table())
        if tag == "thead":
            self._in_thead = True
        if tag == "tr" and not self._in_thead and self.out.tables:
            self.out.tables[-1].rows.append([])
        if tag in ("th", "td"):
            self._cell = (tag, a.get("scope"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_thead = False
        if self._buffer is None:
            return
        value = " ".join("".join(self._buffer).split())
        if tag == "title":
            self.out.title = value
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.headings.append((int(tag[1]), value))
        elif tag == "caption":
            self.out.tables[-1].caption = value
        elif tag in ("th", "td") and self._cell is not None:
            table = self.out.tables[-1]
            if self._in_thead:
                table.head.append((value, self._cell[1]))
            else:
                table.rows[-1].append((self._cell[0], value, self._cell[1]))
            self._cell = None
        else:
            return
        self._buffer = None

    def handle_data(self, data: str) -> None:
        self._data(data)

    def _data(self, data: str) -> None:
        self._texts.append(data)
        if self._buffer is not None:
            self._buffer.append(data)


def parse(document: bytes) -> Parsed:
    reader = _Reader()
    reader.feed(document.decode("utf-8"))
    reader.close()
    reader.out.text = " ".join("".join(reader._texts).split())
    return reader.out


def heading_levels_in_order(headings: list[tuple[int, str]]) -> bool:
    """One h1 first; no heading more than one level below the one before it."""
    if not headings or headings[0][0] != 1:
        return False
    return all(b[0] <= a[0] + 1 for a, b in itertools.pairwise(headings))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def texts_of(record: object, path: str = "") -> dict[str, str]:
    """Every text in a record (dataclasses, tuples), by its path; enum values and colours
    left out (an enum is shown in words of its own, a colour as colour)."""
    found: dict[str, str] = {}
    if isinstance(record, enum.Enum):
        return found
    if isinstance(record, str):
        if not path.endswith("colour") and record.strip():
            found[path] = " ".join(record.split())
        return found
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        for f in dataclasses.fields(record):
            found.update(texts_of(getattr(record, f.name), f"{path}.{f.name}"))
    elif isinstance(record, tuple | list):
        for index, item in enumerate(record):
            found.update(texts_of(item, f"{path}[{index}]"))
    return found


def missing_texts(record: object, document: bytes, *, besides: str = "") -> dict[str, str]:
    """The texts of ``record`` that the document does not show (case aside: a label may
    start a table row in capitals), those under the path ``besides`` aside."""
    shown = parse(document).text.casefold()
    return {
        p: t
        for p, t in texts_of(record).items()
        if t.casefold() not in shown and not (besides and p.startswith(besides))
    }
