"""Follow-up periods: a plan year is followed up per kvartal (the default), per tertial or
per halvår. This module owns the rule: how many periods a year has, the months each
covers, how a period is labelled ("2024 kv 2", "2024 T2", "2024 H1") and how a user's
``--period`` text is read against the plan's kind.

The quarter label is history: reports of old years regenerate byte for byte and audit
entries already written (hash-chained) are searched by that text, so it never changes.
The new kinds follow the same order, year first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from riskreg.domain.errors import InvalidInput


class PeriodKind(StrEnum):
    QUARTER = "kvartal"
    TERTIAL = "tertial"
    HALF_YEAR = "halvår"

    @property
    def per_year(self) -> int:
        """How many periods a plan year has."""
        return _COUNT[self]

    @property
    def numbers(self) -> tuple[int, ...]:
        """The period numbers of a plan year, 1 first."""
        return tuple(range(1, self.per_year + 1))

    @property
    def last(self) -> int:
        return self.per_year

    def months(self, number: int) -> tuple[int, int]:
        """The first and last month (1–12) the period covers."""
        length = 12 // self.per_year
        return (number - 1) * length + 1, number * length

    def short(self, number: int) -> str:
        """The period without its year: "kv 2", "T2", "H1"."""
        if self is PeriodKind.QUARTER:
            return f"kv {number}"
        return f"{_PREFIX[self]}{number}"

    def heading(self, number: int) -> str:
        """A table column's heading: "Kv 2", "T2", "H1"."""
        if self is PeriodKind.QUARTER:
            return f"Kv {number}"
        return self.short(number)

    def label(self, year: int, number: int) -> str:
        """The period in full, year first: "2024 kv 2", "2024 T2", "2024 H1"."""
        return f"{year} {self.short(number)}"

    def named(self, number: int) -> str:
        """The period in running text: "kvartal 2", "tertial 2", "halvår 1"."""
        return f"{self.value} {number}"

    @property
    def capitalised(self) -> str:
        """ "Kvartal", "Tertial", "Halvår": a column heading."""
        return self.value.capitalize()

    @property
    def adverb(self) -> str:
        """ "kvartalsvis", "tertialvis", "halvårsvis"."""
        return {"kvartal": "kvartalsvis", "tertial": "tertialvis", "halvår": "halvårsvis"}[
            self.value
        ]

    @property
    def definite(self) -> str:
        """ "kvartalet", "tertialet", "halvåret"."""
        return {"kvartal": "kvartalet", "tertial": "tertialet", "halvår": "halvåret"}[self.value]

    @property
    def all_periods(self) -> str:
        """ "alla fyra kvartal", "alla tre tertial", "båda halvåren"."""
        return _ALL[self]

    @property
    def review_word(self) -> str:
        """ "kvartalsuppföljning", "tertialuppföljning", "halvårsuppföljning"."""
        return _REVIEW_WORD[self]

    @property
    def choices(self) -> str:
        """The valid periods in Swedish: "kv 1, kv 2, kv 3 eller kv 4", "T1, T2 eller T3"."""
        names = [self.short(n) for n in self.numbers]
        return ", ".join(names[:-1]) + f" eller {names[-1]}"

    def check(self, number: int, year: int) -> int:
        """``number`` if the plan year has such a period; one Swedish sentence otherwise."""
        if number not in self.numbers:
            raise InvalidInput(self.wrong(year))
        return number

    def wrong(self, year: int) -> str:
        """The sentence for a period the plan year does not have."""
        return f"Planen {year} följs upp per {self.value}: ange {self.choices}."

    def number(self, raw: str, year: int) -> int:
        """A user's period text read against this kind, for plan year ``year``: "2", "T2",
        "kv 2", "2024 T2", "2024 H1"... A year in the text must be ``year``."""
        typed = read_period(raw)
        if typed is None or (typed.kind is not None and typed.kind is not self):
            raise InvalidInput(self.wrong(year))
        if typed.year is not None and typed.year != year:
            raise InvalidInput(
                f"Perioden ”{raw.strip()}” hör inte till planåret {year} (--year {year})."
            )
        return self.check(typed.number, year)


_COUNT = {PeriodKind.QUARTER: 4, PeriodKind.TERTIAL: 3, PeriodKind.HALF_YEAR: 2}
_ALL = {
    PeriodKind.QUARTER: "alla fyra kvartal",
    PeriodKind.TERTIAL: "alla tre tertial",
    PeriodKind.HALF_YEAR: "båda halvåren",
}
_REVIEW_WORD = {
    PeriodKind.QUARTER: "kvartalsuppföljning",
    PeriodKind.TERTIAL: "tertialuppföljning",
    PeriodKind.HALF_YEAR: "halvårsuppföljning",
}
# No kind has more periods than this: a reference up to the end of any plan year.
MOST_PERIODS = 4
_PREFIX = {PeriodKind.QUARTER: "kv ", PeriodKind.TERTIAL: "T", PeriodKind.HALF_YEAR: "H"}
# The words a user may type before the number, per kind ("kv 2", "Q2", "T2", "H1").
_WORDS = {
    "kv": PeriodKind.QUARTER,
    "q": PeriodKind.QUARTER,
    "kvartal": PeriodKind.QUARTER,
    "t": PeriodKind.TERTIAL,
    "tertial": PeriodKind.TERTIAL,
    "h": PeriodKind.HALF_YEAR,
    "halvår": PeriodKind.HALF_YEAR,
    "halvar": PeriodKind.HALF_YEAR,
}
_TEXT = re.compile(
    r"(?:(?P<year>\d{4})\s*[-:/]?\s*)?(?:(?P<word>[a-zåäö]+)\s*-?\s*)?(?P<number>\d)", re.I
)


@dataclass(frozen=True)
class TypedPeriod:
    """A period as a user typed it, before the plan's kind is known."""

    year: int | None
    kind: PeriodKind | None  # from the word before the number; None for a bare number
    number: int


def read_period(raw: str) -> TypedPeriod | None:
    """The parts of "2024 T2", "T2", "kv 2", "2024-Q3", "2": ``None`` when it is none."""
    match = _TEXT.fullmatch(raw.strip())
    if match is None:
        return None
    word = match["word"]
    kind = _WORDS.get(word.casefold()) if word else None
    if word and kind is None:
        return None
    year = int(match["year"]) if match["year"] else None
    return TypedPeriod(year, kind, int(match["number"]))


def parse_kind(raw: str) -> PeriodKind:
    """``--perioder`` / ``--typ``: kvartal, tertial or halvår; one Swedish sentence else."""
    wanted = raw.strip().casefold()
    for kind in PeriodKind:
        if wanted == kind.value or (kind is PeriodKind.HALF_YEAR and wanted == "halvar"):
            return kind
    raise InvalidInput(f"Okänd periodtyp ”{raw}”: välj kvartal, tertial eller halvår.")


@dataclass(frozen=True, order=True)
class PeriodRef:
    """A review period of a plan year: its number within the year, labelled by the plan's
    kind (compared by year and number only: a year has one kind)."""

    year: int
    number: int
    kind: PeriodKind = field(default=PeriodKind.QUARTER, compare=False)

    @property
    def label(self) -> str:
        return self.kind.label(self.year, self.number)

    @classmethod
    def end_of(cls, year: int) -> PeriodRef:
        """After every period of ``year``, whatever its kind (for "up to the year's end")."""
        return cls(year, MOST_PERIODS)

    @property
    def short(self) -> str:
        return self.kind.short(self.number)

    @property
    def slug(self) -> str:
        """For file names: "kv2", "t2", "h1"."""
        return self.short.replace(" ", "").lower()

    @classmethod
    def parse(cls, text: str, year: int | None = None) -> PeriodRef:
        """A period with its year, the kind read from the text: "2024 kv 3", "2024kv3",
        "2024-Q3", "2024:3" (kvartal), "2024 T2", "2024 H1"; with ``year``, the year may
        be left out ("T2"), and one given must be ``year``."""
        typed = read_period(text)
        if typed is not None and year is not None:
            if typed.year not in (None, year):
                raise InvalidInput(
                    f"Perioden ”{text.strip()}” hör inte till planåret {year} (--year {year})."
                )
            typed = TypedPeriod(year, typed.kind, typed.number)
        if typed is None or typed.year is None:
            raise InvalidInput(
                f"Okänd period ”{text}”: skriv till exempel ”2024 kv 3”, ”2024 T2” eller ”2024 H1”."
            )
        kind = typed.kind or PeriodKind.QUARTER
        if typed.number not in kind.numbers:
            raise InvalidInput(f"Okänd period ”{text}”: ett år har {kind.choices} ({kind.value}).")
        return cls(typed.year, typed.number, kind)
