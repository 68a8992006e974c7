"""Frozen records that services hand to the entry points and the report.

They carry plain values only (no ORM objects, no lazy loading), so they are safe to pass
to a Textual worker thread or to the PDF renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from riskreg.domain.errors import InvalidInput
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.periods import PeriodKind
from riskreg.domain.periods import PeriodRef as PeriodRef
from riskreg.domain.scales import (
    SCALE_LIMIT,
    SCALE_MIN,
    ControlResult,
    Frequency,
    MeasureKind,
    MeasureStatus,
    PlanStatus,
    Requirement,
    RiskStatus,
    Severity,
)


@dataclass(frozen=True, order=True)
class Assessment:
    """Sannolikhet × konsekvens on the plan matrix's scales (1–3, 1–4 or 1–5)."""

    likelihood: int
    consequence: int

    @property
    def value(self) -> int:
        return self.likelihood * self.consequence

    @property
    def label(self) -> str:
        return f"{self.likelihood}×{self.consequence}"

    @classmethod
    def checked(cls, likelihood: int, consequence: int) -> Assessment:
        """Within the widest matrix (1–5); the plan's own matrix narrows it
        (``RiskMatrix.check``, where the plan is known)."""
        for name, value in (("Sannolikhet", likelihood), ("Konsekvens", consequence)):
            if not SCALE_MIN <= value <= SCALE_LIMIT:
                raise InvalidInput(
                    f"{name} ska vara ett heltal {SCALE_MIN}–{SCALE_LIMIT}, inte {value}."
                )
        return cls(likelihood, consequence)


class Trend(StrEnum):
    """Netto risk value against the review before it."""

    UP = "upp"
    DOWN = "ned"
    SAME = "oförändrad"
    FIRST = "första"

    @property
    def arrow(self) -> str:
        return {"upp": "↑", "ned": "↓", "oförändrad": "→", "första": "•"}[self.value]


@dataclass(frozen=True)
class Acceptance:
    """Who accepted a risk instead of handling it (in one plan year), why, until when, and
    when it was decided."""

    by: str
    reason: str
    until: date | None
    decided_on: date | None = None

    def expired(self, on: date) -> bool:
        """The one rule for an expired acceptance: its "till och med" date has passed on
        ``on`` (the day after it is the first day it no longer holds)."""
        return self.until is not None and self.until < on

    def expired_note(self, on: date) -> str | None:
        """The sentence that flags an expired acceptance (``None`` while it holds)."""
        if self.until is None or not self.expired(on):
            return None
        return f"Acceptansen gällde till och med {self.until.isoformat()} och har gått ut."


@dataclass(frozen=True)
class Closing:
    """Why and when a risk was closed in a plan year."""

    reason: str
    at: datetime | None


@dataclass(frozen=True)
class FrozenPeriod:
    """What a locked period covered, as it stood when it was locked."""

    risk_ids: frozenset[int]
    measure_ids: frozenset[int]
    risks: int
    risks_reviewed: int
    measures: int
    measures_reviewed: int

    @property
    def label(self) -> str:
        return (
            f"{self.risks_reviewed} av {self.risks} risker och {self.measures_reviewed} av "
            f"{self.measures} åtgärder"
        )


@dataclass(frozen=True)
class Revision:
    """A logged change to a fastställd plan."""

    at: datetime
    actor: str
    what: str
    reason: str


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    year: int
    number: int  # within the plan year, 1 first (a kvartal, tertial or halvår)
    locked_at: datetime | None
    locked_by: str | None
    frozen: FrozenPeriod | None = None  # set while the period is locked
    kind: PeriodKind = PeriodKind.QUARTER  # the plan's

    @property
    def ref(self) -> PeriodRef:
        return PeriodRef(self.year, self.number, self.kind)

    @property
    def label(self) -> str:
        return self.ref.label

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


@dataclass(frozen=True)
class PlanInfo:
    id: int
    committee_id: int
    committee: str
    year: int
    status: PlanStatus
    dnr: str | None
    adopted_on: date | None
    matrix: RiskMatrix
    periods: tuple[PeriodInfo, ...]
    version: int
    example_data: bool = False
    revisions: tuple[Revision, ...] = ()
    period_kind: PeriodKind = PeriodKind.QUARTER

    @property
    def label(self) -> str:
        return f"{self.committee} {self.year}"

    def period(self, number: int) -> PeriodRef:
        """The plan year's period ``number`` (labelled by the plan's kind)."""
        return PeriodRef(self.year, number, self.period_kind)

    @property
    def year_end(self) -> PeriodRef:
        """The plan year's last period: "up to the end of the year"."""
        return self.period(self.period_kind.last)


@dataclass(frozen=True)
class RiskReviewRecord:
    period: PeriodRef
    netto: Assessment
    comment: str
    reviewed_by: str
    reviewed_at: datetime
    version: int
    source: str | None = None  # where the answer came from: "arbetsbok från <roll>"
    # The matrix of the plan year the review was made in, when another year's plan reads
    # it (``None``: the reading plan's own matrix). Trends across years compare levels.
    matrix: RiskMatrix | None = None

    def made_in(self, plan_matrix: RiskMatrix) -> RiskMatrix:
        """The matrix this review was made in; ``plan_matrix`` is the reading plan's."""
        return self.matrix or plan_matrix


@dataclass(frozen=True)
class MeasureReviewRecord:
    period: PeriodRef
    status: MeasureStatus
    result: ControlResult | None
    comment: str
    deviation: str | None
    severity: Severity | None
    reviewed_by: str
    reviewed_at: datetime
    version: int
    source: str | None = None  # where the answer came from: "arbetsbok från <roll>"


@dataclass(frozen=True)
class PlanMeasure:
    """An åtgärd as it stands in one plan year, with its whole review history."""

    id: int
    version: int
    text: str
    region_wide: bool
    kind: MeasureKind
    frequency: Frequency | None
    due_date: date | None
    roles: tuple[str, ...]
    source: str | None
    reviews: tuple[MeasureReviewRecord, ...]

    def review_in(self, period: PeriodRef) -> MeasureReviewRecord | None:
        return next((r for r in self.reviews if r.period == period), None)

    def latest_review(self, until: PeriodRef | None = None) -> MeasureReviewRecord | None:
        eligible = [r for r in self.reviews if until is None or r.period <= until]
        return eligible[-1] if eligible else None


@dataclass(frozen=True)
class PlanRisk:
    """A risk as it stands in one plan year: that year's text and brutto, its åtgärder,
    and its netto reviews across all years (sorted by period)."""

    id: int
    version: int
    ref: str
    area: str
    area_code: str
    text: str
    region_wide: bool
    requirement: Requirement | None
    status: RiskStatus  # in this plan year
    acceptance: Acceptance | None
    brutto: Assessment | None
    source: str | None
    measures: tuple[PlanMeasure, ...]
    reviews: tuple[RiskReviewRecord, ...]
    closing: Closing | None = None

    def review_in(self, period: PeriodRef) -> RiskReviewRecord | None:
        return next((r for r in self.reviews if r.period == period), None)

    def latest_review(self, until: PeriodRef | None = None) -> RiskReviewRecord | None:
        eligible = [r for r in self.reviews if until is None or r.period <= until]
        return eligible[-1] if eligible else None

    def previous_review(self, before: PeriodRef) -> RiskReviewRecord | None:
        eligible = [r for r in self.reviews if r.period < before]
        return eligible[-1] if eligible else None


@dataclass(frozen=True)
class PlanSnapshot:
    """Everything of one plan year, loaded at once (TUI review, ISK report)."""

    plan: PlanInfo
    risks: tuple[PlanRisk, ...]

    def risk(self, ref: str) -> PlanRisk:
        for risk in self.risks:
            if risk.ref == ref:
                return risk
        raise KeyError(ref)


@dataclass(frozen=True)
class RiskYear:
    """How a risk read, and stood, in one plan year."""

    year: int
    text: str
    region_wide: bool
    brutto: Assessment | None
    source: str | None
    status: RiskStatus = RiskStatus.ACTIVE


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    entity: str
    entity_ref: str
    before: dict[str, object] | None
    after: dict[str, object] | None
    entity_id: int = 0


@dataclass(frozen=True)
class RiskHistory:
    """A risk across all years: ``riskreg risk show`` and the TUI's detail screen."""

    committee: str
    current: PlanRisk  # as in the latest plan year the risk is part of
    current_year: int
    matrix: RiskMatrix  # the current plan year's
    years: tuple[RiskYear, ...]
    audit: tuple[AuditEntry, ...]
    # names for ids the log stores: the nämnd's verksamheter
    area_names: Mapping[int, str] = field(default_factory=dict)

    def about(self, entry: AuditEntry) -> str:
        """Which åtgärd an entry is about ("åtgärd 2: Varje chef ska …"); "" for the risk."""
        if entry.entity != "åtgärd":
            return ""
        for number, measure in enumerate(self.current.measures, 1):
            if measure.id == entry.entity_id:
                text = " ".join(measure.text.split())
                short = text if len(text) <= 48 else text[:47].rstrip() + "…"
                return f"åtgärd {number}: {short}"
        return "en åtgärd som inte finns i planen längre"

    def readable(self, values: dict[str, object] | None) -> dict[str, object] | None:
        """A logged state with ids as names (``verksamhet_id: 5`` → ``verksamhet: HR``)."""
        if values is None or "verksamhet_id" not in values:
            return values
        shown = {}
        for key, value in values.items():
            if key == "verksamhet_id":
                area = self.area_names.get(value) if isinstance(value, int) else None
                shown["verksamhet"] = area if area is not None else value
            else:
                shown[key] = value
        return shown
