"""``riskreg report uppföljning``: the delår follow-up report of one period, its content
from the read model (frozen scope of a locked period, netto change by matrix levels), its
PDF on the shared page frame and its HTML on the shared base, and its bad input."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from html_support import heading_levels_in_order, missing_texts, parse
from pypdf import PdfReader

from riskreg.cli.common import CliState
from riskreg.cli.isk import report_group
from riskreg.domain.errors import InvalidInput, NotFound
from riskreg.domain.records import PeriodRef, Trend
from riskreg.domain.scales import ControlResult, MeasureKind, MeasureStatus, Severity
from riskreg.report.followup_html import render_followup_html
from riskreg.report.followup_pdf import render_followup
from riskreg.services import editing, plans, reviews
from riskreg.services.context import Context
from riskreg.services.followup import build_followup_report


def _run(db_url: str, *args: str) -> object:
    runner = CliRunner()
    state = CliState(db_url)
    try:
        return runner.invoke(report_group, ["uppföljning", *args], obj=state)  # type: ignore[arg-type]
    finally:
        state.close()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_example_period_in_numbers(examples_ctx: Context) -> None:
    report = build_followup_report(examples_ctx, 2024, 2)
    assert report.period == PeriodRef(2024, 2) and report.reviewed and report.locked
    q = report.this_period
    assert (q.risks_reviewed, q.risks_expected) == (19, 19)
    assert (q.measures_reviewed, q.measures_expected) == (27, 27)
    assert [r.ref for r in report.highest] == ["IS-01", "MT-01"]
    assert report.deviations and all(d.period == PeriodRef(2024, 2) for d in report.deviations)
    assert sum(len(a.risks) for a in report.areas) == 19
    assert report.summary[0].startswith("Vid uppföljningen 2024 kv 2 bedömdes 19 av 19 risker")
    assert "2 risker ligger på nivån mycket hög (IS-01, MT-01)" in report.summary[1]


def _review_all(ctx: Context, plan_id: int, quarter: int, level: tuple[int, int]) -> None:
    snapshot = plans.load_plan_by_id(ctx, plan_id)
    for risk in snapshot.risks:
        reviews.record_risk_review(ctx, plan_id, risk.id, quarter, *level)
        for m in risk.measures:
            reviews.record_measure_review(
                ctx,
                plan_id,
                m.id,
                quarter,
                MeasureStatus.IN_PROGRESS,
                result=ControlResult.NO_REMARK if m.kind is MeasureKind.RECURRING else None,
            )


@pytest.mark.postgres
def test_a_locked_period_keeps_its_frozen_scope_and_change_is_by_level(
    seeded_backend: Context,
) -> None:
    ctx = seeded_backend
    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    _review_all(ctx, plan_id, 1, (1, 1))
    reviews.lock_period(ctx, plan_id, 1)
    closed, raised, same = snapshot.risks[0], snapshot.risks[1], snapshot.risks[2]
    editing.close_risk(ctx, plan_id, closed.id, closed.version, "Risken hanteras i linjen.")
    reviews.record_risk_review(ctx, plan_id, raised.id, 2, 4, 4)
    reviews.record_risk_review(ctx, plan_id, same.id, 2, 1, 2)  # another cell, same level
    measure = raised.measures[0]
    reviews.record_measure_review(
        ctx,
        plan_id,
        measure.id,
        2,
        MeasureStatus.IN_PROGRESS,
        result=ControlResult.DEVIATION if measure.kind is MeasureKind.RECURRING else None,
        deviation="Kontrollen visade brister.",
        severity=Severity.SERIOUS,
    )

    first = build_followup_report(ctx, 2024, 1)
    refs = [r.ref for a in first.areas for r in a.risks]
    assert first.frozen and closed.ref in refs and len(refs) == len(snapshot.risks)

    second = build_followup_report(ctx, 2024, 2)
    by_ref = {r.ref: r for a in second.areas for r in a.risks}
    assert closed.ref not in by_ref and not second.frozen
    up = by_ref[raised.ref]
    assert up.trend is Trend.UP and up.previous_period == PeriodRef(2024, 1)
    assert [r.ref for r in second.raised] == [raised.ref]
    assert raised.ref in [r.ref for r in second.highest]
    assert by_ref[same.ref].trend is Trend.SAME  # 1×1 → 1×2 is the same level, not "ökar"
    assert [d.ref for d in second.deviations] == [raised.ref]
    assert second.deviations[0].severity is Severity.SERIOUS
    assert second.pending  # kv 2 is only partly followed up
    assert any(line.startswith("Kvartal 2:") for line in second.pending)
    not_yet = by_ref[snapshot.risks[3].ref]
    assert not_yet.netto_period == PeriodRef(2024, 1)  # the last netto, from before


def test_a_period_without_follow_up_still_gives_a_report_that_says_so(
    report_ctx: Context,
) -> None:
    report = build_followup_report(report_ctx, 2022, 3)
    assert not report.reviewed and report.as_of is None
    assert report.summary[0].startswith("Ingen uppföljning är registrerad för 2022 kv 3")
    assert report.pending == ("Inget kvartal under året är uppföljt.",)
    rendered = render_followup(report)
    text = _flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.pdf)).pages))
    assert "Ingen uppföljning är registrerad för perioden." in text
    page = parse(render_followup_html(report))
    assert "Ingen uppföljning är registrerad för perioden." in page.text


def test_the_pdf_is_two_to_four_pages_on_the_shared_frame(examples_ctx: Context) -> None:
    report = build_followup_report(examples_ctx, 2024, 2)
    rendered = render_followup(report)
    assert 2 <= rendered.pages <= 4
    assert render_followup(report).pdf == rendered.pdf  # identical bytes on rebuild
    reader = PdfReader(io.BytesIO(rendered.pdf))
    pages = [_flat(p.extract_text()) for p in reader.pages]
    for number, page in enumerate(pages, start=1):
        assert "Hälso- och sjukvårdsnämnden" in page and "Underlag till delårsrapport" in page
        assert f"Sida {number} av {len(pages)}" in page and "EXEMPELDATA" in page
    text = " ".join(pages)
    for heading in (
        "1 Sammanfattning",
        "2 Uppföljningens läge",
        "3 Risker på nivån mycket hög",
        "4 Avvikelser",
        "5 Uppföljning per verksamhet",
    ):
        assert heading in text
    assert reader.metadata is not None
    assert reader.metadata.title == f"{report.title} – Hälso- och sjukvårdsnämnden"


def test_the_html_is_semantic_and_holds_the_whole_record(examples_ctx: Context) -> None:
    report = build_followup_report(examples_ctx, 2024, 2)
    document = render_followup_html(report)
    assert render_followup_html(report) == document
    page = parse(document)
    assert page.lang == "sv" and page.title.startswith(report.title)
    assert heading_levels_in_order(page.headings)
    assert "script" not in page.tags and page.urls == []
    for table in page.tables:
        assert table.caption and all(scope == "col" for _, scope in table.head)
        assert all(row[0][0] == "th" and row[0][2] == "row" for row in table.rows)
    expected = [
        *report.summary,
        *(r.text for a in report.areas for r in a.risks),
        *(m.text for a in report.areas for r in a.risks for m in r.measures),
        *(d.description for d in report.deviations),
    ]
    assert [e for e in expected if " ".join(e.split()) not in page.text] == []
    # Every text the record holds; the matrix only names the levels, which are shown.
    assert missing_texts(report, document, besides=".matrix") == {}


def test_the_command_writes_both_formats(
    examples_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    monkeypatch.chdir(out)
    pdf = _run(examples_url, "--year", "2024", "--period", "kv 2")
    assert pdf.exit_code == 0, pdf.output
    assert re.search(r"Klart: [234] sidor \(exempeldata\)\.", pdf.stderr)
    html = _run(examples_url, "--period", "2024 kv 2", "--format", "html")
    assert html.exit_code == 0, html.output
    assert sorted(p.name for p in out.iterdir()) == [
        "uppfoljning-halso-och-sjukvardsnamnden-2024-kv2.html",
        "uppfoljning-halso-och-sjukvardsnamnden-2024-kv2.pdf",
    ]
    piped = _run(examples_url, "--year", "2024", "--period", "2", "-o", "-")
    assert (
        piped.stdout_bytes
        == (out / "uppfoljning-halso-och-sjukvardsnamnden-2024-kv2.pdf").read_bytes()
    )
    empty = _run(examples_url, "--year", "2022", "--period", "3", "-o", str(out / "x.pdf"))
    assert empty.exit_code == 0
    assert "Observera: ingen uppföljning är registrerad för 2022 kv 3" in empty.stderr


@pytest.mark.parametrize(
    ("args", "error", "says"),
    [
        (
            ["--year", "2024", "--period", "5"],
            InvalidInput,
            "Planen 2024 följs upp per kvartal: ange kv 1, kv 2, kv 3 eller kv 4.",
        ),
        (["--year", "2024", "--period", "T2"], InvalidInput, "ange kv 1, kv 2, kv 3 eller kv 4"),
        (["--year", "2024", "--period", "sommar"], InvalidInput, "Okänd period ”sommar”"),
        (["--year", "2024", "--period", "2023 kv 2"], InvalidInput, "hör inte till planåret"),
        (["--year", "2019", "--period", "1"], NotFound, "2019"),
        (["--year", "2024", "--period", "1", "-o", "rapport.html"], InvalidInput, "på .pdf"),
        (["--year", "2024", "--period", "1", "-o", "rapport"], InvalidInput, "ingen filändelse"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(
    examples_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    error: type[Exception],
    says: str,
) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    monkeypatch.chdir(out)
    result = _run(examples_url, *args)
    assert isinstance(result.exception, error), result.output
    assert says in str(result.exception)
    assert list(out.iterdir()) == []
