"""``riskreg``: the command line. Data on stdout, messages on stderr.

Exit codes: 0 ok, 1 invalid input or failure, 2 usage, 3 database problem, 130 interrupted.
Heavy libraries (textual, reportlab, alembic) are imported inside the commands that need
them, so ``riskreg risks`` starts fast.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
from pathlib import Path
from typing import ClassVar

import click

from riskreg import __version__
from riskreg.cli import swedish
from riskreg.cli.common import CliState, committee_option, format_option, info, pass_state, show
from riskreg.domain.errors import RiskregError
from riskreg.domain.scales import VALUE_MAX
from riskreg.domain.text import count_of
from riskreg.domain.visible import visible


class LazyGroup(click.Group):
    """A group whose heavier subcommand modules load only when one of them is run, so
    ``riskreg risks`` does not pay for the ISK commands' imports."""

    lazy: ClassVar[dict[str, str]] = {
        "report": "riskreg.cli.isk:report_group",
        "isk": "riskreg.cli.isk:isk_group",
        "audit": "riskreg.cli.audit:audit_group",
        "backup": "riskreg.cli.backup:backup",
        "restore": "riskreg.cli.backup:restore",
        "export": "riskreg.cli.excel:export_group",
        "review": "riskreg.cli.review:review_group",
        "workbooks": "riskreg.cli.workbooks:workbooks_group",
        "nämnd": "riskreg.cli.committees:committee_group",
        "plan": "riskreg.cli.plan:plan_group",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, name = self.lazy[cmd_name].partition(":")
            command: click.Command | None = getattr(importlib.import_module(module), name)
        else:
            command = super().get_command(ctx, cmd_name)
        return swedish.localise(command) if command is not None else None


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Databasens adress (sqlite:///fil.db eller postgresql://…). Annars "
    "RISKREG_DATABASE_URL, annars en SQLite-fil i din datamapp.",
)
@click.version_option(__version__, prog_name="riskreg", help="Visa versionen och avsluta.")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """riskreg – nämndens internkontrollplan: risker, åtgärder, kvartalsuppföljning och
    ISK-bedömning.

    Utan kommando öppnas terminalgränssnittet för kvartalsuppföljningen.
    """
    state = CliState(db_url)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


@cli.command()
@click.option("--year", "--år", "year", type=int, help="Planår att öppna (standard: aktuell plan).")
@committee_option("Nämnd (namn eller kortnamn).")
@pass_state
def tui(state: CliState, year: int | None, committee: str | None) -> None:
    """Öppna terminalgränssnittet (register, uppföljning, riskmatris, planredigering)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Piped or in a script, a full-screen UI would wait forever for keys nobody types.
        click.echo(
            "Terminalgränssnittet behöver en terminal. I skript och rörledningar: använd "
            "kommandona, t.ex. ”riskreg risks” (se ”riskreg --help”).",
            err=True,
        )
        sys.exit(2)
    from riskreg.tui.app import run

    run(state.context(), year=year, committee=committee)


@cli.command()
@click.option(
    "--tom",
    "empty",
    is_flag=True,
    help="Ett tomt register för er egen nämnd: fylls aldrig med exempelplanerna.",
)
@pass_state
def init(state: CliState, empty: bool) -> None:
    """Skapa databasen (eller uppgradera den) till senaste schemaversion."""
    from riskreg.db.target import resolve_target
    from riskreg.services.database import make_empty, upgrade

    target = resolve_target(state.db_url)
    before, after = upgrade(target)
    if before == after:
        info(f"Databasen är redan klar (schemaversion {after}): {target.display}")
    else:
        info(f"Databasen är klar (schemaversion {after}): {target.display}")
    if empty and make_empty(state.context()):
        info(
            "Registret är tomt och fylls aldrig med exempelplanerna. Nästa steg: "
            "”riskreg nämnd add NAMN --kortnamn KN” och ”riskreg import plan”."
        )


@cli.command()
@click.option(
    "--exempel",
    is_flag=True,
    help="Lägg också till märkta exempeluppföljningar för 2024 (för en första titt).",
)
@click.option(
    "--ta-bort-exempel",
    "remove_examples",
    is_flag=True,
    help="Ta bort exempeluppföljningarna för 2024 igen (loggas).",
)
@pass_state
def seed(state: CliState, exempel: bool, remove_examples: bool) -> None:
    """Läs in 2022 och 2024 års internkontrollplaner ur seed/ (kan köras flera gånger)."""
    if exempel and remove_examples:
        raise click.UsageError("Välj antingen --exempel eller --ta-bort-exempel.")
    ctx = state.context()
    if remove_examples:
        from riskreg.services.examples import remove_examples as run_removal

        info(str(run_removal(ctx)))
        return
    from riskreg.services.seeding import seed as run_seed

    result = run_seed(ctx)
    for year in result.created_plans:
        info(f"Läste in planen för {year}.")
    for year in result.skipped_plans:
        info(f"Planen för {year} fanns redan och lämnades orörd.")
    if result.created_plans:
        info(
            f"{count_of(result.risks, 'risk', 'risker')} och "
            f"{count_of(result.measures, 'åtgärd', 'åtgärder')} lästes in."
        )
    if exempel:
        from riskreg.services.examples import add_examples

        info(str(add_examples(ctx)))


@cli.group()
def db() -> None:
    """Databasens schemaversion."""


@db.command("upgrade")
@pass_state
def db_upgrade(state: CliState) -> None:
    """Uppgradera databasen till programmets schemaversion."""
    from riskreg.db.target import resolve_target
    from riskreg.services.database import upgrade

    target = resolve_target(state.db_url)
    if target.sqlite_path is not None and not target.sqlite_path.exists():
        raise click.UsageError(
            f"Databasen {target.sqlite_path} finns inte; skapa den med ”riskreg init”."
        )
    before, after = upgrade(target)
    if before == after:
        info(f"Databasen har redan senaste schemaversion ({after}).")
    else:
        info(f"Uppgraderade databasen från {before or 'tom'} till {after}.")


@db.command("current")
@pass_state
def db_current(state: CliState) -> None:
    """Visa databasens schemaversion och programmets."""
    from riskreg.db.target import resolve_target, schema_problem
    from riskreg.services.database import revision

    target = resolve_target(state.db_url)
    current = revision(target)
    show(current or "ingen")
    problem = schema_problem(current)
    if problem is None:
        info(f"Databasen ({target.display}) har programmets schemaversion.")
    elif current is None:
        info(f"Databasen ({target.display}) är inte skapad: kör ”riskreg init”.")
    else:
        info(str(problem))


@db.command("roles")
@click.option("--apply", is_flag=True, help="Kör skriptet mot databasen (som dess ägare).")
@pass_state
def db_roles(state: CliState, apply: bool) -> None:
    """Roller och rättigheter för ett delat register på PostgreSQL: skriver SQL-skriptet,
    eller kör det med --apply."""
    if not apply:
        from riskreg.db.rights import roles_script

        click.echo(roles_script(), nl=False)
        return
    from riskreg.services.rights import apply_roles

    apply_roles(state.context())
    info(
        "Rollerna riskreg_owner, riskreg_controller och riskreg_revisor och radsäkerheten "
        "är på plats. Ge en controller behörighet med ”riskreg db behörighet”."
    )


@db.command("behörighet")
@click.argument("committee", metavar="NÄMND")
@click.argument("role", metavar="ROLL")
@click.option("--ta-bort", "revoke", is_flag=True, help="Ta bort behörigheten i stället.")
@pass_state
def db_access(state: CliState, committee: str, role: str, revoke: bool) -> None:
    """Låt en databasroll (en inloggning eller en grupp) ändra i en nämnds register."""
    from riskreg.services.rights import grant

    name = grant(state.context(), committee, role, revoke=revoke)
    verb = "får inte längre ändra" if revoke else "får ändra"
    info(f"{role} {verb} i {name}s register.")


@cli.command()
@click.option(
    "--year", "--år", "year", type=int, help="Planår (standard: varje nämnds aktuella plan)."
)
@click.option("--nämnd", "--namnd", "committee", help="Bara denna nämnd (namn eller kortnamn).")
@click.option("--verksamhet", "area", help="Bara denna verksamhet (namn eller kod, t.ex. EK).")
@click.option("--roll", "role", help="Bara risker där denna roll ansvarar för en åtgärd.")
@click.option(
    "--min-riskvärde",
    "--min-riskvarde",
    "min_value",
    type=click.IntRange(1, VALUE_MAX),  # 5 × 5, the widest matrix
    help="Bara risker vars senaste nettoriskvärde (S×K) är minst detta.",
)
@click.option(
    "--ej-bedömd",
    "--ej-bedomd",
    "unreviewed",
    is_flag=True,
    help="Bara risker som ännu inte är bedömda i aktuell period (den första olåsta).",
)
@click.option("--alla", "include_all", is_flag=True, help="Även accepterade och avslutade risker.")
@format_option
@pass_state
def risks(
    state: CliState,
    year: int | None,
    committee: str | None,
    area: str | None,
    role: str | None,
    min_value: int | None,
    unreviewed: bool,
    include_all: bool,
    output_format: str,
) -> None:
    """Lista öppna risker: aktiva risker i varje nämnds aktuella plan (senaste
    fastställda planen), med nettovärde, trend, åtgärder och ansvariga roller."""
    from riskreg.cli import output
    from riskreg.services.listing import RiskFilter, list_risks

    with state.reader() as reader:
        rows = list_risks(
            reader,
            RiskFilter(
                committee=committee,
                year=year,
                area=area,
                role=role,
                min_value=min_value,
                unreviewed=unreviewed,
                include_all=include_all,
            ),
        )
        if output_format == "json":
            output.write_json(rows, sys.stdout)
            return
        if output_format == "csv":
            output.write_csv(rows, sys.stdout)
            return
        shown = list(rows)
    if shown:
        click.echo(output.render_table(shown, colour=output.use_colour()), nl=False)
        what = ("risk", "risker") if include_all else ("öppen risk", "öppna risker")
        info(f"{count_of(len(shown), *what)}.")
    else:
        info("Inga risker matchar.")


@cli.group()
def risk() -> None:
    """En enskild risk."""


@risk.command("show")
@click.argument("ref")
@committee_option()
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text")
@pass_state
def risk_show(state: CliState, ref: str, committee: str | None, output_format: str) -> None:
    """Visa en risk: text per år, bedömningar, åtgärder, roller och ändringslogg."""
    from riskreg.cli.riskview import render_json, render_text
    from riskreg.services.plans import risk_history

    ctx = state.context()
    history = risk_history(ctx, ref, committee)
    today = ctx.clock().date()
    if output_format == "json":
        click.echo(render_json(history, today))
    else:
        show(render_text(history, today))


@cli.group("import")
def import_group() -> None:
    """Importera data."""


@import_group.command("plan")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", "--år", "year", type=int, required=True, help="Planens år.")
@click.option(
    "--nämnd", "--namnd", "committee", required=True, help="Nämndens namn eller kortnamn."
)
@click.option("--kortnamn", "short_name", help="Kortnamn när nämnden är ny i registret.")
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle skapas utan att spara något.")
@click.option(
    "--blad", "sheet", metavar="NAMN", help="Bladet i en .xlsx-fil (standard: det första)."
)
@click.option(
    "--matris",
    "matrix_size",
    type=int,
    default=4,
    show_default=True,
    help="Riskmatrisens storlek: 3, 4 eller 5.",
)
@click.option(
    "--perioder",
    "period_kind",
    default="kvartal",
    show_default=True,
    help="Uppföljning per kvartal, tertial eller halvår.",
)
@pass_state
def import_plan(
    state: CliState,
    file: Path,
    year: int,
    committee: str,
    short_name: str | None,
    dry_run: bool,
    sheet: str | None,
    matrix_size: int,
    period_kind: str,
) -> None:
    """Importera en internkontrollplan: en tabell från Word sparad som tabbseparerad text,
    eller en Excel-arbetsbok (.xlsx) med kolumnerna Verksamhet, Risk, Åtgärd (och
    valfritt Ansvarig, Brutto S, Brutto K)."""
    from riskreg.domain.periods import parse_kind
    from riskreg.services.importing import import_plan as run_import

    kind = parse_kind(period_kind)
    summary = run_import(
        state.context(),
        file,
        year=year,
        committee=committee,
        short_name=short_name,
        dry_run=dry_run,
        sheet=sheet,
        matrix_size=matrix_size,
        period_kind=kind,
    )
    for item in summary.risks:
        linked = " (finns sedan tidigare år)" if item.linked else ""
        fields = (
            item.ref,
            item.area,
            count_of(item.measures, "åtgärd", "åtgärder"),
            item.text + linked,
        )
        click.echo("\t".join(visible(field) for field in fields))  # a tab stays a separator
    for warning in summary.warnings:
        info(f"Varning: {warning}")
    verb = "Skulle skapa" if summary.dry_run else "Skapade"
    info(
        f"{verb} planen {summary.committee} {summary.year}: "
        f"{count_of(len(summary.risks), 'risk', 'risker')}, "
        f"{count_of(summary.measures, 'åtgärd', 'åtgärder')}"
        + (f", nya verksamheter: {', '.join(summary.new_areas)}" if summary.new_areas else "")
        + (f", nya roller: {', '.join(summary.new_roles)}" if summary.new_roles else "")
        + (". Inget sparades (--dry-run)." if summary.dry_run else ". Planen är ett utkast.")
    )


class _AsWritten(io.StringIO):
    """Click's error text exactly as click wrote it. Click strips CSI sequences (only
    those) from text bound for something that is not a terminal; claiming to be one
    keeps them, so that ``info`` shows them as symbols instead of silently dropping
    them."""

    def isatty(self) -> bool:
        return True


def main(argv: list[str] | None = None) -> None:
    swedish.install()
    swedish.localise(cli)
    try:
        # Without standalone mode click *returns* the code a command gave ctx.exit().
        code = cli.main(args=argv, prog_name="riskreg", standalone_mode=False)
    except RiskregError as exc:
        info(f"Fel: {exc}")
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        shown = _AsWritten()
        exc.show(file=shown)
        info(shown.getvalue().removesuffix("\n"))  # through info: it may quote the user
        sys.exit(exc.exit_code)
    except click.Abort:
        info("Avbrutet.")
        sys.exit(130)
    except KeyboardInterrupt:
        info("Avbrutet.")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if os.environ.get("RISKREG_DEBUG"):
            raise
        info(
            f"Fel: ett oväntat fel inträffade ({type(exc).__name__}: {exc}). "
            "Kör med RISKREG_DEBUG=1 för detaljer."
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
