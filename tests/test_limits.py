"""The register's limits (``domain.limits``), verksamhet codes (``domain.codes``) and what
the table reader does with text that would break them (``domain.wordtable``)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest

from riskreg.db.models import Area, AuditEntry, Committee, IskAssessment, Plan, PlanRisk, Role
from riskreg.domain import limits
from riskreg.domain.codes import area_code
from riskreg.domain.errors import ImportFileError, InvalidInput
from riskreg.domain.wordtable import decode_table, read_plan_table

HEAD = "Verksamhet\tRisk\tÅtgärd\n"

# -- one definition: the models use the limits -----------------------------------------------


@pytest.mark.parametrize(
    ("column", "limit"),
    [
        (Committee.name, limits.COMMITTEE_NAME_MAX),
        (Committee.short_name, limits.SHORT_NAME_MAX),
        (Area.name, limits.AREA_NAME_MAX),
        (Area.code, limits.AREA_CODE_MAX),
        (Role.name, limits.ROLE_NAME_MAX),
        (Plan.dnr, limits.DNR_MAX),
        (PlanRisk.source, limits.SOURCE_MAX),
        (PlanRisk.accepted_by, limits.PERSON_MAX),
        (AuditEntry.actor, limits.ACTOR_MAX),
        (AuditEntry.entity_ref, limits.AUDIT_REF_MAX),
        (IskAssessment.handler, limits.HANDLER_MAX),
        (IskAssessment.dnr, limits.DNR_MAX),
    ],
)
def test_columns_are_as_long_as_the_limits(column: object, limit: int) -> None:
    assert column.type.length == limit  # type: ignore[attr-defined]


def test_stray_control_is_every_control_character_that_is_not_whitespace() -> None:
    expected = {
        chr(c)
        for c in range(1, 0xA0)
        if unicodedata.category(chr(c)) == "Cc" and not chr(c).isspace()
    }
    assert {chr(c) for c in range(0x110000) if limits.STRAY_CONTROL.match(chr(c))} == expected


# -- typed values -----------------------------------------------------------------------------


def test_a_value_that_fits_is_returned_unchanged() -> None:
    assert limits.checked("24RS12345", "Diarienumret", limits.DNR_MAX) == "24RS12345"
    assert limits.checked("Rad ett\nRad\ttvå", "Motiveringen", 100, multiline=True)


@pytest.mark.parametrize(
    ("value", "multiline", "message"),
    [
        ("x" * 41, False, "Diarienumret har 41 tecken men får ha högst 40."),
        ("a\x00b", False, "Diarienumret innehåller ett NUL-tecken (U+0000), som inte kan sparas"),
        ("a\nb", False, "Diarienumret innehåller styrtecknet U+000A"),
        ("a\x1bb", True, "Diarienumret innehåller styrtecknet U+001B"),
        ("a\x0bb", True, "Diarienumret innehåller styrtecknet U+000B"),
        ("a\x85b", True, "Diarienumret innehåller styrtecknet U+0085"),
    ],
)
def test_what_cannot_be_stored(value: str, multiline: bool, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        limits.checked(value, "Diarienumret", limits.DNR_MAX, multiline=multiline)


def test_the_actor_and_the_setting_that_names_it() -> None:
    limits.check_actor("anna", "Anna Andersson")
    limits.check_actor("x" * 100, None)
    with pytest.raises(InvalidInput, match=r"^RISKREG_USER har 41 tecken men får ha högst 40\.$"):
        limits.check_actor("anna", "A" * 41)
    with pytest.raises(InvalidInput, match=r"^Användarnamnet som ändringen sparas under har 101"):
        limits.check_actor("x" * 101)
    # whitespace in the setting is collapsed as it is where the name is made
    limits.check_actor("anna", "  Anna\t\tAndersson " + " " * 40)


def test_years_and_dates_within_reason() -> None:
    assert limits.check_year(2000) == 2000 and limits.check_year(2100) == 2100
    with pytest.raises(InvalidInput, match="mellan 2000 och 2100, inte 2101"):
        limits.check_year(2101)
    assert limits.check_date(None, "Datumet") is None
    assert limits.check_date(date(2025, 2, 12), "Datumet") == date(2025, 2, 12)
    with pytest.raises(InvalidInput, match=r"^Datumet 0025-02-12 ligger utanför åren 2000–2100"):
        limits.check_date(date(25, 2, 12), "Datumet")


def test_fit() -> None:
    assert limits.fit("kort", 10) == "kort"
    assert limits.fit("en lång text", 8) == "en lång…"
    assert len(limits.fit("x" * 300, 200)) == 200


# -- verksamhet codes -------------------------------------------------------------------------


def test_codes_are_letters_of_the_name_then_numbers() -> None:
    assert area_code("Ekonomi", set()) == "EK"
    assert area_code("Ekonomi", {"EK"}) == "EO"
    assert area_code("Kultur", {"KU"}) == "KL"
    assert area_code("Öppen vård", set()) == "OP"  # Ö reads as O
    assert area_code("2030-målen", set()) == "MA"  # digits are skipped
    assert area_code("123", set()) == "V1"  # no letter at all: V for verksamhet
    assert area_code("E", set()) == "E1"
    assert area_code("Ek", {"ek", "E1"}) == "E2"  # taken is compared case-insensitively


def test_codes_never_run_out_and_always_fit() -> None:
    taken: set[str] = set()
    for n in range(2000):
        code = area_code(f"Enhet {n}", taken)
        assert code not in taken and len(code) <= limits.AREA_CODE_MAX
        assert re.fullmatch(r"[A-Z][A-Z0-9]*", code)
        taken.add(code)
    assert len(taken) == 2000


def test_codes_are_deterministic() -> None:
    taken = {"EK", "EN"}
    assert area_code("Enhet", taken) == area_code("Enhet", set(taken)) == "EH"


# -- the table reader ---------------------------------------------------------------------


def test_cp1252_is_read_when_no_line_is_utf8() -> None:
    text = HEAD + "Ekonomi\tRisken för förseningar – ”stora”.\tÅtgärd\n"
    assert decode_table(text.encode("cp1252")) == text


def test_a_file_that_is_utf8_but_for_one_line_is_refused_at_that_line() -> None:
    data = (HEAD + "HR\tRisk ett\tÅtgärd\n").encode() + "HR\tRisk två\tÅtgärd\n".encode("cp1252")
    with pytest.raises(ImportFileError, match="blandar teckenkodningar") as caught:
        decode_table(data)
    assert caught.value.line == 3


def test_mixed_within_one_line_is_refused_too() -> None:
    data = HEAD.encode() + "HR\tRisk för ".encode() + "förseningar\tÅtgärd\n".encode("cp1252")
    with pytest.raises(ImportFileError, match="blandar teckenkodningar") as caught:
        decode_table(data)
    assert caught.value.line == 2


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_nul_is_refused_at_its_line(newline: str) -> None:
    text = (HEAD + "HR\tRisk\tÅtgärd\nHR\tRi\x00sk\tÅtgärd\n").replace("\n", newline)
    for encoding in ("utf-8", "utf-16", "utf-16-le", "cp1252"):
        with pytest.raises(ImportFileError, match="binära data") as caught:
            decode_table(text.encode(encoding))
        assert caught.value.line == 3, encoding


def test_control_characters_are_stripped_with_a_warning_for_table_lines_only() -> None:
    text = (
        "Förord\x07\n"
        + HEAD
        + "HR\tRisken\x07 att X.\tGör\x1b Y.\n"
        + "\t\tGör Z\x7f.\n"
        + "Ekonomi\tRisken\x0b att W.\tGör\x0cV.\n"  # Word's breaks in a cell: spaces
    )
    table = read_plan_table(text.encode())
    assert [r.text for r in table.risks] == ["Risken att X.", "Risken att W."]
    assert [m.text for m in table.risks[0].measures] == ["Gör Y.", "Gör Z."]
    assert table.risks[1].measures[0].text == "Gör V."
    assert table.warnings == (
        "Rad 3: tog bort styrtecknen U+0007, U+001B ur texten.",
        "Rad 4: tog bort styrtecknet U+007F ur texten.",
    )


def test_a_clean_file_has_no_warnings() -> None:
    assert read_plan_table((HEAD + "HR\tRisk\tÅtgärd\n").encode()).warnings == ()


def test_a_risk_split_over_a_page_break_is_measured_whole() -> None:
    long = "a" * 2000
    text = HEAD + f"HR\tR{long}\tÅtgärd\n\n{HEAD}\t{long}\t\n"
    with pytest.raises(ImportFileError, match="Risktexten har 4002 tecken") as caught:
        read_plan_table(text.encode())
    assert caught.value.line == 2
