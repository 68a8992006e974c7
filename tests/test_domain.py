"""The pure domain: Swedish sorting, the matrix as a grid, scales and periods."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from riskreg.domain.errors import InvalidInput
from riskreg.domain.matrix import RiskMatrix, default_matrix
from riskreg.domain.records import Assessment, PeriodRef, RiskReviewRecord, Trend
from riskreg.domain.register import trend
from riskreg.domain.text import swedish_key


def test_swedish_sorting_puts_a_ring_a_umlaut_o_umlaut_after_z() -> None:
    words = ["Örebro", "Ekonomi", "Ärende", "Åtgärd", "Zebra", "ekonomi"]
    assert sorted(words, key=swedish_key) == [
        "Ekonomi",
        "ekonomi",
        "Zebra",
        "Åtgärd",
        "Ärende",
        "Örebro",
    ]


def test_matrix_colour_belongs_to_the_cell_not_the_product() -> None:
    matrix = default_matrix()
    assert matrix.level(2, 4).name == "Mycket hög"
    assert matrix.level(4, 2).name == "Hög"
    assert RiskMatrix.from_dict(matrix.to_dict()) == matrix
    broken = matrix.to_dict()
    broken["rutnät"] = broken["rutnät"][:3]
    with pytest.raises(InvalidInput, match="4 × 4"):
        RiskMatrix.from_dict(broken)


def test_assessment_scale_and_trend() -> None:
    assert Assessment.checked(3, 4).value == 12
    with pytest.raises(InvalidInput, match="Konsekvens ska vara ett heltal 1–5, inte 0"):
        Assessment.checked(2, 0)
    m = default_matrix()

    def netto(s: int, k: int, quarter: int = 2) -> RiskReviewRecord:
        at = datetime(2024, 6, 1, tzinfo=UTC)
        return RiskReviewRecord(PeriodRef(2024, quarter), Assessment(s, k), "", "x", at, 1)

    assert trend(m, netto(3, 3), netto(2, 2, 1)) is Trend.UP
    assert trend(m, netto(2, 1), netto(1, 2, 1)) is Trend.SAME  # same level
    assert trend(m, netto(1, 1), netto(3, 3, 1)) is Trend.DOWN
    # Levels, not products: 2×4 and 4×2 are both 8, but 2×4 is the redder cell.
    assert trend(m, netto(4, 2), netto(2, 4, 1)) is Trend.DOWN
    assert trend(m, netto(2, 2), None) is Trend.FIRST
    assert trend(m, None, netto(2, 2, 1)) is None


@pytest.mark.parametrize("text", ["2024 kv 3", "2024kv3", "2024-Q3", "2024:3", " 2024 KV 3 "])
def test_period_spellings(text: str) -> None:
    assert PeriodRef.parse(text) == PeriodRef(2024, 3)


def test_period_out_of_range() -> None:
    with pytest.raises(InvalidInput, match="Okänd period"):
        PeriodRef.parse("2024 kv 5")
