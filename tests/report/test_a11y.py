"""The HTML reports in a real browser: axe-core (npm, pinned in tests/a11y/package.json)
in headless Chromium (the Debian package) finds no WCAG 2.1 A or AA violation in the ISK
report and the delår follow-up, for the 2024 and 2022 plans, with and without example
data. ``.ci/run`` installs all three; a
machine without them fails this test with a message saying what to install."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from riskreg.report.followup_html import render_followup_html
from riskreg.report.isk_html import render_isk_html
from riskreg.services.context import Context
from riskreg.services.followup import build_followup_report
from riskreg.services.isk import build_report

A11Y = Path(__file__).resolve().parents[1] / "a11y"
CHECK = A11Y / "axe_check.mjs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _tools() -> str:
    """The node binary; fails the test (never skips) when a tool is missing."""
    node = shutil.which("node")
    problems = []
    if node is None:
        problems.append("node saknas (apt-get install nodejs)")
    if not Path(CHROMIUM).exists():
        problems.append(f"Chromium saknas i {CHROMIUM} (apt-get install chromium)")
    for package in ("axe-core", "puppeteer-core"):
        if not (A11Y / "node_modules" / package / "package.json").exists():
            problems.append(f"{package} saknas (npm ci --prefix {A11Y})")
    if problems:
        pytest.fail("Tillgänglighetstestet kan inte köras: " + "; ".join(problems) + ".")
    assert node is not None
    return node


def run_axe(files: list[Path]) -> dict[str, Any]:
    node = _tools()
    done = subprocess.run(
        [node, str(CHECK), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CHROMIUM": CHROMIUM},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def assert_accessible(results: dict[str, Any]) -> None:
    for file, result in results.items():
        assert result["violations"] == [], (file, json.dumps(result["violations"], indent=1))
        assert result["errors"] == [] and result["external_requests"] == [], file
        # The rules that matter most here actually ran (and passed) on this page.
        for rule in ("color-contrast", "html-has-lang", "document-title", "th-has-data-cells"):
            assert rule in result["passes"], (file, rule, result["incomplete"])


Render = Callable[[Context, int], bytes]


def _isk(ctx: Context, year: int) -> bytes:
    return render_isk_html(build_report(ctx, year))


def write_reports(
    tmp_path: Path, contexts: dict[str, Context], renders: dict[str, Render], years: list[int]
) -> list[Path]:
    files = []
    for data, ctx in contexts.items():
        for kind, render in renders.items():
            for year in years:
                path = tmp_path / f"{kind}-{year}-{data}.html"
                path.write_bytes(render(ctx, year))
                files.append(path)
    return files


def _followup(quarter: int) -> Render:
    def render(ctx: Context, year: int) -> bytes:
        return render_followup_html(build_followup_report(ctx, year, quarter))

    return render


def test_the_html_reports_have_no_wcag_violations(
    examples_ctx: Context, report_ctx: Context, tmp_path: Path
) -> None:
    files = write_reports(
        tmp_path,
        {"exempel": examples_ctx, "utan-exempel": report_ctx},
        {"isk": _isk, "uppfoljning-kv2": _followup(2), "uppfoljning-kv4": _followup(4)},
        [2024, 2022],
    )
    results = run_axe(files)
    assert sorted(results) == sorted(map(str, files))
    assert_accessible(results)


def test_a_tertial_plans_html_reports_have_no_wcag_violations(ctx: Context, tmp_path: Path) -> None:
    """Three period columns (T1–T3) keep every header cell tied to its data cells."""
    from riskreg.domain.periods import PeriodKind
    from riskreg.domain.scales import PlanStatus
    from riskreg.services import editing, plans, reviews

    rolled = editing.roll_forward(ctx, plans.load_plan(ctx, 2024).plan.id)
    editing.set_period_kind(ctx, 2025, PeriodKind.TERTIAL)
    editing.set_plan_status(ctx, rolled.plan.id, PlanStatus.ADOPTED)
    risk = plans.load_plan(ctx, 2025).risks[0]
    reviews.record_risk_review(ctx, rolled.plan.id, risk.id, 2, 2, 3)
    files = write_reports(
        tmp_path, {"tertial": ctx}, {"isk": _isk, "uppfoljning-t2": _followup(2)}, [2025]
    )
    assert "2025 T2" in files[0].read_text(encoding="utf-8")
    assert_accessible(run_axe(files))
