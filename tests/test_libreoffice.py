"""Real clients: LibreOffice Calc (headless) opens what riskreg writes, and riskreg reads
what LibreOffice writes, so a file that only our own libraries understand is caught.

- The exported register workbook is opened and recalculated by Calc and saved as CSV; the
  CSV equals the register's rows (formula-like text still text, nothing recalculated).
- A plan typed as CSV is saved by Calc as .xlsx and imported; Calc's .ods and .xls of
  the same plan are refused with one Swedish sentence.

Calc is the Debian package ``libreoffice-calc-nogui`` (installed by ``.ci/run``). Each
test run uses its own LibreOffice profile so that parallel runs do not clash.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from riskreg.domain.register_sheet import COLUMNS
from riskreg.services import editing, exporting, plans
from riskreg.services.context import Context, utc_now
from riskreg.services.examples import add_examples
from tests.clirun import run_cli
from tests.conftest import make_context

CSV_FILTER = "59,34,76,1"  # separator ";", quote '"', UTF-8, start at line 1
HOSTILE = "=1+1 är text, inte en formel"


@pytest.fixture(scope="module")
def soffice(tmp_path_factory: pytest.TempPathFactory):
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) saknas: installera Debian-paketet libreoffice-calc-nogui "
            "(.ci/run gör det) – testerna med riktiga klienter hoppas aldrig över."
        )
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(source: Path, target: str, outdir: Path, infilter: str | None = None) -> Path:
        command = [
            found,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            *(["--infilter=" + infilter] if infilter else []),
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
        suffix = target.split(":")[0]
        result = outdir / f"{source.stem}.{suffix}"
        assert result.exists(), f"LibreOffice skrev ingen {suffix}: {done.stdout}{done.stderr}"
        return result

    return convert


def test_calc_reads_the_exported_register_as_the_register(capsys, ctx, db_url, tmp_path, soffice):
    add_examples(ctx)
    snapshot = plans.load_plan(ctx, 2024)
    editing.add_risk(ctx, snapshot.plan.id, editing.RiskFields(area="EK", text=HOSTILE), reason="x")
    book = tmp_path / "register.xlsx"
    result = run_cli(
        capsys, "--db", db_url, "export", "register", "--year", "2024", "-o", str(book)
    )
    assert result.code == 0, result.err
    out = tmp_path / "calc"
    out.mkdir()
    converted = soffice(book, f"csv:Text - txt - csv (StarCalc):{CSV_FILTER}", out)
    rows = list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8")), delimiter=";"))

    # The command ran on today's date (an acceptance may have run out by now): so does this.
    sheet = exporting.register_sheet(Context(ctx.engine, ctx.target, clock=utc_now), 2024, None)
    expected = [[c.header for c in COLUMNS]] + [
        [column.text(line) for column in COLUMNS] for line in sheet.lines
    ]
    assert rows == expected
    assert any(HOSTILE in row for row in rows)  # still the text, not 2


PLAN_CSV = (
    "Verksamhet;Risk;Åtgärd;Ansvarig;Brutto S;Brutto K\r\n"
    "Ekonomi;Risken att fakturor betalas två gånger.;Kontroll av dubbletter varje månad.;"
    "Varje chef;3;4\r\n"
    ";;Stickprov på utbetalningar.;;;\r\n"
    'Kultur;"Risken att evenemang ställs in; publiken uteblir.";Beredskapsplan.;;2;2\r\n'
)
# Calc's CSV import makes a formula of a cell starting with "=": riskreg refuses the cell.
FORMULA_ROW = "Kultur;=SUMMA(1;2);Beredskapsplan.;;;\r\n"


def test_a_workbook_saved_by_calc_imports(capsys, db_url, tmp_path, soffice):
    source = tmp_path / "plan.csv"
    source.write_text(PLAN_CSV, encoding="utf-8")
    out = tmp_path / "calc"
    out.mkdir()
    book = soffice(source, "xlsx", out, infilter=f"CSV:{CSV_FILTER}")
    result = run_cli(
        capsys, "--db", db_url, "import", "plan", str(book), "--year", "2025", "--nämnd", "HSN"
    )
    assert result.code == 0, result.err
    ctx = make_context(db_url)
    first, second = plans.load_plan(ctx, 2025).risks
    ctx.engine.dispose()
    assert first.text == "Risken att fakturor betalas två gånger."
    assert [m.text for m in first.measures] == [
        "Kontroll av dubbletter varje månad.",
        "Stickprov på utbetalningar.",
    ]
    assert first.measures[0].roles == ("Varje chef",)
    assert (first.brutto.likelihood, first.brutto.consequence) == (3, 4)
    assert second.text == "Risken att evenemang ställs in; publiken uteblir."
    assert (second.brutto.likelihood, second.brutto.consequence) == (2, 2)

    for target, sentence in (
        ("ods", "Filen plan.ods är ett OpenDocument-kalkylblad (.ods)"),
        ("xls", "Filen plan.xls är i det gamla Excel-formatet (.xls)"),
    ):
        other = soffice(source, target, out, infilter=f"CSV:{CSV_FILTER}")
        refused = run_cli(
            capsys, "--db", db_url, "import", "plan", str(other), "--year", "2026", "--nämnd", "HSN"
        )
        assert refused.code == 1 and sentence in refused.err
        renamed = other.with_name(f"omdöpt-{target}.xlsx")
        renamed.write_bytes(other.read_bytes())
        refused = run_cli(
            capsys,
            "--db",
            db_url,
            "import",
            "plan",
            str(renamed),
            "--year",
            "2026",
            "--nämnd",
            "HSN",
        )
        assert refused.code == 1 and f"Filen {renamed.name} " in refused.err, refused.err

    with_formula = tmp_path / "formel.csv"
    with_formula.write_text(PLAN_CSV + FORMULA_ROW, encoding="utf-8")
    book = soffice(with_formula, "xlsx", out, infilter=f"CSV:{CSV_FILTER}")
    refused = run_cli(
        capsys, "--db", db_url, "import", "plan", str(book), "--year", "2026", "--nämnd", "HSN"
    )
    assert refused.code == 1
    assert "formel.xlsx, bladet ”formel”, rad 5: cellen innehåller en formel (Risk: =" in (
        refused.err
    )
    check = make_context(db_url)
    assert [p.year for p in plans.list_plans(check)] == [2022, 2024, 2025]
    check.engine.dispose()
