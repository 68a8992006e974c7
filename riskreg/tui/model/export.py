"""Where an exported PDF goes, and writing it so that a failure leaves nothing half-done.

``default_file_name`` and ``write_atomically`` repeat ``riskreg.cli.isk`` (a test checks
that the names agree): the layers let cli import tui, not the other way round, and neither
report nor services is the place for file names and disk writes.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

from riskreg.domain.errors import InvalidInput


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once, at import on the UI thread: the umask is process-wide, and setting it from
# the worker thread that writes the file would race with anything else creating files.
_UMASK = _read_umask()


def default_file_name(committee: str, year: int) -> str:
    """``isk-bedomning-halso-och-sjukvardsnamnden-2024.pdf``: safe in any shell."""
    ascii_name = unicodedata.normalize("NFKD", committee).encode("ascii", "ignore").decode()
    slug = "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())
    return f"isk-bedomning-{slug or 'namnd'}-{year}.pdf"


def export_target(typed: str, folder: Path, default_name: str) -> tuple[Path | None, str]:
    """The file to write for what the user typed: empty means the default name in
    ``folder``, a relative path counts from ``folder``, a folder gets the default name.
    ``(None, message)`` when it cannot be written there."""
    text = typed.strip()
    path = Path(text).expanduser() if text else Path(default_name)
    if not path.is_absolute():
        path = folder / path
    if path.is_dir():
        return path / default_name, ""
    if not path.parent.is_dir():
        return None, f"Mappen {path.parent} finns inte."
    return path, ""


def write_atomically(target: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: a failure leaves nothing
    half-written, and an existing file is replaced only by a complete one."""
    folder = target.parent
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InvalidInput(f"Kan inte skriva i mappen {folder}: {exc.strerror}.") from exc
    try:
        os.chmod(temp, 0o666 & ~_UMASK)  # mkstemp makes it private; a PDF is not
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InvalidInput(f"Kan inte skriva {target}: {exc.strerror}.") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
