"""The request's unit of work in one place: run the service call and commit once, or roll back and say why.

Services flush and never commit; the view that calls them owns the unit of work (one per request, one commit).
Every state-changing view used to spell out the same steps around its service call: on a `ServiceError`, roll
back and flash the refusal as "danger"; otherwise commit and flash what was done. `commit_or_refuse` is those
steps. It returns the action's result, or None when the action was refused — so a view that branches on the
outcome needs an action that returns something other than None when it succeeds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash

from portal.extensions import db
from portal.services import ServiceError

T = TypeVar("T")


def commit_or_refuse(
    action: Callable[[], T],
    success: str | Callable[[T], str] | None = None,
    category: str = "success",
    form: Any = None,
) -> T | None:
    """Run one service call as the unit of work: commit (flash success) or roll back (flash the refusal).

    With `form`, a refusal about one field (the message starts with that field's label) is shown under the
    field, like the form's own errors, instead of as a banner."""
    try:
        result = action()
    except ServiceError as exc:
        db.session.rollback()
        if form is None or not field_error(form, str(exc)):
            flash(str(exc), "danger")
        return None
    db.session.commit()
    if success is not None:
        # A message built from the result (or from records the commit refreshed) is a callable, run after it.
        flash(success(result) if callable(success) else success, category)
    return result


def _label_stem(text: str) -> str:
    """A label without its unit in brackets: "融资金额（万元）" and "融资金额" both name the field."""
    return text.split("（", 1)[0].strip()


def field_error(form: Any, message: str) -> bool:
    """Put a service's refusal under the form field it is about (its label starts the message); False if none."""
    for field in form:
        label = field.label.text
        stem = _label_stem(label)
        if stem and message.startswith(stem) and field.type not in ("CSRFTokenField", "HiddenField"):
            field.errors = [*field.errors, message]
            return True
    return False
