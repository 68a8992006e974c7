"""``riskreg import plan``: a Word-exported IK-plan table into a new plan year.

All or nothing: the whole file is parsed before anything is written, and everything is
written in one transaction. A dry run does the same work and rolls it back, so what it
reports is exactly what a real import would create.

Identity: a risk whose text equals the text it had in an earlier plan year of the same
nämnd is that risk (same reference, history continues); an åtgärd with the same text
under the same risk is that åtgärd (its roles carry over). New åtgärder get the known
roles their text names ("Varje chef ska …").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.models import Area, Committee, Plan, PlanRisk, Risk, Role
from riskreg.domain.errors import ImportFileError, InvalidInput, NotFound
from riskreg.domain.wordtable import ParsedRisk, format_lines, read_plan_table
from riskreg.services import building
from riskreg.services.context import Context


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
        raise ImportFileError(f"Filen {path} kan inte läsas ({exc.strerror}).") from exc
    parsed = read_plan_table(data)
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"Planåret ska vara ett årtal som 2025, inte {year}.")
    now = ctx.clock()
    with ctx.transaction(commit=not dry_run) as session:
        found, created = _committee(session, committee, short_name)
        plan = building.create_plan(session, found, year, now)
        new_areas: list[str] = []
        imported: list[ImportedRisk] = []
        roles = list(session.scalars(select(Role)))
        for item in parsed:
            area = repo.find_area(session, found.id, item.area_label)
            if area is None:
                area = _new_area(session, found, item.area_label)
                new_areas.append(area.name)
            imported.append(_import_risk(session, plan, area, item, path.name, roles, now))
        repo.write_audit(
            session,
            at=now,
            actor=ctx.actor,
            action="importerade plan",
            entity="plan",
            entity_id=plan.id,
            entity_ref=f"{found.short_name} {year}",
            committee_id=found.id,
            after={
                "fil": path.name,
                "risker": len(imported),
                "åtgärder": sum(r.measures for r in imported),
            },
        )
        return ImportSummary(found.name, year, tuple(imported), tuple(new_areas), created, dry_run)


def _import_risk(
    session: Session,
    plan: Plan,
    area: Area,
    item: ParsedRisk,
    filename: str,
    roles: list[Role],
    now: datetime,
) -> ImportedRisk:
    earlier = session.scalar(
        select(Risk.ref)
        .join(PlanRisk, PlanRisk.risk_id == Risk.id)
        .where(Risk.committee_id == plan.committee_id, PlanRisk.text == item.text)
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
        source=f"{filename} rad {format_lines(item.lines)}",
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
            source=f"{filename} rad {format_lines(m.lines)}",
        )
    return ImportedRisk(risk.ref, area.name, item.text, len(item.measures), earlier is not None)


def _committee(session: Session, name: str, short_name: str | None) -> tuple[Committee, bool]:
    found = repo.find_committee(session, name)
    if found is not None:
        return found, False
    if not short_name:
        raise NotFound(
            f"Nämnden ”{name}” finns inte i registret; ange --kortnamn för att skapa den."
        )
    committee = Committee(name=" ".join(name.split()), short_name=short_name.strip().upper())
    session.add(committee)
    session.flush()
    return committee, True


def _new_area(session: Session, committee: Committee, label: str) -> Area:
    """A verksamhet first met in this file, with a free two-letter code from its name."""
    name = " ".join(label.split())
    letters = [c for c in unicodedata.normalize("NFKD", name.upper()) if "A" <= c <= "Z"]
    taken = set(session.scalars(select(Area.code).where(Area.committee_id == committee.id)))
    candidates = [letters[0] + c for c in letters[1:]] if letters else []
    candidates += [f"V{n}" for n in range(1, 100)]
    code = next(c for c in candidates if c not in taken)
    area = Area(committee_id=committee.id, code=code, name=name)
    session.add(area)
    session.flush()
    return area
