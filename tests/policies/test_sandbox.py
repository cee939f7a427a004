"""The policy sandbox on a handmade population: reach by street, size and park; the budget it takes."""

from __future__ import annotations

from decimal import Decimal

from portal import services as kernel
from portal.extensions import db
from portal.policies import services


def _population(create_enterprise):
    # 工业 (C): 20+ employees and revenue 300+ → 小型; 300+ and 2000+ → 中型; below 20 → 微型.
    create_enterprise(
        street="新安街道", employees=120, revenue_wan=Decimal("5230"), rd_expense_wan=Decimal("310")
    )
    create_enterprise(
        street="新安街道", employees=350, revenue_wan=Decimal("9000"), rd_expense_wan=Decimal("2500")
    )
    create_enterprise(street="沙井街道", employees=8, revenue_wan=Decimal("2100"), rd_expense_wan=Decimal("90"),
                      industry_code="I6513")  # fmt: skip
    create_enterprise(street="沙井街道", revenue_wan=Decimal("1500"))  # fails revenue ≥ 2000
    create_enterprise(street="石岩街道", qualifications=[])  # fails the qualification
    create_enterprise(street="福永街道", rd_expense_wan=None)  # qualifies; amount cannot be computed
    create_enterprise(registered_district="南山区", street="粤海街道")  # not in Bao'an


def test_sandbox_counts_and_budget(app, create_enterprise, create_policy, official, on):
    _population(create_enterprise)
    kernel.save_park(None, name="电子信息虚拟园区", description="", industry_prefixes=["C39"], qualifications=[],
                     manager_id=None)  # fmt: skip
    kernel.save_park(None, name="软件虚拟园区", description="", industry_prefixes=["I65"], qualifications=[],
                     manager_id=None)  # fmt: skip
    db.session.commit()
    policy = create_policy(status="draft", budget_wan=200)
    report = services.sandbox(policy, on=on)
    assert report.scanned == 6 and report.total == 4  # the Nanshan firm is not even read
    assert report.by_street == {"宝安区 新安街道": 2, "宝安区 沙井街道": 1, "宝安区 福永街道": 1}
    assert report.by_size == {"小型": 2, "中型": 1, "微型": 1}
    assert report.by_park == {"电子信息虚拟园区": 3, "软件虚拟园区": 1}
    # 10 % of R&D, capped at 200: 31 + 200 (2500 → capped) + 9; one unknown
    assert report.cost_wan == Decimal("240.00") and report.uncomputed == 1
    assert report.over_budget and round(report.budget_share, 2) == 1.2


def test_sandbox_page_for_officials_only(
    client, auth, create_user, create_enterprise, create_policy, official
):
    _population(create_enterprise)
    policy = create_policy(status="draft", support={"kind": "fixed", "amount_wan": 20}, budget_wan=100)
    auth.login(official)
    page = client.get(f"/policies/{policy.id}/sandbox").get_data(as_text=True)
    assert 'id="reach">4<' in page
    assert "80.00 万元" in page and "测算占预算 80.0%" in page
    assert "宝安区 新安街道" in page and "小型" in page
    auth.logout()
    auth.login(create_user("enterprise"))
    assert client.get(f"/policies/{policy.id}/sandbox").status_code == 403
