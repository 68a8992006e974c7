"""``riskreg risks``: the risks of the current plans, filtered, in a few SQL statements.

"Open" means what a controller means: a risk of the nämnd's current plan (the latest
fastställd plan, else the latest plan) whose status is aktiv — not accepted, not closed.
Netto, trend and "last reviewed" come from the risk's reviews up to that plan year, so a
new plan shows last year's verdicts until the first review of the year.

This is the one read path written as plain SQL on a connection instead of ORM queries:
it runs on every ``riskreg risks``, and skipping the ORM (its import, the mapping of the
models and the compilation of ORM statements) is what keeps that command within a few
tens of milliseconds of the bare SQLAlchemy import. The SQL is portable between SQLite
and PostgreSQL (window functions), and the tests run it on both.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, bindparam, text

from riskreg.domain import lookup
from riskreg.domain.errors import InvalidInput, NotFound
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import Assessment, PeriodRef, RiskRow, trend_between
from riskreg.domain.scales import QUARTERS, MeasureStatus, PlanStatus, RiskStatus
from riskreg.domain.text import swedish_key
from riskreg.services.context import Context


@dataclass(frozen=True)
class RiskFilter:
    committee: str | None = None
    year: int | None = None
    area: str | None = None
    role: str | None = None
    min_value: int | None = None
    unreviewed: bool = False  # no netto review yet in the current period
    include_all: bool = False  # accepted and closed risks too


@dataclass(frozen=True)
class _Plan:
    id: int
    committee_id: int
    committee: str
    year: int
    status: str
    matrix: RiskMatrix


def current_period(plan_year: int, locked: set[int], today: date) -> PeriodRef:
    """The period a review is due in: this quarter for this year's plan; for an earlier
    year the first quarter not yet locked (its last quarter when all are)."""
    if plan_year == today.year:
        return PeriodRef(plan_year, (today.month - 1) // 3 + 1)
    if plan_year > today.year:
        return PeriodRef(plan_year, 1)
    open_quarters = [q for q in QUARTERS if q not in locked]
    return PeriodRef(plan_year, open_quarters[0] if open_quarters else QUARTERS[-1])


def _ids(sql: str, *names: str) -> Any:
    return text(sql).bindparams(*(bindparam(n, expanding=True) for n in names))


RISKS = _ids(
    """
    SELECT pr.plan_id, r.id, r.ref, r.area_id, a.name, pr.text, pr.region_wide, r.status,
           pr.brutto_likelihood, pr.brutto_consequence
    FROM plan_risk pr
    JOIN risk r ON r.id = pr.risk_id
    JOIN area a ON a.id = r.area_id
    WHERE pr.plan_id IN :plans
    ORDER BY pr.position
    """,
    "plans",
)

# The two newest netto reviews of each risk up to its plan's year.
LATEST_REVIEWS = _ids(
    """
    SELECT plan_id, risk_id, year, quarter, likelihood, consequence, reviewed_at FROM (
        SELECT pr.plan_id, rr.risk_id, rp_plan.year, rp.quarter, rr.likelihood,
               rr.consequence, rr.reviewed_at,
               row_number() OVER (PARTITION BY pr.plan_id, rr.risk_id
                                  ORDER BY rp_plan.year DESC, rp.quarter DESC) AS rank
        FROM plan_risk pr
        JOIN plan chosen ON chosen.id = pr.plan_id
        JOIN risk_review rr ON rr.risk_id = pr.risk_id
        JOIN review_period rp ON rp.id = rr.period_id
        JOIN plan rp_plan ON rp_plan.id = rp.plan_id
        WHERE pr.plan_id IN :plans AND rp_plan.year <= chosen.year
    ) ranked
    WHERE rank <= 2
    ORDER BY plan_id, risk_id, rank
    """,
    "plans",
).columns(reviewed_at=DateTime)

# Each åtgärd's latest status in its plan year (NULL when not yet followed up).
MEASURE_STATUS = _ids(
    """
    SELECT pm.plan_id, m.risk_id,
           (SELECT mr.status FROM measure_review mr
            JOIN review_period rp ON rp.id = mr.period_id
            WHERE mr.measure_id = pm.measure_id AND rp.plan_id = pm.plan_id
            ORDER BY rp.quarter DESC LIMIT 1) AS status
    FROM plan_measure pm
    JOIN measure m ON m.id = pm.measure_id
    WHERE pm.plan_id IN :plans
    """,
    "plans",
)

ROLES = _ids(
    """
    SELECT DISTINCT pm.plan_id, m.risk_id, ro.name
    FROM plan_measure pm
    JOIN measure m ON m.id = pm.measure_id
    JOIN measure_role mro ON mro.measure_id = m.id
    JOIN role ro ON ro.id = mro.role_id
    WHERE pm.plan_id IN :plans
    """,
    "plans",
)

AREAS = _ids(
    """
    SELECT a.id, a.name, a.code, al.alias
    FROM area a LEFT JOIN area_alias al ON al.area_id = a.id
    WHERE a.committee_id IN :committees
    """,
    "committees",
)

LOCKED = _ids(
    "SELECT plan_id, quarter FROM review_period WHERE locked_at IS NOT NULL AND plan_id IN :plans",
    "plans",
)


def list_risks(ctx: Context, wanted: RiskFilter) -> list[RiskRow]:
    if wanted.min_value is not None and not 1 <= wanted.min_value <= 16:
        raise InvalidInput(f"Lägsta riskvärde ska vara 1–16, inte {wanted.min_value}.")
    today = ctx.clock().date()
    with ctx.connection() as conn:
        plans = _plans_in_scope(conn, wanted)
        if not plans:
            return []
        params = {"plans": [p.id for p in plans]}
        by_id = {p.id: p for p in plans}
        area_ids = _area_filter(conn, plans, wanted.area)
        role_name = _role(conn, wanted.role)
        locked: dict[int, set[int]] = defaultdict(set)
        for plan_id, quarter in conn.execute(LOCKED, params):
            locked[plan_id].add(quarter)
        periods = {p.id: current_period(p.year, locked[p.id], today) for p in plans}

        reviews: dict[tuple[int, int], list[tuple[PeriodRef, Assessment, datetime]]]
        reviews = defaultdict(list)
        for plan_id, risk_id, year, quarter, likelihood, consequence, at in conn.execute(
            LATEST_REVIEWS, params
        ):
            reviews[(plan_id, risk_id)].append(
                (PeriodRef(year, quarter), Assessment(likelihood, consequence), at)
            )
        done: dict[tuple[int, int], int] = defaultdict(int)
        total: dict[tuple[int, int], int] = defaultdict(int)
        for plan_id, risk_id, status in conn.execute(MEASURE_STATUS, params):
            if status != MeasureStatus.DROPPED:
                total[(plan_id, risk_id)] += 1
                done[(plan_id, risk_id)] += status == MeasureStatus.DONE
        roles: dict[tuple[int, int], list[str]] = defaultdict(list)
        for plan_id, risk_id, name in conn.execute(ROLES, params):
            roles[(plan_id, risk_id)].append(name)
        risk_rows = conn.execute(RISKS, params).all()

    rows: list[RiskRow] = []
    for plan_id, risk_id, ref, area_id, area, risk_text, region_wide, status, b_l, b_c in risk_rows:
        key = (plan_id, risk_id)
        plan = by_id[plan_id]
        latest = reviews[key][0] if reviews[key] else None
        netto = latest[1] if latest else None
        if not (wanted.include_all or status == RiskStatus.ACTIVE):
            continue
        if area_ids is not None and area_id not in area_ids:
            continue
        if role_name is not None and role_name not in roles[key]:
            continue
        if wanted.unreviewed and latest is not None and latest[0] == periods[plan_id]:
            continue
        if wanted.min_value is not None and (netto is None or netto.value < wanted.min_value):
            continue
        level = plan.matrix.level(netto.likelihood, netto.consequence) if netto else None
        rows.append(
            RiskRow(
                committee=plan.committee,
                year=plan.year,
                ref=ref,
                area=area,
                text=risk_text,
                region_wide=bool(region_wide),
                status=RiskStatus(status),
                brutto=Assessment(b_l, b_c) if b_l and b_c else None,
                netto=netto,
                netto_level=level.name if level else None,
                netto_colour=level.colour if level else None,
                trend=trend_between(netto, reviews[key][1][1] if len(reviews[key]) > 1 else None),
                measures_done=done[key],
                measures_total=total[key],
                roles=tuple(sorted(roles[key], key=swedish_key)),
                last_reviewed=latest[2].date() if latest else None,
            )
        )
    rows.sort(key=lambda r: swedish_key(r.committee))  # stable: plan order within a nämnd
    return rows


def _plans_in_scope(conn: Connection, wanted: RiskFilter) -> list[_Plan]:
    committees = sorted(
        conn.execute(text("SELECT id, name, short_name FROM committee")).all(),
        key=lambda c: swedish_key(c[1]),
    )
    if not committees:
        raise NotFound(
            "Registret är tomt: kör ”riskreg seed” eller importera en plan med "
            "”riskreg import plan”."
        )
    if wanted.committee is not None:
        chosen = [c for c in committees if lookup.matches(wanted.committee, (c[1], c[2]))]
        if not chosen:
            raise lookup.no_committee(wanted.committee, [(c[1], c[2]) for c in committees])
        committees = chosen
    names = {c[0]: c[1] for c in committees}
    by_committee: dict[int, list[_Plan]] = defaultdict(list)
    for plan_id, committee_id, year, status, matrix in conn.execute(
        _ids(
            "SELECT id, committee_id, year, status, matrix FROM plan "
            "WHERE committee_id IN :committees ORDER BY year",
            "committees",
        ),
        {"committees": list(names)},
    ):
        data = json.loads(matrix) if isinstance(matrix, str) else matrix
        by_committee[committee_id].append(
            _Plan(
                plan_id, committee_id, names[committee_id], year, status, RiskMatrix.from_dict(data)
            )
        )
    result: list[_Plan] = []
    for committee_id, name in names.items():
        plans = by_committee[committee_id]
        if wanted.year is None:
            adopted = [p for p in plans if p.status == PlanStatus.ADOPTED]
            result.extend((adopted or plans)[-1:])
            continue
        match = [p for p in plans if p.year == wanted.year]
        if not match and wanted.committee is not None:
            raise lookup.no_plan(name, wanted.year, [p.year for p in plans])
        result.extend(match)
    if wanted.year is not None and not result:
        raise NotFound(f"Det finns ingen plan för {wanted.year} i registret.")
    return result


def _area_filter(conn: Connection, plans: list[_Plan], label: str | None) -> set[int] | None:
    if label is None:
        return None
    rows = conn.execute(AREAS, {"committees": list({p.committee_id for p in plans})}).all()
    ids = {area_id for area_id, *names in rows if lookup.matches(label, names)}
    if not ids:
        raise lookup.no_area(label, (row[1] for row in rows))
    return ids


def _role(conn: Connection, name: str | None) -> str | None:
    """The role's stored name (``--roll`` is case-insensitive)."""
    if name is None:
        return None
    for (stored,) in conn.execute(text("SELECT name FROM role")):
        if lookup.matches(name, [stored]):
            return str(stored)
    raise lookup.no_role(name)
