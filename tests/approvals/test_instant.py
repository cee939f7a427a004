"""秒批: one click, a decision within the request, explained per condition; budgets never overspent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.approvals import services
from portal.approvals.models import Application, Status
from portal.extensions import db
from portal.models import Notification
from portal.policies.models import Policy
from portal.services import ServiceError


def _apply(client, auth, user, policy):
    auth.login(user)
    return client.post(f"/approvals/apply/{policy.id}", follow_redirects=True)


def _only_application() -> Application:
    return db.session.scalars(select(Application)).one()


def test_one_click_approves_with_the_computed_amount(client, auth, enterprise_user, create_policy):
    user, policy = enterprise_user(), create_policy()
    page = _apply(client, auth, user, policy).get_data(as_text=True)
    application = _only_application()
    assert application.status == Status.APPROVED and application.amount_wan == Decimal("31.00")
    assert "已通过" in page and "31.00" in page
    assert "研发投入占营业收入比重 5.92%，不低于 3% ✓" in page
    assert db.session.get(Policy, policy.id).budget_spent_wan == Decimal("31.00")
    engine = application.records[-1]
    assert [r["status"] for r in engine.results] == ["pass", "pass", "pass"]
    assert engine.profile_snapshot["values"]["rd_expense_wan"] == "310.00"
    assert application.revision.number == 1 and engine.revision_id == application.revision_id
    note = db.session.scalars(select(Notification)).one()
    assert note.category == "审批结果" and note.link == f"/approvals/{application.id}"
    assert "核定 31.00 万元" in note.title


def test_a_failing_condition_rejects_with_the_reason_and_an_appeal_button(
    client, auth, enterprise_user, create_policy
):
    user = enterprise_user(rd_expense_wan=Decimal("100.00"))
    page = _apply(client, auth, user, create_policy()).get_data(as_text=True)
    application = _only_application()
    assert application.status == Status.REJECTED and application.amount_wan is None
    assert "研发投入占营业收入比重 1.91%，未达到 3% ✗" in page
    assert "申诉" in page and f"/approvals/{application.id}/appeal" in page


def test_self_declared_data_goes_to_an_official(client, auth, enterprise_user, create_policy):
    user = enterprise_user(verified=("registered_district", "credit_ok"))
    page = _apply(client, auth, user, create_policy()).get_data(as_text=True)
    application = _only_application()
    assert application.status == Status.IN_REVIEW
    assert "尚未核验" in page and "待人工审核" in page


def test_missing_data_goes_to_an_official(app, enterprise_user, create_policy):
    user = enterprise_user(credit_ok=None)
    application, _ = services.apply_instant(user.enterprise, create_policy(), actor=user)
    assert application.status == Status.IN_REVIEW
    assert "缺少数据：信用状况 ?" in application.records[-1].reason


def test_a_short_budget_sends_the_application_to_review(app, enterprise_user, create_policy):
    policy = create_policy(budget_wan=Decimal("50.00"), budget_spent_wan=Decimal("20.00"))
    user = enterprise_user()
    application, _ = services.apply_instant(user.enterprise, policy, actor=user)
    db.session.commit()
    assert application.status == Status.IN_REVIEW
    assert "政策预算余额不足以覆盖本次金额，已转人工审核" in application.records[-1].reason
    assert db.session.get(Policy, policy.id).budget_spent_wan == Decimal("20.00")


@pytest.mark.parametrize(
    ("budget", "spent", "amount", "ok"),
    [
        (None, "0", "31.00", True),  # no cap
        ("31.00", "0", "31.00", True),  # exactly covers
        ("100.00", "69.01", "31.00", False),  # one cent short
        ("100.00", "69.00", "31.00", True),
        ("0.30", "0.20", "0.10", True),  # float-unfriendly cents still exact
    ],
)
def test_reserve_budget_is_exact(app, create_policy, budget, spent, amount, ok):
    policy = create_policy(budget_wan=budget and Decimal(budget), budget_spent_wan=Decimal(spent))
    assert services.reserve_budget(policy, Decimal(amount)) is ok
    db.session.commit()
    expected = Decimal(spent) + (Decimal(amount) if ok else 0)
    assert db.session.get(Policy, policy.id).budget_spent_wan == expected


def test_a_double_click_returns_the_existing_application(client, auth, enterprise_user, create_policy):
    user, policy = enterprise_user(), create_policy()
    _apply(client, auth, user, policy)
    page = client.post(f"/approvals/apply/{policy.id}", follow_redirects=True).get_data(as_text=True)
    assert "您已申请过该政策" in page
    assert db.session.scalar(select(func.count(Application.id))) == 1
    assert db.session.get(Policy, policy.id).budget_spent_wan == Decimal("31.00")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"instant": False}, "不是秒批事项"),
        ({"status": "draft"}, "未发布或已过申报截止日期"),
        # (published before its deadline: the catalog refuses a deadline earlier than the publication date)
        ({"published_on": date(2019, 6, 1), "deadline": date(2020, 1, 1)}, "未发布或已过申报截止日期"),
    ],
)
def test_only_open_instant_policies(app, enterprise_user, create_policy, fields, message):
    user = enterprise_user()
    with pytest.raises(ServiceError, match=message):
        services.apply_instant(user.enterprise, create_policy(**fields), actor=user)


def test_the_revision_in_force_is_recorded(app, enterprise_user, create_policy):
    from portal.policies.models import PolicyRevision

    policy = create_policy()
    # a revision 2 with a stricter rule: the application is decided on it
    stricter = policy.content() | {
        "conditions": {"all": [{"field": "employees", "op": "gte", "value": 1000}]}
    }
    db.session.add(PolicyRevision(policy_id=policy.id, number=2, content=stricter))
    policy.revision_no = 2
    db.session.commit()
    user = enterprise_user()
    application, _ = services.apply_instant(user.enterprise, policy, actor=user)
    assert application.revision.number == 2 and application.status == Status.REJECTED


def test_my_applications_lists_them(client, auth, enterprise_user, create_policy):
    user, policy = enterprise_user(), create_policy()
    _apply(client, auth, user, policy)
    page = client.get("/approvals/").get_data(as_text=True)
    assert policy.title in page and "已通过" in page
    home = client.get("/").get_data(as_text=True)
    assert "我的申请" in home
