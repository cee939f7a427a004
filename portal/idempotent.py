"""One idempotent insert: INSERT … ON CONFLICT (unique key) DO NOTHING (or DO UPDATE), on SQLite and PostgreSQL.

The unique key decides, so there is no read-then-insert race and no duplicate-key error to catch. The portal runs
on these two databases only; another dialect is refused rather than served by a slower look-alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Table

from portal.extensions import db

T = TypeVar("T")


def _dialect_insert(table: Table | type):
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise RuntimeError(f"不支持的数据库：{dialect}（仅支持 PostgreSQL 与 SQLite）")
    return insert(table)


def _insert(table: Table | type, keys: Sequence[str]):
    return _dialect_insert(table).on_conflict_do_nothing(index_elements=list(keys))


def insert_or_add(
    connection: Connection, table: Table, row: Mapping[str, Any], *, keys: Sequence[str], add: str
) -> None:
    """Insert the row, or add its `add` column to the existing row's when one with the same `keys` exists.

    One statement (INSERT … ON CONFLICT DO UPDATE), so two first requests of a day cannot both insert.
    """
    statement = _dialect_insert(table).values(dict(row))
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys), set_={add: table.c[add] + statement.excluded[add]}
        )
    )


def insert_once(table: Table, row: Mapping[str, Any], *, keys: Sequence[str]) -> Any | None:
    """Insert one row unless a row with the same unique `keys` exists: the new primary key, or None."""
    return db.session.execute(
        _insert(table, keys).values(dict(row)).returning(*table.primary_key.columns)
    ).scalar()


def add_once(model: type[T], row: Mapping[str, Any], *, keys: Sequence[str]) -> T | None:
    """Insert one ORM row unless a row with the same unique `keys` exists: the new object (in the session) or None."""
    return db.session.scalar(_insert(model, keys).values(dict(row)).returning(model))


def insert_ignoring_duplicates(
    table: Table, rows: Iterable[Mapping[str, Any]], *, keys: Sequence[str]
) -> None:
    """Insert many rows in one statement; those whose unique `keys` already exist are skipped."""
    rows = [dict(row) for row in rows]
    if rows:
        db.session.execute(_insert(table, keys), rows)
