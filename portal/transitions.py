"""One way to change a row's status under concurrency: a conditional UPDATE checked against a transition table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update

from portal.extensions import db
from portal.services import ServiceError


class IllegalTransition(ServiceError):
    """A status change the state machine does not allow (a programming error, not a race)."""


def check(table: Mapping[Any, frozenset], current: Any, target: Any) -> None:
    """Raise IllegalTransition unless the transition table allows current → target."""
    if target not in table[current]:
        raise IllegalTransition(f"不允许的状态变更：{current.label} → {target.label}")


def move(
    model: Any,
    row_id: int,
    *,
    table: Mapping[Any, frozenset],
    current: Any,
    target: Any,
    **values: Any,
) -> bool:
    """UPDATE model SET status = target, **values WHERE id = row_id AND status = current; True if the row moved.

    False means another transaction moved the row first (the caller says so in Chinese); a change the table does
    not list raises IllegalTransition before any SQL runs.
    """
    check(table, current, target)
    changed = db.session.execute(
        update(model)
        .where(model.id == row_id, model.status == current)
        .values(status=target, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1
