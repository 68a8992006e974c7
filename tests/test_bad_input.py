"""One answer on both databases: the same bad input gets the same sentence and exit code
on SQLite and on PostgreSQL, and nothing is written.

SQLite stores an over-long string or a NUL character without complaint where PostgreSQL
refuses it, so every limit is checked before the database (``riskreg.domain.limits``).
Each case runs through the real command line (``riskreg --db URL …``) against a seeded
register on each backend (``seeded_backend``; PostgreSQL when RISKREG_TEST_POSTGRES_URL
is set) and expects one exact stderr, so both backends are held to the same text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from riskreg.domain import lookup
from riskreg.domain.codes import area_code
from riskreg.domain.errors import InvalidInput
from riskreg.domain.scales import MeasureStatus, Severity
from riskreg.services import editing, plans, reviews
from riskreg.services.context import Context
from tests.clirun import Result, run_cli

HEAD = "Verksamhet\tRisk\tÅtgärd\n"
VALID = HEAD + "Ekonomi\tRisken att fakturor betalas två gånger.\tKontrollera dubbletter.\n"
IMPORT = ("import", "plan", "{file}", "--year", "2026", "--nämnd", "HSN")
NEW_COMMITTEE = ("import", "plan", "{file}", "--year", "2026", "--nämnd", "Kulturnämnden")
ISK = ("isk", "set", "--nämnd", "HSN", "--year", "2024")
BINARY = (
    "Filen innehåller binära data (ett NUL-tecken) och är ingen textfil: exportera tabellen "
    "från Word som oformaterad text (.txt)."
)
MIXED = (
    "Filen blandar teckenkodningar: raden är inte UTF-8 som resten av filen. Spara hela filen "
    "som UTF-8 och importera den igen."
)
LONG_USER = "Fel: RISKREG_USER har 41 tecken men får ha högst 40.\n"


def _utf8_then_cp1252(bom: bytes) -> bytes:
    good = (HEAD + "Ekonomi\tRisken att något går fel.\tÅtgärd ett\n").encode("utf-8")
    bad = "Ekonomi\tRisken för förseningar.\tÅtgärd två\n".encode("cp1252")
    return bom + good + bad


@dataclass(frozen=True)
class Case:
    """A bad input given on the command line, and the one answer expected on every backend."""

    id: str
    args: tuple[str, ...]
    err: str
    file: bytes = VALID.encode("utf-8")
    env: dict[str, str] = field(default_factory=dict)


REFUSED: tuple[Case, ...] = (
    # -- import plan: the nämnd given on the command line
    Case(
        "long-kortnamn",
        (*NEW_COMMITTEE, "--kortnamn", "K" * 21),
        "Fel: Kortnamnet har 21 tecken men får ha högst 20.\n",
    ),
    Case(
        "long-nämnd",
        ("import", "plan", "{file}", "--year", "2026", "--nämnd", "N" * 201, "--kortnamn", "N"),
        "Fel: Nämndens namn har 201 tecken men får ha högst 200.\n",
    ),
    Case(
        "kortnamn-taken",
        (*NEW_COMMITTEE, "--kortnamn", "hsn"),
        "Fel: Kortnamnet ”HSN” används redan av Hälso- och sjukvårdsnämnden (HSN).\n",
    ),
    Case(
        "year-out-of-range",
        ("import", "plan", "{file}", "--year", "1999", "--nämnd", "HSN"),
        "Fel: Planåret ska vara ett årtal mellan 2000 och 2100, inte 1999.\n",
    ),
    # -- import plan: the file
    Case(
        "long-verksamhet",
        IMPORT,
        "Fel: Rad 2: Verksamhetens namn har 201 tecken men får ha högst 200.\n",
        file=(HEAD + "V" * 201 + "\tRisken att X.\tGör Y.\n").encode("utf-8"),
    ),
    Case(
        "long-risk-text",
        IMPORT,
        "Fel: Rad 3: Risktexten har 4001 tecken men får ha högst 4000.\n",
        file=(HEAD + "HR\tRisken att X.\tGör Y.\nHR\t" + "R" * 4001 + "\tGör Z.\n").encode(),
    ),
    Case(
        "long-åtgärd-text",
        IMPORT,
        "Fel: Rad 2: Åtgärdstexten har 4001 tecken men får ha högst 4000.\n",
        file=(HEAD + "HR\tRisken att X.\t" + "Å" * 4001 + "\n").encode("utf-8"),
    ),
    Case(
        "nul-in-utf8-file",
        IMPORT,
        f"Fel: Rad 3: {BINARY}\n",
        file=(VALID + "HR\tRisken att\x00 X.\tGör Y.\n").encode("utf-8"),
    ),
    Case(
        "nul-in-utf16-file",
        IMPORT,
        f"Fel: Rad 3: {BINARY}\n",
        file=(VALID + "HR\tRisken att\x00 X.\tGör Y.\n").encode("utf-16"),
    ),
    Case(
        "nul-in-cp1252-file",
        IMPORT,
        f"Fel: Rad 2: {BINARY}\n",
        file=(HEAD + "HR\tRisken för\x00 X.\tGör Y.\n").encode("cp1252"),
    ),
    Case("mixed-utf8-cp1252", IMPORT, f"Fel: Rad 3: {MIXED}\n", file=_utf8_then_cp1252(b"")),
    Case(
        "mixed-after-utf8-bom",
        IMPORT,
        f"Fel: Rad 3: {MIXED}\n",
        file=_utf8_then_cp1252(b"\xef\xbb\xbf"),
    ),
    Case(
        "undefined-cp1252-byte",
        IMPORT,
        "Fel: Rad 2: Filen kan inte läsas: okänd teckenkodning (prova att spara som UTF-8).\n",
        file=(HEAD + "HR\tRisken för X.\tGör Y.\n").encode("cp1252").replace(b"X", b"\x81"),
    ),
    Case(
        "duplicate-risk",
        IMPORT,
        "Fel: Rad 4: Risken ”Risken att X.” står två gånger, på rad 2 och rad 4: en risk kan "
        "bara stå en gång i planen.\n",
        file=(
            HEAD + "HR\tRisken att X.\tGör Y.\nEkonomi\tRisken att Z.\tGör Y.\n"
            "Ekonomi\tRisken att X.\tGör W.\n"
        ).encode("utf-8"),
    ),
    Case(
        "duplicate-åtgärd",
        IMPORT,
        "Fel: Rad 3: Åtgärden ”Gör Y.” står två gånger under samma risk, på rad 2 och rad 3.\n",
        file=(HEAD + "HR\tRisken att X.\tGör Y.\n\t\tGör  Y.\n").encode("utf-8"),
    ),
    Case("long-user-import", IMPORT, LONG_USER, env={"RISKREG_USER": "U" * 41}),
    Case(
        "control-in-user",
        IMPORT,
        "Fel: RISKREG_USER innehåller styrtecknet U+0007, som inte kan sparas: ta bort det.\n",
        env={"RISKREG_USER": "Anna\x07"},
    ),
    # -- isk set
    Case(
        "nul-in-motivering",
        (*ISK, "--motivering", "Kontrollerna\x00 fungerar."),
        "Fel: Motiveringen innehåller ett NUL-tecken (U+0000), som inte kan sparas: ta bort det.\n",
    ),
    Case(
        "long-motivering",
        (*ISK, "--motivering", "Motivering.\n" * 400),
        "Fel: Motiveringen har 4799 tecken men får ha högst 4000.\n",
    ),
    Case(
        "long-dnr",
        (*ISK, "--dnr", "2" * 41),
        "Fel: Diarienumret har 41 tecken men får ha högst 40.\n",
    ),
    Case(
        "nul-in-dnr",
        (*ISK, "--dnr", "24RS\x0012345"),
        "Fel: Diarienumret innehåller ett NUL-tecken (U+0000), som inte kan sparas: ta bort det.\n",
    ),
    Case(
        "long-handläggare",
        (*ISK, "--tjänsteställe", "H" * 201),
        "Fel: Tjänstestället har 201 tecken men får ha högst 200.\n",
    ),
    Case(
        "long-handläggarnamn",
        (*ISK, "--handläggare", "H" * 201),
        "Fel: Handläggarens namn har 201 tecken men får ha högst 200.\n",
    ),
    Case(
        "escape-in-mottagare",
        (*ISK, "--skickas-till", "Ekonomi\x1b[2J"),
        "Fel: Mottagaren innehåller styrtecknet U+001B, som inte kan sparas: ta bort det.\n",
    ),
    Case(
        "far-meeting-date",
        (*ISK, "--sammanträdesdatum", "2999-02-12"),
        "Fel: Sammanträdesdatumet 2999-02-12 ligger utanför åren 2000–2100.\n",
    ),
    Case(
        "long-user-isk",
        (*ISK, "--dnr", "24RS12345"),
        LONG_USER,
        env={"RISKREG_USER": "U" * 41},
    ),
)


def _audit_rows(ctx: Context) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one())


def _run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    ctx: Context,
    case: Case,
) -> Result:
    path = tmp_path / "plan.txt"
    path.write_bytes(case.file)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    args = [arg.replace("{file}", str(path)) for arg in case.args]
    return run_cli(capsys, "--db", ctx.target.url, *args)


@pytest.mark.parametrize("case", REFUSED, ids=[case.id for case in REFUSED])
def test_bad_input_gets_one_sentence_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    seeded_backend: Context,
    case: Case,
) -> None:
    before = _audit_rows(seeded_backend)
    result = _run(capsys, monkeypatch, tmp_path, seeded_backend, case)
    assert (result.code, result.err, result.out) == (1, case.err, "")
    assert _audit_rows(seeded_backend) == before


# -- inputs that are repaired, with a warning, or that used to crash ------------------------


def test_control_characters_are_stripped_with_a_warning(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    seeded_backend: Context,
) -> None:
    case = Case(
        "control-characters",
        IMPORT,
        "Varning: Rad 4: tog bort styrtecknen U+0001, U+0007 ur texten.\n"
        "Skapade planen Hälso- och sjukvårdsnämnden 2026: 2 risker, 2 åtgärder. "
        "Planen är ett utkast.\n",
        file=(
            "Förord med \x07 som inte importeras\n"
            + VALID
            + "HR\tRisken att\x07 larmet tjuter.\tStäng av\x01 larmet.\n"
        ).encode("utf-8"),
    )
    result = _run(capsys, monkeypatch, tmp_path, seeded_backend, case)
    assert (result.code, result.err) == (0, case.err)
    assert result.out.splitlines()[1] == "HR-03\tHR\t1 åtgärd\tRisken att larmet tjuter."
    with seeded_backend.engine.connect() as conn:
        measures = conn.execute(
            text("SELECT text FROM plan_measure WHERE source = 'plan.txt rad 4'")
        ).scalars()
        assert list(measures) == ["Stäng av larmet."]


def test_a_long_file_name_gives_way_in_the_source_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeded_backend: Context
) -> None:
    # The source note ("<file> rad 2") is String(200); a file name may be 255 characters.
    path = tmp_path / ("plan-" + "x" * 240 + ".txt")
    path.write_bytes(VALID.encode("utf-8"))
    args = ("import", "plan", str(path), "--year", "2026", "--nämnd", "HSN")
    result = run_cli(capsys, "--db", seeded_backend.target.url, *args)
    assert result.code == 0, result.err
    with seeded_backend.engine.connect() as conn:
        source = conn.execute(
            text("SELECT source FROM plan_risk WHERE source LIKE 'plan-x%'")
        ).scalar_one()
    assert len(source) == 200 and source.endswith("… rad 2")


def test_verksamhet_codes_never_run_out(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    seeded_backend: Context,
) -> None:
    # 120 new verksamheter that all begin with E: the two-letter codes from "Enhet" are
    # soon taken (there were 103 codes in all before, then StopIteration).
    names = [f"Enhet {n}" for n in range(1, 121)]
    rows = "".join(f"{name}\tRisken att {name} saknar personal.\tBemanna.\n" for name in names)
    case = Case(
        "120-verksamheter",
        (*NEW_COMMITTEE[:-1], "Enhetsnämnden", "--kortnamn", "EN"),
        "",
        file=(HEAD + rows).encode("utf-8"),
    )
    result = _run(capsys, monkeypatch, tmp_path, seeded_backend, case)
    assert result.code == 0, result.err
    codes = [line.split("\t")[0].removesuffix("-01") for line in result.out.splitlines()]
    taken: list[str] = []
    for name in names:
        taken.append(area_code(name, taken))
    assert codes == taken
    assert codes[:6] == ["EN", "EH", "EE", "ET", "E1", "E2"] and codes[-1] == "E116"
    assert len(set(codes)) == 120 and max(len(code) for code in codes) <= 8


def test_two_texts_of_one_earlier_risk_become_two_risks(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    seeded_backend: Context,
) -> None:
    # A risk whose text was changed from one year to the next: a file that lists both
    # texts gets the history on the first and a new risk for the second, where the database
    # used to refuse the import as a "dubblett".
    def import_year(year: int, table: str) -> Result:
        args = ("import", "plan", "{file}", "--year", str(year), "--nämnd", "HSN")
        case = Case(str(year), args, "", file=(HEAD + table).encode("utf-8"))
        return _run(capsys, monkeypatch, tmp_path, seeded_backend, case)

    assert import_year(2026, "HR\tRisken att X.\tGör Y.\n").code == 0
    assert import_year(2027, "HR\tRisken att X.\tGör Y.\n").code == 0
    with seeded_backend.engine.begin() as conn:  # as if edited in the 2027 plan
        conn.execute(
            text(
                "UPDATE plan_risk SET text = 'Risken att X, ändrad.' "
                "WHERE plan_id = (SELECT id FROM plan WHERE year = 2027)"
            )
        )
    both = import_year(2028, "HR\tRisken att X.\tGör Y.\nHR\tRisken att X, ändrad.\tGör Y.\n")
    assert both.code == 0, both.err
    first, second = (line.split("\t") for line in both.out.splitlines())
    assert first[0] != second[0]
    assert first[3].endswith("(finns sedan tidigare år)")


SERVICE_CASES = [
    ("roll, 250 tecken", lambda ctx, s: editing.save_role(ctx, None, "R" * 250),
     "Rollens namn har 250 tecken men får ha högst 200."),
    ("roll med NUL", lambda ctx, s: editing.save_role(ctx, None, "Chef\x00"),
     "Rollens namn innehåller ett NUL-tecken (U+0000)"),
    ("kommentar med NUL", lambda ctx, s: reviews.record_risk_review(
        ctx, s.plan.id, s.risks[0].id, 1, 2, 2, "ok\x00"), "Kommentaren innehåller ett NUL-tecken"),
    ("avvikelse, 5000 tecken", lambda ctx, s: reviews.record_measure_review(
        ctx, s.plan.id, s.risks[0].measures[0].id, 1, MeasureStatus.IN_PROGRESS,
        deviation="x" * 5000, severity=Severity.MINOR), "Avvikelsen har 5000 tecken"),
    ("risktext med ESC", lambda ctx, s: editing.update_risk(
        ctx, s.plan.id, s.risks[0].id, s.risks[0].version,
        editing.RiskFields(area=s.risks[0].area, text="x\x1b[2J"), reason="Test."),
     "Risktexten innehåller styrtecknet U+001B"),
    ("acceptans, 300 tecken", lambda ctx, s: editing.accept_risk(
        ctx, s.plan.id, s.risks[0].id, s.risks[0].version, "N" * 300, "Skäl.", None),
     "Den som beslutade har 300 tecken"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "call", "message"), SERVICE_CASES, ids=[c[0] for c in SERVICE_CASES]
)
def test_services_refuse_the_same_way_on_both_databases(
    seeded_backend: Context, name: str, call, message: str
) -> None:
    snapshot = plans.load_plan(seeded_backend, 2024)
    with seeded_backend.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one()
    with pytest.raises(InvalidInput) as refused:
        call(seeded_backend, snapshot)
    assert message in str(refused.value), name
    with seeded_backend.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() == before


@pytest.mark.parametrize(
    "spelling",
    [
        "Hälsa- och sjukvårdsnämnden",
        "hälso-  och sjukvårdsnämnden",
        "HSN",
        "Hälso och sjukvårdsnämnden",
    ],
)
def test_known_spellings_of_a_nämnd_resolve(spelling: str) -> None:
    assert lookup.matches(spelling, ("Hälso- och sjukvårdsnämnden", "HSN"))
    assert not lookup.matches("Hälsonämnden", ("Hälso- och sjukvårdsnämnden", "HSN"))


def test_the_documents_spelling_of_the_nämnd_works_on_both_databases(
    capsys: pytest.CaptureFixture[str], seeded_backend: Context
) -> None:
    url = seeded_backend.engine.url.render_as_string(hide_password=False)
    spelling = "Hälsa- och sjukvårdsnämnden"
    listed = run_cli(capsys, "--db", url, "risks", "--nämnd", spelling, "--format", "json")
    assert listed.code == 0, listed.err
    assert {row["nämnd"] for row in json.loads(listed.out)} == {"Hälso- och sjukvårdsnämnden"}
    shown = run_cli(capsys, "--db", url, "isk", "show", "--nämnd", spelling, "--year", "2024")
    assert shown.code == 0, shown.err
    assert "Hälso- och sjukvårdsnämnden" in shown.out
