"""Recommendations for one enterprise over the process-wide recommender index, and explanations."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from portal import conditions as cond
from portal.extensions import db
from portal.models import Enterprise
from portal.policies.models import (
    Policy,
    PolicyStatus,
)

# ---------------------------------------------------------------- the process-wide recommender index


class _IndexCache:
    """The recommender's PolicyIndex of published policies, built lazily once per process.

    It is refreshed incrementally: publish/revise/expire in this process update it directly, and a cheap
    fingerprint query (count of published policies, latest change) catches changes made by other processes.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index = None
        self.key: tuple | None = None  # (database url, fingerprint)
        self.seen: Any = None  # latest updated_at folded into the index

    def reset(self) -> None:
        with self.lock:
            self.index, self.key, self.seen = None, None, None


_cache = _IndexCache()


def _index_record(policy: Policy) -> dict[str, Any]:
    """A published policy as the recommender reads it (SCHEMA.md names)."""
    return {
        "id": str(policy.id),
        "title": policy.title,
        "text": policy.text,
        "criteria": policy.conditions or {"all": []},
        "targets": policy.targets or {"industries": [], "qualifications": []},
        "support": policy.support,
        "deadline": policy.deadline,
        "category": policy.category,
        "group": policy.group,  # what "@own" (本类) means in its approved_groups rows
        "version": 2,  # the portal's own policies speak the vocabulary in force
    }


def _fingerprint() -> tuple:
    count, latest = db.session.execute(
        select(
            func.count(Policy.id).filter(Policy.status == PolicyStatus.PUBLISHED), func.max(Policy.updated_at)
        )
    ).one()
    return str(db.engine.url), count, latest


def policy_index():
    """The recommender index of published policies, current with the database."""
    from portal.policies.recommender import PolicyIndex

    key = _fingerprint()
    with _cache.lock:
        if _cache.index is not None and _cache.key == key:
            return _cache.index
        if _cache.index is not None and _cache.key[0] == key[0] and _cache.seen is not None:
            for policy in db.session.scalars(select(Policy).where(Policy.updated_at > _cache.seen)):
                _fold(_cache.index, policy)
            if len(_cache.index) == key[1]:
                _cache.key, _cache.seen = key, key[2]
                return _cache.index
        published = db.session.scalars(select(Policy).where(Policy.status == PolicyStatus.PUBLISHED))
        _cache.index = PolicyIndex([_index_record(p) for p in published])
        _cache.key, _cache.seen = key, key[2]
        return _cache.index


def _fold(index, policy: Policy) -> None:
    if policy.status == PolicyStatus.PUBLISHED:
        index.add_or_replace(_index_record(policy))
    else:
        index.remove(str(policy.id))


def _index_changed(policy: Policy) -> None:
    """Apply one policy's change to the built index (if any) without a rebuild."""
    with _cache.lock:
        if _cache.index is not None:
            _fold(_cache.index, policy)


def reset_index() -> None:
    """Forget the built index (tests, or after a bulk import in another process)."""
    _cache.reset()


# ---------------------------------------------------------------- recommendations


@dataclass
class Card:
    """A policy as shown to one enterprise: every condition's result, the estimated amount, what is missing."""

    policy: Policy
    results: list[cond.Result]
    amount: Decimal | None = None
    targeted: bool = False
    missing: list[cond.Result] = field(default_factory=list)
    # how the amount was reached (the tier, the base figure, the cap), on a policy's own page
    amount_reason: str = ""


@dataclass
class Recommendations:
    """The enterprise's page: eligible (targeted first), almost eligible, and those that need more data."""

    eligible: list[Card]
    almost: list[Card]
    unknown: list[Card]


def recommend_for(enterprise: Enterprise, *, on: date, top: int = 20) -> Recommendations:
    """Rank the open published policies for an enterprise on a day, with an explanation per condition."""
    from portal.policies import recommender

    profile = enterprise.profile(on)
    found = recommender.recommend(policy_index(), profile, top, almost_top=10, open_on=on)
    ids = [int(i.policy_id) for i in found.ranked] + [int(a.policy_id) for a in found.almost]
    policies = {p.id: p for p in db.session.scalars(select(Policy).where(Policy.id.in_(ids)))} if ids else {}
    eligible = [
        Card(p, cond.evaluate(p.criteria, profile), item.amount, item.grade == 2)
        for item in found.ranked
        if (p := policies.get(int(item.policy_id)))
    ]
    almost = []
    for item in found.almost:
        p = policies.get(int(item.policy_id))
        if p:
            results = cond.evaluate(p.criteria, profile)
            failed = [r for r in results if r.status == cond.FAIL]
            if any(_cannot_change(r) for r in failed):
                continue  # "差一项" must be something the enterprise can do something about
            almost.append(Card(p, results, None, item.grade == 2, failed))
    return Recommendations(eligible, almost, _needs_data(profile, on))


def _cannot_change(result: cond.Result) -> bool:
    """Whether a failed condition is one the enterprise cannot come to meet: a company cannot get younger, and
    its industry is what it is (a firm does not change trade to meet one policy), and an award it already
    received cannot be given back ("未获得过本类奖励")."""
    if result.field == "industry_code":
        return True
    if result.field == "approved_groups" and result.op == "not_contains_any":
        return True
    return result.field == "years_since_founded" and result.op in ("lt", "lte", "eq")


def _needs_data(profile: Mapping[str, Any], on: date, limit: int = 10) -> list[Card]:
    """Open policies no condition fails but some cannot be decided: the profile lacks the data."""
    # The recommender leaves these out (unknown is not eligible); the enterprise should learn what to fill in.
    # The index finds them (one vectorised evaluation over all policies); only those few rows are loaded.
    from portal.policies import recommender

    ids = [int(i) for i in recommender.needs_data(policy_index(), profile, limit, open_on=on)]
    if not ids:
        return []
    found = {
        p.id: p for p in db.session.scalars(select(Policy).where(Policy.id.in_(ids), Policy.open_on(on)))
    }
    cards = []
    for policy_id in ids:
        policy = found.get(policy_id)
        if policy is None:
            continue
        results = cond.evaluate(policy.criteria, profile)
        cards.append(Card(policy, results, missing=[r for r in results if r.status == cond.UNKNOWN]))
    return cards


def explain(policy: Policy, enterprise: Enterprise, *, on: date) -> Card:
    """One policy's conditions on an enterprise's profile, with the amount when eligible."""
    profile = enterprise.profile(on)
    results = cond.evaluate(policy.criteria, profile)
    ok = cond.verdict(results) == cond.PASS
    amount = cond.support_amount(policy.support, profile) if ok and policy.support else None
    reason = cond.explain_support(policy.support, profile) if amount is not None else ""
    return Card(
        policy, results, amount, missing=[r for r in results if r.status != cond.PASS], amount_reason=reason
    )


def propose(text: str, title: str = ""):
    """What the text reader proposes for a policy text (conditions with evidence, targets, support, 秒批)."""
    from portal.policies.text_conditions import read_policy

    return read_policy(text, title=title)


# ---------------------------------------------------------------- the nightly digest's input


DIGEST_LOAD_BATCH = (
    2000  # enterprises read per query (with their yearly figures) while building a digest table
)


def digest_table(lo: int, hi: int, on: date):
    """Enterprises with ids lo..hi as a recommender table of their profiles on `on` (what the offline digest
    reads: Enterprise.profile, yearly figures and portal approvals included), and their ids in row order."""
    from sqlalchemy.orm import selectinload

    from portal.policies.recommender import EnterpriseTable

    profiles: list[dict[str, Any]] = []
    ids: list[int] = []
    start = lo
    while start <= hi:
        batch = db.session.scalars(
            select(Enterprise)
            .where(Enterprise.id.between(start, hi))
            .order_by(Enterprise.id)
            .limit(DIGEST_LOAD_BATCH)
            .options(selectinload(Enterprise.figures))
        ).all()
        if not batch:
            break
        for enterprise in batch:
            profiles.append(enterprise.profile(on))
            ids.append(enterprise.id)
            db.session.expunge(enterprise)  # memory grows with the profiles kept, not with ORM objects
        start = ids[-1] + 1
    return EnterpriseTable.from_profiles(profiles), ids
