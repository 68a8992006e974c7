"""What a scripted review is about, found by the names users type: ``EK-03`` for a risk
and ``EK-03/2`` for its second åtgärd, numbered as the register shows them (the risk's
åtgärder in the plan year, from 1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from riskreg.db import repo
from riskreg.db.mappers import load_snapshot, plan_info
from riskreg.domain.errors import InvalidInput, NotFound
from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import PlanInfo, PlanMeasure, PlanRisk
from riskreg.services.context import Context

_MEASURE_REF = re.compile(r"\s*(?P<ref>[^/\s]+)\s*/\s*(?P<number>\d+)\s*")


@dataclass(frozen=True)
class ReviewTarget:
    """A risk in one plan year, with what is needed to save its review."""

    plan_id: int
    year: int
    risk: PlanRisk
    period_kind: PeriodKind  # the plan's: what ``--period`` means

    @property
    def label(self) -> str:
        return self.risk.ref


@dataclass(frozen=True)
class MeasureTarget(ReviewTarget):
    """One of the risk's åtgärder, and its number within the risk."""

    measure: PlanMeasure
    number: int

    @property
    def label(self) -> str:
        return f"{self.risk.ref}/{self.number}"


def find_risk(ctx: Context, ref: str, year: int, committee: str | None = None) -> ReviewTarget:
    with ctx.reading() as session:
        found = repo.get_committee(session, committee)
        plan = repo.get_plan(session, found, year)
        risk = repo.get_risk(session, found, ref)
        snapshot = load_snapshot(session, plan, risk_id=risk.id)
        if not snapshot.risks:
            raise NotFound(f"Risken {risk.ref} finns inte i planen för {year}.")
        return ReviewTarget(plan.id, plan.year, snapshot.risks[0], snapshot.plan.period_kind)


def find_measure(
    ctx: Context, measure_ref: str, year: int, committee: str | None = None
) -> MeasureTarget:
    """``REF/N``: the N:th åtgärd of the risk REF in the plan year."""
    match = _MEASURE_REF.fullmatch(measure_ref)
    if match is None:
        raise InvalidInput(
            f"Ange åtgärden som REF/N, till exempel EK-03/2 (risk EK-03, åtgärd 2), "
            f"inte ”{measure_ref}”."
        )
    target = find_risk(ctx, match["ref"], year, committee)
    number = int(match["number"])
    measures = target.risk.measures
    if not 1 <= number <= len(measures):
        count = f"{len(measures)} åtgärd" + ("er" if len(measures) != 1 else "")
        raise NotFound(
            f"Risken {target.risk.ref} har {count} i planen för {year}; åtgärd {number} finns inte."
        )
    return MeasureTarget(
        target.plan_id, year, target.risk, target.period_kind, measures[number - 1], number
    )


def find_plan(ctx: Context, year: int, committee: str | None = None) -> PlanInfo:
    """The nämnd's plan for ``year`` (``committee`` may be left out when there is one)."""
    with ctx.reading() as session:
        found = repo.get_committee(session, committee)
        return plan_info(session, repo.get_plan(session, found, year))
