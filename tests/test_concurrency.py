"""Several writers at once, as real processes, on SQLite and PostgreSQL: writers wait for
each other instead of failing, no review lands in a period locked a moment earlier, and two
first saves of the same answer end in one save and one conflict, never in an error."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from riskreg.services import plans
from riskreg.services.context import Context

WORKER = Path(__file__).with_name("concurrency_worker.py")
REFS = [
    "HR-01", "EK-01", "EK-02", "EK-03", "EK-04", "EK-06", "EK-07", "IS-01", "KU-01",
    "PS-01", "PS-02", "PS-04", "KS-01", "HF-01", "HF-02", "HF-03",
]  # fmt: skip


def _run(url: str, *jobs: list[str], delay: float = 1.5) -> list[dict]:
    """Start every job as its own process, all released at the same moment."""
    start = str(time.time() + delay)
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, start, *job],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_four_writers_all_save(seeded_backend: Context) -> None:
    url = seeded_backend.target.url
    groups = [REFS[i::4] for i in range(4)]  # different risks per process
    results = _run(url, *(["reviews", "1", "10", *refs] for refs in groups))
    attempted = 10 * len(REFS)
    saved = sum(r["saved"] for r in results)
    refused = [m for r in results for m in r["refused"]]
    print(f"\n{seeded_backend.engine.dialect.name}: {attempted} försök, {saved} sparade, "
          f"{len(refused)} nekade")  # fmt: skip
    assert refused == [] and saved == attempted
    snapshot = plans.load_plan(seeded_backend, 2024)
    assert all(snapshot.risk(ref).review_in(snapshot.plan.periods[0].ref) for ref in REFS)


def test_no_review_lands_in_a_period_locked_a_moment_earlier(seeded_backend: Context) -> None:
    url = seeded_backend.target.url
    results = _run(
        url,
        ["reviews", "2", "15", *REFS[:8]],
        ["reviews", "2", "15", *REFS[8:]],
        ["lock", "2", "0.3"],
    )
    refused = [m for r in results[:2] for m in r["refused"]]
    assert all("kv 2 är låst" in m for m in refused)
    with seeded_backend.engine.connect() as conn:
        frozen, in_period = conn.execute(
            text(
                "SELECT rp.locked_risks_reviewed, (SELECT count(*) FROM risk_review rr "
                "WHERE rr.period_id = rp.id) FROM review_period rp JOIN plan p "
                "ON p.id = rp.plan_id WHERE p.year = 2024 AND rp.quarter = 2"
            )
        ).one()
    # What the lock counted is all the period holds: nothing was saved after it.
    assert frozen == in_period


def test_racing_first_saves_end_in_a_conflict(seeded_backend: Context) -> None:
    url = seeded_backend.target.url
    for round_ in range(3):
        ref = REFS[round_]
        results = _run(url, ["first", ref, "2"], ["first", ref, "3"], delay=1.0)
        assert sorted((r["saved"], r["conflicts"]) for r in results) == [(0, 1), (1, 0)], results
        assert all(r["refused"] == [] for r in results)


PLAN = "Verksamhet\tRisk\tÅtgärd\nEkonomi\tRisken att {year} går fel.\tKontroll {year}.\n"


def test_four_simultaneous_imports_all_succeed(seeded_backend: Context, tmp_path: Path) -> None:
    """Four `riskreg import plan` processes for four different years, started together."""
    url = seeded_backend.target.url
    start = time.time() + 1.5
    procs = []
    for year in (2025, 2026, 2027, 2028):
        plan = tmp_path / f"plan-{year}.txt"
        plan.write_text(PLAN.format(year=year), encoding="utf-8")
        code = (
            "import sys, time\n"
            f"time.sleep(max(0.0, {start} - time.time()))\n"
            "from riskreg.cli.main import main\n"
            f"main(['--db', {url!r}, 'import', 'plan', {str(plan)!r}, '--year', '{year}', "
            "'--nämnd', 'HSN'])\n"
        )
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True,
            )
        )  # fmt: skip
    codes = []
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        codes.append((proc.returncode, err.strip().splitlines()[-1] if err.strip() else ""))
    assert [c for c, _ in codes] == [0, 0, 0, 0], codes
    years = [p.year for p in plans.list_plans(seeded_backend)]
    assert years == [2022, 2024, 2025, 2026, 2027, 2028]
