"""Fixtures of the approvals tests: published policies with a revision, and users with verified enterprises."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from portal.approvals import services
from portal.extensions import db
from portal.models import Role
from portal.policies.models import Policy, PolicyStatus

_serial = itertools.count(1)

# Bao'an, R&D ratio ≥ 3 %, good credit: the conftest enterprise (310 / 5230 ≈ 5.9 %) qualifies.
CONDITIONS = {
    "all": [
        {"field": "registered_district", "op": "eq", "value": "宝安区"},
        {"field": "rd_ratio", "op": "gte", "value": 0.03},
        {"field": "credit_ok", "op": "eq", "value": True},
    ]
}
RATIO_SUPPORT = {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200}  # 31.00 万元


@pytest.fixture
def create_policy(make_policy):
    """Factory: a published policy with its first revision (instant 秒批 by default); override any field."""

    def create(status: str = PolicyStatus.PUBLISHED, **fields) -> Policy:
        content = {
            "code": f"T-{next(_serial):04d}",
            "title": f"宝安区研发投入资助{next(_serial)}",
            "issuer": "深圳市宝安区科技创新局",
            "category": "研发资助",
            "published_on": date(2026, 1, 1),
            "conditions": CONDITIONS,
            "support": RATIO_SUPPORT,
            "instant": True,
            "budget_wan": Decimal("1000.00"),
        } | fields
        spent = content.pop("budget_spent_wan", None)  # state, not content: spent through the budget service
        policy = make_policy(content, status)
        if spent:
            assert services.reserve_budget(policy, spent)
            db.session.commit()
        return policy

    return create


@pytest.fixture
def enterprise_user(create_user, create_enterprise):
    """Factory: an enterprise account whose enterprise has a verified, qualifying profile (override fields)."""

    def create(verified: tuple[str, ...] | None = None, **fields):
        enterprise = create_enterprise(verified=verified, **fields)
        return create_user(Role.ENTERPRISE, enterprise_id=enterprise.id, name=enterprise.name)

    return create


@pytest.fixture
def official(create_user):
    """An official's account."""
    return create_user(Role.OFFICIAL, name="王科长")
