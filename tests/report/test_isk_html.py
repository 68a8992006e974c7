"""The accessible HTML version of the ISK-bedömning (``report isk --format html``): the
same record as the PDF, every section of it, as semantic, self-contained, escaped HTML.
The browser check (axe-core in Chromium) is ``test_a11y.py``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from html_support import heading_levels_in_order, missing_texts, parse
from sqlalchemy import text

from riskreg.cli.common import CliState
from riskreg.cli.isk import report_group
from riskreg.domain.errors import InvalidInput
from riskreg.domain.isk_content import IskReport
from riskreg.report.html_doc import INK, MIN_CONTRAST, contrast, level_fill
from riskreg.report.isk_html import render_isk_html
from riskreg.services.context import Context
from riskreg.services.isk import build_report

HOSTILE = '<script>alert("x")</script> & AT&T <img src=x onerror=alert(1)> \x1b[2J \u202eslut'


def _run(db_url: str, *args: str) -> object:
    runner = CliRunner()
    state = CliState(db_url)
    try:
        return runner.invoke(report_group, list(args), obj=state)  # type: ignore[arg-type]
    finally:
        state.close()


@pytest.fixture
def example_report(examples_ctx: Context) -> IskReport:
    return build_report(examples_ctx, 2024)


def test_a_semantic_self_contained_document(example_report: IskReport) -> None:
    page = parse(render_isk_html(example_report))
    assert page.lang == "sv"
    assert page.title == (
        "Bedömning av intern styrning och kontroll 2024 – Hälso- och sjukvårdsnämnden"
    )
    assert heading_levels_in_order(page.headings), page.headings
    titles = [t for _, t in page.headings]
    for section in (
        "Förslag till beslut",
        "Sammanfattning",
        "Beslutsunderlag",
        "1 Bedömning",
        "2 Nyckeltal",
        "3 Metod",
        "4 Riskkartor",
        "5 Uppföljning per verksamhet",
        "6 Avvikelser",
        "7 Accepterade risker",
        "8 Förändringar sedan planen för 2022",
        "9 Inför planen för 2025",
        "Bilaga. Riskregistret 2024",
    ):
        assert section in titles
    assert "script" not in page.tags and not page.inline_handlers
    assert page.urls == []  # nothing external: no links, images, fonts or stylesheets
    assert "link" not in page.tags and "img" not in page.tags


def test_every_table_has_a_caption_and_header_cells(example_report: IskReport) -> None:
    page = parse(render_isk_html(example_report))
    assert len(page.tables) > 20
    for table in page.tables:
        assert table.caption, table
        assert table.head and all(scope == "col" and label for label, scope in table.head)
        for row in table.rows:
            first = row[0]
            assert first[0] == "th" and first[2] == "row", (table.caption, row)
            assert len(row) <= len(table.head) or table.caption.startswith("Avvikelser")


def test_heat_maps_are_data_tables_with_the_level_in_every_cell(
    example_report: IskReport,
) -> None:
    page = parse(render_isk_html(example_report))
    matrix = example_report.matrix
    for heat in (example_report.brutto_map, example_report.netto_map):
        table = next(t for t in page.tables if t.caption.startswith(heat.title))
        assert [label for label, _ in table.head][1:] == [
            f"Konsekvens {k} {label}" for k, label in enumerate(matrix.consequence_labels, 1)
        ]
        for row, s in zip(table.rows, range(4, 0, -1), strict=True):
            assert row[0][1] == f"Sannolikhet {s} {matrix.likelihood_labels[s - 1]}"
            for k, (_, cell, _) in enumerate(row[1:], start=1):
                refs = heat.cell(s, k).refs
                assert cell.startswith(matrix.level(s, k).name), cell
                if refs:
                    assert cell.endswith(", ".join(refs)), cell
                    assert f"{len(refs)} risk" in cell
                else:
                    assert cell.endswith("inga risker")
    netto = next(t for t in page.tables if t.caption.startswith(example_report.netto_map.title))
    cells = [c for row in netto.rows for _, c, _ in row]
    assert "Mycket hög 2 risker: IS-01, MT-01" in cells


def test_coloured_cells_keep_dark_text_readable(example_report: IskReport) -> None:
    document = render_isk_html(example_report).decode()
    fills = set(re.findall(r"background-color:(#[0-9a-f]{6})", document))
    assert len(fills) >= 4
    for fill in fills:
        if fill in {lv.colour for lv in example_report.matrix.levels}:
            continue  # the small swatches beside a level's name carry no text
        assert contrast(INK, fill) >= MIN_CONTRAST, fill
    # Full-strength red behind dark text is below 4.5:1; the tint is not.
    assert contrast(INK, "#e53935") < MIN_CONTRAST <= contrast(INK, level_fill("#e53935"))


def test_every_part_of_the_record_is_in_the_document(example_report: IskReport) -> None:
    r = example_report
    page = parse(render_isk_html(r)).text
    expected = [
        *r.proposal,
        *r.summary,
        *r.rule,
        *(f.observed for f in r.suggestion.findings),
        *(line.ref for line in r.register),
        *(line.text for line in r.register),
        *(m.text for line in r.register for m in line.measures),
        *(role for line in r.register for m in line.measures for role in m.roles),
        *(d.description for d in r.deviations),
        *(a.reason for a in r.accepted),
        *(c.why for c in r.carry_forward),
        *r.revisions,
        *r.coverage.statements(),
    ]
    assert r.changes is not None
    expected += [c.new_text for c in r.changes.changed] + [b.text for b in r.changes.new]
    assert r.conclusion.fields.motivation
    expected += [r.conclusion.fields.motivation, *r.conclusion.fields.send_to]
    missing = [e for e in expected if " ".join(e.split()) not in page]
    assert missing == []
    assert r.log_anchor is not None and r.log_anchor[1] in page
    assert "EXEMPELDATA" in page


def test_no_text_of_the_record_is_left_out(example_report: IskReport) -> None:
    """Whatever the record holds (a field added later too) is in the document."""
    assert missing_texts(example_report, render_isk_html(example_report)) == {}


def test_identical_data_gives_identical_bytes(examples_ctx: Context) -> None:
    first = render_isk_html(build_report(examples_ctx, 2024))
    assert render_isk_html(build_report(examples_ctx, 2024)) == first


def test_hostile_text_is_shown_never_run(report_ctx: Context) -> None:
    with report_ctx.engine.begin() as conn:
        risk = conn.execute(text("SELECT id FROM plan_risk ORDER BY id LIMIT 1")).scalar_one()
        conn.execute(
            text("UPDATE plan_risk SET text = :t WHERE id = :id"), {"t": HOSTILE, "id": risk}
        )
        conn.execute(text("UPDATE plan_measure SET text = :t"), {"t": "=1+2 " + HOSTILE})
    document = render_isk_html(build_report(report_ctx, 2024))
    page = parse(document)
    assert "script" not in page.tags and "img" not in page.tags and not page.inline_handlers
    raw = document.decode()
    assert "<script>" not in raw and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in raw
    assert "\x1b" not in raw and "\u202e" not in raw
    assert '<script>alert("x")</script> & AT&T <img src=x onerror=alert(1)> ␛[2J <U+202E>slut' in (
        page.text
    )
    assert "=1+2 <script>" in page.text


def test_the_command_writes_html_by_its_default_name_and_to_stdout(
    examples_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    monkeypatch.chdir(out)
    result = _run(examples_url, "isk", "--year", "2024", "--format", "html")
    assert result.exit_code == 0, result.output
    target = out / "isk-bedomning-halso-och-sjukvardsnamnden-2024.html"
    assert result.stdout.strip() == str(target)
    assert "Klart: HTML (exempeldata)." in result.stderr
    piped = _run(examples_url, "isk", "--year", "2024", "--format", "html", "-o", "-")
    assert piped.exit_code == 0
    assert piped.stdout_bytes == target.read_bytes()
    assert [p.name for p in out.iterdir()] == [target.name]


@pytest.mark.parametrize(
    ("fmt", "name", "says"),
    [
        ("html", "isk.pdf", "Filnamnet isk.pdf slutar på .pdf, men filen blir en HTML-fil"),
        ("html", "isk", "Filnamnet isk har ingen filändelse, men filen blir en HTML-fil"),
        ("pdf", "isk.html", "Filnamnet isk.html slutar på .html, men filen blir en PDF"),
    ],
)
def test_a_file_name_that_does_not_match_the_format_is_refused(
    examples_url: str, tmp_path: Path, fmt: str, name: str, says: str
) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    target = out / name
    result = _run(examples_url, "isk", "--year", "2024", "--format", fmt, "-o", str(target))
    assert isinstance(result.exception, InvalidInput)
    assert says in str(result.exception)
    assert list(out.iterdir()) == []


def test_a_year_without_reviews_renders(report_ctx: Context) -> None:
    page = parse(render_isk_html(build_report(report_ctx, 2022)))
    assert "Det finns ingen tidigare plan för nämnden att jämföra med." in page.text
    assert "Inget kvartal under året är uppföljt." in page.text
    assert heading_levels_in_order(page.headings)
