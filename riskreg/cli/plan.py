"""``riskreg plan fastställ|matrix|perioder``: adopt a plan year, choose its risk matrix
(3×3, 4×4 or 5×5) and its follow-up periods (kvartal, tertial or halvår), through the
same services (and log) as the terminal."""

from __future__ import annotations

from datetime import date

import click

from riskreg.cli.common import CliState, committee_option, info, iso_date, pass_state, year_option
from riskreg.domain.scales import MATRIX_SIZES


@click.group("plan")
def plan_group() -> None:
    """En nämnds internkontrollplan för ett år: fastställa den, riskmatrisens storlek,
    uppföljningsperioderna."""


@plan_group.command("matrix")
@year_option()
@click.option(
    "--storlek",
    "size",
    type=int,
    required=True,
    help="Matrisens storlek: "
    + ", ".join(f"{n}" for n in MATRIX_SIZES[:-1])
    + f" eller {MATRIX_SIZES[-1]} (3×3, 4×4, 5×5).",
)
@committee_option()
@click.option(
    "--motivering", "reason", help="Motivering (krävs för en fastställd plan utan uppföljningar)."
)
@pass_state
def plan_matrix(
    state: CliState, year: int, size: int, committee: str | None, reason: str | None
) -> None:
    """Ge planårets riskmatris en ny storlek, med de vanliga svenska etiketterna.
    Går i ett utkast; i en fastställd plan bara före första uppföljningen. Loggas."""
    from riskreg.services.editing import set_matrix_size

    plan = set_matrix_size(state.context(), year, size, committee=committee, reason=reason)
    info(f"Planen för {plan.year} har nu en {size}×{size}-matris.")


@plan_group.command("perioder")
@year_option()
@click.option("--typ", "kind", required=True, help="Uppföljning per kvartal, tertial eller halvår.")
@committee_option()
@click.option("--motivering", "reason", help="Motivering (krävs för en fastställd plan).")
@pass_state
def plan_periods(
    state: CliState, year: int, kind: str, committee: str | None, reason: str | None
) -> None:
    """Följ upp planåret per kvartal (standard), tertial eller halvår. Går bara före årets
    första uppföljning; perioderna byts ut. Loggas."""
    from riskreg.domain.periods import parse_kind
    from riskreg.services.editing import set_period_kind

    chosen = parse_kind(kind)
    plan = set_period_kind(state.context(), year, chosen, committee=committee, reason=reason)
    names = ", ".join(p.short for p in (p.ref for p in plan.periods))
    info(f"Planen för {plan.year} följs nu upp per {chosen.value}: {names}.")


@plan_group.command("fastställ")
@year_option()
@committee_option()
@click.option(
    "--datum",
    "adopted_on",
    callback=iso_date,
    metavar="ÅÅÅÅ-MM-DD",
    help="Dagen nämnden fastställde planen (standard: i dag).",
)
@click.option("--dnr", help="Diarienummer för beslutet.")
@pass_state
def plan_adopt(
    state: CliState,
    year: int,
    committee: str | None,
    adopted_on: date | None,
    dnr: str | None,
) -> None:
    """Fastställ planen: därefter ändras den bara genom revisioner med motivering."""
    from riskreg.domain.scales import PlanStatus
    from riskreg.services.editing import set_plan_status
    from riskreg.services.targets import find_plan

    ctx = state.context()
    plan = find_plan(ctx, year, committee)
    if plan.status is PlanStatus.ADOPTED:
        when = f" ({plan.adopted_on})" if plan.adopted_on else ""
        info(f"Planen {plan.committee} {plan.year} är redan fastställd{when}.")
        return
    adopted = set_plan_status(
        ctx, plan.id, PlanStatus.ADOPTED, adopted_on=adopted_on or ctx.clock().date(), dnr=dnr
    )
    info(f"Planen {adopted.committee} {adopted.year} är fastställd {adopted.adopted_on}.")
