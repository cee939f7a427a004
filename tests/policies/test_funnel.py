"""The funnel pushed → read → applied → approved on the policy page."""

from __future__ import annotations

from sqlalchemy import select

from portal import inbox
from portal.extensions import db
from portal.models import Notification
from portal.policies import catalog, delivery


def test_funnel_counts_pushes_reads_and_applications(
    client, auth, official, create_user, create_policy, create_enterprise, on
):
    from portal.approvals.models import Application

    firms = [create_enterprise() for _ in range(3)]
    policy = create_policy(status="draft")
    delivery.deliver(policy, on=on, job=catalog.publish(policy, actor=official, on=on))
    note = db.session.scalar(select(Notification).where(Notification.enterprise_id == firms[0].id))
    inbox.open_notification(note, actor=create_user("enterprise", enterprise_id=firms[0].id))
    revision = policy.revisions[0]
    for i, firm in enumerate(firms[:2]):
        application = Application(
            enterprise_id=firm.id, policy_id=policy.id, revision_id=revision.id, status="submitted"
        )
        db.session.add(application)
        db.session.flush()
        if i == 0:
            application.status = "approved"
    db.session.commit()
    assert delivery.funnel(policy) == {"pushed": 3, "read": 1, "applied": 2, "approved": 1}
    auth.login(official)
    page = client.get(f"/policies/{policy.id}").get_data(as_text=True)
    assert "推送 <strong>3</strong> → 已读 <strong>1</strong>" in page
    assert "申请 <strong>2</strong>" in page and "获批 <strong>1</strong>" in page
