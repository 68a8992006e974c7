"""``riskreg audit verify`` (is the log's hash chain whole?) and ``riskreg audit log``
(search it). Both read through the DB-API driver, without SQLAlchemy."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime

import click

from riskreg.cli.common import CliState, format_option, info, pass_state, show
from riskreg.cli.output import json_text, spreadsheet_safe
from riskreg.domain.audit import ChainEntry
from riskreg.domain.clock import local_stamp
from riskreg.domain.errors import ChainBroken, InvalidInput
from riskreg.domain.records import PeriodRef


@click.group("audit")
def audit_group() -> None:
    """Ändringsloggen: kontrollera hashkedjan, sök i loggen."""


@audit_group.command("verify")
@pass_state
def verify(state: CliState) -> None:
    """Kontrollera att ingen loggpost har ändrats, tagits bort eller lagts till i efterhand
    (slutkod 4 om kedjan är bruten)."""
    from riskreg.services.auditing import verify as run

    with state.reader() as reader:
        verdict = run(reader)
    if not verdict.ok:
        raise ChainBroken(
            f"Loggens hashkedja är bruten: {verdict.problem} Kontrollerade "
            f"{verdict.entries} poster."
        )
    click.echo(f"{verdict.entries}\t{verdict.head}")
    info(f"Loggens hashkedja är hel: {verdict.entries} poster, senaste hash {verdict.head[:16]}…")


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"”{value}” är inget datum: skriv ÅÅÅÅ-MM-DD.") from exc


@audit_group.command("log")
@click.option("--ref", help="Riskreferens eller del av postens referens, t.ex. EK-03.")
@click.option("--vem", "actor", help="Vem som gjorde ändringen (exakt namn).")
@click.option("--händelse", "--handelse", "action", help="Del av händelsen, t.ex. ”låste”.")
@click.option("--period", help="Uppföljningsperiod, t.ex. ”2024 kv 2”.")
@click.option("--från", "--fran", "since", callback=_day, help="Från och med datum (ÅÅÅÅ-MM-DD).")
@click.option("--till", "until", callback=_day, help="Till och med datum (ÅÅÅÅ-MM-DD).")
@format_option
@pass_state
def log(
    state: CliState,
    ref: str | None,
    actor: str | None,
    action: str | None,
    period: str | None,
    since: date | None,
    until: date | None,
    output_format: str,
) -> None:
    """Sök i ändringsloggen: vem gjorde vad, när, före och efter."""
    from riskreg.services.auditing import LogFilter, search

    if since and until and since > until:
        raise InvalidInput("Från-datumet ligger efter till-datumet.")
    wanted = LogFilter(
        ref=ref,
        actor=actor,
        action=action,
        period=PeriodRef.parse(period) if period else None,
        since=since,
        until=until,
    )
    with state.reader() as reader:
        entries = search(reader, wanted)
    if output_format == "json":
        sys.stdout.write(json_text([_data(e) for e in entries]) + "\n")
        return
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["nr", "tid", "vem", "händelse", "referens", "före", "efter"])
        for e in entries:
            data = _data(e)
            cells = [data["tid"], e.actor, e.action, e.entity_ref, e.before, e.after]
            writer.writerow([e.seq, *(spreadsheet_safe(str(c or "")) for c in cells)])
        return
    for e in entries:
        show(f"{e.seq:>6}  {_stamp(e)}  {e.actor}: {e.action} ({e.entity_ref})")
    info(f"{len(entries)} poster." if entries else "Inga loggposter matchar.")


def _stamp(entry: ChainEntry) -> str:
    return local_stamp(datetime.fromisoformat(entry.at))


def _data(entry: ChainEntry) -> dict[str, object]:
    """One entry as JSON: before and after as the values they hold."""
    return {
        "nr": entry.seq,
        "tid": _stamp(entry),
        "vem": entry.actor,
        "händelse": entry.action,
        "referens": entry.entity_ref,
        "före": json.loads(entry.before) if entry.before else None,
        "efter": json.loads(entry.after) if entry.after else None,
        "hash": entry.hash,
    }
