"""Files riskreg writes for the user (reports, backups): the rules they all follow.

- A file is written only to a regular file or a new name. A symbolic link, a directory, a
  named pipe, a device or a socket at that name is refused, looked at with ``lstat`` (a link
  is never followed), so a link planted in a shared folder cannot redirect a write.
- A folder is checked (exists, is a folder, a file can be created in it) before the work
  that produces the file starts.
- While a temporary file exists, SIGTERM and SIGHUP are turned into ``KeyboardInterrupt``
  so the cleanup runs.
- The system's reasons a user can act on are said in Swedish.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from riskreg.domain.errors import InvalidInput

_TERMINATING = (signal.SIGTERM, signal.SIGHUP)  # SIGINT already raises KeyboardInterrupt
# The system's reasons, in Swedish: a user never reads an English system message. A reason
# not listed here is named by its symbol (``systemfel ESTALE``), which a technician can look up.
_REASONS = {
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.ENOENT: "sökvägen finns inte eller tar inte emot filer",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EISDIR: "det är en mapp",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.ELOOP: "för många symboliska länkar i sökvägen",
    errno.EEXIST: "namnet finns redan",
    errno.EBUSY: "filen används",
    errno.ETXTBSY: "filen används",
    errno.EIO: "in- eller utmatningsfel på disken",
    errno.EMFILE: "för många öppna filer",
    errno.ENFILE: "för många öppna filer i systemet",
    errno.EXDEV: "filen kan inte flyttas mellan filsystem",
    errno.EINVAL: "ogiltigt namn för filsystemet",
    errno.EOPNOTSUPP: "filsystemet stöder inte åtgärden",
    errno.EFBIG: "filen blir för stor",
    errno.ENXIO: "ingen enhet tar emot filen",
    errno.ESTALE: "nätverksfilen är inte längre tillgänglig",
}


def check_target(target: Path) -> None:
    """Refuse a target that is not a regular file or a new name, or whose folder cannot
    take the file."""
    check_folder(target.parent)
    existing_mode(target)


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
        raise InvalidInput(f"Kan inte skriva i mappen {folder}: {reason(exc)}.") from exc


def existing_mode(target: Path) -> int | None:
    """The permission bits of the regular file at ``target``, None when nothing is there;
    anything else there is refused."""
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InvalidInput(f"Kan inte läsa {target}: {reason(exc)}.") from exc
    if stat.S_ISREG(found.st_mode):
        return stat.S_IMODE(found.st_mode)
    raise InvalidInput(
        f"{target} är ingen vanlig fil utan {_kind(found.st_mode)}: riskreg skriver bara "
        "till en vanlig fil eller ett nytt filnamn."
    )


def reason(exc: OSError) -> str:
    """Why ``exc`` happened, in Swedish (see ``_REASONS``)."""
    code = exc.errno or 0
    if code in _REASONS:
        return _REASONS[code]
    return f"systemfel {errno.errorcode.get(code, code)}"


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


@contextmanager
def terminating_raises_interrupt() -> Iterator[None]:
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
