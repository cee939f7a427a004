"""The request's unit of work in one place: run the service call and commit once, or roll back and say why.

Services flush and never commit; the view that calls them owns the unit of work (one per request, one commit).
Every state-changing view used to spell out the same steps around its service call: on a `ServiceError`, roll
back and flash the refusal as "danger"; otherwise commit and flash what was done. `commit_or_refuse` is those
steps. It returns the action's result, or None when the action was refused — so a view that branches on the
outcome needs an action that returns something other than None when it succeeds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash

from portal.extensions import db
from portal.services import ServiceError

T = TypeVar("T")


def commit_or_refuse(
    action: Callable[[], T],
    success: str | Callable[[T], str] | None = None,
    category: str = "success",
) -> T | None:
    """Run one service call as the unit of work: commit (flash success) or roll back (flash the refusal)."""
    try:
        result = action()
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return None
    db.session.commit()
    if success is not None:
        # A message built from the result (or from records the commit refreshed) is a callable, run after it.
        flash(success(result) if callable(success) else success, category)
    return result
