"""The ISK PDF read back with pypdf: pages, headings, references, Swedish text, fonts,
metadata, reproducible bytes, literal user text, gaps, and a 2,000-risk register."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from isk_support import report_context
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from sqlalchemy import text

from riskreg.domain.records import Assessment
from riskreg.report.isk_pdf import render_isk
from riskreg.services import editing, plans
from riskreg.services.context import Context
from riskreg.services.isk import build_report

ROOT = Path(__file__).resolve().parents[2]
SECTION_HEADINGS = (
    "Förslag till beslut",
    "Sammanfattning",
    "Konsekvenser för miljö-, barn- och jämställdhetsperspektiven",
    "Ekonomiska konsekvenser",
    "Uppföljning",
    "Beslutsunderlag",
    "Skickas till:",
    "1 Bedömning",
    "Föreslaget betyg enligt registrets uppgifter",
    "Regeln bakom förslaget",
    "2 Nyckeltal",
    "Uppföljningens fullständighet",
    "3 Metod",
    "Riskmatrisen för 2024",
    "4 Riskkartor",
    "Färgförklaring",
    "5 Uppföljning per verksamhet",
    "6 Avvikelser",
    "7 Accepterade risker",
    "8 Förändringar sedan planen för 2022",
    "9 Inför planen för 2025",
    "Bilaga. Riskregistret 2024",
)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _render(ctx: Context, year: int = 2024) -> bytes:
    return render_isk(build_report(ctx, year)).pdf


def test_pages_headings_and_page_numbers(
    example_reader: PdfReader, example_pages: list[str]
) -> None:
    total = len(example_reader.pages)
    assert 12 <= total <= 25
    document = _flat("\n".join(example_pages))
    for heading in SECTION_HEADINGS:
        assert heading in document, heading
    for number, page in enumerate(example_pages, start=1):
        assert f"Sida {number} av {total}" in page
        # The header: nämnd, year and dnr on every page.
        assert "Hälso- och sjukvårdsnämnden" in page
        assert "ISK-bedömning 2024" in page
        assert "Dnr: 24RS00000" in page


def test_the_memo_comes_first_in_the_nämnd_s_order(example_pages: list[str]) -> None:
    memo = _flat(example_pages[0] + example_pages[1])
    order = [
        "Tjänsteställe, handläggare",
        "FöredragningsPM",
        "Sammanträdesdatum",
        "Organ",
        "Bedömning av intern styrning och kontroll 2024",
        "Förslag till beslut",
        "Hälso- och sjukvårdsnämnden beslutar",
        "att fastställa bedömningen att den interna styrningen och kontrollen under 2024 har "
        "varit i allt väsentligt tillräcklig",
        "Sammanfattning",
        "Ekonomiska konsekvenser",
        "Beslutsunderlag",
        "Skickas till:",
        "Regionstyrelsen",
    ]
    at = 0
    for item in order:
        found = memo.find(item, at)
        assert found >= 0, f"{item!r} not after position {at}"
        at = found + len(item)


def test_risk_references_and_swedish_text(example_pages: list[str]) -> None:
    document = "\n".join(example_pages)
    refs = set(re.findall(r"\b[A-ZÅÄÖ]{2}-\d{2}\b", document))
    assert {
        "HR-01", "EK-01", "EK-02", "EK-03", "EK-04", "EK-06", "EK-07", "IS-01", "KU-01",
        "PS-01", "PS-02", "PS-04", "KS-01", "HF-01", "HF-02", "HF-03", "MT-01", "FU-01",
        "FU-02",
    } <= refs  # fmt: skip
    assert {"HR-02", "PS-06"} <= refs  # dropped since 2022
    for words in (
        "Hälso- och sjukvårdsnämnden",
        "Informationssäkerhet",
        "Åtgärdernas status",
        "Hälso- och sjukvårdsdirektören",
        "Förändringar",
        "Öka antalet attestanter",
        "resurssetts",  # source typos are kept
    ):
        assert words in _flat(document), words


def test_every_page_says_example_data(example_pages: list[str], report_ctx: Context) -> None:
    assert all("EXEMPELDATA" in page for page in example_pages)
    real = PdfReader(io.BytesIO(_render(report_ctx)))
    assert not any("EXEMPEL" in page.extract_text() for page in real.pages)


def test_fonts_are_embedded_truetype_and_no_helvetica_is_left(
    example_reader: PdfReader, example_pdf: bytes
) -> None:
    fonts: dict[str, DictionaryObject] = {}
    for page in example_reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert "DejaVuSans" in name, name
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    assert b"Helvetica" not in example_pdf
    assert b"/Type1" not in example_pdf


def test_metadata(example_reader: PdfReader) -> None:
    meta = example_reader.metadata
    assert meta is not None
    assert meta.title == (
        "Bedömning av intern styrning och kontroll 2024 – Hälso- och sjukvårdsnämnden"
    )
    assert meta.author == (
        "Exempel Exempelsson, Hälso- och sjukvårdsförvaltningen, verksamhetscontroller"
    )
    assert meta.subject is not None and "ISK-bedömning 2024" in meta.subject
    assert "dnr 24RS00000" in meta.subject
    assert meta.creator == "riskreg"
    assert meta.producer == "riskreg (ReportLab, pikepdf)"


def test_identical_data_gives_identical_bytes(examples_ctx: Context, example_pdf: bytes) -> None:
    assert _render(examples_ctx) == example_pdf
    assert _render(examples_ctx) == _render(examples_ctx)


def test_identical_bytes_across_processes(examples_url: str) -> None:
    script = (
        "import hashlib, sys\n"
        "sys.path.insert(0, 'tests/report')\n"
        "from isk_support import report_context\n"
        "from riskreg.services.isk import build_report\n"
        "from riskreg.report.isk_pdf import render_isk\n"
        "pdf = render_isk(build_report(report_context(sys.argv[1]), 2024)).pdf\n"
        "print(hashlib.sha256(pdf).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script, examples_url],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(out.stdout.strip())
    ctx = report_context(examples_url)
    try:
        digests.add(hashlib.sha256(_render(ctx)).hexdigest())
    finally:
        ctx.engine.dispose()
    assert len(digests) == 1


def _set_risk_text(ctx: Context, ref: str, new_text: str, measure_text: str | None = None) -> None:
    snapshot = plans.load_plan(ctx, 2024)
    risk = snapshot.risk(ref)
    editing.update_risk(
        ctx,
        snapshot.plan.id,
        risk.id,
        risk.version,
        editing.RiskFields(
            area=risk.area,
            text=new_text,
            region_wide=risk.region_wide,
            requirement=risk.requirement,
            brutto=risk.brutto or Assessment(2, 2),
        ),
        reason="Test av text med markup.",
    )
    if measure_text is not None:
        measure = risk.measures[0]
        editing.update_measure(
            ctx,
            snapshot.plan.id,
            measure.id,
            measure.version,
            editing.MeasureFields(
                text=measure_text, kind=measure.kind, frequency=measure.frequency
            ),
            reason="Test av text med markup.",
        )


def test_markup_in_user_text_is_printed_literally(report_ctx: Context) -> None:
    long_word = "Informations" + "säkerhets" * 40 + "brist"
    risk_text = f"Risken att <b>fet</b> & <i>kursiv</i> text &amp; AT&T <br/> bryter {long_word}."
    _set_risk_text(report_ctx, "EK-01", risk_text, measure_text="Åtgärd <font size=40>STOR</font>")
    reader = PdfReader(io.BytesIO(_render(report_ctx)))
    document = "".join(page.extract_text() for page in reader.pages)
    squeezed = re.sub(r"\s+", "", document)
    assert "<b>fet</b>&<i>kursiv</i>text&amp;AT&T<br/>bryter" in squeezed
    assert re.sub(r"\s+", "", long_word) in squeezed  # wrapped, every letter kept
    assert "<fontsize=40>STOR</font>" in squeezed


def test_very_long_texts_wrap_and_continue_across_pages(report_ctx: Context) -> None:
    """Longer than the register now accepts (4,000 characters), as an older version or
    another tool may have stored: the report still wraps it across pages."""
    essay = " ".join(f"Mening {i} om risken för bristande kontroll." for i in range(900))
    _set_risk_text(report_ctx, "IS-01", "Kort.", measure_text="Kort.")
    with report_ctx.engine.begin() as conn:
        conn.execute(text("UPDATE plan_risk SET text = :t WHERE text = 'Kort.'"), {"t": essay})
        conn.execute(
            text("UPDATE plan_measure SET text = :t WHERE text = 'Kort.'"),
            {"t": "Ordlöst" * 2000},
        )
    reader = PdfReader(io.BytesIO(_render(report_ctx)))
    document = _flat("".join(page.extract_text() for page in reader.pages))
    assert "Mening 0 om risken" in document and "Mening 899 om risken" in document


def test_an_incomplete_year_says_what_is_missing(incomplete_ctx: Context) -> None:
    reader = PdfReader(io.BytesIO(_render(incomplete_ctx)))
    document = _flat("".join(page.extract_text() for page in reader.pages))
    assert "Det här saknas i uppföljningen" in document
    assert "Kvartal 4 är inte uppföljt alls." in document
    assert "Kvartal 3: 1 av 19 risker saknar nettobedömning (HR-01)" in document
    assert "saknas" in document  # in the per-verksamhet tables
    assert "Utkast." in document  # no grade stored yet


def _synthetic_build() -> object:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build


def test_the_synthetic_2000_risk_register_renders(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'synthetic.db'}"
    build = _synthetic_build()
    build(url, committees=1, risks_per=2000)  # type: ignore[operator]
    ctx = report_context(url)
    try:
        report = build_report(ctx, 2024)
        pages: list[int] = []
        rendered = render_isk(report, progress=pages.append)
    finally:
        ctx.engine.dispose()
    assert report.risk_count == 2000
    assert rendered.pages > 500 and pages == list(range(1, rendered.pages + 1))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert len(reader.pages) == rendered.pages
    last = reader.pages[-1].extract_text()
    assert f"Sida {rendered.pages} av {rendered.pages}" in last
    first_ref, last_ref = report.register[0].ref, report.register[-1].ref
    assert first_ref in _flat(reader.pages[5].extract_text() + reader.pages[6].extract_text()) or (
        first_ref in "".join(p.extract_text() for p in reader.pages[:40])
    )
    assert last_ref in "".join(p.extract_text() for p in reader.pages[-40:])


@pytest.mark.parametrize("year", [2022])
def test_a_closed_year_without_reviews_renders(report_ctx: Context, year: int) -> None:
    reader = PdfReader(io.BytesIO(_render(report_ctx, year)))
    document = _flat("".join(page.extract_text() for page in reader.pages))
    assert "Det finns ingen tidigare plan för nämnden att jämföra med." in document
    assert "Inget kvartal under året är uppföljt." in document


def test_editorial_changes_are_shown_apart_and_not_counted(example_pages: list[str]) -> None:
    document = _flat("\n".join(example_pages))
    assert "har 4 risker tillkommit, 7 utgått och 10 ändrats; 5 är oförändrade." in document
    assert "3 texter har bara redaktionella ändringar" in document
    at = document.index("Redaktionella ändringar")
    assert "EK-02" in document[at:] and "HF-02" in document[at:] and "KS-01" in document[at:]


def test_scope_styrning_and_handläggare_are_printed(
    example_pages: list[str], report_ctx: Context
) -> None:
    document = _flat("\n".join(example_pages))
    assert "Omfattning" in document and "krav c–e" in document
    at = document.index("Intern styrning (krav a–b)")
    assert "budgetramen hölls" in document[at : at + 600]
    assert "Exempel Exempelsson, Hälso- och sjukvårdsförvaltningen" in _flat(example_pages[0])
    bare = _flat("\n".join(PdfReader(io.BytesIO(_render(report_ctx))).pages[i].extract_text()
                            for i in range(3)))  # fmt: skip
    assert "Intern styrning (krav a–b) Uppgift saknas." in bare
