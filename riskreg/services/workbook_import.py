"""``riskreg workbooks read``: the answers in filled-in follow-up workbooks saved all or
nothing, in one transaction.

Every file is read and checked first (``services.workbook_file``); then, against the
register: the plan and period are the workbook's, the period is still open, the workbook
was not read before, each row's åtgärd still belongs to the period, and a proposed netto
lies on the scales of its plan's matrix (``RiskMatrix.check``). An answer is saved
through the review services (their checks and audit entries, marked "via arbetsbok från
<roll>") only where the register still holds the version the workbook was made from; a
row changed in riskreg since then is a conflict, listed with both values and never
overwritten. An empty cell is no answer: the value already in the period stays. Any
problem in any file and nothing is saved from any of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.mappers import load_snapshots
from riskreg.db.models import Plan
from riskreg.domain.clock import local_stamp
from riskreg.domain.errors import InvalidInput, RiskregError
from riskreg.domain.records import (
    Assessment,
    MeasureReviewRecord,
    PeriodInfo,
    PeriodRef,
    PlanMeasure,
    PlanRisk,
    PlanSnapshot,
    RiskReviewRecord,
)
from riskreg.domain.register import period_scope
from riskreg.domain.scales import MeasureStatus, PlanStatus
from riskreg.domain.workbook import WorkbookInfo
from riskreg.services.context import Context
from riskreg.services.reviews import (
    MeasureAnswer,
    RiskAnswer,
    Saving,
    write_reviews,
)
from riskreg.services.workbook_file import FilledRow, FilledWorkbook, read_filled


@dataclass(frozen=True)
class Change:
    key: str  # "EK-03/2", or "EK-03" for the netto
    before: str  # "" when the period had no answer
    after: str


@dataclass(frozen=True)
class Conflict:
    """A row changed in riskreg since the workbook was made (or answered by a workbook
    read earlier in the same run): not overwritten."""

    key: str
    why: str  # "ändrad i riskreg av anna sedan arbetsboken skapades"
    in_register: str
    in_workbook: str


@dataclass
class FileOutcome:
    name: str
    role: str
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unanswered: int = 0


@dataclass(frozen=True)
class ReadOutcome:
    files: tuple[FileOutcome, ...]
    dry_run: bool

    @property
    def changes(self) -> int:
        return sum(len(f.changes) for f in self.files)

    @property
    def conflicts(self) -> int:
        return sum(len(f.conflicts) for f in self.files)


class WorkbooksRejected(InvalidInput):
    """Problems were found: nothing was saved. ``outcome`` is what the files would have
    done, ``problems`` one sentence each."""

    def __init__(self, outcome: ReadOutcome, problems: list[str]) -> None:
        self.outcome = outcome
        self.problems = problems
        super().__init__(problems[0])


def read_workbooks(
    ctx: Context,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    period: PeriodRef | None = None,
) -> ReadOutcome:
    """``period``: the one the controller means to read in (else the first file's); a
    workbook for another year or quarter is refused, so one run is one period."""
    problems: list[str] = []
    filled: list[FilledWorkbook] = []
    for path in paths:
        workbook, found = read_filled(path)
        problems += found
        if workbook is not None:
            filled.append(workbook)
    for workbook in filled:
        own = workbook.info.period
        period = period or own
        if own != period:
            problems.append(
                f"{workbook.name}: arbetsboken gäller {own.label}, inte {period.label}; läs in "
                "en period i taget."
            )
    seen: dict[str, str] = {}
    for workbook in filled:
        first = seen.setdefault(workbook.info.workbook_id, workbook.name)
        if first != workbook.name:
            problems.append(f"{workbook.name}: är samma arbetsbok som {first} (en kopia).")
    outcomes: list[FileOutcome] = []
    with ctx.transaction(commit=not dry_run) as session:
        run = _Run(ctx, session)
        run.load({plan_id for w in filled for plan_id in w.info.plan_ids})
        for workbook in filled:
            outcomes.append(run.apply(workbook))
        problems += run.problems
        outcome = ReadOutcome(tuple(outcomes), dry_run)
        if problems:
            raise WorkbooksRejected(outcome, problems)
        run.save()
        return outcome


_NO_ANSWER = MeasureAnswer(MeasureStatus.NOT_STARTED)  # the fields an empty period keeps


class _Run:
    """One reading-in: the register as loaded once per plan, and what this run wrote (an
    åtgärd in two roles' workbooks is answered once; the second is a conflict)."""

    def __init__(self, ctx: Context, session: Session) -> None:
        self.ctx = ctx
        self.session = session
        self.problems: list[str] = []
        self.snapshots: dict[int, PlanSnapshot] = {}
        self.scopes: dict[int, dict[int, tuple[PlanRisk, PlanMeasure]]] = {}
        self.periods: dict[int, PeriodInfo | str] = {}  # per plan: its period, or why not
        # ("åtgärd"|"risk", id) -> (file, answer) for what this run saves
        self.written: dict[tuple[str, int], tuple[str, str]] = {}
        self.pending: dict[int, list[Saving]] = defaultdict(list)  # per plan
        self.reads: list[dict[str, Any]] = []  # workbook_read rows
        self.audits: list[dict[str, Any]] = []  # "läste in arbetsbok", per workbook and plan
        self.short_names: dict[int, str] = {}  # the nämnder's, by id

    def load(self, plan_ids: set[int]) -> None:
        """The plan years the workbooks answer, loaded at once (the answers are checked
        against the plan year's reviews only)."""
        plans = self.session.scalars(select(Plan).where(Plan.id.in_(plan_ids))).all()
        for snapshot in load_snapshots(self.session, plans, plan_year_only=True):
            self.snapshots[snapshot.plan.id] = snapshot
        committees = {p.committee_id for p in plans}
        self.short_names = repo.short_names(self.session, sorted(committees))

    def save(self) -> None:
        """Everything the run found, once no file had a problem: the answers through the
        review service (one call per plan), then which workbooks were read, and the log."""
        for plan_id, savings in self.pending.items():
            period = self.periods[plan_id]
            assert isinstance(period, PeriodInfo)  # a plan with a problem stopped the run
            write_reviews(self.session, self.ctx, plan_id, period.number, savings)
        repo.record_workbook_reads(self.session, self.reads)
        repo.write_audits(self.session, self.ctx.clock(), self.ctx.actor, self.audits)

    def apply(self, workbook: FilledWorkbook) -> FileOutcome:
        info = workbook.info
        outcome = FileOutcome(workbook.name, info.role_label)
        read = repo.workbook_read(self.session, info.workbook_id)
        if read is not None:
            self.problems.append(
                f"{workbook.name}: arbetsboken lästes redan in {local_stamp(read.read_at)} av "
                f"{read.read_by}; skapa en ny arbetsbok för nya svar."
            )
            return outcome
        periods: dict[int, PeriodInfo] = {}
        for plan_id in info.plan_ids:
            period = self._period(workbook, plan_id)
            if period is None:
                return outcome
            periods[plan_id] = period
        scopes = {plan_id: self._scope(plan_id, p) for plan_id, p in periods.items()}
        before = len(self.problems)
        for row in workbook.rows:
            period = periods[row.row.plan_id]  # the checksum holds rows to the workbook's plans
            pair = scopes[row.row.plan_id].get(row.row.measure_id)
            if pair is None:
                self.problems.append(
                    f"{workbook.where(row.sheet_row)}: åtgärd {row.row.key} ingår inte längre "
                    f"i perioden {period.label}."
                )
                continue
            if not (row.answers_measure or row.answers_netto):
                outcome.unanswered += 1
                continue
            self._measure(workbook, row, pair[1], period, outcome)
            if row.answers_netto:
                self._netto(workbook, row, pair[0], period, outcome)
        if len(self.problems) == before:
            for plan_id, period in periods.items():
                self.reads.append(
                    {
                        "workbook_id": info.workbook_id,
                        "period_id": period.id,
                        "role": info.role,
                        "changes": len(outcome.changes),
                        "read_at": self.ctx.clock(),
                        "read_by": self.ctx.actor,
                    }
                )
                self.audits.append(self._audit(workbook, plan_id, period, outcome))
        return outcome

    def _scope(self, plan_id: int, period: PeriodInfo) -> dict[int, tuple[PlanRisk, PlanMeasure]]:
        """The åtgärder the period covers, by id (worked out once per plan)."""
        if plan_id not in self.scopes:
            covered = period_scope(self.snapshots[plan_id].risks, period).measures
            self.scopes[plan_id] = {m.id: (r, m) for r, m in covered}
        return self.scopes[plan_id]

    def _period(self, workbook: FilledWorkbook, plan_id: int) -> PeriodInfo | None:
        """The plan's period if answers can be saved in it (checked once per plan)."""
        if plan_id not in self.periods:
            self.periods[plan_id] = self._open_period(plan_id, workbook.info)
        found = self.periods[plan_id]
        if isinstance(found, str):
            self.problems.append(f"{workbook.name}: {found}")
            return None
        return found

    def _open_period(self, plan_id: int, info: WorkbookInfo) -> PeriodInfo | str:
        """The period, or why the workbook cannot be read into it."""
        snapshot = self.snapshots.get(plan_id)
        if snapshot is None:
            return "en plan som arbetsboken gäller finns inte längre i registret."
        plan = snapshot.plan
        if plan.year != info.year:
            return f"arbetsboken gäller {info.year}, men planen är {plan.label}."
        if plan.status != PlanStatus.ADOPTED:
            return f"planen {plan.label} är {plan.status}; bara en fastställd plan följs upp."
        if plan.period_kind is not info.period_kind:
            return (
                f"arbetsboken gäller {info.period.label}, men planen {plan.label} följs upp "
                f"per {plan.period_kind}."
            )
        period = next(p for p in plan.periods if p.number == info.number)
        if period.locked:
            return (
                f"perioden {period.label} är låst för {plan.committee}; öppna den igen med en "
                "motivering innan arbetsboken läses in."
            )
        return period

    def _measure(
        self,
        workbook: FilledWorkbook,
        row: FilledRow,
        measure: PlanMeasure,
        period: PeriodInfo,
        outcome: FileOutcome,
    ) -> None:
        if not row.answers_measure:
            return
        where = workbook.where(row.sheet_row)
        current = measure.review_in(period.ref)
        kept = current or _NO_ANSWER
        status = row.status or (current.status if current else None)
        if status is None:
            self.problems.append(f"{where}: ange Status för åtgärd {row.row.key}.")
            return
        answer = MeasureAnswer(
            status=status,
            result=row.result or kept.result,
            comment=row.comment if row.comment is not None else kept.comment,
            deviation=row.deviation or kept.deviation,
            severity=row.severity or kept.severity,
        )
        try:
            answer = answer.checked()
        except RiskregError as exc:
            self.problems.append(f"{where}: {exc}")
            return
        before = _measure_text(current)
        after = _answer_text(answer)
        key = ("åtgärd", measure.id)
        expected = row.row.measure_version
        if not self._new(key, row.row.key, before, after, current, expected, outcome):
            return
        source = workbook.info.source
        self.pending[row.row.plan_id].append(Saving(measure.id, answer, expected or 0, source))
        self.written[key] = (workbook.name, after)
        outcome.changes.append(Change(row.row.key, before, after))

    def _netto(
        self,
        workbook: FilledWorkbook,
        row: FilledRow,
        risk: PlanRisk,
        period: PeriodInfo,
        outcome: FileOutcome,
    ) -> None:
        assert row.likelihood is not None and row.consequence is not None  # answers_netto
        current = risk.review_in(period.ref)
        try:
            proposed = self.snapshots[row.row.plan_id].plan.matrix.check(
                Assessment(row.likelihood, row.consequence)
            )
        except InvalidInput as exc:
            self.problems.append(f"{workbook.where(row.sheet_row)}: {exc}")
            return
        label = f"{risk.ref} netto"
        before = current.netto.label if current else ""
        key = ("risk", risk.id)
        if not self._new(
            key, label, before, proposed.label, current, row.row.risk_version, outcome
        ):
            return
        answer = RiskAnswer(proposed, current.comment if current else "")
        self.pending[row.row.plan_id].append(
            Saving(risk.id, answer, row.row.risk_version or 0, workbook.info.source)
        )
        self.written[key] = (workbook.name, proposed.label)
        outcome.changes.append(Change(label, before, proposed.label))

    def _new(
        self,
        key: tuple[str, int],
        label: str,
        before: str,
        after: str,
        current: MeasureReviewRecord | RiskReviewRecord | None,
        expected: int | None,
        outcome: FileOutcome,
    ) -> bool:
        """Whether an answer is a change to save; a conflict is listed instead."""
        earlier = self.written.get(key)
        if earlier is not None:
            name, saved = earlier
            if saved != after:
                why = f"besvarad också i {name}, som lästes in först"
                outcome.conflicts.append(Conflict(label, why, saved, after))
            return False
        if before == after:
            return False
        if (current.version if current else 0) != (expected or 0):
            by = f" av {current.reviewed_by}" if current else ""
            why = f"ändrad i riskreg{by} sedan arbetsboken skapades"
            outcome.conflicts.append(Conflict(label, why, before or "inget svar", after))
            return False
        return True

    def _audit(
        self, workbook: FilledWorkbook, plan_id: int, period: PeriodInfo, outcome: FileOutcome
    ) -> dict[str, Any]:
        plan = self.snapshots[plan_id].plan
        short = self.short_names[plan.committee_id]
        return {
            "action": "läste in arbetsbok",
            "entity": "period",
            "entity_id": period.id,
            "entity_ref": f"{short} {period.label}",
            "committee_id": plan.committee_id,
            "plan_id": plan.id,
            "after": {
                "arbetsbok": workbook.info.workbook_id,
                "fil": workbook.name,
                "roll": workbook.info.role_label,
                "ändringar": len(outcome.changes),
                "konflikter": len(outcome.conflicts),
            },
        }


def _measure_text(review: MeasureReviewRecord | None) -> str:
    if review is None:
        return ""
    return _answer_text(
        MeasureAnswer(
            review.status, review.result, review.comment, review.deviation, review.severity
        )
    )


def _answer_text(answer: MeasureAnswer) -> str:
    parts = [answer.status.value]
    if answer.result is not None:
        parts.append(answer.result.value)
    if answer.comment:
        parts.append(f"kommentar ”{answer.comment}”")
    if answer.deviation:
        parts.append(f"avvikelse ({answer.severity}) ”{answer.deviation}”")
    return ", ".join(parts)
