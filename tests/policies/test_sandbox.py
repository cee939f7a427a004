"""The policy sandbox on a handmade population: reach by street, size and park; the budget it takes."""

from __future__ import annotations

from decimal import Decimal

from portal import services as kernel
from portal.extensions import db
from portal.policies import audience


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
    report = audience.sandbox(policy, on=on)
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


# ------------------------------------------------------------------ the database's answer equals the row-by-row engine

RANDOM_POLICIES = [
    {"all": [{"field": "revenue_wan", "op": "gte", "value": 2000}]},
    {"all": [{"field": "revenue_wan", "op": "gt", "value": 2000}, {"field": "credit_ok", "op": "eq", "value": True}]},
    {"all": [{"field": "rd_ratio", "op": "gte", "value": 0.03}, {"field": "years_since_founded", "op": "gte", "value": 1}]},
    {"all": [{"field": "years_since_founded", "op": "lt", "value": 2}, {"field": "street", "op": "in", "value": ["新安街道", "沙井街道"]}]},
    {"all": [{"field": "years_since_founded", "op": "gte", "value": 3}, {"field": "registered_district", "op": "eq", "value": "宝安区"}]},
    {"all": [{"field": "size_class", "op": "in", "value": ["小型", "微型"]}, {"field": "employees", "op": "lte", "value": 300}]},
    {"all": [{"field": "size_class", "op": "ne", "value": "中型"}]},
    {"all": [{"field": "industry_code", "op": "prefix_in", "value": ["C39", "I65"]}, {"field": "tax_paid_wan", "op": "gte", "value": 100}]},
    {"all": [{"field": "qualifications", "op": "contains_all", "value": ["国家高新技术企业", "专精特新中小企业"]}]},
    {"all": [{"field": "qualifications", "op": "not_contains_any", "value": ["上市企业"]}, {"field": "assets_wan", "op": "lt", "value": 5000}]},
    {"all": [{"field": "street", "op": "ne", "value": "新安街道"}, {"field": "rd_expense_wan", "op": "gt", "value": 149.99}]},
    {"all": []},
]  # fmt: skip
SUPPORTS = [
    {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
    {"kind": "ratio", "base": "employees", "rate": 0.35, "cap_wan": 50},
    {"kind": "ratio", "base": "revenue_wan", "rate": 0.015},
    {"kind": "fixed", "amount_wan": 20},
    {"kind": "interest", "rate": 0.5, "cap_wan": 100},
    {"kind": "tiers", "base": "revenue_wan", "tiers": [{"gte": 2000, "amount_wan": 10}, {"gte": 5000, "amount_wan": 30.005}]},
    {"kind": "per_unit", "base": "employees", "amount_wan": 0.125, "cap_wan": 20},
    {"kind": "ratio", "base": "tax_paid_wan", "rate": 0.333, "over_wan": 99.99, "cap_wan": 150},
    {"kind": "ratio", "base": "revenue_wan", "rate": 0.1, "increase": True},
]  # fmt: skip


def _random_enterprises(seed: int, n: int) -> list:
    import random
    from datetime import date, timedelta

    from portal.models import Enterprise
    from portal.reference import QUALIFICATIONS, make_uscc

    r = random.Random(seed)
    money = [Decimal("0"), Decimal("1999.99"), Decimal("2000.00"), Decimal("2000.01"), Decimal("60.00"),
             Decimal("149.99"), Decimal("150.00"), Decimal("5000.00"), Decimal("40000.00")]  # fmt: skip
    out = []
    for k in range(n):
        revenue = r.choice([*money, Decimal(r.randrange(0, 3_000_000)) / 100])
        values = {
            "registered_district": r.choice(["宝安区", "宝安区", "南山区"]),
            "street": r.choice(["新安街道", "沙井街道", "石岩街道", ""]),
            "industry_code": r.choice(["C3982", "C3841", "I6513", "F5174", "M7520", "K7010", "S9421", "X"]),
            "founded": r.choice(
                [
                    date(2024, 2, 29),
                    date(2023, 6, 30),
                    date(2025, 2, 28),
                    date(2020, 2, 29),
                    date(2027, 1, 1),
                    date(2026, 6, 30) - timedelta(r.randrange(9000)),
                ]
            ),  # fmt: skip
            "employees": r.choice([0, 5, 20, 50, 300, 1000, r.randrange(3000)]),
            "revenue_wan": revenue,
            "assets_wan": r.choice([*money, Decimal(r.randrange(0, 9_000_000)) / 100]),
            "rd_expense_wan": r.choice(
                [revenue * Decimal("0.03"), *money, Decimal(r.randrange(0, 90_000)) / 100]
            ),
            "tax_paid_wan": r.choice(
                [Decimal("100.00"), Decimal("99.99"), Decimal(r.randrange(0, 90_000)) / 100]
            ),
            "qualifications": r.sample(QUALIFICATIONS, r.randrange(4)),
            "credit_ok": r.random() > 0.1,
            "muted_categories": r.choice([[], [], ["研发资助"], ["稳岗就业", "研发资助"]]),
        }
        values["rd_expense_wan"] = values["rd_expense_wan"].quantize(Decimal("0.01"))
        for name in r.sample(list(values), r.choice([0, 0, 0, 1, 2])):  # unknown values
            values[name] = None
        out.append(Enterprise(uscc=make_uscc("440306", 700000 + seed * 10000 + k), name=f"随机企业{seed}-{k}",
                              verified={}, **values))  # fmt: skip
    db.session.add_all(out)
    db.session.commit()
    return out


def _row_by_row(policy, on):
    """The old scan: derive each profile and run conditions.matcher (the reference the table must equal)."""
    from sqlalchemy import select

    from portal import conditions as cond
    from portal.models import Enterprise

    match = cond.matcher(policy.conditions)
    report = audience.Sandbox(budget_wan=policy.budget_wan)
    hits = []
    for e in db.session.scalars(select(Enterprise).order_by(Enterprise.id)):
        profile = e.profile(on)
        if match(profile) != cond.PASS:
            continue
        hits.append(e.id)
        report.total += 1
        report.muted += policy.category in (e.muted_categories or ())
        report.by_street[f"{e.registered_district or '未填区'} {e.street or '未填街道'}"] += 1
        report.by_size[profile["size_class"] or "无法划型"] += 1
        amount = cond.support_amount(policy.support, profile) if policy.support else None
        if amount is None:
            report.uncomputed += 1
        else:
            report.cost_wan += amount
    return hits, report


def _check(policies, on):
    for policy in policies:
        expected, want = _row_by_row(policy, on)
        assert audience.eligible_enterprise_ids(policy, on=on) == expected, policy.conditions
        report = audience.sandbox(policy, on=on)
        assert (report.total, report.muted, report.uncomputed) == (want.total, want.muted, want.uncomputed)
        assert report.by_street == want.by_street and report.by_size == want.by_size
        assert report.cost_wan == want.cost_wan, policy.support


def test_sql_audience_equals_row_by_row_matcher(app, create_policy):
    """The database's answer equals derive + matcher per enterprise, on other days and after edits."""
    from datetime import date

    from portal.models import Enterprise

    firms = _random_enterprises(1, 300)
    policies = [
        create_policy(status="draft", conditions=c, support=SUPPORTS[k % len(SUPPORTS)], instant=False)
        for k, c in enumerate(RANDOM_POLICIES)
    ]
    _check(policies, date(2026, 6, 30))
    # another day moves the years since founding (29 Feb foundings on 28 Feb and 29 Feb)
    for day in (date(2027, 2, 28), date(2028, 2, 28), date(2028, 2, 29)):
        _check(policies[2:5], day)
    firms[0].revenue_wan, firms[1].qualifications, firms[2].street = Decimal("2000.00"), None, None
    firms[3].industry_code, firms[4].founded = None, date(2024, 2, 29)
    db.session.commit()
    _random_enterprises(2, 20)
    _check(policies, date(2026, 6, 30))
    db.session.delete(db.session.get(Enterprise, firms[5].id))
    db.session.commit()
    _check(policies[:3], date(2026, 6, 30))


def test_edit_with_an_older_updated_at_is_seen_at_once(app, create_enterprise, create_policy, on):
    """Issue 13: the per-worker cache missed a change whose updated_at was older than its newest row."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from portal.models import Enterprise

    firm = create_enterprise(revenue_wan=Decimal("5230.00"))
    create_enterprise(revenue_wan=Decimal("5230.00"))
    policy = create_policy(
        status="draft", conditions={"all": [{"field": "revenue_wan", "op": "gte", "value": 2000}]}
    )
    assert audience.sandbox(policy, on=on).total == 2
    # an import that carries the source's own timestamp (older than the rows already read)
    db.session.execute(
        update(Enterprise)
        .where(Enterprise.id == firm.id)
        .values(revenue_wan=Decimal("100.00"), updated_at=datetime(2020, 1, 1, tzinfo=UTC))
    )
    db.session.commit()
    assert audience.sandbox(policy, on=on).total == 1
    assert firm.id not in audience.eligible_enterprise_ids(policy, on=on)


def test_sandbox_reads_year_figures_as_the_profile_does(app, create_policy):
    """Growth rows, an empty column filled from the latest year, and "increase" amounts from the year before."""
    from datetime import date

    from portal.models import EnterpriseFigures

    firms = _random_enterprises(3, 60)
    for k, firm in enumerate(firms):
        if k % 3 == 0:
            firm.revenue_wan = None  # the profile takes the latest year's
        latest = Decimal(1000 + 37 * k).quantize(Decimal("0.01"))
        db.session.add(EnterpriseFigures(enterprise_id=firm.id, year=2025, revenue_wan=latest))
        if k % 4:
            before = Decimal(900 + 41 * (k % 7)) if k % 5 else Decimal("0.00")
            db.session.add(EnterpriseFigures(enterprise_id=firm.id, year=2024, revenue_wan=before))
    db.session.commit()
    increase = {"kind": "ratio", "base": "revenue_wan", "rate": 0.1, "increase": True}
    trees = [
        {"all": [{"field": "revenue_growth", "op": "gte", "value": 0.1}]},
        {"all": [{"field": "revenue_wan_prev", "op": "lt", "value": 1000}]},
        {"all": [{"field": "revenue_wan", "op": "gte", "value": 1500}]},
        {"all": [{"field": "size_class", "op": "in", "value": ["小型", "微型"]}]},
    ]
    policies = [create_policy(status="draft", conditions=t, support=increase, instant=False) for t in trees]
    _check(policies, date(2026, 6, 30))
    report = audience.sandbox(policies[2], on=date(2026, 6, 30))
    assert report.total > report.uncomputed and report.cost_wan > 0
