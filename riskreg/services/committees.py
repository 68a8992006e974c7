"""The register's nämnder: add one, list them, rename one, give one other names (aliases).

A name, kortnamn or alias names exactly one nämnd, compared as every lookup compares
(``domain.lookup.matches``: case, spacing and the documents' known spellings do not
matter). Every change is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.db import repo
from riskreg.db.models import Committee, CommitteeAlias, Plan
from riskreg.domain import limits, lookup
from riskreg.domain.errors import InvalidInput
from riskreg.services.context import Context


@dataclass(frozen=True)
class CommitteeInfo:
    name: str
    short_name: str
    aliases: tuple[str, ...]
    years: tuple[int, ...]


def list_committees(ctx: Context) -> list[CommitteeInfo]:
    with ctx.reading() as session:
        return [_info(session, c) for c in repo.committees(session)]


def add_committee(ctx: Context, name: str, short_name: str) -> CommitteeInfo:
    with ctx.transaction() as session:
        committee = create_committee(session, name, short_name)
        _audit(session, ctx, "lade till nämnd", committee, None, _state(committee))
        return _info(session, committee)


def create_committee(session: Session, name: str, short_name: str) -> Committee:
    """A new nämnd; its name and kortnamn must not name another nämnd (the caller logs)."""
    full = _name(name)
    short = _short(short_name)
    _free(session, full, None, "Namnet")
    _free(session, short, None, "Kortnamnet")
    committee = Committee(name=full, short_name=short)
    session.add(committee)
    session.flush()
    return committee


def rename_committee(
    ctx: Context, which: str, new_name: str | None, new_short: str | None = None
) -> CommitteeInfo:
    """A new name and/or kortnamn; the old name stays findable only if made an alias."""
    if new_name is None and new_short is None:
        raise InvalidInput("Ange ett nytt namn eller ett nytt kortnamn (--kortnamn).")
    with ctx.transaction() as session:
        committee = repo.get_committee(session, which)
        before = _state(committee)
        if new_name is not None:
            full = _name(new_name)
            _free(session, full, committee, "Namnet")
            committee.name = full
        if new_short is not None:
            short = _short(new_short)
            _free(session, short, committee, "Kortnamnet")
            committee.short_name = short
        session.flush()
        _audit(session, ctx, "bytte namn på nämnd", committee, before, _state(committee))
        return _info(session, committee)


def set_alias(ctx: Context, which: str, alias: str, *, remove: bool = False) -> CommitteeInfo:
    """Add (or with ``remove`` take away) another name the nämnd is known by."""
    with ctx.transaction() as session:
        committee = repo.get_committee(session, which)
        before = _state(committee)
        text = _name(alias, "Aliaset")
        stored = next((a for a in committee.aliases if lookup.matches(text, [a.alias])), None)
        if remove:
            if stored is None:
                raise InvalidInput(f"{committee.name} har inget alias ”{text}”.")
            committee.aliases.remove(stored)
        else:
            if stored is not None:
                raise InvalidInput(f"{committee.name} har redan aliaset ”{stored.alias}”.")
            _free(session, text, None, "Aliaset")
            committee.aliases.append(CommitteeAlias(alias=text))
        session.flush()
        action = "tog bort alias för nämnd" if remove else "lade till alias för nämnd"
        _audit(session, ctx, action, committee, before, _state(committee))
        return _info(session, committee)


def _name(text: str, what: str = "Nämndens namn") -> str:
    name = limits.checked(" ".join(text.split()), what, limits.COMMITTEE_NAME_MAX)
    if not name:
        raise InvalidInput(f"{what} får inte vara tomt.")
    return name


def _short(text: str) -> str:
    short = limits.checked(text.strip().upper(), "Kortnamnet", limits.SHORT_NAME_MAX)
    if not short:
        raise InvalidInput("Kortnamnet får inte vara tomt.")
    return short


def _free(session: Session, text: str, own: Committee | None, what: str) -> None:
    """``text`` names no other nämnd (by name, kortnamn or alias)."""
    for other in repo.committees(session):
        if other is not own and lookup.matches(text, repo.committee_names(other)):
            raise InvalidInput(
                f"{what} ”{text}” används redan av {other.name} ({other.short_name})."
            )


def _state(committee: Committee) -> dict[str, Any]:
    return {
        "namn": committee.name,
        "kortnamn": committee.short_name,
        "alias": sorted(a.alias for a in committee.aliases),
    }


def _info(session: Session, committee: Committee) -> CommitteeInfo:
    years = session.scalars(
        select(Plan.year).where(Plan.committee_id == committee.id).order_by(Plan.year)
    )
    return CommitteeInfo(
        committee.name,
        committee.short_name,
        tuple(sorted(a.alias for a in committee.aliases)),
        tuple(years),
    )


def _audit(
    session: Session,
    ctx: Context,
    action: str,
    committee: Committee,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    subject = {"entity": "nämnd", "entity_id": committee.id, "entity_ref": committee.short_name}
    entry = {"action": action, **subject, "committee_id": committee.id}
    repo.write_audits(session, ctx.clock(), ctx.actor, [entry | {"before": before, "after": after}])
