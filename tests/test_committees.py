"""``riskreg nämnd add|list|rename|alias`` and ``riskreg init --tom``: one's own nämnd in a
register, found by every name it is known by; bad input changes nothing, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskreg.services.context import Context
from tests.clirun import run_cli


@pytest.fixture
def url(seeded_backend: Context) -> str:
    """A migrated register with the seeded nämnd (HSN) and its plans."""
    return seeded_backend.target.url


def _list(capsys, url: str) -> list[dict]:
    result = run_cli(capsys, "--db", url, "nämnd", "list", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _log(capsys, url: str) -> list[dict]:
    result = run_cli(capsys, "--db", url, "audit", "log", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_add_rename_alias_are_logged_and_found_wherever_a_namnd_is_named(capsys, url):
    added = run_cli(capsys, "--db", url, "nämnd", "add", "Socialnämnden", "--kortnamn", "sn")
    assert added.code == 0, added.err
    assert "Lade till Socialnämnden (SN)." in added.err
    alias = run_cli(capsys, "--db", url, "nämnd", "alias", "SN", "Sociala nämnden")
    assert alias.code == 0, alias.err
    renamed = run_cli(
        capsys, "--db", url, "nämnd", "rename", "socialnämnden", "Vård- och omsorgsnämnden",
        "--kortnamn", "VON",
    )  # fmt: skip
    assert renamed.code == 0, renamed.err
    assert "Vård- och omsorgsnämnden (VON)" in renamed.err
    listed = {c["kortnamn"]: c for c in _list(capsys, url)}
    assert listed["VON"] == {
        "namn": "Vård- och omsorgsnämnden",
        "kortnamn": "VON",
        "alias": ["Sociala nämnden"],
        "planår": [],
    }
    assert listed["HSN"]["planår"] == [2022, 2024]
    # The alias names the nämnd in an import, the same lookup every --nämnd uses.
    plan = Path(__file__).parents[1] / "seed" / "exempel" / "socialnamnden-2026.txt"
    imported = run_cli(
        capsys, "--db", url, "import", "plan", str(plan), "--year", "2026",
        "--nämnd", "sociala  NÄMNDEN",
    )  # fmt: skip
    assert imported.code == 0, imported.err
    risks = run_cli(capsys, "--db", url, "risks", "--nämnd", "Sociala nämnden", "--format", "json")
    assert risks.code == 0, risks.err
    assert {r["nämnd"] for r in json.loads(risks.out)} == {"Vård- och omsorgsnämnden"}
    # The documents' own other spellings still name HSN.
    hsn = run_cli(capsys, "--db", url, "risks", "--nämnd", "Hälsa- och sjukvårdsnämnden")
    assert hsn.code == 0, hsn.err
    removed = run_cli(capsys, "--db", url, "nämnd", "alias", "VON", "Sociala nämnden", "--ta-bort")
    assert removed.code == 0, removed.err
    assert "Alias för Vård- och omsorgsnämnden: inga." in removed.err
    gone = run_cli(capsys, "--db", url, "risks", "--nämnd", "Sociala nämnden")
    assert gone.code == 1
    actions = [e["händelse"] for e in _log(capsys, url) if e["referens"] in ("SN", "VON")]
    assert actions == [
        "lade till nämnd",
        "lade till alias för nämnd",
        "bytte namn på nämnd",
        "tog bort alias för nämnd",
    ]
    rename = next(e for e in _log(capsys, url) if e["händelse"] == "bytte namn på nämnd")
    assert rename["före"]["namn"] == "Socialnämnden"
    assert rename["efter"]["kortnamn"] == "VON"
    assert run_cli(capsys, "--db", url, "audit", "verify").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("add", "hälso- och sjukvårdsnämnden", "--kortnamn", "X"),
            "Fel: Namnet ”hälso- och sjukvårdsnämnden” används redan av "
            "Hälso- och sjukvårdsnämnden (HSN).",
        ),
        (
            ("add", "Hälsa- och sjukvårdsnämnden", "--kortnamn", "X"),
            "Fel: Namnet ”Hälsa- och sjukvårdsnämnden” används redan av",
        ),
        (("add", "Kulturnämnden", "--kortnamn", "hsn"), "Fel: Kortnamnet ”HSN” används redan av"),
        (("add", "Kulturnämnden", "--kortnamn", "SN2"), "Fel: Kortnamnet ”SN2” används redan av"),
        (("add", "Kulturnämnden", "--kortnamn", "  "), "Fel: Kortnamnet får inte vara tomt."),
        (("add", "Sociala nämnden", "--kortnamn", "KN"), "Fel: Namnet ”Sociala nämnden” används"),
        (("alias", "SN2", "HSN"), "Fel: Aliaset ”HSN” används redan av Hälso- och"),
        (("alias", "HSN", "Sociala nämnden"), "Fel: Aliaset ”Sociala nämnden” används redan av"),
        (("alias", "SN2", "sociala nämnden"), "Fel: Socialnämnden har redan aliaset"),
        (("alias", "SN2", "Okänt", "--ta-bort"), "Fel: Socialnämnden har inget alias ”Okänt”."),
        (("alias", "XYZ", "Något"), "Fel: Okänd nämnd ”XYZ”; kända nämnder:"),
        (("rename", "XYZ", "Ny"), "Fel: Okänd nämnd ”XYZ”"),
        (("rename", "SN2", "HSN"), "Fel: Namnet ”HSN” används redan av"),
        (("rename", "HSN", "--kortnamn", "Sociala nämnden"), "Fel: Kortnamnet ”SOCIALA NÄMNDEN”"),
        (("rename", "SN2"), "Fel: Ange ett nytt namn eller ett nytt kortnamn (--kortnamn)."),
        (("add", "x" * 201, "--kortnamn", "L"), "Fel: Nämndens namn"),
        (("add", "Bra\x1b[31m", "--kortnamn", "L"), "Fel: Nämndens namn"),
    ],
)
def test_bad_input_is_one_swedish_sentence_and_changes_nothing(capsys, url, args, message):
    assert (
        run_cli(capsys, "--db", url, "nämnd", "add", "Socialnämnden", "--kortnamn", "sn2").code == 0
    )
    assert run_cli(capsys, "--db", url, "nämnd", "alias", "SN2", "Sociala nämnden").code == 0
    before = (_list(capsys, url), len(_log(capsys, url)))
    result = run_cli(capsys, "--db", url, "nämnd", *args)
    assert result.code == 1
    assert result.err.startswith(message), result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "\x1b" not in result.err
    assert (_list(capsys, url), len(_log(capsys, url))) == before


def test_list_in_each_format_shows_hostile_text_as_text(capsys, url):
    assert (
        run_cli(capsys, "--db", url, "nämnd", "add", "=HYPERLINK(1)", "--kortnamn", "@x").code == 0
    )
    table = run_cli(capsys, "--db", url, "nämnd", "list")
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    assert lines[0].split() == ["namn", "kortnamn", "alias", "planår"]
    assert any("Hälso- och sjukvårdsnämnden" in line and "2022, 2024" in line for line in lines)
    assert "2 nämnder." in table.err
    csv_out = run_cli(capsys, "--db", url, "nämnd", "list", "--format", "csv")
    assert "'=HYPERLINK(1),'@X,," in csv_out.out
    assert csv_out.out.startswith("namn,kortnamn,alias,planår\n")
    data = _list(capsys, url)
    assert {"namn": "=HYPERLINK(1)", "kortnamn": "@X", "alias": [], "planår": []} in data
    wrong = run_cli(capsys, "--db", url, "nämnd", "list", "--format", "xml")
    assert wrong.code == 2 and "Traceback" not in wrong.err


def test_init_tom_makes_a_register_that_is_never_seeded(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = "sqlite:///min.db"
    made = run_cli(capsys, "--db", url, "init", "--tom")
    assert made.code == 0, made.err
    assert "Registret är tomt" in made.err
    empty = run_cli(capsys, "--db", url, "nämnd", "list")
    assert empty.code == 0 and empty.out == ""
    assert "ingen nämnd ännu" in empty.err
    seeded = run_cli(capsys, "--db", url, "seed")
    assert seeded.code == 1
    assert seeded.err.startswith("Fel: Registret skapades tomt (riskreg init --tom)")
    assert _list(capsys, url) == []
    again = run_cli(capsys, "--db", url, "init", "--tom")
    assert again.code == 0, again.err
    log = _log(capsys, url)
    assert [e["händelse"] for e in log] == ["skapade tomt register"]


def test_init_tom_refuses_a_register_that_has_namnder(capsys, db_url):
    result = run_cli(capsys, "--db", db_url, "init", "--tom")
    assert result.code == 1
    assert "Fel: Registret har redan nämnder (HSN); --tom gäller ett nytt register." in result.err
    assert run_cli(capsys, "--db", db_url, "seed").code == 0


def test_init_tom_on_the_default_database_keeps_its_first_use_from_seeding(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("RISKREG_DATABASE_URL", raising=False)
    assert run_cli(capsys, "init", "--tom").code == 0
    listed = run_cli(capsys, "nämnd", "list", "--format", "json")
    assert listed.code == 0, listed.err
    assert json.loads(listed.out) == []
    risks = run_cli(capsys, "risks")
    assert risks.code == 1
    assert "Registret har ingen nämnd ännu: lägg till er nämnd med ”riskreg nämnd add”" in risks.err
