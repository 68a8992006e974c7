"""Brutto mode's state: the plan's risks one after another, a brutto set with two keys.

Like the review, every complete answer is saved at once (``editing.set_brutto``) with
the version of the risk this state last saw, so a change made elsewhere is reported
instead of overwritten. The rule for which risks need a brutto, and the sentence that
says how many lack one, are defined here once for the register, the matrix and this mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from riskreg.domain.records import Assessment, PlanInfo, PlanRisk, PlanSnapshot
from riskreg.domain.scales import SCALE_MIN, PlanStatus, RiskStatus
from riskreg.domain.text import count_of


class _Judged(Protocol):
    @property
    def status(self) -> RiskStatus: ...

    @property
    def brutto(self) -> Assessment | None: ...


def needs_brutto(risk: _Judged) -> bool:
    """Every risk of the plan year that is not closed has a brutto (accepted ones too)."""
    return risk.status is not RiskStatus.CLOSED


def lacks_brutto(risk: _Judged) -> bool:
    return needs_brutto(risk) and risk.brutto is None


def missing_brutto(risks: Iterable[_Judged]) -> int:
    return sum(1 for risk in risks if lacks_brutto(risk))


def missing_brutto_text(missing: int) -> str:
    """``7 risker saknar bruttobedömning``; empty when none does."""
    if not missing:
        return ""
    return f"{count_of(missing, 'risk', 'risker')} saknar bruttobedömning"


@dataclass
class BruttoItem:
    """One risk in brutto mode: its brutto as last saved and the version that save left."""

    risk: PlanRisk
    brutto: Assessment | None
    version: int
    # The first key (sannolikhet), kept until the konsekvens key: a brutto is saved whole,
    # so a change to a fastställd plan is one revision, not two.
    pending_likelihood: int | None = None

    @property
    def marker(self) -> str:
        """✓ has a brutto, ◐ sannolikhet chosen, · none yet."""
        if self.pending_likelihood is not None:
            return "◐"
        return "✓" if self.brutto is not None else "·"


@dataclass
class BruttoState:
    plan: PlanInfo
    items: list[BruttoItem] = field(default_factory=list)
    reason: str | None = None  # the revision's motivering on a fastställd plan
    index: int = 0

    @property
    def current(self) -> BruttoItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    @property
    def assessed(self) -> int:
        return sum(1 for item in self.items if item.brutto is not None)

    @property
    def missing(self) -> int:
        return len(self.items) - self.assessed

    @property
    def progress(self) -> str:
        return f"{self.assessed} av {len(self.items)} har bruttorisk"

    @property
    def editable(self) -> bool:
        return self.plan.status is not PlanStatus.CLOSED

    @property
    def revision(self) -> bool:
        """Each save on a fastställd plan is a revision with ``reason``."""
        return self.plan.status is PlanStatus.ADOPTED

    def go(self, index: int) -> None:
        if self.items:
            current = self.current
            if current is not None and index != self.index:
                current.pending_likelihood = None
            self.index = max(0, min(len(self.items) - 1, index))

    def first_missing(self) -> int:
        return next((i for i, item in enumerate(self.items) if item.brutto is None), 0)

    def next_index(self) -> int:
        """Where to go after a save: the next risk still without a brutto (after this one,
        then from the top); when every risk has one, simply the next risk."""
        count = len(self.items)
        for step in range(1, count):
            candidate = (self.index + step) % count
            if self.items[candidate].brutto is None:
                return candidate
        return min(self.index + 1, count - 1) if count else 0

    def press(self, digit: int) -> Assessment | None:
        """A digit key: the first chooses sannolikhet, the second konsekvens and returns
        the assessment to save."""
        item = self.current
        if item is None:
            return None
        matrix = self.plan.matrix
        if item.pending_likelihood is None:
            if SCALE_MIN <= digit <= len(matrix.likelihood_labels):
                item.pending_likelihood = digit
            return None
        if not SCALE_MIN <= digit <= len(matrix.consequence_labels):
            return None
        return Assessment(item.pending_likelihood, digit)

    def saved(self, brutto: Assessment | None, version: int) -> None:
        item = self.current
        if item is not None:
            item.brutto, item.version, item.pending_likelihood = brutto, version, None

    def index_of(self, risk_id: int) -> int | None:
        return next((i for i, item in enumerate(self.items) if item.risk.id == risk_id), None)


def build_brutto(snapshot: PlanSnapshot, reason: str | None = None) -> BruttoState:
    """The plan's risks that need a brutto, in plan order, starting at the first without."""
    items = [BruttoItem(r, r.brutto, r.version) for r in snapshot.risks if needs_brutto(r)]
    state = BruttoState(plan=snapshot.plan, items=items, reason=reason)
    state.index = state.first_missing()
    return state
