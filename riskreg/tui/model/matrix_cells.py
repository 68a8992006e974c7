"""Which risks sit in which cell of the plan's risk matrix: brutto, or netto as it stood
at the end of a chosen period of the plan year (the latest assessment up to then), or
at the year's end."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from riskreg.domain.records import Assessment, PeriodRef, PlanRisk, PlanSnapshot
from riskreg.domain.scales import RiskStatus

Kind = Literal["brutto", "netto"]
Cell = tuple[int, int]  # (sannolikhet, konsekvens)


def until(snapshot: PlanSnapshot, number: int | None) -> PeriodRef:
    """The end of the chosen period, or of the plan year (``None``)."""
    plan = snapshot.plan
    return plan.period(number) if number else plan.year_end


def period_label(snapshot: PlanSnapshot, number: int | None) -> str:
    if number is None:
        return f"vid årets slut ({snapshot.plan.year}, senaste bedömningen)"
    return f"vid {until(snapshot, number).label}"


def value_of(risk: PlanRisk, kind: Kind, at: PeriodRef) -> Assessment | None:
    if kind == "brutto":
        return risk.brutto
    latest = risk.latest_review(at)
    return latest.netto if latest else None


def cells(
    snapshot: PlanSnapshot, kind: Kind, number: int | None = None
) -> dict[Cell, list[PlanRisk]]:
    """Risks per cell in plan order; closed risks are left out."""
    at = until(snapshot, number)
    found: dict[Cell, list[PlanRisk]] = defaultdict(list)
    for risk in snapshot.risks:
        if risk.status is RiskStatus.CLOSED:
            continue
        value = value_of(risk, kind, at)
        if value is not None:
            found[(value.likelihood, value.consequence)].append(risk)
    return dict(found)


def unplaced(snapshot: PlanSnapshot, kind: Kind, number: int | None = None) -> int:
    at = until(snapshot, number)
    return sum(
        1
        for r in snapshot.risks
        if r.status is not RiskStatus.CLOSED and value_of(r, kind, at) is None
    )
