"""The risk under review: text, brutto and the netto being set (S and K with keys 1–4, or
the plan matrix's own range)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Static

from riskreg.domain.clock import local_stamp
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import Assessment
from riskreg.domain.scales import RiskStatus
from riskreg.tui.model.review import RiskDraft
from riskreg.tui.widgets.chips import assessment_chip, level_of, level_style
from riskreg.tui.widgets.plain import one_line, paragraph


def scale_line(
    name: str, labels: tuple[str, ...], chosen: int | None, active: bool, carried: bool
) -> Text:
    line = Text()
    line.append("▶ " if active else "  ", style="bold")
    line.append(f"{name:<12}", style="bold" if active else "")
    for value in range(1, len(labels) + 1):
        style = ("reverse italic" if carried else "reverse bold") if value == chosen else "dim"
        line.append(f" {value} ", style=style)
        line.append(" ")
    if chosen is not None:
        line.append(f" {one_line(labels[chosen - 1])}", style="italic" if carried else "bold")
    return line


def value_chip(matrix: RiskMatrix, value: Assessment | None, *, carried: bool = False) -> Text:
    """``4×3  12 Mycket hög`` in the cell's colour; ``–`` when not assessed."""
    if value is None:
        return Text("–", style="dim")
    chip = assessment_chip(matrix, value, width=5, carried=carried)
    level = level_of(matrix, value)
    if level is not None:
        chip.append(" ")
        chip.append(f" {value.value} {one_line(level.name)} ", style=level_style(level))
    return chip


class RiskCard(Static):
    DEFAULT_CSS = """
    RiskCard {
        height: auto;
        padding: 0 1 1 1;
    }
    """

    def show(
        self,
        draft: RiskDraft,
        *,
        field: str,
        matrix: RiskMatrix,
        period: str,
        editable: bool,
        position: str,
        today: date,
    ) -> None:
        risk = draft.risk
        text = Text()
        text.append(one_line(risk.ref), style="bold")
        text.append(f" · {one_line(risk.area)}")
        if risk.region_wide:
            text.append(" · Regionövergripande", style="italic")
        acceptance = risk.acceptance
        if risk.status is RiskStatus.ACCEPTED and acceptance:
            note = acceptance.expired_note(today)
            text.append(" · Accepterad", style="bold")
            if note:
                text.append(f" – {note}", style="bold red")
        text.append(f"   ({position})\n", style="dim")
        text.append(paragraph(risk.text) + "\n\n")

        text.append("Brutto       ", style="bold")
        text.append_text(value_chip(matrix, risk.brutto, carried=False))
        if risk.brutto is None:
            text.append(" ej angiven", style="dim")
        text.append("\n\n")

        text.append(f"Netto {period}\n", style="bold underline")
        carried = draft.netto_carried and draft.pending_likelihood is None
        text.append_text(
            scale_line(
                "Sannolikhet",
                matrix.likelihood_labels,
                draft.likelihood,
                editable and field == "S",
                carried,
            )
        )
        text.append("\n")
        text.append_text(
            scale_line(
                "Konsekvens",
                matrix.consequence_labels,
                draft.consequence if draft.pending_likelihood is None else None,
                editable and field == "K",
                carried,
            )
        )
        text.append("\n  Riskvärde   ")
        value = draft.netto if draft.pending_likelihood is None else None
        text.append_text(value_chip(matrix, value, carried=carried))
        text.append("\n")
        text.append_text(self._state_line(draft, editable, matrix.keys))
        if draft.comment:
            text.append("\nKommentar: ", style="bold")
            text.append(paragraph(draft.comment))
        before = draft.carried
        if before is not None:
            text.append(f"\nFörra ({before.period.label}): ", style="dim")
            text.append_text(value_chip(matrix, before.netto))
            if before.comment:
                text.append(" · ", style="dim")
                text.append(paragraph(before.comment), style="dim italic")
        self.update(text)

    @staticmethod
    def _state_line(draft: RiskDraft, editable: bool, keys: str) -> Text:
        if draft.pending_likelihood is not None:
            return Text(
                f"  Sannolikhet {draft.pending_likelihood} vald: välj konsekvens {keys}.",
                style="bold",
            )
        if draft.saved is not None:
            saved = draft.saved
            stamp = local_stamp(saved.reviewed_at)
            via = f", {one_line(draft.source_note)}" if draft.source_note else ""
            return Text(f"  ✓ Sparad {stamp} av {one_line(saved.reviewed_by)}{via}", style="green")
        if draft.carried is not None:
            hint = " – Enter bekräftar" if editable else ""
            return Text(
                f"  ↻ Överfört från {draft.carried.period.label}, ej bekräftat{hint}",
                style="italic bold",
            )
        return Text(f"  Ej bedömd – tryck {keys} för sannolikhet, sedan {keys} för konsekvens")
