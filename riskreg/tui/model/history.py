"""A risk's history for the detail screen: netto per period across years, åtgärd status
history, avvikelser and readable audit lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import (
    Assessment,
    PeriodRef,
    PlanMeasure,
    PlanRisk,
    RiskHistory,
    RiskYear,
)
from riskreg.domain.scales import Severity


@dataclass(frozen=True)
class YearRow:
    year: int
    brutto: Assessment | None
    netto: tuple[Assessment | None, ...]  # one per period column ("" past the year's own)


@dataclass(frozen=True)
class PeriodGrid:
    headings: tuple[str, ...]  # "Kv 1".."Kv 4", "T1".."T3"; "1".."4" when the years differ
    rows: tuple[YearRow, ...]


def period_grid(risk: PlanRisk, years: Sequence[RiskYear], kind: PeriodKind) -> PeriodGrid:
    """One row per plan year the risk belongs to (or was reviewed in), netto per period.
    A year's kind is its reviews' (``kind``, the shown plan's, for a year without any);
    when the years differ, the columns are numbered and a year fills the ones it has."""
    by_period = {r.period: r.netto for r in risk.reviews}
    kinds = {r.period.year: r.period.kind for r in risk.reviews}
    known = {y.year: y for y in years}
    shown = sorted(set(known) | {p.year for p in by_period})
    year_kinds = {year: kinds.get(year, kind) for year in shown}
    width = max((k.per_year for k in year_kinds.values()), default=kind.per_year)
    rows = []
    for year in shown:
        entry = known.get(year)
        numbers = year_kinds[year].numbers
        rows.append(
            YearRow(
                year=year,
                brutto=entry.brutto if entry else None,
                netto=tuple(
                    by_period.get(PeriodRef(year, n)) if n in numbers else None
                    for n in range(1, width + 1)
                ),
            )
        )
    same = set(year_kinds.values()) <= {kind}
    headings = tuple(kind.heading(n) if same else str(n) for n in range(1, width + 1))
    return PeriodGrid(headings, tuple(rows))


def netto_values(risk: PlanRisk) -> list[int]:
    return [r.netto.value for r in risk.reviews]


def status_history(measure: PlanMeasure) -> str:
    """``2024: kv 1 pågående, kv 2 genomförd`` (``T1``, ``H1``); one group per year."""
    groups: dict[int, list[str]] = {}
    for review in measure.reviews:
        groups.setdefault(review.period.year, []).append(
            f"{review.period.short} {review.status.value}"
        )
    return "; ".join(f"{year}: {', '.join(items)}" for year, items in groups.items())


@dataclass(frozen=True)
class DeviationLine:
    period: PeriodRef
    measure: str
    text: str
    severity: Severity | None
    by: str


def deviations(risk: PlanRisk) -> list[DeviationLine]:
    found = [
        DeviationLine(r.period, m.text, r.deviation, r.severity, r.reviewed_by)
        for m in risk.measures
        for r in m.reviews
        if r.deviation
    ]
    return sorted(found, key=lambda d: d.period, reverse=True)


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    action: str
    ref: str
    change: str
    about: str = ""  # which åtgärd ("" for the risk itself)


def _show(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def describe_change(before: dict[str, object] | None, after: dict[str, object] | None) -> str:
    """``sannolikhet 2 → 3; kommentar – → ”ok”``: only what changed."""
    if before is None and after is None:
        return ""
    if before is None:
        assert after is not None
        return "; ".join(f"{k} {_show(v)}" for k, v in after.items() if v not in (None, "", []))
    if after is None:
        return "borttagen"
    parts = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{key} {_show(old)} → {_show(new)}")
    return "; ".join(parts) or "ingen ändring"


def audit_lines(history: RiskHistory) -> list[AuditLine]:
    """Newest first, naming the åtgärd and the verksamhet (not their ids)."""
    return [
        AuditLine(
            e.at,
            e.actor,
            e.action,
            e.entity_ref,
            describe_change(history.readable(e.before), history.readable(e.after)),
            history.about(e),
        )
        for e in sorted(history.audit, key=lambda e: e.at, reverse=True)
    ]
