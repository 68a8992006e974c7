"""The risk matrix as a grid of coloured cells with counts and references; arrow keys
move a cursor, Enter asks for the cell's risks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.message import Message
from textual.widgets import Static

from riskreg.domain.matrix import RiskMatrix
from riskreg.tui.widgets.chips import contrast
from riskreg.tui.widgets.plain import one_line, plain

Cell = tuple[int, int]


class MatrixCell(Static):
    DEFAULT_CSS = """
    MatrixCell {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        &.-cursor { text-style: reverse bold; }
    }
    """

    def __init__(self, cell: Cell) -> None:
        super().__init__(id=f"cell-{cell[0]}-{cell[1]}")
        self.cell = cell

    def on_click(self, event: events.Click) -> None:
        self.post_message(MatrixGrid.Clicked(self.cell, event.chain))


class MatrixGrid(Grid, can_focus=True):
    HELP = """
## Riskmatrisen

Sannolikhet uppåt, konsekvens åt höger. Varje ruta har nivåns färg, antal risker och
deras referenser. **Pilarna** flyttar markören, **Enter** listar rutans risker.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(1, 0)", "Högre sannolikhet", show=False),
        Binding("down", "move(-1, 0)", "Lägre sannolikhet", show=False),
        Binding("right", "move(0, 1)", "Högre konsekvens", show=False),
        Binding("left", "move(0, -1)", "Lägre konsekvens", show=False),
        Binding("enter", "select", "Visa risker"),
    ]

    DEFAULT_CSS = """
    MatrixGrid {
        height: 1fr;
        grid-gutter: 0 1;
        padding: 0 1;
        & > .axis { content-align: center middle; text-style: bold; width: 1fr; height: 1fr; }
        & > .axis-s { content-align: right middle; padding-right: 1; }
    }
    """

    class Highlighted(Message):
        def __init__(self, cell: Cell) -> None:
            self.cell = cell
            super().__init__()

    class Selected(Message):
        def __init__(self, cell: Cell) -> None:
            self.cell = cell
            super().__init__()

    class Clicked(Message):
        def __init__(self, cell: Cell, chain: int) -> None:
            self.cell = cell
            self.chain = chain
            super().__init__()

    def __init__(self, matrix: RiskMatrix, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.matrix = matrix
        rows, cols = matrix.size
        self.cursor: Cell = (rows, cols)
        self._refs: Mapping[Cell, Sequence[str]] = {}

    def compose(self) -> ComposeResult:
        rows, cols = self.matrix.size
        self.styles.grid_size_columns = cols + 1
        self.styles.grid_size_rows = rows + 1
        self.styles.grid_columns = ("14", *(["1fr"] * cols))
        self.styles.grid_rows = (*(["1fr"] * rows), "2")
        for likelihood in range(rows, 0, -1):
            label = self.matrix.likelihood_labels[likelihood - 1]
            yield Static(plain(f"{likelihood} {label}"), classes="axis axis-s")
            for consequence in range(1, cols + 1):
                cell = MatrixCell((likelihood, consequence))
                level = self.matrix.level(likelihood, consequence)
                cell.styles.background = level.colour
                cell.styles.color = contrast(level.colour)
                yield cell
        yield Static("S ↑  K →", classes="axis")
        for consequence in range(1, cols + 1):
            label = self.matrix.consequence_labels[consequence - 1]
            yield Static(plain(f"{consequence} {label}"), classes="axis")

    def on_mount(self) -> None:
        self._paint()

    def show(self, refs: Mapping[Cell, Sequence[str]]) -> None:
        self._refs = refs
        self._paint()

    def _paint(self) -> None:
        for cell in self.query(MatrixCell):
            refs = self._refs.get(cell.cell, ())
            level = self.matrix.level(*cell.cell)
            text = Text("▶ " if cell.cell == self.cursor else "")
            if refs:
                text.append(f"{len(refs)} {'risk' if len(refs) == 1 else 'risker'}\n", "bold")
                text.append(one_line(" ".join(refs)))
            else:
                text.append(one_line(level.name), style="italic")
            cell.update(text)
            cell.set_class(cell.cell == self.cursor, "-cursor")

    def action_move(self, d_likelihood: int, d_consequence: int) -> None:
        rows, cols = self.matrix.size
        likelihood = max(1, min(rows, self.cursor[0] + d_likelihood))
        consequence = max(1, min(cols, self.cursor[1] + d_consequence))
        self.move_to((likelihood, consequence))

    def move_to(self, cell: Cell) -> None:
        if cell == self.cursor:
            return
        self.cursor = cell
        self._paint()
        self.post_message(self.Highlighted(cell))

    def action_select(self) -> None:
        self.post_message(self.Selected(self.cursor))

    def on_matrix_grid_clicked(self, message: Clicked) -> None:
        self.focus()
        self.move_to(message.cell)
        if message.chain >= 2:
            self.action_select()
