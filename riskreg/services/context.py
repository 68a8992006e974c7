"""What every service call needs: a session factory, who is acting, and a clock.

One transaction per call: ``Context.transaction()`` commits on success, rolls back on
any error, and turns database failures into one Swedish sentence.
"""

from __future__ import annotations

import getpass
import os
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from riskreg.db.engine import writer
from riskreg.db.target import DatabaseTarget, explain, is_unique_violation
from riskreg.domain.errors import ConflictError, InvalidInput, RiskregError
from riskreg.domain.limits import check_actor

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def utc_now() -> datetime:
    return datetime.now(UTC)


def current_user() -> str:
    """Who is acting on a SQLite register: the login name, or ``RISKREG_USER`` when set, in
    which case the log records that it was (a PostgreSQL register records the server's
    login instead, see ``db.engine.server_actor``)."""
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = "okänd användare"
    name = " ".join(os.environ.get("RISKREG_USER", "").split())
    if name and name != login:
        return f"{name} (RISKREG_USER, inloggad som {login})"
    return login


@dataclass
class Context:
    engine: Engine
    target: DatabaseTarget
    actor: str = field(default_factory=current_user)
    clock: Callable[[], datetime] = utc_now
    _sessions: sessionmaker[Session] | None = field(default=None, init=False, repr=False)
    _writes: sessionmaker[Session] | None = field(default=None, init=False, repr=False)
    # The audit entries written through this context (bounded): a change watcher leaves
    # them out, so it reports only what others changed.
    own_entries: deque[int] = field(default_factory=lambda: deque(maxlen=1000), init=False)

    @property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions for reading."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions

    @property
    def write_sessions(self) -> sessionmaker[Session]:
        """Sessions for one unit of work that writes (``db.engine.writer``)."""
        if self._writes is None:
            from sqlalchemy.orm import sessionmaker

            self._writes = sessionmaker(writer(self.engine), expire_on_commit=False)
        return self._writes

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A plain read connection, database failures explained."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise explain(exc, self.target) from exc

    @contextmanager
    def transaction(self, *, commit: bool = True) -> Iterator[Session]:
        """One unit of work; ``commit=False`` runs it for real and rolls it back (dry run)."""
        from sqlalchemy.orm.exc import StaleDataError

        from riskreg.db.repo import OWN_ENTRIES

        check_actor(self.actor, os.environ.get("RISKREG_USER"))  # every write records who
        session = self.write_sessions()
        try:
            yield session
            if commit:
                session.commit()
                self.own_entries.extend(session.info.pop(OWN_ENTRIES, ()))
            else:
                session.rollback()
        except RiskregError:
            session.rollback()
            raise
        except StaleDataError as exc:
            session.rollback()
            raise ConflictError(
                "Någon annan ändrade samma uppgift samtidigt; läs in på nytt och försök igen."
            ) from exc
        except IntegrityError as exc:
            session.rollback()
            if is_unique_violation(exc):
                # Checked before writing, so a duplicate here is a race: someone else saved
                # the same thing (a first review, a conclusion) a moment earlier.
                raise ConflictError(
                    "Någon annan sparade samma uppgift samtidigt; läs in på nytt och försök igen."
                ) from exc
            raise InvalidInput(
                "Ändringen bryter mot registrets regler (ogiltigt värde) och sparades inte."
            ) from exc
        except SQLAlchemyError as exc:
            session.rollback()
            raise explain(exc, self.target) from exc
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit: no commit, database failures explained."""
        session = self.sessions()
        try:
            yield session
        except SQLAlchemyError as exc:
            raise explain(exc, self.target) from exc
        finally:
            session.rollback()
            session.close()
