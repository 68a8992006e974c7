"""``riskreg risks``: the risks of the current plans, filtered.

"Open" means what a controller means: a risk of the nämnd's current plan (the latest
fastställd plan, else the latest plan) whose status *in that plan year* is aktiv: not
accepted, not closed. Which plan is current, and every figure of a row (netto and its
level, trend, åtgärder counted, last reviewed), come from the register read model
(``riskreg.domain.register``), the same rules the TUI and the ISK report use.

It reads through a DB-API ``Reader`` (``db.dbapi``) and never imports SQLAlchemy, so the
command costs little more than starting Python with sqlite3. Rows are produced one plan
at a time (a few plans per read), so a region's whole register is never held at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from riskreg.db import loader
from riskreg.db.dbapi import Reader
from riskreg.domain import lookup, register
from riskreg.domain.errors import InvalidInput, NotFound
from riskreg.domain.records import PlanSnapshot
from riskreg.domain.register import RiskRow
from riskreg.domain.scales import VALUE_MAX

PLANS_PER_READ = 25  # plans read together: few queries, yet never the whole region at once


@dataclass(frozen=True)
class RiskFilter:
    committee: str | None = None
    year: int | None = None
    area: str | None = None
    role: str | None = None
    min_value: int | None = None
    unreviewed: bool = False  # no netto review yet in the current period
    include_all: bool = False  # accepted and closed risks too


def list_risks(reader: Reader, wanted: RiskFilter) -> Iterator[RiskRow]:
    """The matching rows, nämnder in Swedish order, each plan's risks in plan order.
    Bad filters raise before the first row."""
    if wanted.min_value is not None and not 1 <= wanted.min_value <= VALUE_MAX:
        raise InvalidInput(f"Lägsta riskvärde ska vara 1–{VALUE_MAX}, inte {wanted.min_value}.")
    chosen = _plans_in_scope(reader, wanted)
    areas = _areas(reader, chosen, wanted.area)
    role = _role(reader, wanted.role)
    return _rows(reader, chosen, wanted, areas, role)


def _rows(
    reader: Reader,
    chosen: list[loader.PlanRow],
    wanted: RiskFilter,
    areas: set[tuple[int, str]] | None,
    role: str | None,
) -> Iterator[RiskRow]:
    for start in range(0, len(chosen), PLANS_PER_READ):
        ids = [p.id for p in chosen[start : start + PLANS_PER_READ]]
        for snapshot in loader.load_snapshots(reader, ids, latest_only=True):
            yield from _matching(snapshot, wanted, areas, role)


def _matching(
    snapshot: PlanSnapshot,
    wanted: RiskFilter,
    areas: set[tuple[int, str]] | None,
    role: str | None,
) -> Iterator[RiskRow]:
    plan = snapshot.plan
    due = plan.period(register.current_period(plan))
    for risk in snapshot.risks:
        if areas is not None and (plan.committee_id, risk.area_code) not in areas:
            continue
        row = register.risk_row(plan, risk)
        if not (wanted.include_all or register.is_open(row)):
            continue
        if role is not None and role not in row.roles:
            continue
        if wanted.unreviewed and register.reviewed_in(row, due):
            continue
        if wanted.min_value is not None and (
            row.netto is None or row.netto.value < wanted.min_value
        ):
            continue
        yield row


def _plans_in_scope(reader: Reader, wanted: RiskFilter) -> list[loader.PlanRow]:
    committees = loader.committees(reader)
    if not committees:
        raise lookup.no_single_committee(0)
    if wanted.committee is not None:
        aliases = loader.committee_aliases(reader)
        chosen = [
            c
            for c in committees
            if lookup.matches(wanted.committee, (c[1], c[2], *aliases.get(c[0], ())))
        ]
        if not chosen:
            raise lookup.no_committee(wanted.committee, [(c[1], c[2]) for c in committees])
        committees = chosen
    plans = loader.plans_of(reader, [c[0] for c in committees])
    result: list[loader.PlanRow] = []
    for committee_id, name, _short in committees:
        own = [p for p in plans if p.committee_id == committee_id]
        if wanted.year is None:
            current = register.current_plan(own)
            result.extend([current] if current else [])
            continue
        match = [p for p in own if p.year == wanted.year]
        if not match and wanted.committee is not None:
            raise lookup.no_plan(name, wanted.year, [p.year for p in own])
        result.extend(match)
    if wanted.year is not None and not result:
        raise NotFound(f"Det finns ingen plan för {wanted.year} i registret.")
    return result


def _areas(
    reader: Reader, plans: list[loader.PlanRow], label: str | None
) -> set[tuple[int, str]] | None:
    """(nämnd, code) of the verksamheter ``--verksamhet`` names (``register.area_matches``)."""
    if label is None:
        return None
    known = loader.areas_of(reader, sorted({p.committee_id for p in plans}))
    found = {
        (a.committee_id, a.code)
        for a in known
        if register.area_matches(label, [a.code, a.name, *a.aliases])
    }
    if not found:
        raise lookup.no_area(label, (a.name for a in known))
    return found


def _role(reader: Reader, name: str | None) -> str | None:
    """The role's stored name (``--roll`` is case-insensitive)."""
    if name is None:
        return None
    for stored in loader.role_names(reader):
        if lookup.matches(name, [stored]):
            return stored
    raise lookup.no_role(name)
