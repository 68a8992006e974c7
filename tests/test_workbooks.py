"""Follow-up workbooks: created per role, filled in by an owner with openpyxl, read back
all or nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from riskreg.domain.scales import MeasureStatus
from riskreg.domain.workbook import DATA_SHEET, FIRST_ROW, HIDDEN_SHEET, INFO_SHEET
from riskreg.services import reviews
from riskreg.services.context import Context
from riskreg.services.plans import load_plan
from tests.clirun import Result, run_cli
from tests.workbook_owner import fill, keys

OWNER = "uppfoljning-2024-kv2-varje-chef.xlsx"  # HR-01/1 and HR-01/2
CONTROLLER = "uppfoljning-2024-kv2-utan-roll.xlsx"  # åtgärder without a role


def create(capsys: pytest.CaptureFixture[str], ctx: Context, folder: Path, *extra: str) -> Result:
    return run_cli(
        capsys, "--db", ctx.target.url, "workbooks", "create", "--year", "2024", "--period",
        "2", "--deadline", "2024-07-10", "-o", str(folder), *extra,
    )  # fmt: skip


def read(
    capsys: pytest.CaptureFixture[str], ctx: Context, *files: Path, dry: bool = False
) -> Result:
    args = ["--db", ctx.target.url, "workbooks", "read", *map(str, files)]
    return run_cli(capsys, *args, *(["--dry-run"] if dry else []))


def measure_review(ctx: Context, ref: str, number: int, quarter: int = 2):  # type: ignore[no-untyped-def]
    measure = load_plan(ctx, 2024).risk(ref).measures[number - 1]
    return next((r for r in measure.reviews if r.period.number == quarter), None)


def test_create_writes_one_locked_workbook_per_role(
    ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = create(capsys, ctx, tmp_path)
    assert result.code == 0, result.err
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert OWNER in names and CONTROLLER in names
    assert all(set(n) <= set("abcdefghijklmnopqrstuvwxyz0123456789-.") for n in names)
    assert keys(tmp_path / OWNER) == ["HR-01/1", "HR-01/2"]

    book = openpyxl.load_workbook(tmp_path / OWNER)
    assert book.sheetnames == [INFO_SHEET, DATA_SHEET, HIDDEN_SHEET]
    assert book[HIDDEN_SHEET].sheet_state == "veryHidden"
    assert "Svara senast 2024-07-10" in book[INFO_SHEET]["A2"].value
    sheet = book[DATA_SHEET]
    assert sheet["A1"].value == "Uppföljning 2024 kv 2 – Varje chef"
    assert "Svara senast 2024-07-10" in sheet["A2"].value
    assert sheet.protection.sheet and not sheet.protection.password  # see followup_xlsx
    first = FIRST_ROW
    assert sheet.cell(first, 1).protection.locked  # Id
    assert sheet.cell(first, 4).protection.locked  # Åtgärd
    assert not sheet.cell(first, 11).protection.locked  # Status
    assert not sheet.cell(first, 16).protection.locked  # Netto S on the risk's first row
    assert sheet.cell(first + 1, 16).protection.locked  # ... and only there
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert rules[f"K{first}"].formula1 == '"ej påbörjad,pågående,genomförd,ej genomförd,utgår"'
    assert (rules[f"P{first}"].type, rules[f"P{first}"].formula1, rules[f"P{first}"].formula2) == (
        "whole",
        "1",
        "4",
    )

    again = create(capsys, ctx, tmp_path)
    assert again.code == 1 and "--ersätt" in again.err and "Traceback" not in again.err
    assert create(capsys, ctx, tmp_path, "--ersätt").code == 0


def test_create_refuses_a_locked_period_and_an_unknown_role(
    ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = load_plan(ctx, 2024).plan
    reviews.lock_period(ctx, plan.id, 2)
    locked = create(capsys, ctx, tmp_path)
    assert locked.code == 1 and "kv 2 är låst" in locked.err
    unknown = run_cli(
        capsys, "--db", ctx.target.url, "workbooks", "create", "--year", "2024", "--period",
        "3", "--roll", "Rektor", "-o", str(tmp_path),
    )  # fmt: skip
    assert unknown.code == 1 and "Rollen ”Rektor”" in unknown.err
    assert not list(tmp_path.glob("*.xlsx"))


def test_owner_answers_are_saved_marked_and_logged(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    assert create(capsys, ctx, tmp_path).code == 0
    fill(
        tmp_path / OWNER,
        {
            "HR-01/1": {
                "Status": "Genomförd",
                "Kommentar": '=HYPERLINK("http://x")',
                "Netto S (1–4)": 2,
                "Netto K (1–4)": 3,
            },
            "HR-01/2": {
                "Avvikelse": "-rutinen saknas",
                "Allvarlighet": "måttlig",
                "Status": "pågående",
            },
        },
    )
    dry = read(capsys, ctx, tmp_path / OWNER, dry=True)
    assert dry.code == 0, dry.err
    assert "HR-01/1: inget svar → genomförd" in dry.out and "Inget sparades" in dry.err
    assert measure_review(ctx, "HR-01", 1) is None

    result = read(capsys, ctx, tmp_path / OWNER)
    assert result.code == 0, result.err
    saved = measure_review(ctx, "HR-01", 1)
    assert saved is not None
    assert (saved.status, saved.comment) == (MeasureStatus.DONE, '=HYPERLINK("http://x")')
    assert saved.source == "arbetsbok från Varje chef"  # by the person reading it in
    second = measure_review(ctx, "HR-01", 2)
    assert second is not None and second.deviation == "-rutinen saknas"
    netto = load_plan(ctx, 2024).risk("HR-01").reviews[-1]
    assert (netto.netto.label, netto.source) == ("2×3", "arbetsbok från Varje chef")

    log = run_cli(
        capsys, "--db", ctx.target.url, "audit", "log", "--ref", "HR-01", "--format", "json"
    )
    vias = [e["efter"].get("via") for e in json.loads(log.out) if e["efter"]]
    assert vias.count("arbetsbok från Varje chef") == 3
    status = run_cli(
        capsys, "--db", ctx.target.url, "workbooks", "status", "--year", "2024", "--period", "2"
    )
    line = next(x for x in status.out.splitlines() if x.startswith("Varje chef"))
    assert "2 av 2" in line and "nej" not in line

    twice = read(capsys, ctx, tmp_path / OWNER)
    assert twice.code == 1 and "lästes redan in" in twice.err


def test_a_bad_file_saves_nothing_from_any_file(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    assert create(capsys, ctx, tmp_path).code == 0
    fill(tmp_path / OWNER, {"HR-01/1": {"Status": "genomförd"}})
    rows = fill(
        tmp_path / CONTROLLER,
        {
            "EK-02/1": {"Status": "klar"},
            "EK-03/1": {"Netto S (1–4)": "2,5", "Netto K (1–4)": 2},
            "EK-06/1": {"Risk": "En annan risk"},  # a locked cell
        },
    )
    result = read(capsys, ctx, tmp_path / OWNER, tmp_path / CONTROLLER)
    assert result.code == 1
    place = f"{CONTROLLER}, bladet Åtgärder, rad"
    assert f"{place} {rows['EK-02/1']}, kolumnen Status: Okänd status ”klar”" in result.err
    assert f"{place} {rows['EK-03/1']}, kolumnen Netto S: ska vara ett heltal, inte ”2,5”" in (
        result.err
    )
    assert f"{place} {rows['EK-06/1']}: låsta celler för åtgärd EK-06/1 har ändrats" in result.err
    assert "Inget sparades från någon av filerna" in result.err and "Traceback" not in result.err
    assert measure_review(ctx, "HR-01", 1) is None  # the good file was not saved either
    assert read(capsys, ctx, tmp_path / OWNER).code == 0  # nor recorded as read


def test_a_row_changed_since_the_workbook_was_made_is_a_conflict(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    assert create(capsys, ctx, tmp_path).code == 0
    plan = load_plan(ctx, 2024)
    measure = plan.risk("HR-01").measures[0]
    reviews.record_measure_review(ctx, plan.plan.id, measure.id, 2, MeasureStatus.NOT_DONE)
    fill(
        tmp_path / OWNER,
        {"HR-01/1": {"Status": "genomförd"}, "HR-01/2": {"Status": "pågående"}},
    )
    result = read(capsys, ctx, tmp_path / OWNER)
    assert result.code == 0, result.err
    assert "KONFLIKT HR-01/1: ändrad i riskreg av" in result.out
    assert "I riskreg: ej genomförd. I arbetsboken: genomförd. Sparas inte." in result.out
    kept = measure_review(ctx, "HR-01", 1)
    assert kept is not None and kept.status is MeasureStatus.NOT_DONE and kept.source is None
    saved = measure_review(ctx, "HR-01", 2)
    assert saved is not None and saved.status is MeasureStatus.IN_PROGRESS


def test_a_locked_period_and_another_period_are_refused(
    seeded_backend: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = seeded_backend
    assert create(capsys, ctx, tmp_path).code == 0
    fill(tmp_path / OWNER, {"HR-01/1": {"Status": "genomförd"}})
    other = tmp_path / "kv3"
    other.mkdir()
    made = run_cli(
        capsys, "--db", ctx.target.url, "workbooks", "create", "--year", "2024", "--period",
        "3", "--roll", "Varje chef", "-o", str(other),
    )  # fmt: skip
    assert made.code == 0, made.err
    mixed = read(capsys, ctx, tmp_path / OWNER, *other.glob("*.xlsx"))
    assert mixed.code == 1 and "gäller 2024 kv 3, inte 2024 kv 2" in mixed.err

    reviews.lock_period(ctx, load_plan(ctx, 2024).plan.id, 2)
    locked = read(capsys, ctx, tmp_path / OWNER)
    assert locked.code == 1 and f"{OWNER}: perioden 2024 kv 2 är låst" in locked.err
    assert measure_review(ctx, "HR-01", 1) is None


def _delete_row(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    book[DATA_SHEET].delete_rows(FIRST_ROW + 1)
    book.save(path)


def _duplicate_row(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    sheet.append([c.value for c in sheet[FIRST_ROW]])
    book.save(path)


def _as_xls(path: Path) -> Path:
    target = path.with_suffix(".xls")  # the OLE2 container of Excel 97–2003
    target.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"Workbook")
    return target


def _password(path: Path) -> Path:
    # An encrypted .xlsx is an OLE2 container with an EncryptionInfo stream.
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
    )
    return path


def _ods(path: Path) -> Path:
    target = path.with_suffix(".ods")
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return target


def _not_ours(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["Id", "Status"])
    book.save(path)
    return path


def _corrupt(path: Path) -> Path:
    path.write_bytes(path.read_bytes()[:2000])
    return path


def _hidden_edited(path: Path) -> Path:
    book = openpyxl.load_workbook(path)
    book[HIDDEN_SHEET]["B6"] = "2023"  # the year
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda p: (_delete_row(p), p)[1], "raden för åtgärd HR-01/2 saknas"),
        (lambda p: (_duplicate_row(p), p)[1], "åtgärd HR-01/1 finns på flera rader"),
        (_as_xls, "sparad som .xls"),
        (_ods, "OpenDocument (.ods)"),
        (_password, "lösenordsskyddad"),
        (_not_ours, "kommer inte från riskreg workbooks create"),
        (_corrupt, "ingen Excel-arbetsbok (.xlsx) eller är skadad"),
        (_hidden_edited, "dolda uppgifter har ändrats"),
    ],
)
def test_spoiled_files_get_one_sentence_each(
    ctx: Context,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    spoil: Callable[[Path], Path],
    message: str,
) -> None:
    assert create(capsys, ctx, tmp_path).code == 0
    fill(tmp_path / CONTROLLER, {"EK-02/1": {"Status": "genomförd"}})
    spoiled = spoil(tmp_path / OWNER)
    result = read(capsys, ctx, tmp_path / CONTROLLER, spoiled)
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if line.startswith("Fel: ")]
    assert len(problems) == 1 and message in problems[0] and spoiled.name in problems[0]
    assert "Traceback" not in result.err
    assert measure_review(ctx, "EK-02", 1) is None


def test_hostile_register_text_is_written_as_text_and_reads_back(
    ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from riskreg.services.editing import MeasureFields, add_measure

    plan = load_plan(ctx, 2024)
    hostile = '=HYPERLINK("http://evil","klicka") &amp; <b>-1'
    add_measure(
        ctx,
        plan.plan.id,
        plan.risk("HR-01").id,
        MeasureFields(hostile, roles=("Varje chef",)),
        reason="Test av text som ser ut som en formel",
    )
    assert create(capsys, ctx, tmp_path).code == 0
    sheet = openpyxl.load_workbook(tmp_path / OWNER)[DATA_SHEET]
    cell = next(c for c in sheet["D"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert (cell.data_type, cell.value) == ("s", hostile)  # a string, never a formula
    fill(tmp_path / OWNER, {"HR-01/4": {"Status": "@SUM(1)"}})  # not a status: refused
    bad = read(capsys, ctx, tmp_path / OWNER)
    assert bad.code == 1 and "Okänd status ”@SUM(1)”" in bad.err
    fill(tmp_path / OWNER, {"HR-01/4": {"Status": "pågående", "Kommentar": "@SUM(1)"}})
    assert read(capsys, ctx, tmp_path / OWNER).code == 0
    saved = measure_review(ctx, "HR-01", 4)
    assert saved is not None and saved.comment == "@SUM(1)"


def test_the_review_view_model_says_an_answer_came_from_a_workbook() -> None:
    from datetime import UTC, datetime

    from riskreg.domain.records import MeasureReviewRecord, PeriodRef
    from riskreg.tui.model.review import source_note

    def answer(source: str | None) -> MeasureReviewRecord:
        at = datetime(2024, 5, 2, tzinfo=UTC)
        period = PeriodRef(2024, 2)
        status = MeasureStatus.DONE
        return MeasureReviewRecord(period, status, None, "", None, None, "anna", at, 1, source)

    assert source_note(answer("arbetsbok från Varje chef")) == "via arbetsbok från Varje chef"
    assert source_note(answer(None)) == "" and source_note(None) == ""
