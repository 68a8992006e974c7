"""``riskreg report isk -o``: the report goes only to a regular file or a new name, keeps
a replaced file's permissions, makes new files private, checks the folder before the
slow part, leaves no temporary file behind, and ``-o -`` writes the PDF to stdout."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from riskreg.domain.errors import InvalidInput
from riskreg.report.output import default_file_name, write_atomically
from riskreg.services.files import check_target, reason
from tests.clirun import Result, run_cli

NAME = default_file_name("Hälso- och sjukvårdsnämnden", 2024)
PDF = b"%PDF-1.4 test\n"


def report(capsys: pytest.CaptureFixture[str], db_url: str, output: str | Path) -> Result:
    return run_cli(capsys, "--db", db_url, "report", "isk", "--year", "2024", "-o", str(output))


def assert_refused_before_building(result: Result, *words: str) -> None:
    """Exit 1 with one Swedish sentence, before the register was even read."""
    assert result.code == 1
    assert result.out == ""
    assert "Läser registret" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fel: ") and lines[0].endswith(".")
    for word in words:
        assert word in result.err


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


# -- what is refused -----------------------------------------------------------------------


def test_a_symlink_is_refused_and_not_followed(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    victim = tmp_path / "viktig.txt"
    victim.write_text("orörd")
    link = tmp_path / "isk.pdf"
    link.symlink_to(victim)
    result = report(capsys, db_url, link)
    assert_refused_before_building(result, str(link), "symbolisk länk")
    assert link.is_symlink() and victim.read_text() == "orörd"


def test_a_link_to_a_folder_is_refused_too(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "mapp").mkdir()
    (tmp_path / "länk").symlink_to(tmp_path / "mapp")
    result = report(capsys, db_url, tmp_path / "länk")
    assert_refused_before_building(result, "symbolisk länk")
    assert list((tmp_path / "mapp").iterdir()) == []


def test_a_fifo_is_refused_without_opening_it(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "isk.pdf"
    os.mkfifo(fifo)  # opening it for writing would block this test: it must not be opened
    result = report(capsys, db_url, fifo)
    assert_refused_before_building(result, "namngiven pipe")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["isk.pdf", "register.db"]


def test_a_device_is_refused_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    devices = Path(os.devnull).parent
    before = sorted(p.name for p in devices.iterdir())
    result = report(capsys, db_url, os.devnull)
    assert_refused_before_building(result, os.devnull, "enhetsfil")
    assert stat.S_ISCHR(os.lstat(os.devnull).st_mode)
    assert sorted(p.name for p in devices.iterdir()) == before  # no temporary file there


def test_a_device_is_refused_by_the_writer_itself() -> None:
    """The TUI calls the writer directly: it refuses on its own, before a temporary file
    is made next to the device."""
    with pytest.raises(InvalidInput, match="enhetsfil"):
        write_atomically(Path(os.devnull), PDF)


def test_a_folder_where_the_file_would_go_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    """``-o MAPP`` puts the default name in the folder; a folder by that name is refused
    (it fails after the report is built: the name depends on the plan)."""
    out = tmp_path / "ut"
    (out / NAME).mkdir(parents=True)
    result = report(capsys, db_url, out)
    assert result.code == 1
    assert result.out == ""
    assert f"Fel: {out / NAME} är ingen vanlig fil utan en mapp" in result.err
    assert [p.name for p in out.iterdir()] == [NAME]


def test_a_missing_folder_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    result = report(capsys, db_url, tmp_path / "saknas" / "isk.pdf")
    assert_refused_before_building(result, f"Mappen {tmp_path / 'saknas'} finns inte.")


def test_a_file_as_folder_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "fil").write_text("")
    result = report(capsys, db_url, tmp_path / "fil" / "isk.pdf")
    assert_refused_before_building(result, "är ingen mapp")


def test_a_folder_without_write_permission_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    if os.geteuid() == 0:  # root may write in any folder: check as an ordinary user
        assert_refused_for_an_ordinary_user()
        return
    locked = tmp_path / "låst"
    locked.mkdir(mode=0o500)
    try:
        result = report(capsys, db_url, locked / "isk.pdf")
    finally:
        locked.chmod(0o700)
    assert_refused_before_building(result, f"Kan inte skriva i mappen {locked}")


def assert_refused_for_an_ordinary_user() -> None:
    """The folder check as user ``nobody``, in a forked child (root passes any permission
    check, so as root this is the only way to see the refusal)."""
    base = Path(tempfile.mkdtemp())
    try:
        base.chmod(0o755)
        locked = base / "låst"
        locked.mkdir(mode=0o555)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: drop to nobody, run the check, report its message
            os.close(read)
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                check_target(locked / "isk.pdf")
                message = "ingen vägran"
            except InvalidInput as exc:
                message = str(exc)
            except BaseException as exc:
                message = f"fel: {exc!r}"
            os.write(write, message.encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            message = pipe.read().decode()
        os.waitpid(pid, 0)
        assert message.startswith(f"Kan inte skriva i mappen {locked}"), message
        assert not (locked / "isk.pdf").exists()
    finally:
        shutil.rmtree(base)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_folder_no_file_can_be_made_in_is_refused_even_for_root(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    """/proc says "writable" to root's ``access()`` but takes no files: the check tries."""
    result = report(capsys, db_url, "/proc/isk.pdf")
    assert_refused_before_building(result, "Kan inte skriva i mappen /proc")
    assert "No such file" not in result.err  # the system's reason, said in Swedish


def test_a_file_named_as_a_folder_is_refused_not_overwritten(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    """``-o fil/`` means a folder; a file by that name is left alone."""
    (tmp_path / "fil").write_text("orörd")
    result = report(capsys, db_url, f"{tmp_path / 'fil'}/")
    assert_refused_before_building(result, f"{tmp_path / 'fil'} är ingen mapp.")
    assert (tmp_path / "fil").read_text() == "orörd"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("isk.txt", "Filnamnet isk.txt slutar på .txt, men filen blir en PDF"),
        ("isk", "Filnamnet isk har ingen filändelse"),
        ("isk.pdf.html", "slutar på .html"),
    ],
)
def test_a_suffix_that_does_not_match_the_format_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path, name: str, words: str
) -> None:
    result = report(capsys, db_url, tmp_path / name)
    assert_refused_before_building(result, words, "ange ett namn som slutar på .pdf")
    assert list(tmp_path.iterdir()) == [tmp_path / "register.db"] or not (tmp_path / name).exists()


def test_the_suffix_may_be_upper_case(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    result = report(capsys, db_url, tmp_path / "ISK.PDF")
    assert result.code == 0, result.err
    assert (tmp_path / "ISK.PDF").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "code", [errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG, errno.EIO, errno.ESTALE, 9999]
)
def test_every_system_reason_is_said_in_swedish(code: int) -> None:
    said = reason(OSError(code, os.strerror(code)))
    assert said != os.strerror(code)
    assert said.isascii() is False or said.startswith("systemfel")


# -- permissions ---------------------------------------------------------------------------


def test_a_replaced_file_keeps_its_permissions(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "isk.pdf"
    target.write_bytes(b"the previous report")
    target.chmod(0o640)
    result = report(capsys, db_url, target)
    assert result.code == 0, result.err
    assert result.out == f"{target}\n"
    assert target.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["isk.pdf", "register.db"]


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o600), (0o002, 0o600), (0o277, 0o400)])
def test_a_new_file_is_private_to_its_owner(tmp_path: Path, mask: int, mode: int) -> None:
    target = tmp_path / "isk.pdf"
    with umask(mask):
        write_atomically(target, PDF)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == PDF


def test_a_read_only_file_is_replaced_and_stays_read_only(tmp_path: Path) -> None:
    target = tmp_path / "isk.pdf"
    target.write_bytes(b"old")
    target.chmod(0o444)
    write_atomically(target, PDF)
    assert target.read_bytes() == PDF
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_the_cli_creates_a_new_file_0600(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    with umask(0o022):
        result = report(capsys, db_url, out)
    assert result.code == 0, result.err
    assert stat.S_IMODE((out / NAME).stat().st_mode) == 0o600


# -- cleaning up ---------------------------------------------------------------------------


def test_an_error_while_writing_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "isk.pdf"
    target.write_bytes(b"the previous report")

    def broken(_fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(InvalidInput, match=r"Kan inte skriva .*in- eller utmatningsfel på disken"):
        write_atomically(target, PDF)
    assert target.read_bytes() == b"the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["isk.pdf"]


def test_an_unexpected_error_and_ctrl_c_leave_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "isk.pdf"
    for error in (RuntimeError("oväntat"), KeyboardInterrupt()):

        def broken(_fd: int, error: BaseException = error) -> None:
            raise error

        monkeypatch.setattr(os, "fsync", broken)
        with pytest.raises(type(error)):
            write_atomically(target, PDF)
        assert list(tmp_path.iterdir()) == []


def test_signal_handlers_are_taken_only_during_the_write_and_given_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []
    real_fsync = os.fsync

    def watching(fd: int) -> None:
        seen.append(signal.getsignal(signal.SIGTERM))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", watching)
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        write_atomically(tmp_path / "a.pdf", PDF)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # an ignored signal stays ignored
        write_atomically(tmp_path / "b.pdf", PDF)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen[0] not in (signal.SIG_DFL, signal.SIG_IGN) and seen[1] is signal.SIG_IGN


SLOW_WRITE = textwrap.dedent(
    """
    import os, sys, time
    from riskreg.cli.main import main

    def slow_fsync(fd):
        print("MITT I SKRIVNINGEN", file=sys.stderr, flush=True)
        time.sleep(60)

    os.fsync = slow_fsync
    main(sys.argv[1:])
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_write_leaves_the_old_file_and_no_temporary_file(
    db_url: str, tmp_path: Path, signum: signal.Signals
) -> None:
    """The real command in a real process, stopped while the temporary file exists."""
    out = tmp_path / "ut"
    out.mkdir()
    target = out / "isk.pdf"
    target.write_bytes(b"the previous report")
    args = ["--db", db_url, "report", "isk", "--year", "2024", "-o", str(target)]
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, *args],
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a test run started in the background ignores SIGINT, and
        # Python keeps an inherited "ignore" instead of raising KeyboardInterrupt
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert child.stderr is not None
        for line in child.stderr:
            if line.startswith("MITT I SKRIVNINGEN"):
                break
        else:
            pytest.fail(f"the write never started (exit {child.wait()})")
        assert len(list(out.iterdir())) == 2  # the report and its temporary file
        child.send_signal(signum)
        rest = child.stderr.read()
        assert child.wait(timeout=30) == 130
    finally:
        child.kill()
        child.wait()
    assert rest.strip().endswith("Avbrutet.")
    assert [p.name for p in out.iterdir()] == ["isk.pdf"]
    assert target.read_bytes() == b"the previous report"


# -- standard output -----------------------------------------------------------------------


def test_dash_writes_the_pdf_to_stdout(db_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "riskreg", "--db", db_url, "report", "isk", "-o", "-"],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"%PDF") and result.stdout.rstrip().endswith(b"%%EOF")
    assert "Klart:" in result.stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.db"]


def test_dash_refuses_to_write_the_pdf_to_a_terminal(db_url: str) -> None:
    primary, secondary = os.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "riskreg", "--db", db_url, "report", "isk", "-o", "-"],
            stdout=secondary,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert result.returncode == 1
    assert "PDF:en skrivs inte till terminalen" in result.stderr.decode()
