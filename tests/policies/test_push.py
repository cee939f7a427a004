"""Precise push: publish notifies each qualifying enterprise exactly once; opt-out; inbox and read receipts."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Notification
from portal.policies import catalog, delivery
from portal.policies.models import DeliveryJob, Policy


def _count(policy_id: int | None = None) -> int:
    stmt = select(func.count(Notification.id))
    if policy_id:
        stmt = stmt.where(Notification.policy_id == policy_id)
    return db.session.scalar(stmt)


def _population(create_enterprise):
    """Two qualifying enterprises, one that fails (revenue), one with unknown revenue, one outside Bao'an."""
    return {
        "a": create_enterprise(),
        "b": create_enterprise(revenue_wan=2000),
        "small": create_enterprise(revenue_wan=1999.99),
        "unknown": create_enterprise(revenue_wan=None),
        "nanshan": create_enterprise(registered_district="南山区", street="粤海街道"),
    }


def test_publish_pushes_exactly_once(client, auth, official, create_policy, create_enterprise, runner, on):
    firms = _population(create_enterprise)
    policy = create_policy(status="draft")
    auth.login(official)
    response = client.post(f"/policies/{policy.id}/publish", follow_redirects=True)
    assert "精准推送完成：新推送 2 家企业" in response.get_data(as_text=True)
    pushed = set(
        db.session.scalars(select(Notification.enterprise_id).where(Notification.policy_id == policy.id))
    )
    assert pushed == {firms["a"].id, firms["b"].id}
    note = db.session.scalar(select(Notification).where(Notification.enterprise_id == firms["a"].id))
    assert note.dedupe_key == f"policy:{policy.id}" and "预计可获支持 31.00 万元" in note.body
    # publishing again, revising, and re-running the CLI send no duplicates
    client.post(f"/policies/{policy.id}/publish")
    policy = db.session.get(Policy, policy.id)
    catalog.save_policy(policy, policy.content() | {"title": policy.title + "（修订）"}, actor=official)
    job = delivery.queue_delivery(policy, actor=official)
    delivery.deliver(policy, on=on, job=job)
    db.session.commit()
    assert job.pushed == 0 and job.matched == 2
    result = runner.invoke(args=["policies", "deliver", str(policy.id)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["policies", "deliver", "--all"])
    assert result.exit_code == 0 and "新推送 0 条" in result.output
    assert _count(policy.id) == 2
    assert db.session.get(Policy, policy.id).revision_no == 2


def test_revision_that_widens_the_audience_pushes_only_new_qualifiers(
    client, auth, official, create_policy, create_enterprise, on
):
    firms = _population(create_enterprise)
    policy = create_policy(status="draft")
    auth.login(official)
    client.post(f"/policies/{policy.id}/publish")
    assert _count(policy.id) == 2
    content = policy.content()
    content["conditions"]["all"][2]["value"] = 1000  # revenue 1000 万元 and up: "small" now qualifies
    catalog.save_policy(policy, content, actor=official)
    delivery.deliver(policy, on=on)
    db.session.commit()
    assert _count(policy.id) == 3
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.enterprise_id == firms["small"].id)
        )
        == 1
    )


def test_muted_category_gets_no_push_but_is_counted(app, official, create_policy, create_enterprise, on):
    muted = create_enterprise(muted_categories=["研发资助"])
    other = create_enterprise(muted_categories=["稳岗就业"])
    policy = create_policy(status="draft")
    job = catalog.publish(policy, actor=official, on=on)
    delivery.deliver(policy, on=on, job=job)
    db.session.commit()
    assert job.matched == 2 and job.muted == 1 and job.pushed == 1
    assert set(db.session.scalars(select(Notification.enterprise_id))) == {other.id}
    assert delivery.funnel(policy)["pushed"] == 1
    assert muted.id not in set(db.session.scalars(select(Notification.enterprise_id)))


def test_settings_page_sets_opt_out(client, auth, create_user):
    user = create_user("enterprise")
    auth.login(user)
    assert client.get("/policies/settings").status_code == 200
    response = client.post("/policies/settings", data={"muted": ["人才支持", "租金补贴"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert user.enterprise.muted_categories == ["人才支持", "租金补贴"]
    assert client.post("/policies/settings", data={"muted": ["不存在的类别"]}).status_code == 200
    db.session.expire_all()
    assert user.enterprise.muted_categories == ["人才支持", "租金补贴"]


def test_inbox_unread_count_and_read_receipt(
    client, auth, create_user, create_policy, create_enterprise, official, on
):
    firm = create_enterprise()
    user = create_user("enterprise", enterprise_id=firm.id)
    policy = create_policy(status="draft")
    catalog.publish(policy, actor=official, on=on)
    delivery.deliver(policy, on=on)
    delivery.deliver(create_policy(status="published", title="第二项政策"), on=on)
    db.session.commit()
    auth.login(user)
    home = client.get("/").get_data(as_text=True)
    assert 'id="unread-count">2<' in home
    inbox = client.get("/policies/inbox").get_data(as_text=True)
    assert "政策直达：" + policy.title in inbox
    note = db.session.scalar(select(Notification).where(Notification.policy_id == policy.id))
    assert note.read_at is None
    page = client.get(f"/policies/inbox/{note.id}")
    assert page.status_code == 200 and policy.title in page.get_data(as_text=True)
    db.session.expire_all()
    first = db.session.get(Notification, note.id).read_at
    assert first is not None
    client.get(f"/policies/inbox/{note.id}")  # opening again keeps the first receipt
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at == first
    assert 'id="unread-count">1<' in client.get("/").get_data(as_text=True)
    funnel = delivery.funnel(policy)
    assert (funnel["pushed"], funnel["read"]) == (1, 1)
    client.post("/policies/inbox/read-all")
    assert "unread-count" not in client.get("/").get_data(as_text=True)


def test_another_enterprises_message_is_404(client, auth, create_user, create_enterprise, create_policy, on):
    firm = create_enterprise()
    delivery.deliver(create_policy(), on=on)
    db.session.commit()
    note = db.session.scalar(select(Notification).where(Notification.enterprise_id == firm.id))
    auth.login(create_user("enterprise"))
    assert client.get(f"/policies/inbox/{note.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is None


def test_delivery_job_is_recorded_with_progress(client, auth, official, create_policy, create_enterprise):
    for _ in range(5):
        create_enterprise()
    policy = create_policy(status="draft")
    auth.login(official)
    client.post(f"/policies/{policy.id}/publish")
    job = db.session.scalar(select(DeliveryJob).where(DeliveryJob.policy_id == policy.id))
    assert (job.status, job.total, job.done, job.matched, job.pushed) == ("done", 5, 5, 5, 5)
    assert client.get(f"/policies/jobs/{job.id}").get_json()["percent"] == 100
    page = client.get(f"/policies/{policy.id}").get_data(as_text=True)
    assert "推送 <strong>5</strong>" in page and "已完成" in page


def test_bulk_delivery_inserts_in_batches(app, create_policy, on):
    from portal import reference
    from portal.models import Enterprise

    db.session.add_all(
        Enterprise(
            uscc=reference.make_uscc("440306", 900000 + i),
            name=f"批量企业{i}",
            registered_district="宝安区",
            revenue_wan=2500,
            qualifications=["国家高新技术企业"],
            verified={},
        )
        for i in range(450)
    )
    db.session.commit()
    policy = create_policy()
    chunks = []
    job = delivery.deliver(policy, on=on, chunk=100, after_chunk=lambda j, n: chunks.append(j.done))
    assert chunks == [100, 200, 300, 400, 450]
    assert job.pushed == 450 and _count(policy.id) == 450
    assert delivery.deliver(policy, on=on, chunk=1000).pushed == 0


def test_push_from_the_cached_table_equals_the_row_by_row_engine(app, create_policy, on):
    from portal import conditions as cond
    from portal.models import Enterprise
    from tests.policies.test_sandbox import _random_enterprises

    _random_enterprises(3, 250)
    policy = create_policy(
        conditions={"all": [{"field": "revenue_wan", "op": "gte", "value": 2000}]},
        support={"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
    )
    expected, muted = {}, 0
    for e in db.session.scalars(select(Enterprise)):
        profile = e.profile(on)
        if cond.eligible(policy.conditions, profile):
            if policy.category in (e.muted_categories or ()):
                muted += 1
            else:
                expected[e.id] = delivery._message(policy, cond.support_amount(policy.support, profile))
    steps = []
    job = delivery.deliver(policy, on=on, chunk=37, after_chunk=lambda j, n: steps.append((j.done, n)))
    db.session.commit()
    assert job.matched == len(expected) + muted and job.muted == muted and job.pushed == len(expected)
    got = dict(db.session.execute(select(Notification.enterprise_id, Notification.body)).all())
    assert got == expected
    assert sum(n for _, n in steps) == job.total == job.done and steps[-1][0] == job.total
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)
    assert delivery.deliver(policy, on=on).pushed == 0 and _count(policy.id) == len(expected)
