"""Tests for riskreg.domain.wordtable: the Word-exported plan table (DOMAIN.md §3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from riskreg.domain.errors import ImportFileError, InvalidInput
from riskreg.domain.wordtable import (
    ParsedMeasure,
    ParsedRisk,
    decode_table,
    format_lines,
    parse_lines,
    parse_plan_table,
    read_plan_table,
)
from tests.conftest import SEED_DOCUMENT_2024


@pytest.fixture(scope="module")
def seed_bytes() -> bytes:
    return SEED_DOCUMENT_2024.read_bytes()


@pytest.fixture(scope="module")
def seed_risks(seed_bytes: bytes) -> tuple[ParsedRisk, ...]:
    return read_plan_table(seed_bytes).risks


def _risk_at(risks: tuple[ParsedRisk, ...], line: int) -> ParsedRisk:
    matches = [risk for risk in risks if risk.lines[0] == line]
    assert len(matches) == 1, f"expected one risk starting on line {line}"
    return matches[0]


# --------------------------------------------------------------------------- the real seed


def test_seed_counts(seed_risks: tuple[ParsedRisk, ...]) -> None:
    # DOMAIN.md §3 says 18 risks / 26 åtgärder, lines 704–737; that count misses the last
    # line. The file has no final newline, so `wc -l` says 737 but line 738 exists and holds
    # a second Forskning risk with its åtgärd (seed/plan-2024.toml also has 19 / 27).
    assert len(seed_risks) == 19
    assert sum(len(risk.measures) for risk in seed_risks) == 27
    labels = {risk.area_label for risk in seed_risks}
    assert len(labels) == 9
    assert "Informationsosäkerhet" in labels
    assert [risk.area_label for risk in seed_risks][:2] == ["HR", "Ekonomi"]
    assert seed_risks[0].lines == (705,)
    assert seed_risks[-1].lines == (738,)
    assert seed_risks[-1].measures[-1].text.endswith("via årliga universitetssjukvårdbokslut.")


def test_seed_first_column_measures(seed_risks: tuple[ParsedRisk, ...]) -> None:
    risk = _risk_at(seed_risks, 716)
    assert risk.area_label == "Ekonomi"
    assert risk.text == "Risk att beställningar över 10 tkr inte beslutsattesteras i tid"
    assert risk.measures == (
        ParsedMeasure("Öka antalet attestanter", False, (716,)),
        ParsedMeasure("Inventera/lägg beställningar tidigare", False, (717,)),
        ParsedMeasure("Avsätt tid för beslutsattestering på morgonen", False, (718,)),
    )
    # ... and the row after them is a real new verksamhet again.
    assert _risk_at(seed_risks, 719).area_label == "Informationsosäkerhet"
    assert "Inventera/lägg beställningar tidigare" not in {r.area_label for r in seed_risks}


def test_seed_page_split_cell(seed_risks: tuple[ParsedRisk, ...]) -> None:
    risk = _risk_at(seed_risks, 733)
    assert risk.area_label == "Medicinteknisk säkerhet"
    assert risk.text == (
        "Risken att berörda verksamheter inom Hälso- och sjukvården inte efterlever "
        "gällande lagstiftning rörande medicintekniska produkter (MTP)."
    )
    assert risk.lines == (733, 736)
    assert risk.measures == (
        ParsedMeasure(
            "Regionservice, Medicinsk teknik och Hälso- och sjukvårdsförvaltningen, "
            "Utvecklingsenheten anpassar system och utbildar berörda verksamheter i "
            "reviderad riktlinje och handbok medicintekniska produkter (MTP).",
            False,
            (733, 736),
        ),
    )


def test_seed_region_wide_and_continuation_after_header(
    seed_risks: tuple[ParsedRisk, ...],
) -> None:
    hr = seed_risks[0]
    assert hr.area_label == "HR"
    assert hr.region_wide is True
    assert hr.text.startswith("Risk för ohälsa och olycksfall om systematiskt")
    assert "Regionövergripande" not in hr.text
    assert [m.lines for m in hr.measures] == [(705,), (706,), (709,)]
    assert all(m.region_wide for m in hr.measures)
    assert hr.measures[0].text.startswith("Varje chef ska hantera sina fördelade")
    # Line 709 comes after the blank line 707 and the repeated header on 708.
    assert hr.measures[2].text == (
        "Fördelande chef ska årligen stämma av hur arbetet med arbetsmiljöuppgifterna "
        "fungerar och att det finns förutsättningar för arbetsmiljöarbetet."
    )
    others = seed_risks[1:]
    assert not any(r.region_wide or any(m.region_wide for m in r.measures) for r in others)
    # Line 724 follows the header on 723: a new verksamhet, and 725 continues its risk.
    quality = _risk_at(seed_risks, 724)
    assert quality.area_label == "Kvalitet och utveckling"
    assert [m.lines for m in quality.measures] == [(724,), (725,)]


def test_seed_texts_kept_exact(seed_risks: tuple[ParsedRisk, ...]) -> None:
    texts = [r.text for r in seed_risks] + [m.text for r in seed_risks for m in r.measures]
    assert any("Infektionsverket" in t for t in texts)
    assert any("inte resurssetts eller efterlevs" in t for t in texts)
    assert _risk_at(seed_risks, 713).text == (
        "Risken att utbetalning sker av leverantörsfakturor som är bristfälliga/ felaktiga."
    )
    assert all(t == t.strip() and "  " not in t and "\t" not in t for t in texts)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda s: s.encode("utf-8-sig"), id="utf-8-sig"),
        pytest.param(lambda s: s.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda s: b"\xfe\xff" + s.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(lambda s: s.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(lambda s: s.encode("cp1252"), id="cp1252"),
        pytest.param(lambda s: s.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda s: (s + "\n").encode("utf-8"), id="final-newline"),
    ],
)
def test_seed_in_other_encodings(
    seed_bytes: bytes, seed_risks: tuple[ParsedRisk, ...], encode: Callable[[str], bytes]
) -> None:
    assert read_plan_table(encode(seed_bytes.decode("utf-8"))).risks == seed_risks


# --------------------------------------------------------------------------- synthetic table

TABLE = (
    "Inledande text som inte är en del av tabellen.\n"
    "\n"
    "Verksamhet\tRisk\tÅtgärd\n"  # line 3
    "Ekonomi\tRegionövergripande: Risken att  inköp görs utanför avtal.\t"
    "Regionövergripande åtgärd: Öka beställarkompetens.\n"  # 4
    "\t\tGör stickprov.\n"  # 5
    "Vidta åtgärder vid avvikelser\t\t\n"  # 6
    "\n"  # 7
    "Verksamhet\tRisk\tÅtgärd\n"  # 8
    "\t\tFölj upp årligen.\n"  # 9
    "\tRisken att kassan hanteras felaktigt och att\tKontrollera kassan enligt\n"  # 10
    "\n"  # 11
    "Verksamhet\tRisk\tÅtgärd\n"  # 12
    "\tpengar försvinner.\trutin.\n"  # 13
    "Hälsofrämjande\tRisken att samtal inte registreras.\t\n"  # 14
    "\t\tTa fram rapporter.\n"  # 15
    "Patientsäkerhet\tRisken för överanvändning av antibiotika (VRI).\tFölj upp resultat."  # 16
)

EXPECTED = (
    ParsedRisk(
        area_label="Ekonomi",
        text="Risken att inköp görs utanför avtal.",
        region_wide=True,
        lines=(4,),
        measures=(
            ParsedMeasure("Öka beställarkompetens.", True, (4,)),
            ParsedMeasure("Gör stickprov.", False, (5,)),
            ParsedMeasure("Vidta åtgärder vid avvikelser", False, (6,)),
            ParsedMeasure("Följ upp årligen.", False, (9,)),
        ),
    ),
    ParsedRisk(
        area_label="Ekonomi",
        text="Risken att kassan hanteras felaktigt och att pengar försvinner.",
        region_wide=False,
        lines=(10, 13),
        measures=(ParsedMeasure("Kontrollera kassan enligt rutin.", False, (10, 13)),),
    ),
    ParsedRisk(
        area_label="Hälsofrämjande",
        text="Risken att samtal inte registreras.",
        region_wide=False,
        lines=(14,),
        measures=(ParsedMeasure("Ta fram rapporter.", False, (15,)),),
    ),
    ParsedRisk(
        area_label="Patientsäkerhet",
        text="Risken för överanvändning av antibiotika (VRI).",
        region_wide=False,
        lines=(16,),
        measures=(ParsedMeasure("Följ upp resultat.", False, (16,)),),
    ),
)


def test_synthetic_table() -> None:
    assert parse_plan_table(TABLE) == EXPECTED


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(TABLE.encode("utf-8"), id="utf-8"),
        pytest.param(TABLE.encode("utf-8-sig"), id="utf-8-sig"),
        pytest.param(TABLE.encode("utf-16"), id="utf-16"),
        pytest.param(b"\xff\xfe" + TABLE.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(b"\xfe\xff" + TABLE.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(TABLE.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(TABLE.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(TABLE.encode("utf-32"), id="utf-32-bom"),
        pytest.param(TABLE.encode("cp1252"), id="cp1252"),
        pytest.param(TABLE.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(TABLE.replace("\n", "\r\n").encode("cp1252"), id="crlf-cp1252"),
        pytest.param(TABLE.replace("\n", "\r").encode("utf-8"), id="cr"),
    ],
)
def test_encodings_give_identical_records(data: bytes) -> None:
    assert read_plan_table(data).risks == EXPECTED


def test_decode_table_keeps_text() -> None:
    assert decode_table("Åtgärd\r\n".encode("utf-8-sig")) == "Åtgärd\r\n"
    assert decode_table("Åtgärd".encode("cp1252")) == "Åtgärd"
    assert decode_table("Åtgärd".encode("utf-16")) == "Åtgärd"
    assert decode_table(b"") == ""


def test_whitespace_and_unicode_normalised() -> None:
    text = (
        "Verksamhet\tRisk\tÅtgärd\n"
        " HR \t Risk\u00a0med\v radbrytning \t A\u030atgärd  ett \n"  # NBSP, \v, decomposed Å
    )
    (risk,) = parse_plan_table(text)
    assert risk.area_label == "HR"
    assert risk.text == "Risk med radbrytning"
    assert risk.measures == (ParsedMeasure("Åtgärd ett", False, (2,)),)


def test_header_is_case_insensitive_and_quotes_are_plain_text() -> None:
    text = 'VERKSAMHET\trisk\tåtgärd\nHR\tRisk "citerad"\t"Åtgärd"'
    (risk,) = parse_plan_table(text)
    assert risk.text == 'Risk "citerad"'
    assert risk.measures[0].text == '"Åtgärd"'


def test_uppercase_row_after_header_is_not_a_continuation() -> None:
    text = (
        "Verksamhet\tRisk\tÅtgärd\n"
        "HR\tRisk ett\tÅtgärd ett\n"
        "\n"
        "Verksamhet\tRisk\tÅtgärd\n"
        "\tRisk två\tÅtgärd två\n"  # 5
    )
    first, second = parse_plan_table(text)
    assert first.text == "Risk ett"
    assert first.measures == (ParsedMeasure("Åtgärd ett", False, (2,)),)
    assert second == ParsedRisk(
        "HR", "Risk två", False, (5,), (ParsedMeasure("Åtgärd två", False, (5,)),)
    )


def test_lowercase_row_without_page_break_is_a_new_risk() -> None:
    text = "Verksamhet\tRisk\tÅtgärd\nHR\tRisk ett\tÅtgärd ett\n\trisk två\tåtgärd två"
    risks = parse_plan_table(text)
    assert [r.text for r in risks] == ["Risk ett", "risk två"]


def test_split_measure_cell_only() -> None:
    text = (
        "Verksamhet\tRisk\tÅtgärd\n"
        "HR\tRisk ett.\tÅtgärd som fortsätter\n"
        "\n"
        "Verksamhet\tRisk\tÅtgärd\n"
        "\t\tpå nästa sida.\n"  # 5
    )
    (risk,) = parse_plan_table(text)
    assert risk.lines == (2,)
    assert risk.measures == (ParsedMeasure("Åtgärd som fortsätter på nästa sida.", False, (2, 5)),)


# --------------------------------------------------------------------------- errors

HEAD = "Text före tabellen.\nVerksamhet\tRisk\tÅtgärd\n"  # header on line 2


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        pytest.param("Verksamhet och risk\nInget här", None, "tabellrubrik", id="no-header"),
        pytest.param("Verksamhet\tRisk\nHR\tRisk", None, "tabellrubrik", id="two-col-header"),
        pytest.param(HEAD, 2, "tom", id="empty-table"),
        pytest.param(HEAD + "\n\nVerksamhet\tRisk\tÅtgärd\n\n", 2, "tom", id="only-headers"),
        pytest.param(HEAD + "HR\tRisk\tÅtgärd\nHR\tRisk två", 4, "2 kolumner", id="two-cols"),
        pytest.param(HEAD + "HR\tR\tÅ\tExtra", 3, "4 kolumner", id="four-cols"),
        pytest.param(HEAD + "HR\tR\tÅ\n\nEfterord utan tabb.", 5, "1 kolumn ", id="prose-after"),
        pytest.param(HEAD + "\tRisk\tÅtgärd", 3, "ingen verksamhet", id="risk-no-area"),
        pytest.param(HEAD + "\t\tÅtgärd", 3, "ingen risk", id="measure-no-risk"),
        pytest.param(HEAD + "HR\t\tÅtgärd", 3, "saknar risk", id="area-measure-no-risk"),
        pytest.param(HEAD + "HR\t\t", 3, "saknar risk", id="area-only"),
        pytest.param(HEAD + "HR\tRisk ett\t", 3, "saknar åtgärd", id="risk-no-measure-at-end"),
        pytest.param(
            HEAD + "HR\tRisk ett\t\n\tRisk två\tÅtgärd", 3, "saknar åtgärd", id="risk-no-measure"
        ),
        pytest.param(
            HEAD + "HR\tRisk ett\t\nEkonomi\tRisk två\tÅtgärd",
            3,
            "saknar åtgärd",
            id="risk-no-measure-new-area",
        ),
        pytest.param(
            HEAD + "HR\tRisk ett\t\nKanske åtgärd\t\t",
            3,
            "saknar åtgärd",
            id="first-col-no-measure",
        ),
        pytest.param(
            HEAD + "\n\nVerksamhet\tRisk\tÅtgärd\n\tfortsättning\tfortsättning",
            6,
            "ingen verksamhet",
            id="continuation-before-any-risk",
        ),
        pytest.param(
            HEAD + "HR\tRegionövergripande:\tÅtgärd", 3, "ingen text", id="empty-after-prefix"
        ),
    ],
)
def test_errors(text: str, line: int | None, fragment: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_plan_table(text)
    assert caught.value.line == line
    assert fragment in str(caught.value)
    if line is not None:
        assert str(caught.value).startswith(f"Rad {line}: ")


def test_risk_without_measure_allowed_when_measure_follows() -> None:
    (risk,) = parse_plan_table(HEAD + "HR\tRisk ett\t\n\t\tÅtgärd ett")
    assert risk.lines == (3,)
    assert risk.measures == (ParsedMeasure("Åtgärd ett", False, (4,)),)


@pytest.mark.parametrize(
    ("data", "fragment", "line"),
    [
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00", "Word-dokument (.docx)", None, id="docx"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc", None, id="doc"),
        pytest.param(b"%PDF-1.7\n", "PDF", None, id="pdf"),
        pytest.param(b"{\\rtf1\\ansi", "RTF", None, id="rtf"),
        pytest.param(b"abc\x00\x01\x02\xff\xfe\x00", "binära", 1, id="nul-bytes"),
        pytest.param(b"Verksamhet\t\x81\x8d", "teckenkodning", 1, id="undefined-cp1252"),
        pytest.param(b"\xef\xbb\xbfVerksamhet \xff", "teckenkodning", 1, id="bad-utf8-after-bom"),
        pytest.param(b"\xff\xfe\x00\xd8", "teckenkodning", 1, id="lone-surrogate-utf16"),
    ],
)
def test_undecodable_files(data: bytes, fragment: str, line: int | None) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_plan_table(data)
    assert caught.value.line == line
    assert fragment in str(caught.value)


# --------------------------------------------------------------------------- line notation


@pytest.mark.parametrize(
    ("lines", "spec"),
    [
        ((704, 705, 706), "704-706"),
        ((733, 736), "733,736"),
        ((705,), "705"),
        ((704, 705), "704-705"),
        ((1, 2, 3, 7, 9, 10), "1-3,7,9-10"),
        ((), ""),
    ],
)
def test_format_and_parse_lines(lines: tuple[int, ...], spec: str) -> None:
    assert format_lines(lines) == spec
    assert parse_lines(spec) == lines


def test_parse_lines_is_lenient_about_spaces() -> None:
    assert parse_lines(" 733 , 736 ") == (733, 736)
    assert parse_lines("704 - 706") == (704, 705, 706)


@pytest.mark.parametrize("spec", ["abc", "7,", "706-704", "0", "1-2-3", "-3"])
def test_parse_lines_rejects_garbage(spec: str) -> None:
    with pytest.raises(InvalidInput):
        parse_lines(spec)
