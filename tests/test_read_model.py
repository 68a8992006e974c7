"""The register read model: every rule once (``riskreg.domain.register``), and the CLI, the
TUI and the ISK report reading the same answers from it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from riskreg.domain.matrix import default_matrix, matrix_for_size
from riskreg.domain.records import (
    Assessment,
    FrozenPeriod,
    MeasureReviewRecord,
    PeriodInfo,
    PeriodRef,
    PlanInfo,
    PlanMeasure,
    PlanRisk,
    RiskReviewRecord,
    Trend,
)
from riskreg.domain.register import (
    area_matches,
    current_period,
    current_plan,
    matrices_note,
    measure_counts,
    period_scope,
    risk_row,
    trend,
)
from riskreg.domain.scales import MeasureKind, MeasureStatus, PlanStatus, RiskStatus
from riskreg.services import editing, isk, plans, reviews
from riskreg.services.context import Context
from riskreg.services.examples import add_examples
from riskreg.tui.model.rows import apply_filter, build_rows, parse_filter
from tests.clirun import run_cli

M = default_matrix()
AT = datetime(2024, 3, 31, 22, 30, tzinfo=UTC)  # 2024-04-01 00:30 in Sweden


def _review(year: int, quarter: int, s: int, k: int, at: datetime = AT) -> RiskReviewRecord:
    return RiskReviewRecord(PeriodRef(year, quarter), Assessment(s, k), "", "x", at, 1)


def _followup(quarter: int, status: MeasureStatus, year: int = 2024) -> MeasureReviewRecord:
    return MeasureReviewRecord(PeriodRef(year, quarter), status, None, "", None, None, "x", AT, 1)


def _measure(mid: int, *followups: MeasureReviewRecord, kind=MeasureKind.ONE_OFF) -> PlanMeasure:
    return PlanMeasure(mid, 1, f"Åtgärd {mid}", False, kind, None, None, ("Roll",), None, followups)


def _risk(*reviews: RiskReviewRecord, measures: tuple[PlanMeasure, ...] = ()) -> PlanRisk:
    return PlanRisk(
        1, 1, "EK-01", "Ekonomi", "EK", "Risk.", False, None, RiskStatus.ACTIVE, None, None,
        None, measures, reviews,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("latest", "previous", "expected"),
    [
        ((3, 3), (2, 2), Trend.UP),  # Medel → Hög
        ((1, 1), (3, 3), Trend.DOWN),
        ((2, 1), (1, 2), Trend.SAME),  # both Låg: a change of S×K within one level
        ((4, 2), (2, 4), Trend.DOWN),  # both 8, but 2×4 is the redder cell
        ((2, 2), None, Trend.FIRST),
        (None, (2, 2), None),
    ],
)
def test_trend_compares_matrix_levels(latest, previous, expected) -> None:
    value = _review(2024, 2, *latest) if latest else None
    before = _review(2024, 1, *previous) if previous else None
    assert trend(M, value, before) is expected


def test_trend_across_years_with_different_matrices_compares_levels_and_says_so() -> None:
    """2023 in 4×4, 2024 in 5×5: each netto is placed in its own year's matrix."""
    five = matrix_for_size(5)
    before = replace(_review(2023, 4, 2, 4), matrix=M)  # 8, "Mycket hög" in 4×4
    same = _review(2024, 1, 4, 4)  # 16, "Mycket hög" in 5×5: products say up, levels same
    assert trend(five, same, before) is Trend.SAME
    higher = replace(_review(2023, 4, 3, 3), matrix=M)  # 9, "Hög" in 4×4
    assert trend(five, _review(2024, 1, 3, 4), higher) is Trend.UP  # 12, "Mycket hög"
    assert matrices_note(five, (before, same)) == (
        "Bedömningarna gjordes i olika riskmatriser (4×4 2023, 5×5 2024): trenden jämför "
        "nivåer, inte S × K."
    )
    assert matrices_note(five, (same,)) is None


def test_measures_counted_leave_out_what_utgår_this_year() -> None:
    risk = _risk(
        measures=(
            _measure(1, _followup(1, MeasureStatus.DONE)),
            _measure(
                2, _followup(1, MeasureStatus.IN_PROGRESS), _followup(2, MeasureStatus.DROPPED)
            ),
            _measure(3, _followup(4, MeasureStatus.DONE, year=2023)),  # last year's status
            _measure(4),
        )
    )
    assert measure_counts(risk, 2024) == (1, 3)


def test_last_reviewed_is_the_swedish_date() -> None:
    plan = replace(_plan_info(), year=2024)
    row = risk_row(plan, _risk(_review(2024, 1, 2, 2)))
    assert row.last_reviewed is not None and row.last_reviewed.isoformat() == "2024-04-01"
    assert row.level_name == "Medel" and row.trend is Trend.FIRST


def test_current_plan_and_quarter() -> None:
    class P:
        def __init__(self, year: int, status: PlanStatus) -> None:
            self.year, self.status = year, status

    found = current_plan([P(2025, PlanStatus.DRAFT), P(2024, PlanStatus.ADOPTED)])
    assert found is not None and found.year == 2024
    drafts = current_plan([P(2025, PlanStatus.DRAFT), P(2026, PlanStatus.DRAFT)])
    assert drafts is not None and drafts.year == 2026
    assert current_plan([]) is None
    periods = [PeriodInfo(q, 2024, q, AT if q < 3 else None, None) for q in (1, 2, 3, 4)]
    plan = PlanInfo(1, 1, "HSN", 2024, PlanStatus.ADOPTED, None, None, default_matrix(), (), 1)
    assert current_period(replace(plan, periods=tuple(periods))) == 3
    locked = tuple(replace(p, locked_at=AT) for p in periods)
    assert current_period(replace(plan, periods=locked)) == 4


@pytest.mark.parametrize(
    ("label", "names", "expected"),
    [
        ("EK", ("EK", "Ekonomi"), True),
        ("ek", ("EK", "Ekonomi"), True),
        ("ekon", ("EK", "Ekonomi"), True),
        ("ek", ("MT", "Medicinteknisk säkerhet"), False),
        ("säkerhet", ("MT", "Medicinteknisk säkerhet"), True),
        ("informationsosäkerhet", ("IS", "Informationssäkerhet", "Informationsosäkerhet"), True),
        ("", ("EK", "Ekonomi"), False),
    ],
)
def test_area_filter(label: str, names: tuple[str, ...], expected: bool) -> None:
    assert area_matches(label, names) is expected


def test_a_locked_period_covers_what_it_froze() -> None:
    kept = _risk(_review(2024, 1, 2, 2), measures=(_measure(7),))
    added = replace(kept, id=2, ref="EK-02", reviews=())
    closed = replace(kept, id=3, ref="EK-03", status=RiskStatus.CLOSED, reviews=(), measures=())
    frozen = FrozenPeriod(frozenset({1, 3}), frozenset({7}), 2, 1, 1, 0)
    locked = PeriodInfo(1, 2024, 1, AT, "controller", frozen)
    scope = period_scope([kept, added, closed], locked)
    assert [r.ref for r in scope.risks] == ["EK-01", "EK-03"]
    assert [m.id for _, m in scope.measures] == [7]
    open_scope = period_scope([kept, added, closed], replace(locked, locked_at=None, frozen=None))
    assert [r.ref for r in open_scope.risks] == ["EK-01", "EK-02"]


def _plan_info():  # type: ignore[no-untyped-def]
    from riskreg.domain.records import PlanInfo

    return PlanInfo(1, 1, "HSN", 2024, PlanStatus.ADOPTED, None, None, M, (), 1)


# -- the same answers on every surface ------------------------------------------------------


def test_cli_tui_and_report_agree(capsys: pytest.CaptureFixture[str], ctx: Context) -> None:
    add_examples(ctx)
    snapshot = plans.load_plan(ctx, 2024)
    # An åtgärd that utgår must count the same everywhere (it once was 2/2 vs 2/3).
    reviews.reopen_period(ctx, snapshot.plan.id, 4, "Rättelse av en status.")
    ku = snapshot.risk("KU-01")
    reviews.record_measure_review(
        ctx, snapshot.plan.id, ku.measures[0].id, 4, MeasureStatus.DROPPED,
        expected_version=ku.measures[0].review_in(PeriodRef(2024, 4)).version,  # type: ignore[union-attr]
    )  # fmt: skip
    hf = snapshot.risk("HF-01")
    editing.close_risk(ctx, snapshot.plan.id, hf.id, hf.version, "Hanterad genom ny rutin.")

    result = run_cli(capsys, "--db", ctx.target.url, "risks", "--alla", "--format", "json")
    cli = {r["ref"]: r for r in json.loads(result.out)}
    tui = {r.ref: r for r in build_rows(plans.load_plan(ctx, 2024))}
    report = {r.ref: r for r in isk.build_report(ctx, 2024).register}
    assert cli.keys() == tui.keys() == report.keys()
    for ref, row in tui.items():
        line = report[ref]
        expected = {
            "status": row.status.value,
            "netto": row.netto,
            "nivå": row.level_name,
            "trend": row.trend.value if row.trend else None,
            "åtgärder": (row.measures_done, row.measures_total),
            "senast_bedömd": row.last_reviewed.isoformat() if row.last_reviewed else None,
        }
        given = cli[ref]
        assert {
            "status": given["status"],
            "netto": Assessment(given["netto"]["sannolikhet"], given["netto"]["konsekvens"])
            if given["netto"]
            else None,
            "nivå": given["nivå"],
            "trend": given["trend"],
            "åtgärder": (given["åtgärder"]["genomförda"], given["åtgärder"]["totalt"]),
            "senast_bedömd": given["senast_bedömd"],
        } == expected, ref
        # The report's year-end netto is the register's latest (every review is in 2024).
        assert (line.status, line.year_end, line.trend) == (row.status, row.netto, row.trend)
        assert sum(1 for m in line.measures if m.counted) == row.measures_total, ref
    assert tui["KU-01"].measures_total == len(snapshot.risk("KU-01").measures) - 1
    assert tui["HF-01"].status is RiskStatus.CLOSED


def test_verksamhet_filter_is_the_same_in_cli_and_tui(
    capsys: pytest.CaptureFixture[str], db_url: str, ctx: Context
) -> None:
    for label in ("EK", "ek", "Ekonomi", "säkerhet"):
        result = run_cli(capsys, "--db", db_url, "risks", "--verksamhet", label, "--format", "json")
        assert result.code == 0, result.err
        cli = [r["ref"] for r in json.loads(result.out)]
        rows = build_rows(plans.load_plan(ctx, 2024))
        tui = [r.ref for r in apply_filter(rows, parse_filter(f'v:"{label}"'))]
        assert cli == tui, label
        assert "MT-01" not in cli or label == "säkerhet"
