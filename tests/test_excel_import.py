"""``riskreg import plan FILE.xlsx``: a plan from a worksheet, by the Word import's rules.

The seeded 2024 plan written as a workbook imports exactly as the Word table does; the
optional columns (Ansvarig, Brutto S/K) are stored; and every bad file or cell is one
Swedish sentence naming file, sheet and row, exit 1, with nothing saved, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
import xlsxwriter

from riskreg.domain.errors import ImportFileError
from riskreg.domain.records import Assessment
from riskreg.domain.sheettable import parse_sheet, sheet_rows
from riskreg.domain.wordtable import read_plan_table
from riskreg.services import plans
from tests.clirun import run_cli
from tests.conftest import SEED_DOCUMENT_2024, make_context

Row = tuple[object, ...]
HEADER: Row = ("Verksamhet", "Risk", "Åtgärd")


def write_book(path: Path, rows: list[Row], *, sheet: str = "Plan", first: int = 0) -> Path:
    """A workbook as an owner makes one: text cells are text; a value wrapped in
    ``Formula`` is written as a real formula."""
    with xlsxwriter.Workbook(str(path), {"strings_to_formulas": False}) as book:
        if sheet != "Plan":
            book.add_worksheet("Försättsblad").write_string(0, 0, "Planen finns på nästa blad")
        ws = book.add_worksheet(sheet)
        for r, row in enumerate(rows, start=first):
            for c, value in enumerate(row):
                if isinstance(value, Formula):
                    ws.write_formula(r, c, value.text, None, 3)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value)
                elif value is not None:
                    ws.write_string(r, c, str(value))
    return path


class Formula:
    def __init__(self, text: str) -> None:
        self.text = text


def seed_rows() -> list[Row]:
    """The 2024 Word table as a controller would lay it out in Excel: the verksamhet on
    its first row only, the risk text repeated on its further åtgärd rows."""
    rows: list[Row] = [HEADER]
    table = read_plan_table(SEED_DOCUMENT_2024.read_bytes())
    area = None
    for risk in table.risks:
        text = ("Regionövergripande: " if risk.region_wide else "") + risk.text
        for n, measure in enumerate(risk.measures):
            m = ("Regionövergripande åtgärd: " if measure.region_wide else "") + measure.text
            label = risk.area_label if risk.area_label != area and n == 0 else ""
            rows.append((label, text, m))
        area = risk.area_label
    return rows


def content(url: str, year: int) -> list[tuple[str, str, str, bool, list[tuple[str, bool]]]]:
    ctx = make_context(url)
    snapshot = plans.load_plan(ctx, year)
    ctx.engine.dispose()
    return [
        (r.ref, r.area, r.text, r.region_wide, [(m.text, m.region_wide) for m in r.measures])
        for r in snapshot.risks
    ]


def years(url: str) -> list[int]:
    ctx = make_context(url)
    found = [p.year for p in plans.list_plans(ctx)]
    ctx.engine.dispose()
    return found


def import_plan(capsys, url: str, path: Path, *extra: str):
    return run_cli(
        capsys, "--db", url, "import", "plan", str(path), "--year", "2025", "--nämnd", "HSN", *extra
    )


@pytest.mark.postgres
def test_the_seeded_plan_as_a_workbook_imports_like_the_word_table(
    capsys, seeded_backend, tmp_path
):
    url = seeded_backend.target.url
    book = write_book(tmp_path / "plan 2025.xlsx", seed_rows(), sheet="IK-plan", first=2)
    dry = import_plan(capsys, url, book, "--blad", " ik-PLAN ", "--dry-run")
    assert dry.code == 0, dry.err
    assert "Skulle skapa planen Hälso- och sjukvårdsnämnden 2025: 19 risker, 27 åtgärder" in dry.err
    assert years(url) == [2022, 2024]
    done = import_plan(capsys, url, book, "--blad", "IK-plan")
    assert done.code == 0, done.err
    imported = content(url, 2025)
    # the same risks and åtgärder as the 2024 plan, under the same references
    assert imported == content(url, 2024)
    assert "(finns sedan tidigare år)" in done.out
    ctx = make_context(url)
    risk = plans.load_plan(ctx, 2025).risks[0]
    assert risk.source == "plan 2025.xlsx rad 4"
    ctx.engine.dispose()


def test_optional_columns_brutto_and_ansvarig(capsys, db_url, tmp_path):
    rows: list[Row] = [
        ("Planens titel", None, None),
        (" åtgärd ", "VERKSAMHET", "Brutto S", "risk", "Brutto K", "Ansvarig"),
        (
            "Kontrollera fakturor.",
            "Ekonomi",
            3,
            "=Risken att fakturor betalas två gånger.",
            4,
            "Varje chef; Ekonomichef",
        ),
        (
            "Stickprov varje månad.",
            "Ekonomi",
            None,
            "=Risken att fakturor betalas två gånger.",
            None,
            "ekonomichef",
        ),
        ("+Utbilda attestanter.", None, None, None, None, None),
        ("@Ny rutin.", "Kultur", "2", "-Risken att evenemang ställs in.", "1", None),
    ]
    result = import_plan(capsys, db_url, write_book(tmp_path / "plan.xlsx", rows))
    assert result.code == 0, result.err
    assert "nya verksamheter: Kultur, nya roller: Ekonomichef." in result.err
    logged = run_cli(
        capsys, "--db", db_url, "audit", "log", "--händelse", "importerade", "--format", "json"
    )
    (entry,) = json.loads(logged.out)
    assert entry["efter"] == {
        "fil": "plan.xlsx",
        "matris": "4×4",
        "perioder": "kvartal",
        "risker": 2,
        "åtgärder": 4,
        "från tidigare år": 0,
        "nya verksamheter": ["Kultur"],
        "nya roller": ["Ekonomichef"],
    }
    ctx = make_context(db_url)
    snapshot = plans.load_plan(ctx, 2025)
    ctx.engine.dispose()
    first, second = snapshot.risks
    assert first.text == "=Risken att fakturor betalas två gånger."  # text, never a formula
    assert (first.brutto.likelihood, first.brutto.consequence) == (3, 4)
    assert [m.text for m in first.measures] == [
        "Kontrollera fakturor.",
        "Stickprov varje månad.",
        "+Utbilda attestanter.",
    ]
    roles = [m.roles for m in first.measures]
    assert roles == [("Ekonomichef", "Varje chef"), ("Ekonomichef",), ()]
    assert second.text == "-Risken att evenemang ställs in." and second.area == "Kultur"
    assert (second.brutto.likelihood, second.brutto.consequence) == (2, 1)
    assert second.measures[0].text == "@Ny rutin."


def test_control_characters_are_stripped_with_a_warning_and_shown_safely(capsys, db_url, tmp_path):
    rows: list[Row] = [
        HEADER,
        ("Ekonomi", "Risken att \x1b]0;hackad\x07 titeln ändras.", "Kontroll \x1b[2J av rutin."),
    ]
    result = import_plan(capsys, db_url, write_book(tmp_path / "plan.xlsx", rows))
    assert result.code == 0, result.err
    assert "\x1b" not in result.err + result.out
    assert "Rad 2: tog bort styrtecknen U+0007, U+001B ur texten." in result.err
    risk = content(db_url, 2025)[0]
    assert risk[2] == "Risken att ]0;hackad titeln ändras."
    assert risk[4] == [("Kontroll [2J av rutin.", False)]


def _zip_without(path: Path, member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != member:
                target.writestr(item, source.read(item))
    return out.getvalue()


BAD_ROWS: dict[str, tuple[list[Row], str]] = {
    "missing column": (
        [("Verksamhet", "Risk", "Ansvarig"), ("Ekonomi", "Risk A.", "Varje chef")],
        "plan.xlsx, bladet ”Plan”, rad 1: rubrikraden saknar kolumnen Åtgärd.",
    ),
    "no header": (
        [("Något", "annat"), ("Ekonomi", "Risk A.")],
        "plan.xlsx, bladet ”Plan”: Hittar ingen rubrikrad med kolumnerna Verksamhet, Risk "
        "och Åtgärd i bladet ”Plan”.",
    ),
    "duplicate header": (
        [("Verksamhet", "Risk", "Åtgärd", " risk "), ("Ekonomi", "Risk A.", "Gör B.", "x")],
        "plan.xlsx, bladet ”Plan”, rad 1: Kolumnen Risk står två gånger i rubrikraden",
    ),
    "brutto outside the scale": (
        [(*HEADER, "Brutto S", "Brutto K"), ("Ekonomi", "Risk A.", "Gör B.", 5, 2)],
        "plan.xlsx, bladet ”Plan”, rad 2: Brutto S ska vara ett heltal 1–4, inte ”5”.",
    ),
    "brutto not a number": (
        [(*HEADER, "Brutto S", "Brutto K"), ("Ekonomi", "Risk A.", "Gör B.", 2, "hög")],
        "rad 2: Brutto K ska vara ett heltal 1–4, inte ”hög”.",
    ),
    "brutto half given": (
        [(*HEADER, "Brutto S", "Brutto K"), ("Ekonomi", "Risk A.", "Gör B.", 2, None)],
        "rad 2: Ange både Brutto S och Brutto K, eller ingen av dem.",
    ),
    "formula cell": (
        [HEADER, ("Ekonomi", "Risk A.", "Gör B."), ("Ekonomi", "Risk C.", Formula('=B2&"!"'))],
        'plan.xlsx, bladet ”Plan”, rad 3: cellen innehåller en formel (Åtgärd: =B2&"!")',
    ),
    "risk without åtgärd": (
        [HEADER, ("Ekonomi", "Risk A.", None), ("Ekonomi", "Risk C.", "Gör D.")],
        "rad 2: Risken ”Risk A.” saknar åtgärd.",
    ),
    "risk twice": (
        [
            HEADER,
            ("Ekonomi", "Risk A.", "Gör B."),
            ("HR", "Risk C.", "Gör D."),
            ("HR", "Risk A.", "Gör E."),
        ],
        "rad 4: Risken ”Risk A.” står två gånger, på rad 2 och rad 4",
    ),
    "åtgärd without risk": (
        [HEADER, (None, None, "Gör B.")],
        "rad 2: Raden har bara en åtgärd men det finns ingen risk ovanför",
    ),
    "empty table": ([HEADER], "rad 1: Tabellen är tom"),
}


@pytest.mark.postgres
@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_worksheets_are_refused_with_file_sheet_and_row(capsys, seeded_backend, tmp_path, case):
    url = seeded_backend.target.url
    rows, message = BAD_ROWS[case]
    result = import_plan(capsys, url, write_book(tmp_path / "plan.xlsx", rows))
    assert result.code == 1
    assert message in result.err
    assert result.err.startswith("Fel: ") and result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert years(url) == [2022, 2024]


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = write_book(tmp_path / "good.xlsx", [HEADER, ("Ekonomi", "Risk A.", "Gör B.")])
    files: dict[str, tuple[Path, str]] = {}

    corrupt = tmp_path / "trasig.xlsx"
    corrupt.write_bytes(good.read_bytes()[:700])
    files["corrupt zip"] = (corrupt, "Filen trasig.xlsx är skadad eller ingen Excel-arbetsbok")

    hollow = tmp_path / "utan-blad.xlsx"
    hollow.write_bytes(_zip_without(good, "xl/workbook.xml"))
    files["zip without workbook"] = (hollow, "Filen utan-blad.xlsx är skadad")

    broken_sheet = tmp_path / "halvt-blad.xlsx"
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    broken_sheet.write_bytes(out.getvalue())
    files["damaged sheet"] = (broken_sheet, "Filen halvt-blad.xlsx är skadad")

    locked = tmp_path / "lösen.xlsx"
    with good.open("rb") as source, locked.open("wb") as target:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("hemligt", target)
    files["password"] = (locked, "Filen lösen.xlsx är lösenordsskyddad")

    old = tmp_path / "gammal.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    files["xls"] = (old, "Filen gammal.xls är i det gamla Excel-formatet (.xls)")

    ods = tmp_path / "plan.ods"
    ods.write_bytes(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet")
    files["ods"] = (ods, "Filen plan.ods är ett OpenDocument-kalkylblad (.ods)")

    not_a_book = tmp_path / "text.xlsx"
    not_a_book.write_text("Verksamhet\tRisk\tÅtgärd\n", encoding="utf-8")
    files["text named xlsx"] = (not_a_book, "Filen text.xlsx är ingen Excel-arbetsbok (.xlsx).")

    files["no such sheet"] = (good, "Bladet ”Budget” finns inte i good.xlsx; bladen är ”Plan”.")
    return files


@pytest.mark.postgres
@pytest.mark.parametrize(
    "case",
    [
        "corrupt zip",
        "zip without workbook",
        "password",
        "xls",
        "ods",
        "text named xlsx",
        "no such sheet",
    ],
)
def test_files_that_are_no_workbook_are_refused_naming_the_file(
    capsys, seeded_backend, tmp_path, case
):
    url = seeded_backend.target.url
    path, message = _bad_files(tmp_path)[case]
    extra = ("--blad", "Budget") if case == "no such sheet" else ()
    result = import_plan(capsys, url, path, *extra)
    assert result.code == 1
    assert message in result.err, result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert years(url) == [2022, 2024]


def test_blad_is_for_workbooks_only(capsys, db_url):
    result = import_plan(capsys, db_url, SEED_DOCUMENT_2024, "--blad", "Plan")
    assert result.code == 1
    assert "--blad gäller bara en Excel-arbetsbok (.xlsx)." in result.err


def test_rows_continue_a_risk_by_empty_or_repeated_cells():
    table = parse_sheet(
        sheet_rows(
            [
                ("Verksamhet", "Risk", "Åtgärd", "Brutto S", "Brutto K"),
                ("Ekonomi", "Risk A.", "Gör 1.", 2, 3),
                ("Ekonomi", "Risk A.", "Gör 2.", 2, 3),  # both repeated: the same risk
                (None, "  Risk   A. ", "Gör 3.", None, None),  # spacing is not a new risk
                ("", "", "Gör 4.", "", ""),
                (None, None, None),  # an empty row carries nothing
                (None, "Risk B.", "Gör 5.", None, None),  # verksamhet continues from above
                ("HR", "Risk A2.", "Gör 6.", 1.0, "4"),
            ]
        ),
        "Plan",
    )
    assert [(r.area_label, r.text, r.lines) for r in table.risks] == [
        ("Ekonomi", "Risk A.", (2,)),
        ("Ekonomi", "Risk B.", (7,)),
        ("HR", "Risk A2.", (8,)),
    ]
    assert [m.lines for m in table.risks[0].measures] == [(2,), (3,), (4,), (5,)]
    assert table.risks[2].brutto == Assessment(1, 4)


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        (
            [("Ekonomi", "Risk A.", "Gör 1.", 2, 3), ("", "Risk A.", "Gör 2.", 3, 3)],
            3,
            "Bruttovärdet skiljer sig från riskens rad ovanför",
        ),
        (
            [("Ekonomi", "Risk A.", "Gör 1.", None, None), ("HR", None, "Gör 2.", None, None)],
            3,
            "Verksamheten ”HR” saknar risk i kolumnen Risk.",
        ),
        (
            [(None, "Risk A.", "Gör 1.", None, None)],
            2,
            "Raden saknar verksamhet och det finns ingen verksamhet ovanför",
        ),
        (
            [("Ekonomi", "Risk A.", None, None, None, "Varje chef")],
            2,
            "Raden har en ansvarig men ingen åtgärd.",
        ),
        (
            [("Ekonomi", "Regionövergripande:", "Gör 1.", None, None)],
            2,
            "Risken har ingen text efter ”Regionövergripande:”.",
        ),
    ],
)
def test_rows_that_make_no_plan(rows, line, message):
    header = ("Verksamhet", "Risk", "Åtgärd", "Brutto S", "Brutto K", "Ansvarig")
    with pytest.raises(ImportFileError) as refused:
        parse_sheet(sheet_rows([header, *rows]), "Plan")
    assert refused.value.line == line
    assert message in refused.value.detail
