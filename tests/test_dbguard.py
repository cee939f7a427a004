"""PostgreSQL: the app runs as a non-owner, non-superuser role; the audit logs refuse UPDATE, DELETE, TRUNCATE."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from portal import dbguard
from portal.extensions import db


@pytest.fixture
def pg(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's roles and triggers")
    return app


@pytest.fixture
def owner(owner_url):
    engine = create_engine(owner_url)
    yield engine
    engine.dispose()


def _refused(engine, statement: str, match: str) -> None:
    with engine.connect() as conn, pytest.raises(DBAPIError, match=match):
        conn.execute(text(statement))


def test_the_app_is_neither_owner_nor_superuser(pg):
    row = db.session.execute(
        text(
            "SELECT current_user, r.rolsuper, r.rolcreaterole, r.rolbypassrls,"
            " pg_get_userbyid(c.relowner) FROM pg_roles r, pg_class c"
            " WHERE r.rolname = current_user AND c.relname = 'decision_records'"
        )
    ).one()
    user, superuser, createrole, bypassrls, table_owner = row
    assert user.endswith("_app") and table_owner != user
    assert (superuser, createrole, bypassrls) == (False, False, False)


@pytest.mark.parametrize("table", dbguard.APPEND_ONLY_TABLES)
def test_the_app_role_cannot_change_disable_or_truncate_the_audit_logs(pg, table):
    engine = db.engine
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}", f"TRUNCATE {table}"):
        _refused(engine, statement, "permission denied|append-only")
    _refused(engine, f"ALTER TABLE {table} DISABLE TRIGGER USER", "must be owner|must be the owner")
    _refused(engine, "SET session_replication_role = replica", "permission denied")


@pytest.mark.parametrize("table", dbguard.APPEND_ONLY_TABLES)
def test_even_the_owner_is_refused_by_the_triggers(pg, owner, table):
    _refused(owner, f"TRUNCATE {table} CASCADE", "append-only")
    with owner.connect() as conn:
        events = conn.execute(
            text(
                "SELECT t.tgname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE c.relname = :table AND NOT t.tgisinternal"
            ),
            {"table": table},
        ).all()
    # tgtype bits: 1 row-level, 2 before, 8 delete, 16 update, 32 truncate.
    row_guard = [name for name, kind in events if kind & 1 and kind & 2 and kind & 8 and kind & 16]
    truncate_guard = [name for name, kind in events if kind & 32]
    assert row_guard and truncate_guard, events


def test_app_role_sql_is_printed_and_names_are_checked(runner):
    result = runner.invoke(args=["app-role", "portal_app", "--print-sql"])
    assert result.exit_code == 0
    assert (
        "NOSUPERUSER" in result.output
        and "REVOKE UPDATE, DELETE, TRUNCATE ON financing_events" in result.output
    )
    with pytest.raises(ValueError, match="角色名"):
        dbguard.app_role_statements("portal; DROP TABLE users")
