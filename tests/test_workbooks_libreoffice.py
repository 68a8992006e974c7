"""The follow-up workbooks in a real spreadsheet program: LibreOffice Calc, headless, opens
and recalculates a created workbook (its CSV is compared with the register), and a
workbook filled in and saved by Calc reads back correctly. Catches files that only our
own libraries can read. ``.ci/run`` installs Calc (Debian: libreoffice-calc-nogui)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from riskreg.domain.scales import MeasureStatus
from riskreg.services.context import Context
from riskreg.services.plans import load_plan
from tests.clirun import run_cli
from tests.workbook_owner import fill

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice Calc (soffice) saknas; .ci/run installerar det."
)
DATA_SHEET_NUMBER = 2  # Instruktioner, Åtgärder, (the hidden sheet)
# Calc's CSV filter: comma, double quote, UTF-8, from row 1, ..., which sheet (LO ≥ 7.2).
CSV_FILTER = (
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,"
    f"{DATA_SHEET_NUMBER}"
)


def soffice(tmp_path: Path, target: str, source: Path, out: Path) -> Path:
    """Convert with a profile of this test's own (parallel runs do not share one)."""
    out.mkdir(exist_ok=True)
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = list(out.iterdir())
    assert len(converted) == 1, converted
    return converted[0]


def create(capsys: pytest.CaptureFixture[str], ctx: Context, folder: Path) -> Path:
    result = run_cli(
        capsys, "--db", ctx.target.url, "workbooks", "create", "--year", "2024", "--period",
        "2", "--roll", "utan roll", "-o", str(folder),
    )  # fmt: skip
    assert result.code == 0, result.err
    return next(folder.glob("*.xlsx"))


def test_calc_opens_a_workbook_and_shows_the_register(
    ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workbook = create(capsys, ctx, tmp_path / "wb")
    exported = soffice(tmp_path, CSV_FILTER, workbook, tmp_path / "csv")
    rows = list(csv.reader(exported.read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == "Uppföljning 2024 kv 2 – utan ansvarig roll"
    assert rows[3][:4] == ["Id", "Verksamhet", "Risk", "Åtgärd"]
    assert rows[3][10] == "Status"
    plan = load_plan(ctx, 2024)
    body = {row[0]: row for row in rows[4:] if row and row[0]}
    risk = plan.risk("EK-02")
    assert body["EK-02/1"][2] == risk.text
    assert body["EK-02/1"][3] == risk.measures[0].text
    assert all(value == "" for value in body["EK-02/1"][10:])  # inputs start empty


def test_a_workbook_saved_by_calc_reads_back(
    ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workbook = create(capsys, ctx, tmp_path / "wb")
    fill(
        workbook,
        {
            "EK-02/1": {"Status": "genomförd", "Kommentar": "+46 ringde; =inte en formel"},
            "EK-03/1": {"Status": "pågående", "Netto S (1–4)": 3, "Netto K (1–4)": 2},
        },
    )
    saved = soffice(tmp_path, "xlsx:Calc MS Excel 2007 XML", workbook, tmp_path / "calc")
    result = run_cli(capsys, "--db", ctx.target.url, "workbooks", "read", str(saved))
    assert result.code == 0, result.err
    plan = load_plan(ctx, 2024)
    done = plan.risk("EK-02").measures[0].reviews[-1]
    assert (done.status, done.comment) == (MeasureStatus.DONE, "+46 ringde; =inte en formel")
    assert plan.risk("EK-03").reviews[-1].netto.label == "3×2"
