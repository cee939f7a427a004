"""Fixtures of the policies tests: a policy factory and a fresh recommender index per test."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from portal.policies import recommendations
from portal.policies.models import Policy, PolicyStatus
from portal.timeutil import today

_serial = itertools.count(1)

HIGH_TECH = {
    "all": [
        {"field": "registered_district", "op": "eq", "value": "宝安区"},
        {"field": "qualifications", "op": "contains_any", "value": ["国家高新技术企业"]},
        {"field": "revenue_wan", "op": "gte", "value": 2000},
    ]
}


@pytest.fixture(autouse=True)
def fresh_index():
    """Each test starts with no built recommender index (tables are emptied between tests)."""
    recommendations.reset_index()
    yield
    recommendations.reset_index()


@pytest.fixture
def create_policy(make_policy):
    """Factory: a policy (published with revision 1 unless status="draft"); override any content field."""

    def create(status: str = PolicyStatus.PUBLISHED, **fields) -> Policy:
        n = next(_serial)
        content = {
            "title": f"宝安区高新技术企业研发奖励测试政策{n}",
            "issuer": "深圳市宝安区科技创新局",
            "doc_no": f"深宝科〔2026〕{n}号",
            "region": "宝安区",
            "category": "研发资助",
            "published_on": date(2026, 3, 1),
            "deadline": None,
            "text": "一、支持对象\n在宝安区注册的国家高新技术企业。\n二、申报条件\n上年度营业收入2000万元以上。",
            "conditions": HIGH_TECH,
            "targets": {"industries": ["C39"], "qualifications": []},
            "support": {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
            "instant": True,
            "budget_wan": None,
        } | fields
        return make_policy(content, status)

    return create


@pytest.fixture
def official(create_user):
    """An official's account."""
    return create_user("official")


@pytest.fixture
def on() -> date:
    """Today in Asia/Shanghai, as the services see it."""
    return today()
