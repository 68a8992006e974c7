"""The ISK screen's form as plain data: the grade choices, what was typed, and where a
service's complaint belongs.

The form keeps what the user typed as ``ConclusionInput`` (strings, as the widgets hold
them), so "has anything changed?" is a comparison with the loaded conclusion. Only the
date is checked here; the service is the authority on the rest, and
``field_of_error`` puts its sentence next to the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskreg.domain.isk import ConclusionFields, Grade
from riskreg.tui.model.forms import FormErrors, parse_date

NO_GRADE = "inget"  # the Select's value for "no grade decided yet"

# The service's sentences start with the thing they are about (riskreg.services.isk).
_ERROR_FIELDS: tuple[tuple[str, str], ...] = (
    ("Betyget", "motivation"),
    ("Sammanträdesdatumet", "meeting_date"),
    ("Tjänstestället", "handler"),
    ("Handläggarens namn", "handler_name"),
    ("Styrningen", "governance"),
    ("Diarienumret", "dnr"),
)


def grade_options(suggested: Grade | None) -> list[tuple[str, str]]:
    """The Select's choices, the suggested grade marked."""
    options = [("Inget beslut", NO_GRADE)]
    for grade in Grade:
        mark = " (föreslaget)" if grade is suggested else ""
        options.append((f"{grade.label}{mark}", grade.value))
    return options


def grade_of(value: object) -> Grade | None:
    return Grade(value) if isinstance(value, str) and value != NO_GRADE else None


@dataclass(frozen=True)
class ConclusionInput:
    """The form's fields as typed; ``send_to`` holds one recipient per line."""

    grade: str = NO_GRADE
    motivation: str = ""
    proposal: str = ""
    handler: str = ""
    handler_name: str = ""
    governance: str = ""
    meeting_date: str = ""
    dnr: str = ""
    send_to: str = ""

    @classmethod
    def of(cls, fields: ConclusionFields) -> ConclusionInput:
        return cls(
            grade=fields.grade.value if fields.grade else NO_GRADE,
            motivation=fields.motivation,
            proposal=fields.proposal,
            handler=fields.handler,
            handler_name=fields.handler_name,
            governance=fields.governance,
            meeting_date=fields.meeting_date.isoformat() if fields.meeting_date else "",
            dnr=fields.dnr or "",
            send_to="\n".join(fields.send_to),
        )


def conclusion_fields(typed: ConclusionInput) -> tuple[ConclusionFields | None, FormErrors]:
    errors = FormErrors()
    meeting_date = parse_date(typed.meeting_date, errors, "meeting_date")
    if errors:
        return None, errors
    return (
        ConclusionFields(
            grade=grade_of(typed.grade),
            motivation=typed.motivation.strip(),
            proposal=typed.proposal.strip(),
            handler=typed.handler.strip(),
            handler_name=typed.handler_name.strip(),
            governance=typed.governance.strip(),
            meeting_date=meeting_date,
            dnr=typed.dnr.strip() or None,
            send_to=tuple(line.strip() for line in typed.send_to.splitlines() if line.strip()),
        ),
        errors,
    )


def field_of_error(message: str) -> str | None:
    """The form field a service error is about, or None for the plan as a whole."""
    return next((name for start, name in _ERROR_FIELDS if message.startswith(start)), None)
