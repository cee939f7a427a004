"""Support rules as real policies write them: tiers, ratio with cap / increase / over part, per unit, interest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal import conditions as cond

TIERS = {
    "kind": "tiers",
    "base": "revenue_wan",
    "tiers": [
        {"gte": 10000, "amount_wan": 50},
        {"gte": 100000, "amount_wan": 200},
        {"gte": 50000, "amount_wan": 100},
    ],
}


def _profile(**record):
    return cond.derive(record, date(2026, 6, 30)) | {k: v for k, v in record.items() if k.endswith("_prev")}


@pytest.mark.parametrize(
    ("support", "record", "amount", "sentence"),
    [
        (
            TIERS,
            {"revenue_wan": 9999.99},
            "0.00",
            "上年度营业收入 9,999.99 万元，未达到最低一档（10,000 万元）：0.00 万元",
        ),
        (
            TIERS,
            {"revenue_wan": 10000},
            "50.00",
            "上年度营业收入 10,000 万元，达到 10,000 万元档：50.00 万元",
        ),
        (
            TIERS,
            {"revenue_wan": 60000},
            "100.00",
            "上年度营业收入 60,000 万元，达到 50,000 万元档：100.00 万元",
        ),
        (
            TIERS,
            {"revenue_wan": 150000},
            "200.00",
            "上年度营业收入 150,000 万元，达到 100,000 万元档：200.00 万元",
        ),
        (
            {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
            {"rd_expense_wan": 2500},
            "200.00",
            "上年度研发费用 2,500 万元，按上年度研发费用的 10% 给予资助，最高 200 万元：200.00 万元（已达上限）",
        ),
        (
            {"kind": "ratio", "base": "revenue_wan", "rate": 0.01, "cap_wan": None, "over_wan": 5000},
            {"revenue_wan": 5333.33},
            "3.33",
            "上年度营业收入计奖部分 333.33 万元，按上年度营业收入超过 5,000 万元的部分的 1% 给予资助：3.33 万元",
        ),
        (
            {"kind": "ratio", "base": "revenue_wan", "rate": 0.05, "increase": True},
            {"revenue_wan": 12000, "revenue_wan_prev": 10000},
            "100.00",
            "上年度营业收入计奖部分 2,000 万元，按上年度营业收入比上年增长部分的 5% 给予资助：100.00 万元",
        ),
        (
            {"kind": "ratio", "base": "revenue_wan", "rate": 0.05, "increase": True},
            {"revenue_wan": 9000, "revenue_wan_prev": 10000},
            "0.00",
            None,
        ),
        (
            {"kind": "per_unit", "base": "employees", "amount_wan": 0.5, "cap_wan": 30},
            {"employees": 41},
            "20.50",
            "从业人员 41 人，按从业人员每人 0.5 万元给予补贴，最高 30 万元：20.50 万元",
        ),
        (
            {"kind": "per_unit", "base": "employees", "amount_wan": 0.5, "cap_wan": 30},
            {"employees": 70},
            "30.00",
            None,
        ),
    ],
)
def test_amount_and_its_explanation(support, record, amount, sentence):
    assert cond.validate_support(support) == []
    profile = _profile(**record)
    assert cond.support_amount(support, profile) == Decimal(amount)
    if sentence:
        assert cond.explain_support(support, profile) == sentence


def test_missing_figures_leave_the_amount_to_review():
    increase = {"kind": "ratio", "base": "revenue_wan", "rate": 0.05, "increase": True}
    assert cond.support_amount(increase, _profile(revenue_wan=100)) is None
    assert "缺少数据" in cond.explain_support(increase, _profile(revenue_wan=100))
    assert cond.support_amount(TIERS, _profile()) is None
    assert cond.support_amount({"kind": "interest", "rate": 0.5, "cap_wan": 50}, _profile()) is None


@pytest.mark.parametrize(
    ("support", "problem"),
    [
        ({"kind": "tiers", "base": "revenue_wan", "tiers": []}, "tiers 应为非空列表"),
        (
            {"kind": "tiers", "base": "revenue_wan", "tiers": [{"gte": 1}]},
            "第1档应为包含 gte 和 amount_wan 的对象",
        ),
        (
            {"kind": "tiers", "base": "revenue_wan", "tiers": [{"gte": -1, "amount_wan": 1}]},
            "第1档的 gte 和 amount_wan 应为非负数",
        ),
        ({"kind": "per_unit", "base": "employees"}, "缺少 amount_wan"),
        (
            {"kind": "ratio", "base": "revenue_wan", "rate": 0.1, "increase": "yes"},
            "increase 应为 true 或 false",
        ),
        ({"kind": "ratio", "base": "revenue_wan", "rate": 0.1, "over_wan": -5}, "over_wan 应为非负数"),
    ],
)
def test_bad_rules_are_named(support, problem):
    assert any(p.startswith(problem) for p in cond.validate_support(support)), cond.validate_support(support)


def test_describe_tiers_in_order():
    assert cond.describe_support(TIERS) == (
        "按上年度营业收入分档奖励：达到 10,000 万元奖励 50 万元、达到 50,000 万元奖励 100 万元、"
        "达到 100,000 万元奖励 200 万元（就高不重复）"
    )
