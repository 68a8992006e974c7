"""Checking what a user typed into a form, field by field, with Swedish messages.

A form shows each message next to its field and saves nothing while any remain. The
services check again (they are the authority); these checks only make the common
mistakes visible where they were made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from riskreg.domain.records import Assessment
from riskreg.domain.scales import Frequency, MeasureKind, Requirement
from riskreg.services.editing import MeasureFields, RiskFields


@dataclass
class FormErrors:
    """Field name → the Swedish sentence shown under that field."""

    fields: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.fields)


def parse_date(text: str, errors: FormErrors, name: str) -> date | None:
    """``ÅÅÅÅ-MM-DD`` or empty (no date)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.add(name, f"”{text}” är inget datum: skriv ÅÅÅÅ-MM-DD, till exempel 2025-06-30.")
        return None


def parse_year(text: str, errors: FormErrors, name: str, after: int) -> int | None:
    text = text.strip()
    if not text.isdigit() or len(text) != 4:
        errors.add(name, "Skriv året med fyra siffror, till exempel 2025.")
        return None
    year = int(text)
    if year <= after:
        errors.add(name, f"Året måste vara senare än {after}.")
        return None
    return year


def required(text: str, errors: FormErrors, name: str, message: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        errors.add(name, message)
    return cleaned


def risk_fields(
    *,
    area: str | None,
    text: str,
    region_wide: bool,
    requirement: str | None,
    likelihood: int | None,
    consequence: int | None,
) -> tuple[RiskFields | None, FormErrors]:
    errors = FormErrors()
    if not area:
        errors.add("area", "Välj verksamhet.")
    cleaned = required(text, errors, "text", "Skriv vad risken är; texten får inte vara tom.")
    brutto: Assessment | None = None
    if (likelihood is None) != (consequence is None):
        errors.add(
            "brutto", "Ange både sannolikhet och konsekvens för bruttorisken, eller ingen av dem."
        )
    elif likelihood is not None and consequence is not None:
        brutto = Assessment(likelihood, consequence)
    if errors:
        return None, errors
    assert area is not None
    return (
        RiskFields(
            area=area,
            text=cleaned,
            region_wide=region_wide,
            requirement=Requirement(requirement) if requirement else None,
            brutto=brutto,
        ),
        errors,
    )


def measure_fields(
    *,
    text: str,
    kind: MeasureKind,
    frequency: Frequency | None,
    due: str,
    roles: tuple[str, ...],
    region_wide: bool,
) -> tuple[MeasureFields | None, FormErrors]:
    errors = FormErrors()
    cleaned = required(text, errors, "text", "Skriv vad åtgärden är; texten får inte vara tom.")
    if kind is MeasureKind.ONE_OFF and frequency is not None:
        errors.add("frequency", "Bara en återkommande kontroll har en frekvens.")
    due_date = parse_date(due, errors, "due")
    if errors:
        return None, errors
    return (
        MeasureFields(
            text=cleaned,
            kind=kind,
            frequency=frequency,
            due_date=due_date,
            roles=roles,
            region_wide=region_wide,
        ),
        errors,
    )


@dataclass(frozen=True)
class AcceptanceInput:
    by: str
    reason: str
    until: date | None


def acceptance_input(
    *, by: str, reason: str, until: str
) -> tuple[AcceptanceInput | None, FormErrors]:
    errors = FormErrors()
    who = required(by, errors, "by", "Ange vem som beslutade att acceptera risken.")
    why = required(reason, errors, "reason", "Ange varför risken accepteras.")
    until_date = parse_date(until, errors, "until")
    if errors:
        return None, errors
    return AcceptanceInput(who, why, until_date), errors


@dataclass(frozen=True)
class AdoptionInput:
    adopted_on: date
    dnr: str


def adoption_input(*, adopted: str, dnr: str) -> tuple[AdoptionInput | None, FormErrors]:
    errors = FormErrors()
    adopted_on = parse_date(adopted, errors, "adopted")
    if adopted_on is None:
        errors.add("adopted", "Ange datumet då planen fastställdes.")
        return None, errors
    return AdoptionInput(adopted_on, dnr.strip()), errors
