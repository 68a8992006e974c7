"""The SQLAlchemy engine: the settings of ``db.target`` applied to every connection, and
the schema-version check.

Cheap to import: no Alembic here. The schema version the code expects is
``target.SCHEMA_HEAD`` (a test keeps it equal to Alembic's head).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from riskreg.db.target import is_missing_table, schema_problem, sqlite_pragmas
from riskreg.domain.audit import canonical_json

WRITE = {"riskreg_write": True}  # execution options of the engine that writes


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """The application engine (or, with ``foreign_keys=False``, the migration engine).

    ``writer(engine)`` gives the same engine for write transactions: on SQLite they begin
    with ``BEGIN IMMEDIATE``, taking the write lock before their first read, so a second
    writer waits for the busy timeout instead of failing when it tries to write on a
    snapshot that another writer has moved on from.
    """
    # JSON is stored in one canonical form, the text the audit chain's hashes cover.
    engine = create_engine(url, json_serializer=canonical_json)
    if engine.dialect.name == "sqlite":
        # Let SQLAlchemy's own BEGIN handling work with pysqlite (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL").
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            sqlite_pragmas(dbapi_connection, foreign_keys=foreign_keys)

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            write = conn.get_execution_options().get("riskreg_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The engine for write transactions (same pool; see ``make_engine``)."""
    return engine.execution_options(**WRITE)


def server_actor(engine: Engine) -> str | None:
    """On PostgreSQL, the login the server knows (``session_user``): the only actor it lets
    into the log. None on SQLite, where the login name of the person is used."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT session_user")).scalar_one())


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, or None for an empty database."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        if is_missing_table(exc):
            return None
        raise


def check_schema(engine: Engine) -> None:
    """Refuse a database whose schema is not the one this code was written for."""
    problem = schema_problem(current_revision(engine))
    if problem is not None:
        raise problem
