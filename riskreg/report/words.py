"""Words both report formats (PDF and HTML) print for the register's values, kept in one
place so the two never describe the same thing differently. Pure Python."""

from __future__ import annotations

from datetime import date

from riskreg.domain.isk import KeyFigures
from riskreg.domain.isk_content import RiskLine
from riskreg.domain.records import Assessment, Trend
from riskreg.domain.scales import ControlResult, RiskStatus
from riskreg.domain.text import count_of, percent

TREND_WORD = {
    Trend.UP: "ökar",
    Trend.DOWN: "minskar",
    Trend.SAME: "oförändrad",
    Trend.FIRST: "första",
}
RESULT_WORD = {
    ControlResult.NO_REMARK: "utan anmärkning",
    ControlResult.DEVIATION: "med avvikelse",
    ControlResult.NOT_PERFORMED: "ej utförd",
}
MISSING = "saknas"


def data_source(as_of: date | None) -> str:
    """The footer line of every report: where the data come from and how recent they are."""
    return f"Uppgifter ur riskreg, läge {as_of.isoformat()}" if as_of else "Uppgifter ur riskreg"


def assessment_label(value: Assessment | None) -> str:
    return "–" if value is None else f"{value.likelihood}×{value.consequence}"


def figure_rows(f: KeyFigures) -> list[tuple[str, str, str]]:
    """The key figures table: label, figure, what it consists of."""
    share = f.carried_out_percent
    return [
        (
            "Risker i planen",
            f"{f.risks}",
            f"{f.region_wide} regionövergripande, "
            f"{count_of(f.accepted, 'accepterad', 'accepterade')}, "
            f"{count_of(f.closed, 'avslutad', 'avslutade')}",
        ),
        ("Verksamheter", f"{f.areas}", ""),
        (
            "Åtgärder",
            f"{f.measures}",
            f"{count_of(f.recurring, 'återkommande kontroll', 'återkommande kontroller')}, "
            f"{count_of(f.measures - f.recurring, 'engångsåtgärd', 'engångsåtgärder')}",
        ),
        (
            "Verkställda åtgärder",
            f"{f.carried_out} av {f.counted}",
            percent(share) if share is not None else "–",
        ),
        ("Åtgärder utan angiven ansvarig roll", f"{f.without_role}", ""),
        (
            "Avvikelser under året",
            f"{f.deviations}",
            ", ".join(f"{t.label} {t.count}" for t in f.deviations_by_severity),
        ),
    ]


def risk_notes(risk: RiskLine) -> str:
    """What stands under a risk's text: region-wide, krav, brutto, accepted or closed."""
    notes = []
    if risk.region_wide:
        notes.append("regionövergripande")
    if risk.requirement:
        notes.append(f"krav {risk.requirement}")
    notes.append(f"brutto {assessment_label(risk.brutto)}")
    if risk.status is RiskStatus.ACCEPTED and risk.acceptance is not None:
        until = risk.acceptance.until.isoformat() if risk.acceptance.until else "tills vidare"
        notes.append(f"accepterad till {until} (se avsnitt 7)")
    elif risk.status is RiskStatus.CLOSED:
        notes.append("avslutad")
    return "; ".join(notes)
