"""``riskreg report isk`` (the ISK-bedömning as a PDF) and ``riskreg isk set|show`` (the
stored conclusion).

Imported when the CLI starts, so it stays cheap: services and ReportLab are imported inside
the commands. Errors are raised as ``RiskregError`` for ``riskreg.cli.main`` to report.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from riskreg.cli.common import (
    CliState,
    committee_option,
    info,
    iso_date,
    pass_state,
    show,
    year_option,
)
from riskreg.cli.followup import report_followup
from riskreg.cli.report_files import STDOUT, deliver, prepare_output, report_options
from riskreg.domain.clock import local_stamp
from riskreg.domain.errors import InvalidInput
from riskreg.domain.isk import Grade, IskConclusion, Suggestion, parse_grade

if TYPE_CHECKING:
    from riskreg.domain.isk_content import IskReport
PROGRESS_EVERY = 25  # pages between progress lines on stderr
NO_GRADE = "inget"


# -- riskreg report isk --------------------------------------------------------------------


@click.group("report")
def report_group() -> None:
    """Rapporter som PDF eller tillgänglig HTML."""


report_group.add_command(report_followup)


@report_group.command("isk")
@report_options("isk-bedomning-<nämnd>-<år>")
@click.option(
    "--delar",
    "parts",
    is_flag=True,
    help="Skriv PM:et och bilagan (registret) som två PDF-filer, var för sig med egen "
    "sidnumrering: STAM-pm.pdf och STAM-bilaga.pdf (-o anger mapp eller stam).",
)
@pass_state
def report_isk(
    state: CliState,
    year: int | None,
    committee: str | None,
    fmt: str,
    output: str | None,
    parts: bool,
) -> None:
    """Skriv årets ISK-bedömning som PDF/A eller tillgänglig HTML: föredragnings-PM,
    bedömning, riskkartor, uppföljning per verksamhet, avvikelser, förändringar och hela
    registret."""
    from riskreg.report.output import check_part_export, default_file_name
    from riskreg.services.isk import build_report

    if parts:
        if output == STDOUT:
            raise InvalidInput(
                "--delar skriver två filer och kan inte skrivas till standard ut: ange en mapp "
                "eller ett filnamn med -o."
            )
        if fmt != "pdf":
            raise InvalidInput("--delar skriver PM:et och bilagan som två PDF-filer, inte HTML.")
        check_part_export(output, Path.cwd())  # a wrong path fails before the slow part
        info("Läser registret …")
        _write_parts(build_report(state.context(), year, committee), output)
        return
    target = prepare_output(output, fmt)
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
    if rendered.unprintable:
        info(unprintable_warning(rendered.unprintable))
    deliver(target, name, rendered.pdf)
    info(f"Klart: {rendered.pages} sidor{note}.")


def _write_parts(report: IskReport, output: str | None) -> None:
    """``--delar``: the PM and the bilaga as two files, each checked before it is built."""
    from riskreg.report.isk_pdf import Part, render_isk
    from riskreg.report.output import default_file_name, part_targets, write_atomically

    name = default_file_name(report.committee, report.year)
    targets = part_targets(output, Path.cwd(), name)
    info(
        f"Sätter PM och bilaga för {report.committee} {report.year} ({report.risk_count} risker) …"
    )
    warned = False
    for part, target in zip((Part.MEMO, Part.APPENDIX), targets, strict=True):
        rendered = render_isk(report, part=part)
        if rendered.unprintable and not warned:
            info(unprintable_warning(rendered.unprintable))
            warned = True
        write_atomically(target, rendered.pdf)
        show(str(target))
        info(f"  {part.value}: {rendered.pages} sidor")
    note = " (exempeldata)" if report.example_data else ""
    info(f"Klart: två handlingar{note}.")


def unprintable_warning(chars: tuple[str, ...]) -> str:
    listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars)
    return (
        f"Varning: typsnittet saknar {len(chars)} tecken som finns i uppgifterna; de skrivs "
        f"som � i PDF:en: {listed}."
    )


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
@year_option("Planår (standard: aktuell plan).", required=False)
@committee_option("Nämnd (namn eller kortnamn).")
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
@click.option(
    "--tjänsteställe",
    "--tjanstestalle",
    "handler",
    help="Handläggarens roll eller enhet, t.ex. ”Hälso- och sjukvårdsförvaltningen, "
    "verksamhetscontroller”.",
)
@click.option(
    "--handläggare", "--handlaggare", "handler_name", metavar="NAMN", help="Handläggarens namn."
)
@click.option(
    "--styrning",
    "governance",
    metavar="TEXT",
    help="Intern styrning (krav a–b: mål, uppdrag och budget) enligt nämndens uppföljning; "
    "tom text tar bort den.",
)
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
    handler_name: str | None,
    governance: str | None,
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
    if handler_name is not None:
        changes["handler_name"] = handler_name
    if governance is not None:
        changes["governance"] = governance
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
@year_option("Planår (standard: aktuell plan).", required=False)
@committee_option("Nämnd (namn eller kortnamn).")
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
        ("Tjänsteställe", f.handler or missing),
        ("Handläggare", f.handler_name or missing),
        ("Styrning (krav a–b)", f.governance or missing),
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
        "tjänsteställe": f.handler,
        "handläggare": f.handler_name,
        "styrning": f.governance,
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
