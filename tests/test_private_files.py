"""A new register is readable by its user only (the log holds user names)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.clirun import run_cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_folder_are_private(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default register (in the user's data folder, made on first use)."""
    monkeypatch.delenv("RISKREG_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = tmp_path / "data" / "riskreg" / "riskreg.db"
    old = os.umask(0o022)
    try:
        assert run_cli(capsys, "init").code == 0
        assert run_cli(capsys, "seed").code == 0
    finally:
        os.umask(old)
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    for extra in path.parent.glob("riskreg.db-*"):  # -wal and -shm follow the main file
        assert _mode(extra) & 0o077 == 0, extra


def test_a_named_database_in_a_missing_folder_makes_no_folders(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A typo in --db must not leave folders behind: one sentence, exit 3."""
    path = tmp_path / "finns-inte" / "riskreg.db"
    result = run_cli(capsys, "--db", f"sqlite:///{path}", "init")
    assert result.code == 3
    assert f"Mappen {path.parent} för databasfilen finns inte." in result.err
    assert not path.parent.exists()


def test_an_existing_file_keeps_its_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "delad.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    assert run_cli(capsys, "--db", f"sqlite:///{path}", "init").code == 0
    assert _mode(path) == 0o640
