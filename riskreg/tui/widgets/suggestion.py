"""The suggested ISK grade with each criterion's outcome, as the register's data gives it.

Each criterion carries a mark as well as a colour, so the outcome reads the same in every
theme and without colour: ✓ no limit, ▼ at most "i allt väsentligt tillräcklig",
✗ "inte tillräcklig".
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from riskreg.domain.isk import Grade, Suggestion
from riskreg.tui.widgets.plain import one_line

GRADE_STYLE: dict[Grade, str] = {
    Grade.SUFFICIENT: "bold green",
    Grade.MOSTLY: "bold dark_orange",
    Grade.INSUFFICIENT: "bold red",
}
GRADE_MARK: dict[Grade, str] = {
    Grade.SUFFICIENT: "✓",
    Grade.MOSTLY: "▼",
    Grade.INSUFFICIENT: "✗",
}


def grade_text(grade: Grade) -> Text:
    return Text(grade.value, style=GRADE_STYLE[grade])


def suggestion_text(suggestion: Suggestion) -> Text:
    text = Text()
    text.append("Föreslaget betyg: ", style="bold")
    text.append(suggestion.grade.label, style=GRADE_STYLE[suggestion.grade])
    text.append(
        "\nVarje kriterium sätter ett högsta betyg; förslaget är det lägsta av dem.", style="dim"
    )
    for finding in suggestion.findings:
        text.append(f"\n{GRADE_MARK[finding.cap]} ", style=GRADE_STYLE[finding.cap])
        text.append(f"{finding.criterion}: ", style="bold")
        text.append(one_line(finding.observed))  # it lists references
        if finding.cap is not Grade.SUFFICIENT:
            text.append(" Ger högst: ")
            text.append_text(grade_text(finding.cap))
            text.append(".")
    return text


class SuggestionView(Static):
    """Set ``suggestion`` to show it; ``None`` while it is being worked out."""

    DEFAULT_CSS = """
    SuggestionView {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Räknar fram det föreslagna betyget …", id=id)

    def show(self, suggestion: Suggestion) -> None:
        self.update(suggestion_text(suggestion))
