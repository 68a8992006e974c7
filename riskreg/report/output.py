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


def default_file_name(
    committee: str, year: int, *, fmt: str = "pdf", kind: str = ISK_KIND, part: str = ""
) -> str:
    """``isk-bedomning-halso-och-sjukvardsnamnden-2024.pdf``: safe in any shell. ``part``
    (e.g. ``kv2``) follows the year."""
    tail = f"-{part}" if part else ""
    return f"{kind}-{ascii_slug(committee) or 'namnd'}-{year}{tail}{SUFFIXES[fmt]}"


PDF = ".pdf"
_KIND = {PDF: "en PDF", ".html": "en HTML-fil", ".xlsx": "en Excel-arbetsbok", ".csv": "en CSV-fil"}


def export_target(
    typed: str | Path | None, folder: Path, default_name: str, suffix: str = PDF
) -> Path:
    """The file to write for what the user gave: nothing means the default name in
    ``folder``, a relative path counts from ``folder``, a folder gets the default name.
    Raises ``InvalidInput`` when the file or its folder cannot be written (see module) or
    a named file does not end in ``suffix``."""
    path, is_folder = _chosen(typed, folder, suffix)
    target = path / default_name if is_folder else path
    check_target(target)
    return target


def check_export(typed: str | Path | None, folder: Path, suffix: str = PDF) -> None:
    """What ``export_target`` can check before the file name is known (before the
    report is built): the folder, and the file when the user named one."""
    path, is_folder = _chosen(typed, folder, suffix)
    if is_folder:
        check_folder(path)
    else:
        check_target(path)


PARTS = ("pm", "bilaga")  # the two handlingar of ``--delar``, in this order


def part_targets(typed: str | Path | None, folder: Path, default_name: str) -> list[Path]:
    """The files of ``--delar``: ``STAM-pm.pdf`` and ``STAM-bilaga.pdf``, where the stem is
    what the user named (``-o ut/isk`` or ``-o ut/isk.pdf``) or, for a folder or nothing,
    the default name's. Raises ``InvalidInput`` as ``export_target`` does."""
    stem = _stem(typed, folder, default_name)
    targets = [stem.with_name(f"{stem.name}-{part}{PDF}") for part in PARTS]
    for target in targets:
        check_target(target)
    return targets


def check_part_export(typed: str | Path | None, folder: Path) -> None:
    """What ``part_targets`` can check before the report is built."""
    stem = _stem(typed, folder, "x.pdf")
    check_folder(stem.parent)
    if typed is not None and str(typed).strip():
        for part in PARTS:
            existing_mode(stem.with_name(f"{stem.name}-{part}{PDF}"))


def _stem(typed: str | Path | None, folder: Path, default_name: str) -> Path:
    text = str(typed).strip() if typed is not None else ""
    path = Path(text).expanduser() if text else folder
    if not path.is_absolute():
        path = folder / path
    if not text or text.endswith(("/", os.sep)) or (path.is_dir() and not path.is_symlink()):
        return path / Path(default_name).stem
    if path.suffix and path.suffix.casefold() != PDF:
        raise InvalidInput(
            f"Filnamnet {path.name} slutar på {path.suffix}, men delarna är PDF-filer: ange "
            f"en mapp, ett namn utan ändelse eller ett som slutar på {PDF}."
        )
    return path.with_suffix("") if path.suffix else path


def _chosen(typed: str | Path | None, folder: Path, suffix: str) -> tuple[Path, bool]:
    """The path the user means, and whether it names a folder: an existing folder (a link
    to a folder does not count: it is refused like any other link) or a path ending in
    ``/``, which must then be a folder. A file must end in ``suffix``."""
    text = str(typed).strip() if typed is not None else ""
    if not text:
        return folder, True
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = folder / path
    if text.endswith(("/", os.sep)) or (path.is_dir() and not path.is_symlink()):
        return path, True
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return path, False  # check_target says what is there instead of a file
    if path.suffix.casefold() != suffix:
        found = f"slutar på {path.suffix}" if path.suffix else "har ingen filändelse"
        raise InvalidInput(
            f"Filnamnet {path.name} {found}, men filen blir {_KIND.get(suffix, suffix)}: "
            f"ange ett namn som slutar på {suffix} eller en mapp."
        )
    return path, False


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
