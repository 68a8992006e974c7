"""The README's "Kom igång med er egen nämnd" runs as written: its ```sh blocks, in order,
in a fresh folder with ``riskreg`` on the PATH, every command exiting 0. The section can
never drift from the program."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import xlsxwriter

from tests.clirun import run_cli

ROOT = Path(__file__).parents[1]
SECTION = "## Kom igång med er egen nämnd"
EXAMPLE = ROOT / "seed" / "exempel" / "socialnamnden-2026.txt"


def section_commands() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    blocks = re.findall(r"^```sh\n(.*?)^```$", text[start:end], flags=re.S | re.M)
    assert len(blocks) >= 7, "the section's steps are ```sh blocks"
    return "\n".join(blocks)


def test_the_readme_section_runs_from_an_empty_database_to_the_report(tmp_path):
    work = tmp_path / "klon"
    shutil.copytree(EXAMPLE.parent, work / "seed" / "exempel")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "riskreg"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m riskreg "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKREG_")}
    env |= {
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        "HOME": str(tmp_path / "hem"),
        "XDG_DATA_HOME": str(tmp_path / "hem" / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "hem" / "config"),
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    script = (
        "set -euo pipefail\n"
        "trap 'echo \"MISSLYCKADES: $BASH_COMMAND\" >&2' ERR\n" + section_commands()
    )
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    err, out = done.stderr, done.stdout
    assert "Traceback" not in err
    for said in (
        "Registret är tomt och fylls aldrig med exempelplanerna.",
        "Lade till Socialnämnden (SN).",
        "Alias för Socialnämnden: Sociala nämnden.",
        "Skulle skapa planen Socialnämnden 2026: 3 risker, 4 åtgärder",
        "Skapade planen Socialnämnden 2026: 3 risker, 4 åtgärder, nya verksamheter: "
        "Biståndshandläggning, Ekonomi, Informationssäkerhet. Planen är ett utkast.",
        "Planen Socialnämnden 2026 är fastställd 2026-01-28.",
        "BI-01 2026 T1: netto 4×3 sparat.",
        "BI-01/1 2026 T1: pågående, avvikelse (måttlig) sparat.",
        "Socialnämnden 2026 T1 är låst (3 av 3 risker och 4 av 4 åtgärder).",
        "Sparade ISK-bedömningen för Socialnämnden 2026",
        "Loggens hashkedja är hel",
    ):
        assert said in err, f"{said!r} saknas i:\n{err}"
    assert re.search(r"^Socialnämnden\s+SN\s+Sociala nämnden\s*$", out, flags=re.M), out
    assert out.count("BI-01 Biståndshandläggning") == 2  # the risks table, twice
    pdf = work / "rapporter" / "isk-bedomning-socialnamnden-2026.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert str(pdf) in out
    # Only the own nämnd: the register was never seeded, not even by its first use.
    url = f"sqlite:///{work / 'min.db'}"
    assert [e["händelse"] for e in _log(url)][:2] == ["skapade tomt register", "lade till nämnd"]
    assert not (tmp_path / "hem" / "data" / "riskreg").exists()


def _log(url: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "riskreg", "--db", url, "audit", "log", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout))


def test_the_example_plan_as_a_workbook_imports_the_same_plan(capsys, tmp_path):
    """The README offers an .xlsx with the same columns instead of the text table."""
    book = tmp_path / "socialnamnden-2026.xlsx"
    with xlsxwriter.Workbook(str(book), {"strings_to_formulas": False}) as workbook:
        sheet = workbook.add_worksheet("Plan")
        for row, line in enumerate(EXAMPLE.read_text(encoding="utf-8").splitlines()):
            sheet.write_row(row, 0, line.split("\t"))
    found = {}
    for name, source in (("text", EXAMPLE), ("xlsx", book)):
        url = f"sqlite:///{tmp_path / (name + '.db')}"
        for args in (
            ("init", "--tom"),
            ("nämnd", "add", "Socialnämnden", "--kortnamn", "SN"),
            ("import", "plan", str(source), "--year", "2026", "--nämnd", "SN"),
        ):
            result = run_cli(capsys, "--db", url, *args)
            assert result.code == 0, result.err
        listed = run_cli(capsys, "--db", url, "risks", "--year", "2026", "--format", "json")
        found[name] = [(r["ref"], r["risk"], r["åtgärder"]) for r in json.loads(listed.out)]
    assert found["xlsx"] == found["text"]
    assert [ref for ref, _, _ in found["text"]] == ["BI-01", "EK-01", "IN-01"]
