"""Under many simultaneous applications the budget is never overspent and nobody gets two applications.

PostgreSQL only: SQLite serialises writers, so it proves nothing here.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal import reference
from portal.approvals import services
from portal.approvals.models import Application, Status
from portal.extensions import db
from portal.models import Enterprise, Role, User
from portal.policies.models import Policy

WORKERS = 40
VERIFIED = {"source": "测试数据源", "date": "2026-06-01"}


@pytest.fixture
def pg_app(make_app):
    """An app on PostgreSQL with a connection pool large enough for the workers."""
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": WORKERS, "max_overflow": 5})
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("concurrency is tested on PostgreSQL (set PORTAL_TEST_DATABASE_URL)")
    return app


def _users(n: int) -> list[int]:
    """n enterprises with verified qualifying profiles and their accounts (cheap password hashes)."""
    enterprises = [
        Enterprise(
            uscc=reference.make_uscc("440306", 700000 + i),
            name=f"并发测试企业{i}",
            registered_district="宝安区",
            industry_code="C3982",
            founded=date(2018, 5, 12),
            employees=120,
            revenue_wan=Decimal("5230.00"),
            rd_expense_wan=Decimal("310.00"),
            qualifications=[],
            credit_ok=True,
            verified=dict.fromkeys(
                ("registered_district", "rd_expense_wan", "revenue_wan", "credit_ok"), VERIFIED
            ),
        )
        for i in range(n)
    ]
    db.session.add_all(enterprises)
    db.session.flush()
    users = [
        User(username=f"pe{e.id}", password_hash="-", role=Role.ENTERPRISE, enterprise_id=e.id)
        for e in enterprises
    ]
    db.session.add_all(users)
    db.session.commit()
    return [u.id for u in users]


def _apply(app, user_id: int, policy_id: int, barrier: threading.Barrier | None = None) -> tuple[int, bool]:
    with app.app_context():
        user = db.session.get(User, user_id)
        policy = db.session.get(Policy, policy_id)
        if barrier is not None:
            barrier.wait()
        application, created = services.apply_instant(user.enterprise, policy, actor=user)
        db.session.commit()
        return application.id, created


def test_500_applications_against_a_budget_for_150(pg_app, create_policy):
    with pg_app.app_context():
        policy = create_policy(support={"kind": "fixed", "amount_wan": 10}, budget_wan=Decimal("1500.00"))
        user_ids = _users(500)
        policy_id = policy.id
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda uid: _apply(pg_app, uid, policy_id), user_ids))
    assert all(created for _, created in results)
    with pg_app.app_context():
        statuses = dict(
            db.session.execute(select(Application.status, func.count()).group_by(Application.status)).all()
        )
        assert statuses == {Status.APPROVED: 150, Status.IN_REVIEW: 350}
        approved_sum = db.session.scalar(
            select(func.sum(Application.amount_wan)).where(Application.status == Status.APPROVED)
        )
        policy = db.session.get(Policy, policy_id)
        assert policy.budget_spent_wan == approved_sum == Decimal("1500.00") <= policy.budget_wan
        assert db.session.scalar(select(func.count(func.distinct(Application.enterprise_id)))) == 500
        short = db.session.scalars(select(Application).where(Application.status == Status.IN_REVIEW)).first()
        assert "政策预算余额不足以覆盖本次金额，已转人工审核" in short.records[-1].reason


def test_20_simultaneous_double_submits_make_one_application(pg_app, create_policy):
    with pg_app.app_context():
        policy = create_policy(support={"kind": "fixed", "amount_wan": 10})
        (user_id,) = _users(1)
        policy_id = policy.id
    barrier = threading.Barrier(20)
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda _: _apply(pg_app, user_id, policy_id, barrier), range(20)))
    assert len({application_id for application_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with pg_app.app_context():
        assert db.session.scalar(select(func.count(Application.id))) == 1
        assert db.session.get(Policy, policy_id).budget_spent_wan == Decimal("10.00")
