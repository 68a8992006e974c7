"""Where a report file goes, and writing it so that a failure leaves nothing half-done.

Shared by ``riskreg report isk`` and the TUI's ISK screen, so both name, check and write
the PDF the same way:

- the file written is a regular file or a new name. A symbolic link, a directory, a named
  pipe, a device or a socket at that name is refused (looked at with ``lstat``: a link is
  never followed), so a link planted in a shared folder cannot redirect the report and
  ``-o /dev/sda`` cannot overwrite a disk;
- the folder is checked (exists, is a folder, a file can be created in it) before the
  report is built, so a wrong path fails in a moment rather than after the layout;
- the PDF goes to a temporary file in the same folder, then replaces the target in one
  rename. A replaced file keeps its permission bits; a new file is private to its owner
  (0600, narrowed further by the umask), since the report describes the organisation's
  weak spots. The temporary file is removed on any error, on Ctrl-C and on SIGTERM/SIGHUP.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from riskreg.domain.errors import InvalidInput

_TERMINATING = (signal.SIGTERM, signal.SIGHUP)  # SIGINT already raises KeyboardInterrupt
# The system's reasons a user can act on, in Swedish; others are quoted as the system says.
_REASONS = {
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
}


def default_file_name(committee: str, year: int) -> str:
    """``isk-bedomning-halso-och-sjukvardsnamnden-2024.pdf``: safe in any shell."""
    ascii_name = unicodedata.normalize("NFKD", committee).encode("ascii", "ignore").decode()
    slug = "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())
    return f"isk-bedomning-{slug or 'namnd'}-{year}.pdf"


def export_target(typed: str | Path | None, folder: Path, default_name: str) -> Path:
    """The file to write for what the user gave: nothing means the default name in
    ``folder``, a relative path counts from ``folder``, a folder gets the default name.
    Raises ``InvalidInput`` when the file or its folder cannot be written (see module)."""
    path, is_folder = _chosen(typed, folder)
    target = path / default_name if is_folder else path
    check_target(target)
    return target


def check_export(typed: str | Path | None, folder: Path) -> None:
    """What ``export_target`` can check before the file name is known (before the
    report is built): the folder, and the file when the user named one."""
    path, is_folder = _chosen(typed, folder)
    if is_folder:
        check_folder(path)
    else:
        check_target(path)


def _chosen(typed: str | Path | None, folder: Path) -> tuple[Path, bool]:
    """The path the user means, and whether it names a folder (a link to a folder does
    not count: it is refused like any other link)."""
    text = str(typed).strip() if typed is not None else ""
    if not text:
        return folder, True
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = folder / path
    return path, path.is_dir() and not path.is_symlink()


def check_target(target: Path) -> None:
    """Refuse a target that is not a regular file or a new name, or whose folder cannot
    take the file."""
    check_folder(target.parent)
    _existing_mode(target)


def check_folder(folder: Path) -> None:
    """Refuse a folder that is missing, is not a folder, or where no file can be created.
    Trying beats ``os.access``, which answers yes to root on a read-only mount like /proc.
    The probe is an unnamed file where the system allows it (``O_TMPFILE``)."""
    if not folder.exists():
        raise InvalidInput(f"Mappen {folder} finns inte.")
    if not folder.is_dir():
        raise InvalidInput(f"{folder} är ingen mapp.")
    try:
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as exc:
        raise InvalidInput(f"Kan inte skriva i mappen {folder}: {_reason(exc)}.") from exc


def _existing_mode(target: Path) -> int | None:
    """The permission bits of the regular file at ``target``, None when nothing is there;
    anything else there is refused."""
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InvalidInput(f"Kan inte läsa {target}: {_reason(exc)}.") from exc
    if stat.S_ISREG(found.st_mode):
        return stat.S_IMODE(found.st_mode)
    raise InvalidInput(
        f"{target} är ingen vanlig fil utan {_kind(found.st_mode)}: riskreg skriver bara "
        "till en vanlig fil eller ett nytt filnamn."
    )


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "en symbolisk länk (länkar följs inte)"
    if stat.S_ISDIR(mode):
        return "en mapp"
    if stat.S_ISFIFO(mode):
        return "en namngiven pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhetsfil"
    if stat.S_ISSOCK(mode):
        return "en socket"
    return "en specialfil"


def write_atomically(target: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: a failure leaves nothing
    half-written, and an existing file is replaced only by a complete one (see module)."""
    mode = _existing_mode(target)
    folder = target.parent
    with _terminating_raises_interrupt():
        try:
            # mkstemp creates the file 0600, narrowed by the umask: a new report's mode.
            handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise InvalidInput(f"Kan inte skriva i mappen {folder}: {_reason(exc)}.") from exc
        replaced = False
        try:
            with os.fdopen(handle, "wb") as stream:
                if mode is not None:
                    os.fchmod(stream.fileno(), mode)
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp, target)
            replaced = True
        except OSError as exc:
            raise InvalidInput(f"Kan inte skriva {target}: {_reason(exc)}.") from exc
        finally:
            if not replaced:
                Path(temp).unlink(missing_ok=True)


@contextmanager
def _terminating_raises_interrupt() -> Iterator[None]:
    """While the temporary file exists, SIGTERM and SIGHUP raise ``KeyboardInterrupt``
    (as Ctrl-C does), so the cleanup above runs instead of the process dying with the
    file left behind. The previous handlers are back afterwards. Only signals left at
    their default are taken (one the program ignores stays ignored), and only on the main
    thread, the one Python runs handlers on: the TUI writes from a worker, and there
    Textual owns the signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {
        signum: signal.signal(signum, _interrupt)
        for signum in _TERMINATING
        if signal.getsignal(signum) is signal.SIG_DFL
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)
