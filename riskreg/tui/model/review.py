"""The state of a quarterly review in progress: what is saved, what is carried, what is left.

Values start from the previous review and count as *carried* until the controller
confirms or changes them; only saved answers count as assessed. Each draft keeps the
version of the row it last saw, which the services compare before writing
(``expected_version``: 0 means "no answer saved yet").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from riskreg.domain.records import (
    Assessment,
    MeasureReviewRecord,
    PeriodInfo,
    PeriodRef,
    PlanInfo,
    PlanMeasure,
    PlanRisk,
    PlanSnapshot,
    RiskReviewRecord,
)
from riskreg.domain.register import finished_before, period_scope
from riskreg.domain.scales import ControlResult, MeasureKind, MeasureStatus, PlanStatus
from riskreg.domain.text import count_of

# Single keys for åtgärd statuses in review mode.
STATUS_KEYS: dict[str, MeasureStatus] = {
    "j": MeasureStatus.NOT_STARTED,
    "p": MeasureStatus.IN_PROGRESS,
    "g": MeasureStatus.DONE,
    "e": MeasureStatus.NOT_DONE,
    "u": MeasureStatus.DROPPED,
}
RESULT_CYCLE: tuple[ControlResult | None, ...] = (
    None,
    ControlResult.NO_REMARK,
    ControlResult.DEVIATION,
    ControlResult.NOT_PERFORMED,
)


def source_note(saved: MeasureReviewRecord | RiskReviewRecord | None) -> str:
    """ "via arbetsbok från Ekonomichef" for an answer read in from a workbook, else ""."""
    return f"via {saved.source}" if saved is not None and saved.source else ""


@dataclass
class MeasureDraft:
    measure: PlanMeasure
    saved: MeasureReviewRecord | None  # the answer in this period
    carried: MeasureReviewRecord | None  # the latest answer before this period

    @property
    def status(self) -> MeasureStatus | None:
        if self.saved is not None:
            return self.saved.status
        return self.carried.status if self.carried is not None else None

    @property
    def is_carried(self) -> bool:
        return self.saved is None and self.carried is not None

    @property
    def version(self) -> int:
        return self.saved.version if self.saved is not None else 0

    @property
    def is_recurring(self) -> bool:
        return self.measure.kind is MeasureKind.RECURRING

    @property
    def source_note(self) -> str:
        """Where this period's answer came from, when not typed in riskreg."""
        return source_note(self.saved)

    def next_result(self) -> ControlResult | None:
        """The next result for the ``r`` key; "utan anmärkning" is skipped while an
        avvikelse is recorded (the service refuses that pair)."""
        cycle = RESULT_CYCLE
        if self.saved is not None and self.saved.deviation:
            cycle = tuple(r for r in RESULT_CYCLE if r is not ControlResult.NO_REMARK)
        current = self.saved.result if self.saved else None
        index = cycle.index(current) if current in cycle else 0
        return cycle[(index + 1) % len(cycle)]


@dataclass
class RiskDraft:
    risk: PlanRisk
    saved: RiskReviewRecord | None
    carried: RiskReviewRecord | None
    measures: list[MeasureDraft]
    # A sannolikhet typed while no konsekvens is known yet (the very first review):
    # kept until the konsekvens key, since the services store only whole assessments.
    pending_likelihood: int | None = None
    # Åtgärder of the risk the period does not follow up: done (one-off) or utgår in an
    # earlier period, or added after the period was locked.
    measures_finished: int = 0
    measures_added_later: int = 0

    @property
    def netto(self) -> Assessment | None:
        if self.saved is not None:
            return self.saved.netto
        return self.carried.netto if self.carried is not None else None

    @property
    def likelihood(self) -> int | None:
        if self.pending_likelihood is not None:
            return self.pending_likelihood
        netto = self.netto
        return netto.likelihood if netto else None

    @property
    def consequence(self) -> int | None:
        netto = self.netto
        return netto.consequence if netto else None

    @property
    def netto_carried(self) -> bool:
        return self.saved is None and self.carried is not None

    @property
    def comment(self) -> str:
        return self.saved.comment if self.saved else ""

    @property
    def version(self) -> int:
        return self.saved.version if self.saved is not None else 0

    @property
    def assessed(self) -> bool:
        return self.saved is not None

    @property
    def source_note(self) -> str:
        return source_note(self.saved)

    @property
    def measures_missing(self) -> int:
        return sum(1 for m in self.measures if m.saved is None)

    @property
    def has_carried(self) -> bool:
        return self.netto_carried or any(m.is_carried for m in self.measures)

    @property
    def left_out_note(self) -> str:
        """Why åtgärder of the risk are missing from the period's list ("" when none are)."""
        parts = []
        if self.measures_finished:
            n = self.measures_finished
            parts.append(
                f"{count_of(n, 'åtgärd', 'åtgärder')} är {'avklarad' if n == 1 else 'avklarade'}"
                " (genomförd eller utgår) och följs inte upp igen"
            )
        if self.measures_added_later:
            n = self.measures_added_later
            parts.append(f"{count_of(n, 'åtgärd', 'åtgärder')} tillkom efter att perioden låstes")
        return "; ".join(parts) + "." if parts else ""

    @property
    def marker(self) -> str:
        """✓ done, ◐ netto saved but åtgärder left, ↻ only carried values, · untouched."""
        if self.assessed and self.measures_missing == 0:
            return "✓"
        if self.assessed or any(m.saved for m in self.measures):
            return "◐"
        if self.has_carried:
            return "↻"
        return "·"


@dataclass
class ReviewState:
    """A plan year's review for one period."""

    plan: PlanInfo
    period: PeriodInfo
    risks: list[RiskDraft] = field(default_factory=list)

    @property
    def ref(self) -> PeriodRef:
        return self.period.ref

    @property
    def locked(self) -> bool:
        return self.period.locked

    @property
    def editable(self) -> bool:
        return self.plan.status is PlanStatus.ADOPTED and not self.period.locked

    @property
    def assessed(self) -> int:
        return sum(1 for r in self.risks if r.assessed)

    @property
    def measures_total(self) -> int:
        return sum(len(r.measures) for r in self.risks)

    @property
    def measures_assessed(self) -> int:
        return sum(len(r.measures) - r.measures_missing for r in self.risks)

    @property
    def progress(self) -> str:
        return f"{self.assessed} av {len(self.risks)} bedömda"

    @property
    def complete(self) -> bool:
        return self.assessed == len(self.risks) and self.measures_assessed == self.measures_total

    def index_of(self, risk_id: int) -> int | None:
        return next((i for i, r in enumerate(self.risks) if r.risk.id == risk_id), None)


def build_review(snapshot: PlanSnapshot, number: int) -> ReviewState:
    """The review of one period over what the period covers (``register.period_scope``:
    frozen when it was locked, else the plan as it stands)."""
    period = next(p for p in snapshot.plan.periods if p.number == number)
    ref = period.ref
    scope = period_scope(snapshot.risks, period)
    due = {m.id for _, m in scope.measures}
    drafts: list[RiskDraft] = []
    for risk in scope.risks:
        measures = [
            MeasureDraft(
                measure=m,
                saved=m.review_in(ref),
                carried=_before(m.reviews, ref),
            )
            for m in risk.measures
            if m.id in due
        ]
        left_out = [m for m in risk.measures if m.id not in due]
        finished = sum(1 for m in left_out if finished_before(m, ref))
        drafts.append(
            RiskDraft(
                risk=risk,
                saved=risk.review_in(ref),
                carried=risk.previous_review(ref),
                measures=measures,
                measures_finished=finished,
                measures_added_later=len(left_out) - finished,
            )
        )
    return ReviewState(plan=snapshot.plan, period=period, risks=drafts)


def _before(reviews: tuple[MeasureReviewRecord, ...], ref: PeriodRef) -> MeasureReviewRecord | None:
    eligible = [r for r in reviews if r.period < ref]
    return eligible[-1] if eligible else None
