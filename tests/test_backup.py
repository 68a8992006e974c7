"""``riskreg backup`` and ``riskreg restore``: a copy taken while another process writes
holds everything committed before it (a plain file copy does not: the WAL), a restore
checks the file first, keeps the replaced register, waits for writers and leaves SQLite's
journal files consistent; on PostgreSQL the commands explain (or run) pg_dump."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from riskreg.db.target import SCHEMA_HEAD
from riskreg.services import backup as service
from riskreg.services import plans, reviews
from riskreg.services.context import Context
from tests.clirun import Result, run_cli

WORKER = Path(__file__).with_name("concurrency_worker.py")
REFS = ["HR-01", "EK-01", "EK-02", "EK-03"]
Capsys = pytest.CaptureFixture[str]


# -- helpers --------------------------------------------------------------------------------


def _path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Read a database file as SQLite sees it (its WAL included), without changing it."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _entries(path: Path) -> list[tuple[Any, ...]]:
    return _query(path, "SELECT seq, hash FROM audit_entry ORDER BY seq")


def _reviews(path: Path) -> int:
    return int(_query(path, "SELECT count(*) FROM risk_review")[0][0])


def _review(ctx: Context, count: int = 5) -> None:
    snapshot = plans.load_plan(ctx, 2024)
    for risk in snapshot.risks[:count]:
        reviews.record_risk_review(ctx, snapshot.plan.id, risk.id, 1, 3, 2)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _kept(live: Path) -> list[Path]:
    return sorted(live.parent.glob(f"{live.name}.{service.KEPT}-*[0-9]"))


def _backup(capsys: Capsys, url: str, file: Path, *extra: str) -> Result:
    return run_cli(capsys, "--db", url, "backup", str(file), *extra)


def _restore(capsys: Capsys, url: str, file: Path, *extra: str) -> Result:
    return run_cli(capsys, "--db", url, "restore", str(file), *extra)


def _worker(url: str, rounds: int) -> subprocess.Popen[str]:
    """A process saving reviews of REFS in quarter 1, round after round."""
    argv = [sys.executable, str(WORKER), url, str(time.time()), "reviews", "1", str(rounds)]
    return subprocess.Popen(
        [*argv, *REFS], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_saves(live: Path, baseline: int, more: int) -> None:
    deadline = time.monotonic() + 60
    while len(_entries(live)) < baseline + more:
        assert time.monotonic() < deadline, "the worker saved nothing"
        time.sleep(0.05)


@pytest.fixture
def backed_up(capsys: Capsys, db_url: str, tmp_path: Path) -> Path:
    """A verified backup of the seeded register (no reviews yet)."""
    file = tmp_path / "kopior" / "register-kopia.db"
    file.parent.mkdir()
    result = _backup(capsys, db_url, file)
    assert result.code == 0, result.err
    return file


# -- backup ---------------------------------------------------------------------------------


def test_a_backup_taken_while_another_process_writes_holds_all_committed_before_it(
    capsys: Capsys, db_url: str, tmp_path: Path
) -> None:
    live, file = _path(db_url), tmp_path / "kopia.db"
    baseline = len(_entries(live))
    worker = _worker(db_url, rounds=100_000)
    try:
        _wait_for_saves(live, baseline, more=20)
        committed = _entries(live)  # everything committed before the backup starts
        assert Path(f"{live}-wal").stat().st_size > 0  # ... much of it still in the WAL
        result = _backup(capsys, db_url, file)
        still_writing = worker.poll() is None
    finally:
        worker.terminate()
        _, err = worker.communicate(timeout=60)
    assert still_writing, err  # the backup really ran while the worker was saving
    assert result.code == 0, result.err
    copied = _entries(file)
    assert copied[: len(committed)] == committed
    assert len(_entries(live)) > len(copied)  # the worker went on after the snapshot
    assert run_cli(capsys, "--db", f"sqlite:///{file}", "audit", "verify").code == 0


def test_a_plain_file_copy_misses_what_the_wal_holds_and_backup_does_not(
    capsys: Capsys, ctx: Context, tmp_path: Path
) -> None:
    """Why the command exists: ``cp`` of a register in use copies the main file only."""
    live = _path(ctx.target.url)
    _review(ctx)  # committed; the engine's open connection keeps it in the WAL
    assert Path(f"{live}-wal").stat().st_size > 0
    shutil.copyfile(live, tmp_path / "cp.db")
    result = _backup(capsys, ctx.target.url, tmp_path / "backup.db")
    assert result.code == 0, result.err
    assert _reviews(live) == 5
    assert _reviews(tmp_path / "cp.db") == 0  # the five committed reviews are lost
    assert _reviews(tmp_path / "backup.db") == 5
    assert _entries(tmp_path / "backup.db") == _entries(live)


def test_the_backup_is_private_one_file_and_summed_up_in_one_line(
    capsys: Capsys, db_url: str, backed_up: Path
) -> None:
    assert stat.S_IMODE(backed_up.stat().st_mode) == 0o600
    assert _listing(backed_up.parent) == [backed_up.name]  # no -wal, -shm or temporary file
    assert _query(backed_up, "PRAGMA journal_mode") == [("delete",)]
    assert _query(backed_up, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    result = _backup(capsys, db_url, backed_up, "--force")
    assert result.code == 0 and result.out == ""
    (line,) = result.err.splitlines()
    entries = _entries(backed_up)
    assert str(backed_up) in line and "kB" in line
    assert f"{len(entries)} loggposter" in line
    assert f"senaste hash {str(entries[-1][1])[:16]}…" in line


def test_backup_refuses_to_overwrite_without_force(
    capsys: Capsys, ctx: Context, backed_up: Path
) -> None:
    before = _digest(backed_up)
    _review(ctx)
    refused = _backup(capsys, ctx.target.url, backed_up)
    assert refused.code == 1 and "--force" in refused.err
    assert _digest(backed_up) == before
    forced = _backup(capsys, ctx.target.url, backed_up, "--force")
    assert forced.code == 0, forced.err
    assert _reviews(backed_up) == 5
    assert stat.S_IMODE(backed_up.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("register.db", "registret självt"),
        ("register.db-wal", "registret självt"),
        ("saknas/kopia.db", "Mappen"),
        ("länk.db", "ingen vanlig fil"),
    ],
)
def test_backup_refuses_a_file_it_must_not_write(
    capsys: Capsys, db_url: str, tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "annan.db").write_text("orörd")
    (tmp_path / "länk.db").symlink_to(tmp_path / "annan.db")
    before = _listing(tmp_path)
    result = _backup(capsys, db_url, tmp_path / name, "--force")
    assert result.code == 1 and message in result.err, result.err
    assert _listing(tmp_path) == before
    assert (tmp_path / "annan.db").read_text() == "orörd"


def test_backup_of_a_missing_register_is_a_database_problem(capsys: Capsys, tmp_path: Path) -> None:
    result = _backup(capsys, f"sqlite:///{tmp_path / 'finns-inte.db'}", tmp_path / "k.db")
    assert result.code == 3 and "Traceback" not in result.err
    assert _listing(tmp_path) == []


def test_backup_of_a_tampered_register_is_written_and_exits_4(
    capsys: Capsys, db_url: str, tmp_path: Path
) -> None:
    with sqlite3.connect(_path(db_url)) as connection:
        connection.execute("UPDATE audit_entry SET actor = 'någon annan' WHERE seq = 1")
    result = _backup(capsys, db_url, tmp_path / "kopia.db")
    assert result.code == 4
    assert "Post 1 har ändrats" in result.err and "Registret har samma fel" in result.err
    assert (tmp_path / "kopia.db").exists()


# -- restore --------------------------------------------------------------------------------


def test_restore_refuses_without_force_then_keeps_the_old_register(
    capsys: Capsys, ctx: Context, backed_up: Path
) -> None:
    live = _path(ctx.target.url)
    _review(ctx)  # after the backup: the register now differs from it
    refused = _restore(capsys, ctx.target.url, backed_up)
    assert refused.code == 1 and "--force" in refused.err
    assert _reviews(live) == 5 and _kept(live) == []

    result = _restore(capsys, ctx.target.url, backed_up, "--force")
    assert result.code == 0, result.err
    (kept,) = _kept(live)
    assert f"finns kvar som {kept}" in result.err
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert _reviews(kept) == 5 and service.examine(kept).verdict.ok  # what was replaced
    assert _reviews(live) == 0 and _entries(live) == _entries(backed_up)
    # A connection opened before the restore (the engine's pool) sees the restored register.
    assert all(not r.reviews for r in plans.load_plan(ctx, 2024).risks)
    risks = run_cli(capsys, "--db", ctx.target.url, "risks", "--format", "json")
    assert risks.code == 0 and json.loads(risks.out)
    verified = run_cli(capsys, "--db", ctx.target.url, "audit", "verify")
    assert verified.code == 0, verified.err
    assert int(verified.out.split()[0]) == len(_entries(backed_up))
    assert not [p for p in live.parent.iterdir() if p.name.endswith(".tmp")]


def test_restore_while_another_process_writes_waits_and_loses_no_save(
    capsys: Capsys, db_url: str, backed_up: Path
) -> None:
    """Every save the worker made lands either in the kept register (before the restore)
    or in the restored one (after it): the old register is copied aside under the same
    write lock as the restore, so no save falls between the two."""
    live = _path(db_url)
    baseline, restored_from = len(_entries(live)), len(_entries(backed_up))
    worker = _worker(db_url, rounds=150)
    try:
        _wait_for_saves(live, baseline, more=20)
        result = _restore(capsys, db_url, backed_up, "--force")
    finally:
        out, err = worker.communicate(timeout=120)
    assert result.code == 0, result.err
    assert worker.returncode == 0, err
    outcome = json.loads(out)
    assert outcome["refused"] == [] and outcome["saved"] == 150 * len(REFS)
    (kept,) = _kept(live)
    before, after = len(_entries(kept)) - baseline, len(_entries(live)) - restored_from
    # The restore began after at least 20 saves; whether the worker had finished by the
    # time it took the lock depends on the machine, but no save may be lost either way.
    assert before >= 20, (before, after)
    assert before + after == outcome["saved"]
    assert service.examine(kept).verdict.ok
    assert _query(live, "PRAGMA integrity_check") == [("ok",)]
    assert _entries(live)[:restored_from] == _entries(backed_up)
    verified = run_cli(capsys, "--db", db_url, "audit", "verify")
    assert verified.code == 0, verified.err


def test_restore_gives_up_when_a_writer_holds_the_register(
    capsys: Capsys, db_url: str, backed_up: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKREG_BUSY_TIMEOUT_MS", "200")
    live = _path(db_url)
    before = _listing(live.parent)
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        result = _restore(capsys, db_url, backed_up, "--force")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.code == 3 and "försök igen" in result.err, result.err
    assert _listing(live.parent) == before  # nothing kept, nothing left over
    assert _reviews(live) == 0 and _query(live, "PRAGMA integrity_check") == [("ok",)]


def test_restore_of_a_tampered_backup_is_refused_with_exit_4(
    capsys: Capsys, ctx: Context, backed_up: Path
) -> None:
    with sqlite3.connect(backed_up) as connection:
        connection.execute("UPDATE audit_entry SET after = NULL WHERE seq = 2")
    live = _path(ctx.target.url)
    _review(ctx)
    before, entries = _listing(live.parent), _entries(live)
    result = _restore(capsys, ctx.target.url, backed_up, "--force")
    assert result.code == 4
    assert "Post 2 har ändrats" in result.err and "Ingenting ersattes" in result.err
    assert _listing(live.parent) == before and _entries(live) == entries


def _text_file(file: Path, _backup: Path) -> None:
    file.write_text("Verksamhet\tRisk\tÅtgärd\n")


def _other_sqlite(file: Path, _backup: Path) -> None:
    with sqlite3.connect(file) as connection:
        connection.execute("CREATE TABLE anteckning (text)")


def _truncated(file: Path, backup: Path) -> None:
    file.write_bytes(backup.read_bytes()[:20_000])


def _older(file: Path, backup: Path) -> None:
    shutil.copyfile(backup, file)
    with sqlite3.connect(file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0003'")


def _broken_link(file: Path, backup: Path) -> None:
    shutil.copyfile(backup, file)
    with sqlite3.connect(file) as connection:  # foreign keys are off by default
        connection.execute("DELETE FROM committee")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_text_file, "ingen riskreg-databas (inte en SQLite-fil)"),
        (_other_sqlite, "en SQLite-fil men ingen riskreg-databas"),
        (_truncated, "är skadad"),
        (_older, "äldre schemaversion (0003)"),
        (_broken_link, "rader pekar på rader som saknas"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_whole_register(
    capsys: Capsys,
    db_url: str,
    backed_up: Path,
    tmp_path: Path,
    make: Callable[[Path, Path], None],
    message: str,
) -> None:
    file = tmp_path / "fel.db"
    make(file, backed_up)
    live = _path(db_url)
    before, digest = _listing(live.parent), _digest(live)
    result = _restore(capsys, db_url, file, "--force")
    assert result.code == 1 and message in result.err, result.err
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err
    assert _listing(live.parent) == before and _digest(live) == digest


def test_restore_refuses_the_register_itself(capsys: Capsys, db_url: str) -> None:
    result = _restore(capsys, db_url, _path(db_url), "--force")
    assert result.code == 1 and "registret självt" in result.err


def test_restore_onto_a_missing_register_sets_a_stale_wal_aside(
    capsys: Capsys, ctx: Context, backed_up: Path, tmp_path: Path
) -> None:
    """A ``-wal`` left where the register was would be replayed into the new file."""
    _review(ctx)
    new = tmp_path / "ny" / "riskreg.db"
    new.parent.mkdir()
    shutil.copyfile(f"{_path(ctx.target.url)}-wal", f"{new}-wal")
    result = _restore(capsys, f"sqlite:///{new}", backed_up)
    assert result.code == 0, result.err
    assert "finns kvar" not in result.err
    assert _reviews(new) == 0 and _query(new, "PRAGMA integrity_check") == [("ok",)]
    assert len(list(new.parent.glob(f"riskreg.db.{service.KEPT}-*-wal"))) == 1
    assert run_cli(capsys, "--db", f"sqlite:///{new}", "audit", "verify").code == 0


def test_restore_replaces_a_register_that_is_no_database(
    capsys: Capsys, backed_up: Path, tmp_path: Path
) -> None:
    live = tmp_path / "trasig.db"
    live.write_bytes(b"\x00" * 5000)
    result = _restore(capsys, f"sqlite:///{live}", backed_up, "--force")
    assert result.code == 0, result.err
    (kept,) = _kept(live)
    assert kept.read_bytes() == b"\x00" * 5000
    assert run_cli(capsys, "--db", f"sqlite:///{live}", "audit", "verify").code == 0


def test_restore_of_a_file_copied_with_its_wal_reads_the_wal_and_leaves_no_litter(
    capsys: Capsys, ctx: Context, tmp_path: Path
) -> None:
    _review(ctx)
    live, copy = _path(ctx.target.url), tmp_path / "gammal" / "kopia.db"
    copy.parent.mkdir()
    shutil.copyfile(live, copy)
    shutil.copyfile(f"{live}-wal", f"{copy}-wal")
    target = tmp_path / "återställd.db"
    result = _restore(capsys, f"sqlite:///{target}", copy)
    assert result.code == 0, result.err
    assert _reviews(target) == 5
    assert _listing(copy.parent) == ["kopia.db", "kopia.db-wal"]


def test_restore_of_a_backup_with_another_page_size(
    capsys: Capsys, db_url: str, backed_up: Path
) -> None:
    with sqlite3.connect(backed_up, isolation_level=None) as connection:
        connection.execute("PRAGMA page_size = 8192")
        connection.execute("VACUUM")
    assert _query(backed_up, "PRAGMA page_size") == [(8192,)]
    result = _restore(capsys, db_url, backed_up, "--force")
    assert result.code == 0, result.err
    assert _query(_path(db_url), "PRAGMA page_size") == [(4096,)]
    assert run_cli(capsys, "--db", db_url, "audit", "verify").code == 0


# -- PostgreSQL -----------------------------------------------------------------------------

PG_URL = "postgresql://anna:hemligt%21@db.example:5433/riskreg?sslmode=require"


def test_backup_on_postgresql_explains_pg_dump(capsys: Capsys, tmp_path: Path) -> None:
    file = tmp_path / "riskreg.dump"
    result = _backup(capsys, PG_URL, file)
    assert result.code == 1
    command = f"PGPASSWORD=*** pg_dump -Fc -f {file} 'postgresql://anna@db.example:5433/riskreg"
    assert command + "?sslmode=require'" in result.err
    assert "hemligt" not in result.err + result.out
    assert not file.exists()


def test_backup_on_postgresql_without_pg_dump_says_so(
    capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = _backup(capsys, PG_URL, tmp_path / "riskreg.dump", "--kör")
    assert result.code == 1 and "pg_dump finns inte i PATH" in result.err


def test_restore_on_postgresql_explains_pg_restore(capsys: Capsys, tmp_path: Path) -> None:
    result = _restore(capsys, PG_URL, tmp_path / "riskreg.dump")
    assert result.code == 1
    assert "pg_restore --clean --if-exists --single-transaction -d" in result.err
    assert "hemligt" not in result.err and "audit verify" in result.err


def test_the_password_reaches_pg_dump_through_the_environment() -> None:
    from riskreg.db.target import resolve_target

    command = service.pg_command(resolve_target(PG_URL), "pg_dump", Path("x.dump"))
    assert command.password == "hemligt!"
    assert not any("hemligt" in part for part in command.argv)


needs_pg_dump = pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump saknas")


@needs_pg_dump
def test_a_failing_pg_dump_leaves_nothing(capsys: Capsys, tmp_path: Path) -> None:
    result = _backup(capsys, "postgresql://ingen@127.0.0.1:1/riskreg", tmp_path / "x.dump", "--run")
    assert result.code == 3 and "pg_dump misslyckades" in result.err
    assert _listing(tmp_path) == []


@needs_pg_dump
@pytest.mark.parametrize(
    "backend_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_pg_dump_runs_with_kör(capsys: Capsys, seeded_backend: Context, tmp_path: Path) -> None:
    file = tmp_path / "riskreg.dump"
    result = _backup(capsys, seeded_backend.target.url, file, "--kör")
    assert result.code == 0, result.err
    assert stat.S_IMODE(file.stat().st_mode) == 0o600 and file.stat().st_size > 0
    assert "pg_restore --list läser arkivet" in result.err
    assert "inte kontrollerade" in result.err  # honest: the content was not verified
    assert os.listdir(tmp_path) == ["riskreg.dump"]
