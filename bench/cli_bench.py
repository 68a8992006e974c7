"""Benchmark for ``riskreg risks`` and ``riskreg seed`` (issue: register foundation).

Prints, from one run on this machine:
- the floor: ``python -c "import sqlalchemy.orm"``;
- ``riskreg risks`` (table) on the seeded database, and its ratio to the floor (target ≤ 1.3);
- ``riskreg risks --alla --format json`` on the synthetic 2,000-risk register, ratio (≤ 2.0)
  and peak memory (≤ 150 MB);
- ``riskreg seed`` into an empty database (target < 2 s);
- that ``riskreg risks`` imports no textual, reportlab or alembic.

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
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "synthetic.py"), "--db", synthetic],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

        floor = median_of([PYTHON, "-c", "import sqlalchemy.orm"], env, args.runs)
        listing = median_of([*riskreg, "--db", seeded, "risks"], env, args.runs)
        big_cmd = [*riskreg, "--db", synthetic, "risks", "--alla", "--format", "json"]
        big = median_of(big_cmd, env, args.runs)
        big_rss = peak_rss_kb(big_cmd, env)
        probe = (
            "import sys\nfrom riskreg.cli.main import main\n"
            f"try:\n    main(['--db', {seeded!r}, 'risks'])\nexcept SystemExit:\n    pass\n"
            "heavy = ('textual', 'reportlab', 'alembic')\n"
            "print(' '.join(m for m in heavy if m in sys.modules) or 'none', file=sys.stderr)"
        )
        run = subprocess.run([PYTHON, "-c", probe], env=env, capture_output=True, text=True)
        modules = run.stderr.strip().splitlines()[-1]

    print(f"floor  python -c 'import sqlalchemy.orm'       median {floor * 1000:7.1f} ms")
    print(
        f"riskreg risks (seeded, table)                 median {listing * 1000:7.1f} ms"
        f"  = {listing / floor:.2f} × floor (target ≤ 1.30)"
    )
    print(
        f"riskreg risks --alla --format json (2,000)    median {big * 1000:7.1f} ms"
        f"  = {big / floor:.2f} × floor (target ≤ 2.00)"
    )
    print(f"  peak memory                                 {big_rss / 1024:7.1f} MB (target ≤ 150)")
    print(
        f"riskreg init + seed into an empty database    median "
        f"{statistics.median(seed_times) * 1000:7.1f} ms (target < 2000)"
    )
    print(f"heavy modules imported by 'riskreg risks':    {modules}")


if __name__ == "__main__":
    main()
