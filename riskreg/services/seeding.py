"""Loading the seed plans (``seed/*.toml``) into the register, idempotently.

A plan year that already exists is left alone, so ``riskreg seed`` can run any number of
times. Risks that carry the same reference in two plan files are one risk across years.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.models import Area, AreaAlias, Committee, Plan
from riskreg.domain.errors import InvalidInput
from riskreg.domain.scales import Frequency, MeasureKind, PlanStatus, parse_enum
from riskreg.services import building
from riskreg.services.context import Context

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


@dataclass(frozen=True)
class SeedResult:
    created_plans: tuple[int, ...]
    skipped_plans: tuple[int, ...]
    risks: int
    measures: int


def seed(ctx: Context, seed_dir: Path = SEED_DIR) -> SeedResult:
    register = _load(seed_dir / "register.toml")
    plan_files = sorted(seed_dir.glob("plan-*.toml"))
    plans = sorted((_load(p) for p in plan_files), key=lambda p: int(p["year"]))
    now = ctx.clock()
    created: list[int] = []
    skipped: list[int] = []
    risks = measures = 0
    with ctx.transaction() as session:
        if repo.empty_by_choice(session):
            raise InvalidInput(
                "Registret skapades tomt (riskreg init --tom) och fylls inte med "
                "exempelplanerna; importera er egen plan med ”riskreg import plan”."
            )
        committee = _ensure_register(session, register)
        for data in plans:
            if session.scalar(
                select(Plan.id).where(Plan.committee_id == committee.id, Plan.year == data["year"])
            ):
                skipped.append(int(data["year"]))
                continue
            plan = building.create_plan(
                session,
                committee,
                int(data["year"]),
                now,
                status=parse_enum(PlanStatus, data["status"], "planstatus"),
            )
            cited = _citation(data)
            for risk_data in data["risks"]:
                area = repo.get_area(session, committee.id, risk_data["area"])
                risk, _ = building.add_risk(
                    session,
                    plan,
                    area,
                    risk_data["text"],
                    now,
                    ref=risk_data["ref"],
                    region_wide=bool(risk_data.get("region_wide", False)),
                    requirement=risk_data.get("krav"),
                    source=f"{cited}, rad {risk_data['lines']}",
                )
                risks += 1
                for m in risk_data.get("measures", []):
                    building.add_measure(
                        session,
                        plan,
                        risk,
                        m["text"],
                        now,
                        region_wide=bool(m.get("region_wide", False)),
                        kind=parse_enum(MeasureKind, m["kind"], "åtgärdstyp"),
                        frequency=parse_enum(Frequency, m["frequency"], "frekvens")
                        if m.get("frequency")
                        else None,
                        roles=[repo.get_role(session, name) for name in m.get("roles", [])],
                        source=f"{cited}, rad {m['lines']}",
                    )
                    measures += 1
            repo.write_audit(
                session,
                at=now,
                actor=ctx.actor,
                action="läste in plan",
                entity="plan",
                entity_id=plan.id,
                entity_ref=f"{committee.short_name} {plan.year}",
                committee_id=committee.id,
                plan_id=plan.id,
                after={
                    "år": plan.year,
                    "källa": f"{data['source']} ({cited})",
                    "rader": data["lines"],
                    "risker": len(data["risks"]),
                },
            )
            created.append(plan.year)
    return SeedResult(tuple(created), tuple(skipped), risks, measures)


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise InvalidInput(f"Seedfilen saknas: {path}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"Seedfilen {path.name} är trasig: {exc}.") from exc


def _ensure_register(session: Session, register: dict[str, Any]) -> Committee:
    info = register["committee"]
    committee = repo.find_committee(session, info["name"])
    if committee is None:
        committee = Committee(name=info["name"], short_name=info["short_name"])
        session.add(committee)
        session.flush()
    for area_data in register["areas"]:
        area = session.scalar(
            select(Area).where(Area.committee_id == committee.id, Area.code == area_data["code"])
        )
        if area is None:
            area = Area(committee_id=committee.id, code=area_data["code"], name=area_data["name"])
            session.add(area)
        known = {a.alias for a in area.aliases}
        area.aliases.extend(AreaAlias(alias=a) for a in area_data["aliases"] if a not in known)
    session.flush()
    for role in register["roles"]:
        repo.find_or_create_role(session, role["name"], role.get("description", ""))
    return committee


def _citation(data: dict[str, Any]) -> str:
    """How a reader finds a row's origin: "VP 2024 §7.1" (the document's short title and
    the section's number), not the seed file's name."""
    return f"{data['document']} §{data['section'].split()[0]}"
