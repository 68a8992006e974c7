"""Benchmark for the follow-up workbooks on the synthetic 2,000-risk register.

- ``riskreg workbooks create --year 2024 --period 4`` for every nämnd (50 nämnder, 2,000
  risks, 6,000 åtgärder; one workbook per nämnd and role), target < 5 s;
- ``riskreg workbooks read`` of all those files, filled in by a script standing in for the
  owners (every row answered, a netto on each risk's first row), saved for real into a
  fresh copy of the register each run, target < 10 s.

Each is a median of whole commands (start-up included) and a ratio against a floor
measured in the same run: the same libraries doing the bare file work without riskreg
(XlsxWriter writing the same cells into the same number of files; openpyxl reading every
cell of the same files), so the ratio is riskreg's own cost on top of the libraries'.

    python bench/workbook_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

# XlsxWriter writing the cells riskreg wrote, into as many files; read first, then timed.
WRITE_FLOOR = """
import sys, time, xlsxwriter, openpyxl
from pathlib import Path
sources, out = Path(sys.argv[1]), Path(sys.argv[2])
books = []
for source in sorted(sources.glob("*.xlsx")):
    book = openpyxl.load_workbook(source, read_only=True)
    books.append((source.name, [list(r) for r in book["Åtgärder"].iter_rows(values_only=True)]))
    book.close()
started = time.perf_counter()
for name, cells in books:
    target = xlsxwriter.Workbook(str(out / name), {"strings_to_formulas": False})
    sheet = target.add_worksheet("Åtgärder")
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, str(value))
    target.close()
print(time.perf_counter() - started)
"""

READ_FLOOR = """
import sys, openpyxl
from pathlib import Path
for source in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    book = openpyxl.load_workbook(source, read_only=True)
    for name in book.sheetnames:
        for _ in book[name].iter_rows(values_only=True):
            pass
    book.close()
"""


CPU: list[float] = []  # the CPU seconds (user + system) of each run(), in order


def run(cmd: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one whole command; its CPU seconds go to ``CPU`` (on a shared,
    busy machine the CPU time says more than the wall time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed


def reopen_last_quarter(url: str) -> None:
    """The synthetic register has every quarter locked; the controller reopens 2024 kv 4 in
    every nämnd (through the service: logged, with a reason)."""
    from riskreg.db.engine import make_engine
    from riskreg.db.target import DatabaseTarget
    from riskreg.services.context import Context
    from riskreg.services.plans import committee_names, list_plans
    from riskreg.services.reviews import reopen_period

    ctx = Context(make_engine(url), DatabaseTarget(url, False), actor="bench")
    for name in committee_names(ctx):
        plan = next(p for p in list_plans(ctx, name) if p.year == 2024)
        reopen_period(ctx, plan.id, 4, "Benchmark: uppföljning med arbetsböcker")
    ctx.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description="workbooks create/read benchmark")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from tests.workbook_owner import answer_all

    env = {**os.environ, "RISKREG_USER": "bench"}
    env.pop("RISKREG_DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        base = tmp / "synthetic.db"
        url = f"sqlite:///{base}"
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "synthetic.py"), "--db", url],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        reopen_last_quarter(url)
        riskreg = [PYTHON, "-m", "riskreg", "--db", url]
        made = tmp / "made"
        create = [*riskreg, "workbooks", "create", "--year", "2024", "--period", "4"]
        create_times = [run([*create, "-o", str(made), "--ersätt"], env) for _ in range(args.runs)]
        create_cpu = CPU[-args.runs :]
        files = sorted(made.glob("*.xlsx"))
        rows = answer_all(made)

        floor_out = tmp / "floor"
        floor_out.mkdir()
        write_floors = []
        for _ in range(args.runs):
            out = subprocess.run(
                [PYTHON, "-c", WRITE_FLOOR, str(made), str(floor_out)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            write_floors.append(float(out.stdout.strip().splitlines()[-1]))
        start_floor = statistics.median(
            run([PYTHON, "-c", "import sqlalchemy.orm, xlsxwriter"], env) for _ in range(5)
        )

        read_times, read_floors, read_cpu, floor_cpu = [], [], [], []
        for n in range(args.runs):
            copy = tmp / f"read{n}.db"
            shutil.copyfile(base, copy)
            cmd = [PYTHON, "-m", "riskreg", "--db", f"sqlite:///{copy}", "workbooks", "read"]
            read_times.append(run([*cmd, *map(str, files)], env))
            read_cpu.append(CPU[-1])
            read_floors.append(run([PYTHON, "-c", READ_FLOOR, str(made)], env))
            floor_cpu.append(CPU[-1])

    create_s = statistics.median(create_times)
    write_floor = statistics.median(write_floors) + start_floor
    read_s = statistics.median(read_times)
    read_floor = statistics.median(read_floors)
    print(f"{len(files)} workbooks, {rows} åtgärd rows (50 nämnder, 2,000 risks)")
    print(f"floor  XlsxWriter, same cells and files + start  median {write_floor * 1000:7.0f} ms")
    print(
        f"riskreg workbooks create                        median {create_s * 1000:7.0f} ms"
        f"  = {create_s / write_floor:.2f} × floor (target < 5000 ms)"
    )
    print(f"floor  openpyxl reading every cell of the files  median {read_floor * 1000:7.0f} ms")
    print(
        f"riskreg workbooks read (all files, saved)       median {read_s * 1000:7.0f} ms"
        f"  = {read_s / read_floor:.2f} × floor (target < 10000 ms)"
    )
    cpu_create, cpu_read = statistics.median(create_cpu), statistics.median(read_cpu)
    cpu_floor = statistics.median(floor_cpu)
    print(
        f"CPU seconds (user + system): create {cpu_create:.1f} s, read {cpu_read:.1f} s "
        f"= {cpu_read / cpu_floor:.2f} × the read floor's {cpu_floor:.1f} s"
    )


if __name__ == "__main__":
    main()
