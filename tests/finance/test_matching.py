"""Pure tests of portal/finance/matching.py: fit, score, explanation, bank picking, working-day deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal import conditions
from portal.finance import matching
from portal.finance.matching import Ask, Product

PROFILE = conditions.derive(
    {
        "name": "深圳市样例电子有限公司",
        "registered_district": "宝安区",
        "industry_code": "C3982",
        "founded": "2018-05-12",
        "employees": 120,
        "revenue_wan": 5230,
        "assets_wan": 4100,
        "rd_expense_wan": 310,
        "tax_paid_wan": 180,
        "qualifications": ["国家高新技术企业"],
        "credit_ok": True,
    },
    date(2026, 12, 1),
)
ASK = Ask(amount=Decimal("500"), term=24, max_rate=Decimal("5.00"), collateral="无（信用）")


def product(pid: int = 1, bank_id: int = 1, **overrides) -> Product:
    values = {
        "id": pid,
        "bank_id": bank_id,
        "name": "科创信用贷",
        "kind": "信用贷",
        "amount_min": Decimal("50"),
        "amount_max": Decimal("1000"),
        "term_min": 6,
        "term_max": 36,
        "rate_min": Decimal("3.50"),
        "rate_max": Decimal("4.50"),
        "conditions": {"all": [{"field": "revenue_wan", "op": "gte", "value": 2000}]},
    } | overrides
    return Product(**values)


@pytest.mark.parametrize(
    ("overrides", "fits"),
    [
        ({}, True),
        ({"amount_min": Decimal("500")}, True),  # the minimum may equal the ask
        ({"amount_min": Decimal("500.01")}, False),  # the bank lends more than asked
        ({"amount_max": Decimal("100")}, True),  # covers part of the amount: fits, scored lower
        ({"term_min": 25}, False),
        ({"term_max": 12}, True),
        ({"rate_min": Decimal("5.00")}, True),
        ({"rate_min": Decimal("5.01")}, False),
        ({"kind": "抵押贷"}, False),  # no property or equipment offered
        ({"kind": "知识产权质押贷"}, False),
        ({"conditions": {"all": [{"field": "revenue_wan", "op": "gte", "value": 6000}]}}, False),
        ({"conditions": {"all": [{"field": "size_class", "op": "in", "value": ["小型", "微型"]}]}}, True),
        ({"conditions": {"all": [{"field": "street", "op": "eq", "value": "新安街道"}]}}, False),  # unknown
        ({"conditions": {"all": []}}, True),
    ],
)
def test_fit_rules(overrides, fits):
    ranked = matching.rank(ASK, [product(**overrides)], PROFILE)
    assert bool(ranked) is fits


def test_collateral_suits_kind():
    mortgage = product(kind="抵押贷")
    assert matching.rank(Ask(ASK.amount, 24, ASK.max_rate, "房产抵押"), [mortgage], PROFILE)
    assert matching.rank(Ask(ASK.amount, 24, ASK.max_rate, "设备抵押"), [mortgage], PROFILE)
    assert not matching.rank(Ask(ASK.amount, 24, ASK.max_rate, "第三方担保"), [mortgage], PROFILE)
    # a credit loan needs no collateral, so it suits a request that offers some
    assert matching.rank(Ask(ASK.amount, 24, ASK.max_rate, "房产抵押"), [product()], PROFILE)


def test_rank_orders_by_rate_coverage_and_term():
    cheap = product(1, rate_min=Decimal("3.20"))
    dear = product(2, rate_min=Decimal("4.80"))
    partial = product(3, amount_max=Decimal("250"), rate_min=Decimal("3.20"))
    short = product(4, term_max=12, rate_min=Decimal("3.20"))
    order = [f.product.id for f in matching.rank(ASK, [dear, partial, short, cheap], PROFILE)]
    assert order == [1, 4, 3, 2]
    assert matching.score(ASK, cheap) == pytest.approx(0.5 * 0.36 + 0.3 + 0.2)


def test_rank_is_stable_on_ties():
    same = [product(pid, bank_id=pid) for pid in (5, 3, 4)]
    assert [f.product.id for f in matching.rank(ASK, same, PROFILE)] == [3, 4, 5]


def test_explain_in_chinese_with_groups():
    p = product(
        amount_max=Decimal("400"),
        conditions={
            "all": [
                {"field": "revenue_wan", "op": "gte", "value": 2000},
                {"field": "qualifications", "op": "contains_any", "value": ["国家高新技术企业"]},
                {"field": "registered_district", "op": "eq", "value": "宝安区"},
            ]
        },
    )
    reasons = matching.explain(ASK, p, PROFILE)
    texts = [r.text for r in reasons]
    assert texts[0] == "产品：科创信用贷（信用贷）"
    assert texts[1] == "额度最高 400 万元，可满足申请金额 500 万元的 80% ✓"
    assert texts[2] == "期限 6–36 个月，覆盖申请的 24 个月 ✓"
    assert texts[3] == "年利率 3.5%–4.5%，最低利率不高于可接受的 5% ✓"
    assert texts[4] == "担保方式“无（信用）”适用信用贷 ✓"
    assert texts[5] == "上年度营业收入 5,230 万元，不低于 2,000 万元 ✓"
    assert [r.groups for r in reasons] == [()] * 5 + [("经营财务",), ("资质信用",), ("基本信息",)]


def test_explain_says_why_not():
    reasons = [r.text for r in matching.explain(ASK, product(rate_min=Decimal("5.5"), term_min=30), PROFILE)]
    assert "最短期限长于申请的 24 个月 ✗" in reasons[2]
    assert "最低利率高于可接受的 5% ✗" in reasons[3]


def test_every_profile_field_has_one_group():
    enterprise_fields = {
        n for n, s in conditions.FIELDS.items() if s.source in ("own", "verified", "derived")
    }
    assert {"tax_district", "revenue_growth"} <= enterprise_fields
    # loan fields are the request's, and the portal's own records are not the enterprise's data to share
    assert set(matching.GROUP_OF_FIELD) >= enterprise_fields
    assert sum(len(v) for v in matching.FIELD_GROUPS.values()) == len(matching.GROUP_OF_FIELD)


def test_pick_banks_best_per_bank_with_skip_allowed_and_slots():
    fits = matching.rank(
        ASK,
        [
            product(1, bank_id=10, rate_min=Decimal("3.0")),
            product(2, bank_id=10, rate_min=Decimal("3.1")),
            product(3, bank_id=20, rate_min=Decimal("3.2")),
            product(4, bank_id=30, rate_min=Decimal("3.3")),
            product(5, bank_id=40, rate_min=Decimal("3.4")),
        ],
        PROFILE,
    )
    assert [f.product.id for f in matching.pick_banks(fits, slots=3)] == [1, 3, 4]
    assert [f.product.id for f in matching.pick_banks(fits, skip={10}, slots=3)] == [3, 4, 5]
    assert [f.product.id for f in matching.pick_banks(fits, allowed=[20, 40], slots=3)] == [3, 5]
    assert matching.pick_banks(fits, slots=0) == []


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Monday 10:00 CST → the end of Thursday = Friday 00:00 CST = Thursday 16:00 UTC
        (datetime(2026, 11, 30, 2, 0, tzinfo=UTC), 3, datetime(2026, 12, 3, 16, 0, tzinfo=UTC)),
        # Friday 10:00 CST → Mon, Tue, Wed → Thursday 00:00 CST
        (datetime(2026, 12, 4, 2, 0, tzinfo=UTC), 3, datetime(2026, 12, 9, 16, 0, tzinfo=UTC)),
        # Saturday → Mon, Tue, Wed
        (datetime(2026, 12, 5, 2, 0, tzinfo=UTC), 3, datetime(2026, 12, 9, 16, 0, tzinfo=UTC)),
        # Sunday 23:30 UTC is already Monday 07:30 in Shanghai: Tue, Wed, Thu
        (datetime(2026, 12, 6, 23, 30, tzinfo=UTC), 3, datetime(2026, 12, 10, 16, 0, tzinfo=UTC)),
        # one working day after Monday is Tuesday: due at Wednesday 00:00 CST
        (datetime(2026, 11, 30, 2, 0, tzinfo=UTC), 1, datetime(2026, 12, 1, 16, 0, tzinfo=UTC)),
    ],
)
def test_deadline_counts_working_days_in_shanghai(start, days, due):
    assert matching.deadline(start, days) == due


def test_matching_imports_no_flask_and_no_database():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(matching.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m.split(".")[0] in ("flask", "sqlalchemy", "flask_sqlalchemy")}
    assert imported & {"portal.finance.models", "portal.finance.services", "portal.extensions"} == set()
