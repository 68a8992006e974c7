"""Finding a nämnd, verksamhet or role by what a user typed, and saying so when nothing
matches. Shared by the ORM lookups (``db.repo``) and the SQL fast path (``services.listing``)
so both accept the same spellings and answer with the same sentences. A nämnd answers to
its name, its kortnamn and the aliases stored with ``riskreg nämnd alias``, besides the
documents' own other spellings below."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from riskreg.domain.errors import NotFound
from riskreg.domain.text import swedish_key

T = TypeVar("T")


# Other spellings of a nämnd's name found in its own documents, and the name they stand
# for (the seed documents write both "Hälso-" and "Hälsa- och sjukvårdsnämnden": one organ).
KNOWN_SPELLINGS = {
    "hälsa- och sjukvårdsnämnden": "hälso- och sjukvårdsnämnden",
    "hälso och sjukvårdsnämnden": "hälso- och sjukvårdsnämnden",
    "hälso- & sjukvårdsnämnden": "hälso- och sjukvårdsnämnden",
}


def _key(name: str) -> str:
    """Case and spacing do not matter; a known other spelling stands for its name."""
    key = " ".join(name.split()).casefold()
    return KNOWN_SPELLINGS.get(key, key)


def matches(wanted: str, names: Iterable[str | None]) -> bool:
    """Equality with any of ``names`` (name, short name, code, alias), ignoring case and
    spacing, with the known other spellings of a name (``KNOWN_SPELLINGS``)."""
    key = _key(wanted)
    return any(name is not None and _key(name) == key for name in names)


def no_committee(name: str, known: Sequence[tuple[str, str]]) -> NotFound:
    listed = ", ".join(f"{short} ({full})" for full, short in known) or "inga"
    return NotFound(f"Okänd nämnd ”{name}”; kända nämnder: {listed}.")


EMPTY_REGISTER = (
    "Registret har ingen nämnd ännu: lägg till er nämnd med ”riskreg nämnd add” och importera "
    "dess plan med ”riskreg import plan” (eller fyll ett nytt register med exempelplanerna: "
    "”riskreg seed”)."
)


def no_single_committee(count: int) -> NotFound:
    if count == 0:
        return NotFound(EMPTY_REGISTER)
    return NotFound("Registret har flera nämnder: ange vilken med --nämnd.")


def no_area(label: str, known: Iterable[str]) -> NotFound:
    listed = ", ".join(sorted(set(known), key=swedish_key))
    return NotFound(f"Okänd verksamhet ”{label}”; kända verksamheter: {listed}.")


def no_role(name: str) -> NotFound:
    return NotFound(f"Okänd roll ”{name}”: lägg till den först eller välj en befintlig roll.")


def no_plan(committee: str, year: int, years: Iterable[int]) -> NotFound:
    listed = ", ".join(str(y) for y in years) or "inga"
    return NotFound(f"{committee} har ingen plan för {year}; planer finns för: {listed}.")
