"""``riskreg backup FILE`` and ``riskreg restore FILE``: a checked copy of the register
taken while others work, and putting one back (``riskreg.services.backup``). On
PostgreSQL the server's own ``pg_dump``/``pg_restore`` do the work; these commands say
how, and ``backup --kör`` runs ``pg_dump``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from riskreg.cli.common import CliState, info, pass_state
from riskreg.db.target import DatabaseTarget, resolve_target
from riskreg.domain.audit import Verdict
from riskreg.domain.errors import ChainBroken, RiskregError
from riskreg.services import backup as service

_FILE = click.Path(path_type=Path, dir_okay=False)


@click.command("backup")
@click.argument("file", type=_FILE)
@click.option("--force", is_flag=True, help="Skriv över FIL om den redan finns.")
@click.option(
    "--kör",
    "--kor",
    "--run",
    "run",
    is_flag=True,
    help="PostgreSQL: kör pg_dump till FIL (annars visas bara kommandot).",
)
@pass_state
def backup(state: CliState, file: Path, force: bool, run: bool) -> None:
    """Skriv en kontrollerad säkerhetskopia av registret till FIL, medan andra arbetar.

    SQLite: en kopia av registret vid ett och samma ögonblick, privat för dig (0600),
    kontrollerad (integritet, schemaversion, loggens hashkedja) innan den får sitt namn.
    PostgreSQL: visar pg_dump-kommandot; med --kör körs det.
    """
    target = resolve_target(state.db_url)
    if target.backend == "postgresql":
        _pg_backup(target, file, force=force, run=run)
        return
    check = service.backup(target, file, force=force)
    if not check.verdict.ok:
        raise ChainBroken(
            f"Säkerhetskopian är skriven till {file}, men loggens hashkedja är bruten: "
            f"{check.verdict.problem} Registret har samma fel (se ”riskreg audit verify”), "
            "och kopian kan inte återställas med ”riskreg restore”."
        )
    info(
        f"Säkerhetskopian är skriven och kontrollerad: {file} ({_size(check.size)}, "
        f"{_chain(check.verdict)})."
    )


@click.command("restore")
@click.argument("file", type=_FILE)
@click.option("--force", is_flag=True, help="Ersätt registret (det nuvarande sparas bredvid det).")
@pass_state
def restore(state: CliState, file: Path, force: bool) -> None:
    """Återställ registret från säkerhetskopian FIL.

    Filen kontrolleras först (integritet, schemaversion, loggens hashkedja); ingenting
    ersätts om den inte klarar det. Ett befintligt register ersätts bara med --force, och
    sparas då bredvid med namnet ”….före-återställning-<tid>”. Andra kan läsa under
    tiden; den som sparar väntar tills återställningen är klar.
    """
    target = resolve_target(state.db_url)
    if target.backend == "postgresql":
        _pg_restore(target, file)
        return
    restored = service.restore(target, file, force=force, now=datetime.now(UTC))
    verdict = restored.check.verdict
    if not restored.replaced:
        raise ChainBroken(
            f"Säkerhetskopian {file} har en bruten hashkedja i loggen: {verdict.problem} "
            "Ingenting ersattes."
        )
    where = (
        f" Det tidigare registret finns kvar som {restored.kept}."
        if restored.kept is not None
        else ""
    )
    info(f"Registret är återställt från {file} ({_chain(verdict)}).{where}")


def _chain(verdict: Verdict) -> str:
    return f"{verdict.entries} loggposter, senaste hash {verdict.head[:16]}…"


def _size(n: int) -> str:
    """``812 kB``, ``1,3 MB``: decimal units, Swedish decimal comma."""
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= factor:
            amount = n / factor
            text = f"{amount:.1f}" if amount < 10 else f"{amount:.0f}"
            return f"{text.replace('.', ',')} {unit}"
    return f"{n} byte"


def _pg_backup(target: DatabaseTarget, file: Path, *, force: bool, run: bool) -> None:
    command = service.pg_command(target, "pg_dump", file)
    installed = service.pg_tool_installed("pg_dump")
    if run and installed:
        dump = service.run_pg_dump(target, file, force=force)
        read_back = (
            f"pg_restore --list läser arkivet ({dump.objects} objekt)"
            if dump.objects is not None
            else "arkivet är inte läst tillbaka (pg_restore saknas)"
        )
        info(
            f"Säkerhetskopian är skriven med pg_dump: {file} ({_size(dump.size)}); "
            f"{read_back}. Innehållet och loggens hashkedja är inte kontrollerade: kör "
            "”riskreg audit verify” mot registret."
        )
        return
    info(
        f"Registret ligger i PostgreSQL ({target.display}). Säkerhetskopiera det med "
        "PostgreSQL:s pg_dump, som tar en enhetlig ögonblicksbild medan andra arbetar "
        "(lösenordet läses ur PGPASSWORD eller ~/.pgpass):"
    )
    info(f"  {command.shown}")
    if not installed:
        raise RiskregError(
            "Ingen säkerhetskopia skrevs: pg_dump finns inte i PATH. Installera PostgreSQL:s "
            "klientprogram (Debian/Ubuntu: apt install postgresql-client) och försök igen."
        )
    raise RiskregError(
        "Ingen säkerhetskopia skrevs: kör kommandot, eller lägg till --kör så kör riskreg det."
    )


def _pg_restore(target: DatabaseTarget, file: Path) -> None:
    command = service.pg_command(target, "pg_restore", file)
    info(
        f"Registret ligger i PostgreSQL ({target.display}). Återställ det med PostgreSQL:s "
        "pg_restore när ingen använder riskreg; --clean ersätter registrets tabeller och "
        "--single-transaction gör det helt eller inte alls:"
    )
    info(f"  {command.shown}")
    raise RiskregError(
        "riskreg återställer inte PostgreSQL själv: kör kommandot ovan och kontrollera sedan "
        "loggen med ”riskreg audit verify”."
    )
