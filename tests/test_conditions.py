"""The condition language: validation, derived profile, exact evaluation, sentences, support amounts."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from portal.conditions import (
    FIELDS,
    OPS,
    ConditionError,
    derive,
    describe_support,
    eligible,
    evaluate,
    normalize,
    support_amount,
    validate,
    validate_support,
    verdict,
)
from tests.samples import SAMPLE_RECORD

AS_OF = date(2026, 6, 30)
RECORD = SAMPLE_RECORD | {"street": "西乡街道"}


def profile(**changes):
    return derive(RECORD | changes, AS_OF)


def one(field, op, value, **changes):
    [result] = evaluate({"all": [{"field": field, "op": op, "value": value}]}, profile(**changes))
    return result


@pytest.mark.parametrize(
    ("op", "actual", "status"),
    [
        ("gte", 2000, "pass"),
        ("gte", 1999.99, "fail"),
        ("gt", 2000, "fail"),
        ("gt", 2000.01, "pass"),
        ("lte", 2000, "pass"),
        ("lte", 2000.01, "fail"),
        ("lt", 2000, "fail"),
        ("lt", 1999.99, "pass"),
        ("eq", 2000.0, "pass"),
        ("ne", 2000, "fail"),
    ],
)
def test_numeric_ops_at_the_threshold(op, actual, status):
    assert one("revenue_wan", op, 2000, revenue_wan=actual).status == status


@pytest.mark.parametrize(
    ("prefixes", "status"),
    [(["C"], "pass"), (["C38"], "pass"), (["C384"], "pass"), (["C3841"], "pass"), (["C39", "I65"], "fail")],
)
def test_prefix_in_at_every_level(prefixes, status):
    assert one("industry_code", "prefix_in", prefixes).status == status


@pytest.mark.parametrize(
    ("founded", "op", "status"),
    [
        ("2023-06-30", "gte", "pass"),  # anniversary: exactly 3
        ("2023-06-30", "gt", "fail"),
        ("2023-07-01", "gte", "fail"),  # the day after: 2 + 364/365
        ("2023-07-01", "lt", "pass"),
        ("2023-06-29", "gt", "pass"),
    ],
)
def test_years_since_founded_boundaries(founded, op, status):
    assert one("years_since_founded", op, 3, founded=founded).status == status


def test_years_since_founded_29_february():
    assert profile(founded="2024-02-29")["years_since_founded"] == 2 + Fraction(122, 365)
    assert profile(founded=date(2024, 2, 29))["years_since_founded"] == 2 + Fraction(122, 365)
    assert profile(founded="2026-07-01")["years_since_founded"] is None  # founded after as_of


def test_rd_ratio_is_exact():
    p = profile(rd_expense_wan=150.0, revenue_wan=5000.0)
    assert p["rd_ratio"] == Fraction(3, 100)
    assert one("rd_ratio", "gte", 0.03, rd_expense_wan=150.0, revenue_wan=5000.0).status == "pass"
    assert one("rd_ratio", "gt", 0.03, rd_expense_wan=150.0, revenue_wan=5000.0).status == "fail"
    assert profile(revenue_wan=0, rd_expense_wan=12)["rd_ratio"] == 0
    assert profile(rd_expense_wan=None)["rd_ratio"] is None


def test_derive_types():
    p = profile(revenue_wan="5230.10", tax_paid_wan=Decimal("1.5"), employees=86.0)
    assert p["revenue_wan"] == Decimal("5230.10") and p["tax_paid_wan"] == Decimal("1.5")
    assert p["employees"] == 86 and isinstance(p["employees"], int)
    assert profile(assets_wan=0.1)["assets_wan"] == Decimal("0.1")
    assert p["size_class"] == "小型" and p["qualifications"] == ("国家高新技术企业",)
    with pytest.raises(ValueError):
        profile(revenue_wan="abc")


@pytest.mark.parametrize(
    ("field", "missing", "sentence"),
    [
        ("rd_expense_wan", "rd_expense_wan", "缺少数据：上年度研发费用 ?"),
        ("rd_ratio", "rd_expense_wan", "缺少数据：上年度研发费用 ?"),
        ("years_since_founded", "founded", "缺少数据：成立日期 ?"),
        ("size_class", "employees", "缺少数据：从业人员 ?"),
    ],
)
def test_unknown_when_an_input_is_missing(field, missing, sentence):
    op, value = ("in", ["小型"]) if field == "size_class" else ("gte", 0)
    result = one(field, op, value, **{missing: None})
    assert (result.status, result.sentence) == ("unknown", sentence)


def test_unknown_for_excluded_industry_size_class():
    result = one("size_class", "in", ["小型"], industry_code="J6611")
    assert result.status == "unknown" and "不适用中小企业划型" in result.sentence


@pytest.mark.parametrize(
    ("field", "op", "value", "changes", "sentence"),
    [
        ("revenue_wan", "gte", 2000, {}, "上年度营业收入 5,230 万元，不低于 2,000 万元 ✓"),
        ("revenue_wan", "lt", 1000.5, {}, "上年度营业收入 5,230 万元，要求低于 1,000.5 万元 ✗"),
        # issue 9: "成立年限 23.94 年，已满 1 年 ✗" read as satisfied
        ("years_since_founded", "lt", 1, {"founded": "2023-06-30"}, "成立年限 3 年，要求不满 1 年 ✗"),
        ("rd_ratio", "gte", 0.03, {"rd_expense_wan": 130.75}, "研发投入占营业收入比重 2.50%，未达到 3% ✗"),
        ("years_since_founded", "gte", 3, {"founded": "2023-07-01"}, "成立年限 2.99 年，不满 3 年 ✗"),
        ("years_since_founded", "gte", 3, {"founded": "2023-06-30"}, "成立年限 3 年，已满 3 年 ✓"),
        # shown precisely enough not to contradict the threshold
        (
            "years_since_founded",
            "gt",
            2.997,
            {"founded": "2023-07-01"},
            "成立年限 2.9972 年，超过 2.997 年 ✓",
        ),
        ("employees", "gte", 50, {}, "从业人员 86 人，不低于 50 人 ✓"),
        (
            "industry_code",
            "prefix_in",
            ["C38", "I65"],
            {},
            "国民经济行业 C3841 锂离子电池制造，属于 C38 电气机械和器材制造业 ✓",
        ),
        (
            "industry_code",
            "prefix_in",
            ["I65"],
            {},
            "国民经济行业 C3841 锂离子电池制造，不属于 I65 软件和信息技术服务业 ✗",
        ),
        ("qualifications", "contains_any", ["专精特新中小企业"], {}, "资质：未持有 专精特新中小企业 ✗"),
        (
            "qualifications",
            "contains_any",
            ["国家高新技术企业", "上市企业"],
            {},
            "资质：持有 国家高新技术企业 ✓",
        ),
        ("qualifications", "contains_all", ["国家高新技术企业", "上市企业"], {}, "资质：未持有 上市企业 ✗"),
        ("qualifications", "not_contains_any", ["国家高新技术企业"], {}, "资质：持有 国家高新技术企业 ✗"),
        ("registered_district", "eq", "宝安区", {}, "注册所在区 宝安区 ✓"),
        (
            "registered_district",
            "eq",
            "宝安区",
            {"registered_district": "南山区"},
            "注册所在区 南山区，不是 宝安区 ✗",
        ),
        ("size_class", "ne", "大型", {}, "企业规模 小型，不是 大型 ✓"),
        ("size_class", "not_in", ["小型", "微型"], {}, "企业规模 小型，不得为 小型、微型 ✗"),
        ("credit_ok", "eq", True, {"credit_ok": False}, "信用状况：有失信或严重违法记录 ✗"),
    ],
)
def test_sentences(field, op, value, changes, sentence):
    assert one(field, op, value, **changes).sentence == sentence


def test_verdict_and_eligible():
    p = profile(tax_paid_wan=None)
    passing = {"field": "revenue_wan", "op": "gte", "value": 2000}
    failing = {"field": "employees", "op": "gt", "value": 1000}
    unknown = {"field": "tax_paid_wan", "op": "gte", "value": 10}
    assert verdict(evaluate({"all": [passing]}, p)) == "pass"
    assert verdict(evaluate({"all": [passing, unknown]}, p)) == "unknown"
    assert verdict(evaluate({"all": [unknown, failing]}, p)) == "fail"
    assert verdict(evaluate({"all": []}, p)) == "pass"
    assert eligible({"all": [passing]}, p) and not eligible({"all": [passing, unknown]}, p)


def test_result_as_dict_is_jsonable():
    d = one("rd_ratio", "gte", 0.03).as_dict()
    assert d["actual"] == str(Fraction(310, 5230)) and d["status"] == "pass"


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([], '条件应为 {"all": [...]} 形式的对象'),
        ({"any": []}, "“满足以下任一项”至少要有一条条件"),
        ({"all": [], "any": []}, "一个组只能包含 all、any、not 之一"),
        ({"foo": []}, "条件只能是 all、any、not 组或单条条件"),
        (
            {"all": [{"any": [{"field": "employees", "op": "gte", "value": "x"}]}]},
            "第1.1条条件：取值 'x' 应为数字",
        ),
        (
            {"all": [{"not": [{"field": "employees", "op": "gte", "value": 1}]}]},
            "第1条条件：not 应为单个条件",
        ),
        (
            {"all": [{"any": [{"all": [{"not": {"field": "employees", "op": "gte", "value": 1}}]}]}]},
            "第1.1.1条条件：条件组嵌套超过 3 层",
        ),
        ({"all": {}}, "all 应为条件列表"),
        ({"all": ["x"]}, "第1条条件：应为包含 field、op、value 的对象"),
        ({"all": [{"field": "employees", "op": "gte"}]}, "第1条条件：缺少 value"),
        (
            {"all": [{"field": "employees", "op": "gte", "value": 1, "unit": "人"}]},
            "第1条条件：多余的键 unit",
        ),
        ({"all": [{"field": "profit", "op": "gte", "value": 1}]}, "第1条条件：未知字段 profit"),
        ({"all": [{"field": "employees", "op": "between", "value": 1}]}, "第1条条件：未知运算 between"),
        (
            {
                "all": [
                    {"field": "credit_ok", "op": "eq", "value": True},
                    {"field": "revenue_wan", "op": "prefix_in", "value": ["C"]},
                ]
            },
            "第2条条件：字段 revenue_wan（上年度营业收入）不支持运算 prefix_in",
        ),
        (
            {"all": [{"field": "revenue_wan", "op": "gte", "value": "2000"}]},
            "第1条条件：取值 '2000' 应为数字",
        ),
        ({"all": [{"field": "revenue_wan", "op": "gte", "value": True}]}, "第1条条件：取值 True 应为数字"),
        (
            {"all": [{"field": "revenue_wan", "op": "gte", "value": [2000]}]},
            "第1条条件：运算 gte 的取值应为单个值，不是列表",
        ),
        (
            {"all": [{"field": "revenue_wan", "op": "gte", "value": float("inf")}]},
            "第1条条件：取值 inf 不是有限数",
        ),
        (
            {"all": [{"field": "rd_ratio", "op": "gte", "value": 3}]},
            "第1条条件：比重 3 应写成 0 到 1 之间的小数（如 3% 写 0.03）",
        ),
        (
            {"all": [{"field": "size_class", "op": "in", "value": "小型"}]},
            "第1条条件：运算 in 的取值应为非空列表",
        ),
        (
            {"all": [{"field": "size_class", "op": "in", "value": []}]},
            "第1条条件：运算 in 的取值应为非空列表",
        ),
        ({"all": [{"field": "size_class", "op": "eq", "value": "巨型"}]}, "第1条条件：未知的企业规模“巨型”"),
        (
            {"all": [{"field": "qualifications", "op": "contains_any", "value": ["高新企业"]}]},
            "第1条条件：未知的资质“高新企业”",
        ),
        (
            {"all": [{"field": "industry_code", "op": "prefix_in", "value": ["38"]}]},
            "第1条条件：“38”不是 GB/T 4754-2017 行业代码或其前缀",
        ),
        (
            {"all": [{"field": "industry_code", "op": "prefix_in", "value": ["C99"]}]},
            "第1条条件：“C99”不是 GB/T 4754-2017 行业代码或其前缀",
        ),
        (
            {"all": [{"field": "industry_code", "op": "eq", "value": "C38"}]},
            "第1条条件：“C38”不是 GB/T 4754-2017 小类代码",
        ),
        (
            {"all": [{"field": "registered_district", "op": "eq", "value": "宝安"}]},
            "第1条条件：未知的区“宝安”",
        ),
        ({"all": [{"field": "credit_ok", "op": "eq", "value": 1}]}, "第1条条件：取值 1 应为 true 或 false"),
        ({"all": [{"field": "street", "op": "eq", "value": ""}]}, "第1条条件：取值 '' 应为非空文本"),
    ],
)
def test_validate_messages(conditions, message):
    problems = validate(conditions)
    assert any(p.startswith(message) for p in problems), problems


def test_validate_accepts_every_field_and_op_table():
    assert set(OPS) == {op for spec in FIELDS.values() for op in spec.ops}
    assert validate({"all": []}) == [] and validate({}) == []


def test_normalize():
    raw = {
        "all": [
            {"field": "revenue_wan", "op": "gte", "value": 2000.0},
            {"field": "rd_ratio", "op": "gte", "value": Decimal("0.03")},
            {"field": "size_class", "op": "in", "value": ["小型", "微型", "小型"]},
        ]
    }
    assert normalize(raw) == {
        "all": [
            {"field": "revenue_wan", "op": "gte", "value": 2000},
            {"field": "rd_ratio", "op": "gte", "value": 0.03},
            {"field": "size_class", "op": "in", "value": ["小型", "微型"]},
        ]
    }
    with pytest.raises(ConditionError) as info:
        normalize({"all": [{"field": "x", "op": "eq", "value": 1}]})
    assert info.value.messages == ["第1条条件：未知字段 x"]


@pytest.mark.parametrize(
    ("support", "changes", "amount"),
    [
        ({"kind": "fixed", "amount_wan": 20}, {}, Decimal("20.00")),
        (
            {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
            {"rd_expense_wan": 1.25},
            Decimal("0.13"),
        ),
        (
            {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
            {"rd_expense_wan": 1.249},
            Decimal("0.12"),
        ),
        (
            {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
            {"rd_expense_wan": 2000},
            Decimal("200.00"),
        ),
        (
            {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
            {"rd_expense_wan": 2000.1},
            Decimal("200.00"),
        ),
        ({"kind": "ratio", "base": "revenue_wan", "rate": 0.001}, {"revenue_wan": 5230.5}, Decimal("5.23")),
        (
            {"kind": "ratio", "base": "employees", "rate": 0.05, "cap_wan": 20},
            {"employees": 86},
            Decimal("4.30"),
        ),
        (
            {"kind": "ratio", "base": "tax_paid_wan", "rate": 0.1, "cap_wan": 500},
            {"tax_paid_wan": None},
            None,
        ),
        ({"kind": "interest", "rate": 0.5, "cap_wan": 100}, {}, None),
    ],
)
def test_support_amount(support, changes, amount):
    assert support_amount(support, profile(**changes)) == amount


@pytest.mark.parametrize(
    ("support", "text"),
    [
        ({"kind": "fixed", "amount_wan": 20}, "一次性奖励 20 万元"),
        (
            {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200},
            "按上年度研发费用的 10% 给予资助，最高 200 万元",
        ),
        (
            {"kind": "ratio", "base": "revenue_wan", "rate": 0.0005, "cap_wan": 50},
            "按上年度营业收入的 0.05% 给予资助，最高 50 万元",
        ),
        (
            {"kind": "ratio", "base": "employees", "rate": 0.05, "cap_wan": 20},
            "按从业人员每人 500 元给予补贴，最高 20 万元",
        ),
        ({"kind": "interest", "rate": 0.5, "cap_wan": 100}, "按贷款利息的 50% 贴息，最高 100 万元"),
    ],
)
def test_describe_support(support, text):
    assert describe_support(support) == text


@pytest.mark.parametrize(
    ("support", "problems"),
    [
        ({"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200}, []),
        ({"kind": "fixed"}, ["缺少 amount_wan"]),
        ({"kind": "gift"}, ["未知的支持方式 gift（可选：fixed、ratio、tiers、per_unit、interest）"]),
        ({"kind": "ratio", "base": "profit", "rate": 0.1}, ["不支持的计算基数 profit"]),
        ({"kind": "interest", "rate": -1, "bank": "x"}, ["多余的键 bank", "rate 应为非负数"]),
    ],
)
def test_validate_support(support, problems):
    assert validate_support(support) == problems
