"""Issue 9 rough edges on the enterprise's side: 为我推荐 shows an applied policy's state instead of 一键申领,
never offers "差一项" for what cannot change, years show with one rounding rule, messages about an application
link to it, and the confirm dialogs say what will happen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.approvals import services as approvals
from portal.extensions import db
from portal.models import Notification


def test_applied_policy_shows_its_state_not_the_apply_button(
    client, auth, create_user, create_enterprise, create_policy
):
    firm = create_enterprise()
    user = create_user("enterprise", enterprise_id=firm.id)
    policy = create_policy(title="宝安区研发投入奖励（秒批）")
    auth.login(user)
    page = client.get("/policies/recommend").text
    card = page.split("宝安区研发投入奖励（秒批）")[1]
    assert "一键申领（秒批）" in card.split("policy-card")[0]
    application, _ = approvals.apply_instant(firm, policy, actor=user)
    db.session.commit()
    page = client.get("/policies/recommend").text
    card = page.split("宝安区研发投入奖励（秒批）")[1].split("policy-card")[0]
    # before: 一键申领 offered again on an approved policy
    assert "一键申领" not in card
    assert f"已申请 · {application.status_label}" in card
    assert f'href="/approvals/{application.id}"' in card
    detail = client.get(f"/policies/{policy.id}").text
    assert f"已申请 · {application.status_label}" in detail and "一键申领（秒批）" not in detail


def test_a_company_too_old_is_not_told_it_is_one_condition_away(
    client, auth, create_user, create_enterprise, create_policy
):
    firm = create_enterprise(founded=date(2003, 1, 1))
    create_policy(
        title="新办企业开办奖励",
        conditions={
            "all": [
                {"field": "registered_district", "op": "eq", "value": "宝安区"},
                {"field": "years_since_founded", "op": "lt", "value": 1},
            ]
        },
        support={"kind": "fixed", "amount_wan": 0.1},
    )
    create_policy(
        title="规模企业增产奖励",
        conditions={"all": [{"field": "revenue_wan", "op": "gte", "value": 100000}]},
        support={"kind": "fixed", "amount_wan": 5},
    )
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    page = client.get("/policies/recommend").text
    almost = page.split("差一项条件即可申报")[1]
    assert "规模企业增产奖励" in almost  # revenue can grow
    assert "新办企业开办奖励" not in almost  # before: listed, with "已满 1 年 ✗"
    detail = client.get("/policies/").text
    assert "已满 1 年 ✗" not in detail


def test_years_use_one_rounding_rule(client, auth, create_user, create_enterprise, create_policy):
    from portal.conditions import evaluate
    from portal.timeutil import today

    on = today()
    founded = date(on.year - 23, 1, 1)
    firm = create_enterprise(founded=founded)
    years = firm.profile(on)["years_since_founded"]
    cut = f"{Decimal(int(years * 100)).scaleb(-2):.2f}"
    sentence = evaluate(
        {"all": [{"field": "years_since_founded", "op": "gte", "value": 1}]}, firm.profile(on)
    )[0].sentence
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    page = client.get("/profile").text
    assert f"{cut} 年" in page
    assert sentence.startswith(f"成立年限 {cut} 年")  # the explanation and the profile agree


def test_years_filter_cuts_rather_than_rounds(app):
    from fractions import Fraction

    from portal.views import years_filter

    assert years_filter(Fraction(2395, 100) - Fraction(1, 1000)) == "23.94 年"  # 23.949 → 23.94, not 23.95
    assert years_filter(None) == "—"


def test_message_about_an_application_links_to_it(
    client, auth, create_user, create_enterprise, create_policy
):
    firm = create_enterprise()
    user = create_user("enterprise", enterprise_id=firm.id)
    policy = create_policy()
    application, _ = approvals.apply_instant(firm, policy, actor=user)
    db.session.commit()
    note = db.session.scalar(select(Notification).where(Notification.enterprise_id == firm.id))
    assert note is not None and note.link == f"/approvals/{application.id}"
    auth.login(user)
    page = client.get(f"/policies/inbox/{note.id}").text
    # before: only "查看政策详情"
    assert f'id="message-link" href="/approvals/{application.id}">查看申请</a>' in page
    assert f'href="/policies/{policy.id}"' in page


def test_confirm_dialogs_on_publish_grant_and_payment(client, auth, create_user, create_policy, official):
    draft = create_policy(status="draft")
    auth.login(official)
    page = client.get(f"/policies/{draft.id}").text
    assert 'data-confirm="发布后政策对所有企业可见' in page
    grants = client.get("/approvals/grants").text
    assert 'data-confirm="将向所有符合' in grants or "暂无在申报期内的秒批事项" in grants


def test_an_award_already_received_is_not_one_condition_away(
    client, auth, create_user, create_enterprise, create_policy
):
    firm = create_enterprise()
    user = create_user("enterprise", enterprise_id=firm.id)
    first = create_policy(
        title="规上企业首次达标奖励", group="跨越发展奖励", support={"kind": "fixed", "amount_wan": 10}
    )
    no_repeat = {"field": "approved_groups", "op": "not_contains_any", "value": ["@own"]}
    create_policy(
        title="规上企业再上台阶奖励",
        group="跨越发展奖励",
        conditions={"all": [{"field": "registered_district", "op": "eq", "value": "宝安区"}, no_repeat]},
        support={"kind": "fixed", "amount_wan": 20},
    )
    auth.login(user)
    page = client.get("/policies/recommend").text
    assert "规上企业再上台阶奖励" in page.split("差一项条件即可申报")[0]  # eligible before any award
    application, _ = approvals.apply_instant(firm, first, actor=user)
    db.session.commit()
    assert application.status == "approved"
    page = client.get("/policies/recommend").text
    # before: listed under 差一项 with "还差一项：已获支持类别", which the firm can never meet
    assert "规上企业再上台阶奖励" not in page


def test_the_policy_page_says_which_tier_the_amount_comes_from_before_applying(
    client, auth, create_user, create_enterprise, create_policy
):
    tiers = {
        "kind": "tiers",
        "base": "revenue_wan",
        "tiers": [
            {"gte": 2000, "amount_wan": 10},
            {"gte": 5000, "amount_wan": 30},
            {"gte": 10000, "amount_wan": 60},
        ],
    }
    policy = create_policy(support=tiers)
    firm = create_enterprise()  # revenue 5,230 万元: the middle tier
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    page = client.get(f"/policies/{policy.id}").get_data(as_text=True)
    assert "预计可获支持：<strong>30.00 万元</strong>" in page
    assert "达到 5,000 万元档" in page
