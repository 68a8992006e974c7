"""What the terminal UI keeps for its user between runs, in the user's own directories:
the theme and the last nämnd and year shown (config), and drafts of text typed but not
yet saved in the register (data), offered the next time the same text is written.

Both are small JSON files written atomically; a file that cannot be read or written is
ignored (settings are a convenience and must never stop the app), except that a draft
is only deleted once its text is in the register or knowingly discarded.
``RISKREG_CONFIG_DIR`` and ``RISKREG_DRAFT_DIR`` move them (tests point them at a
temporary folder).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from riskreg.domain.errors import RiskregError
from riskreg.report.output import write_atomically


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("RISKREG_CONFIG_DIR") or user_config_dir("riskreg", False))


def draft_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(
        os.environ.get("RISKREG_DRAFT_DIR") or Path(user_data_dir("riskreg", False)) / "utkast"
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1).encode())
    except (OSError, RiskregError):
        return False
    return True


@dataclass(frozen=True)
class Remembered:
    theme: str | None = None
    committee: str | None = None
    year: int | None = None


class Settings:
    """The user's settings, per register (a user may open more than one database)."""

    def __init__(self, directory: Path, register: str) -> None:
        self.path = directory / "tui.json"
        self.register = register

    def load(self) -> Remembered:
        data = _read(self.path)
        theme = data.get("theme")
        mine = data.get("registers", {}).get(self.register, {})
        committee, year = mine.get("committee"), mine.get("year")
        return Remembered(
            theme=theme if isinstance(theme, str) else None,
            committee=committee if isinstance(committee, str) else None,
            year=year if isinstance(year, int) else None,
        )

    def save(self, **changes: Any) -> None:
        data = _read(self.path)
        if "theme" in changes:
            data["theme"] = changes.pop("theme")
        if changes:
            registers = data.setdefault("registers", {})
            registers.setdefault(self.register, {}).update(changes)
        _write(self.path, data)


@dataclass(frozen=True)
class Draft:
    key: str  # what the text is for: "kommentar risk 12 plan 3 kv 2"
    label: str  # Swedish, shown when it is offered: "kommentar till HR-01 2024 kv 2"
    text: str
    saved_at: str  # local time, minutes


class Drafts:
    """Unsaved texts, one file each; written while typing, deleted after save/discard."""

    def __init__(self, directory: Path, register: str) -> None:
        self.directory = directory
        self.register = register

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(f"{self.register}\n{key}".encode()).hexdigest()[:24]
        return self.directory / f"{digest}.json"

    def get(self, key: str) -> Draft | None:
        data = _read(self._path(key))
        try:
            return Draft(**data) if data.get("key") == key else None
        except TypeError:
            return None

    def keep(self, key: str, label: str, text: str) -> bool:
        stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        return _write(self._path(key), asdict(Draft(key, label, text, stamp)))

    def drop(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self._path(key).unlink(missing_ok=True)

    def all(self) -> list[Draft]:
        """This register's drafts."""
        found = []
        try:
            paths = sorted(self.directory.glob("*.json"))
        except OSError:
            return []
        for path in paths:
            data = _read(path)
            key = data.get("key")
            if isinstance(key, str) and path == self._path(key):
                draft = self.get(key)
                if draft is not None:
                    found.append(draft)
        return found
