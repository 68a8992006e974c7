"""Opening the register: the right database, at the right schema version, ready to use.

The embedded default database is created, migrated and seeded on first use, so a new
user's first command just works. Any other database must be created on purpose
(``riskreg init``). Alembic is imported only when a migration actually runs.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from riskreg.db.engine import check_schema, current_revision, make_engine, server_actor
from riskreg.db.target import SCHEMA_HEAD, DatabaseTarget, explain, resolve_target, schema_problem
from riskreg.domain.errors import DatabaseProblem
from riskreg.services.context import Context
from riskreg.services.files import reason


def open_register(cli_url: str | None = None) -> Context:
    """A context on the configured database; refuses a missing or outdated one."""
    target = resolve_target(cli_url)
    path = target.sqlite_path
    if path is not None and not path.exists():
        if not target.is_default:
            raise DatabaseProblem(
                f"Databasen {path} finns inte: skapa den med ”riskreg --db {target.display} init”."
            )
        first_use(target)
    engine = make_engine(target.url)
    try:
        check_schema(engine)
        actor = server_actor(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise explain(exc, target) from exc
    except DatabaseProblem:
        engine.dispose()
        raise
    return Context(engine, target, actor=actor) if actor else Context(engine, target)


def first_use(target: DatabaseTarget) -> None:
    """Create, migrate and seed the embedded default database."""
    from riskreg.services.seeding import seed

    upgrade(target)
    ctx = Context(make_engine(target.url), target)
    try:
        seed(ctx)
    finally:
        ctx.engine.dispose()


def upgrade(target: DatabaseTarget) -> tuple[str | None, str]:
    """Migrate to the newest schema; returns the revisions before and after. A database
    a newer riskreg has migrated is refused, with the sentence every other command gives
    (Alembic would only say, in English, that it cannot find the revision)."""
    from riskreg.db import migrate

    path = target.sqlite_path
    if path is not None:
        _private_file(path)
    before = revision(target)
    newer = schema_problem(before) if before is not None and before > SCHEMA_HEAD else None
    if newer is not None:
        raise newer
    try:
        migrate.upgrade(target.url)
    except SQLAlchemyError as exc:
        raise explain(exc, target) from exc
    return before, SCHEMA_HEAD


def _private_file(path: Path) -> None:
    """A new register file (and a new folder for it) readable by its user only: the log
    holds who did what. SQLite gives its -wal and -shm files the same mode. An existing
    file keeps the mode it has; a stricter umask is respected."""
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise DatabaseProblem(f"Databasfilen kan inte skapas: {path} ({reason(exc)}).") from exc


def revision(target: DatabaseTarget) -> str | None:
    path = target.sqlite_path
    if path is not None and not path.exists():
        return None
    engine = make_engine(target.url)
    try:
        return current_revision(engine)
    except SQLAlchemyError as exc:
        raise explain(exc, target) from exc
    finally:
        engine.dispose()
