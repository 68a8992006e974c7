"""Done when: a full quarter's follow-up by workbook, from the command line, for the
seeded 2024 plan, as the README's "Uppföljning med arbetsböcker" shows it: create, the
owners answer (a script), read back with one conflict and one bad cell reported and
nothing saved, fix the cell, read again, and ``riskreg risks`` shows the answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskreg.services.context import Context
from riskreg.services.plans import load_plan
from tests.clirun import run_cli
from tests.workbook_owner import answer_all, fill


def test_a_quarter_round_trip_from_the_command_line(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ("--db", seeded_backend.target.url)
    folder = tmp_path / "uppföljning-kv2"

    def riskreg(*args: str):  # type: ignore[no-untyped-def]
        return run_cli(capsys, *db, *args)

    made = riskreg(
        "workbooks", "create", "--year", "2024", "--period", "2", "--deadline", "2024-07-10",
        "-o", str(folder),
    )  # fmt: skip
    assert made.code == 0, made.err
    files = sorted(folder.glob("*.xlsx"))
    assert len(files) == 9 and "Skrev 9 arbetsböcker med 28 åtgärdsrader" in made.err

    # Meanwhile the controller follows up one åtgärd herself.
    own = riskreg(
        "review", "measure", "EK-02/1", "--year", "2024", "--period", "2",
        "--status", "genomförd", "--kommentar", "Klart enligt controllern",
    )  # fmt: skip
    assert own.code == 0, own.err

    assert answer_all(folder) == 28  # every row; MT-01/1 has two roles, so two rows
    controller = folder / "uppfoljning-2024-kv2-utan-roll.xlsx"
    rows = fill(controller, {"EK-03/1": {"Status": "klart"}})  # one bad cell

    first = riskreg("workbooks", "read", *map(str, files))
    assert first.code == 1
    assert (
        f"Fel: {controller.name}, bladet Åtgärder, rad {rows['EK-03/1']}, kolumnen Status: "
        "Okänd status ”klart”" in first.err
    )
    assert "KONFLIKT EK-02/1: ändrad i riskreg av" in first.out
    assert "I riskreg: genomförd, kommentar ”Klart enligt controllern”" in first.out
    assert "Inget sparades från någon av filerna" in first.err
    before = json.loads(riskreg("risks", "--year", "2024", "--format", "json").out)
    assert all(r["netto"] is None for r in before)

    fill(controller, {"EK-03/1": {"Status": "pågående"}})  # fixed
    second = riskreg("workbooks", "read", *map(str, files))
    assert second.code == 0, second.err
    assert "KONFLIKT EK-02/1" in second.out and "1 konflikter sparades inte" in second.err

    listed = json.loads(riskreg("risks", "--year", "2024", "--format", "json").out)
    assert all(r["netto"] == {"sannolikhet": 2, "konsekvens": 2, "riskvärde": 4} for r in listed)
    kept = load_plan(seeded_backend, 2024).risk("EK-02").measures[0].reviews[-1]
    assert (kept.comment, kept.source) == ("Klart enligt controllern", None)  # not overwritten
    status = riskreg("workbooks", "status", "--year", "2024", "--period", "2")
    assert "Alla roller har svarat." in status.err
    assert riskreg("audit", "verify").code == 0
