"""Post-audit: a configurable share of automatic approvals is flagged at random for an official to re-check."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.approvals import services
from portal.approvals.models import Application, AuditStatus
from portal.extensions import db
from portal.services import ServiceError


class FixedRng:
    """An rng that always draws the same number."""

    def __init__(self, value: float):
        self.value = value

    def random(self) -> float:
        """The fixed draw."""
        return self.value


@pytest.mark.parametrize(("draw", "flagged"), [(0.0, True), (0.0499, True), (0.05, False), (0.9, False)])
def test_a_draw_below_the_share_flags(app, enterprise_user, create_policy, draw, flagged):
    user = enterprise_user()
    application, _ = services.apply_instant(user.enterprise, create_policy(), actor=user, rng=FixedRng(draw))
    assert (application.audit_status == AuditStatus.PENDING) is flagged


def test_only_automatic_approvals_are_flagged(app, enterprise_user, create_policy):
    user = enterprise_user(rd_expense_wan=Decimal("1.00"))
    application, _ = services.apply_instant(user.enterprise, create_policy(), actor=user, rng=FixedRng(0.0))
    assert application.audit_status is None


def test_the_share_is_configurable(app, enterprise_user, create_policy):
    app.config["POST_AUDIT_SHARE"] = 0.5
    rng = random.Random(20260630)
    policies = [create_policy(budget_wan=None) for _ in range(40)]
    user = enterprise_user()
    flags = [
        services.apply_instant(user.enterprise, p, actor=user, rng=rng)[0].audit_status for p in policies
    ]
    assert 10 <= flags.count(AuditStatus.PENDING) <= 30


def test_the_official_records_the_result(client, auth, official, enterprise_user, create_policy):
    user = enterprise_user()
    application, _ = services.apply_instant(user.enterprise, create_policy(), actor=user, rng=FixedRng(0.0))
    db.session.commit()
    auth.login(official)
    assert application.enterprise.name in client.get("/approvals/audits").get_data(as_text=True)
    page = client.post(
        f"/approvals/{application.id}/audit", data={"result": "problem"}, follow_redirects=True
    )
    assert "发现问题时须填写说明" in page.get_data(as_text=True)
    client.post(
        f"/approvals/{application.id}/audit", data={"result": "problem", "comment": "研发费用口径有误"}
    )
    db.session.expire_all()
    application = db.session.scalars(select(Application)).one()
    assert application.audit_status == AuditStatus.PROBLEM and application.audited_by_id == official.id
    record = application.records[-1]
    assert record.kind == "audit" and record.reason == "事后抽查：发现问题。研发费用口径有误"
    with pytest.raises(ServiceError, match="不在待抽查状态"):
        services.record_audit(application, actor=official, confirmed=True, comment="")
