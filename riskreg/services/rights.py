"""Sharing a register on PostgreSQL: setting up the roles and rights (``db.rights``) and
saying which database roles may change which nämnd."""

from __future__ import annotations

from sqlalchemy import select

from riskreg.db import repo
from riskreg.db.models import CommitteeAccess
from riskreg.db.rights import roles_script
from riskreg.domain.errors import InvalidInput
from riskreg.services.context import Context

ROLE_NAME_MAX = 63  # PostgreSQL's identifier length


def apply_roles(ctx: Context) -> None:
    """Run the roles script on the register's server (as its owner or an administrator)."""
    _postgres_only(ctx)
    with ctx.transaction() as session:
        session.connection().exec_driver_sql(roles_script(transaction=False))


def grant(ctx: Context, committee: str, role_name: str, *, revoke: bool = False) -> str:
    """Let a database role (a login or a group of logins) change one nämnd, or stop it;
    logged. Returns the nämnd's name."""
    _postgres_only(ctx)
    role_name = role_name.strip()
    if not role_name or len(role_name) > ROLE_NAME_MAX:
        raise InvalidInput(f"Ange en databasroll på 1–{ROLE_NAME_MAX} tecken.")
    with ctx.transaction() as session:
        found = repo.get_committee(session, committee)
        row = session.scalar(
            select(CommitteeAccess).where(
                CommitteeAccess.committee_id == found.id, CommitteeAccess.role_name == role_name
            )
        )
        if revoke and row is not None:
            session.delete(row)
        elif not revoke and row is None:
            session.add(CommitteeAccess(committee_id=found.id, role_name=role_name))
        else:
            return found.name
        repo.write_audit(
            session,
            at=ctx.clock(),
            actor=ctx.actor,
            action="tog bort behörighet" if revoke else "gav behörighet",
            entity="nämnd",
            entity_id=found.id,
            entity_ref=f"{found.short_name}: {role_name}",
            committee_id=found.id,
            after={"roll": role_name, "får ändra": not revoke},
        )
        return found.name


def _postgres_only(ctx: Context) -> None:
    if ctx.engine.dialect.name != "postgresql":
        raise InvalidInput(
            "Roller och behörigheter gäller ett delat register på PostgreSQL; en SQLite-fil "
            "skyddas av filens egna rättigheter."
        )
