"""Reading through the DB-API driver itself (sqlite3, psycopg), without SQLAlchemy.

The register's read model (``db.loader``) is plain SQL written once with ``:name``
parameters; a ``Reader`` runs it on a driver connection, which is either one opened here
(``connect``: ``riskreg risks``, which must not pay for importing SQLAlchemy) or the one
under an SQLAlchemy session (``reader_of`` in ``db.mappers``), so every entry point reads
the same SQL. Connections opened here get the engine's settings (``db.target``) and the
same schema-version check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from riskreg.db.target import (
    DatabaseTarget,
    explain,
    is_missing_table,
    schema_problem,
    sqlite_pragmas,
)

_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class Reader:
    """Runs SQL with ``:name`` parameters (a list or tuple value expands to ``IN (…)``
    items) on a DB-API connection and returns plain tuples."""

    def __init__(self, connection: Any, dialect: str) -> None:
        self.connection = connection
        self.dialect = dialect

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        flat: dict[str, Any] = {}

        def expand(match: re.Match[str]) -> str:
            name = match[1]
            value = params[name]
            if isinstance(value, list | tuple | set | frozenset):
                items = list(value) or [None]  # IN (NULL) matches nothing
                names = [f"{name}_{i}" for i in range(len(items))]
                flat.update(zip(names, items, strict=True))
                return ", ".join(self._placeholder(n) for n in names)
            flat[name] = value
            return self._placeholder(name)

        text = sql.replace("%", "%%") if self.dialect == "postgresql" else sql
        cursor = self.connection.cursor()
        try:
            cursor.execute(_PARAM.sub(expand, text), flat)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def _placeholder(self, name: str) -> str:
        return f"%({name})s" if self.dialect == "postgresql" else f":{name}"


@contextmanager
def connect(target: DatabaseTarget) -> Iterator[Reader]:
    """A read connection to the register, driver errors explained, schema checked."""
    driver = _driver(target)
    try:
        connection = _open(target)
    except driver.Error as exc:
        raise explain(exc, target) from exc
    try:
        reader = Reader(connection, target.backend)
        problem = schema_problem(_revision(reader, driver))
        if problem is not None:
            raise problem
        yield reader
    except driver.Error as exc:
        raise explain(exc, target) from exc
    finally:
        connection.rollback()
        connection.close()


def _driver(target: DatabaseTarget) -> Any:
    if target.backend == "sqlite":
        import sqlite3

        return sqlite3
    import psycopg

    return psycopg


def _open(target: DatabaseTarget) -> Any:
    if target.backend == "sqlite":
        import sqlite3

        path = target.sqlite_path
        if path is None or not path.exists():
            raise sqlite3.OperationalError("unable to open database file")
        lite = sqlite3.connect(path, isolation_level=None)
        sqlite_pragmas(lite)
        lite.execute("BEGIN")  # one snapshot for every statement of the read
        return lite
    import psycopg

    conninfo = "postgresql://" + target.url.split("://", 1)[1]
    pg = psycopg.connect(conninfo)
    pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ  # one snapshot
    pg.read_only = True
    return pg


def _revision(reader: Reader, driver: Any) -> str | None:
    try:
        rows = reader.rows("SELECT version_num FROM alembic_version")
    except driver.Error as exc:
        if is_missing_table(exc):
            return None
        raise
    return str(rows[0][0]) if rows else None


# -- values as the drivers hand them back -------------------------------------------------
# SQLite keeps dates and times as ISO text, booleans as 0/1 and JSON as text; psycopg
# returns Python objects (times without zone). Both become what the records hold.


def as_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value
