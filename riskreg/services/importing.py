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

import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.models import Area, Committee, Plan, Role
from riskreg.domain import limits, lookup
from riskreg.domain.codes import area_code
from riskreg.domain.errors import ImportFileError, InvalidInput, NotFound
from riskreg.domain.matrix import matrix_for_size
from riskreg.domain.periods import PeriodKind
from riskreg.domain.sheettable import parse_sheet
from riskreg.domain.wordtable import (
    ParsedMeasure,
    ParsedRisk,
    PlanTable,
    format_lines,
    read_plan_table,
)
from riskreg.services import building, xlsx_reading
from riskreg.services.committees import create_committee
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
    new_roles: tuple[str, ...] = ()  # named in an Ansvarig column, new to the register

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
    sheet: str | None = None,
    matrix_size: int = 4,
    period_kind: PeriodKind = PeriodKind.QUARTER,
) -> ImportSummary:
    """Import a plan table: a Word table saved as text, or a worksheet of an .xlsx
    workbook (the first one, or ``sheet``), into a new plan year with a matrix of
    ``matrix_size`` and follow-up per ``period_kind``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Filen {path} kan inte läsas ({reason(exc)}).") from exc
    matrix = matrix_for_size(matrix_size)
    if xlsx_reading.is_workbook_name(path):
        table = _workbook_table(path, data, sheet, matrix.size[0])
    elif sheet is not None:
        raise InvalidInput("--blad gäller bara en Excel-arbetsbok (.xlsx).")
    else:
        table = read_plan_table(data)
    limits.check_year(year)
    now = ctx.clock()
    with ctx.transaction(commit=not dry_run) as session:
        found, created = _committee(session, committee, short_name)
        plan = building.create_plan(
            session, found, year, now, matrix=matrix, period_kind=period_kind
        )
        roles = _RoleFinder(session)
        imported, new_areas = _write(
            session, plan, found, table.risks, _file_name(path), now, roles
        )
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
                "matris": matrix.label,
                "perioder": period_kind.value,
                "risker": len(imported),
                "åtgärder": sum(r.measures for r in imported),
                "från tidigare år": sum(r.linked for r in imported),
                "nya verksamheter": new_areas,
                "nya roller": roles.created,
            },
        )
        return ImportSummary(
            found.name,
            year,
            tuple(imported),
            tuple(new_areas),
            created,
            dry_run,
            table.warnings,
            tuple(roles.created),
        )


def _write(
    session: Session,
    plan: Plan,
    committee: Committee,
    parsed: tuple[ParsedRisk, ...],
    filename: str,
    now: datetime,
    roles: _RoleFinder,
) -> tuple[list[ImportedRisk], list[str]]:
    """Every risk and åtgärd of the table in a few statements per table, not per row."""
    areas: dict[str, Area] = {}
    new_areas: list[str] = []
    known = repo.areas_of(session, committee.id)
    for item in parsed:
        if item.area_label not in areas:
            area = repo.match_area(known, item.area_label)
            if area is None:
                area = _new_area(session, committee, item.area_label)
                new_areas.append(area.name)
                known.append(area)
            areas[item.area_label] = area
    refs = _earlier_refs(session, plan, [item.text for item in parsed])
    added = building.add_risks(
        session,
        plan,
        [
            building.NewRisk(
                areas[item.area_label],
                item.text,
                ref,
                region_wide=item.region_wide,
                brutto=item.brutto,
                source=_source(filename, item.lines),
            )
            for item, ref in zip(parsed, refs, strict=True)
        ],
        now,
    )
    building.add_measures(
        session,
        plan,
        [
            (
                risk.id,
                building.NewMeasure(
                    m.text,
                    region_wide=m.region_wide,
                    roles=roles.for_measure(m),
                    source=_source(filename, m.lines),
                ),
            )
            for item, risk in zip(parsed, added, strict=True)
            for m in item.measures
        ],
        now,
    )
    imported = [
        ImportedRisk(
            risk.ref, areas[item.area_label].name, item.text, len(item.measures), ref is not None
        )
        for item, risk, ref in zip(parsed, added, refs, strict=True)
    ]
    return imported, new_areas


def _earlier_refs(session: Session, plan: Plan, texts: list[str]) -> list[str | None]:
    """The identity of each risk text: a risk of the nämnd that had the very same text in
    an earlier plan year. A risk already given to an earlier text of the file is not a
    candidate: two texts that were both once this risk's text make one the risk and the
    other a new one."""
    candidates = repo.refs_by_text(session, plan.committee_id, texts, plan.id)
    taken: set[str] = set()
    result: list[str | None] = []
    for text in texts:
        ref = next((r for r in candidates.get(text, ()) if r not in taken), None)
        if ref is not None:
            taken.add(ref)
        result.append(ref)
    return result


class _RoleFinder:
    """The roles of an imported åtgärd: the known roles its text names ("Varje chef ska
    …") and the ones named in an Ansvarig column (created when new to the register)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known = list(session.scalars(select(Role)))
        # Only roles known before the import are looked for in the texts, as before.
        self.named_in_text = [(r.name.casefold(), r) for r in self.known]
        self.created: list[str] = []

    def for_measure(self, measure: ParsedMeasure) -> tuple[Role, ...]:
        folded = measure.text.casefold()
        named = [role for name, role in self.named_in_text if name in folded]
        for name in measure.responsible:
            named.append(self._role(name))
        return tuple({r.id: r for r in named}.values())

    def _role(self, name: str) -> Role:
        for role in self.known:
            if lookup.matches(name, [role.name]):
                return role
        role = repo.find_or_create_role(self.session, name)
        self.known.append(role)
        self.created.append(role.name)
        return role


def _workbook_table(path: Path, data: bytes, name: str | None, scale: int) -> PlanTable:
    book = xlsx_reading.open_workbook(path, data)
    try:
        sheet = xlsx_reading.worksheet(book, path, name)
        try:
            return parse_sheet(xlsx_reading.rows(sheet), sheet.title, scale)
        except ImportFileError as exc:
            where = f"{path.name}, bladet ”{sheet.title}”"
            line = f", rad {exc.line}" if exc.line is not None else ""
            raise ImportFileError(f"{where}{line}: {exc.detail}") from None
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
            # a damaged sheet inside a readable zip (XML errors are SyntaxErrors)
            raise xlsx_reading.damaged(path, exc) from None
    finally:
        book.close()


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
    return create_committee(session, name, short_name), True


def _new_area(session: Session, committee: Committee, name: str) -> Area:
    """A verksamhet first met in this file, with a free code made from its name."""
    repo.lock_committee(session, committee.id)
    taken = set(session.scalars(select(Area.code).where(Area.committee_id == committee.id)))
    area = Area(committee_id=committee.id, code=area_code(name, taken), name=name)
    session.add(area)
    session.flush()
    return area
