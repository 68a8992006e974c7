"""``riskreg report uppföljning``: the delår follow-up report of one period, as PDF or
accessible HTML. Cheap to import: services and renderers are imported inside."""

from __future__ import annotations

import click

from riskreg.cli.common import CliState, info, pass_state
from riskreg.cli.report_files import deliver, prepare_output, report_options
from riskreg.domain.followup import period_year

KIND = "uppfoljning"


@click.command("uppföljning")
@click.option(
    "--period",
    "period",
    required=True,
    metavar="PERIOD",
    help="Perioden som följs upp: 1–4, ”kv 2” eller ”2024 kv 2” (kvartal), T1–T3, H1–H2.",
)
@report_options("uppfoljning-<nämnd>-<år>-kv<N> (t<N>, h<N>)")
@pass_state
def report_followup(
    state: CliState,
    year: int | None,
    period: str,
    committee: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Skriv delårsuppföljningen av en period till nämnden: per verksamhet åtgärdernas
    status och nettorisken med förändringen sedan bedömningen före, avvikelser, risker på
    högsta nivån och vad som görs åt dem, och perioder som inte är uppföljda."""
    from riskreg.report.output import default_file_name
    from riskreg.services.followup import build_followup_report

    year = period_year(period, year)
    target = prepare_output(output, fmt)
    info("Läser registret …")
    report = build_followup_report(state.context(), year, period, committee)
    name = default_file_name(
        report.committee, report.year, fmt=fmt, kind=KIND, part=report.period.slug
    )
    if not report.reviewed:
        info(
            f"Observera: ingen uppföljning är registrerad för {report.period.label}; "
            "rapporten säger det."
        )
    note = " (exempeldata)" if report.example_data else ""
    if fmt == "html":
        from riskreg.report.followup_html import render_followup_html

        deliver(target, name, render_followup_html(report))
        info(f"Klart: HTML{note}.")
        return
    from riskreg.report.followup_pdf import render_followup

    rendered = render_followup(report)
    deliver(target, name, rendered.pdf)
    info(f"Klart: {rendered.pages} sidor{note}.")
