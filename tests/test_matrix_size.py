"""A plan year's matrix may be 3×3, 4×4 or 5×5: chosen at import or with ``plan matrix``,
and the plan's own matrix (not a fixed 1–4) decides what a review or a brutto may be.
Bad input is one Swedish sentence, exit 1, nothing changed; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskreg.domain.errors import InvalidInput
from riskreg.domain.matrix import default_matrix, matrix_for_size
from riskreg.domain.records import Assessment
from riskreg.domain.scales import PlanStatus
from riskreg.services import editing, plans
from riskreg.services.context import Context
from tests.clirun import run_cli

PLAN = (
    "Verksamhet\tRisk\tÅtgärd\n"
    "Ekonomi\tRisken att fakturor betalas två gånger.\tKontrollera dubbletter.\n"
    "Personal\tRisken att kompetens saknas.\tKompetensinventering.\n"
)


def test_presets_have_their_size_labels_and_levels() -> None:
    five = matrix_for_size(5)
    assert five.size == (5, 5) and five.label == "5×5"
    assert five.likelihood_labels[0] == "Mycket osannolik"
    assert five.consequence_labels[-1] == "Mycket allvarlig"
    # consequence weighs heavier than likelihood, as in 4×4
    assert five.level_index(2, 5) > five.level_index(5, 2)
    assert matrix_for_size(3).consequence_labels == ("Låg", "Medel", "Hög")
    assert matrix_for_size(4) == default_matrix()
    for size in (3, 4, 5):
        matrix = matrix_for_size(size)
        matrix.validate()
        assert matrix == type(matrix).from_dict(matrix.to_dict())
    with pytest.raises(InvalidInput, match="kan vara 3, 4 eller 5, inte 6"):
        matrix_for_size(6)


def test_the_plan_matrix_decides_the_scale() -> None:
    assert matrix_for_size(5).check(Assessment(5, 5)) == Assessment(5, 5)
    with pytest.raises(
        InvalidInput, match=r"Konsekvens ska vara ett heltal 1–4, inte 5: planens riskmatris är 4×4"
    ):
        default_matrix().check(Assessment(2, 5))
    with pytest.raises(InvalidInput, match=r"Sannolikhet ska vara ett heltal 1–3"):
        matrix_for_size(3).check(Assessment(4, 1))


def _import(capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path, *extra: str) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    args = (
        "import",
        "plan",
        str(plan),
        "--year",
        "2026",
        "--nämnd",
        "Kulturnämnden",
        "--kortnamn",
        "KN",
        *extra,
    )
    result = run_cli(capsys, "--db", url, *args)
    assert result.code == 0, result.err


def _adopt(ctx: Context) -> None:
    plan = plans.load_plan(ctx, 2026, "KN").plan
    editing.set_plan_status(ctx, plan.id, PlanStatus.ADOPTED)


def _review(capsys: pytest.CaptureFixture[str], url: str, s: str, k: str) -> tuple[int, str]:
    result = run_cli(
        capsys, "--db", url, "review", "set", "EK-01", "--year", "2026", "--nämnd", "KN",
        "--period", "1", "--sannolikhet", s, "--konsekvens", k,
    )  # fmt: skip
    return result.code, result.err


def test_a_5x5_plan_imported_reviewed_and_its_scale_enforced(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = seeded_backend.target.url
    _import(capsys, url, tmp_path, "--matris", "5")
    assert plans.load_plan(seeded_backend, 2026, "KN").plan.matrix == matrix_for_size(5)
    _adopt(seeded_backend)
    assert _review(capsys, url, "5", "5")[0] == 0
    listed = run_cli(
        capsys, "--db", url, "risks", "--year", "2026", "--nämnd", "KN", "--format", "json"
    )
    assert '"riskvärde": 25' in listed.out, listed.out
    code, err = _review(capsys, url, "6", "1")
    assert (
        code == 1
        and err == "Fel: Sannolikhet ska vara ett heltal 1–5, inte 6: planens riskmatris är 5×5.\n"
    )
    # the 2024 plan keeps its 4×4: a 5 is refused there, by its matrix
    result = run_cli(
        capsys, "--db", url, "review", "set", "EK-01", "--year", "2024", "--nämnd", "HSN",
        "--period", "1", "--sannolikhet", "2", "--konsekvens", "5",
    )  # fmt: skip
    assert result.code == 1
    assert (
        result.err
        == "Fel: Konsekvens ska vara ett heltal 1–4, inte 5: planens riskmatris är 4×4.\n"
    )


def test_plan_matrix_on_a_draft_is_logged_and_refused_after_reviews(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = seeded_backend.target.url
    _import(capsys, url, tmp_path)
    changed = run_cli(
        capsys, "--db", url, "plan", "matrix", "--year", "2026", "--nämnd", "KN", "--storlek", "3"
    )
    assert changed.code == 0 and "3×3" in changed.err
    assert plans.load_plan(seeded_backend, 2026, "KN").plan.matrix == matrix_for_size(3)
    log = run_cli(capsys, "--db", url, "audit", "log", "--format", "json")
    assert "bytte riskmatris" in log.out and "3×3" in log.out
    bad = run_cli(
        capsys, "--db", url, "plan", "matrix", "--year", "2026", "--nämnd", "KN", "--storlek", "7"
    )
    assert (bad.code, bad.err) == (1, "Fel: Matrisens storlek kan vara 3, 4 eller 5, inte 7.\n")
    _adopt(seeded_backend)
    assert _review(capsys, url, "3", "3")[0] == 0
    assert _review(capsys, url, "4", "1")[0] == 1
    refused = run_cli(
        capsys, "--db", url, "plan", "matrix", "--year", "2026", "--nämnd", "KN", "--storlek", "5"
    )
    assert refused.code == 1
    assert refused.err == (
        "Fel: Planen för 2026 är fastställd och har uppföljningar: dess 3×3-matris kan "
        "inte längre bytas.\n"
    )
    assert plans.load_plan(seeded_backend, 2026, "KN").plan.matrix == matrix_for_size(3)


def test_a_brutto_that_would_not_fit_blocks_a_smaller_matrix(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _import(capsys, seeded_backend.target.url, tmp_path, "--matris", "5")
    snapshot = plans.load_plan(seeded_backend, 2026, "KN")
    risk = snapshot.risks[0]
    editing.set_brutto(seeded_backend, snapshot.plan.id, risk.id, risk.version, Assessment(5, 2))
    with pytest.raises(InvalidInput, match=r"har bruttorisk 5×2, som inte ryms i en 4×4-matris"):
        editing.set_matrix_size(seeded_backend, 2026, 4, committee="KN")
    assert plans.load_plan(seeded_backend, 2026, "KN").plan.matrix == matrix_for_size(5)


def test_rolling_forward_keeps_the_matrix(seeded_backend: Context) -> None:
    plan = plans.load_plan(seeded_backend, 2024, "HSN").plan
    assert plan.matrix == default_matrix()  # the seeded plans keep their 4×4
    rolled = editing.roll_forward(seeded_backend, plan.id)
    editing.set_matrix_size(seeded_backend, rolled.plan.year, 5, committee="HSN")
    again = editing.roll_forward(seeded_backend, rolled.plan.id)
    assert plans.load_plan(seeded_backend, again.plan.year, "HSN").plan.matrix == (
        matrix_for_size(5)
    )


def test_min_riskvarde_reaches_25_on_a_5x5_plan(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = seeded_backend.target.url
    _import(capsys, url, tmp_path, "--matris", "5")
    _adopt(seeded_backend)
    assert _review(capsys, url, "5", "5")[0] == 0
    listed = run_cli(
        capsys, "--db", url, "risks", "--nämnd", "KN", "--min-riskvärde", "25", "--format", "csv"
    )
    assert listed.code == 0 and "EK-01" in listed.out and "PE-01" not in listed.out
    too_high = run_cli(capsys, "--db", url, "risks", "--min-riskvärde", "26")
    assert too_high.code == 2 and "26" in too_high.err


def test_a_trend_across_a_change_of_matrix_compares_levels_and_says_so(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    """8 (2×4) in the 4×4 of 2024 and 16 (4×4) in the 5×5 of 2025 are both "Mycket hög":
    the trend is unchanged, not up, and ``risk show`` says why."""
    url = seeded_backend.target.url
    review = ("review", "set", "EK-01", "--nämnd", "HSN", "--period", "1")
    done = run_cli(
        capsys, "--db", url, *review, "--year", "2024", "--sannolikhet", "2", "--konsekvens", "4"
    )
    assert done.code == 0, done.err
    rolled = editing.roll_forward(
        seeded_backend, plans.load_plan(seeded_backend, 2024, "HSN").plan.id
    )
    editing.set_matrix_size(seeded_backend, rolled.plan.year, 5, committee="HSN")
    editing.set_plan_status(seeded_backend, rolled.plan.id, PlanStatus.ADOPTED)
    year = str(rolled.plan.year)
    done = run_cli(
        capsys, "--db", url, *review, "--year", year, "--sannolikhet", "4", "--konsekvens", "4"
    )
    assert done.code == 0, done.err
    listed = run_cli(
        capsys, "--db", url, "risks", "--year", year, "--nämnd", "HSN", "--format", "json"
    )
    row = next(r for r in json.loads(listed.out) if r["ref"] == "EK-01")
    assert row["trend"] == "oförändrad" and row["nivå"] == "Mycket hög", row
    shown = run_cli(capsys, "--db", url, "risk", "show", "EK-01", "--nämnd", "HSN")
    text = " ".join(shown.out.split())
    assert (
        f"Bedömningarna gjordes i olika riskmatriser (4×4 2024, 5×5 {year}): trenden jämför "
        "nivåer, inte S × K." in text
    )
    assert "2024 kv 1: 2×4=8, Mycket hög i 4×4" in text
    assert f"{year} kv 1: 4×4=16, Mycket hög i 5×5" in text


def test_review_set_on_a_3x3_plan_refuses_4_and_saves_nothing(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = seeded_backend.target.url
    _import(capsys, url, tmp_path, "--matris", "3")
    _adopt(seeded_backend)
    log_before = run_cli(capsys, "--db", url, "audit", "log", "--format", "json").out
    for s, k, name, value in (("4", "1", "Sannolikhet", 4), ("1", "4", "Konsekvens", 4)):
        code, err = _review(capsys, url, s, k)
        assert (code, err) == (
            1,
            f"Fel: {name} ska vara ett heltal 1–3, inte {value}: planens riskmatris är 3×3.\n",
        )
    assert plans.load_plan(seeded_backend, 2026, "KN").risk("EK-01").reviews == ()
    assert run_cli(capsys, "--db", url, "audit", "log", "--format", "json").out == log_before
    assert _review(capsys, url, "3", "3")[0] == 0  # the top of the 3×3 scale is fine
    assert plans.load_plan(seeded_backend, 2026, "KN").risk("EK-01").reviews[-1].netto.label == (
        "3×3"
    )
