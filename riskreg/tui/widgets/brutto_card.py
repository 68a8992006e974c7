"""The risk in brutto mode: text, verksamhet, its brutto and the matrix's scale labels."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import Assessment
from riskreg.domain.scales import RiskStatus
from riskreg.tui.model.brutto import BruttoItem
from riskreg.tui.widgets.plain import one_line, paragraph
from riskreg.tui.widgets.risk_card import scale_line, value_chip


def scale_legend(name: str, labels: tuple[str, ...]) -> Text:
    """``Sannolikhet  1 Osannolik · 2 Mindre sannolik · …``"""
    line = Text()
    line.append(f"{name:<12} ", style="bold")
    for value, label in enumerate(labels, start=1):
        if value > 1:
            line.append(" · ", style="dim")
        line.append(f"{value} ", style="bold")
        line.append(one_line(label))
    return line


class BruttoCard(Static, can_focus=True):
    """Focusable without keys of its own: the screen's keys and F1 help apply."""

    DEFAULT_CSS = """
    BruttoCard {
        height: auto;
        padding: 0 1 1 1;
    }
    """

    def show(
        self, item: BruttoItem, *, matrix: RiskMatrix, year: int, position: str, editable: bool
    ) -> None:
        risk = item.risk
        text = Text()
        text.append(one_line(risk.ref), style="bold")
        text.append(f" · {one_line(risk.area)}")
        if risk.region_wide:
            text.append(" · Regionövergripande", style="italic")
        if risk.status is RiskStatus.ACCEPTED:
            text.append(" · Accepterad", style="bold")
        text.append(f"   ({position})\n", style="dim")
        text.append(paragraph(risk.text) + "\n\n")

        text.append(f"Brutto {year} – före åtgärder\n", style="bold underline")
        pending = item.pending_likelihood
        shown: Assessment | None = item.brutto if pending is None else None
        text.append_text(
            scale_line(
                "Sannolikhet",
                matrix.likelihood_labels,
                pending if pending is not None else (shown.likelihood if shown else None),
                editable and pending is None,
                False,
            )
        )
        text.append("\n")
        text.append_text(
            scale_line(
                "Konsekvens",
                matrix.consequence_labels,
                shown.consequence if shown else None,
                editable and pending is not None,
                False,
            )
        )
        text.append("\n  Riskvärde   ")
        text.append_text(value_chip(matrix, shown))
        text.append("\n")
        text.append_text(self._state_line(item, editable, matrix.keys))
        text.append("\n\n")
        text.append_text(scale_legend("Sannolikhet", matrix.likelihood_labels))
        text.append("\n")
        text.append_text(scale_legend("Konsekvens", matrix.consequence_labels))
        self.update(text)

    @staticmethod
    def _state_line(item: BruttoItem, editable: bool, keys: str) -> Text:
        if item.pending_likelihood is not None:
            return Text(
                f"  Sannolikhet {item.pending_likelihood} vald: välj konsekvens {keys} "
                "(Backsteg ångrar).",
                style="bold",
            )
        if item.brutto is not None:
            hint = f" – {keys} bedömer om den" if editable else ""
            return Text(f"  ✓ Har bruttorisk {item.brutto.label}{hint}", style="green")
        if not editable:
            return Text("  Saknar bruttorisk", style="italic")
        return Text(
            f"  Saknar bruttorisk – tryck {keys} för sannolikhet, sedan {keys} för konsekvens",
            style="bold",
        )
