"""Every ISK report is PDF/A-2b: pikepdf's PDF/A validator finds nothing, and the archive's
own checks hold (identification, output intent, no transparency, embedded fonts, real
dates taken from the data)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pikepdf
import pytest
from isk_support import report_context
from pikepdf import Name

from riskreg.report.isk_pdf import pdf_meta, render_isk
from riskreg.report.pdfa import PdfMeta, finish_pdfa, validate
from riskreg.services.context import Context
from riskreg.services.isk import build_report


@pytest.fixture(params=["seeded", "examples"])
def any_ctx(request: pytest.FixtureRequest) -> Context:
    name = "report_ctx" if request.param == "seeded" else "examples_ctx"
    ctx: Context = request.getfixturevalue(name)
    return ctx


def _archive_checks(data: bytes) -> None:
    """What an e-arkiv's intake looks at, read with pikepdf."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        assert intents[0].S == Name.GTS_PDFA1
        profile = intents[0].DestOutputProfile.read_bytes()
        assert profile[36:40] == b"acsp" and profile[16:20] == b"RGB "
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert Name.SMask not in obj, "a soft mask is transparency"
            if isinstance(obj, pikepdf.Dictionary) and obj.get(Name.Type) == Name.ExtGState:
                for key in (Name.CA, Name.ca):
                    assert float(obj.get(key, 1)) == 1.0, "an alpha below 1 is transparency"
        for page in pdf.pages:
            for font in page.Resources.get(Name.Font, {}).values():
                assert font.Subtype == Name.TrueType, font.BaseFont
                assert Name.FontFile2 in font.FontDescriptor, font.BaseFont


@pytest.mark.parametrize("year", [2024, 2022])
def test_every_report_is_valid_pdfa_2b(any_ctx: Context, year: int) -> None:
    report = build_report(any_ctx, year)
    data = render_isk(report).pdf
    assert validate(data) == []
    _archive_checks(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        created = pdf.docinfo.CreationDate
        assert str(created) == report.document_time.astimezone(UTC).strftime(
            "D:%Y%m%d%H%M%S+00'00'"
        )
        assert pdf.docinfo.ModDate == created
        assert not str(created).startswith("D:2000")
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == pdf_meta(report).title
        assert xmp["pdf:Producer"].startswith("riskreg")
        assert "Hälso- och sjukvårdsnämnden" in xmp["dc:description"]
        assert report.dnr is None or f"Dnr {report.dnr}" in xmp["dc:subject"]


def test_the_document_date_comes_from_the_data_not_the_clock(examples_url: str) -> None:
    later = report_context(examples_url, now=datetime(2031, 5, 5, tzinfo=UTC))
    try:
        report = build_report(later, 2024)
    finally:
        later.engine.dispose()
    assert report.last_review_at is not None
    assert report.conclusion.updated_at is not None
    assert report.document_time == max(report.last_review_at, report.conclusion.updated_at)
    assert report.document_time.year < 2031


def test_a_report_without_reviews_is_dated_by_its_plan(report_ctx: Context) -> None:
    report = build_report(report_ctx, 2022)
    if report.last_review_at is None and report.conclusion.updated_at is None:
        day = report.adopted_on
        assert report.document_time.date() == (day or datetime(2022, 1, 1).date())


def test_finishing_is_reproducible_and_the_watermark_is_opaque(examples_ctx: Context) -> None:
    report = build_report(examples_ctx, 2024)
    assert report.example_data
    first = render_isk(report).pdf
    assert render_isk(report).pdf == first
    _archive_checks(first)


def test_finish_pdfa_on_any_reportlab_output() -> None:
    """The part every PDF riskreg writes goes through, on a bare ReportLab page."""
    from reportlab.pdfgen.canvas import Canvas

    from riskreg.report.fonts import REGULAR, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=REGULAR)
    canvas.setFont(REGULAR, 12)
    canvas.drawString(72, 720, "Uppföljning per delår – Sámi: ŋ đ")
    canvas.showPage()
    canvas.save()
    meta = PdfMeta(
        title="Prov",
        author="controller",
        subject="Prov",
        created=datetime(2024, 8, 31, 12, 0, tzinfo=UTC),
        committee="Hälso- och sjukvårdsnämnden",
        dnr="24RS1",
    )
    data = finish_pdfa(buffer.getvalue(), meta)
    assert validate(data) == []
    assert finish_pdfa(buffer.getvalue(), meta) == data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20240831120000+00'00'"
        assert str(pdf.docinfo.Title) == "Prov"


def test_the_validator_reports_a_plain_reportlab_file() -> None:
    """The validator can fail: ReportLab's own output is not PDF/A."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 720, "x")
    canvas.showPage()
    canvas.save()
    assert validate(buffer.getvalue()) != []


def test_sami_letters_and_symbols_print_and_the_rest_is_listed(report_ctx: Context) -> None:
    from dataclasses import replace

    from pypdf import PdfReader

    report = build_report(report_ctx, 2024)
    names = "Áŋđá Čšžŧ Ŋuorra → ✓ ↑ ↓ • … 50\u00a0%"
    strange = "\U0001d11e\u4e2d"  # a musical symbol and a CJK letter: not in DejaVu Sans
    fields = replace(report.conclusion.fields, handler=f"{names} {strange}")
    rendered = render_isk(replace(report, conclusion=replace(report.conclusion, fields=fields)))
    assert rendered.unprintable == ("\u4e2d", "\U0001d11e")
    assert validate(rendered.pdf) == []  # no .notdef glyph reaches the page
    first = PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text()
    assert "Áŋđá Čšžŧ Ŋuorra" in first
    assert "\ufffd" in first
