"""``riskreg plan fastställ`` and ``riskreg review lås``: adopting a plan and locking a period
from the command line, through the logged services, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskreg.db.migrate import upgrade
from tests.clirun import run_cli

EXAMPLE = Path(__file__).parents[1] / "seed" / "exempel" / "socialnamnden-2026.txt"


@pytest.fixture
def url(capsys, backend_url: str) -> str:
    """An empty register with Socialnämnden's 2026 plan imported (an utkast)."""
    upgrade(backend_url)
    for args in (
        ("init", "--tom"),
        ("nämnd", "add", "Socialnämnden", "--kortnamn", "SN"),
        ("import", "plan", str(EXAMPLE), "--year", "2026", "--nämnd", "SN"),
    ):
        result = run_cli(capsys, "--db", backend_url, *args)
        assert result.code == 0, result.err
    return backend_url


def _actions(capsys, url: str) -> list[str]:
    result = run_cli(capsys, "--db", url, "audit", "log", "--format", "json")
    return [e["händelse"] for e in json.loads(result.out)]


def test_plan_fastställ_adopts_once_and_logs_it(capsys, url):
    adopt = ("plan", "fastställ", "--year", "2026", "--nämnd", "sociala nämnden")
    wrong = run_cli(capsys, "--db", url, *adopt[:-2], "--nämnd", "SN", "--datum", "28/1")
    assert wrong.code == 2 and "är inget datum" in wrong.err
    missing = run_cli(capsys, "--db", url, "plan", "fastställ", "--year", "2031")
    assert missing.code == 1
    assert missing.err == "Fel: Socialnämnden har ingen plan för 2031; planer finns för: 2026.\n"
    before = _actions(capsys, url)
    assert "ändrade planstatus" not in before
    done = run_cli(capsys, "--db", url, *adopt[:-1], "SN", "--datum", "2026-01-28", "--dnr", "D1")
    assert done.code == 0, done.err
    assert done.err == "Planen Socialnämnden 2026 är fastställd 2026-01-28.\n"
    again = run_cli(capsys, "--db", url, *adopt[:-1], "SN")
    assert again.code == 0
    assert "är redan fastställd (2026-01-28)" in again.err
    assert _actions(capsys, url) == [*before, "ändrade planstatus"]
    # Adopted, a plan changes only through revisions with a reason.
    risks = run_cli(capsys, "--db", url, "risks", "--format", "json")
    assert [r["ref"] for r in json.loads(risks.out)] == ["BI-01", "EK-01", "IN-01"]


def test_review_lås_freezes_the_period_and_refuses_a_second_lock(capsys, url):
    review = ("review", "set", "BI-01", "--year", "2026", "--period", "1")
    draft = run_cli(capsys, "--db", url, *review, "--sannolikhet", "2", "--konsekvens", "3")
    assert draft.err == "Fel: Planen för 2026 är utkast: bara en fastställd plan följs upp.\n"
    assert run_cli(capsys, "--db", url, "plan", "fastställ", "--year", "2026").code == 0
    saved = run_cli(capsys, "--db", url, *review, "--sannolikhet", "2", "--konsekvens", "3")
    assert saved.code == 0, saved.err
    locked = run_cli(capsys, "--db", url, "review", "lås", "--year", "2026", "--period", "1")
    assert locked.code == 0, locked.err
    assert locked.err == ("Socialnämnden 2026 kv 1 är låst (1 av 3 risker och 0 av 4 åtgärder).\n")
    before = _actions(capsys, url)
    again = run_cli(capsys, "--db", url, "review", "lås", "--year", "2026", "--period", "1")
    assert again.code == 1
    assert again.err.startswith("Fel: Perioden 2026 kv 1 är låst")
    late = run_cli(capsys, "--db", url, *review, "--sannolikhet", "4", "--konsekvens", "4")
    assert late.code == 1
    assert _actions(capsys, url) == before
    assert before[-1] == "låste period"
    outside = run_cli(capsys, "--db", url, "review", "lås", "--year", "2026", "--period", "7")
    assert outside.code == 1 and outside.err == (
        "Fel: Planen 2026 följs upp per kvartal: ange kv 1, kv 2, kv 3 eller kv 4.\n"
    )
