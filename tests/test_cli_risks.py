"""``riskreg risks``: formats parsed back, filters, and what "open" means."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from riskreg.domain.scales import MeasureStatus
from riskreg.services import editing, plans, reviews
from riskreg.services.context import Context
from tests.clirun import run_cli

SEEDED_2024_REFS = [
    "HR-01",
    "EK-01",
    "EK-02",
    "EK-03",
    "EK-04",
    "EK-06",
    "EK-07",
    "IS-01",
    "KU-01",
    "PS-01",
    "PS-02",
    "PS-04",
    "KS-01",
    "HF-01",
    "HF-02",
    "HF-03",
    "MT-01",
    "FU-01",
    "FU-02",
]


def risks_json(capsys: pytest.CaptureFixture[str], db_url: str, *args: str) -> list[dict]:
    result = run_cli(capsys, "--db", db_url, "risks", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_json_lists_the_open_risks_of_the_current_plan_in_plan_order(capsys, db_url):
    rows = risks_json(capsys, db_url)
    assert [r["ref"] for r in rows] == SEEDED_2024_REFS
    hr = rows[0]
    assert hr["år"] == 2024
    assert hr["verksamhet"] == "HR"
    assert hr["regionövergripande"] is True
    assert hr["risk"].startswith("Risk för ohälsa och olycksfall")
    assert hr["åtgärder"] == {"genomförda": 0, "totalt": 3}
    assert hr["roller"] == ["Fördelande chef", "Varje chef"]
    assert hr["netto"] is None and hr["senast_bedömd"] is None


def test_csv_has_the_same_rows_and_columns_as_json(capsys, db_url):
    rows = risks_json(capsys, db_url)
    result = run_cli(capsys, "--db", db_url, "risks", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(result.out)))
    assert list(parsed[0].keys()) == list(rows[0].keys())
    assert [(r["ref"], r["risk"], r["verksamhet"]) for r in parsed] == [
        (r["ref"], r["risk"], r["verksamhet"]) for r in rows
    ]
    assert parsed[0]["roller"] == "Fördelande chef; Varje chef"
    assert parsed[0]["åtgärder"] == "0/3"


def test_table_fits_80_columns_and_shows_every_ref(capsys, db_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli(capsys, "--db", db_url, "risks")
    assert result.code == 0
    assert all(len(line) <= 80 for line in result.out.splitlines())
    for ref in SEEDED_2024_REFS:
        assert ref in result.out
    assert "\x1b[" not in result.out  # not a terminal: no colour
    assert "19 öppna risker" in result.err


@pytest.mark.parametrize("width", [80, 100, 160])
def test_table_wraps_only_between_words(capsys, db_url, monkeypatch, width):
    """No word of a risk text or a role is cut in two ("Patientsäke/rhet"), at any width;
    below 100 columns the verksamhet shows as its code, above as its name."""
    rows = risks_json(capsys, db_url, "--alla")
    monkeypatch.setenv("COLUMNS", str(width))
    table = run_cli(capsys, "--db", db_url, "risks", "--alla").out
    assert all(len(line) <= width for line in table.splitlines())
    shown = set(re.findall(r"[^\s/-]+", table))
    for row in rows:
        for text in [row["risk"], *row["roller"]]:
            for word in re.findall(r"[^\s/-]+", text):
                shortened = len(word) > 20 and f"{word[:19]}…" in table
                assert word in shown or (width < 100 and shortened), (word, width)
    header = table.splitlines()[0].split()
    assert ("Vht" in header) == (width < 100)
    assert ("Patientsäkerhet" in table) == (width >= 100)


def test_filters(capsys, db_url):
    assert [r["ref"] for r in risks_json(capsys, db_url, "--verksamhet", "ek")] == [
        "EK-01",
        "EK-02",
        "EK-03",
        "EK-04",
        "EK-06",
        "EK-07",
    ]
    # the 2024 source spells it "Informationsosäkerhet": the alias finds the verksamhet
    assert [
        r["ref"] for r in risks_json(capsys, db_url, "--verksamhet", "Informationsosäkerhet")
    ] == ["IS-01"]
    assert [r["ref"] for r in risks_json(capsys, db_url, "--roll", "materialsamordnare")] == [
        "EK-06"
    ]
    assert len(risks_json(capsys, db_url, "--year", "2022")) == 22


def _review(ctx: Context, ref: str, quarter: int, s: int, k: int) -> None:
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk(ref)
    reviews.record_risk_review(ctx, snapshot.plan.id, risk.id, quarter, s, k)


def test_netto_trend_level_and_min_value(capsys, db_url, ctx):
    _review(ctx, "EK-02", 3, 2, 2)
    _review(ctx, "EK-02", 4, 4, 4)
    _review(ctx, "PS-01", 4, 1, 2)
    rows = {r["ref"]: r for r in risks_json(capsys, db_url)}
    assert rows["EK-02"]["netto"] == {"sannolikhet": 4, "konsekvens": 4, "riskvärde": 16}
    assert rows["EK-02"]["trend"] == "upp"
    assert rows["EK-02"]["nivå"] == "Mycket hög"
    assert rows["PS-01"]["trend"] == "första"
    assert rows["PS-01"]["nivå"] == "Låg"
    assert [r["ref"] for r in risks_json(capsys, db_url, "--min-riskvärde", "9")] == ["EK-02"]


def test_not_reviewed_this_quarter(capsys, db_url, ctx):
    # for a plan of an earlier year, the current quarter is its first unlocked one
    plan_id = plans.load_plan(ctx, 2024).plan.id
    _review(ctx, "EK-01", 3, 2, 3)
    for quarter in (1, 2, 3):
        reviews.lock_period(ctx, plan_id, quarter)
    _review(ctx, "HR-01", 4, 2, 3)
    refs = [r["ref"] for r in risks_json(capsys, db_url, "--ej-bedömd")]
    assert "HR-01" not in refs
    assert "EK-01" in refs
    assert len(refs) == 18


def test_measures_done_counts_latest_status(capsys, db_url, ctx):
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk("HR-01")
    first, second, _ = risk.measures
    reviews.record_measure_review(ctx, snapshot.plan.id, first.id, 2, MeasureStatus.DONE)
    reviews.record_measure_review(ctx, snapshot.plan.id, second.id, 3, MeasureStatus.DROPPED)
    hr = risks_json(capsys, db_url)[0]
    assert hr["åtgärder"] == {"genomförda": 1, "totalt": 2}


def test_accepted_and_closed_risks_only_with_alla(capsys, db_url, ctx):
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk("KS-01")
    editing.accept_risk(
        ctx, snapshot.plan.id, risk.id, risk.version, "Nämnden", "Låg påverkan.", None
    )
    open_refs = [r["ref"] for r in risks_json(capsys, db_url)]
    assert "KS-01" not in open_refs
    all_rows = {r["ref"]: r for r in risks_json(capsys, db_url, "--alla")}
    assert all_rows["KS-01"]["status"] == "accepterad"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--format", "xml"], 2, "'xml' är inte ett av"),
        (["--min-riskvärde", "26"], 2, "utanför intervallet"),
        (["--okänd"], 2, "Det finns ingen flagga"),
        (["--verksamhet", "Trädgård"], 1, "Okänd verksamhet ”Trädgård”"),
        (["--roll", "Kung"], 1, "Okänd roll ”Kung”"),
        (["--year", "1999"], 1, "ingen plan för 1999"),
        (["--nämnd", "Kulturnämnden"], 1, "Okänd nämnd ”Kulturnämnden”"),
    ],
)
def test_bad_arguments_give_one_swedish_sentence(capsys, db_url, args, code, message):
    result = run_cli(capsys, "--db", db_url, "risks", *args)
    assert result.code == code
    assert message in result.err
    assert "Traceback" not in result.err
    assert result.out == ""
