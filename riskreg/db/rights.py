"""Roles and rights on a shared PostgreSQL server, as SQL the owner runs once
(``riskreg db roles`` prints it, ``--apply`` runs it).

- ``riskreg_owner`` (NOLOGIN) owns the tables; migrations run as a member of it.
- ``riskreg_controller``: reads everything, writes only the nämnder it may change
  (``committee_access``: a login role, or a group role the login is a member of), through
  row-level security that is forced on every table, the owner's included.
- ``riskreg_revisor``: reads everything, writes nothing.
- Nobody but the owner may UPDATE or DELETE the audit log, and an audit entry must name
  ``session_user`` as its actor (``ACTOR_TRIGGER``, installed by migration 0005), so the log
  says which login made each change. What the owner might still do to the log, ``riskreg
  audit verify`` finds.

Every statement is idempotent, so the script can be run again after an upgrade.
"""

from __future__ import annotations

OWNER, CONTROLLER, REVISOR = "riskreg_owner", "riskreg_controller", "riskreg_revisor"

ACTOR_TRIGGER = """
CREATE OR REPLACE FUNCTION riskreg_audit_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.actor IS DISTINCT FROM session_user::text THEN
        RAISE EXCEPTION 'riskreg: loggens aktör % är inte den inloggade användaren %',
            NEW.actor, session_user USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS riskreg_audit_actor ON audit_entry;
CREATE TRIGGER riskreg_audit_actor BEFORE INSERT ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION riskreg_audit_actor();
"""

DROP_ACTOR_TRIGGER = """
DROP TRIGGER IF EXISTS riskreg_audit_actor ON audit_entry;
DROP FUNCTION IF EXISTS riskreg_audit_actor();
"""

# How each table reaches its nämnd: the expression giving the row's committee_id.
_PLAN = "(SELECT p.committee_id FROM plan p WHERE p.id = plan_id)"
_PERIOD = (
    "(SELECT p.committee_id FROM review_period rp JOIN plan p ON p.id = rp.plan_id "
    "WHERE rp.id = period_id)"
)
_RISK = "(SELECT r.committee_id FROM risk r WHERE r.id = risk_id)"
_MEASURE = (
    "(SELECT r.committee_id FROM measure m JOIN risk r ON r.id = m.risk_id WHERE m.id = measure_id)"
)
COMMITTEE_OF: dict[str, str] = {
    "committee": "id",
    "area": "committee_id",
    "area_alias": "(SELECT a.committee_id FROM area a WHERE a.id = area_id)",
    "plan": "committee_id",
    "review_period": _PLAN,
    "risk": "committee_id",
    "plan_risk": _PLAN,
    "measure": _RISK,
    "measure_role": _MEASURE,
    "plan_measure": _PLAN,
    "risk_review": _PERIOD,
    "measure_review": _PERIOD,
    "locked_risk": _PERIOD,
    "locked_measure": _PERIOD,
    "plan_revision": _PLAN,
    "isk_assessment": _PLAN,
    "workbook_read": _PERIOD,
    "committee_alias": "committee_id",
}
SHARED = ("role",)  # roles are the region's, not one nämnd's
LOG = ("audit_entry",)
HEAD = ("audit_chain",)
READ_ONLY = ("alembic_version", "committee_access")


def roles_script(*, transaction: bool = True) -> str:
    """The whole setup; wrapped in BEGIN/COMMIT for psql unless ``transaction=False``."""
    lines = [_create_roles(), _may_write_function()]
    tables = [*COMMITTEE_OF, *SHARED, *LOG, *HEAD, *READ_ONLY]
    for table in tables:
        lines.append(f"ALTER TABLE {table} OWNER TO {OWNER};")
    lines.append(f"GRANT USAGE ON SCHEMA public TO {CONTROLLER}, {REVISOR};")
    lines.append(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {CONTROLLER}, {REVISOR};")
    lines.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {CONTROLLER};")
    for table, committee in COMMITTEE_OF.items():
        lines.append(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {CONTROLLER};")
        lines += _policies(table, f"riskreg_may_write({committee})")
    for table in SHARED:
        lines.append(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {CONTROLLER};")
        lines += _policies(table, "true")
    for table in LOG:
        lines.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {CONTROLLER}, {REVISOR};")
        lines.append(f"GRANT INSERT ON {table} TO {CONTROLLER};")
        lines += _policies(
            table, "committee_id IS NULL OR riskreg_may_write(committee_id)", insert_only=True
        )
    for table in HEAD:
        lines.append(f"GRANT UPDATE ON {table} TO {CONTROLLER};")
        lines += _policies(table, "true", update_only=True)
    if transaction:
        lines = ["BEGIN;", *lines, "COMMIT;"]
    return "\n".join(lines) + "\n"


def _create_roles() -> str:
    statements = [
        f"""    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        CREATE ROLE {role} NOLOGIN;
    END IF;"""
        for role in (OWNER, CONTROLLER, REVISOR)
    ]
    return "DO $$\nBEGIN\n" + "\n".join(statements) + "\nEND $$;"


def _may_write_function() -> str:
    return f"""CREATE OR REPLACE FUNCTION riskreg_may_write(committee integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT pg_has_role(session_user, '{OWNER}', 'MEMBER') OR EXISTS (
        SELECT 1 FROM committee_access a JOIN pg_roles r ON r.rolname = a.role_name
        WHERE a.committee_id = committee AND pg_has_role(session_user, r.oid, 'MEMBER'))
$$;
ALTER FUNCTION riskreg_may_write(integer) OWNER TO {OWNER};
REVOKE ALL ON FUNCTION riskreg_may_write(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskreg_may_write(integer) TO {CONTROLLER}, {REVISOR};"""


def _policies(
    table: str, allowed: str, *, insert_only: bool = False, update_only: bool = False
) -> list[str]:
    """Row-level security, forced, with: everyone reads; the owner does anything; a
    controller writes where ``allowed`` holds. An UPDATE that is not allowed fails with an
    error (its check is WITH CHECK), rather than silently changing nothing."""
    lines = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;",
    ]
    policies = {
        "riskreg_read": "FOR SELECT USING (true)",
        "riskreg_owner_all": f"FOR ALL TO {OWNER} USING (true) WITH CHECK (true)",
    }
    if insert_only:
        policies["riskreg_insert"] = f"FOR INSERT TO {CONTROLLER} WITH CHECK ({allowed})"
    elif update_only:
        policies["riskreg_update"] = (
            f"FOR UPDATE TO {CONTROLLER} USING (true) WITH CHECK ({allowed})"
        )
    else:
        policies["riskreg_insert"] = f"FOR INSERT TO {CONTROLLER} WITH CHECK ({allowed})"
        policies["riskreg_update"] = (
            f"FOR UPDATE TO {CONTROLLER} USING (true) WITH CHECK ({allowed})"
        )
        policies["riskreg_delete"] = f"FOR DELETE TO {CONTROLLER} USING ({allowed})"
    for name, rule in policies.items():
        lines.append(f"DROP POLICY IF EXISTS {name} ON {table};")
        lines.append(f"CREATE POLICY {name} ON {table} {rule};")
    return lines
