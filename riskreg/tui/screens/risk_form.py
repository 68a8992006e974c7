"""Add or edit a risk of a plan year: verksamhet, text, krav, brutto."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Select

from riskreg.domain.records import PlanInfo, PlanRisk
from riskreg.domain.scales import REQUIREMENT_TEXT
from riskreg.services import editing
from riskreg.services.context import Context
from riskreg.services.editing import RiskFields
from riskreg.tui.model.forms import FormErrors, risk_fields
from riskreg.tui.screens.form import FormScreen
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainTextArea, one_line
from riskreg.tui.widgets.select import SwedishSelect
from riskreg.tui.widgets.swedish import SvCheckbox


def _scale(labels: tuple[str, ...]) -> list[tuple[Text, int]]:
    return [(Text(f"{i} {one_line(label)}"), i) for i, label in enumerate(labels, start=1)]


def _value(select: Select[int]) -> int | None:
    value = select.value
    return value if isinstance(value, int) else None


class RiskFormScreen(FormScreen[RiskFields, str]):
    """Dismisses with the risk's reference once saved."""

    def __init__(
        self,
        ctx: Context,
        plan: PlanInfo,
        areas: list[str],
        risk: PlanRisk | None = None,
        *,
        on_reload: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(on_reload=on_reload)
        self.ctx = ctx
        self.plan = plan
        self.areas = areas
        self.risk = risk
        self.reason: str | None = None
        self.title_text = (
            f"Redigera risk {risk.ref} ({plan.year})" if risk else f"Ny risk i planen {plan.year}"
        )

    def fields(self) -> Iterable[Widget]:
        risk = self.risk
        matrix = self.plan.matrix
        yield FormField(
            "Verksamhet",
            SwedishSelect(
                [(Text(one_line(a)), a) for a in self.areas],
                prompt="Välj verksamhet …",
                value=risk.area if risk and risk.area in self.areas else Select.NULL,
                id="area",
            ),
            key="area",
        )
        yield FormField(
            "Risk",
            PlainTextArea(risk.text if risk else "", id="text", soft_wrap=True),
            key="text",
            hint="Händelsen som gör att verksamheten inte bedrivs enligt kraven.",
        )
        yield SvCheckbox(
            "Regionövergripande", risk.region_wide if risk else False, id="region-wide"
        )
        yield FormField(
            "Krav (c–e)",
            SwedishSelect(
                [(f"{r.value}) {text}", r.value) for r, text in REQUIREMENT_TEXT.items()],
                prompt="Inget krav angivet",
                value=risk.requirement.value if risk and risk.requirement else Select.NULL,
                id="requirement",
            ),
            key="requirement",
        )
        brutto = risk.brutto if risk else None
        yield FormField(
            "Bruttorisk (före åtgärder)",
            Horizontal(
                SwedishSelect(
                    _scale(matrix.likelihood_labels),
                    prompt="Sannolikhet …",
                    value=brutto.likelihood if brutto else Select.NULL,
                    id="brutto-s",
                ),
                SwedishSelect(
                    _scale(matrix.consequence_labels),
                    prompt="Konsekvens …",
                    value=brutto.consequence if brutto else Select.NULL,
                    id="brutto-k",
                ),
                classes="pair",
            ),
            key="brutto",
        )
        yield from self.revision_field(self.plan)

    def collect(self) -> tuple[RiskFields | None, FormErrors]:
        area = self.query_one("#area", Select).value
        requirement = self.query_one("#requirement", Select).value
        fields, errors = risk_fields(
            area=area if isinstance(area, str) else None,
            text=self.query_one("#text", PlainTextArea).result,
            region_wide=self.query_one("#region-wide", Checkbox).value,
            requirement=requirement if isinstance(requirement, str) else None,
            likelihood=_value(self.query_one("#brutto-s", Select)),
            consequence=_value(self.query_one("#brutto-k", Select)),
        )
        self.reason = self.revision_reason(self.plan, errors)
        return fields, errors

    def submit(self, value: RiskFields) -> str:
        if self.risk is None:
            return editing.add_risk(self.ctx, self.plan.id, value, reason=self.reason)
        editing.update_risk(
            self.ctx, self.plan.id, self.risk.id, self.risk.version, value, reason=self.reason
        )
        return self.risk.ref
