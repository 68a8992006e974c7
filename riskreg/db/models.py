"""The schema as typed SQLAlchemy 2 models.

Identity and year are kept apart: a ``Risk`` (and a ``Measure``) is one thing across plan
years, while ``PlanRisk`` / ``PlanMeasure`` hold how it read in one year's plan. Reviews
hang on the identity and a period, so a risk's history spans years.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from riskreg.domain.isk import Grade
from riskreg.domain.limits import (
    ACTOR_MAX,
    AREA_CODE_MAX,
    AREA_NAME_MAX,
    AUDIT_REF_MAX,
    COMMITTEE_NAME_MAX,
    DNR_MAX,
    FIRST_YEAR,
    HANDLER_MAX,
    LAST_YEAR,
    PERSON_MAX,
    REF_MAX,
    ROLE_NAME_MAX,
    SHORT_NAME_MAX,
    SOURCE_MAX,
)
from riskreg.domain.periods import PeriodKind
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
    values,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without zone (SQLite has none) and hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _in(column: str, allowed: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in allowed)
    return f"{column} IN ({quoted})"


def _scale(column: str) -> str:
    """The widest scale any matrix has (5×5); the plan's own matrix narrows it (services)."""
    return f"{column} BETWEEN {SCALE_MIN} AND {SCALE_LIMIT}"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class Committee(Base):
    """A nämnd."""

    __tablename__ = "committee"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(COMMITTEE_NAME_MAX), unique=True)
    short_name: Mapped[str] = mapped_column(String(SHORT_NAME_MAX), unique=True)
    aliases: Mapped[list[CommitteeAlias]] = relationship(cascade="all, delete-orphan")


class CommitteeAlias(Base):
    """Another name a nämnd is known by ("Vårdnämnden"), found wherever a nämnd is named
    (``riskreg nämnd alias``); unique over the register, so it names one nämnd."""

    __tablename__ = "committee_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(COMMITTEE_NAME_MAX), unique=True)


class Area(Base):
    """A verksamhet (process/område) of a nämnd; its code prefixes risk references."""

    __tablename__ = "area"
    __table_args__ = (
        UniqueConstraint("committee_id", "code"),
        UniqueConstraint("committee_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(AREA_CODE_MAX))
    name: Mapped[str] = mapped_column(String(AREA_NAME_MAX))
    aliases: Mapped[list[AreaAlias]] = relationship(cascade="all, delete-orphan")


class AreaAlias(Base):
    """Another spelling of a verksamhet met in source plans ("Informationsosäkerhet")."""

    __tablename__ = "area_alias"
    __table_args__ = (UniqueConstraint("area_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(AREA_NAME_MAX))


class Role(Base):
    """A responsible role ("Varje chef", "Upphandlingen"), never a person."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(ROLE_NAME_MAX), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking, as on the other edited tables: a stale rename is a conflict.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Plan(Base):
    """A nämnd's internkontrollplan for one year, with the matrix frozen for that year."""

    __tablename__ = "plan"
    __table_args__ = (
        UniqueConstraint("committee_id", "year"),
        CheckConstraint(_in("status", values(PlanStatus)), name="status"),
        CheckConstraint(_in("period_kind", values(PeriodKind)), name="period_kind"),
        CheckConstraint(f"year BETWEEN {FIRST_YEAR} AND {LAST_YEAR}", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    dnr: Mapped[str | None] = mapped_column(String(DNR_MAX))
    adopted_on: Mapped[date | None] = mapped_column(Date)
    matrix: Mapped[dict[str, Any]]
    # Kvartal, tertial or halvår (domain.periods): how many review periods the year has.
    period_kind: Mapped[str] = mapped_column(
        String(10), default=PeriodKind.QUARTER.value, server_default=PeriodKind.QUARTER.value
    )
    # Set by ``riskreg seed --exempel`` and cleared by ``--ta-bort-exempel``: the report
    # says "exempeldata" on every page while it is set.
    example_data: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking: every UPDATE says WHERE version = <loaded>, so a change made
    # elsewhere after we loaded the row is a conflict, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    periods: Mapped[list[ReviewPeriod]] = relationship(
        order_by="ReviewPeriod.number", cascade="all, delete-orphan"
    )


class ReviewPeriod(Base):
    """A follow-up period of a plan year (a kvartal, tertial or halvår). Locking it freezes
    what it covered: the risks and åtgärder that belonged to it (``LockedRisk``,
    ``LockedMeasure``) and its counts, so later plan changes reach only unlocked periods."""

    __tablename__ = "review_period"
    __table_args__ = (
        UniqueConstraint("plan_id", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    # The period's number within the year. The column keeps its first name, "quarter"
    # (1–4 holds every kind); the code says what it is.
    number: Mapped[int] = mapped_column("quarter", Integer)
    locked_at: Mapped[datetime | None]
    locked_by: Mapped[str | None] = mapped_column(String(ACTOR_MAX))
    # The counts at the moment of locking (NULL while open).
    locked_risks: Mapped[int | None] = mapped_column(Integer)
    locked_risks_reviewed: Mapped[int | None] = mapped_column(Integer)
    locked_measures: Mapped[int | None] = mapped_column(Integer)
    locked_measures_reviewed: Mapped[int | None] = mapped_column(Integer)


class LockedRisk(Base):
    """A risk that belonged to a locked period."""

    __tablename__ = "locked_risk"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("review_period.id", ondelete="CASCADE"), primary_key=True
    )
    risk_id: Mapped[int] = mapped_column(
        ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LockedMeasure(Base):
    """An åtgärd that was due in a locked period."""

    __tablename__ = "locked_measure"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("review_period.id", ondelete="CASCADE"), primary_key=True
    )
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PlanRevision(Base):
    """A change to a fastställd plan: when, who, what and why. Shown in the TUI and in the
    ISK report ("Planen reviderad 2024-06-12: …")."""

    __tablename__ = "plan_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="SET NULL"))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(ACTOR_MAX))
    what: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)


class Risk(Base):
    """A risk's identity across years: reference, verksamhet and krav. Everything that can
    differ between years (text, brutto, status, acceptance, closing) is on ``PlanRisk``."""

    __tablename__ = "risk"
    __table_args__ = (
        UniqueConstraint("committee_id", "ref"),
        CheckConstraint(_in("requirement", values(Requirement)), name="requirement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    ref: Mapped[str] = mapped_column(String(REF_MAX))
    requirement: Mapped[str | None] = mapped_column(String(1))
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking: every UPDATE says WHERE version = <loaded>, so a change made
    # elsewhere after we loaded the row is a conflict, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PlanRisk(Base):
    """How a risk stands in one plan year: that year's text and brutto, and its status in
    that year (accepted: who, why, until, decided when; closed: why, when). Facts of one
    year never reach another: accepting a risk in 2024 says nothing about 2022."""

    __tablename__ = "plan_risk"
    __table_args__ = (
        UniqueConstraint("plan_id", "risk_id"),
        CheckConstraint(_scale("brutto_likelihood"), name="brutto_likelihood"),
        CheckConstraint(_scale("brutto_consequence"), name="brutto_consequence"),
        CheckConstraint(
            "(brutto_likelihood IS NULL) = (brutto_consequence IS NULL)", name="brutto_pair"
        ),
        CheckConstraint(_in("status", values(RiskStatus)), name="status"),
        CheckConstraint(
            "status <> 'accepterad' OR (accepted_by IS NOT NULL AND accepted_reason IS NOT NULL)",
            name="acceptance",
        ),
        CheckConstraint("status <> 'avslutad' OR closed_reason IS NOT NULL", name="closing"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    region_wide: Mapped[bool] = mapped_column(default=False)
    brutto_likelihood: Mapped[int | None] = mapped_column(Integer)
    brutto_consequence: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(SOURCE_MAX))
    status: Mapped[str] = mapped_column(String(20), default=RiskStatus.ACTIVE.value)
    accepted_by: Mapped[str | None] = mapped_column(String(PERSON_MAX))
    accepted_reason: Mapped[str | None] = mapped_column(Text)
    accepted_until: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]


class Measure(Base):
    """An åtgärd's identity across years: kind, frequency, due date and roles."""

    __tablename__ = "measure"
    __table_args__ = (
        CheckConstraint(_in("kind", values(MeasureKind)), name="kind"),
        CheckConstraint(_in("frequency", values(Frequency)), name="frequency"),
        CheckConstraint(
            "kind = 'återkommande' OR frequency IS NULL", name="frequency_only_recurring"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    frequency: Mapped[str | None] = mapped_column(String(20))
    due_date: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking: every UPDATE says WHERE version = <loaded>, so a change made
    # elsewhere after we loaded the row is a conflict, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    roles: Mapped[list[Role]] = relationship(secondary="measure_role", order_by="Role.name")


measure_role = Table(
    "measure_role",
    Base.metadata,
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_measure_role_role_id", "role_id"),
)


class PlanMeasure(Base):
    """How an åtgärd reads in one plan year."""

    __tablename__ = "plan_measure"
    __table_args__ = (UniqueConstraint("plan_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    region_wide: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(String(SOURCE_MAX))


class RiskReview(Base):
    """The netto assessment of a risk in one review period."""

    __tablename__ = "risk_review"
    __table_args__ = (
        UniqueConstraint("risk_id", "period_id"),
        CheckConstraint(_scale("likelihood"), name="likelihood"),
        CheckConstraint(_scale("consequence"), name="consequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(
        ForeignKey("review_period.id", ondelete="CASCADE"), index=True
    )
    likelihood: Mapped[int] = mapped_column(Integer)
    consequence: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    reviewed_at: Mapped[datetime]
    source: Mapped[str | None] = mapped_column(Text)  # e.g. "arbetsbok från Ekonomichef"
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking: every UPDATE says WHERE version = <loaded>, so a change made
    # elsewhere after we loaded the row is a conflict, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class MeasureReview(Base):
    """An åtgärd's status in one review period, with any avvikelse found."""

    __tablename__ = "measure_review"
    __table_args__ = (
        UniqueConstraint("measure_id", "period_id"),
        CheckConstraint(_in("status", values(MeasureStatus)), name="status"),
        CheckConstraint(_in("result", values(ControlResult)), name="result"),
        CheckConstraint(_in("severity", values(Severity)), name="severity"),
        CheckConstraint("(deviation IS NULL) = (severity IS NULL)", name="deviation_severity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(
        ForeignKey("review_period.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    result: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    deviation: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str | None] = mapped_column(String(20))
    reviewed_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    reviewed_at: Mapped[datetime]
    source: Mapped[str | None] = mapped_column(Text)  # e.g. "arbetsbok från Ekonomichef"
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking: every UPDATE says WHERE version = <loaded>, so a change made
    # elsewhere after we loaded the row is a conflict, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class WorkbookRead(Base):
    """A follow-up workbook that has been read in: never twice, and ``riskreg workbooks
    status`` says from it which roles have answered."""

    __tablename__ = "workbook_read"
    __table_args__ = (UniqueConstraint("workbook_id", "period_id"),)  # one row per nämnd

    id: Mapped[int] = mapped_column(primary_key=True)
    workbook_id: Mapped[str] = mapped_column(String(36))
    period_id: Mapped[int] = mapped_column(
        ForeignKey("review_period.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str | None] = mapped_column(String(ROLE_NAME_MAX))  # None: without a role
    changes: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime]
    read_by: Mapped[str] = mapped_column(String(ACTOR_MAX))


class AuditEntry(Base):
    """Every change made through the services: who, when, what, before and after.

    The entries form a hash chain (``riskreg.domain.audit``): ``seq`` numbers them without
    gaps, ``prev_hash`` is the hash of entry ``seq - 1`` and ``hash`` covers this entry's
    content and ``prev_hash``. ``plan_id`` names the plan year an entry concerns (no
    foreign key: removing a plan must not rewrite its log).
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(ACTOR_MAX))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    entity_ref: Mapped[str] = mapped_column(String(AUDIT_REF_MAX))
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditChain(Base):
    """The head of the audit chain: the last entry's number and hash. A writer locks this
    one row before it chains a new entry, so two writers can never fork the chain."""

    __tablename__ = "audit_chain"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class CommitteeAccess(Base):
    """Which database roles may change a nämnd's register on a shared PostgreSQL server:
    a login role, or a group role its controllers are members of (``riskreg db roles``)."""

    __tablename__ = "committee_access"
    __table_args__ = (UniqueConstraint("committee_id", "role_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"))
    role_name: Mapped[str] = mapped_column(String(63))


class IskAssessment(Base):
    """The annual ISK-bedömning of one plan year: the grade the controller decided, the
    motivation, the account of intern styrning (krav a–b, ``governance``), and the
    FöredragningsPM frame (förslag till beslut, handläggare as a role or unit and by name,
    sammanträdesdatum, dnr, skickas till; ``send_to`` holds one recipient a line).
    """

    __tablename__ = "isk_assessment"
    __table_args__ = (CheckConstraint(_in("grade", values(Grade)), name="grade"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), unique=True)
    grade: Mapped[str | None] = mapped_column(String(40))
    motivation: Mapped[str] = mapped_column(Text, default="")
    proposal: Mapped[str] = mapped_column(Text, default="")
    handler: Mapped[str] = mapped_column(String(HANDLER_MAX), default="")
    handler_name: Mapped[str] = mapped_column(String(HANDLER_MAX), default="")
    governance: Mapped[str] = mapped_column(Text, default="")  # intern styrning, krav a–b
    meeting_date: Mapped[date | None] = mapped_column(Date)
    dnr: Mapped[str | None] = mapped_column(String(DNR_MAX))
    send_to: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking, as on the other edited tables.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
