"""The words of the delår follow-up report that both formats print (PDF and HTML), so the
two documents say the same thing. Pure Python."""

from __future__ import annotations

from collections import Counter

from riskreg.domain.followup import AreaFollowUp, FollowUpReport, MeasureFollowUp, RiskFollowUp
from riskreg.domain.isk_content import NOT_FOLLOWED_UP
from riskreg.domain.records import Assessment, PeriodRef, Trend
from riskreg.domain.scales import Severity
from riskreg.domain.text import count_of, swedish_key
from riskreg.report.words import TREND_WORD

HIGHEST_INTRO = (
    "Risker vars senaste nettobedömning ligger på matrisens högsta nivå och det som görs åt "
    "dem; åtgärderna i sin helhet står i avsnitt 5."
)
AREAS_INTRO = (
    "Varje risk med senaste nettobedömning till och med perioden och förändringen sedan "
    "bedömningen före (som nivåer i riskmatrisen, inte S × K), därunder åtgärderna med "
    "ansvariga och status i perioden."
)
NOT_REVIEWED = (
    "Ingen uppföljning är registrerad för perioden. Rapporten visar planens risker och "
    "åtgärder som de ska följas upp, med den senaste bedömningen före perioden."
)


def subtitle(r: FollowUpReport) -> str:
    locked = (
        f"perioden låst {r.locked_on.isoformat()}" if r.locked and r.locked_on else "perioden öppen"
    )
    as_of = f" · senaste uppgift {r.as_of.isoformat()}" if r.as_of else ""
    return (
        f"{r.committee} · internkontrollplan {r.year} ({r.plan_status.value}) · "
        f"{r.period.label}, {locked}{as_of}"
    )


def _level(value: Assessment | None, level: int | None, r: FollowUpReport) -> str:
    if value is None or level is None:
        return "ej bedömd"
    return f"{value.label} {r.matrix.levels[level].name.lower()}"


def netto_text(risk: RiskFollowUp, r: FollowUpReport) -> str:
    """ "3×3 hög", with the period when the latest assessment is from before it."""
    shown = _level(risk.netto, risk.level, r)
    if risk.netto_period is not None and risk.netto_period != r.period:
        shown += f" (bedömd {_when(risk.netto_period, r)}, inte i perioden)"
    return shown


def risk_state(risk: RiskFollowUp, r: FollowUpReport) -> str:
    """The risk's own line in the status column: assessed in the period, or not."""
    return "bedömd" if risk.reviewed_in(r.period) else "ej bedömd i perioden"


def acceptance_text(risk: RiskFollowUp) -> str:
    """Who accepted the risk instead of handling it, until when and why ("" if nobody)."""
    a = risk.acceptance
    if a is None:
        return ""
    until = a.until.isoformat() if a.until else "tills vidare"
    return f"Accepterad av {a.by} till och med {until}: {a.reason}"


def change_text(risk: RiskFollowUp, r: FollowUpReport) -> str:
    """ "ökar från 2×3 medel (2024 kv 1)" — the trend rule of the read model in words."""
    if risk.trend is None:
        return "–"
    word = TREND_WORD[risk.trend]
    if risk.previous is None or risk.previous_period is None:
        return f"{word} bedömning"
    when = _when(risk.previous_period, r)
    if risk.trend is Trend.SAME:
        return f"{word} sedan {when} ({risk.previous.label})"
    return f"{word} från {_level(risk.previous, risk.previous_level, r)} ({when})"


def _when(period: PeriodRef, r: FollowUpReport) -> str:
    """ "kv 1" within the report's year, "2023 kv 4" before it."""
    return period.short if period.year == r.year else period.label


def followup_tallies(
    r: FollowUpReport,
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(åtgärder per status in use, avvikelser per every severity) in the period."""
    by = Counter(d.severity for d in r.deviations)
    return (
        [(t.label, t.count) for t in r.measures_by_status],
        [(s.value, by[s]) for s in reversed(list(Severity))],
    )


def doing_text(risk: RiskFollowUp, area: str) -> str:
    """What is done about a risk, in one sentence: its åtgärder by status, their roles."""
    if not risk.measures:
        base = "Inga åtgärder att följa upp i perioden"
    else:
        by = Counter(m.status.value if m.status else NOT_FOLLOWED_UP for m in risk.measures)
        parts = ", ".join(f"{count} {status}" for status, count in by.items())
        base = f"{count_of(len(risk.measures), 'åtgärd', 'åtgärder')}: {parts}"
    roles = sorted({r for m in risk.measures for r in m.roles}, key=swedish_key)
    if roles:
        base += f"; ansvariga: {', '.join(roles)}"
    if risk.acceptance is not None:
        base += f"; risken är accepterad av {risk.acceptance.by}"
    return f"{base} (se {area})."


def area_line(area: AreaFollowUp) -> str:
    """ "Ekonomi (6 risker; åtgärder: 7 pågående, 1 genomförd)"."""
    count = len(area.risks)
    measures = ", ".join(f"{t.count} {t.label}" for t in area.measures_by_status)
    return f"{area.name} ({count} {'risk' if count == 1 else 'risker'}" + (
        f"; åtgärder: {measures})" if measures else ")"
    )


def comment_text(m: MeasureFollowUp) -> str:
    """What the åtgärdsansvarig reported with the status, as the report quotes it."""
    return f"Kommentar: {m.comment}" if m.comment else ""
