"""Benchmark the terminal UI and print the figures (not a timed test).

    python bench/tui_bench.py [--runs 7] [--keys 30] [--synthetic PATH]

1. The floor: ``python -c "import textual.app, sqlalchemy.orm"``, wall time per process.
2. Startup to the register view on the seeded database: a fresh process that starts the
   app headless and stops when the register view shows the plan (target: median at
   most 2.5 × the floor). Then the app idle for 20 s with and without the change watcher,
   as process CPU time (target: the watcher's app under 1 % of a core).
3. On the synthetic register (``bench/synthetic.py``: 50 nämnder × 40 risks × 3
   åtgärder, 8 quarters of reviews): startup to one nämnd's register view and to the
   overview of all 2,000 risks (target: within 4 × the floor); then, through Pilot, the
   time per keystroke for moving the cursor, typing a filter and saving a review answer
   (target: under 100 ms each), next to Pilot's own cost of a key that does nothing.

Every figure is printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLOOR_CODE = "import textual.app, sqlalchemy.orm"
FILTER_TEXT = "avvikelser rapporteras"

# Runs in a fresh interpreter: start the app headless, print the seconds from process
# start (as the parent measured it) to the register view showing a plan, then exit.
STARTUP_CODE = """
import sys, time
from riskreg.services.database import open_register
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.register import RegisterScreen

class Bench(RiskregApp):
    def on_register_screen_loaded(self, message: RegisterScreen.Loaded) -> None:
        print(f"LOADED {time.time():.6f} {message.risks}", flush=True)
        self.exit()

committee = sys.argv[2] or None
Bench(open_register(sys.argv[1]), committee=committee).run(headless=True)
"""


# Runs in a fresh interpreter: the app idle on the register view for IDLE seconds, with
# the change watcher (argv[2] = seconds between looks) or without it ("0"); prints the
# process CPU time spent while idle.
IDLE_CODE = """
import sys, time
from riskreg.services.database import open_register
from riskreg.tui.app import RiskregApp
from riskreg.tui.screens.register import RegisterScreen

IDLE = float(sys.argv[3])

class Bench(RiskregApp):
    def on_register_screen_loaded(self, message: RegisterScreen.Loaded) -> None:
        if getattr(self, "started", None) is None:
            self.started = (time.process_time(), time.perf_counter())
            self.set_timer(IDLE, self.done)

    def done(self) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        print(f"IDLE {cpu - self.started[0]:.6f} {wall - self.started[1]:.6f}", flush=True)
        self.exit()

watch = float(sys.argv[2]) or None
Bench(open_register(sys.argv[1]), watch=watch).run(headless=True)
"""
IDLE_SECONDS = 20.0


def _reported(code: str, marker: str, *args: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; the fields of its line starting ``marker``."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    ).stdout
    return next(x for x in out.splitlines() if x.startswith(marker)).split()[1:]


def idle_cpu(url: str, watch: float) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of an app idle on the register view."""
    cpu, wall = _reported(IDLE_CODE, "IDLE", url, str(watch), str(IDLE_SECONDS))
    return float(cpu), float(wall)


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def floor(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", FLOOR_CODE], check=True)
        times.append(time.perf_counter() - started)
    return times


def startup(url: str, committee: str, runs: int) -> tuple[list[float], int]:
    times, risks = [], 0
    for _ in range(runs):
        started = time.time()
        stamp, count = _reported(STARTUP_CODE, "LOADED", url, committee)
        times.append(float(stamp) - started)
        risks = int(count)
    return times, risks


def seeded_database(directory: Path) -> str:
    from riskreg.db.engine import make_engine
    from riskreg.db.migrate import upgrade
    from riskreg.db.target import DatabaseTarget
    from riskreg.services.context import Context
    from riskreg.services.seeding import seed

    url = f"sqlite:///{directory / 'seeded.db'}"
    upgrade(url)
    ctx = Context(make_engine(url), DatabaseTarget(url, False), actor="bench")
    seed(ctx)
    ctx.engine.dispose()
    return url


def synthetic_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    if spec is None or spec.loader is None:
        raise SystemExit("bench/synthetic.py saknas")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    started = time.perf_counter()
    counts = module.build(url)
    print(f"  synthetic register built in {time.perf_counter() - started:.1f} s: {counts}")
    return url


async def keystrokes(url: str, committee: str | None, keys: int) -> dict[str, list[float]]:
    """Per-keystroke times through Pilot on the synthetic register."""
    from riskreg.services import plans, reviews
    from riskreg.services.database import open_register
    from riskreg.tui.app import WATCH_SECONDS, RiskregApp
    from riskreg.tui.screens.register import RegisterScreen
    from riskreg.tui.screens.review import ReviewScreen

    ctx = open_register(url)
    ctx.actor = "bench"
    if committee is not None and committee != "*":
        # The synthetic register has every quarter locked: reopen 2024 kv 4 to save into.
        snapshot = plans.load_plan(ctx, 2024, committee)
        period = next(p for p in snapshot.plan.periods if p.number == 4)
        if period.locked:
            reviews.reopen_period(ctx, snapshot.plan.id, 4, "Benchmark")
    # as the real app runs: with the change watcher (its cost is in every figure)
    app = RiskregApp(ctx, committee=committee, watch=WATCH_SECONDS)
    results: defaultdict[str, list[float]] = defaultdict(list)

    async def timed(pilot: Any, name: str, key: str) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        await pilot.press(key)
        results[name].append(time.perf_counter() - started)
        results[f"cpu {name}"].append(time.process_time() - cpu)

    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, RegisterScreen) and screen.snapshot is not None:
                break
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        for _ in range(keys):
            await timed(pilot, "noop", "f12")  # bound to nothing: Pilot's own cost
        for i in range(keys):
            await timed(pilot, "cursor", "down" if i % 2 == 0 or i < keys // 2 else "up")
        await pilot.press("slash")
        for char in FILTER_TEXT:
            await timed(pilot, "filter", char)
        results["filter_rows"].append(float(len(screen.table.rows)))
        for _ in FILTER_TEXT:
            await timed(pilot, "filter", "backspace")
        await pilot.press("escape")
        if committee == "*":
            return results
        await pilot.press("u")
        for _ in range(100):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if isinstance(app.screen, ReviewScreen):
                break
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.state.ref.label == "2024 kv 4", review.state.ref.label
        for i in range(keys):
            # S then K: every second key saves a whole answer, the other sets a value
            # that is saved with the konsekvens already known (a write, too).
            await timed(pilot, "save", str(1 + i % 4))
            if i % 6 == 5:
                await pilot.press("n")
    ctx.engine.dispose()
    return results


def report(name: str, values: Sequence[float], unit: str = "s") -> str:
    if not values:
        return f"{name}: -"
    scale = 1000.0 if unit == "ms" else 1.0
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (
        f"{name}: median {_median(values) * scale:.1f} {unit}, p90 {p90 * scale:.1f}, "
        f"min {min(values) * scale:.1f}, max {max(values) * scale:.1f} (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keys", type=int, default=30)
    parser.add_argument("--synthetic", type=Path, help="reuse (or build) this synthetic db")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        print("riskreg TUI benchmark")
        print(f"  python {sys.version.split()[0]}, {sys.platform}")
        seeded = seeded_database(directory)

        floor_times = floor(args.runs)
        base = _median(floor_times)
        print(f"\n1. floor ({FLOOR_CODE}) – {report('process', floor_times)}")

        seeded_times, risks = startup(seeded, "", args.runs)
        ratio = _median(seeded_times) / base
        print(f"\n2. startup to register view, seeded database ({risks} risks)")
        print(f"   {report('to loaded', seeded_times)}")
        print(f"   ratio to floor: {ratio:.2f} × (target ≤ 2.5 ×)")

        print(f"\n2b. idle on the register view for {IDLE_SECONDS:.0f} s (process CPU time)")
        shares = []
        for label, watch in (("without the change watcher (floor)", 0.0), ("watching", 2.0)):
            cpu, wall = idle_cpu(seeded, watch)
            shares.append(100 * cpu / wall)
            print(f"   {label}: {cpu * 1000:.0f} ms CPU in {wall:.1f} s = {shares[-1]:.2f} %")
        print(f"   the watcher's own cost: {shares[1] - shares[0]:.2f} % of a core")
        print("   target: the watcher (every 2 s) under 1 % CPU while idle")

        synthetic = synthetic_database(args.synthetic or directory / "synthetic.db")
        print("\n3. synthetic register (50 nämnder, 2,000 risks)")
        one_times, one_risks = startup(synthetic, "Nämnd 01", args.runs)
        print(f"   one nämnd's register view ({one_risks} risks): {report('to loaded', one_times)}")
        print(f"   ratio to floor: {_median(one_times) / base:.2f} × (target ≤ 4 ×)")
        all_times, all_risks = startup(synthetic, "*", args.runs)
        print(f"   all nämnder overview ({all_risks} risks): {report('to loaded', all_times)}")
        print(f"   ratio to floor: {_median(all_times) / base:.2f} × (target ≤ 4 ×)")

        for label, committee in (("one nämnd (40 risks)", "Nämnd 01"), ("overview", "*")):
            results = asyncio.run(keystrokes(synthetic, committee, args.keys))
            print(f"\n   per keystroke through Pilot, {label}, 120×40:")
            shown = int(results["filter_rows"][0])
            for key, name in (
                ("noop", "no-op key (Pilot's own cost)"),
                ("cursor", "cursor ↑/↓"),
                ("filter", f"filter, typing {FILTER_TEXT!r} ({shown} rows) and erasing it"),
                ("save", "review answer 1–4 (saved)"),
            ):
                if results.get(key):
                    print(f"   {report(name, results[key], 'ms')}")
                    cpu = report("CPU time in this process", results["cpu " + key], "ms")
                    print(f"      {cpu}")
        print("\n   target: under 100 ms per keystroke (wall time, through Pilot)")


if __name__ == "__main__":
    main()
