"""Finance fixtures: the app with the banks' API, a small world of banks, products and an enterprise."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from portal.extensions import db
from portal.finance import services
from portal.finance.models import FinancingRequest, LoanProduct
from portal.models import Role, User

# A Monday, 10:00 in Shanghai (02:00 UTC): deadlines are easy to reason about from here.
MONDAY = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


@dataclass
class World:
    """Four banks (a user each, one credit product each, rates rising by bank), an enterprise and its user."""

    bank_users: list[User]
    products: list[LoanProduct]
    enterprise_user: User
    other_enterprise_user: User
    requests: list[FinancingRequest] = field(default_factory=list)

    @property
    def bank_ids(self) -> list[int]:
        """The banks' ids, best product first."""
        return [u.bank_id for u in self.bank_users]

    def post(self, now: datetime | None = None, **overrides) -> FinancingRequest:
        """Post a request through the service and commit (defaults: 500 万元, 24 months, credit, 5%)."""
        today = (now or datetime.now(UTC)).date()
        values = {
            "amount_wan": Decimal("500"),
            "term_months": 24,
            "purpose": "购置生产设备及补充流动资金",
            "collateral": "无（信用）",
            "max_rate": Decimal("5.00"),
            "consent_bank_ids": None,
            "consent_groups": ["基本信息", "经营财务", "资质信用"],
            "consent_until": today + timedelta(days=60),
        } | overrides
        request = services.create_request(actor=self.enterprise_user, now=now, **values)
        db.session.commit()
        self.requests.append(request)
        return request

    def bank_user(self, bank_id: int) -> User:
        """The user of a bank."""
        return next(u for u in self.bank_users if u.bank_id == bank_id)


def make_product(bank_user: User, **overrides) -> LoanProduct:
    """A credit product of the user's bank (defaults fit the default enterprise and request)."""
    values = {
        "name": "科创信用贷",
        "kind": "信用贷",
        "amount_min_wan": Decimal("50"),
        "amount_max_wan": Decimal("1000"),
        "term_min_months": 6,
        "term_max_months": 36,
        "rate_min": Decimal("3.50"),
        "rate_max": Decimal("4.50"),
        "conditions_data": {"all": [{"field": "revenue_wan", "op": "gte", "value": 1000}]},
    } | overrides
    product = services.save_product(None, actor=bank_user, **values)
    db.session.commit()
    return product


@pytest.fixture
def world(app, create_user, create_enterprise) -> World:
    """Banks 0–3 with products at 3.50%, 3.60%, 3.70%, 3.80%; an enterprise that fits them all."""
    bank_users = [create_user(Role.BANK, name=f"银行{i} 客户经理") for i in range(4)]
    products = [
        make_product(u, name=f"信用贷{i}", rate_min=Decimal("3.50") + Decimal("0.10") * i)
        for i, u in enumerate(bank_users)
    ]
    enterprise = create_enterprise()
    enterprise_user = create_user(Role.ENTERPRISE, enterprise_id=enterprise.id, name=enterprise.name)
    other = create_user(Role.ENTERPRISE)
    return World(bank_users, products, enterprise_user, other)


@pytest.fixture
def login(client, auth):
    """Log the client in as a user (logging out whoever was in)."""

    def as_user(user: User):
        auth.logout()
        response = auth.login(user)
        assert response.status_code == 302
        return client

    return as_user


def days_ahead(n: int) -> str:
    """An ISO date n days from today (Asia/Shanghai)."""
    from portal.timeutil import today

    return (today() + timedelta(days=n)).isoformat()


class DaysAhead:
    """A date n days ahead, worked out when the test runs (a parametrize table is built at import, and a run
    that crosses midnight in China would otherwise test yesterday's limit)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"days_ahead({self.n})"


def resolve(values: dict) -> dict:
    """The values with every DaysAhead worked out now."""
    return {key: days_ahead(v.n) if isinstance(v, DaysAhead) else v for key, v in values.items()}


@pytest.fixture
def token_for(app):
    """Create an API token for a bank user; returns the Authorization header."""

    def make(user: User) -> dict[str, str]:
        _, plain = services.create_token(actor=user, name="测试对接")
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make


__all__ = ["MONDAY", "DaysAhead", "World", "date", "days_ahead", "make_product", "resolve"]
