"""The fixed vocabularies of the register: statuses, kinds, severities.

Values are the Swedish words stored in the database and shown to the user, so one enum
serves the schema's CHECK constraints, the CLI's choices and the TUI's labels.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from riskreg.domain.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)


class PlanStatus(StrEnum):
    DRAFT = "utkast"
    ADOPTED = "fastställd"
    CLOSED = "avslutad"


class RiskStatus(StrEnum):
    ACTIVE = "aktiv"
    ACCEPTED = "accepterad"
    CLOSED = "avslutad"


class MeasureKind(StrEnum):
    ONE_OFF = "engångsåtgärd"
    RECURRING = "återkommande"


class Frequency(StrEnum):
    CONTINUOUS = "löpande"
    MONTHLY = "månadsvis"
    QUARTERLY = "kvartalsvis"
    YEARLY = "årligen"


class MeasureStatus(StrEnum):
    NOT_STARTED = "ej påbörjad"
    IN_PROGRESS = "pågående"
    DONE = "genomförd"
    NOT_DONE = "ej genomförd"
    DROPPED = "utgår"


class ControlResult(StrEnum):
    """The result of a recurring control in a period."""

    NO_REMARK = "utan anmärkning"
    DEVIATION = "med avvikelse"
    NOT_PERFORMED = "ej utförd"


class Severity(StrEnum):
    """How serious an avvikelse was: auditors ask."""

    MINOR = "liten"
    MODERATE = "måttlig"
    SERIOUS = "allvarlig"


class Requirement(StrEnum):
    """Krav c–e of intern kontroll (DOMAIN §2)."""

    C = "c"
    D = "d"
    E = "e"


REQUIREMENT_TEXT: dict[Requirement, str] = {
    Requirement.C: "Följa styrande dokument, lagar, förordningar, föreskrifter och avtal",
    Requirement.D: "Rättvisande och ändamålsenlig redovisning och uppföljning",
    Requirement.E: "Informationssäkerhet",
}

SCALE_MIN = 1
SCALE_MAX = 4  # the default 4×4 matrix; a plan's own matrix decides (domain.matrix)
SCALE_LIMIT = 5  # the widest matrix there is: the database allows 1–5, the plan narrows it
MATRIX_SIZES = (3, 4, 5)
VALUE_MAX = SCALE_LIMIT * SCALE_LIMIT  # the highest riskvärde (S × K) of any matrix
QUARTERS = (1, 2, 3, 4)


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of an enum, in declaration order."""
    return tuple(member.value for member in enum)


def parse_enum(enum: type[E], raw: str, what: str) -> E:
    """``raw`` as a member of ``enum``, case-insensitively; a Swedish error otherwise."""
    wanted = raw.strip().casefold()
    for member in enum:
        if member.value.casefold() == wanted:
            return member
    choices = ", ".join(values(enum))
    raise InvalidInput(f"Okänd {what} ”{raw}”: välj en av {choices}.")
