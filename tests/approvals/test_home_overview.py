"""The enterprise home answers "what can I get?": amounts and total, deadlines, states, qualifying 秒批 only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from portal.approvals import services
from portal.dashboard import home
from portal.extensions import db
from portal.models import Enterprise
from portal.timeutil import today

FAILING = {"all": [{"field": "rd_ratio", "op": "gte", "value": 0.5}]}


def test_home_lists_best_matches_with_amounts_total_and_deadlines(
    client, auth, enterprise_user, create_policy
):
    user = enterprise_user()
    create_policy(title="研发投入资助甲")  # 310 × 10 % = 31.00
    create_policy(
        title="专精特新奖励乙",
        instant=False,
        support={"kind": "fixed", "amount_wan": 50},
        deadline=today() + timedelta(days=3),
    )
    create_policy(title="高强度研发奖励丙", conditions=FAILING)
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    assert "研发投入资助甲" in page and "专精特新奖励乙" in page
    assert "81.00 万元" in page  # 31.00 + 50.00
    assert "还剩 3 天" in page
    # The best match by amount comes first.
    assert page.index("专精特新奖励乙") < page.index("研发投入资助甲")
    assert "高强度研发奖励丙" not in page


def test_instant_card_lists_only_qualifying_policies(client, auth, enterprise_user, create_policy):
    user = enterprise_user()
    create_policy(title="符合的秒批事项")
    create_policy(title="不符合的秒批事项", conditions=FAILING)
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    card = page[page.index("秒批事项</h2>") :]
    assert "符合的秒批事项" in card and "31.00 万元" in card
    assert "不符合的秒批事项" not in page
    assert "一键申领（秒批）" in card


def test_settled_application_leaves_the_total_and_shows_in_states(app, enterprise_user, create_policy):
    user = enterprise_user()
    claimed = create_policy(title="已获批事项")
    create_policy(title="待申领事项", support={"kind": "fixed", "amount_wan": 12.5})
    enterprise = db.session.get(Enterprise, user.enterprise_id)
    services.apply_instant(enterprise, claimed, actor=user, on=today())
    db.session.commit()
    overview = home.enterprise_overview(enterprise, on=today())
    assert [c.policy.title for c in overview.best] == ["待申领事项"]
    assert overview.total_wan == Decimal("12.50") and overview.claimable == 1
    assert overview.by_state == [("已通过", 1)]
    assert [c.policy.title for c in overview.instant] == ["待申领事项"]


def test_no_match_says_so(client, auth, enterprise_user, create_policy):
    user = enterprise_user()
    create_policy(conditions=FAILING)
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    assert "暂无条件全部满足的政策" in page and "暂无您符合条件的秒批事项" in page
