"""``riskreg report isk`` (the ISK-bedömning as a PDF) and ``riskreg isk set|show`` (the
stored conclusion).

Imported when the CLI starts, so it stays cheap: services and ReportLab are imported inside
the commands. Errors are raised as ``RiskregError`` for ``riskreg.cli.main`` to report.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import click

from riskreg.cli.common import CliState, info, iso_date, pass_state, show
from riskreg.cli.followup import report_followup
from riskreg.cli.report_files import deliver, prepare_output, report_options
from riskreg.domain.clock import local_stamp
from riskreg.domain.errors import InvalidInput
from riskreg.domain.isk import Grade, IskConclusion, Suggestion, parse_grade

PROGRESS_EVERY = 25  # pages between progress lines on stderr
NO_GRADE = "inget"


# -- riskreg report isk --------------------------------------------------------------------


@click.group("report")
def report_group() -> None:
    """Rapporter som PDF eller tillgänglig HTML."""


report_group.add_command(report_followup)


@report_group.command("isk")
@report_options("isk-bedomning-<nämnd>-<år>")
@pass_state
def report_isk(
    state: CliState, year: int | None, committee: str | None, fmt: str, output: str | None
) -> None:
    """Skriv årets ISK-bedömning som PDF eller HTML: föredragnings-PM, bedömning,
    riskkartor, uppföljning per verksamhet, avvikelser, förändringar och hela registret."""
    from riskreg.report.output import default_file_name
    from riskreg.services.isk import build_report

    target = prepare_output(output, fmt, allow_bare=fmt == "pdf")
    info("Läser registret …")
    report = build_report(state.context(), year, committee)
    name = default_file_name(report.committee, report.year, fmt=fmt)
    info(
        f"Sätter ISK-bedömningen för {report.committee} {report.year} "
        f"({report.risk_count} risker) …"
    )
    note = " (exempeldata)" if report.example_data else ""
    if fmt == "html":
        from riskreg.report.isk_html import render_isk_html

        deliver(target, name, render_isk_html(report))
        info(f"Klart: HTML{note}.")
        return

    from riskreg.report.isk_pdf import render_isk

    def progress(page: int) -> None:
        if page % PROGRESS_EVERY == 0:
            info(f"  … {page} sidor")

    rendered = render_isk(report, progress=progress)
    deliver(target, name, rendered.pdf)
    info(f"Klart: {rendered.pages} sidor{note}.")


# -- riskreg isk set | show ----------------------------------------------------------------


@click.group("isk")
def isk_group() -> None:
    """Årets ISK-bedömning: betyg, motivering och föredragnings-PM:ets uppgifter."""


def _grade(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Grade | str | None:
    if value is None:
        return None
    if value.strip().casefold() == NO_GRADE:
        return NO_GRADE
    try:
        return parse_grade(value)
    except InvalidInput as exc:
        raise click.BadParameter(str(exc)) from exc


@isk_group.command("set")
@click.option("--year", "--år", "year", type=int, help="Planår (standard: aktuell plan).")
@click.option("--nämnd", "--namnd", "committee", help="Nämnd (namn eller kortnamn).")
@click.option(
    "--grade",
    "--betyg",
    "grade",
    callback=_grade,
    metavar="BETYG",
    help="tillräcklig, i-allt-väsentligt-tillräcklig, inte-tillräcklig eller inget.",
)
@click.option("--motivering", help="Motivering till betyget (krävs om det avviker från förslaget).")
@click.option(
    "--förslag",
    "--forslag",
    "proposal",
    multiple=True,
    help="Förslag till beslut, en ”att …”-sats per flagga (tom text: standardförslaget).",
)
@click.option("--handläggare", "--handlaggare", "handler", help="Roll eller enhet, inget namn.")
@click.option(
    "--sammanträdesdatum",
    "--sammantradesdatum",
    "meeting_date",
    callback=iso_date,
    metavar="ÅÅÅÅ-MM-DD",
    help="Nämndens sammanträde.",
)
@click.option("--dnr", help="Diarienummer, till exempel 24RS12345.")
@click.option(
    "--skickas-till",
    "send_to",
    multiple=True,
    help="Mottagare; upprepa flaggan eller skilj med semikolon.",
)
@pass_state
def isk_set(
    state: CliState,
    year: int | None,
    committee: str | None,
    grade: Grade | str | None,
    motivering: str | None,
    proposal: tuple[str, ...],
    handler: str | None,
    meeting_date: date | None,
    dnr: str | None,
    send_to: tuple[str, ...],
) -> None:
    """Sätt årets ISK-bedömning; bara de uppgifter som anges ändras."""
    from riskreg.services.isk import save_conclusion, view_conclusion

    ctx = state.context()
    current = view_conclusion(ctx, year, committee)
    fields = current.conclusion.fields
    changes: dict[str, Any] = {}
    if grade is not None:
        changes["grade"] = None if grade == NO_GRADE else grade
    if motivering is not None:
        changes["motivation"] = motivering
    if proposal:
        changes["proposal"] = "\n".join(proposal)
    if handler is not None:
        changes["handler"] = handler
    if meeting_date is not None:
        changes["meeting_date"] = meeting_date
    if dnr is not None:
        changes["dnr"] = dnr
    if send_to:
        changes["send_to"] = send_to
    if not changes:
        raise InvalidInput("Ange minst en uppgift att ändra, till exempel --betyg eller --dnr.")
    saved = save_conclusion(
        ctx,
        current.conclusion.plan_id,
        replace(fields, **changes),
        expected_version=current.conclusion.version,
    )
    info(f"Sparade ISK-bedömningen för {saved.committee} {saved.year} (version {saved.version}).")
    chosen = saved.fields.grade
    if chosen is not None and chosen is not current.suggestion.grade:
        info(
            f"Betyget avviker från det föreslagna (”{current.suggestion.grade.value}”); "
            "motiveringen skrivs ut i rapporten."
        )


@isk_group.command("show")
@click.option("--year", "--år", "year", type=int, help="Planår (standard: aktuell plan).")
@click.option("--nämnd", "--namnd", "committee", help="Nämnd (namn eller kortnamn).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Utdataformat.",
)
@pass_state
def isk_show(state: CliState, year: int | None, committee: str | None, fmt: str) -> None:
    """Visa den sparade ISK-bedömningen och det föreslagna betyget med skälen."""
    from riskreg.services.isk import view_conclusion

    view = view_conclusion(state.context(), year, committee)
    if fmt == "json":
        from riskreg.cli.output import json_text

        click.echo(json_text(_as_json(view.conclusion, view.suggestion), indent=2))
        return
    show("\n".join(_as_text(view.conclusion, view.suggestion)))


def _as_text(conclusion: IskConclusion, suggestion: Suggestion) -> list[str]:
    f = conclusion.fields
    missing = "–"
    grade = f.grade.value if f.grade else "ej fastställt"
    if f.grade is not None and f.grade is not suggestion.grade:
        grade += " (avviker från förslaget)"
    rows = [
        ("Betyg", grade),
        ("Motivering", f.motivation or missing),
        ("Förslag till beslut", f.proposal.replace("\n", " / ") or "standardförslaget"),
        ("Handläggare", f.handler or missing),
        ("Sammanträdesdatum", f.meeting_date.isoformat() if f.meeting_date else missing),
        ("Dnr", f.dnr or missing),
        ("Skickas till", "; ".join(f.send_to) or missing),
    ]
    if conclusion.stored and conclusion.updated_at is not None:
        rows.append(
            (
                "Senast ändrad",
                f"{local_stamp(conclusion.updated_at)} av {conclusion.updated_by} "
                f"(version {conclusion.version})",
            )
        )
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"ISK-bedömning {conclusion.year}, {conclusion.committee}", ""]
    lines += [f"{label + ':':<{width}}{value}" for label, value in rows]
    lines += ["", f"Föreslaget betyg enligt registret: {suggestion.grade.value}"]
    lines += [
        f"  – {finding.criterion}: {finding.observed} Ger högst: {finding.cap.value}."
        for finding in suggestion.findings
    ]
    return lines


def _as_json(conclusion: IskConclusion, suggestion: Suggestion) -> dict[str, Any]:
    f = conclusion.fields
    return {
        "nämnd": conclusion.committee,
        "år": conclusion.year,
        "betyg": f.grade.value if f.grade else None,
        "motivering": f.motivation,
        "förslag_till_beslut": [line for line in f.proposal.splitlines() if line],
        "handläggare": f.handler,
        "sammanträdesdatum": f.meeting_date.isoformat() if f.meeting_date else None,
        "dnr": f.dnr,
        "skickas_till": list(f.send_to),
        "version": conclusion.version,
        "föreslaget_betyg": suggestion.grade.value,
        "skäl": [
            {"kriterium": x.criterion, "utfall": x.observed, "ger_högst": x.cap.value}
            for x in suggestion.findings
        ],
    }
