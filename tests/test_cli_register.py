"""Setting up and importing from the command line: init, seed, db upgrade/current,
import plan (the 2024 Word table must yield exactly the seeded 2024 plan), risk show,
and clear errors for missing, locked, outdated or foreign databases."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tomllib

import pytest
from sqlalchemy import text

from riskreg.db.engine import make_engine
from riskreg.db.target import SCHEMA_HEAD
from riskreg.services import plans
from riskreg.services.seeding import SEED_DIR
from tests.clirun import run_cli
from tests.conftest import SEED_DOCUMENT_2024, make_context

SEED_2024 = SEED_DOCUMENT_2024


def test_init_seed_and_seed_again(capsys, backend_url):
    assert run_cli(capsys, "--db", backend_url, "init").code == 0
    first = run_cli(capsys, "--db", backend_url, "seed")
    assert first.code == 0, first.err
    assert "Läste in planen för 2022" in first.err and "Läste in planen för 2024" in first.err
    again = run_cli(capsys, "--db", backend_url, "seed")
    assert again.code == 0 and "fanns redan" in again.err
    rows = json.loads(run_cli(capsys, "--db", backend_url, "risks", "--format", "json").out)
    assert len(rows) == 19
    assert (
        len(
            json.loads(
                run_cli(
                    capsys, "--db", backend_url, "risks", "--year", "2022", "--format", "json"
                ).out
            )
        )
        == 22
    )
    current = run_cli(capsys, "--db", backend_url, "db", "current")
    assert current.out.strip() == SCHEMA_HEAD


def test_risk_show_text_and_json(capsys, db_url):
    shown = run_cli(capsys, "--db", db_url, "risk", "show", "ps-02")
    assert shown.code == 0
    assert "rubusta" in shown.out and "robusta" in shown.out
    data = json.loads(
        run_cli(capsys, "--db", db_url, "risk", "show", "PS-02", "--format", "json").out
    )
    assert [y["år"] for y in data["år"]] == [2022, 2024]
    assert data["år"][0]["källa"] == "VP 2022 §7.1, rad 1188-1190"
    missing = run_cli(capsys, "--db", db_url, "risk", "show", "XX-01")
    assert missing.code == 1 and "ingen risk med referensen ”XX-01”" in missing.err


def _seed_plan_content(year: int) -> list[tuple[str, str, bool, list[tuple[str, bool]]]]:
    with (SEED_DIR / f"plan-{year}.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return [
        (
            r["area"],
            r["text"],
            r.get("region_wide", False),
            [(m["text"], m.get("region_wide", False)) for m in r["measures"]],
        )
        for r in data["risks"]
    ]


def _db_plan_content(url: str, year: int) -> list[tuple[str, str, bool, list[tuple[str, bool]]]]:
    ctx = make_context(url)
    snapshot = plans.load_plan(ctx, year)
    ctx.engine.dispose()
    return [
        (r.area, r.text, r.region_wide, [(m.text, m.region_wide) for m in r.measures])
        for r in snapshot.risks
    ]


def test_importing_the_2024_word_table_yields_the_seeded_2024_plan(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'import.db'}"
    run_cli(capsys, "--db", url, "init")
    # a register that knows the nämnd and its verksamheter (as after the 2022 plan)
    ctx = make_context(url)
    from riskreg.services.seeding import seed

    only_2022 = tmp_path / "seed"
    only_2022.mkdir()
    for name in ("register.toml", "plan-2022.toml"):
        (only_2022 / name).write_bytes((SEED_DIR / name).read_bytes())
    seed(ctx, only_2022)
    ctx.engine.dispose()

    dry = run_cli(
        capsys,
        "--db",
        url,
        "import",
        "plan",
        str(SEED_2024),
        "--year",
        "2024",
        "--nämnd",
        "HSN",
        "--dry-run",
    )
    assert dry.code == 0, dry.err
    assert "Skulle skapa planen Hälso- och sjukvårdsnämnden 2024: 19 risker, 27 åtgärder" in dry.err
    assert "Inget sparades" in dry.err
    assert run_cli(capsys, "--db", url, "risks", "--year", "2024").code == 1  # nothing written

    done = run_cli(
        capsys,
        "--db",
        url,
        "import",
        "plan",
        str(SEED_2024),
        "--year",
        "2024",
        "--nämnd",
        "Hälso- och sjukvårdsnämnden",
    )
    assert done.code == 0, done.err
    assert _db_plan_content(url, 2024) == _seed_plan_content(2024)
    # unchanged texts are recognised as the same risks as in 2022
    kontanta = "Risken att kontanta medel hanteras felaktigt. (finns sedan tidigare år)"
    assert f"EK-02\tEkonomi\t1 åtgärd\t{kontanta}" in done.out
    # the misspelt "Informationsosäkerhet" is the known verksamhet, not a new one
    assert "nya verksamheter" not in done.err

    again = run_cli(
        capsys, "--db", url, "import", "plan", str(SEED_2024), "--year", "2024", "--nämnd", "HSN"
    )
    assert again.code == 1 and "har redan en plan för 2024" in again.err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_import_reads_real_export_encodings(capsys, db_url, tmp_path, encoding):
    table = SEED_2024.read_text("utf-8").splitlines()[703:]
    path = tmp_path / f"plan-{encoding}.txt"
    path.write_bytes("\r\n".join(table).encode(encoding))
    result = run_cli(
        capsys,
        "--db",
        db_url,
        "import",
        "plan",
        str(path),
        "--year",
        "2026",
        "--nämnd",
        "HSN",
        "--dry-run",
    )
    assert result.code == 0, result.err
    assert "19 risker, 27 åtgärder" in result.err


def test_broken_import_file_names_the_line_and_writes_nothing(capsys, db_url, tmp_path):
    path = tmp_path / "trasig.txt"
    path.write_text(
        "Verksamhet\tRisk\tÅtgärd\nEkonomi\tRisken att något händer.\tEn åtgärd\n"
        "Ekonomi\tBara två kolumner\n",
        encoding="utf-8",
    )
    result = run_cli(
        capsys, "--db", db_url, "import", "plan", str(path), "--year", "2026", "--nämnd", "HSN"
    )
    assert result.code == 1
    assert result.err.startswith("Fel: Rad 3:")
    assert "Traceback" not in result.err
    ctx = make_context(db_url)
    assert [p.year for p in plans.list_plans(ctx)] == [2022, 2024]
    ctx.engine.dispose()
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK\x03\x04 not a text file")
    assert (
        run_cli(
            capsys, "--db", db_url, "import", "plan", str(docx), "--year", "2026", "--nämnd", "HSN"
        ).code
        == 1
    )
    valid = tmp_path / "giltig.txt"
    valid.write_text("Verksamhet\tRisk\tÅtgärd\nKultur\tRisken att X.\tGör Y.\n", encoding="utf-8")
    unknown = run_cli(
        capsys,
        "--db",
        db_url,
        "import",
        "plan",
        str(valid),
        "--year",
        "2026",
        "--nämnd",
        "Kulturnämnden",
    )
    assert unknown.code == 1 and "ange --kortnamn" in unknown.err
    created = run_cli(
        capsys,
        "--db",
        db_url,
        "import",
        "plan",
        str(valid),
        "--year",
        "2026",
        "--nämnd",
        "Kulturnämnden",
        "--kortnamn",
        "kn",
    )
    assert created.code == 0, created.err
    assert "KU-01\tKultur" in created.out and "nya verksamheter: Kultur" in created.err


def test_missing_database_is_a_database_error(capsys, tmp_path):
    result = run_cli(capsys, "--db", f"sqlite:///{tmp_path / 'saknas.db'}", "risks")
    assert result.code == 3
    assert "finns inte" in result.err and "riskreg" in result.err and "init" in result.err


def test_outdated_database_asks_for_upgrade(capsys, db_url):
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    engine.dispose()
    result = run_cli(capsys, "--db", db_url, "risks")
    assert result.code == 3
    assert "äldre schemaversion (0000)" in result.err and "riskreg db upgrade" in result.err


def test_a_file_that_is_not_a_database(capsys, tmp_path):
    path = tmp_path / "anteckningar.db"
    path.write_text("inte en databas " * 100)
    result = run_cli(capsys, "--db", f"sqlite:///{path}", "risks")
    assert result.code == 3
    assert "ingen riskreg-databas" in result.err


def test_locked_database_gives_a_clear_message_and_loses_nothing(
    capsys, db_url, monkeypatch, tmp_path
):
    monkeypatch.setenv("RISKREG_BUSY_TIMEOUT_MS", "100")
    valid = tmp_path / "plan.txt"
    valid.write_text("Verksamhet\tRisk\tÅtgärd\nHR\tRisken att X.\tGör Y.\n", encoding="utf-8")
    blocker = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli(
            capsys, "--db", db_url, "import", "plan", str(valid), "--year", "2026", "--nämnd", "HSN"
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.code == 3
    assert result.err == "Fel: Databasen är låst av ett annat program; försök igen om en stund.\n"
    ctx = make_context(db_url)
    assert [p.year for p in plans.list_plans(ctx)] == [2022, 2024]
    ctx.engine.dispose()


def test_locked_database_while_writing(capsys, db_url, monkeypatch, ctx):
    """A second writer holds the lock while a review is being saved."""
    from riskreg.domain.errors import DatabaseProblem
    from riskreg.services import reviews

    monkeypatch.setenv("RISKREG_BUSY_TIMEOUT_MS", "100")
    snapshot = plans.load_plan(ctx, 2024)
    ctx.engine.dispose()
    blocker = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseProblem, match="låst"):
            reviews.record_risk_review(ctx, snapshot.plan.id, snapshot.risks[0].id, 1, 2, 2)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert plans.load_plan(ctx, 2024).risks[0].reviews == ()


def test_unsupported_database_url(capsys):
    result = run_cli(capsys, "--db", "mysql://x@localhost/riskreg", "risks")
    assert result.code == 3 and "stöds inte" in result.err


def test_help_is_swedish(capsys):
    result = run_cli(capsys, "--help")
    assert result.code == 0
    assert "Användning:" in result.out and "Kommandon" in result.out and "risks" in result.out


def test_without_a_terminal_riskreg_gives_a_hint_instead_of_waiting(tmp_path):
    """Piped or in a script, ``riskreg`` (and ``riskreg tui``) must not start a full-screen
    UI that waits for keys: a real process with no terminal exits 2 with a Swedish hint."""
    db = f"sqlite:///{tmp_path / 'r.db'}"
    for args in ([], ["tui"]):
        done = subprocess.run(
            [sys.executable, "-m", "riskreg", "--db", db, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2
        assert "Terminalgränssnittet behöver en terminal" in done.stderr
        assert not (tmp_path / "r.db").exists()
