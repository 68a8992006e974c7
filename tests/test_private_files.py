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
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "ny" / "riskreg.db"
    old = os.umask(0o022)
    try:
        assert run_cli(capsys, "--db", f"sqlite:///{path}", "init").code == 0
        assert run_cli(capsys, "--db", f"sqlite:///{path}", "seed").code == 0
    finally:
        os.umask(old)
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    for extra in path.parent.glob("riskreg.db-*"):  # -wal and -shm follow the main file
        assert _mode(extra) & 0o077 == 0, extra


def test_an_existing_file_keeps_its_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "delad.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    assert run_cli(capsys, "--db", f"sqlite:///{path}", "init").code == 0
    assert _mode(path) == 0o640
