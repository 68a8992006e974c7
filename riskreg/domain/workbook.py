"""A follow-up workbook as data: what is sent to an åtgärd owner, and the one rule for its
checksum. Pure Python; ``report.followup_xlsx`` lays it out and ``services.workbook_file``
reads it back, both through the column layout defined here.

The hidden sheet carries the ids, the row versions and SHA-256 sums of the locked
content: one per row (so an edited locked cell is named by its row) and one over the
workbook's identity and all rows (so an edited hidden sheet or title is caught too). The
sums detect edits made in a spreadsheet program; they are not a signature, since anyone
who reads this code can recompute them, which is why a workbook is also checked against
the register (ids, period, plan, versions) when it is read.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from riskreg.domain.matrix import RiskMatrix, span
from riskreg.domain.periods import PeriodKind, PeriodRef
from riskreg.domain.scales import ControlResult, MeasureStatus, Severity, values
from riskreg.domain.text import ascii_slug

FORMAT = "riskreg-uppföljning"
FORMAT_VERSION = "1"
DATA_SHEET = "Åtgärder"
INFO_SHEET = "Instruktioner"
HIDDEN_SHEET = "riskreg"
HIDDEN_ROWS_AT = 15  # 1-based row of the hidden sheet's first row entry (headings above)
# Each row's entry is two cells: its Id, and the rest in one text (fewer cells to read).
HIDDEN_HEADINGS = (
    "id",
    "plan;åtgärd;risk;åtgärdsversion;riskversion;återkommande;netto;radsumma",
)
HEADER_ROW = 4  # 1-based row of the column headings on the data sheet
FIRST_ROW = HEADER_ROW + 1
NO_ROLE = "utan ansvarig roll"
HINT = (
    "Fyll i de gula kolumnerna (Status till Netto K). En tom cell betyder inget svar. "
    "Övriga celler är låsta; ändra inte rader eller blad."
)

# The locked columns, shown to the owner as context, in order (A, B, ...).
LOCKED_COLUMNS = (
    "Id",
    "Verksamhet",
    "Risk",
    "Åtgärd",
    "Typ",
    "Ansvariga",
    "Senast uppföljd",
    "Senaste status",
    "Senaste kommentar",
    "Senaste netto",
)
# The columns the owner fills in, after the locked ones. The netto columns' headings add
# their scale when all the workbook's plans share one ("Netto S (1–5)"; see
# FollowUpWorkbook.input_headings).
INPUT_COLUMNS = (
    "Status",
    "Kontrollresultat",
    "Kommentar",
    "Avvikelse",
    "Allvarlighet",
    "Netto S",
    "Netto K",
)
NETTO_COLUMNS = 2  # the last two input columns: Netto S and Netto K
STATUS_COLUMN = len(LOCKED_COLUMNS)  # 0-based index of "Status"
STATUSES = values(MeasureStatus)
RESULTS = values(ControlResult)
SEVERITIES = values(Severity)


@dataclass(frozen=True)
class WorkbookRow:
    """One åtgärd to follow up, with its risk; ``texts`` are the locked cells."""

    plan_id: int  # the plan year (and so the nämnd) the åtgärd is followed up in
    measure_id: int
    risk_id: int
    texts: tuple[str, ...]  # one per LOCKED_COLUMNS
    recurring: bool  # only a recurring control has a kontrollresultat
    asks_netto: bool  # the first row of its risk in the workbook proposes the netto
    measure_version: int | None  # the åtgärd's review in the period, None if none yet
    risk_version: int | None  # the risk's review in the period, None if none yet

    @property
    def key(self) -> str:
        return self.texts[0]

    @cached_property
    def digest(self) -> str:
        """The row's SHA-256 (worked out once: the checksum and the hidden sheet use it)."""
        return _sha256(
            [
                self.plan_id,
                self.measure_id,
                self.risk_id,
                [normalised(t) for t in self.texts],
                self.recurring,
                self.asks_netto,
                self.measure_version,
                self.risk_version,
            ]
        )


def entry(row: WorkbookRow) -> str:
    """The hidden sheet's text for a row (see HIDDEN_HEADINGS)."""
    versions = ["" if v is None else str(v) for v in (row.measure_version, row.risk_version)]
    flags = ["1" if f else "0" for f in (row.recurring, row.asks_netto)]
    ids = [str(row.plan_id), str(row.measure_id), str(row.risk_id)]
    return ";".join([*ids, *versions, *flags, row.digest])


def from_entry(text: str, texts: tuple[str, ...]) -> tuple[WorkbookRow, str]:
    """A row from its hidden entry and its locked cells as read, and the stored sum; a
    ``ValueError`` when the entry is not one ``entry`` wrote."""
    parts = text.split(";")
    if len(parts) != 8:
        raise ValueError(text)
    plan, measure, risk, measure_version, risk_version, recurring, netto, digest = parts
    row = WorkbookRow(
        plan_id=int(plan),
        measure_id=int(measure),
        risk_id=int(risk),
        texts=texts,
        recurring=recurring == "1",
        asks_netto=netto == "1",
        measure_version=int(measure_version) if measure_version else None,
        risk_version=int(risk_version) if risk_version else None,
    )
    return row, digest


@dataclass(frozen=True)
class WorkbookInfo:
    """Who a workbook is for and which period it answers."""

    workbook_id: str
    committee: str  # the nämnd, or how many nämnder the workbook covers
    plan_ids: tuple[int, ...]  # one plan year per nämnd
    year: int
    number: int  # the period's number in the plan year
    role: str | None  # None: the åtgärder without a responsible role
    deadline: date | None
    created_at: datetime
    created_by: str
    period_kind: PeriodKind = PeriodKind.QUARTER

    @property
    def period(self) -> PeriodRef:
        return PeriodRef(self.year, self.number, self.period_kind)

    @property
    def role_label(self) -> str:
        return self.role if self.role is not None else NO_ROLE

    @property
    def source(self) -> str:
        """How an answer from this workbook is marked in the review and the log."""
        return f"arbetsbok från {self.role_label}"

    @property
    def title(self) -> str:
        return f"Uppföljning {self.period.label} – {self.role_label}"

    @property
    def subtitle(self) -> str:
        due = f"Svara senast {self.deadline.isoformat()}" if self.deadline else "Inget svarsdatum"
        return f"{self.committee} · {due}"

    def fields(self) -> tuple[tuple[str, str], ...]:
        """The identity as (name, text) pairs: the hidden sheet's top rows."""
        return (
            ("format", FORMAT),
            ("formatversion", FORMAT_VERSION),
            ("arbetsbok", self.workbook_id),
            ("nämnd", self.committee),
            ("planer", ",".join(map(str, self.plan_ids))),
            ("år", str(self.year)),
            # The kind names the field ("kvartal": 2), so a quarter's workbook reads (and
            # sums) as it always has.
            (self.period_kind.value, str(self.number)),
            ("roll", self.role or ""),
            ("svara senast", self.deadline.isoformat() if self.deadline else ""),
            ("skapad", self.created_at.isoformat()),
            ("skapad av", self.created_by),
        )


@dataclass(frozen=True)
class FollowUpWorkbook:
    info: WorkbookInfo
    rows: tuple[WorkbookRow, ...]
    matrices: Mapping[int, RiskMatrix]  # each plan's (by id): the scales of its netto

    def matrix(self, row: WorkbookRow) -> RiskMatrix:
        return self.matrices[row.plan_id]

    def shared_matrix(self) -> RiskMatrix | None:
        """The matrix of every plan in the workbook, or None when they differ."""
        found = {self.matrices[plan_id] for plan_id in self.info.plan_ids}
        return found.pop() if len(found) == 1 else None

    def input_headings(self) -> tuple[str, ...]:
        """INPUT_COLUMNS, the netto columns with their scale when the plans share one."""
        shared = self.shared_matrix()
        if shared is None:
            return INPUT_COLUMNS
        scales = (shared.likelihood_scale, shared.consequence_scale)
        netto = tuple(
            f"{name} ({span(scale)})"
            for name, scale in zip(INPUT_COLUMNS[-NETTO_COLUMNS:], scales, strict=True)
        )
        return (*INPUT_COLUMNS[:-NETTO_COLUMNS], *netto)

    def head(self) -> tuple[str, ...]:
        """The locked cells above the rows: title, subtitle, hint and column headings."""
        return (
            self.info.title,
            self.info.subtitle,
            HINT,
            *LOCKED_COLUMNS,
            *self.input_headings(),
        )

    def checksum(self) -> str:
        return checksum(self.info.fields(), self.head(), self.rows)


def checksum(
    fields: tuple[tuple[str, str], ...], head: tuple[str, ...], rows: tuple[WorkbookRow, ...]
) -> str:
    """The sum over the identity, the locked cells above the rows and every row's sum."""
    return _sha256(
        [[list(f) for f in fields], [normalised(t) for t in head], [r.digest for r in rows]]
    )


def normalised(text: str) -> str:
    """Text as compared after a spreadsheet program saved it: line ends and Unicode
    composition may change, the text may not."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def file_stem(role: str | None, period: PeriodRef) -> str:
    """``uppfoljning-2024-kv2-ekonomichef`` (``-t2-``, ``-h1-``): letters, digits and dashes
    only, so no file system or shell minds (/ \\ : * ? " < > | and control characters go
    with the rest)."""
    slug = ascii_slug(role if role is not None else "utan roll")[:80].strip("-")
    return f"uppfoljning-{period.year}-{period.slug}-{slug or 'roll'}"


def _sha256(value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()
