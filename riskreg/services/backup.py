"""Backup and restore of the register (``riskreg backup`` and ``riskreg restore``).

SQLite, backup: a page copy through SQLite's online backup API, read inside one read
transaction, so it holds every change committed before it started (including those still
in the ``-wal`` file, which a plain file copy misses) while others go on working. It goes
to a temporary file next to the target, private to the user (0600), switched to a rollback
journal so that the copy is one self-contained file, checked (``examine``) and only then
renamed into place.

SQLite, restore: the file the user names is first copied to a temporary file next to the
register, and that copy is checked, so a file that is damaged, from another schema version
or with a broken log replaces nothing. The checked copy is then written *into* the
register with the backup API, one page per step. The destination of a backup holds the
register's write lock from the first step to the commit: writers wait (after the busy
timeout the restore gives up and nothing changes), readers see the old register until the
commit and the restored one after it. The old register is copied aside inside that
window, so the kept copy is exactly what was replaced and no write slips in between.
Writing into the database instead of renaming files leaves SQLite to handle the
register's ``-wal`` and ``-shm`` files and the connections others hold open. (A literal
``BEGIN EXCLUSIVE`` cannot frame it: Python's ``backup`` refuses a destination inside a
transaction, and a lock held by another connection would block the backup itself.) Only
a register that is missing or not an SQLite file is replaced by a rename; journal files
left next to it are set aside too, since SQLite would replay them into the new file.

PostgreSQL: the server's own tools. ``pg_command`` builds ``pg_dump``/``pg_restore``
for the configured server with the password kept off the command line (it travels in
``PGPASSWORD``), and ``run_pg_dump`` runs the first.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit, urlunsplit

from riskreg.db.dbapi import Reader, connect
from riskreg.db.target import SCHEMA_HEAD, DatabaseTarget, explain, sqlite_pragmas
from riskreg.domain.audit import Verdict
from riskreg.domain.clock import LOCAL
from riskreg.domain.errors import DatabaseProblem, InvalidInput
from riskreg.services.auditing import verify
from riskreg.services.files import check_folder, existing_mode, reason, terminating_raises_interrupt

SQLITE_MAGIC = b"SQLite format 3\x00"
KEPT = "före-återställning"  # riskreg.db.före-återställning-20261201T153000
_JOURNALS = ("-wal", "-journal")  # replayed into a file of the same name: set aside
_INDEX = "-shm"  # the WAL index, rebuilt from the WAL: removed


@dataclass(frozen=True)
class CopyCheck:
    """A copy of the register that passed ``PRAGMA integrity_check``, the foreign-key
    check and the schema version; ``verdict`` is its audit chain, whole or not."""

    size: int
    verdict: Verdict


@dataclass(frozen=True)
class Restored:
    """``replaced`` is False only when the backup's audit chain is broken (nothing was
    touched); ``kept`` is where the replaced register now is (None: there was none)."""

    check: CopyCheck
    replaced: bool
    kept: Path | None


# -- SQLite: backup -------------------------------------------------------------------------


def backup(target: DatabaseTarget, file: Path, *, force: bool) -> CopyCheck:
    """Copy the register to ``file`` (see module). A copy whose audit chain is broken is
    still written (the register itself has the same break, and a tampered register must
    still be possible to back up); the caller reports the verdict."""
    live = _sqlite_file(target)
    _refuse_register(file, live, "Säkerhetskopian kan inte skrivas över registret självt")
    _check_destination(file, force=force)
    with _staging(file) as staged:
        try:
            with connect(target) as reader:
                _copy(reader.connection, staged)  # the reader's snapshot: one moment
        except sqlite3.Error as exc:
            raise explain(exc, target) from exc
        try:
            check = examine(staged, name=str(file))
        except InvalidInput as exc:
            raise DatabaseProblem(
                f"Kopian klarade inte kontrollen, så registret har samma fel: {exc}"
            ) from exc
        _place(staged, file, force=force)
    return check


# -- SQLite: restore ------------------------------------------------------------------------


def restore(target: DatabaseTarget, file: Path, *, force: bool, now: datetime) -> Restored:
    """Replace the register with the backup in ``file`` (see module). Refuses a file
    that fails the checks, and an existing register without ``force``."""
    live = _sqlite_file(target)
    _refuse_register(file, live, f"{file} är registret självt och kan inte återställas över sig")
    if not file.is_file():
        raise InvalidInput(f"Säkerhetskopian {file} finns inte eller är ingen vanlig fil.")
    live.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # as a new register
    with _staging(live) as staged:
        _stage(file, staged)
        check = examine(staged, name=str(file))
        if not check.verdict.ok:
            return Restored(check, replaced=False, kept=None)
        present = live.exists()
        if present and not live.is_file():
            raise InvalidInput(f"Registret {live} är ingen vanlig fil.")
        if present and not force:
            raise InvalidInput(
                f"Registret {live} finns redan. Säkerhetskopian klarade kontrollen "
                f"({check.verdict.entries} loggposter); lägg till --force för att ersätta "
                "registret (det nuvarande sparas bredvid)."
            )
        keep = _kept_name(live, now)
        try:
            if present and _is_sqlite(live):
                kept: Path | None = _write_into(staged, live, keep)
            else:
                kept = _set_aside(live, keep)
                _place(staged, live, force=True)
        except sqlite3.Error as exc:
            raise explain(exc, target) from exc
    return Restored(check, replaced=True, kept=kept)


def _stage(file: Path, staged: Path) -> None:
    """Copy the user's file through SQLite (which reads its ``-wal`` too, if any)."""
    if not _is_sqlite(file):
        raise InvalidInput(f"{file} är ingen riskreg-databas (inte en SQLite-fil).")
    try:
        with _reading(file) as source:
            _copy(source, staged)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{file} är ingen riskreg-databas eller är skadad ({exc}).") from exc


def _write_into(staged: Path, live: Path, keep: Path) -> Path:
    """Write the checked copy into the register; the old register is copied to ``keep``
    while the backup's destination holds the write lock (see module)."""
    kept: list[Path] = []

    def step(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise DatabaseProblem(
                "Registret används för en ändring just nu; försök igen när ingen sparar."
            )
        if not kept:  # first step done: the write lock is ours until the commit
            kept.append(_keep_copy(live, keep))

    with (
        closing(_writable(staged)) as source,
        closing(sqlite3.connect(live, isolation_level=None)) as register,
    ):
        sqlite_pragmas(register)  # busy timeout, WAL: as riskreg's own connections
        _match_page_size(source, register)
        # One page per step: a riskreg database has many pages, so the first step (which
        # takes the lock) is never the last (which commits).
        source.backup(register, pages=1, progress=step)
    return kept[0]


def _keep_copy(live: Path, keep: Path) -> Path:
    """The register as last committed, copied to ``keep`` (private to the user)."""
    with _staging(keep) as staged:
        with closing(sqlite3.connect(live, isolation_level=None)) as register:
            sqlite_pragmas(register)
            _copy(register, staged)
        _place(staged, keep, force=False)
    return keep


def _match_page_size(source: sqlite3.Connection, register: sqlite3.Connection) -> None:
    """A backup into a WAL database needs equal page sizes; the staged copy is ours to
    rebuild."""
    wanted = register.execute("PRAGMA page_size").fetchone()[0]
    if source.execute("PRAGMA page_size").fetchone()[0] != wanted:
        source.execute(f"PRAGMA page_size={int(wanted)}")
        source.execute("VACUUM")


def _set_aside(live: Path, keep: Path) -> Path | None:
    """Rename a register that is no SQLite file (or none) to ``keep``, with any journal
    left beside it; remove its WAL index. Returns ``keep`` if there was a register."""
    for suffix in _JOURNALS:
        journal = live.with_name(live.name + suffix)
        if journal.exists():
            journal.rename(keep.with_name(keep.name + suffix))
    live.with_name(live.name + _INDEX).unlink(missing_ok=True)
    if not live.exists():
        return None
    live.rename(keep)
    return keep


def _kept_name(live: Path, now: datetime) -> Path:
    stamp = now.astimezone(LOCAL).strftime("%Y%m%dT%H%M%S")
    name = live.with_name(f"{live.name}.{KEPT}-{stamp}")
    n = 1
    while name.exists():
        n += 1
        name = live.with_name(f"{live.name}.{KEPT}-{stamp}-{n}")
    return name


# -- SQLite: checking a copy ----------------------------------------------------------------


def examine(path: Path, *, name: str | None = None) -> CopyCheck:
    """Check a copy nobody else uses: integrity, foreign keys, schema version (raising
    ``InvalidInput`` naming ``name``, default the path) and its audit chain (returned)."""
    shown = name or str(path)
    if not _is_sqlite(path):
        raise InvalidInput(f"{shown} är ingen riskreg-databas (inte en SQLite-fil).")
    try:
        with _reading(path) as copy:
            problems = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise InvalidInput(f"{shown} är skadad: {problems[0]}")
            if copy.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise InvalidInput(f"{shown} är skadad: rader pekar på rader som saknas.")
            _check_revision(copy, shown)
            verdict = verify(Reader(copy, "sqlite"))
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{shown} är ingen riskreg-databas eller är skadad ({exc}).") from exc
    return CopyCheck(path.stat().st_size, verdict)


def _check_revision(copy: sqlite3.Connection, shown: str) -> None:
    try:
        row = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        raise InvalidInput(f"{shown} är en SQLite-fil men ingen riskreg-databas.") from exc
    revision = None if row is None else str(row[0])
    if revision == SCHEMA_HEAD:
        return
    if revision is not None and revision < SCHEMA_HEAD:
        raise InvalidInput(
            f"{shown} har en äldre schemaversion ({revision}) än programmet ({SCHEMA_HEAD}): "
            "uppgradera en kopia av filen med ”riskreg --db sqlite:///KOPIA db upgrade” och "
            "återställ kopian."
        )
    raise InvalidInput(
        f"{shown} har schemaversion {revision or 'ingen'}, programmet {SCHEMA_HEAD}: "
        "använd en riskreg-version som känner den."
    )


# -- SQLite: files --------------------------------------------------------------------------


def _sqlite_file(target: DatabaseTarget) -> Path:
    path = target.sqlite_path
    if path is None:
        raise InvalidInput(
            "Säkerhetskopiering och återställning kräver en databasfil (sqlite:///fil.db)."
        )
    return path


def _is_sqlite(path: Path) -> bool:
    """Whether the file starts as an SQLite database (an empty file does not)."""
    try:
        with path.open("rb") as stream:
            return stream.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _refuse_register(file: Path, live: Path, message: str) -> None:
    """``file`` must not be the register or one of its journal files."""
    resolved = live.resolve()
    own = {resolved.with_name(resolved.name + s) for s in ("", *_JOURNALS, _INDEX)}
    same = file.exists() and live.exists() and os.path.samefile(file, live)
    if same or file.resolve() in own:
        raise InvalidInput(f"{message}: {file}.")


def _check_destination(file: Path, *, force: bool) -> None:
    """A new name or, with ``force``, a regular file, in a folder a file can be created
    in (``services.files``: links are not followed)."""
    check_folder(file.parent)
    if existing_mode(file) is not None and not force:
        raise _taken(file)


def _taken(file: Path) -> InvalidInput:
    return InvalidInput(f"{file} finns redan: välj ett annat namn eller skriv över med --force.")


@contextmanager
def _staging(beside: Path) -> Iterator[Path]:
    """A temporary file (0600) in the folder of ``beside``, removed unless moved away, also
    on Ctrl-C and SIGTERM."""
    with terminating_raises_interrupt():
        try:
            handle, name = tempfile.mkstemp(
                prefix=f".{beside.name}.", suffix=".tmp", dir=beside.parent
            )
        except OSError as exc:
            raise InvalidInput(f"Kan inte skriva i mappen {beside.parent}: {reason(exc)}.") from exc
        os.close(handle)
        staged = Path(name)
        try:
            yield staged
        finally:
            for suffix in ("", "-journal"):
                staged.with_name(staged.name + suffix).unlink(missing_ok=True)


def _writable(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _copy(source: sqlite3.Connection, staged: Path) -> None:
    """A page copy of ``source`` as it is now (or as its open transaction sees it), with a
    rollback journal so that the copy is one self-contained file."""
    with closing(_writable(staged)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection. A WAL-mode file makes SQLite create ``-wal`` and ``-shm``
    beside it, which a read-only connection leaves behind: those it created are removed."""
    extra = [path.with_name(path.name + s) for s in ("-wal", _INDEX)]
    before = [p.exists() for p in extra]
    connection = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
    )
    try:
        yield connection
    finally:
        connection.close()
        for created, existed in zip(extra, before, strict=True):
            if not existed:
                created.unlink(missing_ok=True)


def _place(staged: Path, file: Path, *, force: bool) -> None:
    """Flush ``staged`` to disk and rename it to ``file`` in one step."""
    try:
        with staged.open("rb") as stream:
            os.fsync(stream.fileno())
        if not force and file.exists():  # created while the copy was being made
            raise _taken(file)
        os.replace(staged, file)
        folder = os.open(file.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError as exc:
        raise InvalidInput(f"Kan inte skriva {file}: {reason(exc)}.") from exc


# -- PostgreSQL -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PgCommand:
    """A PostgreSQL client command for the register's server; the password (if the URL
    has one) is not in ``argv`` but goes to the program as ``PGPASSWORD``."""

    argv: tuple[str, ...]
    password: str | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        """The command as a user would type it, the password hidden."""
        line = shlex.join(self.argv)
        return f"PGPASSWORD=*** {line}" if self.password else line


def pg_command(
    target: DatabaseTarget, tool: Literal["pg_dump", "pg_restore"], file: Path
) -> PgCommand:
    """``pg_dump`` (custom format) to ``file``, or ``pg_restore`` of ``file`` replacing
    the register's objects in one transaction."""
    server, password = _server(target)
    if tool == "pg_dump":
        return PgCommand(("pg_dump", "-Fc", "-f", str(file), server), password)
    argv = ("pg_restore", "--clean", "--if-exists", "--single-transaction", "-d", server)
    return PgCommand((*argv, str(file)), password)


def _server(target: DatabaseTarget) -> tuple[str, str | None]:
    """The libpq URL (no SQLAlchemy driver, no password) and the password."""
    parts = urlsplit("postgresql://" + target.url.split("://", 1)[1])
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo.split(':', 1)[0]}@{hostport}" if at else hostport
    password = unquote(parts.password) if parts.password is not None else None
    return urlunsplit(parts._replace(netloc=netloc)), password


@dataclass(frozen=True)
class PgDump:
    """A dump written by ``pg_dump``; ``objects`` is what ``pg_restore --list`` read
    back from it (None: ``pg_restore`` is not installed, so nothing was read back)."""

    size: int
    objects: int | None


def run_pg_dump(target: DatabaseTarget, file: Path, *, force: bool) -> PgDump:
    """Run ``pg_dump`` into a private temporary file next to ``file``, check its exit
    code, read the archive back with ``pg_restore --list`` when that is installed, and
    only then rename it into place. Nothing here checks the register's content."""
    _check_destination(file, force=force)
    with _staging(file) as staged:
        dump = pg_command(target, "pg_dump", staged)
        _run(dump, "pg_dump")
        objects = None
        if pg_tool_installed("pg_restore"):
            listing = _run(PgCommand(("pg_restore", "--list", str(staged))), "pg_restore --list")
            objects = sum(1 for line in listing.splitlines() if line and not line.startswith(";"))
        _place(staged, file, force=force)
    return PgDump(file.stat().st_size, objects)


def pg_tool_installed(tool: str) -> bool:
    """Whether ``pg_dump``/``pg_restore`` is on PATH."""
    return shutil.which(tool) is not None


def _run(command: PgCommand, what: str) -> str:
    env = {**os.environ, "PGPASSWORD": command.password} if command.password else None
    try:
        done = subprocess.run(command.argv, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise InvalidInput(f"{what} kunde inte startas: {reason(exc)}.") from exc
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()  # the first line names the error
        detail = f": {lines[0].strip()}" if lines else ""
        raise DatabaseProblem(f"{what} misslyckades (slutkod {done.returncode}){detail}")
    return done.stdout
