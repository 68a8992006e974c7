"""Build a synthetic region-sized register for benchmarks.

Default: 50 nämnder × 40 risks × 3 åtgärder, each risk and åtgärd in the 2023 and 2024
plans, with all 8 quarters reviewed: 2,000 risks, 6,000 åtgärder, 64,000 review rows.
Deterministic (fixed random seed). Rows go in with bulk Core inserts, not the services:
this builds test data, it is not a use case.

    python bench/synthetic.py --db sqlite:////tmp/synthetic.db [--committees 50] [--risks 40]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from riskreg.db.engine import make_engine
from riskreg.db.migrate import upgrade
from riskreg.db.models import (
    Area,
    AuditChain,
    AuditEntry,
    Committee,
    LockedMeasure,
    LockedRisk,
    Measure,
    MeasureReview,
    Plan,
    PlanMeasure,
    PlanRisk,
    ReviewPeriod,
    Risk,
    RiskReview,
    Role,
    measure_role,
)
from riskreg.domain.audit import GENESIS, canonical_json, canonical_time, entry_hash
from riskreg.domain.matrix import default_matrix
from riskreg.domain.scales import MeasureStatus, Severity

AREAS = [
    ("HR", "HR"),
    ("EK", "Ekonomi"),
    ("IS", "Informationssäkerhet"),
    ("KU", "Kvalitet och utveckling"),
    ("PS", "Patientsäkerhet"),
    ("KS", "Kunskapsstyrning"),
    ("HF", "Hälsofrämjande"),
    ("MT", "Medicinteknisk säkerhet"),
]
ROLES = [
    "Varje chef",
    "Fördelande chef",
    "Materialsamordnare",
    "Informationsägare/objektägare",
    "Respektive verksamhet",
    "Verksamhetschef",
    "Respektive områdesledning",
    "Upphandlingen",
    "Regionservice, Medicinsk teknik",
    "Staben för Hållbar utveckling",
    "Chef FOU",
    "HSD",
]
SUBJECTS = [
    "inköp görs utanför avtal",
    "kontanta medel hanteras felaktigt",
    "leverantörsfakturor betalas för sent",
    "personuppgifter hanteras i strid med GDPR",
    "avvikelser inte rapporteras",
    "reservrutiner saknas vid driftstörning",
    "medicintekniska produkter används utan kontroll",
    "arbetsmiljöarbetet brister",
    "attester görs av fel person",
    "journalgranskning uteblir",
]
YEARS = (2023, 2024)


def build(
    url: str, committees: int = 50, risks_per: int = 40, measures_per: int = 3
) -> dict[str, int]:
    upgrade(url)
    rnd = random.Random(2024)
    engine = make_engine(url)
    now = datetime(2024, 12, 20, 12, 0, tzinfo=UTC)
    matrix = default_matrix().to_dict()
    rows: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in (
            "committee",
            "area",
            "role",
            "plan",
            "period",
            "risk",
            "plan_risk",
            "measure",
            "plan_measure",
            "measure_role",
            "locked_risk",
            "locked_measure",
            "risk_review",
            "measure_review",
        )
    }
    rows["role"] = [{"id": i, "name": n, "description": ""} for i, n in enumerate(ROLES, 1)]
    ids = {
        "area": 0,
        "plan": 0,
        "period": 0,
        "risk": 0,
        "measure": 0,
        "pr": 0,
        "pm": 0,
        "rr": 0,
        "mr": 0,
    }
    for c in range(1, committees + 1):
        rows["committee"].append({"id": c, "name": f"Nämnd {c:02d}", "short_name": f"N{c:02d}"})
        area_ids = []
        for code, name in AREAS:
            ids["area"] += 1
            area_ids.append((ids["area"], code))
            rows["area"].append({"id": ids["area"], "committee_id": c, "code": code, "name": name})
        periods: dict[tuple[int, int], int] = {}
        plan_ids = {}
        for year in YEARS:
            ids["plan"] += 1
            plan_ids[year] = ids["plan"]
            rows["plan"].append(
                {
                    "id": ids["plan"],
                    "committee_id": c,
                    "year": year,
                    "status": "avslutad" if year == 2023 else "fastställd",
                    "dnr": f"{year - 1}RS{c:05d}",
                    "adopted_on": None,
                    "matrix": matrix,
                    "example_data": False,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for quarter in (1, 2, 3, 4):
                ids["period"] += 1
                periods[(year, quarter)] = ids["period"]
                rows["period"].append(
                    {
                        "id": ids["period"],
                        "plan_id": ids["plan"],
                        "quarter": quarter,
                        "locked_at": now,
                        "locked_by": "bench",
                        "locked_risks": risks_per,
                        "locked_risks_reviewed": risks_per,
                        "locked_measures": risks_per * measures_per,
                        "locked_measures_reviewed": risks_per * measures_per,
                    }
                )
        counters: dict[str, int] = {}
        for r in range(risks_per):
            area_id, code = area_ids[r % len(area_ids)]
            counters[code] = counters.get(code, 0) + 1
            ids["risk"] += 1
            risk_id = ids["risk"]
            rows["risk"].append(
                {
                    "id": risk_id,
                    "committee_id": c,
                    "area_id": area_id,
                    "ref": f"{code}-{counters[code]:02d}",
                    "requirement": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            text = f"Risken att {rnd.choice(SUBJECTS)} inom {code.lower()}-område {r + 1}."
            bl, bc = rnd.randint(2, 4), rnd.randint(2, 4)
            for position_base, year in enumerate(YEARS):
                ids["pr"] += 1
                rows["plan_risk"].append(
                    {
                        "id": ids["pr"],
                        "plan_id": plan_ids[year],
                        "risk_id": risk_id,
                        "position": r + 1,
                        "text": text,
                        "region_wide": r % 7 == 0,
                        "brutto_likelihood": bl,
                        "brutto_consequence": bc,
                        "source": None,
                        "status": "aktiv",
                    }
                )
                del position_base
            netto = (bl, bc)
            for (year, quarter), period_id in periods.items():
                netto = (
                    max(1, min(4, netto[0] + rnd.choice((-1, 0, 0, 1)))),
                    max(1, min(4, netto[1] + rnd.choice((-1, 0, 0, 1)))),
                )
                ids["rr"] += 1
                rows["risk_review"].append(
                    {
                        "id": ids["rr"],
                        "risk_id": risk_id,
                        "period_id": period_id,
                        "likelihood": netto[0],
                        "consequence": netto[1],
                        "comment": "",
                        "reviewed_by": "bench",
                        "reviewed_at": now
                        - timedelta(days=(2024 - year) * 365 + (4 - quarter) * 91),
                        "version": 1,
                    }
                )
                rows["locked_risk"].append({"period_id": period_id, "risk_id": risk_id})
            for m in range(measures_per):
                ids["measure"] += 1
                measure_id = ids["measure"]
                recurring = m % 2 == 1
                rows["measure"].append(
                    {
                        "id": measure_id,
                        "risk_id": risk_id,
                        "kind": "återkommande" if recurring else "engångsåtgärd",
                        "frequency": "kvartalsvis" if recurring else None,
                        "due_date": None,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for role_id in rnd.sample(range(1, len(ROLES) + 1), rnd.randint(1, 2)):
                    rows["measure_role"].append({"measure_id": measure_id, "role_id": role_id})
                for year in YEARS:
                    ids["pm"] += 1
                    rows["plan_measure"].append(
                        {
                            "id": ids["pm"],
                            "plan_id": plan_ids[year],
                            "measure_id": measure_id,
                            "position": r * measures_per + m + 1,
                            "text": f"Åtgärd {m + 1} för risk {r + 1}: följ upp och rapportera.",
                            "region_wide": False,
                            "source": None,
                        }
                    )
                for (year, quarter), period_id in periods.items():
                    ids["mr"] += 1
                    status = rnd.choice([s.value for s in MeasureStatus])
                    deviation = rnd.random() < 0.05
                    rows["measure_review"].append(
                        {
                            "id": ids["mr"],
                            "measure_id": measure_id,
                            "period_id": period_id,
                            "status": status,
                            "result": None,
                            "comment": "",
                            "deviation": "Stickprov visade brister." if deviation else None,
                            "severity": rnd.choice([s.value for s in Severity])
                            if deviation
                            else None,
                            "reviewed_by": "bench",
                            "reviewed_at": now
                            - timedelta(days=(2024 - year) * 365 + (4 - quarter) * 91),
                            "version": 1,
                        }
                    )
                    rows["locked_measure"].append(
                        {"period_id": period_id, "measure_id": measure_id}
                    )
    tables = [
        ("committee", Committee.__table__),
        ("area", Area.__table__),
        ("role", Role.__table__),
        ("plan", Plan.__table__),
        ("period", ReviewPeriod.__table__),
        ("risk", Risk.__table__),
        ("plan_risk", PlanRisk.__table__),
        ("measure", Measure.__table__),
        ("plan_measure", PlanMeasure.__table__),
        ("measure_role", measure_role),
        ("risk_review", RiskReview.__table__),
        ("measure_review", MeasureReview.__table__),
        ("locked_risk", LockedRisk.__table__),
        ("locked_measure", LockedMeasure.__table__),
    ]
    log = _log(rows["risk_review"], rows["measure_review"])
    with engine.begin() as conn:
        for key, table in tables:
            if rows[key]:
                conn.execute(insert(table), rows[key])
        conn.execute(insert(AuditEntry.__table__), log)
        conn.execute(
            update(AuditChain.__table__).values(
                seq=len(log), hash=log[-1]["hash"] if log else GENESIS
            )
        )
    engine.dispose()
    return {
        "nämnder": committees,
        "risker": len(rows["risk"]),
        "åtgärder": len(rows["measure"]),
        "bedömningar": len(rows["risk_review"]) + len(rows["measure_review"]),
    }


def _log(
    risk_reviews: list[dict[str, Any]], measure_reviews: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One chained audit entry per review, as the review service would have written."""
    entries: list[dict[str, Any]] = []
    previous = GENESIS
    reviews = [("bedömde risk", "risk", r["risk_id"], r) for r in risk_reviews] + [
        ("följde upp åtgärd", "åtgärd", r["measure_id"], r) for r in measure_reviews
    ]
    for seq, (action, entity, entity_id, review) in enumerate(reviews, start=1):
        after = {"status": review.get("status"), "sannolikhet": review.get("likelihood")}
        fields: dict[str, Any] = {
            "seq": seq,
            "at": review["reviewed_at"],
            "actor": "bench",
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "entity_ref": f"{entity} {entity_id} period {review['period_id']}",
            "committee_id": None,
            "plan_id": None,
            "before": None,
            "after": after,
        }
        digest = entry_hash(
            **{**fields, "at": canonical_time(fields["at"]), "before": canonical_json(None),
               "after": canonical_json(after)},
            prev_hash=previous,
        )  # fmt: skip
        entries.append({**fields, "prev_hash": previous, "hash": digest})
        previous = digest
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (a new, empty database)")
    parser.add_argument("--committees", type=int, default=50)
    parser.add_argument("--risks", type=int, default=40)
    parser.add_argument("--measures", type=int, default=3)
    args = parser.parse_args()
    if args.db.startswith("sqlite:///"):
        path = Path(args.db.removeprefix("sqlite:///"))
        if path.exists():
            parser.error(f"{path} already exists; give a new file")
    started = time.perf_counter()
    counts = build(args.db, args.committees, args.risks, args.measures)
    print(
        ", ".join(f"{v} {k}" for k, v in counts.items()), f"({time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
