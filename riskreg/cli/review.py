"""``riskreg review set|measure``: the review of a period from a script, one answer per call,
through the same services (checks, conflicts, audit log) as the terminal's review."""

from __future__ import annotations

import click

from riskreg.cli.common import (
    CliState,
    committee_option,
    info,
    pass_state,
    period_option,
    year_option,
)
from riskreg.domain.scales import (
    MATRIX_SIZES,
    SCALE_MIN,
    ControlResult,
    MeasureStatus,
    Severity,
    parse_enum,
)

_SCALE_HELP = (
    "ett heltal på planens riskmatris: "
    + ", ".join(f"{SCALE_MIN}–{n}" for n in MATRIX_SIZES[:-1])
    + f" eller {SCALE_MIN}–{MATRIX_SIZES[-1]}"
    + " ("
    + ", ".join(f"{n}×{n}" for n in MATRIX_SIZES)
    + ")."
)


@click.group("review")
def review_group() -> None:
    """Uppföljning från kommandoraden: nettorisk per risk, status per åtgärd."""


@review_group.command("set")
@click.argument("ref")
@year_option()
@period_option()
@click.option(
    "--sannolikhet", "likelihood", type=int, required=True, help=f"Netto S, {_SCALE_HELP}"
)
@click.option(
    "--konsekvens", "consequence", type=int, required=True, help=f"Netto K, {_SCALE_HELP}"
)
@click.option("--kommentar", "comment", default="", help="Kommentar till bedömningen.")
@committee_option()
@pass_state
def review_set(
    state: CliState,
    ref: str,
    year: int,
    period: str,
    likelihood: int,
    consequence: int,
    comment: str,
    committee: str | None,
) -> None:
    """Sätt en risks nettobedömning (sannolikhet × konsekvens) för en period."""
    from riskreg.services.reviews import record_risk_review
    from riskreg.services.targets import find_risk

    ctx = state.context()
    target = find_risk(ctx, ref, year, committee)
    number = target.period_kind.number(period, year)
    saved = record_risk_review(
        ctx, target.plan_id, target.risk.id, number, likelihood, consequence, comment
    )
    info(f"{target.label} {saved.period.label}: netto {saved.netto.label} sparat.")


@review_group.command("measure")
@click.argument("measure_ref", metavar="REF/N")
@year_option()
@period_option()
@click.option(
    "--status",
    "status",
    required=True,
    help="ej påbörjad, pågående, genomförd, ej genomförd, utgår.",
)
@click.option(
    "--resultat",
    "result",
    help="Kontrollresultat (återkommande kontroll): utan anmärkning, med avvikelse, ej utförd.",
)
@click.option("--kommentar", "comment", default="", help="Kommentar.")
@click.option("--avvikelse", "deviation", help="Avvikelse som upptäckts (kräver --allvarlighet).")
@click.option(
    "--allvarlighet", "severity", help="Avvikelsens allvarlighet: liten, måttlig, allvarlig."
)
@committee_option()
@pass_state
def review_measure(
    state: CliState,
    measure_ref: str,
    year: int,
    period: str,
    status: str,
    result: str | None,
    comment: str,
    deviation: str | None,
    severity: str | None,
    committee: str | None,
) -> None:
    """Följ upp en åtgärd (REF/N: åtgärd N i risken REF, som i registret) för en period."""
    from riskreg.services.reviews import record_measure_review
    from riskreg.services.targets import find_measure

    chosen = parse_enum(MeasureStatus, status, "status")
    outcome = parse_enum(ControlResult, result, "kontrollresultat") if result else None
    grade = parse_enum(Severity, severity, "allvarlighetsgrad") if severity else None
    ctx = state.context()
    target = find_measure(ctx, measure_ref, year, committee)
    saved = record_measure_review(
        ctx,
        target.plan_id,
        target.measure.id,
        target.period_kind.number(period, year),
        chosen,
        result=outcome,
        comment=comment,
        deviation=deviation,
        severity=grade,
    )
    note = f", avvikelse ({saved.severity})" if saved.severity else ""
    info(f"{target.label} {saved.period.label}: {saved.status}{note} sparat.")


@review_group.command("lås")
@year_option()
@period_option()
@committee_option()
@pass_state
def review_lock(state: CliState, year: int, period: str, committee: str | None) -> None:
    """Lås en uppföljningsperiod: det den omfattar fryses och ändras bara efter en loggad
    återöppning (i terminalen, ”o”)."""
    from riskreg.services.reviews import lock_period
    from riskreg.services.targets import find_plan

    ctx = state.context()
    plan = find_plan(ctx, year, committee)
    locked = lock_period(ctx, plan.id, plan.period_kind.number(period, year))
    covered = f" ({locked.frozen.label})" if locked.frozen else ""
    info(f"{plan.committee} {locked.label} är låst{covered}.")
