"""Where a report file goes, and writing it so that a failure leaves nothing half-done.

Shared by ``riskreg report isk`` and the TUI's ISK screen, so both name and write the
PDF the same way.
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


# Read once, at import: the umask is process-wide, and setting it from the TUI's worker
# thread would race with anything else creating files.
_UMASK = _read_umask()


def default_file_name(committee: str, year: int) -> str:
    """``isk-bedomning-halso-och-sjukvardsnamnden-2024.pdf``: safe in any shell."""
    ascii_name = unicodedata.normalize("NFKD", committee).encode("ascii", "ignore").decode()
    slug = "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())
    return f"isk-bedomning-{slug or 'namnd'}-{year}.pdf"


def export_target(typed: str | Path | None, folder: Path, default_name: str) -> Path:
    """The file to write for what the user gave: nothing means the default name in
    ``folder``, a relative path counts from ``folder``, a folder gets the default name.
    Raises ``InvalidInput`` when the folder does not exist."""
    text = str(typed).strip() if typed is not None else ""
    path = Path(text).expanduser() if text else Path(default_name)
    if not path.is_absolute():
        path = folder / path
    if path.is_dir():
        return path / default_name
    if not path.parent.is_dir():
        raise InvalidInput(f"Mappen {path.parent} finns inte.")
    return path


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
