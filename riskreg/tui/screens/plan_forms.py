"""Forms for decisions about a risk or a plan: acceptance, adoption, roll-over, and an
utkast's matrix size and follow-up periods."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.widget import Widget
from textual.widgets import Select

from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import PlanInfo, PlanRisk
from riskreg.domain.scales import MATRIX_SIZES, PlanStatus
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
from riskreg.tui.widgets.select import SwedishSelect


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
            f"Därefter följs den upp per {self.plan.period_kind}."
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


class PlanSetupScreen(FormScreen[tuple[int, PeriodKind], PlanInfo]):
    """An utkast's risk matrix (3×3, 4×4, 5×5) and follow-up periods (kvartal, tertial,
    halvår), chosen before the plan is fastställd; each change is logged."""

    HELP = """
## Riskmatris och uppföljningsperioder

Gäller ett utkast, innan planen fastställs.

- **Riskmatris**: 3×3, 4×4 eller 5×5 med de vanliga svenska etiketterna. En bruttorisk
  som inte ryms i den mindre matrisen måste ändras först.
- **Uppföljning**: per kvartal (kv 1–4), tertial (T1–T3) eller halvår (H1–H2). Planens
  perioder byts ut; uppföljning, låsning och rapporter följer valet.

**Tab** flyttar mellan fälten, **Enter** öppnar listan, **Ctrl+S** sparar, **Esc**
avbryter. Ändringarna loggas. En fastställd plan ändras med `riskreg plan matrix` och
`riskreg plan perioder` (med motivering, före årets första uppföljning).
"""

    save_label = "Spara"

    def __init__(self, ctx: Context, plan: PlanInfo) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan = plan
        self.title_text = f"Riskmatris och perioder för planen {plan.year}"

    def intro(self) -> str:
        return (
            f"Planen för {self.plan.year} har en {self.plan.matrix.label}-matris och följs upp "
            f"per {self.plan.period_kind.value}. Båda kan ändras så länge planen är ett utkast."
        )

    def fields(self) -> Iterable[Widget]:
        size = self.plan.matrix.size[0]
        yield FormField(
            "Riskmatris",
            SwedishSelect(
                [(f"{n}×{n}", n) for n in MATRIX_SIZES],
                value=size if size in MATRIX_SIZES else Select.NULL,
                allow_blank=False,
                id="matrix-size",
            ),
            key="size",
        )
        yield FormField(
            "Uppföljning per",
            SwedishSelect(
                [(_kind_choice(k), k.value) for k in PeriodKind],
                value=self.plan.period_kind.value,
                allow_blank=False,
                id="period-kind",
            ),
            key="kind",
            hint="Perioderna byts ut; det går bara före årets första uppföljning.",
        )

    def collect(self) -> tuple[tuple[int, PeriodKind] | None, FormErrors]:
        errors = FormErrors()
        size = self.query_one("#matrix-size", Select).value
        kind = self.query_one("#period-kind", Select).value
        if not isinstance(size, int):
            errors.add("size", "Välj riskmatrisens storlek.")
        if not isinstance(kind, str):
            errors.add("kind", "Välj hur planen följs upp.")
        if errors or not isinstance(size, int) or not isinstance(kind, str):
            return None, errors
        return (size, PeriodKind(kind)), errors

    def submit(self, value: tuple[int, PeriodKind]) -> PlanInfo:
        size, kind = value
        return editing.set_plan_setup(self.ctx, self.plan.id, self.plan.version, size, kind)


def _kind_choice(kind: PeriodKind) -> str:
    """ "kvartal (kv 1–kv 4)", "tertial (T1–T3)", "halvår (H1–H2)"."""
    return f"{kind.value} ({kind.short(1)}–{kind.short(kind.last)})"
