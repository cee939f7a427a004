"""Database-side guards on PostgreSQL: append-only audit tables and the application's non-owner role.

The audit logs (decision_records, financing_events, financing_profile_views) refuse UPDATE, DELETE and TRUNCATE
in the database itself, whatever the client. The application connects as a role that owns nothing and is not a
superuser, so it can neither drop these triggers nor switch `session_replication_role` to skip them; migrations
run as the owner. The same SQL is used by migration 0007, by `create_all` in tests and by `flask db app-role`.
"""

from __future__ import annotations

import re

from sqlalchemy import DDL, Table, event

APPEND_ONLY_TABLES = ("decision_records", "financing_events", "financing_profile_views")

REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION append_only_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计记录只能追加，不能修改、删除或清空 (% is append-only)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def guard_statements(table: str) -> list[str]:
    """Triggers refusing UPDATE/DELETE per row and TRUNCATE per statement on one table."""
    statements = [
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse()"
    ]
    if table != "decision_records":  # it has had its row trigger since migration 0003
        statements.insert(
            0,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION append_only_refuse()",
        )
    return statements


def drop_statements(table: str) -> list[str]:
    """Undo guard_statements (for the migration's downgrade)."""
    drops = [f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"]
    if table != "decision_records":
        drops.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    return drops


def guard_on_create(table: Table) -> None:
    """Create the guards whenever SQLAlchemy creates the table on PostgreSQL (tests use create_all)."""
    for statement in (REFUSE_FUNCTION, *guard_statements(table.name)):
        # DDL() formats with %: the message's placeholder must be doubled.
        ddl = DDL(statement.replace("%", "%%")).execute_if(dialect="postgresql")
        event.listen(table, "after_create", ddl)


_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def app_role_statements(role: str, password: str | None = None) -> list[str]:
    """SQL (run as the schema owner) that creates or refreshes the application's role and its grants."""
    if not _ROLE_NAME.fullmatch(role):
        raise ValueError("角色名只能包含小写字母、数字和下划线，且不以数字开头。")
    login = "LOGIN" + (f" PASSWORD '{password.replace(chr(39), chr(39) * 2)}'" if password else "")
    attributes = f"{login} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    statements = [
        f"DO $$ BEGIN CREATE ROLE {role}; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        f"ALTER ROLE {role} {attributes}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables a later migration creates (as the owner) are granted too.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    # Belt and braces: the role may not even ask to change the audit logs (the triggers refuse anyway).
    statements += [f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}" for table in APPEND_ONLY_TABLES]
    return statements
