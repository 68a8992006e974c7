"""Lookups by the names users type, and the audit writer.

Every ``get_*`` raises ``NotFound`` with a Swedish sentence when nothing matches, so the
services and entry points need no None checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from riskreg.db.models import (
    Area,
    AuditChain,
    AuditEntry,
    Base,
    Committee,
    IskAssessment,
    LockedMeasure,
    LockedRisk,
    Measure,
    MeasureReview,
    Plan,
    PlanMeasure,
    PlanRevision,
    PlanRisk,
    ReviewPeriod,
    Risk,
    RiskReview,
    Role,
    WorkbookRead,
    measure_role,
)
from riskreg.domain import limits, lookup, register
from riskreg.domain.audit import canonical_json, canonical_time, entry_hash
from riskreg.domain.errors import DatabaseProblem, NotFound
from riskreg.domain.records import FrozenPeriod
from riskreg.domain.scales import RiskStatus
from riskreg.domain.text import swedish_key


def committees(session: Session) -> list[Committee]:
    rows = list(session.scalars(select(Committee)))
    return sorted(rows, key=lambda c: swedish_key(c.name))


def get_committee(session: Session, name: str | None) -> Committee:
    """By name or short name, case-insensitively; ``None`` means "the only one"."""
    rows = committees(session)
    if name is None:
        if len(rows) == 1:
            return rows[0]
        raise lookup.no_single_committee(len(rows))
    for committee in rows:
        if lookup.matches(name, committee_names(committee)):
            return committee
    raise lookup.no_committee(name, [(c.name, c.short_name) for c in rows])


EMPTY_REGISTER = "skapade tomt register"  # the log entry of ``riskreg init --tom``


def empty_by_choice(session: Session) -> bool:
    """Whether the register was created empty on purpose (``riskreg init --tom``): the log
    entry saying so is hash-chained, so the choice cannot be undone unnoticed."""
    return (
        session.scalar(select(AuditEntry.id).where(AuditEntry.action == EMPTY_REGISTER).limit(1))
        is not None
    )


def short_names(session: Session, committee_ids: Sequence[int]) -> dict[int, str]:
    """The nämnder's short names, by id (one query for many)."""
    rows = session.execute(
        select(Committee.id, Committee.short_name).where(Committee.id.in_(committee_ids))
    )
    return {committee_id: short for committee_id, short in rows}


def committee_names(committee: Committee) -> tuple[str, ...]:
    """Every name a nämnd answers to: name, kortnamn and stored aliases."""
    return (committee.name, committee.short_name, *(a.alias for a in committee.aliases))


def find_committee(session: Session, name: str) -> Committee | None:
    try:
        return get_committee(session, name)
    except NotFound:
        return None


def lock_committee(session: Session, committee_id: int) -> None:
    """Hold the nämnd's row until the transaction ends (PostgreSQL; SQLite's writers are
    serialised anyway), so two writers never hand out the same new reference or code."""
    session.execute(select(Committee.id).where(Committee.id == committee_id).with_for_update())


def lock_plan(session: Session, plan_id: int) -> None:
    """Hold the plan's row until the transaction ends (PostgreSQL): a review being saved
    holds it shared (``services.reviews``), so a change that must come before the year's
    first review waits for one in flight and then sees it."""
    session.execute(select(Plan.id).where(Plan.id == plan_id).with_for_update())


def plans_of(session: Session, committee_id: int) -> list[Plan]:
    return list(
        session.scalars(select(Plan).where(Plan.committee_id == committee_id).order_by(Plan.year))
    )


def current_plan(session: Session, committee_id: int) -> Plan:
    """The plan a user means by "now": the latest adopted one, else the latest of any."""
    plan = register.current_plan(plans_of(session, committee_id))
    if plan is None:
        raise NotFound("Nämnden har ingen internkontrollplan ännu.")
    return plan


def get_plan(session: Session, committee: Committee, year: int | None) -> Plan:
    if year is None:
        return current_plan(session, committee.id)
    plan = session.scalar(select(Plan).where(Plan.committee_id == committee.id, Plan.year == year))
    if plan is None:
        raise lookup.no_plan(
            committee.name, year, (p.year for p in plans_of(session, committee.id))
        )
    return plan


def get_plan_by_id(session: Session, plan_id: int) -> Plan:
    """A plan the caller loaded earlier (the TUI): gone means deleted meanwhile."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("Planen finns inte längre i registret.")
    return plan


def plan_has_reviews(session: Session, plan_id: int) -> bool:
    """Whether any risk or åtgärd has been followed up in the plan's periods."""
    return _has_reviews(session, select(ReviewPeriod.id).where(ReviewPeriod.plan_id == plan_id))


def _has_reviews(session: Session, periods: Any) -> bool:
    """Whether any risk or åtgärd has been followed up in ``periods`` (ids, or a query)."""
    return any(
        session.scalar(select(model.id).where(model.period_id.in_(periods)).limit(1))
        for model in (RiskReview, MeasureReview)
    )


def reset_status(entry: PlanRisk) -> None:
    """Make a risk aktiv in its plan year: no acceptance, no closing."""
    entry.status = RiskStatus.ACTIVE.value
    entry.accepted_by = entry.accepted_reason = None
    entry.accepted_until = entry.accepted_on = None
    entry.closed_reason = entry.closed_at = None


def freeze_period(session: Session, period: ReviewPeriod, frozen: FrozenPeriod) -> None:
    """Store what a period covers as it is being locked: its members and counts."""
    period.locked_risks, period.locked_risks_reviewed = frozen.risks, frozen.risks_reviewed
    period.locked_measures = frozen.measures
    period.locked_measures_reviewed = frozen.measures_reviewed
    session.add_all(LockedRisk(period_id=period.id, risk_id=r) for r in frozen.risk_ids)
    session.add_all(LockedMeasure(period_id=period.id, measure_id=m) for m in frozen.measure_ids)


def unlock_period(session: Session, period: ReviewPeriod) -> FrozenPeriod | None:
    """Open a locked period: the lock and what it froze go. Returns what it covered."""
    covered = None
    if period.locked_risks is not None:
        covered = FrozenPeriod(
            frozenset(),
            frozenset(),
            period.locked_risks,
            period.locked_risks_reviewed or 0,
            period.locked_measures or 0,
            period.locked_measures_reviewed or 0,
        )
    period.locked_at = period.locked_by = None
    period.locked_risks = period.locked_risks_reviewed = None
    period.locked_measures = period.locked_measures_reviewed = None
    for model in (LockedRisk, LockedMeasure):
        session.execute(delete(model).where(model.period_id == period.id))
    return covered


def plan_years_of_measure(session: Session, measure_id: int) -> int:
    """In how many plan years an åtgärd appears."""
    return (
        session.scalar(
            select(func.count())
            .select_from(PlanMeasure)
            .where(PlanMeasure.measure_id == measure_id)
        )
        or 0
    )


def get_risk(session: Session, committee: Committee, ref: str) -> Risk:
    risk = session.scalar(
        select(Risk).where(
            Risk.committee_id == committee.id, func.upper(Risk.ref) == ref.strip().upper()
        )
    )
    if risk is None:
        raise NotFound(f"Det finns ingen risk med referensen ”{ref}” i {committee.name}.")
    return risk


def find_area(session: Session, committee_id: int, label: str) -> Area | None:
    """By name, code or a known other spelling, case-insensitively."""
    return match_area(areas_of(session, committee_id), label)


def areas_of(session: Session, committee_id: int) -> list[Area]:
    """A nämnd's verksamheter with their other spellings, for ``match_area``."""
    areas = select(Area).where(Area.committee_id == committee_id)
    return list(session.scalars(areas.options(selectinload(Area.aliases))))


def match_area(areas: list[Area], label: str) -> Area | None:
    for area in areas:
        if lookup.matches(label, [area.name, area.code, *(a.alias for a in area.aliases)]):
            return area
    return None


def get_area(session: Session, committee_id: int, label: str) -> Area:
    area = find_area(session, committee_id, label)
    if area is None:
        known = session.scalars(select(Area.name).where(Area.committee_id == committee_id))
        raise lookup.no_area(label, known)
    return area


def get_role(session: Session, name: str) -> Role:
    for role in session.scalars(select(Role)):
        if lookup.matches(name, [role.name]):
            return role
    raise lookup.no_role(name)


def find_or_create_role(session: Session, name: str, description: str = "") -> Role:
    try:
        return get_role(session, name)
    except NotFound:
        role = Role(name=name.strip(), description=description)
        session.add(role)
        session.flush()
        return role


class MeasureInPlan(NamedTuple):
    kind: str
    risk_id: int
    risk_ref: str


def risk_refs_in_plan(session: Session, plan_id: int, risk_ids: Sequence[int]) -> dict[int, str]:
    """The risks among ``risk_ids`` that the plan year holds, by id: their refs."""
    rows = session.execute(
        select(Risk.id, Risk.ref)
        .join(PlanRisk, PlanRisk.risk_id == Risk.id)
        .where(PlanRisk.plan_id == plan_id, Risk.id.in_(risk_ids))
    )
    return {risk_id: ref for risk_id, ref in rows}


def measures_in_plan(
    session: Session, plan_id: int, measure_ids: Sequence[int]
) -> dict[int, MeasureInPlan]:
    """The åtgärder among ``measure_ids`` that the plan year holds, by id: their kind and
    risk (plain rows, not objects: a workbook read-in asks for thousands)."""
    rows = session.execute(
        select(Measure.id, Measure.kind, Risk.id, Risk.ref)
        .join(PlanMeasure, PlanMeasure.measure_id == Measure.id)
        .join(Risk, Risk.id == Measure.risk_id)
        .where(PlanMeasure.plan_id == plan_id, Measure.id.in_(measure_ids))
    )
    return {mid: MeasureInPlan(kind, rid, ref) for mid, kind, rid, ref in rows}


Review = RiskReview | MeasureReview


class ReviewUpdates:
    """Changes to review rows already loaded in the session, written in one executemany.

    The mapper's optimistic locking (``version_id_col``) makes the ORM send a versioned
    UPDATE one row at a time; a workbook read-in changes thousands. Each row here is still
    updated only ``WHERE version = <loaded>`` and a row changed meanwhile raises
    ``StaleDataError`` as the ORM would; the loaded objects take the new values as their
    committed state, so the session and the database agree."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[Review, int, dict[str, Any]]] = {}  # by id(object)

    def set(self, review: Review, values: dict[str, Any]) -> None:
        """Give a loaded review new values (the last ones given win)."""
        for key, value in values.items():
            set_committed_value(review, key, value)
        _, version, earlier = self._rows.get(id(review), (review, review.version, {}))
        self._rows[id(review)] = (review, version, {**earlier, **values})

    def write(self, session: Session) -> None:
        by_table: dict[Any, list[tuple[Review, int, dict[str, Any]]]] = {}
        for row in self._rows.values():
            by_table.setdefault(type(row[0]).__table__, []).append(row)
        for table, rows in by_table.items():
            for group in _grouped(rows).values():
                params = [
                    {**values, "b_id": review.id, "b_version": version, "version": version + 1}
                    for review, version, values in group
                ]
                statement = (
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .where(table.c.version == bindparam("b_version"))
                )
                result = session.connection().execute(statement, params)
                if result.rowcount != len(params):
                    raise StaleDataError(
                        f"{table.name}: {len(params) - result.rowcount} rows changed meanwhile"
                    )
                for review, version, _ in group:
                    set_committed_value(review, "version", version + 1)
        self._rows.clear()


def _grouped(
    rows: list[tuple[Review, int, dict[str, Any]]],
) -> dict[tuple[str, ...], list[tuple[Review, int, dict[str, Any]]]]:
    """Rows by the columns they set (one executemany needs the same keys in each)."""
    groups: dict[tuple[str, ...], list[tuple[Review, int, dict[str, Any]]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row[2])), []).append(row)
    return groups


def workbook_read(session: Session, workbook_id: str) -> WorkbookRead | None:
    """When and by whom a follow-up workbook was read in, if it was."""
    return session.scalar(
        select(WorkbookRead).where(WorkbookRead.workbook_id == workbook_id).limit(1)
    )


def record_workbook_reads(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Workbooks read in: ``workbook_id``, ``period_id``, ``role``, ``changes``,
    ``read_at``, ``read_by`` each."""
    session.add_all(WorkbookRead(**row) for row in rows)


def write_audit(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    entity_ref: str,
    committee_id: int | None,
    plan_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append an entry to the audit chain (see ``write_audits``)."""
    entry = {
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "entity_ref": entity_ref,
        "committee_id": committee_id,
        "plan_id": plan_id,
        "before": before,
        "after": after,
    }
    write_audits(session, at, actor, [entry])


def write_audits(
    session: Session, at: datetime, actor: str, entries: Sequence[dict[str, Any]]
) -> None:
    """Append entries to the audit chain, in order; each holds ``action``, ``entity``,
    ``entity_id``, ``entity_ref``, ``committee_id`` and optionally ``plan_id``, ``before``
    and ``after``. The chain's head row is locked first (until the transaction ends), so
    concurrent writers chain one after the other."""
    if not entries:
        return
    head = session.scalar(select(AuditChain).where(AuditChain.id == 1).with_for_update())
    if head is None:
        raise DatabaseProblem("Loggens kedja saknas i databasen; kör ”riskreg db upgrade”.")
    seq, prev = head.seq, head.hash
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        fields = {
            "at": at,
            "actor": actor,
            "action": entry["action"],
            "entity": entry["entity"],
            "entity_id": entry["entity_id"],
            "entity_ref": limits.fit(entry["entity_ref"], limits.AUDIT_REF_MAX),
            "committee_id": entry["committee_id"],
            "plan_id": entry.get("plan_id"),
            "before": entry.get("before"),
            "after": entry.get("after"),
        }
        digest = entry_hash(
            seq=seq,
            at=canonical_time(at),
            actor=actor,
            action=fields["action"],
            entity=fields["entity"],
            entity_id=fields["entity_id"],
            entity_ref=fields["entity_ref"],
            committee_id=fields["committee_id"],
            plan_id=fields["plan_id"],
            # As the engine's JSON serializer stores them (None is stored as JSON null).
            before=canonical_json(fields["before"]),
            after=canonical_json(fields["after"]),
            prev_hash=prev,
        )
        rows.append({**fields, "seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    # One bulk INSERT: a workbook read-in logs thousands of entries, and nothing reads
    # them back as objects in the same unit of work.
    session.execute(insert(AuditEntry), rows)
    head.seq, head.hash = seq, prev
    # The entries this unit of work wrote (Context.transaction keeps them once committed),
    # so that a change watcher can tell its own writes from another's.
    session.info.setdefault(OWN_ENTRIES, []).extend(row["seq"] for row in rows)


OWN_ENTRIES = "riskreg_audit_seqs"


def chain_head(session: Session) -> int:
    """The number of the last logged write: one row, updated by every write."""
    return int(session.scalar(select(AuditChain.seq).where(AuditChain.id == 1)) or 0)


def entries_after(session: Session, seq: int, limit: int) -> list[tuple[Any, ...]]:
    """(seq, actor, action, entity, entity_ref) of the entries after ``seq``, oldest first,
    at most ``limit`` of the newest."""
    rows = session.execute(
        select(
            AuditEntry.seq,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.entity,
            AuditEntry.entity_ref,
        )
        .where(AuditEntry.seq > seq)
        .order_by(AuditEntry.seq.desc())
        .limit(limit)
    )
    return [tuple(row) for row in reversed(list(rows))]


def remove_example_data(
    session: Session, plan_id: int, actor: str, mark: str
) -> tuple[int, int, int, int]:
    """Delete a plan's example data: reviews attributed to ``actor``, brutto values and
    acceptances set with a reason starting with ``mark``, a conclusion motivated so, and
    the locks of periods left without a real review. Returns (risk reviews, åtgärd
    reviews, brutto values, periods unlocked)."""
    periods = list(session.scalars(select(ReviewPeriod).where(ReviewPeriod.plan_id == plan_id)))
    period_ids = [p.id for p in periods]
    counts = []
    for model in (RiskReview, MeasureReview):
        rows = list(
            session.scalars(
                select(model).where(model.period_id.in_(period_ids), model.reviewed_by == actor)
            )
        )
        for row in rows:
            session.delete(row)
        counts.append(len(rows))
    brutto = 0
    revisions = session.scalars(
        select(PlanRevision).where(
            PlanRevision.plan_id == plan_id, PlanRevision.reason.startswith(mark)
        )
    )
    for revision in list(revisions):
        entry = session.scalar(
            select(PlanRisk).where(
                PlanRisk.plan_id == plan_id, PlanRisk.risk_id == revision.risk_id
            )
        )
        if entry is not None and entry.brutto_likelihood is not None:
            entry.brutto_likelihood = entry.brutto_consequence = None
            brutto += 1
        session.delete(revision)
    for entry in session.scalars(
        select(PlanRisk).where(
            PlanRisk.plan_id == plan_id, PlanRisk.accepted_reason.startswith(mark)
        )
    ):
        reset_status(entry)
    conclusion = session.scalar(select(IskAssessment).where(IskAssessment.plan_id == plan_id))
    if conclusion is not None and conclusion.motivation.startswith(mark):
        session.delete(conclusion)
    session.flush()
    unlocked = 0
    for period in periods:
        if period.locked_at is None or _has_reviews(session, [period.id]):
            continue
        unlock_period(session, period)
        unlocked += 1
    session.flush()
    return counts[0], counts[1], brutto, unlocked


# -- many rows at once (imports) ---------------------------------------------------------

CHUNK = 500  # values per IN list or INSERT batch: well inside SQLite's and PostgreSQL's limits


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` of ``model`` in batches (one statement each, not one per row) and
    return their new ids in the order of ``rows``."""
    ids: list[int] = []
    table = cast(Table, model.__table__)
    for start in range(0, len(rows), CHUNK):
        chunk = list(rows[start : start + CHUNK])
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids.extend(session.scalars(statement, chunk))
    return ids


def link_roles(session: Session, pairs: Sequence[tuple[int, int]]) -> None:
    """(measure id, role id) pairs into ``measure_role``, in batches."""
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        session.execute(insert(measure_role), [{"measure_id": m, "role_id": r} for m, r in chunk])


def refs_by_text(
    session: Session, committee_id: int, texts: Sequence[str], plan_id: int
) -> dict[str, list[str]]:
    """For each text, the references of the nämnd's risks that had exactly that text in a
    plan year, leaving out risks already in plan ``plan_id`` (sorted, for a stable pick)."""
    in_plan = select(PlanRisk.risk_id).where(PlanRisk.plan_id == plan_id)
    found: dict[str, set[str]] = {}
    unique = sorted(set(texts))
    for start in range(0, len(unique), CHUNK):
        rows = session.execute(
            select(PlanRisk.text, Risk.ref)
            .join(Risk, PlanRisk.risk_id == Risk.id)
            .where(
                Risk.committee_id == committee_id,
                PlanRisk.text.in_(unique[start : start + CHUNK]),
                Risk.id.not_in(in_plan),
            )
        )
        for text, ref in rows:
            found.setdefault(text, set()).add(ref)
    return {text: sorted(refs) for text, refs in found.items()}


def earlier_measures(
    session: Session, risk_ids: Sequence[int], plan_id: int
) -> dict[tuple[int, str], list[int]]:
    """(risk id, text) → ids of the risks' åtgärder that had that text in some plan year,
    leaving out åtgärder already in plan ``plan_id`` (sorted, for a stable pick)."""
    in_plan = select(PlanMeasure.measure_id).where(PlanMeasure.plan_id == plan_id)
    found: dict[tuple[int, str], set[int]] = {}
    unique = sorted(set(risk_ids))
    for start in range(0, len(unique), CHUNK):
        rows = session.execute(
            select(Measure.risk_id, PlanMeasure.text, Measure.id)
            .join(PlanMeasure, PlanMeasure.measure_id == Measure.id)
            .where(Measure.risk_id.in_(unique[start : start + CHUNK]), Measure.id.not_in(in_plan))
        )
        for risk_id, text, measure_id in rows:
            found.setdefault((risk_id, text), set()).add(measure_id)
    return {key: sorted(ids) for key, ids in found.items()}


def risk_ids_by_ref(session: Session, committee_id: int, refs: Sequence[str]) -> dict[str, int]:
    unique = sorted(set(refs))
    found: dict[str, int] = {}
    for start in range(0, len(unique), CHUNK):
        rows = session.execute(
            select(Risk.ref, Risk.id).where(
                Risk.committee_id == committee_id, Risk.ref.in_(unique[start : start + CHUNK])
            )
        )
        found.update({ref: risk_id for ref, risk_id in rows})
    return found
