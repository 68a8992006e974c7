"""The annual ISK-bedömning: the grade, the stored conclusion and the suggestion rule
with the figures it reads. The report content built from them is ``isk_content``.

Glossary: *verkställd* åtgärd = carried out (see ``carried_out``); *fungerande* åtgärd =
working (see ``working``); *röd* risk = netto in the matrix's highest level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from riskreg.domain.errors import InvalidInput
from riskreg.domain.periods import PeriodKind
from riskreg.domain.records import (
    MeasureReviewRecord,
    PeriodRef,
    PlanMeasure,
    PlanRisk,
    RiskReviewRecord,
)
from riskreg.domain.scales import (
    ControlResult,
    MeasureKind,
    MeasureStatus,
)
from riskreg.domain.text import count_of, percent


class Grade(StrEnum):
    """The conclusion on intern styrning och kontroll, best first."""

    SUFFICIENT = "tillräcklig"
    MOSTLY = "i allt väsentligt tillräcklig"
    INSUFFICIENT = "inte tillräcklig"

    @property
    def label(self) -> str:
        """As a heading or table cell: "I allt väsentligt tillräcklig"."""
        return self.value[0].upper() + self.value[1:]

    @property
    def rank(self) -> int:
        return list(Grade).index(self)


def worst(grades: Iterable[Grade]) -> Grade:
    return max(grades, key=lambda g: g.rank, default=Grade.SUFFICIENT)


def parse_grade(raw: str) -> Grade:
    """A grade as a user types it: full text, any case, hyphens for spaces."""
    wanted = " ".join(raw.replace("-", " ").replace("_", " ").split()).casefold()
    aliases = {"väsentligen": Grade.MOSTLY, "delvis": Grade.MOSTLY, "inte": Grade.INSUFFICIENT}
    for grade in Grade:
        if grade.value == wanted:
            return grade
    if wanted in aliases:
        return aliases[wanted]
    choices = ", ".join(f"”{g.value}”" for g in Grade)
    raise InvalidInput(f"Okänt betyg ”{raw}”: välj {choices}.")


# -- the stored conclusion -----------------------------------------------------------------


@dataclass(frozen=True)
class ConclusionFields:
    """What the controller sets: the grade and the FöredragningsPM frame."""

    grade: Grade | None = None
    motivation: str = ""
    proposal: str = ""  # förslag till beslut: one "att …" per line
    handler: str = ""  # handläggare as a role or unit
    handler_name: str = ""  # the handläggare's own name (the user's own data), beside the role
    governance: str = ""  # intern styrning (krav a–b): goals, uppdrag, budget; free text
    meeting_date: date | None = None
    dnr: str | None = None
    send_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class IskConclusion:
    """The stored conclusion of one plan year; ``version == 0`` means nothing stored yet."""

    plan_id: int
    committee: str
    year: int
    fields: ConclusionFields
    updated_at: datetime | None
    updated_by: str | None
    version: int

    @property
    def stored(self) -> bool:
        return self.version > 0


# -- the suggestion rule -------------------------------------------------------------------

# Thresholds of the rule, in whole percent: the rule is applied to the percentage the report
# prints (``whole_percent``), so a reader can check it. They are printed in the report
# (``RULE_TEXT``), so change both.
CARRIED_OUT_SUFFICIENT = 90
CARRIED_OUT_INSUFFICIENT = 60
SERIOUS_DEVIATIONS_INSUFFICIENT = 3
NEVER_REVIEWED_INSUFFICIENT = 25

RULE_TEXT: tuple[str, ...] = (
    "Förslaget räknas fram ur registrets uppgifter för planåret. Varje kriterium nedan "
    "sätter ett högsta möjliga betyg; det föreslagna betyget är det lägsta av dem.",
    "1. Verkställda åtgärder: minst 90\u00a0% ger ingen begränsning, 60–89\u00a0% ger högst "
    "”i allt väsentligt tillräcklig”, under 60\u00a0% ger ”inte tillräcklig”. En åtgärd räknas "
    "som verkställd om den vid årets sista uppföljning är genomförd, eller om den är en "
    "återkommande kontroll som utförs (pågående med kontrollresultat). Åtgärder som utgått "
    "räknas inte.",
    "2. Röda nettorisker: en risk i matrisens högsta nivå vid årets sista bedömning som "
    "saknar fungerande åtgärd (en återkommande kontroll som utförs eller en genomförd "
    "engångsåtgärd, se Metod) och inte är accepterad ger ”inte tillräcklig”; röda nettorisker med "
    "fungerande åtgärd ger högst ”i allt väsentligt tillräcklig”.",
    "3. Allvarliga avvikelser under året: 1–2 ger högst ”i allt väsentligt tillräcklig”, "
    "3 eller fler ger ”inte tillräcklig”.",
    "4. Risker som inte bedömts någon gång under året: någon ger högst ”i allt väsentligt "
    "tillräcklig”, fler än 25\u00a0% av riskerna ger ”inte tillräcklig”.",
    "5. Uppföljningens fullständighet: saknas bedömning eller åtgärdsuppföljning i något "
    "kvartal ger det högst ”i allt väsentligt tillräcklig”.",
)


def rule_text(kind: PeriodKind) -> tuple[str, ...]:
    """``RULE_TEXT`` in the words of the plan's periods (a quarter plan's is unchanged)."""
    if kind is PeriodKind.QUARTER:
        return RULE_TEXT
    return (*RULE_TEXT[:-1], RULE_TEXT[-1].replace("något kvartal", f"något {kind.value}"))


@dataclass(frozen=True)
class Finding:
    """One criterion of the rule: what was observed and the highest grade it allows."""

    criterion: str
    observed: str
    cap: Grade


@dataclass(frozen=True)
class Suggestion:
    grade: Grade
    findings: tuple[Finding, ...]

    @property
    def limiting(self) -> tuple[Finding, ...]:
        """The findings that pulled the grade below "tillräcklig"."""
        return tuple(f for f in self.findings if f.cap is not Grade.SUFFICIENT)


# -- content records -----------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodCoverage:
    number: int  # the period's number in the plan year
    risks_reviewed: int
    risks_expected: int
    measures_reviewed: int
    measures_expected: int
    locked: bool
    missing_risks: tuple[str, ...]
    kind: PeriodKind = PeriodKind.QUARTER

    @property
    def name(self) -> str:
        """ "Kvartal 2", "Tertial 2", "Halvår 1"."""
        return self.kind.named(self.number).capitalize()

    @property
    def complete(self) -> bool:
        return (
            self.risks_reviewed >= self.risks_expected
            and self.measures_reviewed >= self.measures_expected
        )

    @property
    def empty(self) -> bool:
        return self.risks_reviewed == 0 and self.measures_reviewed == 0


@dataclass(frozen=True)
class Coverage:
    periods: tuple[PeriodCoverage, ...]
    never_reviewed: tuple[str, ...]  # risks with no netto in the plan year
    kind: PeriodKind = PeriodKind.QUARTER

    @property
    def complete(self) -> bool:
        return all(q.complete for q in self.periods) and not self.never_reviewed

    def statements(self) -> tuple[str, ...]:
        """What is missing, in plain Swedish; empty when the year is complete."""
        lines: list[str] = []
        nothing = all(q.empty for q in self.periods)
        if nothing:
            lines.append(f"Inget {self.kind.value} under året är uppföljt.")
        for q in self.periods:
            if q.complete or nothing:
                continue
            if q.empty:
                lines.append(f"{q.name} är inte uppföljt alls.")
                continue
            parts = []
            if q.risks_reviewed < q.risks_expected:
                parts.append(
                    f"{q.risks_expected - q.risks_reviewed} av {q.risks_expected} risker "
                    "saknar nettobedömning"
                    + (f" ({ref_list(q.missing_risks)})" if q.missing_risks else "")
                )
            if q.measures_reviewed < q.measures_expected:
                parts.append(
                    f"{q.measures_expected - q.measures_reviewed} av {q.measures_expected} "
                    "åtgärder saknar uppföljning"
                )
            lines.append(f"{q.name}: " + " och ".join(parts) + ".")
        if self.never_reviewed:
            lines.append(
                f"{count_of(len(self.never_reviewed), 'risk', 'risker')} har inte bedömts "
                f"någon gång under året: {ref_list(self.never_reviewed)}."
            )
        return tuple(lines)


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class KeyFigures:
    risks: int
    areas: int
    region_wide: int
    accepted: int
    closed: int
    measures: int
    recurring: int
    without_role: int
    measures_by_status: tuple[Tally, ...]  # latest status in the year, plus "ej uppföljd"
    carried_out: int
    counted: int  # åtgärder that count towards the share (not utgått)
    deviations_by_severity: tuple[Tally, ...]
    brutto_by_level: tuple[Tally, ...]
    netto_by_level: tuple[Tally, ...]

    @property
    def carried_out_percent(self) -> int | None:
        return whole_percent(self.carried_out, self.counted) if self.counted else None

    @property
    def deviations(self) -> int:
        return sum(t.count for t in self.deviations_by_severity)

    @property
    def netto_assessed(self) -> int:
        """Risks with a netto assessment in the plan year."""
        return self.risks - (self.netto_by_level[-1].count if self.netto_by_level else 0)


def _in_year(year: int, review: RiskReviewRecord | MeasureReviewRecord | None) -> bool:
    return review is not None and review.period.year == year


def year_end_review(risk: PlanRisk, year: int) -> RiskReviewRecord | None:
    review = risk.latest_review(PeriodRef.end_of(year))
    return review if _in_year(year, review) else None


def year_end_status(measure: PlanMeasure, year: int) -> MeasureReviewRecord | None:
    review = measure.latest_review(PeriodRef.end_of(year))
    return review if _in_year(year, review) else None


def carried_out(review: MeasureReviewRecord | None, kind: MeasureKind) -> bool:
    """Verkställd: done, or a recurring control that is being performed."""
    if review is None:
        return False
    if review.status is MeasureStatus.DONE:
        return True
    return (
        kind is MeasureKind.RECURRING
        and review.status is MeasureStatus.IN_PROGRESS
        and review.result in (ControlResult.NO_REMARK, ControlResult.DEVIATION)
    )


# What the report's evidence covers, printed in the report: the grade is on intern styrning
# och kontroll, the register holds only the internkontrollplan (krav c–e).
SCOPE_TEXT = (
    "Bedömningen gäller den interna styrningen och kontrollen. Underlaget ur riskregistret "
    "avser den interna kontrollen, krav c–e: att styrdokument, lagar, förordningar och avtal "
    "följs (c), att rapporteringen och uppföljningen av verksamhet och ekonomi är rättvisande "
    "och ändamålsenlig (d) och informationssäkerheten (e), genom internkontrollplanens "
    "risker och åtgärder. Den interna styrningen, krav a–b (att uppdrag och beslutade mål "
    "nås och att budgetramen hålls), följs upp i nämndens verksamhets- och "
    "ekonomiuppföljning och redovisas under Intern styrning."
)
GOVERNANCE_MISSING = (
    "Uppgift saknas. Ingen redovisning av den interna styrningen (krav a–b) har lagts in "
    "(riskreg isk set --styrning). Bedömningen vilar då bara på den interna kontrollen."
)


# The definition of a "fungerande åtgärd", printed in the report's Metod; ``working`` is
# the rule itself.
WORKING_TEXT = (
    "En fungerande åtgärd är, vid årets sista uppföljning, en återkommande kontroll som "
    "utförs (genomförd eller pågående, och inte med resultatet ”ej utförd”) eller en "
    "engångsåtgärd som är genomförd. En engångsåtgärd som fortfarande pågår räknas inte, "
    "hur länge den än har pågått: den har ännu inte fått avsedd effekt."
)


def working(kind: MeasureKind, review: MeasureReviewRecord | None) -> bool:
    """Fungerande (``WORKING_TEXT``): a recurring control performed, or a one-off done."""
    if review is None or review.result is ControlResult.NOT_PERFORMED:
        return False
    if kind is MeasureKind.ONE_OFF:
        return review.status is MeasureStatus.DONE
    return review.status in (MeasureStatus.DONE, MeasureStatus.IN_PROGRESS)


def suggest(
    figures: KeyFigures,
    coverage: Coverage,
    red_without_working: tuple[str, ...],
    red_with_working: tuple[str, ...],
    serious: int,
) -> Suggestion:
    """The rule of ``RULE_TEXT`` over the year's figures."""
    findings: list[Finding] = []

    share = figures.carried_out_percent
    if share is None:
        findings.append(
            Finding("Verkställda åtgärder", "Planen har inga åtgärder att följa upp.", Grade.MOSTLY)
        )
    else:
        cap = (
            Grade.SUFFICIENT
            if share >= CARRIED_OUT_SUFFICIENT
            else Grade.MOSTLY
            if share >= CARRIED_OUT_INSUFFICIENT
            else Grade.INSUFFICIENT
        )
        findings.append(
            Finding(
                "Verkställda åtgärder",
                f"{figures.carried_out} av {figures.counted} åtgärder ({percent(share)}).",
                cap,
            )
        )

    if red_without_working:
        observed = (
            f"{count_of(len(red_without_working), 'röd nettorisk', 'röda nettorisker')} utan "
            f"fungerande åtgärd: {ref_list(red_without_working)}."
        )
        findings.append(Finding("Röda nettorisker", observed, Grade.INSUFFICIENT))
    elif red_with_working:
        observed = (
            f"{count_of(len(red_with_working), 'röd nettorisk', 'röda nettorisker')}, alla med "
            f"fungerande åtgärd: {ref_list(red_with_working)}."
        )
        findings.append(Finding("Röda nettorisker", observed, Grade.MOSTLY))
    else:
        observed = (
            "Ingen risk i högsta nivån vid årets slut."
            if figures.netto_assessed
            else "Ingen risk har någon nettobedömning för året (se kriterium 4)."
        )
        findings.append(Finding("Röda nettorisker", observed, Grade.SUFFICIENT))

    serious_cap = (
        Grade.INSUFFICIENT
        if serious >= SERIOUS_DEVIATIONS_INSUFFICIENT
        else Grade.MOSTLY
        if serious
        else Grade.SUFFICIENT
    )
    findings.append(
        Finding(
            "Allvarliga avvikelser",
            f"{count_of(serious, 'allvarlig avvikelse', 'allvarliga avvikelser')} "
            f"av totalt {figures.deviations}."
            if serious
            else "Inga allvarliga avvikelser (totalt "
            f"{count_of(figures.deviations, 'avvikelse', 'avvikelser')}).",
            serious_cap,
        )
    )

    never = len(coverage.never_reviewed)
    never_share = whole_percent(never, figures.risks) if figures.risks else 0
    findings.append(
        Finding(
            "Risker som aldrig bedömts",
            f"{never} av {figures.risks} risker ({percent(never_share)})"
            + (f": {ref_list(coverage.never_reviewed)}." if never else "."),
            Grade.INSUFFICIENT
            if never_share > NEVER_REVIEWED_INSUFFICIENT
            else Grade.MOSTLY
            if never
            else Grade.SUFFICIENT,
        )
    )

    kind = coverage.kind
    incomplete = [q.number for q in coverage.periods if not q.complete]
    findings.append(
        Finding(
            "Uppföljningens fullständighet",
            f"{kind.all_periods.capitalize()} är fullständigt uppföljda."
            if not incomplete
            else f"Ofullständigt uppföljda {kind.value}: "
            + ", ".join(kind.short(q) for q in incomplete)
            + ".",
            Grade.MOSTLY if incomplete else Grade.SUFFICIENT,
        )
    )
    return Suggestion(worst(f.cap for f in findings), tuple(findings))


# -- building the report -------------------------------------------------------------------


def whole_percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole percent, rounded the Swedish way (half up, so
    177 of 200 = 88.5 % is 89 %), in exact integer arithmetic. The report prints this
    figure and the rule is applied to it, so "90 %" never counts as below 90 %."""
    return (200 * part + whole) // (2 * whole)


def ref_list(refs: tuple[str, ...] | list[str], limit: int = 12) -> str:
    shown = ", ".join(refs[:limit])
    return shown if len(refs) <= limit else f"{shown} med flera ({len(refs)} totalt)"


def sentence(parts: list[str]) -> str:
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]
    return text[0].upper() + text[1:] + "."
