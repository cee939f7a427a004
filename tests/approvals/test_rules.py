"""秒批 decisions: approve on verified data, reject on a failing condition, otherwise an official reviews."""

import json
from datetime import date
from decimal import Decimal

import pytest

from portal.approvals.rules import decide, decide_plan, rests_on
from portal.conditions import derive
from tests.samples import SAMPLE_RECORD
from tests.shared_bench import DEV, needs_dev_set

AS_OF = date(2026, 6, 30)
RECORD = SAMPLE_RECORD
CONDITIONS = {
    "all": [
        {"field": "registered_district", "op": "eq", "value": "宝安区"},
        {"field": "rd_ratio", "op": "gte", "value": 0.03},
        {"field": "credit_ok", "op": "eq", "value": True},
    ]
}
SUPPORT = {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200}
ALL_VERIFIED = set(RECORD) | {"founded"}


def test_rests_on_lists_inputs_and_the_support_base():
    assert rests_on(CONDITIONS, SUPPORT) == [
        "registered_district",
        "rd_expense_wan",
        "revenue_wan",
        "credit_ok",
    ]


@pytest.mark.parametrize(
    ("changes", "verified", "support", "outcome", "amount", "reason"),
    [
        ({}, ALL_VERIFIED, SUPPORT, "approve", Decimal("31.00"), "核定金额 31.00 万元"),
        ({}, lambda name: True, SUPPORT, "approve", Decimal("31.00"), "按上年度研发费用的 10% 给予资助"),
        (
            {"rd_expense_wan": 100.0},
            ALL_VERIFIED,
            SUPPORT,
            "reject",
            None,
            "研发投入占营业收入比重 1.91%，未达到 3% ✗",
        ),
        # a failing condition rejects even when another is unknown
        ({"rd_expense_wan": 100.0, "credit_ok": None}, ALL_VERIFIED, SUPPORT, "reject", None, "未达到 3%"),
        ({"credit_ok": None}, ALL_VERIFIED, SUPPORT, "review", Decimal("31.00"), "缺少数据：信用状况 ?"),
        # rests on self-declared data → review
        (
            {},
            ALL_VERIFIED - {"revenue_wan"},
            SUPPORT,
            "review",
            Decimal("31.00"),
            "尚未核验，需工作人员审核：上年度营业收入",
        ),
        # the amount's base is self-declared → review too
        # data nobody relies on may stay self-declared
        (
            {},
            ALL_VERIFIED - {"tax_paid_wan"},
            {"kind": "fixed", "amount_wan": 20},
            "approve",
            Decimal("20.00"),
            "",
        ),
        (
            {},
            ALL_VERIFIED - {"tax_paid_wan"},
            {"kind": "ratio", "base": "tax_paid_wan", "rate": 0.1},
            "review",
            Decimal("18.00"),
            "上年度纳税总额",
        ),
        # interest subsidies need a loan: no amount → review
        (
            {},
            ALL_VERIFIED,
            {"kind": "interest", "rate": 0.5, "cap_wan": 100},
            "review",
            None,
            "补助金额无法自动核定（按贷款利息的 50% 贴息",
        ),
    ],
)
def test_decide(changes, verified, support, outcome, amount, reason):
    decision = decide(CONDITIONS, support, derive(RECORD | changes, AS_OF), verified)
    assert (decision.outcome, decision.amount) == (outcome, amount)
    assert any(reason in r for r in decision.reasons), decision.reasons
    assert len(decision.results) == 3


@needs_dev_set
def test_decide_plan_on_the_first_dev_rows():
    with open(DEV / "policies.jsonl", encoding="utf-8") as fh:
        policies = [json.loads(line) for line in fh]
    with open(DEV / "enterprises.jsonl", encoding="utf-8") as fh:
        enterprises = [json.loads(next(fh)) for _ in range(20)]
    gold = {}
    with open(DEV / "qrels.tsv", encoding="utf-8") as fh:
        for line in fh:
            uscc, pid, grade, amount = line.rstrip("\n").split("\t")
            gold[uscc, pid] = ("approve" if grade != "0" else "reject", amount if grade != "0" else "")
    rows = list(decide_plan(policies, enterprises, AS_OF))
    assert len(rows) == 20 * sum(p["instant"] for p in policies)
    assert all(gold[uscc, pid] == (outcome, amount) for uscc, pid, outcome, amount in rows)
