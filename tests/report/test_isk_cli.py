"""``riskreg report isk`` and ``riskreg isk set|show`` through click's CliRunner on the
groups themselves, plus the real entry point for exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from riskreg.cli.common import CliState
from riskreg.cli.isk import isk_group, report_group
from riskreg.cli.main import main
from riskreg.domain.errors import InvalidInput, NotFound
from riskreg.report.output import default_file_name


def _run(group: object, db_url: str, *args: str) -> object:
    runner = CliRunner()
    state = CliState(db_url)
    try:
        return runner.invoke(group, list(args), obj=state)  # type: ignore[arg-type]
    finally:
        state.close()


def test_report_writes_the_pdf_and_prints_its_path(examples_url: str, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    target = out / "isk.pdf"
    result = _run(report_group, examples_url, "isk", "--year", "2024", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(target)
    assert "Klart:" in result.stderr and "exempeldata" in result.stderr
    reader = PdfReader(target)
    assert len(reader.pages) > 10
    assert [p.name for p in out.iterdir()] == ["isk.pdf"]  # no temporary files left


def test_the_default_file_name_says_nämnd_and_year(
    examples_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_file_name("Hälso- och sjukvårdsnämnden", 2024) == (
        "isk-bedomning-halso-och-sjukvardsnamnden-2024.pdf"
    )
    monkeypatch.chdir(tmp_path)
    result = _run(report_group, examples_url, "isk", "--år", "2024", "--nämnd", "HSN")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "isk-bedomning-halso-och-sjukvardsnamnden-2024.pdf").is_file()
    folder = tmp_path / "ut"
    folder.mkdir()
    result = _run(report_group, examples_url, "isk", "--year", "2024", "-o", str(folder))
    assert Path(result.stdout.strip()).parent == folder


def test_a_failed_build_leaves_nothing_behind(
    examples_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    target = out / "isk.pdf"
    target.write_bytes(b"the previous report")

    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("layout failed")

    with monkeypatch.context() as patch:
        patch.setattr("riskreg.report.isk_pdf.render_isk", broken)
        result = _run(report_group, examples_url, "isk", "--year", "2024", "-o", str(target))
    assert isinstance(result.exception, RuntimeError)
    assert target.read_bytes() == b"the previous report"

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("os.replace", full_disk)
        result = _run(report_group, examples_url, "isk", "--year", "2024", "-o", str(target))
    assert isinstance(result.exception, InvalidInput)
    assert "disken är full" in str(result.exception)
    assert target.read_bytes() == b"the previous report"
    assert [p.name for p in out.iterdir()] == ["isk.pdf"]  # the temporary file is gone


def test_unknown_year_and_empty_folder_are_user_errors(examples_url: str, tmp_path: Path) -> None:
    result = _run(
        report_group, examples_url, "isk", "--year", "2019", "-o", str(tmp_path / "x.pdf")
    )
    assert isinstance(result.exception, NotFound)
    assert not (tmp_path / "x.pdf").exists()
    missing = tmp_path / "saknas" / "x.pdf"
    result = _run(report_group, examples_url, "isk", "--year", "2024", "-o", str(missing))
    assert isinstance(result.exception, InvalidInput)


def test_set_and_show_the_conclusion(db_url: str) -> None:
    result = _run(
        isk_group,
        db_url,
        "set",
        "--year",
        "2024",
        "--betyg",
        "inte-tillräcklig",
        "--tjänsteställe",
        "Hälso- och sjukvårdsförvaltningen, verksamhetscontroller",
        "--handläggare",
        "Áŋđá Čšžŧ",
        "--styrning",
        "Målen i verksamhetsplanen nåddes i huvudsak; budgeten hölls.",
        "--sammanträdesdatum",
        "2025-02-12",
        "--dnr",
        "24RS12345",
        "--skickas-till",
        "Regionstyrelsen; Hälso- och sjukvårdsförvaltningen",
        "--förslag",
        "att godkänna bedömningen",
    )
    assert result.exit_code == 0, result.output
    assert "Sparade ISK-bedömningen" in result.stderr
    shown = _run(isk_group, db_url, "show", "--year", "2024", "--format", "json")
    data = json.loads(shown.stdout)
    assert data["betyg"] == "inte tillräcklig"
    assert data["dnr"] == "24RS12345"
    assert data["tjänsteställe"] == "Hälso- och sjukvårdsförvaltningen, verksamhetscontroller"
    assert data["handläggare"] == "Áŋđá Čšžŧ"
    assert data["styrning"] == "Målen i verksamhetsplanen nåddes i huvudsak; budgeten hölls."
    assert data["skickas_till"] == ["Regionstyrelsen", "Hälso- och sjukvårdsförvaltningen"]
    assert data["förslag_till_beslut"] == ["att godkänna bedömningen"]
    assert data["föreslaget_betyg"] == "inte tillräcklig"
    assert len(data["skäl"]) == 5
    # Only what is given changes.
    _run(isk_group, db_url, "set", "--year", "2024", "--dnr", "24RS99")
    text = _run(isk_group, db_url, "show", "--year", "2024").stdout
    assert "Dnr:" in text and "24RS99" in text and "inte tillräcklig" in text
    assert "Föreslaget betyg enligt registret: inte tillräcklig" in text


def test_set_checks_its_input(db_url: str) -> None:
    bad_grade = _run(isk_group, db_url, "set", "--betyg", "godkänd")
    assert bad_grade.exit_code == 2 and "Okänt betyg" in bad_grade.output
    bad_date = _run(isk_group, db_url, "set", "--sammanträdesdatum", "12/2 2025")
    assert bad_date.exit_code == 2 and "ÅÅÅÅ-MM-DD" in bad_date.output
    nothing = _run(isk_group, db_url, "set", "--year", "2024")
    assert isinstance(nothing.exception, InvalidInput)
    overrule = _run(isk_group, db_url, "set", "--year", "2024", "--betyg", "tillräcklig")
    assert isinstance(overrule.exception, InvalidInput)
    assert "motivering" in str(overrule.exception)
    with_reason = _run(
        isk_group,
        db_url,
        "set",
        "--year",
        "2024",
        "--betyg",
        "tillräcklig",
        "--motivering",
        "Uppföljningen dokumenterades utanför registret.",
    )
    assert with_reason.exit_code == 0 and "avviker från det föreslagna" in with_reason.stderr


def test_the_real_entry_point_turns_errors_into_exit_codes(
    examples_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(
            ["--db", examples_url, "report", "isk", "--year", "2019", "-o", str(tmp_path / "x.pdf")]
        )
    assert exited.value.code == 1
    assert "ingen plan för 2019" in capsys.readouterr().err


def test_the_cli_module_does_not_import_reportlab() -> None:
    code = (
        "import sys, riskreg.cli.isk, riskreg.cli.main\n"
        "assert 'reportlab' not in sys.modules, 'reportlab imported'\n"
        "assert 'riskreg.report' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_characters_the_font_lacks_are_listed_on_stderr(
    examples_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.clirun import run_cli

    named = run_cli(
        capsys, "--db", examples_url, "isk", "set", "--year", "2024", "--handläggare",
        "Ŋuolla Đuommá 中",
    )  # fmt: skip
    assert named.code == 0, named.err
    result = run_cli(
        capsys, "--db", examples_url, "report", "isk", "--year", "2024",
        "-o", str(tmp_path / "isk.pdf"),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Varning: typsnittet saknar 1 tecken" in result.err
    assert "中 (U+4E2D)" in result.err
    assert "Ŋ" not in result.err.split("Varning")[1]  # the Sámi letters print


def test_a_missing_font_is_one_swedish_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskreg.report import fonts

    monkeypatch.setattr(fonts, "_SYSTEM_DIRS", ())
    monkeypatch.setenv(fonts.FONT_DIR_VARIABLE, str(tmp_path))
    with pytest.raises(InvalidInput, match="installera paketen fonts-dejavu-core"):
        fonts.font_folder()
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        (tmp_path / f"{name}.ttf").symlink_to(f"/usr/share/fonts/truetype/dejavu/{name}.ttf")
    assert fonts.font_folder() == tmp_path
