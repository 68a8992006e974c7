"""Which database, and a connection to it: URL resolution, pragmas, schema-version check.

Cheap to import: no Alembic here, so ``riskreg risks`` stays fast. The schema version the
code expects is the constant ``SCHEMA_HEAD`` (a test keeps it equal to Alembic's head).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from riskreg.domain.errors import DatabaseProblem

SCHEMA_HEAD = "0002"
ENV_VAR = "RISKREG_DATABASE_URL"
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another writer; RISKREG_BUSY_TIMEOUT_MS


@dataclass(frozen=True)
class DatabaseTarget:
    """The URL in use and whether it is the embedded default (created on first use)."""

    url: str
    is_default: bool

    @property
    def sqlite_path(self) -> Path | None:
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
            return None
        return Path(parsed.database)

    @property
    def display(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)


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
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseProblem(f"Ogiltig databasadress ”{url}”.") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseProblem(
            f"Databastypen ”{parsed.get_backend_name()}” stöds inte: "
            "använd SQLite eller PostgreSQL."
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # psycopg 3 is the driver we install; SQLAlchemy would default to psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    timeout = int(os.environ.get("RISKREG_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS))
    cursor.execute(f"PRAGMA busy_timeout={timeout}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """The application engine (or, with ``foreign_keys=False``, the migration engine)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        # Let SQLAlchemy's own BEGIN handling work with pysqlite (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL").
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.isolation_level = None
            _sqlite_pragmas(dbapi_connection, record)
            if not foreign_keys:
                dbapi_connection.execute("PRAGMA foreign_keys=OFF")

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN")

    return engine


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, or None for an empty database."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        if _is_missing_table(exc):
            return None
        raise


def _is_missing_table(exc: Exception) -> bool:
    message = str(exc).lower()
    return "no such table" in message or "does not exist" in message or "undefinedtable" in message


def check_schema(engine: Engine) -> None:
    """Refuse a database whose schema is not the one this code was written for."""
    revision = current_revision(engine)
    if revision == SCHEMA_HEAD:
        return
    if revision is None:
        raise DatabaseProblem(
            "Databasen saknar riskregs tabeller: kör ”riskreg init” för att skapa dem."
        )
    if revision < SCHEMA_HEAD:
        raise DatabaseProblem(
            f"Databasen har en äldre schemaversion ({revision}) än programmet ({SCHEMA_HEAD}): "
            "kör ”riskreg db upgrade”."
        )
    raise DatabaseProblem(
        f"Databasen har en nyare schemaversion ({revision}) än programmet ({SCHEMA_HEAD}): "
        "uppdatera riskreg."
    )


def explain(exc: Exception, target: DatabaseTarget) -> DatabaseProblem:
    """One Swedish sentence for a database failure the user can act on."""
    message = str(getattr(exc, "orig", exc)).lower()
    where = target.display
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
