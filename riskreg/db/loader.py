"""The register's one loader: plan years as frozen records, read with a handful of
set-based SQL statements for all chosen plans at once (no per-risk round trips).

Plain SQL on a DB-API ``Reader``, with no ORM: ``riskreg risks`` runs it on a driver
connection of its own, and everything else (TUI, ISK report, services) on the connection
under its SQLAlchemy session, so every surface reads the register the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from riskreg.db.dbapi import Reader, as_date, as_datetime, as_json
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import (
    Acceptance,
    Assessment,
    Closing,
    FrozenPeriod,
    MeasureReviewRecord,
    PeriodInfo,
    PeriodRef,
    PlanInfo,
    PlanMeasure,
    PlanRisk,
    PlanSnapshot,
    Revision,
    RiskReviewRecord,
)
from riskreg.domain.scales import (
    ControlResult,
    Frequency,
    MeasureKind,
    MeasureStatus,
    PlanStatus,
    Requirement,
    RiskStatus,
    Severity,
)
from riskreg.domain.text import swedish_key

PLANS = """
SELECT p.id, p.committee_id, c.name, p.year, p.status, p.dnr, p.adopted_on, p.matrix,
       p.version, p.example_data, p.period_kind
FROM plan p JOIN committee c ON c.id = p.committee_id
WHERE p.id IN (:plans)
"""

MATRICES = "SELECT id, matrix FROM plan WHERE id IN (:plans)"

PERIODS = """
SELECT id, plan_id, quarter, locked_at, locked_by, locked_risks, locked_risks_reviewed,
       locked_measures, locked_measures_reviewed
FROM review_period WHERE plan_id IN (:plans) ORDER BY plan_id, quarter
"""

LOCKED = """
SELECT l.period_id, l.{column} FROM {table} l
JOIN review_period rp ON rp.id = l.period_id
WHERE rp.plan_id IN (:plans)
"""

REVISIONS = """
SELECT plan_id, at, actor, what, reason FROM plan_revision
WHERE plan_id IN (:plans) ORDER BY at, id
"""

RISKS = """
SELECT pr.plan_id, r.id, r.version, r.ref, r.requirement, a.name, a.code, pr.text,
       pr.region_wide, pr.brutto_likelihood, pr.brutto_consequence, pr.source, pr.status,
       pr.accepted_by, pr.accepted_reason, pr.accepted_until, pr.accepted_on,
       pr.closed_reason, pr.closed_at
FROM plan_risk pr
JOIN risk r ON r.id = pr.risk_id
JOIN area a ON a.id = r.area_id
WHERE pr.plan_id IN (:plans) {only}
ORDER BY pr.plan_id, pr.position
"""

# A risk's netto reviews up to its plan's year ({years}: "<=" for all of them, "=" for the
# plan year's alone); ranked so the latest can be kept alone.
RISK_REVIEWS = """
SELECT plan_id, owner, year, quarter, kind, likelihood, consequence, comment, reviewed_by,
       reviewed_at, version, source, review_plan FROM (
    SELECT pr.plan_id, rr.risk_id AS owner, rp_plan.year, rp.quarter,
           rp_plan.period_kind AS kind, rr.likelihood,
           rr.consequence, rr.comment, rr.reviewed_by, rr.reviewed_at, rr.version, rr.source,
           rp_plan.id AS review_plan, row_number() OVER (PARTITION BY pr.plan_id, rr.risk_id
                              ORDER BY rp_plan.year DESC, rp.quarter DESC) AS rank
    FROM plan_risk pr
    JOIN plan chosen ON chosen.id = pr.plan_id
    JOIN risk_review rr ON rr.risk_id = pr.risk_id
    JOIN review_period rp ON rp.id = rr.period_id
    JOIN plan rp_plan ON rp_plan.id = rp.plan_id
    WHERE pr.plan_id IN (:plans) AND rp_plan.year {years} chosen.year {only}
) ranked
WHERE rank <= :keep
ORDER BY plan_id, owner, year, quarter
"""

MEASURES = """
SELECT pm.plan_id, m.risk_id, m.id, m.version, m.kind, m.frequency, m.due_date, pm.text,
       pm.region_wide, pm.source
FROM plan_measure pm JOIN measure m ON m.id = pm.measure_id
WHERE pm.plan_id IN (:plans) {only}
ORDER BY pm.plan_id, pm.position
"""

# An åtgärd's follow-ups up to its plan's year ({years}: "<=" for all of them, "=" for
# the plan year's alone).
MEASURE_REVIEWS = """
SELECT plan_id, owner, year, quarter, kind, status, result, comment, deviation, severity,
       reviewed_by, reviewed_at, version, source FROM (
    SELECT pm.plan_id, mr.measure_id AS owner, rp_plan.year, rp.quarter,
           rp_plan.period_kind AS kind, mr.status,
           mr.result, mr.comment, mr.deviation, mr.severity, mr.reviewed_by,
           mr.reviewed_at, mr.version, mr.source,
           row_number() OVER (PARTITION BY pm.plan_id, mr.measure_id
                              ORDER BY rp_plan.year DESC, rp.quarter DESC) AS rank
    FROM plan_measure pm
    JOIN plan chosen ON chosen.id = pm.plan_id
    JOIN measure m ON m.id = pm.measure_id
    JOIN measure_review mr ON mr.measure_id = pm.measure_id
    JOIN review_period rp ON rp.id = mr.period_id
    JOIN plan rp_plan ON rp_plan.id = rp.plan_id
    WHERE pm.plan_id IN (:plans) AND rp_plan.year {years} chosen.year {only}
) ranked
WHERE rank <= :keep
ORDER BY plan_id, owner, year, quarter
"""

ROLES = """
SELECT DISTINCT mr.measure_id, ro.name
FROM plan_measure pm
JOIN measure_role mr ON mr.measure_id = pm.measure_id
JOIN role ro ON ro.id = mr.role_id
WHERE pm.plan_id IN (:plans)
"""

ALL = 1_000_000  # "keep every review"


def load_snapshots(
    reader: Reader,
    plan_ids: Sequence[int],
    *,
    latest_only: bool = False,
    plan_year_only: bool = False,
    risk_id: int | None = None,
) -> list[PlanSnapshot]:
    """Plan years with their risks, åtgärder and reviews, in the order of ``plan_ids``.

    Each risk carries its netto reviews up to its plan's year and each åtgärd its
    follow-ups. ``latest_only`` keeps just what a register row shows (the two latest netto
    reviews, the plan year's latest follow-up), which makes the overview of a whole
    region several times cheaper. ``plan_year_only`` keeps every review of the plan year
    and none of earlier years: what saving answers into one of its periods checks
    against (``domain.register.period_scope``, the period's own reviews). ``risk_id``
    narrows everything to one risk.
    """
    if not plan_ids:
        return []
    params: dict[str, Any] = {"plans": list(plan_ids)}
    risk_only = measure_only = ""
    if risk_id is not None:
        params["risk"] = risk_id
        risk_only, measure_only = "AND pr.risk_id = :risk", "AND m.risk_id = :risk"
    plans = _plans(reader, params["plans"])

    reviews: dict[tuple[int, int], list[RiskReviewRecord]] = defaultdict(list)
    sql = RISK_REVIEWS.format(only=risk_only, years="=" if plan_year_only else "<=")
    rows = reader.rows(sql, keep=2 if latest_only else ALL, **params)
    matrices = _matrices(reader, plans, {row[-1] for row in rows})
    kinds = {kind.value: kind for kind in PeriodKind}
    for plan_id, owner, year, number, kind, s, k, comment, by, at, version, source, made_in in rows:
        own = plans[plan_id].matrix
        matrix = matrices[made_in]
        reviews[(plan_id, owner)].append(
            RiskReviewRecord(
                PeriodRef(year, number, kinds[kind]),
                Assessment(s, k),
                comment,
                by,
                _at(at),
                version,
                source,
                matrix=None if matrix == own else matrix,
            )
        )

    followups: dict[tuple[int, int], list[MeasureReviewRecord]] = defaultdict(list)
    one_year = latest_only or plan_year_only
    sql = MEASURE_REVIEWS.format(only=measure_only, years="=" if one_year else "<=")
    for row in reader.rows(sql, keep=1 if latest_only else ALL, **params):
        plan_id, owner, year, number, kind, status, result, comment, deviation, severity = row[:10]
        followups[(plan_id, owner)].append(
            MeasureReviewRecord(
                period=PeriodRef(year, number, kinds[kind]),
                status=MeasureStatus(status),
                result=ControlResult(result) if result else None,
                comment=comment,
                deviation=deviation,
                severity=Severity(severity) if severity else None,
                reviewed_by=row[10],
                reviewed_at=_at(row[11]),
                version=row[12],
                source=row[13],
            )
        )

    roles: dict[int, list[str]] = defaultdict(list)
    for measure_id, name in reader.rows(ROLES, **params):
        roles[measure_id].append(name)

    measures: dict[tuple[int, int], list[PlanMeasure]] = defaultdict(list)
    for row in reader.rows(MEASURES.format(only=measure_only), **params):
        plan_id, risk, measure_id, version, kind, frequency, due, text, region_wide, source = row
        measures[(plan_id, risk)].append(
            PlanMeasure(
                id=measure_id,
                version=version,
                text=text,
                region_wide=bool(region_wide),
                kind=MeasureKind(kind),
                frequency=Frequency(frequency) if frequency else None,
                due_date=as_date(due),
                roles=tuple(sorted(roles[measure_id], key=swedish_key)),
                source=source,
                reviews=tuple(followups[(plan_id, measure_id)]),
            )
        )

    risks: dict[int, list[PlanRisk]] = defaultdict(list)
    for row in reader.rows(RISKS.format(only=risk_only), **params):
        plan_id, rid = row[0], row[1]
        risks[plan_id].append(_risk(row, measures[(plan_id, rid)], reviews[(plan_id, rid)]))
    return [PlanSnapshot(plan=plans[i], risks=tuple(risks[i])) for i in plan_ids]


def _matrices(
    reader: Reader, plans: dict[int, PlanInfo], plan_ids: set[int]
) -> dict[int, RiskMatrix]:
    """The matrix of each plan year reviews were made in (earlier years' plans included)."""
    found = {i: plans[i].matrix for i in plan_ids if i in plans}
    others = sorted(plan_ids - set(found))
    if others:
        for plan_id, matrix in reader.rows(MATRICES, plans=others):
            found[plan_id] = RiskMatrix.from_dict(as_json(matrix))
    return found


def load_plans(reader: Reader, plan_ids: Sequence[int]) -> list[PlanInfo]:
    """Plan years without their risks, in the order of ``plan_ids``."""
    plans = _plans(reader, list(plan_ids)) if plan_ids else {}
    return [plans[i] for i in plan_ids]


def _plans(reader: Reader, plan_ids: list[int]) -> dict[int, PlanInfo]:
    members: dict[str, dict[int, set[int]]] = {}
    for table, column in (("locked_risk", "risk_id"), ("locked_measure", "measure_id")):
        found: dict[int, set[int]] = defaultdict(set)
        for period_id, item in reader.rows(
            LOCKED.format(table=table, column=column), plans=plan_ids
        ):
            found[period_id].add(item)
        members[table] = found
    periods: dict[int, list[PeriodInfo]] = defaultdict(list)
    years: dict[int, int] = {}
    kinds: dict[int, PeriodKind] = {}
    rows = reader.rows(PLANS, plans=plan_ids)
    for plan_id, _c, _n, year, *_, kind in rows:
        years[plan_id] = year
        kinds[plan_id] = PeriodKind(kind)
    for row in reader.rows(PERIODS, plans=plan_ids):
        period_id, plan_id, number, locked_at, locked_by, r, rr, m, mr = row
        frozen = None
        if locked_at is not None and r is not None:
            frozen = FrozenPeriod(
                risk_ids=frozenset(members["locked_risk"][period_id]),
                measure_ids=frozenset(members["locked_measure"][period_id]),
                risks=r,
                risks_reviewed=rr or 0,
                measures=m or 0,
                measures_reviewed=mr or 0,
            )
        periods[plan_id].append(
            PeriodInfo(
                period_id,
                years[plan_id],
                number,
                as_datetime(locked_at),
                locked_by,
                frozen,
                kinds[plan_id],
            )
        )
    revisions: dict[int, list[Revision]] = defaultdict(list)
    for plan_id, at, actor, what, reason in reader.rows(REVISIONS, plans=plan_ids):
        revisions[plan_id].append(Revision(_at(at), actor, what, reason))
    return {
        plan_id: PlanInfo(
            id=plan_id,
            committee_id=committee_id,
            committee=committee,
            year=year,
            status=PlanStatus(status),
            dnr=dnr,
            adopted_on=as_date(adopted_on),
            matrix=RiskMatrix.from_dict(as_json(matrix)),
            periods=tuple(periods[plan_id]),
            version=version,
            example_data=bool(example),
            revisions=tuple(revisions[plan_id]),
            period_kind=kinds[plan_id],
        )
        for plan_id, committee_id, committee, year, status, dnr, adopted_on, matrix, version, example, _k in rows  # noqa: E501
    }


def _risk(
    row: tuple[Any, ...], measures: list[PlanMeasure], reviews: list[RiskReviewRecord]
) -> PlanRisk:
    (_plan, rid, version, ref, requirement, area, code, text, region_wide, b_s, b_k, source,
     status, by, why, until, decided, closed_reason, closed_at) = row  # fmt: skip
    return PlanRisk(
        id=rid,
        version=version,
        ref=ref,
        area=area,
        area_code=code,
        text=text,
        region_wide=bool(region_wide),
        requirement=Requirement(requirement) if requirement else None,
        status=RiskStatus(status),
        acceptance=None
        if by is None
        else Acceptance(by, why or "", as_date(until), as_date(decided)),
        brutto=Assessment(b_s, b_k) if b_s is not None and b_k is not None else None,
        source=source,
        measures=tuple(measures),
        reviews=tuple(reviews),
        closing=None if closed_reason is None else Closing(closed_reason, as_datetime(closed_at)),
    )


def _at(value: Any) -> datetime:
    moment = as_datetime(value)
    assert moment is not None  # NOT NULL columns
    return moment


# -- what a listing is filtered by --------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    id: int
    committee_id: int
    year: int
    status: str


@dataclass(frozen=True)
class AreaNames:
    committee_id: int
    code: str
    name: str
    aliases: tuple[str, ...]


def committees(reader: Reader) -> list[tuple[int, str, str]]:
    """(id, name, short name) of every nämnd, in Swedish order."""
    rows = reader.rows("SELECT id, name, short_name FROM committee")
    return sorted(((i, n, s) for i, n, s in rows), key=lambda c: swedish_key(c[1]))


def committee_aliases(reader: Reader) -> dict[int, list[str]]:
    """The stored aliases of every nämnd (``riskreg nämnd alias``), by nämnd id."""
    found: dict[int, list[str]] = defaultdict(list)
    for committee_id, alias in reader.rows("SELECT committee_id, alias FROM committee_alias"):
        found[committee_id].append(alias)
    return found


def plans_of(reader: Reader, committee_ids: Sequence[int]) -> list[PlanRow]:
    rows = reader.rows(
        "SELECT id, committee_id, year, status FROM plan WHERE committee_id IN (:c) ORDER BY year",
        c=list(committee_ids),
    )
    return [PlanRow(*row) for row in rows]


def areas_of(reader: Reader, committee_ids: Sequence[int]) -> list[AreaNames]:
    aliases: dict[int, list[str]] = defaultdict(list)
    areas: dict[int, tuple[int, str, str]] = {}
    for area_id, committee_id, code, name, alias in reader.rows(
        "SELECT a.id, a.committee_id, a.code, a.name, al.alias FROM area a "
        "LEFT JOIN area_alias al ON al.area_id = a.id WHERE a.committee_id IN (:c)",
        c=list(committee_ids),
    ):
        areas[area_id] = (committee_id, code, name)
        if alias is not None:
            aliases[area_id].append(alias)
    return [AreaNames(c, code, name, tuple(aliases[i])) for i, (c, code, name) in areas.items()]


def role_names(reader: Reader) -> list[str]:
    return [name for (name,) in reader.rows("SELECT name FROM role")]
