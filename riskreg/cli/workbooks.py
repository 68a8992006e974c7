"""``riskreg workbooks create|read|status``: the follow-up of a period by Excel workbooks that
the åtgärd owners fill in."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from riskreg.cli.common import (
    CliState,
    committee_option,
    info,
    iso_date,
    pass_state,
    period_option,
    show,
    year_option,
)
from riskreg.domain.clock import local_stamp
from riskreg.domain.errors import InvalidInput

if TYPE_CHECKING:
    from riskreg.services.workbook_import import ReadOutcome


@click.group("workbooks")
def workbooks_group() -> None:
    """Uppföljning med arbetsböcker som åtgärdsägarna fyller i (Excel)."""


@workbooks_group.command("create")
@year_option()
@period_option()
@click.option("--roll", "role", help="Bara denna roll (”utan roll” för åtgärder utan roll).")
@committee_option("Bara denna nämnd (standard: alla).")
@click.option("--deadline", "--svara-senast", callback=iso_date, help="Svara senast ÅÅÅÅ-MM-DD.")
@click.option(
    "-o", "--output", "folder", required=True, metavar="MAPP", help="Mapp att skriva filerna i."
)
@click.option("--ersätt", "--ersatt", "replace", is_flag=True, help="Skriv över befintliga filer.")
@pass_state
def create(
    state: CliState,
    year: int,
    period: str,
    role: str | None,
    committee: str | None,
    deadline: date | None,
    folder: str,
    replace: bool,
) -> None:
    """Skriv en arbetsbok (.xlsx) per ansvarig roll med rollens åtgärder att följa upp, och
    en för åtgärder utan roll (till controllern). MAPP skapas om den saknas."""
    from riskreg.report.followup_xlsx import render_followup
    from riskreg.report.output import write_atomically
    from riskreg.services.files import check_folder, check_target, reason
    from riskreg.services.workbooks import WorkbookOrder, build_workbooks

    where = Path(folder).expanduser()
    new_folder = not where.exists() and not where.is_symlink()
    check_folder(where.parent if new_folder else where)  # before the work, not after
    order = WorkbookOrder(year, period, committee, role, deadline)
    built = build_workbooks(state.context(), order)
    if new_folder:
        try:
            where.mkdir(mode=0o700)
        except OSError as exc:
            raise InvalidInput(f"Kan inte skapa mappen {where}: {reason(exc)}.") from exc
    targets = [where / item.file_name for item in built]
    for target in targets:
        check_target(target)
        if target.exists() and not replace:
            raise InvalidInput(
                f"{target} finns redan; ange --ersätt för att skriva över den "
                "(inga arbetsböcker skrevs)."
            )
    rows = 0
    for item, target in zip(built, targets, strict=True):
        write_atomically(target, render_followup(item.workbook))
        rows += len(item.workbook.rows)
        show(str(target))
    label = built[0].workbook.info.period.label if built else year
    info(f"Skrev {len(built)} arbetsböcker med {rows} åtgärdsrader för {label}.")


@workbooks_group.command("status")
@year_option()
@period_option()
@committee_option()
@pass_state
def status(state: CliState, year: int, period: str, committee: str | None) -> None:
    """Vilka roller som svarat (arbetsbok inläst) och vad som fortfarande är öppet."""
    from riskreg.services.workbooks import workbook_status

    result = workbook_status(state.context(), year, period, committee)
    lock = " (låst)" if result.period.locked else ""
    info(f"{result.committee} {result.period.label}{lock}")
    width = max([len("Roll"), *(len(r.label) for r in result.roles)])
    show(f"{'Roll':<{width}}  Besvarade  Öppna  Arbetsbok inläst")
    for role in result.roles:
        read = "; ".join(f"{local_stamp(at)} av {by}" for at, by in role.read_in) or "nej"
        left = role.measures - role.answered
        show(f"{role.label:<{width}}  {role.answered:>4} av {role.measures:<3} {left:>5}  {read}")
    waiting = [r.label for r in result.roles if not r.read_in]
    if waiting:
        info(f"Ingen arbetsbok inläst från: {', '.join(waiting)}.")
    else:
        info("Alla roller har svarat.")


@workbooks_group.command("read")
@click.argument("files", nargs=-1, required=True, metavar="FIL...", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle sparas utan att spara något.")
@click.option("--year", "--år", "year", type=int, help="Planår som filerna ska gälla.")
@click.option("--period", "period", help="Perioden som filerna ska gälla (med --year).")
@pass_state
def read(
    state: CliState,
    files: tuple[Path, ...],
    dry_run: bool,
    year: int | None,
    period: str | None,
) -> None:
    """Läs in ifyllda arbetsböcker: allt eller inget, ändringar loggas som ”via arbetsbok
    från <roll>”. En rad som ändrats i riskreg sedan arbetsboken skapades skrivs aldrig
    över utan visas som konflikt."""
    from riskreg.domain.periods import PeriodRef
    from riskreg.services.workbook_import import WorkbooksRejected, read_workbooks

    if (year is None) != (period is None):
        raise click.UsageError("Ange både --year och --period, eller ingen av dem.")
    wanted = PeriodRef.parse(period, year) if year is not None and period else None
    try:
        outcome = read_workbooks(state.context(), files, dry_run=dry_run, period=wanted)
    except WorkbooksRejected as exc:
        _show_outcome(exc.outcome)
        for problem in exc.problems:
            info(f"Fel: {problem}")
        info("Inget sparades från någon av filerna; rätta felen och läs in igen.")
        raise click.exceptions.Exit(1) from exc
    _show_outcome(outcome)
    verb = "Skulle spara" if dry_run else "Sparade"
    note = " Inget sparades (--dry-run)." if dry_run else ""
    conflicts = f", {outcome.conflicts} konflikter sparades inte" if outcome.conflicts else ""
    books = len(outcome.files)
    info(f"{verb} {outcome.changes} ändringar från {books} arbetsböcker{conflicts}.{note}")


def _show_outcome(outcome: ReadOutcome) -> None:
    for item in outcome.files:
        show(
            f"{item.name} ({item.role}): {len(item.changes)} ändringar, "
            f"{len(item.conflicts)} konflikter, {item.unanswered} rader utan svar"
        )
        for change in item.changes:
            before = change.before or "inget svar"
            show(f"  {change.key}: {before} → {change.after}")
        for conflict in item.conflicts:
            show(
                f"  KONFLIKT {conflict.key}: {conflict.why}. I riskreg: {conflict.in_register}. "
                f"I arbetsboken: {conflict.in_workbook}. Sparas inte."
            )
