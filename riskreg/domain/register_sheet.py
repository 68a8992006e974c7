"""The register of one plan year as a table of åtgärd rows: ``riskreg export register``.

One row per åtgärd under its risk (a risk without åtgärder gets one row of its own), the
risk's columns repeated on each row so that a spreadsheet's filter keeps them together.
Every figure comes from the register read model (``domain.register``): netto and its
level are ``risk_row``'s, which åtgärder a period covers is ``period_scope``'s, and an
acceptance that has run out is ``Acceptance.expired``'s. The columns are defined once
here, with their Swedish header and explanation, for the workbook (``report``) and the
CSV (``cli``) alike, so the two always carry the same columns.

Pure Python: the service loads the plan year, the report lays it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from riskreg.domain import register
from riskreg.domain.matrix import RiskMatrix
from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import Assessment, PeriodRef, PlanMeasure, PlanRisk, PlanSnapshot

NOT_FOLLOWED = "ej uppföljd"


@dataclass(frozen=True)
class Scored:
    """S×K with its level in the plan's matrix (name, and colour as "#rrggbb")."""

    assessment: Assessment
    level: str
    colour: str

    @property
    def text(self) -> str:
        return f"{self.assessment.label}={self.assessment.value}"


@dataclass(frozen=True)
class SheetLine:
    """One row of the register sheet."""

    area: str
    ref: str
    risk: str
    region_wide: bool
    risk_status: str
    brutto: Scored | None
    netto: Scored | None
    number: int  # the åtgärd's place under its risk (1, 2, …); 0: a risk without åtgärd
    measure: str
    roles: str
    periods: tuple[str, ...]  # the åtgärd's status in each period ("" when not covered)
    deviations: str
    acceptance: str


@dataclass(frozen=True)
class RegisterSheet:
    committee: str
    short_name: str
    year: int
    plan_status: str
    matrix: RiskMatrix
    made_on: date
    example_data: bool
    lines: tuple[SheetLine, ...]
    netto_refs: dict[tuple[int, int], tuple[str, ...]]  # (S, K) → refs with that netto
    period_kind: PeriodKind = PeriodKind.QUARTER

    @property
    def title(self) -> str:
        return f"Internkontrollplan {self.year} – {self.committee}"

    @property
    def columns(self) -> tuple[SheetColumn, ...]:
        """The sheet's columns: one per period of the plan's kind."""
        return columns(self.period_kind)


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str
    explanation: str
    text: Callable[[SheetLine], str]
    width: int  # characters, for the workbook
    level: Callable[[SheetLine], Scored | None] | None = None  # a coloured S×K cell


def _scored_text(value: Scored | None) -> str:
    return value.text if value else ""


def _level_text(value: Scored | None) -> str:
    return value.level if value else ""


def _period(kind: PeriodKind, n: int) -> SheetColumn:
    the = kind.definite
    return SheetColumn(
        kind.short(n).replace(" ", "").lower(),
        kind.heading(n),
        f"Åtgärdens status i {kind.named(n)} (ej påbörjad, pågående, genomförd, ej genomförd, "
        f"utgår), med kontrollresultat för en återkommande kontroll. ”{NOT_FOLLOWED}”: "
        f"{the} omfattar åtgärden men den är inte uppföljd; tomt: {the} omfattar "
        "den inte (den utgick eller var genomförd tidigare).",
        lambda line: line.periods[n - 1],
        13,
    )


def columns(kind: PeriodKind) -> tuple[SheetColumn, ...]:
    """The register sheet's columns for a plan followed up per ``kind``."""
    after = _AFTER
    if kind is not PeriodKind.QUARTER:
        after = tuple(
            replace(c, explanation=c.explanation.replace("med kvartal", f"med {kind.value}"))
            for c in _AFTER
        )
    return _BEFORE + tuple(_period(kind, n) for n in kind.numbers) + after


_BEFORE: tuple[SheetColumn, ...] = (
    SheetColumn(
        "verksamhet", "Verksamhet", "Verksamhet (process eller område).", lambda x: x.area, 18
    ),
    SheetColumn("ref", "Ref", "Riskens referens, densamma alla år.", lambda x: x.ref, 8),
    SheetColumn(
        "risk",
        "Risk",
        "Riskens text det här planåret. ”Regionövergripande:” framför texten: risken är "
        "gemensam för regionen.",
        lambda x: ("Regionövergripande: " if x.region_wide else "") + x.risk,
        45,
    ),
    SheetColumn(
        "riskstatus",
        "Riskstatus",
        "Aktiv, accepterad eller avslutad det här planåret.",
        lambda x: x.risk_status,
        11,
    ),
    SheetColumn(
        "brutto",
        "Brutto S×K",
        "Bruttorisk (före åtgärder): sannolikhet × konsekvens = riskvärde. Cellen har "
        "riskmatrisens färg för nivån.",
        lambda x: _scored_text(x.brutto),
        10,
        level=lambda x: x.brutto,
    ),
    SheetColumn(
        "brutto_nivå",
        "Brutto nivå",
        "Bruttoriskens nivå i riskmatrisen, i ord.",
        lambda x: _level_text(x.brutto),
        10,
    ),
    SheetColumn(
        "netto",
        "Netto S×K",
        "Nettorisk (med åtgärder) vid senaste bedömningen under planåret. Cellen har "
        "riskmatrisens färg för nivån.",
        lambda x: _scored_text(x.netto),
        10,
        level=lambda x: x.netto,
    ),
    SheetColumn(
        "netto_nivå",
        "Netto nivå",
        "Nettoriskens nivå i riskmatrisen, i ord.",
        lambda x: _level_text(x.netto),
        10,
    ),
    SheetColumn(
        "nr",
        "Nr",
        "Åtgärdens nummer under risken (1, 2, …).",
        lambda x: str(x.number) if x.number else "",
        4,
    ),
    SheetColumn("åtgärd", "Åtgärd", "Åtgärdens text det här planåret.", lambda x: x.measure, 45),
    SheetColumn(
        "ansvariga",
        "Ansvariga",
        "Roller som ansvarar för åtgärden, åtskilda med semikolon.",
        lambda x: x.roles,
        20,
    ),
)
_AFTER: tuple[SheetColumn, ...] = (
    SheetColumn(
        "avvikelser",
        "Avvikelser",
        "Avvikelser som rapporterats för åtgärden under året, med kvartal och allvarlighetsgrad.",
        lambda x: x.deviations,
        35,
    ),
    SheetColumn(
        "acceptans",
        "Acceptans",
        "För en accepterad risk: vem som accepterade den, till och med när och varför. "
        "”Har gått ut” när dagen efter till och med-datumet har passerats på dagen för "
        "utdraget.",
        lambda x: x.acceptance,
        35,
    ),
)


def build_sheet(snapshot: PlanSnapshot, short_name: str, made_on: date) -> RegisterSheet:
    """The sheet of a plan year, its rows in plan order, dated ``made_on`` (which is
    also the day an acceptance's expiry is judged on)."""
    plan = snapshot.plan
    matrix = plan.matrix
    lines: list[SheetLine] = []
    netto_refs: dict[tuple[int, int], list[str]] = {}
    scopes = [register.period_scope(snapshot.risks, p) for p in plan.periods]
    covered = {
        period.number: {m.id for _, m in scope.measures}
        for period, scope in zip(plan.periods, scopes, strict=True)
    }
    for risk in snapshot.risks:
        row = register.risk_row(plan, risk)
        brutto = _scored(matrix, risk.brutto)
        netto = _scored(matrix, row.netto)
        if row.netto is not None:
            netto_refs.setdefault((row.netto.likelihood, row.netto.consequence), []).append(
                risk.ref
            )
        alone = SheetLine(
            area=risk.area,
            ref=risk.ref,
            risk=risk.text,
            region_wide=risk.region_wide,
            risk_status=risk.status.value,
            brutto=brutto,
            netto=netto,
            number=0,
            measure="",
            roles="",
            periods=("",) * plan.period_kind.per_year,
            deviations="",
            acceptance=_acceptance(risk, made_on),
        )
        if not risk.measures:
            lines.append(alone)
        for number, measure in enumerate(risk.measures, start=1):
            statuses = tuple(
                _status(measure, plan.period(n), measure.id in covered.get(n, set()))
                for n in plan.period_kind.numbers
            )
            lines.append(
                replace(
                    alone,
                    number=number,
                    measure=("Regionövergripande åtgärd: " if measure.region_wide else "")
                    + measure.text,
                    roles="; ".join(measure.roles),
                    periods=statuses,
                    deviations=_deviations(measure, plan.year),
                )
            )
    return RegisterSheet(
        committee=plan.committee,
        short_name=short_name,
        year=plan.year,
        plan_status=plan.status.value,
        matrix=matrix,
        made_on=made_on,
        example_data=plan.example_data,
        lines=tuple(lines),
        netto_refs={cell: tuple(refs) for cell, refs in netto_refs.items()},
        period_kind=plan.period_kind,
    )


def _scored(matrix: RiskMatrix, value: Assessment | None) -> Scored | None:
    index = register.level_of(matrix, value)
    if value is None or index is None:
        return None
    level = matrix.levels[index]
    return Scored(value, level.name, level.colour)


def _status(measure: PlanMeasure, period: PeriodRef, covered: bool) -> str:
    review = measure.review_in(period)
    if review is None:
        return NOT_FOLLOWED if covered else ""
    result = f" ({review.result.value})" if review.result else ""
    return review.status.value + result


def _deviations(measure: PlanMeasure, year: int) -> str:
    found = [
        r.period.short + (f" ({r.severity.value})" if r.severity else "") + f": {r.deviation}"
        for r in measure.reviews
        if r.period.year == year and r.deviation
    ]
    return "\n".join(found)


def _acceptance(risk: PlanRisk, on: date) -> str:
    accepted = risk.acceptance
    if accepted is None:
        return ""
    until = f" t.o.m. {accepted.until.isoformat()}" if accepted.until else " tills vidare"
    expired = " – har gått ut" if accepted.expired(on) else ""
    return f"Accepterad av {accepted.by}{until}{expired}: {accepted.reason}"


COLUMNS = columns(PeriodKind.QUARTER)  # a quarter plan's, as the sheet always had
