"""``riskreg review set|measure``: the review from a script, with the TUI's checks, conflicts
and log, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from riskreg.services import reviews
from riskreg.services.context import Context
from riskreg.services.plans import load_plan
from tests.clirun import run_cli


def _url(ctx: Context) -> str:
    return ctx.target.url


def test_review_set_saves_netto_and_logs_it(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _url(seeded_backend)
    result = run_cli(
        capsys, "--db", url, "review", "set", "ek-01", "--year", "2024", "--period", "2",
        "--sannolikhet", "2", "--konsekvens", "3", "--kommentar", "=HYPERLINK(\"x\")",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "EK-01 2024 kv 2: netto 2×3" in result.err
    risk = load_plan(seeded_backend, 2024).risk("EK-01")
    review = risk.reviews[-1]
    assert (review.netto.label, review.comment) == ("2×3", '=HYPERLINK("x")')
    listed = run_cli(capsys, "--db", url, "risks", "--year", "2024", "--format", "json")
    row = next(r for r in json.loads(listed.out) if r["ref"] == "EK-01")
    assert row["netto"] == {"sannolikhet": 2, "konsekvens": 3, "riskvärde": 6}
    log = run_cli(capsys, "--db", url, "audit", "log", "--ref", "EK-01", "--format", "json")
    assert any(e["händelse"] == "bedömde risk" for e in json.loads(log.out))


def test_review_measure_saves_status_and_deviation(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _url(seeded_backend)
    result = run_cli(
        capsys, "--db", url, "review", "measure", "EK-01/1", "--year", "2024", "--period", "1",
        "--status", "Pågående", "--avvikelse", "Attest saknades", "--allvarlighet", "måttlig",
    )  # fmt: skip
    assert result.code == 0, result.err
    measure = load_plan(seeded_backend, 2024).risk("EK-01").measures[0]
    saved = measure.reviews[-1]
    assert (saved.status, saved.deviation, saved.severity) == (
        "pågående",
        "Attest saknades",
        "måttlig",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "EK-99", "--sannolikhet", "2", "--konsekvens", "2"], "ingen risk med referensen"),
        (["set", "EK-01", "--sannolikhet", "5", "--konsekvens", "2"], "heltal 1–4, inte 5"),
        (["set", "EK-01", "--sannolikhet", "2", "--konsekvens", "0"], "heltal 1–4, inte 0"),
        (
            ["measure", "EK-01/1", "--status", "klar"],
            "välj en av ej påbörjad, pågående, genomförd, ej genomförd, utgår",
        ),
        (["measure", "EK-01/7", "--status", "genomförd"], "åtgärd 7 finns inte"),
        (["measure", "EK-01", "--status", "genomförd"], "REF/N"),
        (
            ["measure", "EK-01/1", "--status", "genomförd", "--avvikelse", "x"],
            "både en beskrivning och en allvarlighetsgrad",
        ),
        (
            ["measure", "EK-01/1", "--status", "genomförd", "--allvarlighet", "enorm"],
            "Okänd allvarlighetsgrad",
        ),
    ],
)
def test_bad_input_is_one_swedish_sentence_and_nothing_is_saved(
    ctx: Context, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    command, ref, *rest = args
    result = run_cli(
        capsys, "--db", _url(ctx), "review", command, ref, "--year", "2024", "--period", "1", *rest
    )
    assert result.code == 1
    assert message in result.err
    assert result.err.startswith("Fel: ") and result.err.count("\n") == 1
    assert "Traceback" not in result.err
    risk = load_plan(ctx, 2024).risk("EK-01")
    assert not risk.reviews and not risk.measures[0].reviews


def test_a_locked_period_refuses_a_scripted_review(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = load_plan(seeded_backend, 2024).plan
    reviews.lock_period(seeded_backend, plan.id, 1)
    result = run_cli(
        capsys, "--db", _url(seeded_backend), "review", "measure", "EK-01/1", "--year", "2024",
        "--period", "1", "--status", "genomförd",
    )  # fmt: skip
    assert result.code == 1
    assert "Perioden 2024 kv 1 är låst" in result.err
