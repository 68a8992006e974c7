"""Benchmark for ``riskreg import plan`` on a 5,000-row plan, as a Word table and as xlsx.

Generates a plan table of ``--rows`` rows (default 5,000: each risk on one row with its
first åtgärd and a second åtgärd on the row below, verksamheter of 50 risks, some åtgärder
naming a known role) once as the TAB-separated text Word exports and once as an .xlsx
workbook (XlsxWriter), imports each as a whole command into a fresh copy of the seeded
register, and prints each median next to the floor ``python -c "import sqlalchemy.orm"``
measured in the same run, as a ratio, with the target (< 3 s per import).

    python bench/import_bench.py [--rows 5000] [--runs 5] [--keep DIR]
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

PYTHON = sys.executable
ROLES = ("Varje chef", "verksamhetschef", "Upphandlingen", "HSD")


def plan_rows(rows: int) -> list[tuple[str, str, str]]:
    """(Verksamhet, Risk, Åtgärd) rows: a risk with its first åtgärd, then one more."""
    table: list[tuple[str, str, str]] = []
    for n in range(rows // 2):
        area = f"Verksamhet {n // 50 + 1:03d}" if n % 50 == 0 else ""
        role = ROLES[n % len(ROLES)]
        table.append(
            (
                area,
                f"Risk {n + 1} att rutinen för ärende {n} inte följs",
                f"{role} ska följa upp rutin {n} varje månad",
            )
        )
        table.append(("", "", f"Stickprovskontroll {n} av underlag, kvartalsvis"))
    return table


def write_text(path: Path, rows: list[tuple[str, str, str]]) -> None:
    lines = ["Verksamhet\tRisk\tÅtgärd", *("\t".join(row) for row in rows)]
    path.write_text("\r\n".join(lines), encoding="utf-8")


def write_xlsx(path: Path, rows: list[tuple[str, str, str]]) -> None:
    import xlsxwriter

    with xlsxwriter.Workbook(str(path), {"strings_to_formulas": False}) as book:
        sheet = book.add_worksheet("Plan")
        sheet.write_row(0, 0, ("Verksamhet", "Risk", "Åtgärd", "Brutto S", "Brutto K"))
        for index, (area, risk, measure) in enumerate(rows, start=1):
            sheet.write_string(index, 0, area)
            sheet.write_string(index, 1, risk)
            sheet.write_string(index, 2, measure)
            if risk:
                sheet.write_number(index, 3, index % 4 + 1)
                sheet.write_number(index, 4, (index // 4) % 4 + 1)


CPU: list[float] = []  # CPU seconds (user + system) of each timed child, in order


def timed(cmd: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one run; its CPU seconds are appended to ``CPU`` (on a busy machine
    the wall time grows with the load, the CPU time much less)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return elapsed


def median_cpu(runs: int) -> float:
    return statistics.median(CPU[-runs:])


def main() -> None:
    parser = argparse.ArgumentParser(description="riskreg import plan benchmark")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="also leave the generated files here")
    args = parser.parse_args()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("RISKREG_DATABASE_URL", None)
    riskreg = [PYTHON, "-m", "riskreg"]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        rows = plan_rows(args.rows)
        text, book = tmp / "plan.txt", tmp / "plan.xlsx"
        write_text(text, rows)
        write_xlsx(book, rows)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(text, args.keep)
            shutil.copy(book, args.keep)
        seeded = tmp / "seeded.db"
        for step in ("init", "seed"):
            subprocess.run(
                [*riskreg, "--db", f"sqlite:///{seeded}", step],
                env=env,
                check=True,
                stderr=subprocess.DEVNULL,
            )

        def import_time(source: Path, run: int) -> float:
            db = tmp / f"run-{source.suffix[1:]}-{run}.db"
            shutil.copy(seeded, db)
            cmd = [*riskreg, "--db", f"sqlite:///{db}", "import", "plan", str(source)]
            return timed([*cmd, "--year", "2025", "--nämnd", "HSN"], env)

        floor = statistics.median(
            timed([PYTHON, "-c", "import sqlalchemy.orm"], env) for _ in range(args.runs)
        )
        floor_cpu = median_cpu(args.runs)
        word = statistics.median(import_time(text, n) for n in range(args.runs))
        word_cpu = median_cpu(args.runs)
        xlsx = statistics.median(import_time(book, n) for n in range(args.runs))
        xlsx_cpu = median_cpu(args.runs)

    print(f"plan: {len(rows)} rows, {len(rows) // 2} risks, {len(rows)} åtgärder")
    print(
        f"floor  python -c 'import sqlalchemy.orm'     median {floor * 1000:7.1f} ms wall,"
        f" {floor_cpu * 1000:7.1f} ms CPU"
    )
    for label, value, cpu in (
        ("Word table (.txt)", word, word_cpu),
        ("workbook (.xlsx) ", xlsx, xlsx_cpu),
    ):
        print(
            f"riskreg import plan, {label}     median {value * 1000:7.1f} ms wall"
            f" = {value / floor:4.1f} × floor, {cpu * 1000:7.1f} ms CPU = {cpu / floor_cpu:4.1f}"
            f" × floor; {value / len(rows) * 1000:.2f} ms/row (target < 3000 ms)"
        )


if __name__ == "__main__":
    main()
