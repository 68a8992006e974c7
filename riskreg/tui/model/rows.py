"""The register view's rows: one line per risk of a plan year, with filtering and sorting.

A row is computed once per load; filtering is a substring search in a precomputed
lower-case haystack, so a keystroke in the filter costs a few milliseconds even for
thousands of risks.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.records import (
    Assessment,
    PeriodRef,
    PlanInfo,
    PlanRisk,
    PlanSnapshot,
    Trend,
)
from riskreg.domain.register import RiskRow, area_matches, risk_row
from riskreg.domain.scales import RiskStatus
from riskreg.domain.text import swedish_key


@dataclass(frozen=True)
class RegisterRow:
    """A risk as the register table shows it: the read model's figures (``RiskRow``, the
    same as ``riskreg risks``) with the records behind them and a search haystack."""

    risk: PlanRisk
    plan: PlanInfo
    figures: RiskRow
    haystack: str  # casefolded text every free filter word is searched in

    @property
    def ref(self) -> str:
        return self.risk.ref

    @property
    def area(self) -> str:
        return self.risk.area

    @property
    def text(self) -> str:
        return self.risk.text

    @property
    def status(self) -> RiskStatus:
        return self.risk.status

    @property
    def brutto(self) -> Assessment | None:
        return self.risk.brutto

    @property
    def brutto_level(self) -> int | None:
        return self.figures.brutto_level

    @property
    def netto(self) -> Assessment | None:
        return self.figures.netto

    @property
    def netto_level(self) -> int | None:
        return self.figures.netto_level

    @property
    def level_name(self) -> str | None:
        return self.figures.level_name

    @property
    def trend(self) -> Trend | None:
        return self.figures.trend

    @property
    def measures_done(self) -> int:
        return self.figures.measures_done

    @property
    def measures_total(self) -> int:
        return self.figures.measures_total

    @property
    def roles(self) -> tuple[str, ...]:
        return self.figures.roles

    @property
    def last_reviewed(self) -> date | None:
        return self.figures.last_reviewed

    @property
    def last_period(self) -> PeriodRef | None:
        return self.figures.last_period


def build_rows(snapshot: PlanSnapshot) -> list[RegisterRow]:
    """The rows of a plan year in the plan's own order."""
    return [_row(risk, snapshot.plan) for risk in snapshot.risks]


def _row(risk: PlanRisk, plan: PlanInfo) -> RegisterRow:
    figures = risk_row(plan, risk)
    haystack = " ".join(
        [
            risk.ref,
            risk.area,
            risk.area_code,
            risk.text,
            risk.status.value,
            plan.committee,
            figures.level_name or "",
            *figures.roles,
            *(m.text for m in risk.measures),
        ]
    ).casefold()
    return RegisterRow(risk=risk, plan=plan, figures=figures, haystack=haystack)


# -- filtering ---------------------------------------------------------------------

FILTER_HELP = (
    "Skriv ord som ska finnas i risken, eller avgränsa: verksamhet:HR, roll:chef, "
    "nivå:hög, status:accepterad, nämnd:… (kortare: v:, r:, n:, s:)."
)

_PREFIXES = {
    "verksamhet": "area",
    "v": "area",
    "roll": "role",
    "r": "role",
    "nivå": "level",
    "niva": "level",
    "n": "level",
    "status": "status",
    "s": "status",
    "nämnd": "committee",
    "namnd": "committee",
}
_NO_LEVEL = ("ingen", "saknas", "-")


@dataclass(frozen=True)
class RowFilter:
    """A parsed filter: every part must match."""

    words: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    committees: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.words
            or self.areas
            or self.roles
            or self.levels
            or self.statuses
            or self.committees
        )

    def matches(self, row: RegisterRow) -> bool:
        if any(word not in row.haystack for word in self.words):
            return False
        if self.areas:
            names = (row.risk.area, row.risk.area_code)
            if not all(area_matches(a, names) for a in self.areas):
                return False
        if self.roles:
            roles = [r.casefold() for r in row.roles]
            if not all(any(wanted in r for r in roles) for wanted in self.roles):
                return False
        if self.levels:
            name = (row.level_name or "").casefold()
            for wanted in self.levels:
                if wanted in _NO_LEVEL:
                    if row.level_name is not None:
                        return False
                elif not name.startswith(wanted):
                    return False
        if self.committees:
            committee = row.plan.committee.casefold()
            if not all(c in committee for c in self.committees):
                return False
        return not self.statuses or all(row.risk.status.value.startswith(s) for s in self.statuses)


def parse_filter(text: str) -> RowFilter:
    """``verksamhet:HR roll:"varje chef" sam`` → a filter; unknown prefixes are words."""
    try:
        parts = shlex.split(text)
    except ValueError:  # an unfinished quote while the user is still typing
        try:
            parts = shlex.split(text + '"')
        except ValueError:
            parts = text.replace('"', " ").replace("'", " ").split()
    found: dict[str, list[str]] = {
        "words": [],
        "area": [],
        "role": [],
        "level": [],
        "status": [],
        "committee": [],
    }
    for part in parts:
        key, sep, value = part.partition(":")
        field = _PREFIXES.get(key.casefold()) if sep else None
        if field is None:
            found["words"].append(part.casefold())
        elif value.strip():
            found[field].append(value.strip().casefold())
    return RowFilter(
        words=tuple(found["words"]),
        areas=tuple(found["area"]),
        roles=tuple(found["role"]),
        levels=tuple(found["level"]),
        statuses=tuple(found["status"]),
        committees=tuple(found["committee"]),
    )


def apply_filter(rows: Iterable[RegisterRow], row_filter: RowFilter) -> list[RegisterRow]:
    if row_filter.empty:
        return list(rows)
    return [row for row in rows if row_filter.matches(row)]


# -- sorting -----------------------------------------------------------------------


def _natural(ref: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else swedish_key(p) for p in re.split(r"(\d+)", ref))


def _value(assessment: Assessment | None) -> tuple[int, int]:
    # Unassessed risks sort below every assessed one.
    return (-1, -1) if assessment is None else (assessment.value, assessment.consequence)


_TREND_ORDER = {Trend.UP: 3, Trend.SAME: 2, Trend.DOWN: 1, Trend.FIRST: 0}


@dataclass(frozen=True)
class SortKey:
    name: str  # the column key in the table
    label: str  # Swedish, shown in the header line
    key: Callable[[RegisterRow], Any]
    # Values a meeting reads from the top (netto, brutto, trend): the highest first.
    highest_first: bool = False


SORT_KEYS: tuple[SortKey, ...] = (
    SortKey("plan", "planens ordning", lambda r: 0),
    SortKey("ref", "referens", lambda r: _natural(r.ref)),
    SortKey("committee", "nämnd", lambda r: (swedish_key(r.plan.committee), _natural(r.ref))),
    SortKey("area", "verksamhet", lambda r: (swedish_key(r.area), _natural(r.ref))),
    SortKey("text", "risk", lambda r: swedish_key(r.text)),
    SortKey("brutto", "brutto", lambda r: _value(r.brutto), highest_first=True),
    SortKey("netto", "netto", lambda r: _value(r.netto), highest_first=True),
    SortKey(
        "trend",
        "trend",
        lambda r: _TREND_ORDER.get(r.trend, -1) if r.trend else -1,
        highest_first=True,
    ),
    SortKey(
        "measures",
        "åtgärder klara",
        lambda r: r.measures_done / r.measures_total if r.measures_total else -1.0,
    ),
    SortKey("roles", "roller", lambda r: swedish_key(", ".join(r.roles)) or "\uffff"),
    SortKey("reviewed", "senast bedömd", lambda r: r.last_reviewed or date.min),
)
SORT_BY_NAME = {s.name: s for s in SORT_KEYS}


def sort_rows(rows: Sequence[RegisterRow], name: str, reverse: bool = False) -> list[RegisterRow]:
    """Stable sort by one column; the plan's order breaks ties. ``reverse`` turns the
    column's first order (lowest first, or highest first for risk values) around."""
    sort = SORT_BY_NAME.get(name, SORT_KEYS[0])
    return sorted(rows, key=sort.key, reverse=reverse != sort.highest_first)


def next_sort(name: str, skip: frozenset[str] = frozenset()) -> str:
    names = [s.name for s in SORT_KEYS if s.name not in skip or s.name == name]
    index = names.index(name) if name in names else 0
    return names[(index + 1) % len(names)]


# -- the header line ---------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    total: int
    shown: int
    active: int
    accepted: int
    closed: int
    unassessed: int
    per_level: tuple[int, ...]  # netto risks per matrix level, lowest first


def count_rows(
    rows: Sequence[RegisterRow], shown: Sequence[RegisterRow], matrix: RiskMatrix
) -> Counts:
    per_level = [0] * len(matrix.levels)
    unassessed = 0
    for row in rows:
        if row.risk.status is RiskStatus.CLOSED:
            continue
        if row.netto_level is None:
            unassessed += 1
        else:
            per_level[row.netto_level] += 1
    return Counts(
        total=len(rows),
        shown=len(shown),
        active=sum(1 for r in rows if r.risk.status is RiskStatus.ACTIVE),
        accepted=sum(1 for r in rows if r.risk.status is RiskStatus.ACCEPTED),
        closed=sum(1 for r in rows if r.risk.status is RiskStatus.CLOSED),
        unassessed=unassessed,
        per_level=tuple(per_level),
    )
