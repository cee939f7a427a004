"""The vocabulary's services: seed, add and change terms (flush, never commit), and load them for the evaluators."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from portal import reference
from portal.extensions import db
from portal.models import User
from portal.service_error import ServiceError
from portal.vocabulary import terms
from portal.vocabulary.models import QualificationTerm

RECHECK_SECONDS = 30  # how stale another process's change may be in this one
_lock = threading.Lock()
_state: dict[str, Any] = {"checked": float("-inf"), "stamp": None}


def all_terms() -> list[QualificationTerm]:
    """The stored terms in their order."""
    return list(
        db.session.scalars(
            select(QualificationTerm).order_by(QualificationTerm.position, QualificationTerm.id)
        )
    )


def refresh(force: bool = False) -> None:
    """Make the stored vocabulary the process's (the seed while the table is empty); cheap when unchanged."""
    now = time.monotonic()
    if not force and now - _state["checked"] < RECHECK_SECONDS:
        return
    stamp = tuple(
        db.session.execute(
            select(func.count(QualificationTerm.id), func.max(QualificationTerm.updated_at))
        ).one()
    )
    with _lock:
        _state["checked"] = now
        if force or stamp != _state["stamp"]:
            rows = all_terms() if stamp[0] else []
            reference.use_vocabulary([r.term() for r in rows] or None)
            _state["stamp"] = stamp


def seed_terms() -> int:
    """Store the seed vocabulary when the table is empty; returns the number of terms added."""
    if db.session.scalar(select(func.count(QualificationTerm.id))):
        return 0
    seed = reference.seed_vocabulary()
    for i, t in enumerate(seed):
        db.session.add(
            QualificationTerm(
                name=t.name,
                aliases=list(t.aliases),
                issuer=t.issuer,
                validity_months=t.validity_months,
                position=i,
            )
        )
    db.session.flush()
    return len(seed)


def save_term(term: QualificationTerm | None, data: Mapping[str, Any], *, actor: User) -> QualificationTerm:
    """Add a term or change one's aliases, issuing body and validity (a name, once held, stays)."""
    if not (term or QualificationTerm()).can_edit(actor):
        raise ServiceError("只有管理员可以维护资质与标签词表。")
    seed_terms()  # the first change keeps the seed terms beside the new one
    name = term.name if term else (data.get("name") or "").strip()
    aliases = [a for a in dict.fromkeys(a.strip() for a in data.get("aliases") or []) if a]
    months = data.get("validity_months")
    others = [t.term() for t in all_terms() if term is None or t.id != term.id]
    problems = terms.check_term(name, aliases, months, others)
    if problems:
        raise ServiceError("；".join(problems))
    if term is None:
        position = db.session.scalar(select(func.max(QualificationTerm.position))) or 0
        term = QualificationTerm(name=name, position=position + 1)
        db.session.add(term)
    term.aliases = aliases
    term.issuer = (data.get("issuer") or "").strip()[:100]
    term.validity_months = months
    db.session.flush()
    refresh(force=True)
    return term
