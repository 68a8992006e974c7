"""Follow-up periods per plan year: kvartal (the default), tertial or halvår. Chosen at
import (``--perioder``) or with ``plan perioder``, labelled "2024 kv 2", "2026 T2",
"2026 H1" everywhere, and followed by reviews, locks, listings, the ISK report, the delår
follow-up and the workbooks. Bad input is one Swedish sentence, exit 1, nothing changed;
on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from riskreg.db import migrate
from riskreg.db.engine import make_engine
from riskreg.domain.errors import InvalidInput
from riskreg.domain.periods import PeriodKind, PeriodRef, parse_kind, read_period
from riskreg.domain.scales import PlanStatus
from riskreg.services import editing, plans
from riskreg.services.context import Context
from tests.clirun import Result, run_cli
from tests.conftest import make_context
from tests.workbook_owner import fill

PLAN = (
    "Verksamhet\tRisk\tÅtgärd\n"
    "Ekonomi\tRisken att fakturor betalas två gånger.\tKontrollera dubbletter.\n"
    "Personal\tRisken att kompetens saknas.\tKompetensinventering.\n"
)


# -- the rule ------------------------------------------------------------------------------


def test_kinds_count_label_and_cover_the_year() -> None:
    assert [k.per_year for k in PeriodKind] == [4, 3, 2]
    assert PeriodKind.QUARTER.label(2024, 2) == "2024 kv 2"  # as every old report has it
    assert PeriodKind.TERTIAL.label(2024, 2) == "2024 T2"
    assert PeriodKind.HALF_YEAR.label(2024, 1) == "2024 H1"
    assert PeriodKind.TERTIAL.months(2) == (5, 8)
    assert PeriodKind.HALF_YEAR.months(2) == (7, 12)
    for kind in PeriodKind:
        months = [m for n in kind.numbers for m in range(kind.months(n)[0], kind.months(n)[1] + 1)]
        assert months == list(range(1, 13))
    assert PeriodKind.QUARTER.heading(3) == "Kv 3" and PeriodKind.TERTIAL.heading(3) == "T3"


@pytest.mark.parametrize(
    ("kind", "typed", "number"),
    [
        (PeriodKind.QUARTER, "2", 2),
        (PeriodKind.QUARTER, "kv 2", 2),
        (PeriodKind.QUARTER, "2025 kv 4", 4),
        (PeriodKind.TERTIAL, "T2", 2),
        (PeriodKind.TERTIAL, "t 3", 3),
        (PeriodKind.TERTIAL, "2025 T1", 1),
        (PeriodKind.TERTIAL, "2", 2),
        (PeriodKind.HALF_YEAR, "H1", 1),
        (PeriodKind.HALF_YEAR, "2025 H2", 2),
    ],
)
def test_a_period_is_read_against_the_plans_kind(kind: PeriodKind, typed: str, number: int) -> None:
    assert kind.number(typed, 2025) == number


@pytest.mark.parametrize(
    ("kind", "typed", "says"),
    [
        (PeriodKind.TERTIAL, "T4", "Planen 2025 följs upp per tertial: ange T1, T2 eller T3."),
        (PeriodKind.TERTIAL, "kv 2", "Planen 2025 följs upp per tertial: ange T1, T2 eller T3."),
        (PeriodKind.HALF_YEAR, "3", "Planen 2025 följs upp per halvår: ange H1 eller H2."),
        (PeriodKind.QUARTER, "H1", "ange kv 1, kv 2, kv 3 eller kv 4."),
        (PeriodKind.TERTIAL, "sommar", "Planen 2025 följs upp per tertial: ange T1, T2 eller T3."),
        (PeriodKind.TERTIAL, "2024 T2", "Perioden ”2024 T2” hör inte till planåret 2025"),
    ],
)
def test_a_wrong_period_names_the_valid_ones(kind: PeriodKind, typed: str, says: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        kind.number(typed, 2025)
    assert says in str(raised.value)


def test_period_refs_parse_with_their_kind_and_compare_within_a_year() -> None:
    assert PeriodRef.parse("2024 kv 3") == PeriodRef(2024, 3)
    tertial = PeriodRef.parse("2024 T2")
    assert (tertial.kind, tertial.label, tertial.slug) == (PeriodKind.TERTIAL, "2024 T2", "t2")
    assert PeriodRef.parse("H1", 2026).label == "2026 H1"
    assert PeriodRef(2024, 3, PeriodKind.TERTIAL) < PeriodRef.end_of(2024) < PeriodRef(2025, 1)
    assert read_period("sommar") is None
    with pytest.raises(InvalidInput, match="ett år har T1, T2 eller T3"):
        PeriodRef.parse("2024 T4")
    assert parse_kind(" Halvår ") is PeriodKind.HALF_YEAR
    with pytest.raises(InvalidInput) as raised:
        parse_kind("månad")
    assert str(raised.value) == "Okänd periodtyp ”månad”: välj kvartal, tertial eller halvår."


# -- end to end ----------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], ctx: Context, *args: str) -> Result:
    return run_cli(capsys, "--db", ctx.target.url, *args)


def _import(
    capsys: pytest.CaptureFixture[str], ctx: Context, tmp_path: Path, *extra: str
) -> Result:
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    return _cli(
        capsys, ctx, "import", "plan", str(plan), "--year", "2026", "--nämnd", "Kulturnämnden",
        "--kortnamn", "KN", *extra,
    )  # fmt: skip


def _adopt(ctx: Context) -> None:
    plan = plans.load_plan(ctx, 2026, "KN").plan
    editing.set_plan_status(ctx, plan.id, PlanStatus.ADOPTED)


def _review(capsys: pytest.CaptureFixture[str], ctx: Context, period: str, s: str) -> Result:
    return _cli(
        capsys, ctx, "review", "set", "EK-01", "--year", "2026", "--nämnd", "KN",
        "--period", period, "--sannolikhet", s, "--konsekvens", "2",
    )  # fmt: skip


def _audit_actions(capsys: pytest.CaptureFixture[str], ctx: Context) -> list[str]:
    log = _cli(capsys, ctx, "audit", "log", "--format", "json")
    return [e["händelse"] for e in json.loads(log.out)]


def _period_headings(html: str) -> list[str]:
    """The column headings of the first per-verksamhet table, between "Ansvarig" and
    "Trend"."""
    table = html[html.index("nettorisk och åtgärdernas status per") :]
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", table[: table.index("</tr>")])
    return heads[heads.index("Ansvarig") + 1 : heads.index("Trend")]


def test_a_5x5_tertial_plan_imported_reviewed_locked_listed_and_reported(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    imported = _import(capsys, ctx, tmp_path, "--matris", "5", "--perioder", "tertial")
    assert imported.code == 0, imported.err
    snapshot = plans.load_plan(ctx, 2026, "KN")
    assert snapshot.plan.period_kind is PeriodKind.TERTIAL
    assert [p.label for p in snapshot.plan.periods] == ["2026 T1", "2026 T2", "2026 T3"]
    _adopt(ctx)

    saved = _review(capsys, ctx, "T1", "5")
    assert (saved.code, saved.err) == (0, "EK-01 2026 T1: netto 5×2 sparat.\n")
    assert _review(capsys, ctx, "2", "4").code == 0  # a bare number is the plan's T2
    measured = _cli(
        capsys, ctx, "review", "measure", "EK-01/1", "--year", "2026", "--nämnd", "KN",
        "--period", "2026 T2", "--status", "pågående",
    )  # fmt: skip
    assert measured.code == 0 and "2026 T2" in measured.err
    locked = _cli(capsys, ctx, "review", "lås", "--year", "2026", "--nämnd", "KN", "--period", "T1")
    assert locked.code == 0 and locked.err.startswith("Kulturnämnden 2026 T1 är låst")
    again = _review(capsys, ctx, "T1", "3")
    assert again.code == 1 and again.err.startswith("Fel: Perioden 2026 T1 är låst")

    listed = _cli(capsys, ctx, "risks", "--year", "2026", "--nämnd", "KN", "--format", "json")
    assert listed.code == 0
    ek01 = next(r for r in json.loads(listed.out) if r["ref"] == "EK-01")
    assert ek01["netto"]["riskvärde"] == 8, ek01
    shown = _cli(capsys, ctx, "risk", "show", "EK-01", "--nämnd", "KN")
    assert "2026 T2: 4×2=8" in shown.out and "2026 T1: 5×2=10" in shown.out, shown.out
    found = _cli(capsys, ctx, "audit", "log", "--period", "2026 T1", "--format", "json")
    assert {e["händelse"] for e in json.loads(found.out)} >= {"låste period"}, found.out

    pdf_path, html_path = tmp_path / "isk.pdf", tmp_path / "isk.html"
    for target, fmt in ((pdf_path, "pdf"), (html_path, "html")):
        made = _cli(capsys, ctx, "report", "isk", "--year", "2026", "--nämnd", "KN",
                    "--format", fmt, "-o", str(target))  # fmt: skip
        assert made.code == 0, made.err
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert "2026 T2" in pdf and "Netto per tertial" in pdf and "2026 kv" not in pdf
    html = html_path.read_text(encoding="utf-8")
    assert _period_headings(html) == ["T1", "T2", "T3"]
    assert "2026 T2" in html and "Kv 1" not in html and "per tertial" in html

    followup = _cli(capsys, ctx, "report", "uppföljning", "--year", "2026", "--nämnd", "KN",
                    "--period", "T2", "--format", "html",
                    "-o", str(tmp_path / "f.html"))  # fmt: skip
    assert followup.code == 0, followup.err
    assert "tertial 2" in (tmp_path / "f.html").read_text(encoding="utf-8")


def test_workbooks_for_a_tertial(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    assert _import(capsys, ctx, tmp_path, "--perioder", "tertial").code == 0
    _adopt(ctx)
    out = tmp_path / "ut"
    made = _cli(capsys, ctx, "workbooks", "create", "--year", "2026", "--nämnd", "KN",
                "--period", "T2", "-o", str(out))  # fmt: skip
    assert made.code == 0, made.err
    assert made.err.endswith("för 2026 T2.\n")
    book = out / "uppfoljning-2026-t2-utan-roll.xlsx"
    assert book.exists(), sorted(p.name for p in out.iterdir())
    fill(book, {"EK-01/1": {"Status": "Genomförd"}})
    wrong = _cli(capsys, ctx, "workbooks", "read", str(book), "--year", "2026", "--period", "T3")
    assert wrong.code == 1 and "gäller 2026 T2, inte 2026 T3" in wrong.err
    read = _cli(capsys, ctx, "workbooks", "read", str(book), "--year", "2026", "--period", "T2")
    assert read.code == 0, read.err
    measure = plans.load_plan(ctx, 2026, "KN").risk("EK-01").measures[0]
    review = measure.reviews[-1]
    assert review.period.label == "2026 T2" and review.source == "arbetsbok från utan ansvarig roll"
    status = _cli(capsys, ctx, "workbooks", "status", "--year", "2026", "--nämnd", "KN",
                  "--period", "T2")  # fmt: skip
    assert status.code == 0 and status.err.startswith("Kulturnämnden 2026 T2")
    bad = _cli(capsys, ctx, "workbooks", "status", "--year", "2026", "--nämnd", "KN",
               "--period", "kv 4")  # fmt: skip
    assert (bad.code, bad.err) == (
        1, "Fel: Planen 2026 följs upp per tertial: ange T1, T2 eller T3.\n"
    )  # fmt: skip


def test_a_quarter_workbook_is_refused_once_the_plan_follows_up_per_tertial(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Workbooks made for kv 4, then the kind changed before any answer: the kv 4 workbook
    has no period to go into, and nothing is saved."""
    ctx = seeded_backend
    assert _import(capsys, ctx, tmp_path).code == 0
    _adopt(ctx)
    out = tmp_path / "ut"
    made = _cli(capsys, ctx, "workbooks", "create", "--year", "2026", "--nämnd", "KN",
                "--period", "4", "-o", str(out))  # fmt: skip
    assert made.code == 0, made.err
    book = out / "uppfoljning-2026-kv4-utan-roll.xlsx"
    assert book.exists(), sorted(p.name for p in out.iterdir())
    fill(book, {"EK-01/1": {"Status": "Genomförd"}})
    changed = _cli(capsys, ctx, "plan", "perioder", "--year", "2026", "--nämnd", "KN",
                   "--typ", "tertial", "--motivering", "Nämndens beslut")  # fmt: skip
    assert changed.code == 0, changed.err
    read = _cli(capsys, ctx, "workbooks", "read", str(book))
    assert read.code == 1
    assert (
        "arbetsboken gäller 2026 kv 4, men planen Kulturnämnden 2026 följs upp per tertial"
        in read.err
    )
    assert "Traceback" not in read.err
    assert plans.load_plan(ctx, 2026, "KN").risk("EK-01").measures[0].reviews == ()


def test_a_halvar_plan_has_two_periods_everywhere(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    assert _import(capsys, ctx, tmp_path, "--perioder", "halvår").code == 0
    _adopt(ctx)
    assert _review(capsys, ctx, "H2", "3").code == 0
    bad = _review(capsys, ctx, "H3", "3")
    assert (bad.code, bad.err) == (1, "Fel: Planen 2026 följs upp per halvår: ange H1 eller H2.\n")
    locked = _cli(capsys, ctx, "review", "lås", "--year", "2026", "--nämnd", "KN", "--period", "H1")
    assert locked.code == 0 and "2026 H1 är låst" in locked.err
    html_path = tmp_path / "isk.html"
    made = _cli(capsys, ctx, "report", "isk", "--year", "2026", "--nämnd", "KN",
                "--format", "html", "-o", str(html_path))  # fmt: skip
    assert made.code == 0, made.err
    html = html_path.read_text(encoding="utf-8")
    assert _period_headings(html) == ["H1", "H2"]
    assert "2026 H1" in html and "Halvår 1 är inte uppföljt alls." in html


# -- choosing the kind, and refusing a change -----------------------------------------------


def test_plan_perioder_replaces_the_periods_is_logged_and_refused_after_a_review(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    assert _import(capsys, ctx, tmp_path).code == 0
    assert plans.load_plan(ctx, 2026, "KN").plan.period_kind is PeriodKind.QUARTER  # default
    changed = _cli(capsys, ctx, "plan", "perioder", "--year", "2026", "--nämnd", "KN",
                   "--typ", "halvår")  # fmt: skip
    assert (changed.code, changed.err) == (
        0, "Planen för 2026 följs nu upp per halvår: H1, H2.\n"
    )  # fmt: skip
    assert "bytte periodtyp" in _audit_actions(capsys, ctx)

    unknown = _cli(capsys, ctx, "plan", "perioder", "--year", "2026", "--nämnd", "KN",
                   "--typ", "månad")  # fmt: skip
    assert (unknown.code, unknown.err) == (
        1, "Fel: Okänd periodtyp ”månad”: välj kvartal, tertial eller halvår.\n"
    )  # fmt: skip
    unknown_import = _import(capsys, ctx, tmp_path, "--perioder", "vecka")
    assert unknown_import.code == 1 and "Okänd periodtyp ”vecka”" in unknown_import.err

    _adopt(ctx)
    assert _review(capsys, ctx, "H1", "2").code == 0
    before = _audit_actions(capsys, ctx)
    refused = _cli(capsys, ctx, "plan", "perioder", "--year", "2026", "--nämnd", "KN",
                   "--typ", "tertial", "--motivering", "Nytt beslut")  # fmt: skip
    assert (refused.code, refused.err) == (
        1,
        "Fel: Planen för 2026 har redan uppföljningar per halvår: periodtypen kan bara "
        "bytas före årets första uppföljning.\n",
    )
    plan = plans.load_plan(ctx, 2026, "KN").plan
    assert plan.period_kind is PeriodKind.HALF_YEAR and len(plan.periods) == 2
    assert _audit_actions(capsys, ctx) == before


def test_an_adopted_plan_changes_kind_before_its_first_review_with_a_reason(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    assert _import(capsys, ctx, tmp_path).code == 0
    _adopt(ctx)
    args = ("plan", "perioder", "--year", "2026", "--nämnd", "KN", "--typ", "tertial")
    no_reason = _cli(capsys, ctx, *args)
    assert no_reason.code == 1 and "ange en motivering" in no_reason.err
    assert plans.load_plan(ctx, 2026, "KN").plan.period_kind is PeriodKind.QUARTER
    assert _cli(capsys, ctx, *args, "--motivering", "Tertial enligt nämndens beslut").code == 0
    plan = plans.load_plan(ctx, 2026, "KN").plan
    assert [p.label for p in plan.periods] == ["2026 T1", "2026 T2", "2026 T3"]
    assert plan.revisions[-1].what == "Uppföljning per kvartal → per tertial"


def test_rolling_forward_keeps_the_kind(seeded_backend: Context) -> None:
    plan = plans.load_plan(seeded_backend, 2024, "HSN").plan
    assert plan.period_kind is PeriodKind.QUARTER
    rolled = editing.roll_forward(seeded_backend, plan.id)
    editing.set_period_kind(seeded_backend, rolled.plan.year, PeriodKind.TERTIAL, committee="HSN")
    again = editing.roll_forward(seeded_backend, rolled.plan.id)
    kept = plans.load_plan(seeded_backend, again.plan.year, "HSN").plan
    assert kept.period_kind is PeriodKind.TERTIAL and len(kept.periods) == 3


def test_the_migration_keeps_every_existing_plan_quarterly(backend_url: str) -> None:
    from riskreg.services.seeding import seed

    migrate.upgrade(backend_url)
    ctx = make_context(backend_url)
    seed(ctx)
    before = {p.year: [x.label for x in p.periods] for p in _plans(ctx)}
    migrate.downgrade(backend_url, "0009")
    migrate.upgrade(backend_url)
    after = _plans(ctx)
    assert all(p.period_kind is PeriodKind.QUARTER for p in after)
    assert {p.year: [x.label for x in p.periods] for p in after} == before
    assert before[2024] == ["2024 kv 1", "2024 kv 2", "2024 kv 3", "2024 kv 4"]
    engine = make_engine(backend_url)
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT DISTINCT period_kind FROM plan")).scalars().all()
    engine.dispose()
    ctx.engine.dispose()
    assert kinds == ["kvartal"]


def _plans(ctx: Context):  # type: ignore[no-untyped-def]
    return [plans.load_plan(ctx, year, "HSN").plan for year in (2022, 2024)]
