"""Words both report formats (PDF and HTML) print for the register's values, kept in one
place so the two never describe the same thing differently. Pure Python."""

from __future__ import annotations

from riskreg.domain.records import Assessment, Trend
from riskreg.domain.scales import ControlResult

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


def assessment_label(value: Assessment | None) -> str:
    return "–" if value is None else f"{value.likelihood}×{value.consequence}"
