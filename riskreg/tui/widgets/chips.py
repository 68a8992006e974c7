"""Small pieces of styled text: an assessment in its matrix colour, a trend, a status.

The matrix colours belong to the plan (data, not theme), so they are applied here as
Rich styles with a text colour chosen for contrast; the words stay readable in every
theme, including high contrast.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text

from riskreg.domain.matrix import Level, RiskMatrix
from riskreg.domain.records import Assessment, Trend
from riskreg.domain.scales import MeasureStatus

SPARK = "▁▂▃▄▅▆▇█"


def contrast(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` ("#rrggbb")."""
    try:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "white"
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "black" if luminance > 140 else "white"


def level_style(level: Level) -> Style:
    return Style(color=contrast(level.colour), bgcolor=level.colour, bold=True)


def level_of(matrix: RiskMatrix, value: Assessment) -> Level | None:
    try:
        return matrix.level(value.likelihood, value.consequence)
    except IndexError:
        return None


def assessment_chip(
    matrix: RiskMatrix, value: Assessment | None, *, width: int = 5, carried: bool = False
) -> Text:
    """``3×4`` centred on the cell's colour; ``–`` when not assessed."""
    if value is None:
        return Text("–".center(width), style="dim")
    level = level_of(matrix, value)
    label = value.label.center(width)
    if level is None:
        return Text(label)
    style = level_style(level)
    if carried:
        style += Style(italic=True, bold=False)
    return Text(label, style=style)


def trend_text(trend: Trend | None) -> Text:
    if trend is None:
        return Text(" ")
    style = {
        Trend.UP: "bold red",
        Trend.DOWN: "bold green",
        Trend.SAME: "",
        Trend.FIRST: "dim",
    }[trend]
    return Text(trend.arrow, style=style)


def sparkline(values: Sequence[int | None], maximum: int = 16) -> Text:
    """A compact trend: one block per quarter, height by riskvärde; gaps as spaces."""
    text = Text()
    for value in values:
        if value is None:
            text.append("·", style="dim")
        else:
            index = max(0, min(len(SPARK) - 1, round((value / maximum) * (len(SPARK) - 1))))
            text.append(SPARK[index])
    return text


STATUS_STYLE: dict[MeasureStatus, str] = {
    MeasureStatus.NOT_STARTED: "",
    MeasureStatus.IN_PROGRESS: "bold",
    MeasureStatus.DONE: "bold green",
    MeasureStatus.NOT_DONE: "bold red",
    MeasureStatus.DROPPED: "dim",
}


def status_text(status: MeasureStatus | None, *, carried: bool = False, width: int = 13) -> Text:
    if status is None:
        return Text("ingen status".ljust(width), style="dim")
    style = STATUS_STYLE[status]
    if carried:
        style = f"{style} italic dim".strip()
    return Text(status.value.ljust(width), style=style)
