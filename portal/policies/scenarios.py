"""What-if in the sandbox, answered by the audience service: sweeps, near misses and two drafts compared.

Only the public functions of portal.policies.audience are called (sandbox, eligible_enterprise_ids,
outcome_patterns), on a
transient copy of the policy with changed conditions, so a new audience engine needs no change here.
Read-only: nothing is added to the session or flushed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, select

from portal.extensions import db
from portal.policies import audience, whatif
from portal.policies.models import Policy, PolicyStatus

_COPIED = (
    "id",
    "code",
    "status",
    "title",
    "category",
    "targets",
    "support",
    "instant",
    "budget_wan",
    "region",
    "group",  # "@own" in approved_groups rows binds to it (Policy.criteria)
)


def _variant(policy: Policy, conditions: dict) -> Policy:
    """A transient copy of the policy with other conditions (never added to the session, so never saved)."""
    return Policy(**{name: getattr(policy, name) for name in _COPIED}, conditions=conditions)


def _reach(policy: Policy, on: date):
    def reach(conditions: dict) -> whatif.Reach:
        report = audience.sandbox(_variant(policy, conditions), on=on)
        return whatif.Reach(report.total, report.cost_wan, report.uncomputed)

    return reach


def _members(policy: Policy, on: date):
    def members(conditions: dict) -> set[int]:
        return set(audience.eligible_enterprise_ids(_variant(policy, conditions), on=on))

    return members


@dataclass
class Sweep:
    """A sweep of one threshold: the row swept and the reach at each value."""

    threshold: whatif.Threshold
    points: list[whatif.SweepPoint]


def sweep(policy: Policy, key: str, start: Any, stop: Any, points: Any, *, on: date) -> Sweep:
    """Reach and cost of the policy with the threshold at `key` moved from start to stop (shown unit)."""
    conditions = policy.conditions or {"all": []}
    threshold = whatif.find_threshold(conditions, key)
    values = whatif.sweep_values(start, stop, points)
    return Sweep(threshold, whatif.sweep(conditions, threshold, values, _reach(policy, on)))


def near_misses(policy: Policy, *, on: date) -> whatif.NearMisses:
    """Firms that miss the policy by exactly one top-level condition, per condition."""
    return whatif.near_misses(policy.conditions or {"all": []}, audience.outcome_patterns(policy, on=on))


def compare(policy: Policy, other: Policy, *, on: date) -> whatif.Comparison:
    """The policy and another draft side by side: reach, cost and the overlap of their audiences."""
    first, second = (_reach(p, on)(p.conditions or {"all": []}) for p in (policy, other))
    first_ids, second_ids = (_members(p, on)(p.conditions or {"all": []}) for p in (policy, other))
    return whatif.compare(first, second, first_ids, second_ids)


def defaults(threshold: whatif.Threshold) -> tuple[Any, Any]:
    """A starting range for a threshold: half its value to five times it (revenue 2,000 → 1,000 … 10,000)."""
    value = threshold.shown_value
    if value <= 0:
        return 0, 100
    return (value / 2).quantize(whatif.CENT).normalize(), (value * 5).quantize(whatif.CENT).normalize()


def comparable(policy: Policy, limit: int = 200) -> list[Policy]:
    """Other policies a draft can be compared with: drafts first, then the newest published ones."""
    draft_first = case((Policy.status == PolicyStatus.DRAFT, 0), else_=1)
    return list(
        db.session.scalars(
            select(Policy).where(Policy.id != policy.id).order_by(draft_first, Policy.id.desc()).limit(limit)
        )
    )
