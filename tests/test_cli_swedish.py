"""The command line speaks Swedish all the way: every command's help, its placeholders and
its errors, including the ones click writes itself."""

from __future__ import annotations

import re

import click
import pytest

from riskreg.cli.main import cli
from tests.clirun import run_cli

ENGLISH = re.compile(r"\b(INTEGER|RANGE|FILE|FILENAME|PATH|DIRECTORY|FLOAT)\b|\[required\]")


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            paths += command_paths(sub, (*path, name))
    return paths


@pytest.mark.parametrize("path", command_paths(cli), ids=lambda p: " ".join(p) or "riskreg")
def test_every_help_text_is_swedish(capsys: pytest.CaptureFixture[str], path: tuple[str, ...]):
    result = run_cli(capsys, *path, "--help")
    assert result.code == 0
    assert result.out.startswith("Användning: riskreg")
    assert "Flaggor:" in result.out
    assert not ENGLISH.search(result.out), ENGLISH.search(result.out)


def test_placeholders_and_required_marks_are_swedish(capsys: pytest.CaptureFixture[str]):
    help_text = run_cli(capsys, "import", "plan", "--help").out
    assert "riskreg import plan [FLAGGOR] FIL" in help_text
    assert "--år, --year HELTAL" in help_text
    assert "[obligatorisk]" in help_text
    assert "--min-riskvärde, --min-riskvarde HELTAL" in run_cli(capsys, "risks", "--help").out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("risks", "--min-riskvärde", "x"), "Ogiltigt värde för '--min-riskvärde': 'x' är inte"),
        (("risks", "--year", "nästa"), "Ogiltigt värde för '--år'"),
        (("isk", "set", "--grade", "bra"), "Ogiltigt värde för '--betyg'"),
        (("import", "plan"), "Argument saknas 'FIL'"),
        (("import", "plan", "plan.txt", "--år", "2025"), "Flagga saknas '--nämnd'"),
    ],
)
def test_errors_name_the_swedish_option_only(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
):
    result = run_cli(capsys, *args)
    assert result.code == 2
    assert said in result.err
    for english in ("--year", "--grade", "--namnd", "--min-riskvarde", "FILE", "integer"):
        assert english not in result.err
