"""The åtgärder of the risk under review, with a cursor; the screen's keys set statuses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalGroup
from textual.message import Message
from textual.widgets import Static

from riskreg.tui.model.review import MeasureDraft
from riskreg.tui.widgets.chips import status_text
from riskreg.tui.widgets.plain import one_line, paragraph


def measure_text(number: int, draft: MeasureDraft, cursor: bool) -> Text:
    measure = draft.measure
    text = Text()
    text.append("▶ " if cursor else "  ", style="bold")
    text.append(f"{number}. ")
    text.append_text(status_text(draft.status, carried=draft.is_carried))
    text.append("↻ " if draft.is_carried else "  ", style="italic")
    text.append(paragraph(measure.text))
    details = []
    if measure.roles:
        details.append("Ansvar: " + one_line(", ".join(measure.roles)))
    kind = measure.kind.value
    if measure.frequency:
        kind += f", {measure.frequency.value}"
    details.append(kind)
    saved = draft.saved
    if saved is not None and saved.result is not None:
        details.append(f"Resultat: {saved.result.value}")
    if draft.source_note:
        details.append(one_line(draft.source_note))
    text.append("\n     " + " · ".join(details), style="dim")
    if saved is not None and saved.deviation:
        severity = saved.severity.value if saved.severity else ""
        text.append(f"\n     Avvikelse ({severity}): ", style="bold red")
        text.append(paragraph(saved.deviation))
    if saved is not None and saved.comment:
        text.append("\n     Kommentar: ", style="bold")
        text.append(paragraph(saved.comment))
    text.append_text(previous_text(draft))
    return text


def previous_text(draft: MeasureDraft) -> Text:
    """The åtgärd's last answer before this period: status, result, avvikelse, comment."""
    before = draft.carried
    if before is None:
        return Text()
    parts = [before.status.value]
    if before.result is not None:
        parts.append(before.result.value)
    text = Text(f"\n     Förra ({before.period.label}): {', '.join(parts)}", style="dim")
    if before.deviation:
        severity = before.severity.value if before.severity else ""
        text.append(f" · avvikelse ({severity}): ", style="red")
        text.append(paragraph(before.deviation), style="dim")
    if before.comment:
        text.append(" · kommentar: ", style="dim")
        text.append(paragraph(before.comment), style="dim italic")
    return text


class MeasureRow(Static):
    DEFAULT_CSS = """
    MeasureRow {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        &.-cursor { background: $boost; }
    }
    """

    def __init__(self, index: int) -> None:
        super().__init__(id=f"measure-{index}")
        self.index = index

    def on_click(self, event: events.Click) -> None:
        self.post_message(MeasureList.Clicked(self.index))


class MeasureList(VerticalGroup, can_focus=True):
    HELP = """
## Åtgärder i uppföljningen

**↑ ↓** väljer åtgärd. Status sätts med en tangent:
**j** ej påbörjad, **p** pågående, **g** genomförd, **e** ej genomförd, **u** utgår.
**r** byter kontrollresultat för en återkommande kontroll, **a** registrerar en
avvikelse med allvarlighetsgrad, **C** kommenterar åtgärden.
Kursiv status med ↻ är överförd från förra perioden och inte bekräftad.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Föregående åtgärd", show=False),
        Binding("down", "move(1)", "Nästa åtgärd", show=False),
    ]

    DEFAULT_CSS = """
    MeasureList {
        height: auto;
        padding: 0;
        &:focus > MeasureRow.-cursor { background: $block-cursor-blurred-background; }
    }
    MeasureList > .measure-heading { text-style: bold underline; padding: 0 1; }
    MeasureList > .measure-note { color: $text-muted; padding: 0 1 1 1; }
    """

    class Clicked(Message):
        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drafts: list[MeasureDraft] = []
        self._note = ""
        self._period = "kvartalet"
        self.cursor = 0

    def compose(self) -> ComposeResult:
        if self._drafts:
            heading = "Åtgärder   status: j ej påbörjad · p pågående · g genomförd · e ej "
            heading += "genomf. · u utgår"
        elif self._note:
            heading = f"Inga åtgärder att följa upp i {self._period}"
        else:
            heading = "Inga åtgärder (risken hanteras utan åtgärder)"
        yield Static(heading, classes="measure-heading")
        if self._note:
            yield Static(self._note, classes="measure-note")
        for index, draft in enumerate(self._drafts):
            row = MeasureRow(index)
            row.update(measure_text(index + 1, draft, index == self.cursor))
            row.set_class(index == self.cursor, "-cursor")
            yield row

    def show(
        self,
        drafts: Sequence[MeasureDraft],
        cursor: int = 0,
        note: str = "",
        *,
        period: str = "kvartalet",
    ) -> None:
        """``note`` says why åtgärder of the risk are not in ``period`` ("tertialet")."""
        self._drafts = list(drafts)
        self._note = note
        self._period = period
        self.cursor = max(0, min(cursor, len(self._drafts) - 1))
        self.refresh(recompose=True)

    def refresh_row(self, index: int) -> None:
        rows = list(self.query(MeasureRow))
        if index < len(rows) and index < len(self._drafts):
            rows[index].update(measure_text(index + 1, self._drafts[index], index == self.cursor))

    @property
    def current(self) -> MeasureDraft | None:
        return self._drafts[self.cursor] if self._drafts else None

    def move_to(self, index: int) -> None:
        if not self._drafts:
            return
        old = self.cursor
        self.cursor = max(0, min(len(self._drafts) - 1, index))
        rows = list(self.query(MeasureRow))
        if len(rows) != len(self._drafts):
            return  # a recompose is pending and will draw the cursor
        for i in {old, self.cursor}:
            rows[i].set_class(i == self.cursor, "-cursor")
            rows[i].update(measure_text(i + 1, self._drafts[i], i == self.cursor))
        rows[self.cursor].scroll_visible(animate=False)

    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def on_measure_list_clicked(self, message: Clicked) -> None:
        self.move_to(message.index)
