"""``riskreg report isk --delar``: the PM and the bilaga as two handlingar, each with its own
header and page numbering, bookmarks for every section and the title shown by the viewer."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from riskreg.report.pdfa import validate
from tests.clirun import Result, run_cli

STEM = "isk-bedomning-halso-och-sjukvardsnamnden-2024"


def _parts(capsys: pytest.CaptureFixture[str], url: str, *output: str) -> Result:
    return run_cli(capsys, "--db", url, "report", "isk", "--year", "2024", "--delar", *output)


def _outline(data: bytes) -> list[tuple[int, str, int]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        found: list[tuple[int, str, int]] = []
        with pdf.open_outline() as outline:

            def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
                for item in items:
                    page = pages[item.destination[0].objgen]
                    found.append((depth, item.title, page))
                    walk(item.children, depth + 1)

            walk(outline.root, 0)
        return found


def test_pm_and_bilaga_are_two_handlingar(
    capsys: pytest.CaptureFixture[str], examples_url: str, tmp_path: Path
) -> None:
    result = _parts(capsys, examples_url, "-o", f"{tmp_path}/")
    assert result.code == 0, result.err
    pm, bilaga = tmp_path / f"{STEM}-pm.pdf", tmp_path / f"{STEM}-bilaga.pdf"
    assert result.out.splitlines() == [str(pm), str(bilaga)]
    for path, handling, count in ((pm, "FöredragningsPM", None), (bilaga, "Bilaga", None)):
        data = path.read_bytes()
        assert validate(data) == []
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
        count = len(pages)
        for number, page in enumerate(pages, start=1):
            assert f"Sida {number} av {count}" in page
            assert handling in page
        if handling == "Bilaga":
            assert all("Bilaga till FöredragningsPM 2025-02-12" in p for p in pages)
            assert "Bilaga. Riskregistret 2024" in pages[0]
            assert not any("1 Bedömning" in p for p in pages)
        else:
            assert not any("Bilaga. Riskregistret" in p for p in pages)
            assert "9 Inför planen för 2025" in "\n".join(pages)
    with pikepdf.open(bilaga) as pdf:
        assert str(pdf.docinfo.Title).startswith("Bilaga. Riskregistret 2024")
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


def test_a_stem_names_both_files_and_wrong_targets_are_refused_first(
    capsys: pytest.CaptureFixture[str], examples_url: str, tmp_path: Path
) -> None:
    assert _parts(capsys, examples_url, "-o", str(tmp_path / "isk.pdf")).code == 0
    assert {"isk-bilaga.pdf", "isk-pm.pdf"} <= {p.name for p in tmp_path.iterdir()}
    for output, words in (
        ("-", "kan inte skrivas till standard ut"),
        (str(tmp_path / "isk.txt"), "slutar på .txt"),
        (str(tmp_path / "saknas" / "isk"), "finns inte"),
    ):
        refused = _parts(capsys, examples_url, "-o", output)
        assert refused.code == 1 and words in refused.err
        assert "Läser registret" not in refused.err


def test_bookmarks_for_every_section_on_their_pages(example_pdf: bytes) -> None:
    outline = _outline(example_pdf)
    titles = [title for _, title, _ in outline]
    for heading in (
        "Förslag till beslut",
        "Sammanfattning",
        "1 Bedömning",
        "Intern styrning (krav a–b)",
        "4 Riskkartor",
        "5 Uppföljning per verksamhet",
        "Ekonomi (6 risker)",
        "9 Inför planen för 2025",
        "Bilaga. Riskregistret 2024",
    ):
        assert heading in titles, heading
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(example_pdf)).pages]
    for _, title, page in outline:
        assert title.split(" (")[0] in " ".join(pages[page].split()), title
    assert ("5 Uppföljning per verksamhet", 0) in [(t, d) for d, t, _ in outline]
    assert (1, "Ekonomi (6 risker)") in [(d, t) for d, t, _ in outline]
