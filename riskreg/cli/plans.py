"""``riskreg plan fastställ``: adopt a plan year from the command line, through the same
service (and log) as the terminal's ``F``."""

from __future__ import annotations

from datetime import date

import click

from riskreg.cli.common import CliState, info, iso_date, pass_state


@click.group("plan")
def plan_group() -> None:
    """En nämnds internkontrollplan för ett år."""


@plan_group.command("fastställ")
@click.option("--year", "--år", "year", type=int, required=True, help="Planår.")
@click.option("--nämnd", "--namnd", "committee", help="Nämnd (behövs när registret har flera).")
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
        info(f"Planen {plan.committee} {plan.year} är redan fastställd ({plan.adopted_on}).")
        return
    adopted = set_plan_status(
        ctx, plan.id, PlanStatus.ADOPTED, adopted_on=adopted_on or ctx.clock().date(), dnr=dnr
    )
    info(f"Planen {adopted.committee} {adopted.year} är fastställd {adopted.adopted_on}.")
