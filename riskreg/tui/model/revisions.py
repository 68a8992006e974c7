"""A plan's revisions as the TUI lists them: when (Swedish time), who, what and why."""

from __future__ import annotations

from dataclasses import dataclass

from riskreg.domain.clock import local_stamp
from riskreg.domain.records import PlanInfo
from riskreg.domain.scales import PlanStatus
from riskreg.domain.text import count_of


@dataclass(frozen=True)
class RevisionLine:
    at: str  # "2024-10-15 11:30", Swedish local time
    actor: str
    what: str
    reason: str


def revision_lines(plan: PlanInfo) -> list[RevisionLine]:
    """Oldest first, as they happened."""
    ordered = sorted(plan.revisions, key=lambda r: r.at)
    return [RevisionLine(local_stamp(r.at), r.actor, r.what, r.reason) for r in ordered]


def revisions_intro(plan: PlanInfo) -> str:
    """One sentence on where the plan stands and how many revisions it has."""
    if plan.status is PlanStatus.DRAFT:
        return (
            f"Planen för {plan.year} är ett utkast: den ändras fritt, och ändringar blir "
            "revisioner först när planen är fastställd."
        )
    adopted = f" {plan.adopted_on.isoformat()}" if plan.adopted_on else ""
    dnr = f" (dnr {plan.dnr})" if plan.dnr else ""
    count = count_of(len(plan.revisions), "revision", "revisioner")
    return (
        f"Planen för {plan.year} fastställdes{adopted}{dnr}. Sedan dess har den {count}; "
        "varje ändring av en fastställd plan sparas med motivering och visas i ISK-rapporten."
    )
