"""为我推荐: eligible cards (targeted first) with ✓ sentences and amounts, almost eligible with ✗, unknown with ?."""

from __future__ import annotations

from decimal import Decimal

from portal.extensions import db
from portal.policies import catalog, recommendations


def test_recommendation_page_explains_each_condition(
    client, auth, create_user, create_enterprise, create_policy
):
    firm = create_enterprise(
        revenue_wan=Decimal("5230"), rd_expense_wan=Decimal("310"), industry_code="C3982"
    )
    general = create_policy(
        title="宝安区企业研发资助（普惠）", targets={"industries": [], "qualifications": []}
    )
    targeted = create_policy(
        title="宝安区电子信息产业研发资助", targets={"industries": ["C39"], "qualifications": []}
    )
    create_policy(
        title="宝安区规模企业增产奖励",
        category="资金奖励",
        conditions={"all": [{"field": "revenue_wan", "op": "gte", "value": 10000}]},
        support={"kind": "fixed", "amount_wan": 50},
        instant=True,
    )
    create_policy(
        title="宝安区吸纳就业补贴",
        category="稳岗就业",
        conditions={
            "all": [
                {"field": "registered_district", "op": "eq", "value": "宝安区"},
                {"field": "tax_paid_wan", "op": "gte", "value": 10},
            ]
        },  # fmt: skip
        support={"kind": "fixed", "amount_wan": 5},
        instant=False,
    )
    firm.tax_paid_wan = None
    db.session.commit()
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    page = client.get("/policies/recommend").get_data(as_text=True)
    assert page.index(targeted.title) < page.index(general.title)  # targeted first
    assert "重点支持贵企业" in page
    # one mark per line, in front (issue 9: "✓ … ✓" was doubled)
    assert '<span class="fw-bold">✓</span> 上年度营业收入 5,230 万元，不低于 2,000 万元\n' in page
    assert "万元 ✓" not in page and "万元 ✗" not in page
    assert "31.00 万元" in page  # 10 % of 310
    assert "差一项条件即可申报" in page
    assert '<span class="fw-bold">✗</span> 上年度营业收入 5,230 万元，未达到 10,000 万元\n' in page
    assert "还差一项：上年度营业收入</p>" in page  # not the ✗ line again
    assert '<span class="fw-bold">?</span> 缺少数据：上年度纳税总额\n' in page
    assert "中补充：上年度纳税总额</p>" in page  # the missing data named, not "缺少数据：… ?" lists


def test_recommend_for_uses_the_index_and_follows_changes(
    app, create_enterprise, create_policy, official, on
):
    firm = create_enterprise()
    first = create_policy()
    assert [c.policy.id for c in recommendations.recommend_for(firm, on=on).eligible] == [first.id]
    second = create_policy(status="draft")
    catalog.publish(second, actor=official, on=on)
    db.session.commit()
    assert {c.policy.id for c in recommendations.recommend_for(firm, on=on).eligible} == {first.id, second.id}
    catalog.expire(first, actor=official)
    db.session.commit()
    assert [c.policy.id for c in recommendations.recommend_for(firm, on=on).eligible] == [second.id]
