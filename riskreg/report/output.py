"""Where a report file goes, and writing it so that a failure leaves nothing half-done.

Shared by ``riskreg report isk`` and the TUI's ISK screen, so both name, check and write
the PDF the same way, by the rules every file riskreg writes follows (``services.files``:
a regular file or a new name, the folder checked before the report is built, cleanup on
signals). The PDF goes to a temporary file in the same folder, then replaces the target
in one rename. A replaced file keeps its permission bits; a new file is private to its
owner (0600, narrowed further by the umask), since the report describes the
organisation's weak spots.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from riskreg.domain.errors import InvalidInput
from riskreg.domain.text import ascii_slug
from riskreg.services.files import (
    check_folder,
    check_target,
    existing_mode,
    reason,
    terminating_raises_interrupt,
)

ISK_KIND = "isk-bedomning"
FOLLOW_UP_KIND = "uppfoljning"
REGISTER_KIND = "register"
SUFFIXES = {"pdf": ".pdf", "html": ".html", "xlsx": ".xlsx", "csv": ".csv"}
FORMAT_NAMES = {"pdf": "PDF", "html": "HTML", "xlsx": "arbetsboken", "csv": "CSV"}


def default_file_name(
    committee: str, year: int, *, fmt: str = "pdf", kind: str = ISK_KIND, part: str = ""
) -> str:
    """``isk-bedomning-halso-och-sjukvardsnamnden-2024.pdf``: safe in any shell. ``part``
    (e.g. ``kv2``) follows the year."""
    tail = f"-{part}" if part else ""
    return f"{kind}-{ascii_slug(committee) or 'namnd'}-{year}{tail}{SUFFIXES[fmt]}"


def check_suffix(
    typed: str | Path | None, folder: Path, fmt: str, *, allow_bare: bool = False
) -> None:
    """A named file must end in the format's suffix (``.pdf``, ``.html``): a PDF called
    ``rapport.html`` would open as garbage, and the other way round. ``allow_bare`` lets a
    name without any suffix through (what ``report isk -o FIL`` always accepted)."""
    path, is_folder = _chosen(typed, folder)
    if is_folder or typed is None or str(typed).strip() == "-":
        return
    wanted = SUFFIXES[fmt]
    if allow_bare and not path.suffix:
        return
    if path.suffix.lower() != wanted:
        found = f"”{path.suffix}”" if path.suffix else "ingen filändelse"
        raise InvalidInput(
            f"{path.name} har {found}, men {FORMAT_NAMES[fmt]} skrivs till en fil som slutar "
            f"på {wanted}: byt namn på filen eller välj --format efter filändelsen."
        )


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


def write_atomically(target: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: a failure leaves nothing
    half-written, and an existing file is replaced only by a complete one (see module)."""
    mode = existing_mode(target)
    folder = target.parent
    with terminating_raises_interrupt():
        try:
            # mkstemp creates the file 0600, narrowed by the umask: a new report's mode.
            handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise InvalidInput(f"Kan inte skriva i mappen {folder}: {reason(exc)}.") from exc
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
            raise InvalidInput(f"Kan inte skriva {target}: {reason(exc)}.") from exc
        finally:
            if not replaced:
                Path(temp).unlink(missing_ok=True)
