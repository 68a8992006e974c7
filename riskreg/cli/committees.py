"""``riskreg nämnd add|list|rename|alias``: the register's nämnder, by name, kortnamn and
the other names they are known by. Every change goes through ``services.committees`` and
is logged."""

from __future__ import annotations

import csv
import sys

import click

from riskreg.cli.common import CliState, format_option, info, pass_state, show
from riskreg.cli.output import json_text, spreadsheet_safe
from riskreg.domain import lookup
from riskreg.domain.text import count_of

_COLUMNS = ("namn", "kortnamn", "alias", "planår")


@click.group("nämnd")
def committee_group() -> None:
    """Registrets nämnder: lägg till, lista, byt namn, alias."""


@committee_group.command("add")
@click.argument("name", metavar="NAMN")
@click.option("--kortnamn", "short_name", required=True, help="Kortnamn, t.ex. SN.")
@pass_state
def committee_add(state: CliState, name: str, short_name: str) -> None:
    """Lägg till en nämnd (namn och kortnamn får inte användas av en annan nämnd)."""
    from riskreg.services.committees import add_committee

    added = add_committee(state.context(), name, short_name)
    info(f"Lade till {added.name} ({added.short_name}).")


@committee_group.command("list")
@format_option
@pass_state
def committee_list(state: CliState, output_format: str) -> None:
    """Lista nämnderna med kortnamn, alias och planår."""
    from riskreg.services.committees import list_committees

    found = list_committees(state.context())
    if output_format == "json":
        data = [
            {"namn": c.name, "kortnamn": c.short_name, "alias": c.aliases, "planår": c.years}
            for c in found
        ]
        sys.stdout.write(json_text(data) + "\n")
        return
    rows = [
        (c.name, c.short_name, "; ".join(c.aliases), ", ".join(str(y) for y in c.years))
        for c in found
    ]
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(_COLUMNS)
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
        return
    if not rows:
        info(lookup.EMPTY_REGISTER)
        return
    widths = [max(len(r[i]) for r in [_COLUMNS, *rows]) for i in range(len(_COLUMNS))]
    for row in [_COLUMNS, *rows]:
        show("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    info(f"{count_of(len(rows), 'nämnd', 'nämnder')}.")


@committee_group.command("rename")
@click.argument("committee", metavar="NÄMND")
@click.argument("new_name", metavar="NYTT_NAMN", required=False)
@click.option("--kortnamn", "short_name", help="Nytt kortnamn.")
@pass_state
def committee_rename(
    state: CliState, committee: str, new_name: str | None, short_name: str | None
) -> None:
    """Byt namn (och/eller kortnamn med --kortnamn) på en nämnd."""
    from riskreg.services.committees import rename_committee

    renamed = rename_committee(state.context(), committee, new_name, short_name)
    info(f"Nämnden heter nu {renamed.name} ({renamed.short_name}).")


@committee_group.command("alias")
@click.argument("committee", metavar="NÄMND")
@click.argument("alias", metavar="ALIAS")
@click.option("--ta-bort", "remove", is_flag=True, help="Ta bort aliaset i stället.")
@pass_state
def committee_alias(state: CliState, committee: str, alias: str, remove: bool) -> None:
    """Ett annat namn som nämnden ska hittas med (i --nämnd, importer och rapporter)."""
    from riskreg.services.committees import set_alias

    changed = set_alias(state.context(), committee, alias, remove=remove)
    listed = ", ".join(changed.aliases) or "inga"
    info(f"Alias för {changed.name}: {listed}.")
