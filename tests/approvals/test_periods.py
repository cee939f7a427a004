"""Every decision records the period of application (effective dates) of the revision it used."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.approvals.models import Application, DecisionRecord, Status
from portal.extensions import db
from portal.policies import catalog
from portal.timeutil import today


def _apply(client, auth, user, policy):
    auth.login(user)
    return client.post(f"/approvals/apply/{policy.id}", follow_redirects=True)


def test_each_decision_record_stores_the_period_it_used(client, auth, enterprise_user, create_policy):
    start, end = today() - timedelta(days=10), today() + timedelta(days=100)
    policy = create_policy(effective_from=start, effective_until=end)
    _apply(client, auth, enterprise_user(), policy)
    application = db.session.scalars(select(Application)).one()
    assert application.status == Status.APPROVED
    records = db.session.scalars(select(DecisionRecord).order_by(DecisionRecord.id)).all()
    assert len(records) == 2
    assert {(r.period_from, r.period_until) for r in records} == {(start, end)}
    page = client.get(f"/approvals/{application.id}").get_data(as_text=True)
    assert f"适用期 {start} 至 {end}" in page


def test_a_period_not_yet_started_refuses_applications(
    client, auth, enterprise_user, create_policy, official
):
    policy = create_policy()
    later = today() + timedelta(days=30)
    content = policy.content() | {"support": {"kind": "fixed", "amount_wan": 5}, "effective_from": later}
    catalog.save_policy(policy, content | {"budget_wan": policy.budget_wan}, actor=official)
    db.session.commit()
    assert policy.revision_no == 2 and policy.effective_from == later
    page = _apply(client, auth, enterprise_user(), policy).get_data(as_text=True)
    assert "不在其有效期内" in page
    assert db.session.scalar(select(Application)) is None
