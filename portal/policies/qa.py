"""政策问答: answer a question with the policy passages that answer it, each with the asker's own eligibility."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from portal import conditions as cond
from portal.extensions import db
from portal.models import Enterprise
from portal.policies import retrieval
from portal.policies.catalog import _jieba
from portal.policies.models import Policy, PolicyStatus
from portal.policies.recommendations import explain

MAX_QUESTION = 200  # characters: a question, not a document

_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "index": None}


@dataclass
class Answer:
    """A passage that answers the question, its policy, and (for an enterprise) whether it qualifies."""

    policy: Policy
    section: str
    text: str
    verdict: str | None  # pass | fail | unknown, None for staff
    amount_wan: object = None
    missing: list[str] | None = None


def _tokenize(text: str) -> list[str]:
    return _jieba().lcut_for_search(text, HMM=False)


def _index() -> retrieval.Index:
    """The passage index of the published policies, rebuilt only when a policy changed."""
    key = tuple(
        db.session.execute(
            select(func.count(Policy.id), func.max(Policy.updated_at)).where(
                Policy.status == PolicyStatus.PUBLISHED
            )
        ).one()
    )
    with _lock:
        if _cache["key"] != key or _cache["index"] is None:
            passages = []
            for policy in db.session.scalars(select(Policy).where(Policy.status == PolicyStatus.PUBLISHED)):
                passages += retrieval.split_passages(str(policy.id), policy.title, policy.text or "")
            _cache["index"], _cache["key"] = retrieval.Index(passages, _tokenize), key
        return _cache["index"]  # type: ignore[return-value]


def answer(question: str, *, enterprise: Enterprise | None, on: date, k: int = 5) -> list[Answer]:
    """The k passages answering the question; each with the enterprise's eligibility for that policy today."""
    question = (question or "").strip()[:MAX_QUESTION]
    if not question:
        return []
    hits = _index().search(question, k)
    policies = {
        p.id: p
        for p in db.session.scalars(
            select(Policy).where(Policy.id.in_({int(h.passage.policy_id) for h in hits}))
        )
    }
    out = []
    for hit in hits:
        policy = policies.get(int(hit.passage.policy_id))
        if policy is None:
            continue
        verdict = amount = missing = None
        if enterprise is not None:
            card = explain(policy, enterprise, on=on)
            verdict = cond.verdict(card.results)
            amount = card.amount
            missing = [r.sentence for r in card.missing]
        out.append(Answer(policy, hit.passage.section, hit.passage.text, verdict, amount, missing))
    return out
