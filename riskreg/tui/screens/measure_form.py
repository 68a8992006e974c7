"""Add or edit an åtgärd of a risk: text, kind, frequency, due date, responsible roles."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.widget import Widget
from textual.widgets import Checkbox, Select, SelectionList

from riskreg.domain.records import PlanInfo, PlanMeasure, PlanRisk
from riskreg.domain.scales import Frequency, MeasureKind
from riskreg.services import editing
from riskreg.services.context import Context
from riskreg.services.editing import MeasureFields
from riskreg.tui.model.forms import FormErrors, measure_fields
from riskreg.tui.screens.form import FormScreen
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput, PlainTextArea, plain
from riskreg.tui.widgets.select import SwedishSelect
from riskreg.tui.widgets.swedish import SvCheckbox


class MeasureFormScreen(FormScreen[MeasureFields, int]):
    """Dismisses with the åtgärd's id once saved."""

    def __init__(
        self,
        ctx: Context,
        plan: PlanInfo,
        risk: PlanRisk,
        roles: list[str],
        measure: PlanMeasure | None = None,
        *,
        on_reload: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(on_reload=on_reload)
        self.ctx = ctx
        self.plan = plan
        self.risk = risk
        self.roles = roles
        self.measure = measure
        self.reason: str | None = None
        self.title_text = (
            f"Redigera åtgärd för {risk.ref}" if measure else f"Ny åtgärd för {risk.ref}"
        )

    def intro(self) -> str:
        return f"{self.risk.ref}: {self.risk.text}"

    def fields(self) -> Iterable[Widget]:
        m = self.measure
        yield FormField(
            "Åtgärd", PlainTextArea(m.text if m else "", id="text", soft_wrap=True), key="text"
        )
        yield FormField(
            "Typ",
            SwedishSelect(
                [(k.value, k.value) for k in MeasureKind],
                allow_blank=False,
                value=(m.kind if m else MeasureKind.ONE_OFF).value,
                id="kind",
            ),
            key="kind",
        )
        yield FormField(
            "Frekvens (bara för återkommande kontroller)",
            SwedishSelect(
                [(f.value, f.value) for f in Frequency],
                prompt="Ingen frekvens",
                value=m.frequency.value if m and m.frequency else Select.NULL,
                id="frequency",
            ),
            key="frequency",
        )
        yield FormField(
            "Klar senast (ÅÅÅÅ-MM-DD, frivilligt)",
            PlainInput(m.due_date.isoformat() if m and m.due_date else "", id="due"),
            key="due",
        )
        current = set(m.roles) if m else set()
        yield FormField(
            "Ansvariga roller (mellanslag väljer)",
            SelectionList[str](*[(plain(r), r, r in current) for r in self.roles], id="roles"),
            key="roles",
        )
        yield SvCheckbox("Regionövergripande", m.region_wide if m else False, id="region-wide")
        yield from self.revision_field(self.plan)

    def collect(self) -> tuple[MeasureFields | None, FormErrors]:
        kind = self.query_one("#kind", Select).value
        frequency = self.query_one("#frequency", Select).value
        roles = self.query_one("#roles", SelectionList).selected
        fields, errors = measure_fields(
            text=self.query_one("#text", PlainTextArea).result,
            kind=MeasureKind(kind) if isinstance(kind, str) else MeasureKind.ONE_OFF,
            frequency=Frequency(frequency) if isinstance(frequency, str) else None,
            due=self.query_one("#due", PlainInput).result,
            roles=tuple(str(r) for r in roles),
            region_wide=self.query_one("#region-wide", Checkbox).value,
        )
        self.reason = self.revision_reason(self.plan, errors)
        return fields, errors

    def submit(self, value: MeasureFields) -> int:
        if self.measure is None:
            return editing.add_measure(
                self.ctx, self.plan.id, self.risk.id, value, reason=self.reason
            )
        editing.update_measure(
            self.ctx,
            self.plan.id,
            self.measure.id,
            self.measure.version,
            value,
            reason=self.reason,
        )
        return self.measure.id
