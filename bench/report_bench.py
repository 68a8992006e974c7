"""Benchmark of the ISK-bedömning PDF (``riskreg report isk``). Prints figures; asserts
nothing (it is not a timed test).

1. The 2024 report on the seeded register with example reviews, run as the real command
   (``riskreg --db … report isk --year 2024``) in a fresh process, against a baseline script
   that imports reportlab and sqlalchemy and writes a one-page PDF. Runs alternate, the
   medians are compared; the goal is at most 3 ×.
2. The accessible HTML version against the PDF, same register, same run: the time from
   the report record to the file's bytes in one process (renderer import included, median
   of runs), and the whole commands (``report isk --format html`` and ``report isk``) in
   fresh processes above a floor process that does all the commands do but render
   (imports the CLI, reads the register, builds the record, writes a file). Goal: HTML in
   under half the PDF's time.
3. The PDF/A completion's cost: the same command with ``finish_pdfa`` left out, runs
   alternating with the others; the goal is at most +15 %.
4. One synthetic nämnd (``bench/synthetic.py``: 8 verksamheter, 3 åtgärder a risk, eight
   quarters of reviews) with 1,000 and 2,000 risks: time to build the report record and to
   render it (PDF and HTML), and the peak memory of the process. Goals: twice the risks at
   most 2.2 × the rendering time; under 300 MB at 2,000 risks.

Every process runs with a bytecode cache (``PYTHONPYCACHEPREFIX`` in the work folder, one
warm-up run first), as an installed riskreg would; without it each run would recompile
riskreg's sources while the libraries use their installed caches.

    python bench/report_bench.py [--runs 9] [--sizes 1000 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BASELINE = """
import sys
import sqlalchemy
import reportlab
from reportlab.pdfgen.canvas import Canvas
canvas = Canvas(sys.argv[1])
canvas.drawString(72, 720, "En sida.")
canvas.showPage()
canvas.save()
"""

REPORT = """
import sys
from riskreg.cli.main import main
main(["--db", sys.argv[1], "report", "isk", "--year", "2024", "-o", sys.argv[2], *sys.argv[3:]])
"""

RECORD_ONLY = """
import sys
from pathlib import Path
import riskreg.cli.main, riskreg.cli.isk
from riskreg.report.output import write_atomically
from riskreg.services.database import open_register
from riskreg.services.isk import build_report
build_report(open_register(sys.argv[1]), 2024)
write_atomically(Path(sys.argv[2]), b"-")
"""

IN_PROCESS = """
import json, statistics, sys, time
from riskreg.services.database import open_register
from riskreg.services.isk import build_report
report = build_report(open_register(sys.argv[1]), 2024)
runs = int(sys.argv[2])
started = time.perf_counter()
from riskreg.report.isk_html import render_isk_html
html = [time.perf_counter() - started]
for _ in range(runs - 1):
    t = time.perf_counter(); render_isk_html(report); html.append(time.perf_counter() - t)
started = time.perf_counter()
from riskreg.report.isk_pdf import render_isk
render_isk(report)
pdf = [time.perf_counter() - started]
for _ in range(runs - 1):
    t = time.perf_counter(); render_isk(report); pdf.append(time.perf_counter() - t)
print(json.dumps({"html_first": html[0], "pdf_first": pdf[0],
                  "html": statistics.median(html[1:]), "pdf": statistics.median(pdf[1:])}))
"""

# The same command with the PDF/A completion (report.pdfa.finish_pdfa) left out: the
# ReportLab file as it was before. Only for measuring what the completion costs.
REPORT_WITHOUT_PDFA = """
import sys, types
# A stand-in for riskreg.report.pdfa: neither pikepdf's import nor its work is paid.
sys.modules["riskreg.report.pdfa"] = types.SimpleNamespace(finish_pdfa=lambda data, meta: data)
from riskreg.cli.main import main
main(["--db", sys.argv[1], "report", "isk", "--year", "2024", "-o", sys.argv[2]])
"""

# In one process, the rendering alone (no start-up, no database), with and without the
# completion, alternating: the finer measure of what PDF/A costs.
RENDER_PDFA = """
import json, statistics, sys, time
from riskreg.services.database import open_register
from riskreg.services.isk import build_report
import riskreg.report.isk_pdf as isk_pdf
import riskreg.report.pdfa as pdfa
real = pdfa.finish_pdfa
report = build_report(open_register(sys.argv[1]), 2024)
isk_pdf.render_isk(report)
times = {"with": [], "without": []}
for i in range(int(sys.argv[2])):
    for name in (("with", "without") if i % 2 else ("without", "with")):
        pdfa.finish_pdfa = real if name == "with" else (lambda data, meta: data)
        started = time.perf_counter()
        isk_pdf.render_isk(report)
        times[name].append(time.perf_counter() - started)
print(json.dumps({k: statistics.median(v) for k, v in times.items()}))
"""

SYNTHETIC = """
import json, resource, sys, time
from riskreg.services.database import open_register
from riskreg.services.isk import build_report
from riskreg.report.isk_pdf import render_isk
from riskreg.report.isk_html import render_isk_html
ctx = open_register(sys.argv[1])
started = time.perf_counter()
report = build_report(ctx, 2024)
built = time.perf_counter()
rendered = render_isk(report)
done = time.perf_counter()
html = render_isk_html(report)
html_done = time.perf_counter()
with open(sys.argv[2], "wb") as out:
    out.write(rendered.pdf)
print(json.dumps({
    "build": built - started,
    "render": done - built,
    "html": html_done - done,
    "pages": rendered.pages,
    "bytes": len(rendered.pdf),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def environment(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["RISKREG_USER"] = "benchmark"
    return env


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def seeded_register(work: Path) -> str:
    from datetime import UTC, datetime

    from riskreg.db.engine import make_engine
    from riskreg.db.migrate import upgrade
    from riskreg.db.target import DatabaseTarget
    from riskreg.services.context import Context
    from riskreg.services.examples import add_examples
    from riskreg.services.seeding import seed

    url = f"sqlite:///{work / 'seeded.db'}"
    upgrade(url)
    ctx = Context(
        make_engine(url),
        DatabaseTarget(url, False),
        actor="benchmark",
        clock=lambda: datetime(2025, 1, 20, 9, 0, tzinfo=UTC),
    )
    seed(ctx)
    add_examples(ctx, 2024)
    ctx.engine.dispose()
    return url


def synthetic_register(work: Path, risks: int) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import build  # type: ignore[import-not-found]

    url = f"sqlite:///{work / f'synthetic-{risks}.db'}"
    build(url, committees=1, risks_per=risks)
    return url


def compare_with_baseline(work: Path, env: dict[str, str], runs: int) -> None:
    url = seeded_register(work)
    baseline = [sys.executable, "-c", BASELINE, str(work / "baseline.pdf")]
    report = [sys.executable, "-c", REPORT, url, str(work / "isk-2024.pdf")]
    raw = [sys.executable, "-c", REPORT_WITHOUT_PDFA, url, str(work / "isk-2024-raw.pdf")]
    timed(baseline, env)  # warm-up: fills the bytecode cache
    timed(report, env)
    timed(raw, env)
    base_times, report_times, raw_times = [], [], []
    for _ in range(runs):
        base_times.append(timed(baseline, env))
        report_times.append(timed(report, env))
        raw_times.append(timed(raw, env))
    base, rep = statistics.median(base_times), statistics.median(report_times)
    without = statistics.median(raw_times)
    ratio = rep / base
    print("1. ISK-rapporten 2024 (seedade registret med exempeldata), nya processer")
    print(f"   baslinje (import reportlab + sqlalchemy, en sida): median {base:.3f} s")
    print(f"   riskreg report isk --year 2024:                   median {rep:.3f} s")
    print(f"   kvot {ratio:.2f} × (mål högst 3 ×): {'OK' if ratio <= 3 else 'ÖVER MÅLET'}")
    print(f"   alla körningar, baslinje: {', '.join(f'{t:.3f}' for t in base_times)}")
    print(f"   alla körningar, rapport:  {', '.join(f'{t:.3f}' for t in report_times)}")
    added = rep / without - 1
    print("3. PDF/A-kompletteringen (report.pdfa.finish_pdfa), samma körningar")
    print(f"   rapporten utan PDF/A-komplettering: median {without:.3f} s")
    print(f"   rapporten med (som kommandot):       median {rep:.3f} s")
    print(f"   tillägg {added:+.1%} (mål högst +15 %): {'OK' if added <= 0.15 else 'ÖVER MÅLET'}")
    print(f"   alla körningar, utan PDF/A: {', '.join(f'{t:.3f}' for t in raw_times)}")
    fastest = min(report_times) / min(raw_times) - 1
    print(
        f"   snabbaste körningarna (minst störda av annan last): utan {min(raw_times):.3f} s, "
        f"med {min(report_times):.3f} s, tillägg {fastest:+.1%}"
    )
    cmd = [sys.executable, "-c", RENDER_PDFA, url, str(max(runs, 9))]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    render = json.loads(out.stdout)
    share = render["with"] / render["without"] - 1
    print(
        f"   bara sättningen, i en process: utan {render['without']:.3f} s, med "
        f"{render['with']:.3f} s, tillägg {share:+.1%} (mål högst +15 %): "
        f"{'OK' if share <= 0.15 else 'ÖVER MÅLET'}"
    )


def compare_html_with_pdf(work: Path, env: dict[str, str], runs: int) -> None:
    url = f"sqlite:///{work / 'seeded.db'}"
    floor = [sys.executable, "-c", RECORD_ONLY, url, str(work / "floor.txt")]
    pdf = [sys.executable, "-c", REPORT, url, str(work / "isk-2024.pdf")]
    html = [sys.executable, "-c", REPORT, url, str(work / "isk-2024.html"), "--format", "html"]
    for cmd in (floor, pdf, html):
        timed(cmd, env)  # warm-up
    samples: dict[str, list[float]] = {"floor": [], "pdf": [], "html": []}
    for _ in range(runs):
        for name, cmd in (("floor", floor), ("pdf", pdf), ("html", html)):
            samples[name].append(timed(cmd, env))
    med = {name: statistics.median(values) for name, values in samples.items()}
    out = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, url, str(max(runs, 3))],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    inner = json.loads(out.stdout)
    print("2. HTML-versionen mot PDF:en, samma register och samma körning")
    print(
        f"   från post till fil i en process: html {inner['html'] * 1000:.1f} ms "
        f"(första gången med import {inner['html_first'] * 1000:.1f} ms), pdf "
        f"{inner['pdf'] * 1000:.1f} ms (första {inner['pdf_first'] * 1000:.1f} ms)"
    )
    first = inner["html_first"] / inner["pdf_first"]
    again = inner["html"] / inner["pdf"]
    print(
        f"   kvot html/pdf {first:.3f} med import, {again:.3f} därefter (mål under 0,5): "
        f"{'OK' if max(first, again) < 0.5 else 'ÖVER MÅLET'}"
    )
    above_pdf = med["pdf"] - med["floor"]
    above_html = med["html"] - med["floor"]
    ratio = above_html / above_pdf
    print(
        f"   hela kommandon, median: golv (allt utom att sätta rapporten) {med['floor']:.3f} s, "
        f"pdf {med['pdf']:.3f} s, html {med['html']:.3f} s"
    )
    print(
        f"   över golvet: pdf {above_pdf:.3f} s, html {above_html:.3f} s, kvot {ratio:.2f} "
        f"(mål under 0,5): {'OK' if ratio < 0.5 else 'ÖVER MÅLET'}; hela kommandot "
        f"{med['html'] / med['pdf']:.2f} × pdf:ens"
    )


def synthetic_scaling(work: Path, env: dict[str, str], sizes: list[int], runs: int) -> None:
    print("4. Syntetisk nämnd: tid och minne per storlek (median av körningar)")
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        url = synthetic_register(work, size)
        cmd = [sys.executable, "-c", SYNTHETIC, url, str(work / f"synthetic-{size}.pdf")]
        samples = []
        for _ in range(runs):
            out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
            samples.append(json.loads(out.stdout))
        result = {
            key: statistics.median(s[key] for s in samples)
            for key in ("build", "render", "html", "pages", "bytes", "peak_mb")
        }
        results[size] = result
        print(
            f"   {size:>5} risker: {int(result['pages'])} sidor, "
            f"{result['bytes'] / 1e6:.1f} MB pdf, bygga innehållet {result['build']:.2f} s, "
            f"sätta pdf:en {result['render']:.2f} s, html {result['html']:.2f} s "
            f"({result['html'] / result['render']:.2f} × pdf:ens), "
            f"toppminne {result['peak_mb']:.0f} MB"
        )
    for small, large in itertools.pairwise(sizes):
        factor = large / small
        render = results[large]["render"] / results[small]["render"]
        html = results[large]["html"] / results[small]["html"]
        total = (results[large]["render"] + results[large]["build"]) / (
            results[small]["render"] + results[small]["build"]
        )
        limit = 1.1 * factor
        print(
            f"   {small} → {large} risker ({factor:.0f} ×): sätta pdf:en {render:.2f} ×, "
            f"html {html:.2f} ×, "
            f"totalt {total:.2f} × (mål högst {limit:.1f} ×): "
            f"{'OK' if render <= limit else 'ÖVER MÅLET'}"
        )
    peak = results[max(sizes)]["peak_mb"]
    print(
        f"   toppminne vid {max(sizes)} risker: {peak:.0f} MB (mål under 300 MB): "
        f"{'OK' if peak < 300 else 'ÖVER MÅLET'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="körningar per mätning (median)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--synthetic-runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="spara databaser och pdf:er i denna mapp")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="riskreg-bench-"))
    try:
        env = environment(work)
        compare_with_baseline(work, env, args.runs)
        compare_html_with_pdf(work, env, args.runs)
        if not args.skip_synthetic:
            synthetic_scaling(work, env, sorted(args.sizes), args.synthetic_runs)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for made in [*work.glob("*.pdf"), *work.glob("*.html")]:
                shutil.copy(made, args.keep / made.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
