"""Which database, and the settings every connection to it gets: URL resolution, the
SQLite pragmas, the schema version the code expects, and database failures explained.

No SQLAlchemy here: ``riskreg risks`` reads through the DB-API driver (``db.dbapi``) and
must not pay for importing it. The SQLAlchemy engine (``db.engine``) applies the same
pragmas and the same schema check, from this module.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from riskreg.domain.errors import DatabaseProblem

SCHEMA_HEAD = "0010"
ENV_VAR = "RISKREG_DATABASE_URL"
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another writer; RISKREG_BUSY_TIMEOUT_MS
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9]*)(\+[A-Za-z0-9_]+)?://")
_PASSWORD = re.compile(r"^([^:/]+://[^:/@]*):[^@]*@")


@dataclass(frozen=True)
class DatabaseTarget:
    """The URL in use and whether it is the embedded default (created on first use)."""

    url: str
    is_default: bool

    @property
    def backend(self) -> str:
        match = _SCHEME.match(self.url)
        return match[1] if match else ""

    @property
    def sqlite_path(self) -> Path | None:
        if self.backend != "sqlite":
            return None
        database = unquote(self.url.split("://", 1)[1][1:].split("?", 1)[0])
        if database in ("", ":memory:"):
            return None
        return Path(database)

    @property
    def display(self) -> str:
        return _PASSWORD.sub(r"\1:***@", self.url)


def default_url() -> str:
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('riskreg', appauthor=False)) / 'riskreg.db'}"


def resolve_target(cli_url: str | None) -> DatabaseTarget:
    """``--db``, then ``RISKREG_DATABASE_URL``, then the embedded default."""
    if cli_url:
        return DatabaseTarget(_checked_url(cli_url), is_default=False)
    env = os.environ.get(ENV_VAR)
    if env:
        return DatabaseTarget(_checked_url(env), is_default=False)
    return DatabaseTarget(default_url(), is_default=True)


def _checked_url(url: str) -> str:
    match = _SCHEME.match(url.strip())
    if match is None:
        raise DatabaseProblem(f"Ogiltig databasadress ”{url}”.")
    backend, driver = match[1], match[2]
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseProblem(
            f"Databastypen ”{backend}” stöds inte: använd SQLite eller PostgreSQL."
        )
    url = url.strip()
    if backend == "postgresql" and driver is None:
        # psycopg 3 is the driver we install; SQLAlchemy would default to psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def busy_timeout_ms() -> int:
    return int(os.environ.get("RISKREG_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS))


def sqlite_pragmas(dbapi_connection: Any, *, foreign_keys: bool = True) -> None:
    """The settings of every SQLite connection, whichever way it is opened."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def schema_problem(revision: str | None) -> DatabaseProblem | None:
    """Why a database at ``revision`` cannot be used by this code (None: it can)."""
    if revision == SCHEMA_HEAD:
        return None
    if revision is None:
        return DatabaseProblem(
            "Databasen saknar riskregs tabeller: kör ”riskreg init” för att skapa dem."
        )
    if revision < SCHEMA_HEAD:
        return DatabaseProblem(
            f"Databasen har en äldre schemaversion ({revision}) än programmet ({SCHEMA_HEAD}): "
            "kör ”riskreg db upgrade”."
        )
    return DatabaseProblem(
        f"Databasen har en nyare schemaversion ({revision}) än programmet ({SCHEMA_HEAD}): "
        "uppdatera riskreg."
    )


def is_missing_table(exc: Exception) -> bool:
    message = str(exc).lower()
    return "no such table" in message or "does not exist" in message or "undefinedtable" in message


def is_unique_violation(exc: Exception) -> bool:
    """A UNIQUE constraint refused the write (SQLite's message, PostgreSQL's SQLSTATE)."""
    original = getattr(exc, "orig", exc)
    return (
        getattr(original, "sqlstate", None) == "23505"
        or "unique constraint failed" in str(original).lower()
    )


def explain(exc: Exception, target: DatabaseTarget) -> DatabaseProblem:
    """One Swedish sentence for a database failure the user can act on (an SQLAlchemy
    error or the DB-API driver's own)."""
    original = getattr(exc, "orig", exc)
    message = str(original).lower()
    where = target.display
    if getattr(original, "sqlstate", None) == "42501" or "row-level security" in message:
        return DatabaseProblem(
            "Inloggningen har inte behörighet till den ändringen: nämnden eller uppgiften "
            f"hör inte till dem du får ändra i {where}."
        )
    if "database is locked" in message or "could not obtain lock" in message:
        return DatabaseProblem("Databasen är låst av ett annat program; försök igen om en stund.")
    if "unable to open database" in message:
        return DatabaseProblem(f"Databasen kan inte öppnas: {where}.")
    if "file is not a database" in message or "malformed" in message:
        return DatabaseProblem(f"Filen är ingen riskreg-databas eller är skadad: {where}.")
    if "connection" in message and ("refused" in message or "failed" in message):
        return DatabaseProblem(f"Kan inte ansluta till databasservern: {where}.")
    if "password authentication failed" in message:
        return DatabaseProblem(f"Inloggningen till databasservern nekades: {where}.")
    if "does not exist" in message and "database" in message:
        return DatabaseProblem(f"Databasen finns inte på servern: {where}.")
    if "readonly" in message or "read-only" in message:
        return DatabaseProblem(f"Databasen är skrivskyddad: {where}.")
    return DatabaseProblem(f"Databasfel ({type(exc).__name__}) i {where}.")
