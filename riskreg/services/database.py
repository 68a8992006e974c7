"""Opening the register: the right database, at the right schema version, ready to use.

The embedded default database is created, migrated and seeded on first use, so a new
user's first command just works. Any other database must be created on purpose
(``riskreg init``). Alembic is imported only when a migration actually runs.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from riskreg.db.engine import check_schema, current_revision, make_engine, server_actor
from riskreg.db.target import SCHEMA_HEAD, DatabaseTarget, explain, resolve_target, schema_problem
from riskreg.domain.errors import DatabaseProblem, InvalidInput
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


def make_empty(ctx: Context) -> bool:
    """Mark a register without nämnder as empty on purpose (``riskreg init --tom``): it is
    never seeded, not by ``riskreg seed`` nor by a first use. False if already marked."""
    from riskreg.db import repo
    from riskreg.db.models import Committee

    with ctx.transaction() as session:
        if repo.empty_by_choice(session):
            return False
        names = [c.short_name for c in session.scalars(select(Committee))]
        if names:
            raise InvalidInput(
                f"Registret har redan nämnder ({', '.join(sorted(names))}); --tom gäller "
                "ett nytt register. Välj en ny databas med --db."
            )
        repo.write_audit(
            session,
            at=ctx.clock(),
            actor=ctx.actor,
            action=repo.EMPTY_REGISTER,
            entity="register",
            entity_id=0,
            entity_ref="register",
            committee_id=None,
        )
    return True


def upgrade(target: DatabaseTarget) -> tuple[str | None, str]:
    """Migrate to the newest schema; returns the revisions before and after. A database
    a newer riskreg has migrated is refused, with the sentence every other command gives
    (Alembic would only say, in English, that it cannot find the revision)."""
    from riskreg.db import migrate

    path = target.sqlite_path
    if path is not None:
        _private_file(path, make_folder=target.is_default)
    before = revision(target)
    newer = schema_problem(before) if before is not None and before > SCHEMA_HEAD else None
    if newer is not None:
        raise newer
    try:
        migrate.upgrade(target.url)
    except SQLAlchemyError as exc:
        raise explain(exc, target) from exc
    return before, SCHEMA_HEAD


def _private_file(path: Path, *, make_folder: bool) -> None:
    """A new register file readable by its user only: the log holds who did what. SQLite
    gives its -wal and -shm files the same mode. An existing file keeps the mode it has;
    a stricter umask is respected. Only the default register's folder is made (as
    private); a folder the user named must exist, so a typo makes no folders."""
    if path.exists():
        return
    if make_folder:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise DatabaseProblem(f"Mappen {path.parent} för databasfilen finns inte.")
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
