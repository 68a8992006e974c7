"""The register's read model: every rule that decides how a risk reads, defined once.

The CLI (``riskreg risks``), the TUI's register and the ISK report all compute a risk's
latest netto and its level, its trend, its åtgärder counted, when it was last reviewed,
which plan is current, which period a review is due in, which risks and åtgärder a
period covers, and what a verksamhet filter matches through the functions here. Pure
Python, like the rest of the domain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from riskreg.domain.clock import LOCAL
from riskreg.domain.matrix import Level, RiskMatrix
from riskreg.domain.records import (
    Assessment,
    MeasureReviewRecord,
    PeriodInfo,
    PeriodRef,
    PlanInfo,
    PlanMeasure,
    PlanRisk,
    RiskReviewRecord,
    Trend,
)
from riskreg.domain.scales import MeasureKind, MeasureStatus, PlanStatus, RiskStatus
from riskreg.domain.text import swedish_key

TREND_RULE = (
    "Trenden jämför nettorisken vid den senaste bedömningen med bedömningen närmast före, "
    "som nivåer i riskmatrisen och inte som produkten S × K: ökar (högre nivå), minskar "
    "(lägre nivå), oförändrad (samma nivå) eller första (ingen bedömning före)."
)


# -- which plan, which period ----------------------------------------------------------


if TYPE_CHECKING:  # a Protocol class costs import time on the ``riskreg risks`` path

    class _Dated(Protocol):
        @property
        def year(self) -> int: ...

        @property
        def status(self) -> str: ...


P = TypeVar("P", bound="_Dated")


def current_plan(plans: Sequence[P]) -> P | None:
    """The plan a user means by "now": the latest fastställd plan, else the latest plan."""
    ordered = sorted(plans, key=lambda p: p.year)
    adopted = [p for p in ordered if p.status == PlanStatus.ADOPTED]
    chosen = adopted or ordered
    return chosen[-1] if chosen else None


def current_period(plan: PlanInfo) -> int:
    """The number of the period a review is due in: the first one not yet locked (the last
    when all are), whatever the plan's kind. The same for every entry point, and
    independent of today's date."""
    for period in sorted(plan.periods, key=lambda p: p.number):
        if not period.locked:
            return period.number
    return max((p.number for p in plan.periods), default=plan.period_kind.last)


# -- what a period covers ----------------------------------------------------------------


def reviewable(risk: PlanRisk) -> bool:
    """Closed risks are not reviewed; accepted ones still get a netto."""
    return risk.status is not RiskStatus.CLOSED


def finished_before(measure: PlanMeasure, period: PeriodRef) -> bool:
    """Dropped (utgår), or a one-off åtgärd done, in an earlier quarter of the same year."""
    return any(
        r.period.year == period.year
        and r.period < period
        and (
            r.status is MeasureStatus.DROPPED
            or (r.status is MeasureStatus.DONE and measure.kind is MeasureKind.ONE_OFF)
        )
        for r in measure.reviews
    )


def due_measures(risk: PlanRisk, period: PeriodRef) -> list[PlanMeasure]:
    """The åtgärder of a risk due for follow-up in a period (or followed up in it)."""
    return [
        m
        for m in risk.measures
        if not finished_before(m, period) or m.review_in(period) is not None
    ]


@dataclass(frozen=True)
class PeriodScope:
    """The risks and åtgärder a period covers: frozen at locking, else the plan now."""

    risks: tuple[PlanRisk, ...]
    measures: tuple[tuple[PlanRisk, PlanMeasure], ...]


def period_scope(risks: Sequence[PlanRisk], period: PeriodInfo) -> PeriodScope:
    ref = period.ref
    frozen = period.frozen
    if frozen is not None:
        chosen = tuple(r for r in risks if r.id in frozen.risk_ids)
        measures = tuple((r, m) for r in chosen for m in r.measures if m.id in frozen.measure_ids)
        return PeriodScope(chosen, measures)
    chosen = tuple(r for r in risks if reviewable(r) or r.review_in(ref) is not None)
    return PeriodScope(chosen, tuple((r, m) for r in chosen for m in due_measures(r, ref)))


# -- one risk's figures ------------------------------------------------------------------


def level_of(matrix: RiskMatrix, value: Assessment | None) -> int | None:
    """The level index (0 = lowest) of an assessment in the plan's matrix."""
    if value is None:
        return None
    rows, cols = matrix.size
    if not (1 <= value.likelihood <= rows and 1 <= value.consequence <= cols):
        return None
    return matrix.level_index(value.likelihood, value.consequence)


def review_level(matrix: RiskMatrix, review: RiskReviewRecord | None) -> int | None:
    """The level of a netto review in the matrix of the year it was made in."""
    if review is None:
        return None
    return level_of(review.made_in(matrix), review.netto)


def review_level_named(matrix: RiskMatrix, review: RiskReviewRecord | None) -> Level | None:
    """That level's name and colour, from the same matrix."""
    index = review_level(matrix, review)
    return None if review is None or index is None else review.made_in(matrix).levels[index]


def trend(
    matrix: RiskMatrix, latest: RiskReviewRecord | None, previous: RiskReviewRecord | None
) -> Trend | None:
    """``TREND_RULE``: the latest netto level against the one before it, each in the
    matrix of its own year (a 4×4 "Hög" and a 5×5 "Hög" are the same level)."""
    now = review_level(matrix, latest)
    if now is None:
        return None
    before = review_level(matrix, previous)
    if before is None:
        return Trend.FIRST
    if now > before:
        return Trend.UP
    if now < before:
        return Trend.DOWN
    return Trend.SAME


def matrices_note(matrix: RiskMatrix, reviews: Sequence[RiskReviewRecord]) -> str | None:
    """The sentence that says a risk's netto reviews were made in different matrices, so
    that its trend compares levels; ``None`` when one matrix covers them all."""
    used: dict[str, list[int]] = {}
    for review in reviews:
        years = used.setdefault(review.made_in(matrix).label, [])
        if review.period.year not in years:
            years.append(review.period.year)
    if len(used) < 2:
        return None
    parts = [f"{label} {_years(years)}" for label, years in used.items()]
    return (
        f"Bedömningarna gjordes i olika riskmatriser ({', '.join(parts)}): trenden jämför "
        "nivåer, inte S × K."
    )


def _years(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def latest_reviews(
    risk: PlanRisk, until: PeriodRef
) -> tuple[RiskReviewRecord | None, RiskReviewRecord | None]:
    """The latest netto review up to ``until`` and the one before it."""
    eligible = [r for r in risk.reviews if r.period <= until]
    latest = eligible[-1] if eligible else None
    previous = eligible[-2] if len(eligible) > 1 else None
    return latest, previous


def year_status(measure: PlanMeasure, year: int) -> MeasureReviewRecord | None:
    """An åtgärd's latest follow-up within the plan year (None: not followed up)."""
    eligible = [r for r in measure.reviews if r.period.year == year]
    return eligible[-1] if eligible else None


def counted(measure: PlanMeasure, year: int) -> bool:
    """Åtgärder that utgår are not counted (neither done nor in the total)."""
    status = year_status(measure, year)
    return status is None or status.status is not MeasureStatus.DROPPED


def measure_counts(risk: PlanRisk, year: int) -> tuple[int, int]:
    """(genomförda, counted) of a risk's åtgärder in a plan year."""
    done = total = 0
    for measure in risk.measures:
        if not counted(measure, year):
            continue
        total += 1
        status = year_status(measure, year)
        done += status is not None and status.status is MeasureStatus.DONE
    return done, total


def local_date(moment: datetime) -> date:
    """The Swedish calendar date of a stored UTC time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL).date()


def roles_of(risk: PlanRisk) -> tuple[str, ...]:
    return tuple(sorted({r for m in risk.measures for r in m.roles}, key=swedish_key))


@dataclass(frozen=True)
class RiskRow:
    """A risk as the register shows it in one plan year: ``riskreg risks``, the TUI's
    register table and the ISK report's register lines all read these fields."""

    committee: str
    year: int
    ref: str
    area: str
    area_code: str
    text: str
    region_wide: bool
    status: RiskStatus
    brutto: Assessment | None
    brutto_level: int | None
    netto: Assessment | None
    netto_level: int | None
    level_name: str | None  # the netto level's name, e.g. "Hög"
    netto_colour: str | None  # the level's colour in the plan's matrix, "#rrggbb"
    trend: Trend | None
    measures_done: int
    measures_total: int
    roles: tuple[str, ...]
    last_reviewed: date | None  # Swedish local date
    last_period: PeriodRef | None


def risk_row(plan: PlanInfo, risk: PlanRisk) -> RiskRow:
    matrix = plan.matrix
    latest, previous = latest_reviews(risk, plan.year_end)
    netto = latest.netto if latest else None
    netto_level = review_level(matrix, latest)  # an earlier year's netto: in its matrix
    level = review_level_named(matrix, latest)
    done, total = measure_counts(risk, plan.year)
    return RiskRow(
        committee=plan.committee,
        year=plan.year,
        ref=risk.ref,
        area=risk.area,
        area_code=risk.area_code,
        text=risk.text,
        region_wide=risk.region_wide,
        status=risk.status,
        brutto=risk.brutto,
        brutto_level=level_of(matrix, risk.brutto),
        netto=netto,
        netto_level=netto_level,
        level_name=level.name if level else None,
        netto_colour=level.colour if level else None,
        trend=trend(matrix, latest, previous),
        measures_done=done,
        measures_total=total,
        roles=roles_of(risk),
        last_reviewed=local_date(latest.reviewed_at) if latest else None,
        last_period=latest.period if latest else None,
    )


# -- filters ---------------------------------------------------------------------------------


def area_matches(label: str, names: Sequence[str | None]) -> bool:
    """``--verksamhet`` and ``v:``: the label is a code, or begins a word of the name or of
    a known other spelling (``ek`` matches "Ekonomi", not "Medicinteknisk utrustning")."""
    key = " ".join(label.split()).casefold()
    if not key:
        return False
    word_start = re.compile(r"(?:^|[\s\-/(])" + re.escape(key))
    return any(name is not None and word_start.search(name.casefold()) for name in names)


def is_open(row: RiskRow) -> bool:
    """Open: aktiv in its plan year (neither accepted nor closed)."""
    return row.status is RiskStatus.ACTIVE


def reviewed_in(row: RiskRow, period: PeriodRef) -> bool:
    return row.last_period == period
