"""Officials' queue: filters, claim, approve within the rule and budget, reject with a comment; appeals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.approvals import services
from portal.approvals.models import Application, Status
from portal.extensions import db
from portal.models import Notification, Role
from portal.policies.models import Policy
from portal.services import ServiceError
from portal.timeutil import utcnow

UNVERIFIED = ("registered_district", "credit_ok")  # R&D figures self-declared → review


def _in_review(enterprise_user, policy, **fields) -> Application:
    user = enterprise_user(verified=UNVERIFIED, **fields)
    application, _ = services.apply_instant(user.enterprise, policy, actor=user)
    db.session.commit()
    assert application.status == Status.IN_REVIEW
    return application


def _rejected(enterprise_user, policy):
    user = enterprise_user(rd_expense_wan=Decimal("100.00"))
    application, _ = services.apply_instant(user.enterprise, policy, actor=user)
    db.session.commit()
    assert application.status == Status.REJECTED
    return application, user


def test_queue_filters_by_policy_status_and_age(client, auth, official, enterprise_user, create_policy):
    first, second = create_policy(title="政策甲"), create_policy(title="政策乙")
    old = _in_review(enterprise_user, first, name="老申请企业")
    _in_review(enterprise_user, second, name="新申请企业")
    old.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    auth.login(official)
    page = client.get("/approvals/queue").get_data(as_text=True)
    assert "老申请企业" in page and "新申请企业" in page
    page = client.get(f"/approvals/queue?policy={first.id}").get_data(as_text=True)
    assert "老申请企业" in page and "新申请企业" not in page
    page = client.get("/approvals/queue?age=7").get_data(as_text=True)
    assert "老申请企业" in page and "新申请企业" not in page
    page = client.get("/approvals/queue?status=approved").get_data(as_text=True)
    assert "老申请企业" not in page
    assert "待人工审核（含申诉）" in client.get("/").get_data(as_text=True)


def test_claim_then_approve_within_the_rule(client, auth, official, enterprise_user, create_policy):
    policy = create_policy()
    application = _in_review(enterprise_user, policy)
    auth.login(official)
    client.post(f"/approvals/{application.id}/claim")
    assert db.session.get(Application, application.id).claimed_by_id == official.id
    page = client.post(
        f"/approvals/{application.id}/decide",
        data={"action": "approve", "amount": "40.00", "comment": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "核定金额不能超过政策规则允许的 31.00 万元" in page
    client.post(f"/approvals/{application.id}/decide", data={"action": "approve", "amount": "25.50"})
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.status == Status.APPROVED and application.amount_wan == Decimal("25.50")
    assert db.session.get(Policy, policy.id).budget_spent_wan == Decimal("25.50")
    assert application.records[-1].actor_id == official.id
    notes = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert notes[-1].category == "审批结果" and "已通过" in notes[-1].title


def test_an_official_approval_respects_the_budget(app, official, enterprise_user, create_policy):
    policy = create_policy(budget_wan=Decimal("10.00"))
    application = _in_review(enterprise_user, policy)
    with pytest.raises(ServiceError, match="预算余额不足"):
        services.decide(application, actor=official, approve=True, comment="", amount=Decimal("20.00"))
    db.session.rollback()
    services.decide(application, actor=official, approve=True, comment="按预算核定", amount=Decimal("10.00"))
    db.session.commit()
    assert db.session.get(Policy, policy.id).budget_spent_wan == Decimal("10.00")


def test_reject_needs_a_comment(app, official, enterprise_user, create_policy):
    application = _in_review(enterprise_user, create_policy())
    with pytest.raises(ServiceError, match="须填写理由"):
        services.decide(application, actor=official, approve=False, comment=" ")
    services.decide(application, actor=official, approve=False, comment="研发费用与审计报告不符")
    db.session.commit()
    assert application.status == Status.REJECTED
    assert application.records[-1].reason == "研发费用与审计报告不符"


def test_another_officials_claim_blocks_a_decision(
    client, auth, create_user, official, enterprise_user, create_policy
):
    application = _in_review(enterprise_user, create_policy())
    services.claim(application, actor=official)
    db.session.commit()
    other = create_user(Role.OFFICIAL)
    auth.login(other)
    assert (
        client.post(
            f"/approvals/{application.id}/decide", data={"action": "reject", "comment": "x"}
        ).status_code
        == 403
    )
    assert client.post(f"/approvals/{application.id}/claim").status_code == 403
    with pytest.raises(ServiceError, match="已由 王科长 认领"):
        services.claim(application, actor=other)


def test_appeal_goes_back_to_the_queue_and_can_be_approved(
    client, auth, official, enterprise_user, create_policy
):
    application, user = _rejected(enterprise_user, create_policy())
    auth.login(user)
    page = client.post(f"/approvals/{application.id}/appeal", data={"reason": ""}, follow_redirects=True)
    assert "请填写申诉理由" in page.get_data(as_text=True)
    client.post(f"/approvals/{application.id}/appeal", data={"reason": "研发费用已更正为 310 万元"})
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.APPEALED
    # once only
    assert client.post(f"/approvals/{application.id}/appeal", data={"reason": "再次"}).status_code == 403
    auth.logout()
    auth.login(official)
    assert str(application.enterprise.name) in client.get("/approvals/queue").get_data(as_text=True)
    client.post(f"/approvals/{application.id}/decide", data={"action": "approve", "amount": "5"})
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.status == Status.APPROVED
    assert [r.to_status for r in application.records] == ["submitted", "rejected", "appealed", "approved"]


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.BANK, Role.ADMIN])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/approvals/queue"),
        ("get", "/approvals/audits"),
        ("get", "/approvals/grants"),
        ("post", "/approvals/{id}/claim"),
        ("post", "/approvals/{id}/decide"),
        ("post", "/approvals/{id}/pay"),
        ("post", "/approvals/{id}/audit"),
    ],
)
def test_official_actions_are_refused_to_other_roles(
    client, auth, create_user, enterprise_user, create_policy, role, method, path
):
    application = _in_review(enterprise_user, create_policy())
    auth.login(create_user(role))
    response = getattr(client, method)(
        path.format(id=application.id), data={"action": "approve", "amount": "1"}
    )
    assert response.status_code == 403
    assert db.session.get(Application, application.id).status == Status.IN_REVIEW


def test_anonymous_users_are_sent_to_login(client, enterprise_user, create_policy):
    application = _in_review(enterprise_user, create_policy())
    assert client.get(f"/approvals/{application.id}").status_code == 302
    assert client.get("/approvals/queue").status_code == 302
