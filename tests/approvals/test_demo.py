"""The approvals demo data: applications in every state for the demo enterprise, and a non-empty queue."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal import demo
from portal.approvals import demo as approvals_demo
from portal.approvals import rules, services
from portal.approvals.models import Application, Status
from portal.extensions import db
from portal.models import User
from portal.policies import demo as policies_demo
from portal.policies.models import Policy, PolicyRevision, PolicyStatus

ON = date(2026, 6, 30)
IMPOSSIBLE = {"all": [{"field": "employees", "op": "gte", "value": 10_000_000}]}
POLICIES = [
    ("普惠奖励", {"all": []}, {"kind": "fixed", "amount_wan": 10}, True),
    ("超大企业奖励甲", IMPOSSIBLE, {"kind": "fixed", "amount_wan": 100}, True),
    ("超大企业奖励乙", IMPOSSIBLE, {"kind": "fixed", "amount_wan": 100}, True),
    ("技术改造补助", {"all": []}, {"kind": "fixed", "amount_wan": 50}, False),
]


def _seed_policies(on, users):
    """Stand-in for the policies demo: published policies with their first revision."""
    for title, conditions, support, instant in POLICIES:
        policy = Policy(
            title=title,
            category="资金奖励",
            status=PolicyStatus.PUBLISHED,
            conditions=conditions,
            support=support,
            instant=instant,
            budget_wan=None,
            revision_no=1,
            published_on=date(2025, 7, 1),  # a year of history: past approvals for the post-audit draw
        )
        db.session.add(policy)
        db.session.flush()
        db.session.add(PolicyRevision(policy_id=policy.id, number=1, content=policy.content()))
    return []


def test_demo_has_every_state(app, monkeypatch):
    monkeypatch.setattr(policies_demo, "seed", _seed_policies)
    lines = demo.seed(on=ON)
    db.session.commit()
    assert any(line.startswith("审批演示数据") for line in lines)
    firm = db.session.scalar(select(User).where(User.username == "enterprise")).enterprise_id
    mine = {a.status for a in services.applications_of(firm)}
    assert {Status.APPROVED, Status.REJECTED, Status.APPEALED, Status.IN_REVIEW} <= mine
    assert services.open_count() > 3
    # the demo ran the nightly draw over its days: what it queued is exactly what the keyed draw picks
    drawn = [
        i
        for back in range(approvals_demo.HISTORY_DAYS + 1)
        for day in [ON - timedelta(days=back)]
        for i in rules.drawn_for_audit(
            services.engine_approvals(day), key=app.config["SECRET_KEY"], day=day, share=0.05
        )
    ]
    assert len(drawn) >= 1 and sorted(a.id for a in services.audit_queue(limit=1000)) == sorted(drawn)
    assert db.session.scalars(select(Application).where(Application.enterprise_id != firm)).first()


def test_demo_without_policies_says_so(app):
    assert approvals_demo.seed(ON, {}) == ["审批演示数据：没有已发布的秒批政策，跳过。"]
