"""Follow-up workbooks follow each plan's matrix (3×3, 4×4 or 5×5): the netto columns'
headings, the whole-number validation and the instructions in a created workbook, and
the check when it is read back, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from riskreg.domain.scales import PlanStatus
from riskreg.domain.workbook import DATA_SHEET, HEADER_ROW, INFO_SHEET
from riskreg.services import editing, plans
from riskreg.services.context import Context
from tests.clirun import Result, run_cli
from tests.workbook_owner import fill

PLAN = (
    "Verksamhet\tRisk\tÅtgärd\n"
    "Ekonomi\tRisken att fakturor betalas två gånger.\tKontrollera dubbletter.\n"
    "Personal\tRisken att kompetens saknas.\tKompetensinventering.\n"
)
BOOK = "uppfoljning-2026-kv1-utan-roll.xlsx"  # the imported plans' åtgärder have no role


def _adopted_plan(
    capsys: pytest.CaptureFixture[str], ctx: Context, tmp_path: Path, short: str, size: int
) -> None:
    source = tmp_path / f"{short}.txt"
    source.write_text(PLAN, encoding="utf-8")
    result = run_cli(
        capsys, "--db", ctx.target.url, "import", "plan", str(source), "--year", "2026",
        "--nämnd", f"Nämnden {short}", "--kortnamn", short, "--matris", str(size),
    )  # fmt: skip
    assert result.code == 0, result.err
    plan = plans.load_plan(ctx, 2026, short).plan
    editing.set_plan_status(ctx, plan.id, PlanStatus.ADOPTED)


def _create(capsys: pytest.CaptureFixture[str], ctx: Context, folder: Path, *extra: str) -> Path:
    result = run_cli(
        capsys, "--db", ctx.target.url, "workbooks", "create", "--year", "2026", "--period",
        "1", "-o", str(folder), *extra,
    )  # fmt: skip
    assert result.code == 0, result.err
    return folder / BOOK


def _read(capsys: pytest.CaptureFixture[str], ctx: Context, path: Path) -> Result:
    return run_cli(capsys, "--db", ctx.target.url, "workbooks", "read", str(path))


def _netto_rules(sheet: Any) -> dict[int, tuple[str, str, str]]:
    """Per sheet row: the Netto S validation (type, minimum, maximum)."""
    netto_s = next(c.column_letter for c in sheet[HEADER_ROW] if c.value.startswith("Netto S"))
    found: dict[int, tuple[str, str, str]] = {}
    for rule in sheet.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            if cells.coord.startswith(netto_s):
                for row in range(cells.min_row, cells.max_row + 1):
                    found[row] = (rule.type, rule.formula1, rule.formula2)
    return found


def _netto(ctx: Context, short: str) -> str | None:
    reviews = plans.load_plan(ctx, 2026, short).risk("EK-01").reviews
    return reviews[-1].netto.label if reviews else None


def test_one_plans_workbook_names_its_scale_and_accepts_5_on_5x5(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    _adopted_plan(capsys, ctx, tmp_path, "KN", 5)
    path = _create(capsys, ctx, tmp_path / "wb", "--nämnd", "KN")
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    headings = [c.value for c in sheet[HEADER_ROW]]
    assert headings[-2:] == ["Netto S (1–5)", "Netto K (1–5)"]
    assert set(_netto_rules(sheet).values()) == {("whole", "1", "5")}
    instructions = [c.value for c in book[INFO_SHEET]["A"] if c.value]
    assert any("heltal 1–5 enligt planens riskmatris 5×5" in line for line in instructions)
    assert not any("1–4" in line for line in instructions)

    fill(path, {"EK-01/1": {"Status": "pågående", "Netto S": 5, "Netto K": 5}})
    result = _read(capsys, ctx, path)
    assert result.code == 0, result.err
    assert _netto(ctx, "KN") == "5×5"


def test_a_workbook_over_3x3_and_5x5_plans_holds_each_row_to_its_plan(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    _adopted_plan(capsys, ctx, tmp_path, "KN", 5)
    _adopted_plan(capsys, ctx, tmp_path, "FN", 3)
    path = _create(capsys, ctx, tmp_path / "wb")
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    rows = {c.value: c.row for c in sheet["A"] if c.value and " EK-" in str(c.value)}
    headings = [c.value for c in sheet[HEADER_ROW]]
    assert headings[-2:] == ["Netto S", "Netto K"]  # the plans' scales differ
    rules = _netto_rules(sheet)
    assert rules[rows["KN EK-01/1"]] == ("whole", "1", "5")
    assert rules[rows["FN EK-01/1"]] == ("whole", "1", "3")
    instructions = " ".join(c.value for c in book[INFO_SHEET]["A"] if c.value)
    assert "heltal enligt nämndens riskmatris (3×3, 5×5)" in instructions

    fill(
        path,
        {
            "KN EK-01/1": {"Netto S": 5, "Netto K": 5},
            "FN EK-01/1": {"Netto S": 4, "Netto K": 1},
        },
    )
    refused = _read(capsys, ctx, path)
    assert refused.code == 1
    assert (
        f"Fel: {BOOK}, bladet Åtgärder, rad {rows['FN EK-01/1']}: Sannolikhet ska vara ett "
        "heltal 1–3, inte 4: planens riskmatris är 3×3.\n"
    ) in refused.err
    assert "Traceback" not in refused.err
    assert (_netto(ctx, "KN"), _netto(ctx, "FN")) == (None, None)  # all or nothing

    fill(path, {"FN EK-01/1": {"Netto S": 3, "Netto K": 3}})
    result = _read(capsys, ctx, path)
    assert result.code == 0, result.err
    assert (_netto(ctx, "KN"), _netto(ctx, "FN")) == ("5×5", "3×3")
