"""The register table: one line per risk, a row cursor, sortable headers.

A Line API widget rather than a DataTable: it draws only the visible lines, so loading,
filtering and sorting thousands of risks is a list assignment, and its columns fit the
terminal (the risk text takes what is left; less important columns give way below 120
and 100 columns).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from riskreg.domain.scales import RiskStatus
from riskreg.tui.model.rows import RegisterRow
from riskreg.tui.widgets.chips import assessment_chip, trend_text
from riskreg.tui.widgets.plain import one_line

MIN_TEXT = 34


@dataclass(frozen=True)
class Column:
    key: str  # also the sort key's name
    label: str
    width: int
    flex: bool = False
    drop: int = 0  # columns with the highest number give way first; 0 never
    justify: str = "left"


COLUMNS: tuple[Column, ...] = (
    Column("ref", "Ref", 6),
    Column("area", "Verksamhet", 14, drop=1),
    Column("text", "Risk", MIN_TEXT, flex=True),
    Column("brutto", "Brutto", 6, justify="center"),
    Column("netto", "Netto", 6, justify="center"),
    Column("trend", "Tr", 2, justify="center"),
    Column("measures", "Åtg.", 5, justify="right"),
    Column("roles", "Roller", 16, drop=2),
    Column("reviewed", "Bedömd", 9, drop=3),
)


COMMITTEE = Column("committee", "Nämnd", 14)


def fit_columns(width: int, ref_width: int, overview: bool = False) -> list[tuple[Column, int]]:
    """The columns that fit ``width`` cells, each with its width. The overview across
    nämnder adds the nämnd and lets the verksamhet give way first."""
    columns = []
    for column in COLUMNS:
        if column.key == "ref":
            columns.append(Column("ref", "Ref", max(3, ref_width)))
            if overview:
                columns.append(COMMITTEE)
        elif column.key == "area" and overview:
            columns.append(Column("area", column.label, column.width, drop=4))
        else:
            columns.append(column)
    while True:
        fixed = sum(c.width for c in columns if not c.flex) + len(columns) - 1
        if width - fixed >= MIN_TEXT or not any(c.drop for c in columns):
            break
        dropped = max(columns, key=lambda c: c.drop)
        columns.remove(dropped)
    text_width = max(10, width - fixed)
    return [(c, text_width if c.flex else c.width) for c in columns]


class RiskTable(ScrollView, can_focus=True, inherit_bindings=False):
    """The risks of a plan year; ↑/↓ move, Enter opens the highlighted risk."""

    HELP = """
## Risktabellen

Planens risker, en rad per risk. **Brutto** är risken före åtgärder, **netto** den
senaste nettobedömningen, i riskmatrisens färg. **Tr** är trenden mot bedömningen
före: ↑ högre, ↓ lägre, → oförändrad. **Åtg.** är genomförda av alla åtgärder.

- **↑ ↓ PgUp PgDn Home End** flyttar markören
- **Enter** visar risken med historik
- **Klick på en rubrik** sorterar på kolumnen
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Upp", show=False),
        Binding("down", "cursor(1)", "Ned", show=False),
        Binding("pageup", "page(-1)", "Sida upp", show=False),
        Binding("pagedown", "page(1)", "Sida ned", show=False),
        Binding("home", "jump(0)", "Första", show=False),
        Binding("end", "jump(-1)", "Sista", show=False),
        Binding("enter", "select", "Visa risk", show=False),  # F1 says so; the footer is full
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "risk-table--header",
        "risk-table--cursor",
        "risk-table--muted",
    }

    DEFAULT_CSS = """
    RiskTable {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        background: $surface;
        & > .risk-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .risk-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .risk-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .risk-table--muted { color: $text-muted; }
    }
    """

    class Highlighted(Message):
        def __init__(self, row: RegisterRow | None) -> None:
            self.row = row
            super().__init__()

    class Selected(Message):
        def __init__(self, row: RegisterRow) -> None:
            self.row = row
            super().__init__()

    class HeaderClicked(Message):
        def __init__(self, key: str) -> None:
            self.key = key
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[RegisterRow] = []
        self._overview = False
        self._cursor = 0
        self._sort_key = "plan"
        self._reverse = False
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1
        self._ref_width = 5
        self._cache: dict[int, tuple[RegisterRow, Strip]] = {}
        # the day an acceptance is judged on (the screen sets the register clock's)
        self.today = date.today()

    # -- data ----------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[RegisterRow]:
        return self._rows

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def highlighted(self) -> RegisterRow | None:
        return self._rows[self._cursor] if 0 <= self._cursor < len(self._rows) else None

    def set_rows(
        self,
        rows: Sequence[RegisterRow],
        *,
        keep: tuple[int, str] | None = None,
        sort_key: str = "plan",
        reverse: bool = False,
        overview: bool = False,
    ) -> None:
        """Show ``rows``; the cursor stays on ``keep`` (plan id, reference) when shown."""
        self._rows = list(rows)
        if overview != self._overview:
            self._layout_width = -1
        self._overview = overview
        self._sort_key, self._reverse = sort_key, reverse
        ref_width = max((len(one_line(r.ref)) for r in self._rows), default=5)
        if ref_width > self._ref_width:  # grows only, so filtering never shifts columns
            self._ref_width = ref_width
            self._layout_width = -1
        cursor = 0
        if keep is not None:
            cursor = next(
                (i for i, r in enumerate(self._rows) if (r.plan.id, r.ref) == keep),
                next((i for i, r in enumerate(self._rows) if r.ref == keep[1]), 0),
            )
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._move_to(cursor, force=True)
        self.refresh()

    # -- cursor --------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.size.height - 1)

    def _move_to(self, index: int, *, force: bool = False) -> None:
        index = max(0, min(len(self._rows) - 1, index)) if self._rows else 0
        old = self._cursor
        self._cursor = index
        if old != index or force:
            top = round(self.scroll_y)
            self._scroll_to_cursor()
            if force or round(self.scroll_y) != top:
                self.refresh()
            else:  # only the two lines whose cursor state changed
                width = self.size.width
                for row in (old, index):
                    self.refresh(Region(0, row - top + 1, width, 1))
            self.post_message(self.Highlighted(self.highlighted))

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + self._page:
            self.scroll_to(y=self._cursor - self._page + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self._move_to(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self._cursor + direction * self._page)

    def action_jump(self, where: int) -> None:
        self._move_to(len(self._rows) - 1 if where < 0 else 0)

    def action_select(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.Selected(row))

    def move_to_ref(self, ref: str) -> None:
        index = next((i for i, r in enumerate(self._rows) if r.ref == ref), None)
        if index is not None:
            self._move_to(index)

    # -- mouse ---------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = 0
            for column, width in self._columns():
                if x <= offset.x < x + width + 1:
                    self.post_message(self.HeaderClicked(column.key))
                    return
                x += width + 1
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            self._move_to(index)
            if event.chain >= 2:
                self.action_select()

    # -- drawing -------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(event.size.width, len(self._rows) + 1)

    def _columns(self) -> list[tuple[Column, int]]:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._cache.clear()
            self._layout = fit_columns(width, self._ref_width, self._overview)
            self._layout_width = width
        return self._layout

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        row = self._rows[index]
        base = self.rich_style
        if index == self._cursor:
            base = base + self.get_component_rich_style("risk-table--cursor")
        return self._plain(row, width).apply_style(base)

    def _plain(self, row: RegisterRow, width: int) -> Strip:
        """The row's cells, unstyled by cursor or background; cached per row object, so
        filtering and sorting redraw from the cache (the entry keeps the row alive, so
        its id cannot be reused while cached)."""
        cached = self._cache.get(id(row))
        if cached is not None and cached[0] is row and cached[1].cell_length == width:
            return cached[1]
        if len(self._cache) > 4096:
            self._cache.clear()
        strip = self._line(row, width)
        self._cache[id(row)] = (row, strip)
        return strip

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self._cache.clear()  # the muted style of closed risks comes from the theme
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("risk-table--header")
        line = Text(no_wrap=True, overflow="crop")
        for column, col_width in self._columns():
            label = column.label
            if column.key == self._sort_key:
                label += "▼" if self._reverse else "▲"
            line.append_text(_fit(Text(label), col_width, column.justify))
            line.append(" ")
        return self._strip(line, width, style)

    def _line(self, row: RegisterRow, width: int) -> Strip:
        line = Text(no_wrap=True, overflow="crop")
        muted = row.status is RiskStatus.CLOSED
        for column, col_width in self._columns():
            cell = _fit(CELLS[column.key](self, row), col_width, column.justify)
            if muted:
                cell.stylize(self.get_component_rich_style("risk-table--muted"))
            line.append_text(cell)
            line.append(" ")
        return self._strip(line, width, None)

    def _strip(self, line: Text, width: int, style: Style | None) -> Strip:
        segments = list(line.render(self.app.console))
        strip = Strip(segments).crop_extend(0, width, style)
        return strip if style is None else strip.apply_style(style)

    # -- cells ---------------------------------------------------------------------

    def _assessment(self, row: RegisterRow, which: str) -> Text:
        value = row.brutto if which == "brutto" else row.netto
        return assessment_chip(row.plan.matrix, value, width=5)


def _fit(text: Text, width: int, justify: str) -> Text:
    text = text.copy()
    text.no_wrap = True
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    pad = width - text.cell_len
    if pad > 0:
        if justify == "right":
            text.pad_left(pad)
        elif justify == "center":
            text.pad_left(pad // 2)
            text.pad_right(pad - pad // 2)
        else:
            text.pad_right(pad)
    return text


def _text_cell(table: RiskTable, row: RegisterRow) -> Text:
    text = Text()
    acceptance = row.risk.acceptance
    if row.status is RiskStatus.ACCEPTED and acceptance and acceptance.expired(table.today):
        text.append("Acceptansen har gått ut: ", style="bold red")
    elif row.status is RiskStatus.ACCEPTED:
        text.append("Accepterad: ", style="italic bold")
    elif row.status is RiskStatus.CLOSED:
        text.append("Avslutad: ", style="italic")
    text.append(one_line(row.text))
    return text


# Register text goes through ``one_line``: one line each, control characters as symbols.
CELLS: dict[str, Callable[[RiskTable, RegisterRow], Text]] = {
    "ref": lambda t, r: Text(one_line(r.ref), style="bold"),
    "committee": lambda t, r: Text(one_line(r.plan.committee)),
    "area": lambda t, r: Text(one_line(r.area)),
    "text": _text_cell,
    "brutto": lambda t, r: t._assessment(r, "brutto"),
    "netto": lambda t, r: t._assessment(r, "netto"),
    "trend": lambda t, r: trend_text(r.trend),
    "measures": lambda t, r: Text(f"{r.measures_done}/{r.measures_total}"),
    "roles": lambda t, r: Text(one_line(", ".join(r.roles)) or "–", style="" if r.roles else "dim"),
    "reviewed": lambda t, r: Text(r.last_period.label if r.last_period else "–"),
}
