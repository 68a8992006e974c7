"""Fixtures for the ISK-bedömning: the seeded register with the example year added (a
session template copied per test), an incomplete year, and the rendered 2024 PDF."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from isk_support import report_context
from pypdf import PdfReader

from riskreg.domain.scales import ControlResult, MeasureKind, MeasureStatus
from riskreg.services import plans, reviews
from riskreg.services.context import Context
from riskreg.services.examples import add_examples


@pytest.fixture(scope="session")
def examples_template(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("examples") / "register.db"
    shutil.copyfile(template_db, path)
    ctx = report_context(f"sqlite:///{path}")
    add_examples(ctx, 2024)
    with ctx.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.engine.dispose()
    return path


@pytest.fixture
def examples_url(examples_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "examples.db"
    shutil.copyfile(examples_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def examples_ctx(examples_url: str) -> Iterator[Context]:
    ctx = report_context(examples_url)
    yield ctx
    ctx.engine.dispose()


@pytest.fixture
def report_ctx(db_url: str) -> Iterator[Context]:
    """The seeded register without example data, with a clock after the year's end."""
    ctx = report_context(db_url)
    yield ctx
    ctx.engine.dispose()


@pytest.fixture
def incomplete_ctx(report_ctx: Context) -> Context:
    """2024 reviewed in Q1 and Q2, Q3 for all risks but one and none of the åtgärder,
    Q4 not at all."""
    snapshot = plans.load_plan(report_ctx, 2024)
    plan_id = snapshot.plan.id
    for quarter in (1, 2, 3):
        for index, risk in enumerate(snapshot.risks):
            if quarter == 3 and index == 0:
                continue  # HR-01 misses its Q3 netto
            reviews.record_risk_review(report_ctx, plan_id, risk.id, quarter, 2, 3)
            if quarter == 3:
                continue
            for measure in risk.measures:
                recurring = measure.kind is MeasureKind.RECURRING
                reviews.record_measure_review(
                    report_ctx,
                    plan_id,
                    measure.id,
                    quarter,
                    MeasureStatus.IN_PROGRESS,
                    result=ControlResult.NO_REMARK if recurring else None,
                )
    return report_ctx


@pytest.fixture(scope="session")
def example_pdf(examples_template: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The 2024 report on the example year, rendered once for the read-back tests."""
    from riskreg.report.isk_pdf import render_isk
    from riskreg.services.isk import build_report

    path = tmp_path_factory.mktemp("pdf") / "register.db"
    shutil.copyfile(examples_template, path)
    ctx = report_context(f"sqlite:///{path}")
    try:
        return render_isk(build_report(ctx, 2024)).pdf
    finally:
        ctx.engine.dispose()


@pytest.fixture(scope="session")
def example_reader(example_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(example_pdf))


@pytest.fixture(scope="session")
def example_pages(example_reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in example_reader.pages]
