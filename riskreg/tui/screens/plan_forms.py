"""Forms for decisions about a risk or a plan: acceptance, adoption, roll-over."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.widget import Widget

from riskreg.domain.records import PlanInfo, PlanRisk
from riskreg.domain.scales import PlanStatus
from riskreg.services import editing
from riskreg.services.context import Context
from riskreg.tui.model.forms import (
    AcceptanceInput,
    AdoptionInput,
    FormErrors,
    acceptance_input,
    adoption_input,
    parse_year,
)
from riskreg.tui.screens.form import FormScreen
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput


class AcceptRiskScreen(FormScreen[AcceptanceInput, str]):
    """Accept a risk instead of handling it: who decided, why, until when. Saving returns
    the sentence flagging an already expired acceptance ("" when it holds)."""

    save_label = "Acceptera"

    def __init__(
        self,
        ctx: Context,
        plan: PlanInfo,
        risk: PlanRisk,
        *,
        on_reload: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(on_reload=on_reload)
        self.ctx = ctx
        self.plan = plan
        self.risk = risk
        self.title_text = f"Acceptera risk {risk.ref}"

    def intro(self) -> str:
        return (
            f"{self.risk.text}\n\nEn accepterad risk hanteras inte med åtgärder. "
            "Beslutet, motiveringen och hur länge det gäller sparas i loggen."
        )

    def fields(self) -> Iterable[Widget]:
        current = self.risk.acceptance
        yield FormField("Beslutat av", PlainInput(current.by if current else "", id="by"), key="by")
        yield FormField(
            "Motivering", PlainInput(current.reason if current else "", id="reason"), key="reason"
        )
        until = current.until.isoformat() if current and current.until else ""
        yield FormField(
            "Gäller till och med (ÅÅÅÅ-MM-DD, frivilligt)",
            PlainInput(until, id="until"),
            key="until",
            hint="Ett passerat datum går att ange för ett äldre beslut; acceptansen "
            "visas då som utgången.",
        )

    def collect(self) -> tuple[AcceptanceInput | None, FormErrors]:
        return acceptance_input(
            by=self.query_one("#by", PlainInput).result,
            reason=self.query_one("#reason", PlainInput).result,
            until=self.query_one("#until", PlainInput).result,
        )

    def submit(self, value: AcceptanceInput) -> str:
        warning = editing.accept_risk(
            self.ctx,
            self.plan.id,
            self.risk.id,
            self.risk.version,
            value.by,
            value.reason,
            value.until,
        )
        return warning or ""


class AdoptPlanScreen(FormScreen[AdoptionInput, PlanInfo]):
    """Fastställ an utkast plan so that it can be followed up."""

    save_label = "Fastställ"

    def __init__(self, ctx: Context, plan: PlanInfo) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan = plan
        self.title_text = f"Fastställ internkontrollplanen {plan.year}"

    def intro(self) -> str:
        return (
            f"{self.plan.committee} fastställer planen för {self.plan.year}. "
            "Därefter kan den följas upp kvartal för kvartal."
        )

    def fields(self) -> Iterable[Widget]:
        today = self.ctx.clock().date().isoformat()
        adopted = self.plan.adopted_on.isoformat() if self.plan.adopted_on else today
        yield FormField(
            "Fastställd den (ÅÅÅÅ-MM-DD)", PlainInput(adopted, id="adopted"), key="adopted"
        )
        yield FormField(
            "Diarienummer (frivilligt)",
            PlainInput(self.plan.dnr or "", placeholder="t.ex. 23RS13195", id="dnr"),
            key="dnr",
        )

    def collect(self) -> tuple[AdoptionInput | None, FormErrors]:
        return adoption_input(
            adopted=self.query_one("#adopted", PlainInput).result,
            dnr=self.query_one("#dnr", PlainInput).result,
        )

    def submit(self, value: AdoptionInput) -> PlanInfo:
        return editing.set_plan_status(
            self.ctx, self.plan.id, PlanStatus.ADOPTED, adopted_on=value.adopted_on, dnr=value.dnr
        )


class RollForwardScreen(FormScreen[int, editing.RollForward]):
    """Carry a plan into a new year as an utkast."""

    save_label = "För över"

    def __init__(self, ctx: Context, plan: PlanInfo, latest_year: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan = plan
        self.latest_year = latest_year
        self.title_text = f"För över planen {plan.year} till ett nytt år"

    def intro(self) -> str:
        return (
            "Aktiva och accepterade risker och deras åtgärder kopieras med sina roller; "
            "bedömningar och avvikelser följer inte med. Avslutade risker, åtgärder som "
            "utgått och engångsåtgärder som genomförts lämnas kvar, och en acceptans följer "
            "bara med så länge den gäller; du får se vad som lämnades. Den nya planen blir "
            "ett utkast som fastställs när nämnden har beslutat."
        )

    def fields(self) -> Iterable[Widget]:
        yield FormField("Nytt planår", PlainInput(str(self.latest_year + 1), id="year"), key="year")

    def collect(self) -> tuple[int | None, FormErrors]:
        errors = FormErrors()
        year = parse_year(
            self.query_one("#year", PlainInput).result, errors, "year", self.plan.year
        )
        return year, errors

    def submit(self, value: int) -> editing.RollForward:
        return editing.roll_forward(self.ctx, self.plan.id, value)
