"""Which risks sit in which cell of the plan's risk matrix, brutto or netto."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from riskreg.domain.records import Assessment, PlanRisk, PlanSnapshot
from riskreg.domain.scales import RiskStatus

Kind = Literal["brutto", "netto"]
Cell = tuple[int, int]  # (sannolikhet, konsekvens)


def value_of(risk: PlanRisk, kind: Kind) -> Assessment | None:
    if kind == "brutto":
        return risk.brutto
    latest = risk.latest_review()
    return latest.netto if latest else None


def cells(snapshot: PlanSnapshot, kind: Kind) -> dict[Cell, list[PlanRisk]]:
    """Risks per cell in plan order; closed risks are left out."""
    found: dict[Cell, list[PlanRisk]] = defaultdict(list)
    for risk in snapshot.risks:
        if risk.status is RiskStatus.CLOSED:
            continue
        value = value_of(risk, kind)
        if value is not None:
            found[(value.likelihood, value.consequence)].append(risk)
    return dict(found)


def unplaced(snapshot: PlanSnapshot, kind: Kind) -> int:
    return sum(
        1 for r in snapshot.risks if r.status is not RiskStatus.CLOSED and value_of(r, kind) is None
    )
