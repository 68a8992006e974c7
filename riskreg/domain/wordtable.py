"""Reading a Word-exported internkontrollplan table (Verksamhet, Risk, Åtgärd) into records.

This module owns the bytes-to-records step of ``riskreg import plan FILE``: finding the
text encoding of the exported file (and refusing a file that mixes two), finding the
TAB-separated table in it, and undoing what Word's page breaks do to the table (repeated
header rows, cells split over two pages, åtgärder that land in the first column). It checks
what the register's limits allow (``domain.limits``) so that every problem is reported with
its line before anything is written, strips stray control characters with a warning, and
owns the compact line-number notation ("733,736", "704-706") used to keep source line
numbers as provenance.

It does not touch the database and knows nothing about plan years or nämnder: the import
service takes the returned records and writes them. Every problem with the file is an
``ImportFileError`` carrying one Swedish sentence and, when it helps, the 1-based line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from riskreg.domain import limits
from riskreg.domain.errors import ImportFileError, InvalidInput
from riskreg.domain.records import Assessment

__all__ = [
    "ParsedMeasure",
    "ParsedRisk",
    "PlanTable",
    "check_parsed",
    "clean_cell",
    "decode_table",
    "format_lines",
    "parse_lines",
    "parse_plan_table",
    "read_plan_table",
    "split_region_wide",
    "stripped_warning",
]

HEADER: tuple[str, str, str] = ("Verksamhet", "Risk", "Åtgärd")

# Compared casefolded, so a header typed "VERKSAMHET" or "åtgärd" still counts.
_HEADER_KEY = tuple(name.casefold() for name in HEADER)

# The "Regionövergripande" marker is written into the cell text, not a column of its own.
# Risks carry "Regionövergripande:" and åtgärder "Regionövergripande åtgärd:"; either form is
# accepted in either column because the two are easy to mix up when typing the plan.
_REGION_WIDE = re.compile(r"^regionövergripande(?:\s+(?:risk|åtgärd))?\s*:\s*", re.IGNORECASE)

_NO_HEADER = "Hittar ingen tabellrubrik med kolumnerna Verksamhet, Risk och Åtgärd."
_UNKNOWN_ENCODING = "Filen kan inte läsas: okänd teckenkodning (prova att spara som UTF-8)."
_MIXED_ENCODINGS = (
    "Filen blandar teckenkodningar: raden är inte UTF-8 som resten av filen. "
    "Spara hela filen som UTF-8 och importera den igen."
)

# Files that are clearly not exported text; the user most likely picked the document itself.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (
        b"PK\x03\x04",
        "Filen är ett Word-dokument (.docx) eller en zip-fil, inte text: "
        "spara tabellen som oformaterad text (.txt) i Word och importera den filen.",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "Filen är ett äldre Word-dokument (.doc), inte text: "
        "spara tabellen som oformaterad text (.txt) i Word och importera den filen.",
    ),
    (
        b"%PDF",
        "Filen är en PDF, inte text: "
        "exportera tabellen från Word som oformaterad text (.txt) och importera den filen.",
    ),
    (
        b"{\\rtf",
        "Filen är i RTF-format, inte oformaterad text: "
        "spara tabellen som oformaterad text (.txt) i Word och importera den filen.",
    ),
)
_BINARY = (
    "Filen innehåller binära data (ett NUL-tecken) och är ingen textfil: "
    "exportera tabellen från Word som oformaterad text (.txt)."
)

# A well-formed UTF-8 sequence of two to four bytes (RFC 3629: no overlong forms, no
# surrogates). Text in any single-byte encoding almost never contains one by chance.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


@dataclass(frozen=True)
class ParsedMeasure:
    """One åtgärd as read from the table, with the source lines its text came from."""

    text: str
    region_wide: bool
    lines: tuple[int, ...]
    responsible: tuple[str, ...] = ()  # role names from an Ansvarig column (workbooks)


@dataclass(frozen=True)
class ParsedRisk:
    """One risk row group: its verksamhet label, text, source lines and åtgärder in order."""

    area_label: str
    text: str
    region_wide: bool
    lines: tuple[int, ...]
    measures: tuple[ParsedMeasure, ...]
    brutto: Assessment | None = None  # from Brutto S and K columns (workbooks)


@dataclass(frozen=True)
class PlanTable:
    """The risks of an imported table and the warnings about what was changed on the way
    (one Swedish sentence each, starting with the line)."""

    risks: tuple[ParsedRisk, ...]
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- decoding


def decode_table(data: bytes) -> str:
    """Decode an exported table file: BOM first, then UTF-16 by its NULs, UTF-8, cp1252.

    Never guesses over a problem: a file that is UTF-8 except for some lines is refused
    with the first of them, as is a NUL character anywhere (the file is not plain text).
    """
    for signature, message in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ImportFileError(message)

    # UTF-32 is tested before UTF-16 because the UTF-32 LE BOM begins with the UTF-16 LE one.
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            # Behind a UTF-8 BOM, a line that is not UTF-8 is another encoding mixed in.
            wrong = _MIXED_ENCODINGS if codec == "utf-8" else _UNKNOWN_ENCODING
            return _without_nul(_decode_strict(data[len(bom) :], codec, wrong))

    # Notepad and some export tools write UTF-16 without a BOM; Swedish text then has a NUL
    # in (almost) every other byte, which neither UTF-8 nor cp1252 text ever contains.
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _without_nul(_decode_strict(data, utf16, _UNKNOWN_ENCODING))
    # Latin-1 maps each byte to the character of the same number, so the check sees the
    # NUL and the line breaks where UTF-8 and cp1252 have them, whatever the file is.
    _without_nul(data.decode("latin-1"))

    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _UTF8_MULTIBYTE.search(data):
        # Some of the file is UTF-8 and some is not: guessing one encoding for all of it
        # would garble the rest (a verksamhet "Ã–rebro"), so say where it breaks.
        raise ImportFileError(_MIXED_ENCODINGS, _line_number(data[:first_bad].decode("latin-1")))
    # No UTF-8 at all: Word's "Vanlig text" default on Swedish Windows is Windows-1252. Its
    # five undefined bytes make strict decoding fail, the only signal left that it is wrong.
    return _decode_strict(data, "cp1252", _UNKNOWN_ENCODING)


def _decode_strict(data: bytes, codec: str, wrong: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(codec, errors="replace")
        raise ImportFileError(wrong, _line_number(before)) from None


def _without_nul(text: str) -> str:
    at = text.find("\x00")
    if at >= 0:
        raise ImportFileError(_BINARY, _line_number(text[:at]))
    return text


def _line_number(before: str) -> int:
    """The 1-based line (as ``_numbered_lines`` counts them) of the character after ``before``."""
    return before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 2 or len(data) % 2:
        return None
    pairs = len(data) // 2
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    # Latin text in UTF-16 LE has its zero high bytes at odd offsets, BE at even offsets;
    # requiring a clear majority on one side keeps a stray NUL in a binary file from matching.
    if nul_odd * 2 > pairs and nul_even * 10 <= nul_odd:
        return "utf-16-le"
    if nul_even * 2 > pairs and nul_odd * 10 <= nul_even:
        return "utf-16-be"
    return None


# --------------------------------------------------------------------------- parsing


@dataclass
class _MeasureDraft:
    text: str
    region_wide: bool
    lines: list[int]

    def freeze(self) -> ParsedMeasure:
        return ParsedMeasure(self.text, self.region_wide, tuple(self.lines))


@dataclass
class _RiskDraft:
    area_label: str
    text: str
    region_wide: bool
    lines: list[int]
    measures: list[_MeasureDraft] = field(default_factory=list)

    def freeze(self) -> ParsedRisk:
        return ParsedRisk(
            area_label=self.area_label,
            text=self.text,
            region_wide=self.region_wide,
            lines=tuple(self.lines),
            measures=tuple(m.freeze() for m in self.measures),
        )


def read_plan_table(data: bytes) -> PlanTable:
    """Decode the file's bytes and parse the plan table in it. Control characters that
    are not whitespace are stripped first, with a warning for each table line that had
    some (lines before the table are not imported and not mentioned)."""
    text = decode_table(data)
    stripped = {
        number: sorted(set(limits.STRAY_CONTROL.findall(line)))
        for number, line in _numbered_lines(text)
        if limits.STRAY_CONTROL.search(line)
    }
    risks = parse_plan_table(limits.STRAY_CONTROL.sub("", text))
    used = {line for risk in risks for line in _lines_of(risk)}
    warnings = tuple(
        stripped_warning(number, found) for number, found in stripped.items() if number in used
    )
    return PlanTable(risks, warnings)


def _lines_of(risk: ParsedRisk) -> Iterator[int]:
    yield from risk.lines
    for measure in risk.measures:
        yield from measure.lines


def stripped_warning(line: int, found: list[str]) -> str:
    """The warning for control characters taken out of a table line's text."""
    codes = ", ".join(f"U+{ord(c):04X}" for c in found)
    what = f"styrtecknet {codes}" if len(found) == 1 else f"styrtecknen {codes}"
    return f"Rad {line}: tog bort {what} ur texten."


def parse_plan_table(text: str) -> tuple[ParsedRisk, ...]:
    """Parse the TAB-separated Verksamhet/Risk/Åtgärd table in ``text`` into risks in order.

    Lines are numbered from 1 in ``text``. Everything before the first header row is prose
    and ignored; from the header on, every non-blank line must be a three-column row. A
    name or text the register cannot store (``domain.limits``) and a risk or åtgärd that
    stands twice are refused here with their line, before PostgreSQL could refuse them
    without one or SQLite store them.
    """
    risks: list[_RiskDraft] = []
    area: str | None = None
    header_line: int | None = None
    # True while the previous non-blank line was a header repeated at a page break: only
    # there can a cell be split in two, so only there is a lower-case start a continuation.
    after_repeated_header = False

    for number, line in _numbered_lines(text):
        if header_line is None:
            if _is_header(line.split("\t")):
                header_line = number
            continue
        if not line.strip():
            # Blank lines (and rows whose cells are all empty) separate pages; they carry
            # nothing, and the group before them goes on after the repeated header.
            continue
        raw_cells = line.split("\t")
        if _is_header(raw_cells):
            after_repeated_header = True
            continue
        if len(raw_cells) != len(HEADER):
            raise ImportFileError(
                f"Raden har {_columns(len(raw_cells))} men tabellen ska ha 3 "
                f"({', '.join(HEADER[:-1])} och {HEADER[-1]}).",
                number,
            )
        label, risk_text, measure_text = (clean_cell(cell) for cell in raw_cells)
        current = risks[-1] if risks else None

        page_break, after_repeated_header = after_repeated_header, False
        if (
            page_break
            and not label
            and current is not None
            and _continues_split_cell(current, risk_text, measure_text)
        ):
            _continue_split_cell(current, risk_text, measure_text, number)
            continue

        if label and risk_text:
            _require_measures(current)
            area = _fitting(label, "Verksamhetens namn", limits.AREA_NAME_MAX, number)
            risks.append(_new_risk(area, risk_text, number))
            if measure_text:
                _add_measure(risks[-1], measure_text, number)
        elif label and not measure_text:
            # Word sometimes drops an åtgärd's paragraph into the first column, leaving the
            # other two cells empty (lines 717-718 of the 2024 plan). Inside a risk that
            # already has åtgärder that is one more åtgärd, never a verksamhet without risk.
            if current is None or not current.measures:
                # Read as a new verksamhet: the risk above then ends without åtgärd, which
                # is the more useful thing to report when it happens.
                _require_measures(current)
                raise ImportFileError(
                    f"Verksamheten ”{label}” saknar risk i kolumnen Risk.", number
                )
            _add_measure(current, label, number)
        elif label:
            raise ImportFileError(f"Verksamheten ”{label}” saknar risk i kolumnen Risk.", number)
        elif risk_text:
            if area is None:
                raise ImportFileError(
                    "Raden saknar verksamhet och det finns ingen verksamhet ovanför att fortsätta.",
                    number,
                )
            _require_measures(current)
            risks.append(_new_risk(area, risk_text, number))
            if measure_text:
                _add_measure(risks[-1], measure_text, number)
        else:
            if current is None:
                raise ImportFileError(
                    "Raden har bara en åtgärd men det finns ingen risk ovanför som den kan "
                    "höra till.",
                    number,
                )
            _add_measure(current, measure_text, number)

    if header_line is None:
        raise ImportFileError(_NO_HEADER)
    if not risks:
        raise ImportFileError("Tabellen är tom: det finns inga rader under rubriken.", header_line)
    _require_measures(risks[-1])
    parsed = tuple(risk.freeze() for risk in risks)
    check_parsed(parsed)
    return parsed


def check_parsed(risks: tuple[ParsedRisk, ...]) -> None:
    """What every imported table must pass once it is read (Word table or worksheet):
    texts the register can store, and no risk or åtgärd standing twice."""
    _require_storable_texts(risks)
    _refuse_duplicates(risks)


def _numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    # str.splitlines() would also break on \v, \f and \x1c-\x1e, which Word uses inside
    # cells (manual line break, page break); only CR, LF and CRLF end a row.
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    yield from enumerate(normalised.split("\n"), start=1)


def clean_cell(cell: str) -> str:
    # NFC so that text from a decomposing exporter compares equal to typed text; every
    # whitespace run (incl. no-break space and Word's \v line break) becomes one space.
    return " ".join(unicodedata.normalize("NFC", cell).split())


def _is_header(raw_cells: list[str]) -> bool:
    return tuple(clean_cell(cell).casefold() for cell in raw_cells) == _HEADER_KEY


def _columns(count: int) -> str:
    return "1 kolumn" if count == 1 else f"{count} kolumner"


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def split_region_wide(text: str) -> tuple[str, bool]:
    match = _REGION_WIDE.match(text)
    if match is None:
        return text, False
    return text[match.end() :], True


def _new_risk(area: str, cell: str, number: int) -> _RiskDraft:
    text, region_wide = split_region_wide(cell)
    if not text:
        raise ImportFileError("Risken har ingen text efter ”Regionövergripande:”.", number)
    return _RiskDraft(area, text, region_wide, [number])


def _add_measure(risk: _RiskDraft, cell: str, number: int) -> None:
    text, region_wide = split_region_wide(cell)
    if not text:
        raise ImportFileError("Åtgärden har ingen text efter ”Regionövergripande åtgärd:”.", number)
    risk.measures.append(_MeasureDraft(text, region_wide, [number]))


def _require_measures(risk: _RiskDraft | None) -> None:
    # A risk row may leave Åtgärd empty when the åtgärd follows on the next row; checked
    # when the risk ends (next risk or end of table), with the line where the risk began.
    if risk is not None and not risk.measures:
        raise ImportFileError(f"Risken ”{_shorten(risk.text)}” saknar åtgärd.", risk.lines[0])


def _shorten(text: str) -> str:
    return limits.fit(text, 60)


def _fitting(value: str, what: str, limit: int, line: int) -> str:
    found = limits.problem(value, what, limit)
    if found is not None:
        raise ImportFileError(found, line)
    return value


def _require_storable_texts(risks: tuple[ParsedRisk, ...]) -> None:
    # After the table is read, because a cell split by a page break grows at its end.
    for risk in risks:
        _fitting(risk.text, "Risktexten", limits.TEXT_MAX, risk.lines[0])
        for measure in risk.measures:
            _fitting(measure.text, "Åtgärdstexten", limits.TEXT_MAX, measure.lines[0])


def _refuse_duplicates(risks: tuple[ParsedRisk, ...]) -> None:
    # The text is a risk's identity across years (and an åtgärd's under its risk), so the
    # same text twice would be one risk put twice into the same plan.
    seen: dict[str, int] = {}
    for risk in risks:
        first = seen.setdefault(risk.text, risk.lines[0])
        if first != risk.lines[0]:
            raise ImportFileError(
                f"Risken ”{_shorten(risk.text)}” står två gånger, på rad {first} och rad "
                f"{risk.lines[0]}: en risk kan bara stå en gång i planen.",
                risk.lines[0],
            )
        measures: dict[str, int] = {}
        for measure in risk.measures:
            first = measures.setdefault(measure.text, measure.lines[0])
            if first != measure.lines[0]:
                raise ImportFileError(
                    f"Åtgärden ”{_shorten(measure.text)}” står två gånger under samma risk, på "
                    f"rad {first} och rad {measure.lines[0]}.",
                    measure.lines[0],
                )


def _continues_split_cell(risk: _RiskDraft, risk_text: str, measure_text: str) -> bool:
    # A row right after a repeated header whose filled cells start in lower case is the
    # rest of cells that Word split at the page break (lines 733/736 of the 2024 plan).
    # A new risk or åtgärd starts with a capital letter; an empty risk cell with an
    # upper-case åtgärd is an ordinary further åtgärd and handled by the normal rules.
    if risk_text:
        return _starts_lower(risk_text)
    return _starts_lower(measure_text) and bool(risk.measures)


def _continue_split_cell(risk: _RiskDraft, risk_text: str, measure_text: str, number: int) -> None:
    if risk_text:
        risk.text = f"{risk.text} {risk_text}"
        risk.lines.append(number)
    if not measure_text:
        return
    if _starts_lower(measure_text) and risk.measures:
        last = risk.measures[-1]
        last.text = f"{last.text} {measure_text}"
        last.lines.append(number)
    else:
        _add_measure(risk, measure_text, number)


# --------------------------------------------------------------------------- line notation


def format_lines(lines: tuple[int, ...]) -> str:
    """Write line numbers compactly: ``(704, 705, 706)`` → ``"704-706"``, ``(733, 736)`` →
    ``"733,736"``. Only ascending neighbours are merged, so ``parse_lines`` gives back the
    same tuple for any input."""
    parts: list[str] = []
    index = 0
    while index < len(lines):
        end = index
        while end + 1 < len(lines) and lines[end + 1] == lines[end] + 1:
            end += 1
        parts.append(str(lines[index]) if end == index else f"{lines[index]}-{lines[end]}")
        index = end + 1
    return ",".join(parts)


_LINE_PART = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def parse_lines(spec: str) -> tuple[int, ...]:
    """Read the notation written by ``format_lines`` (``"733,736"``, ``"704-706"``)."""
    if not spec.strip():
        return ()
    result: list[int] = []
    for part in spec.split(","):
        match = _LINE_PART.match(part)
        if match is None:
            raise InvalidInput(
                f"Ogiltiga radnummer ”{spec}”: skriv t.ex. ”733,736” eller ”704-706”."
            )
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        if first < 1 or last < first:
            raise InvalidInput(
                f"Ogiltiga radnummer ”{spec}”: raderna börjar på 1 och ett intervall "
                "skrivs från lägre till högre."
            )
        result.extend(range(first, last + 1))
    return tuple(result)
