"""``riskreg import plan``: a Word-exported IK-plan table into a new plan year.

All or nothing: the whole file is parsed and checked against the register's limits before
anything is written (so SQLite and PostgreSQL refuse the same files with the same sentence),
and everything is written in one transaction. A dry run does the same work and rolls it
back, so what it reports is exactly what a real import would create.

Identity: a risk whose text equals the text it had in an earlier plan year of the same
nämnd is that risk (same reference, history continues); an åtgärd with the same text
under the same risk is that åtgärd (its roles carry over). New åtgärder get the known
roles their text names ("Varje chef ska …").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.models import Area, Committee, Plan, PlanRisk, Risk, Role
from riskreg.domain import limits
from riskreg.domain.codes import area_code
from riskreg.domain.errors import ImportFileError, InvalidInput, NotFound
from riskreg.domain.wordtable import ParsedRisk, format_lines, read_plan_table
from riskreg.services import building
from riskreg.services.context import Context
from riskreg.services.files import reason


@dataclass(frozen=True)
class ImportedRisk:
    ref: str
    area: str
    text: str
    measures: int
    linked: bool  # the same risk as in an earlier plan year


@dataclass(frozen=True)
class ImportSummary:
    committee: str
    year: int
    risks: tuple[ImportedRisk, ...]
    new_areas: tuple[str, ...]
    new_committee: bool
    dry_run: bool
    warnings: tuple[str, ...] = ()  # what was changed on the way, one sentence each

    @property
    def measures(self) -> int:
        return sum(r.measures for r in self.risks)


def import_plan(
    ctx: Context,
    path: Path,
    *,
    year: int,
    committee: str,
    short_name: str | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Filen {path} kan inte läsas ({reason(exc)}).") from exc
    table = read_plan_table(data)
    limits.check_year(year)
    now = ctx.clock()
    with ctx.transaction(commit=not dry_run) as session:
        found, created = _committee(session, committee, short_name)
        plan = building.create_plan(session, found, year, now)
        new_areas: list[str] = []
        imported: list[ImportedRisk] = []
        roles = list(session.scalars(select(Role)))
        for item in table.risks:
            area = repo.find_area(session, found.id, item.area_label)
            if area is None:
                area = _new_area(session, found, item.area_label)
                new_areas.append(area.name)
            imported.append(_import_risk(session, plan, area, item, _file_name(path), roles, now))
        repo.write_audit(
            session,
            at=now,
            actor=ctx.actor,
            action="importerade plan",
            entity="plan",
            entity_id=plan.id,
            entity_ref=f"{found.short_name} {year}",
            committee_id=found.id,
            plan_id=plan.id,
            after={
                "fil": _file_name(path),
                "risker": len(imported),
                "åtgärder": sum(r.measures for r in imported),
            },
        )
        return ImportSummary(
            found.name, year, tuple(imported), tuple(new_areas), created, dry_run, table.warnings
        )


def _import_risk(
    session: Session,
    plan: Plan,
    area: Area,
    item: ParsedRisk,
    filename: str,
    roles: list[Role],
    now: datetime,
) -> ImportedRisk:
    # A risk already put into this plan is not a candidate: two texts in the file that
    # were both once this risk's text make one the risk and the other a new one.
    in_plan = select(PlanRisk.risk_id).where(PlanRisk.plan_id == plan.id)
    earlier = session.scalar(
        select(Risk.ref)
        .join(PlanRisk, PlanRisk.risk_id == Risk.id)
        .where(
            Risk.committee_id == plan.committee_id,
            PlanRisk.text == item.text,
            Risk.id.not_in(in_plan),
        )
        .limit(1)
    )
    risk, _ = building.add_risk(
        session,
        plan,
        area,
        item.text,
        now,
        ref=earlier,
        region_wide=item.region_wide,
        source=_source(filename, item.lines),
    )
    for m in item.measures:
        named = [r for r in roles if r.name.casefold() in m.text.casefold()]
        building.add_measure(
            session,
            plan,
            risk,
            m.text,
            now,
            region_wide=m.region_wide,
            roles=named,
            source=_source(filename, m.lines),
        )
    return ImportedRisk(risk.ref, area.name, item.text, len(item.measures), earlier is not None)


def _source(filename: str, lines: tuple[int, ...]) -> str:
    """Where a text came from, within the column: the file name gives way to the lines."""
    where = f" rad {format_lines(lines)}"
    return limits.fit(
        limits.fit(filename, limits.SOURCE_MAX - len(where)) + where, limits.SOURCE_MAX
    )


def _file_name(path: Path) -> str:
    # A file name can hold any character but "/" and NUL; the register keeps it readable.
    return " ".join(limits.STRAY_CONTROL.sub("", path.name).split())


def _committee(session: Session, name: str, short_name: str | None) -> tuple[Committee, bool]:
    found = repo.find_committee(session, name)
    if found is not None:
        return found, False
    if not short_name:
        raise NotFound(
            f"Nämnden ”{name}” finns inte i registret; ange --kortnamn för att skapa den."
        )
    full = limits.checked(" ".join(name.split()), "Nämndens namn", limits.COMMITTEE_NAME_MAX)
    short = limits.checked(short_name.strip().upper(), "Kortnamnet", limits.SHORT_NAME_MAX)
    if not short:
        raise InvalidInput("Kortnamnet får inte vara tomt.")
    clash = repo.find_committee(session, short)
    if clash is not None:
        raise InvalidInput(f"Kortnamnet ”{short}” används redan av {clash.name}.")
    committee = Committee(name=full, short_name=short)
    session.add(committee)
    session.flush()
    return committee, True


def _new_area(session: Session, committee: Committee, name: str) -> Area:
    """A verksamhet first met in this file, with a free code made from its name."""
    repo.lock_committee(session, committee.id)
    taken = set(session.scalars(select(Area.code).where(Area.committee_id == committee.id)))
    area = Area(committee_id=committee.id, code=area_code(name, taken), name=name)
    session.add(area)
    session.flush()
    return area
