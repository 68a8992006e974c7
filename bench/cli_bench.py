"""Benchmark for ``riskreg risks`` and ``riskreg seed``.

Prints, from one run on this machine, each as a median and a ratio against a floor
measured in the same run:
- ``riskreg risks`` (table) on the seeded database against the floor of a Python tool
  reading SQLite, ``python -c "import sqlite3"`` (target ≤ 4);
- ``riskreg risks --alla --format json`` on the synthetic 2,000-risk register against
  ``python -c "import sqlalchemy.orm"`` (target ≤ 2), and on 8,000 risks against the
  2,000 (target ≤ 4.4: linear), with peak memory at 8,000 (target ≤ 150 MB);
- ``riskreg audit verify`` on the synthetic register's 64,000-entry log (target < 2 s);
- ``riskreg seed`` into an empty database (target < 2 s);
- that ``riskreg risks`` imports no sqlalchemy, textual, reportlab or alembic.

    python bench/cli_bench.py [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time of one run and the peak RSS (KB) of that child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(before, after)


def peak_rss_kb(cmd: list[str], env: dict[str, str]) -> int:
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return int(out.stderr.strip().splitlines()[-1])


def median_of(cmd: list[str], env: dict[str, str], runs: int) -> float:
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return statistics.median(timed(cmd, env)[0] for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description="riskreg risks / seed benchmark")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    riskreg = [PYTHON, "-m", "riskreg"]
    with tempfile.TemporaryDirectory() as tmp:
        seeded = f"sqlite:///{tmp}/seeded.db"
        synthetic = f"sqlite:///{tmp}/synthetic.db"
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
        env.pop("RISKREG_DATABASE_URL", None)

        seed_times = []
        for n in range(5):
            url = f"sqlite:///{tmp}/seed{n}.db"
            started = time.perf_counter()
            subprocess.run(
                [*riskreg, "--db", url, "init"], env=env, check=True, stderr=subprocess.DEVNULL
            )
            subprocess.run(
                [*riskreg, "--db", url, "seed"], env=env, check=True, stderr=subprocess.DEVNULL
            )
            seed_times.append(time.perf_counter() - started)
        subprocess.run(
            [*riskreg, "--db", seeded, "init"], env=env, check=True, stderr=subprocess.DEVNULL
        )
        subprocess.run(
            [*riskreg, "--db", seeded, "seed"], env=env, check=True, stderr=subprocess.DEVNULL
        )
        synthetic_8k = f"sqlite:///{tmp}/synthetic8k.db"
        for url, committees in ((synthetic, "50"), (synthetic_8k, "200")):
            subprocess.run(
                [
                    PYTHON,
                    str(ROOT / "bench" / "synthetic.py"),
                    "--db",
                    url,
                    "--committees",
                    committees,
                ],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )

        sqlite_floor = median_of([PYTHON, "-c", "import sqlite3"], env, args.runs)
        floor = median_of([PYTHON, "-c", "import sqlalchemy.orm"], env, args.runs)
        listing = median_of([*riskreg, "--db", seeded, "risks"], env, args.runs)
        big_cmd = [*riskreg, "--db", synthetic, "risks", "--alla", "--format", "json"]
        big = median_of(big_cmd, env, args.runs)
        huge_cmd = [*riskreg, "--db", synthetic_8k, "risks", "--alla", "--format", "json"]
        huge = median_of(huge_cmd, env, max(3, args.runs // 2))
        huge_rss = peak_rss_kb(huge_cmd, env)
        verify = median_of([*riskreg, "--db", synthetic, "audit", "verify"], env, 5)
        probe = (
            "import sys\nfrom riskreg.cli.main import main\n"
            f"try:\n    main(['--db', {seeded!r}, 'risks'])\nexcept SystemExit:\n    pass\n"
            "heavy = ('sqlalchemy', 'textual', 'reportlab', 'alembic')\n"
            "print(' '.join(m for m in heavy if m in sys.modules) or 'none', file=sys.stderr)"
        )
        run = subprocess.run([PYTHON, "-c", probe], env=env, capture_output=True, text=True)
        modules = run.stderr.strip().splitlines()[-1]

    print(f"floor  python -c 'import sqlite3'              median {sqlite_floor * 1000:7.1f} ms")
    print(f"floor  python -c 'import sqlalchemy.orm'       median {floor * 1000:7.1f} ms")
    print(
        f"riskreg risks (seeded, table)                 median {listing * 1000:7.1f} ms"
        f"  = {listing / sqlite_floor:.2f} × sqlite3 floor (target ≤ 4.00)"
    )
    print(
        f"riskreg risks --alla --format json (2,000)    median {big * 1000:7.1f} ms"
        f"  = {big / floor:.2f} × sqlalchemy.orm floor (target ≤ 2.00)"
    )
    print(
        f"riskreg risks --alla --format json (8,000)    median {huge * 1000:7.1f} ms"
        f"  = {huge / big:.2f} × the 2,000 (target ≤ 4.40)"
    )
    print(f"  peak memory (8,000)                         {huge_rss / 1024:7.1f} MB (target ≤ 150)")
    print(
        f"riskreg audit verify (64,000 log entries)     median {verify * 1000:7.1f} ms"
        " (target < 2000)"
    )
    print(
        f"riskreg init + seed into an empty database    median "
        f"{statistics.median(seed_times) * 1000:7.1f} ms (target < 2000)"
    )
    print(f"heavy modules imported by 'riskreg risks':    {modules}")


if __name__ == "__main__":
    main()
