"""Heat maps and the matrix legend: tables whose cell colours come from the plan's own
matrix levels (frozen with the plan year), never from fixed colours."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from riskreg.domain.isk import Tally
from riskreg.domain.isk_content import HeatMap
from riskreg.domain.matrix import RiskMatrix
from riskreg.report.contrast import ink_on
from riskreg.report.fonts import REGULAR
from riskreg.report.styles import (
    CELL,
    CELL_HEAD,
    CELL_RIGHT,
    GRID,
    HEAT,
    HEAT_AXIS,
    HEAT_AXIS_CENTER,
    HEAT_COUNT,
    RULE,
    hex_colour,
    inked,
    para,
    text,
)

MAX_REFS = 12  # refs printed in one cell; the count is always exact


def heat_table(heat: HeatMap, matrix: RiskMatrix, width: float) -> Table:
    """Sannolikhet upwards, konsekvens to the right; count and references in each cell."""
    rows, cols = matrix.size
    label_w = 26 * mm
    cell_w = (width - label_w) / cols
    data: list[list[object]] = []
    for s in range(rows, 0, -1):
        row: list[object] = [para(f"<b>{s}</b> {text(matrix.likelihood_labels[s - 1])}", HEAT_AXIS)]
        for k in range(1, cols + 1):
            row.append(_cell(heat, matrix, s, k))
        data.append(row)
    data.append(
        [para("<i>Sannolikhet</i> /<br/><i>konsekvens</i>", HEAT_AXIS)]
        + [
            para(f"<b>{k}</b><br/>{text(matrix.consequence_labels[k - 1])}", HEAT_AXIS_CENTER)
            for k in range(1, cols + 1)
        ]
    )
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (1, 0), (-1, rows - 1), 0.8, "#ffffff"),
        ("BOX", (1, 0), (-1, rows - 1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for s in range(rows, 0, -1):
        for k in range(1, cols + 1):
            level = matrix.levels[matrix.level_index(s, k)]
            style.append(("BACKGROUND", (k, rows - s), (k, rows - s), hex_colour(level.colour)))
    return Table(
        data,
        colWidths=[label_w] + [cell_w] * cols,
        minRowHeights=[14 * mm] * rows + [0],
        style=TableStyle(style),
        hAlign="LEFT",
    )


def _cell(heat: HeatMap, matrix: RiskMatrix, likelihood: int, consequence: int) -> object:
    """Count, references and the level's name (never colour alone); an empty cell still
    names its level, so every cell keeps its row and column when the text is read out."""
    level = matrix.level(likelihood, consequence)
    ink = ink_on(level.colour)
    name = para(f"<i>{text(level.name)}</i>", inked(HEAT, ink))
    refs = heat.cell(likelihood, consequence).refs
    if not refs:
        return [para("0", inked(HEAT_COUNT, ink)), name]
    shown = ", ".join(text(r) for r in refs[:MAX_REFS])
    if len(refs) > MAX_REFS:
        shown += f" och {len(refs) - MAX_REFS} till"
    return [para(str(len(refs)), inked(HEAT_COUNT, ink)), para(shown, inked(HEAT, ink)), name]


def method_matrix(matrix: RiskMatrix, width: float) -> Table:
    """The matrix itself: each cell's riskvärde (S × K) on its level's colour."""
    rows, cols = matrix.size
    label_w = 30 * mm
    cell_w = min((width - label_w) / cols, 28 * mm)
    data: list[list[object]] = [
        [para("Sannolikhet / konsekvens", CELL_HEAD)]
        + [
            para(f"{k} {text(matrix.consequence_labels[k - 1])}", CELL_HEAD)
            for k in range(1, cols + 1)
        ]
    ]
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.6, "#ffffff"),
        ("BOX", (1, 1), (-1, -1), 0.6, RULE),
        ("ALIGN", (1, 1), (-1, -1), "CENTER"),
    ]
    for s in range(rows, 0, -1):
        row_index = rows - s + 1
        row: list[object] = [para(f"{s} {text(matrix.likelihood_labels[s - 1])}", CELL)]
        for k in range(1, cols + 1):
            level = matrix.level(s, k)
            markup = f"{s}×{k} = {s * k}<br/>{text(level.name)}"
            row.append(para(markup, inked(HEAT, ink_on(level.colour))))
            style.append(("BACKGROUND", (k, row_index), (k, row_index), hex_colour(level.colour)))
        data.append(row)
    return Table(
        data,
        colWidths=[label_w] + [cell_w] * cols,
        style=TableStyle(style),
        hAlign="LEFT",
    )


def level_table(matrix: RiskMatrix, brutto: tuple[Tally, ...], netto: tuple[Tally, ...]) -> Table:
    """The colour legend with the number of risks per level, brutto and netto."""
    data: list[list[object]] = [
        ["", para("Nivå", CELL_HEAD), para("Brutto", CELL_HEAD), para("Netto", CELL_HEAD)]
    ]
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (1, 0), (-1, -1), 0.4, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    by_name_b = {t.label: t.count for t in brutto}
    by_name_n = {t.label: t.count for t in netto}
    for level in reversed(matrix.levels):
        row_index = len(data)
        data.append(
            [
                "",
                para(text(level.name), CELL),
                para(str(by_name_b.get(level.name, 0)), CELL_RIGHT),
                para(str(by_name_n.get(level.name, 0)), CELL_RIGHT),
            ]
        )
        style.append(("BACKGROUND", (0, row_index), (0, row_index), hex_colour(level.colour)))
    unassessed_b, unassessed_n = brutto[-1].count, netto[-1].count
    data.append(
        [
            "",
            para("Ej bedömd", CELL),
            para(str(unassessed_b), CELL_RIGHT),
            para(str(unassessed_n), CELL_RIGHT),
        ]
    )
    return Table(
        data,
        colWidths=[5 * mm, 24 * mm, 12 * mm, 12 * mm],
        style=TableStyle(style),
        hAlign="LEFT",
    )


def beside(left: list[Flowable], right: list[Flowable], left_width: float, width: float) -> Table:
    """Two stacks of flowables next to each other, top-aligned."""
    gap = 5 * mm
    return Table(
        [[left, "", right]],
        colWidths=[left_width, gap, width - left_width - gap],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        hAlign="LEFT",
    )


def side_by_side(left: Flowable, right: Flowable, width: float, gap: float = 6 * mm) -> Table:
    half = (width - gap) / 2
    return Table(
        [[left, "", right]],
        colWidths=[half, gap, half],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        hAlign="LEFT",
    )
