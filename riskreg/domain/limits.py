"""The register's limits, each defined once: how long a stored name or text may be, which
years and dates it accepts, and which characters a text may hold.

The models take their column lengths from here, and the services check what a user typed
or imported against the same numbers before anything reaches the database. SQLite stores
an over-long string or a NUL character without a word while PostgreSQL refuses both, so
without these checks the two databases would answer the same input differently; with them
both answer with the same Swedish sentence, which names the limit.

Each message starts with what it is about ("Diarienumret har 41 tecken …"), so a form can
put it next to the field it belongs to.
"""

from __future__ import annotations

import re
from datetime import date

from riskreg.domain.errors import InvalidInput

# -- column lengths: String(n) in riskreg.db.models ----------------------------------------

COMMITTEE_NAME_MAX = 200
SHORT_NAME_MAX = 20  # a nämnd's kortnamn ("HSN")
AREA_NAME_MAX = 200  # a verksamhet's name, and its other spellings
AREA_CODE_MAX = 8  # a verksamhet's code ("EK"), the prefix of its risks' references
ROLE_NAME_MAX = 200
REF_MAX = 20  # a risk's reference ("EK-07")
PERSON_MAX = 200  # who decided to accept a risk
ACTOR_MAX = 100  # who acted: audit log, reviews, locked periods, revisions, ISK
# RISKREG_USER names the person on a SQLite register, recorded as "Namn (RISKREG_USER,
# inloggad som login)": 40 characters leave 30 of ACTOR_MAX for the login name.
USER_SETTING_MAX = 40
AUDIT_REF_MAX = 100  # what an audit entry is about ("HSN 2024", a role's name)
SOURCE_MAX = 200  # where a text came from ("plan.txt rad 733,736")
DNR_MAX = 40
HANDLER_MAX = 200

# -- free text -----------------------------------------------------------------------------
# Not a column length (the text columns have none): a bound on one risk, åtgärd, motivering
# or comment, ten times the longest text in the seed plans, so that a broken export (a whole
# document in one cell) or a paste accident is refused instead of stored.
TEXT_MAX = 4000

# -- years and dates -----------------------------------------------------------------------
# Plan years (also a CHECK constraint on plan.year); a date outside them is a typing error.
FIRST_YEAR = 2000
LAST_YEAR = 2100

# -- characters ----------------------------------------------------------------------------
# A typed value may hold no control character (Unicode category Cc: NUL, bell, escape, DEL,
# the C1 codes); a text of several lines (a motivering) may also hold tabs and line breaks.
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# What an imported file's text loses, with a warning: the control characters that are not
# whitespace. Tab, line feed and carriage return separate cells and rows, and \v, \f,
# \x1c-\x1f and \x85 are what Word writes for breaks inside a cell, read as spaces. NUL is
# never stripped but refused: a file holding one is not the text it seems to be.
STRAY_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def describe(char: str) -> str:
    """A control character as a reader can find it: ``"ett NUL-tecken (U+0000)"``."""
    code = f"U+{ord(char):04X}"
    return f"ett NUL-tecken ({code})" if char == "\x00" else f"styrtecknet {code}"


def problem(value: str, what: str, limit: int, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored as ``what`` (``"Diarienumret"``), or None when it can."""
    control = (_CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE).search(value)
    if control is not None:
        return f"{what} innehåller {describe(control[0])}, som inte kan sparas: ta bort det."
    if len(value) > limit:
        return f"{what} har {len(value)} tecken men får ha högst {limit}."
    return None


def checked(value: str, what: str, limit: int, *, multiline: bool = False) -> str:
    """``value`` itself when it can be stored as ``what``; else ``InvalidInput`` saying why."""
    found = problem(value, what, limit, multiline=multiline)
    if found is not None:
        raise InvalidInput(found)
    return value


def check_actor(actor: str, setting: str | None = None) -> None:
    """Before a write: the name it is recorded under (``actor``) and the ``RISKREG_USER``
    ``setting`` must fit. The setting is checked on every database, also where the
    server's login is recorded instead, so the same command gets the same answer on
    SQLite and PostgreSQL. Refused rather than cut: two long names that share their first
    characters would otherwise be one person in the audit log."""
    if setting is not None:
        found = problem(" ".join(setting.split()), "RISKREG_USER", USER_SETTING_MAX)
        if found is not None:
            raise InvalidInput(found)
    found = problem(actor, "Användarnamnet som ändringen sparas under", ACTOR_MAX)
    if found is not None:
        raise InvalidInput(found)


def check_year(year: int) -> int:
    """A plan year the register accepts (the CHECK constraint on plan.year, said first)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            f"Planåret ska vara ett årtal mellan {FIRST_YEAR} och {LAST_YEAR}, inte {year}."
        )
    return year


def check_date(value: date | None, what: str) -> date | None:
    """A date in the years the register covers (``None`` passes: no date given)."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidInput(
            f"{what} {value.isoformat()} ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}."
        )
    return value


def fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut; for text
    we compose ourselves (a source note, a quotation in a message), never for user input."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
