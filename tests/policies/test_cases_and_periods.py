"""Policy test cases (run on every save, publishing refused while one fails) and effective periods."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.policies import cases, catalog
from portal.policies.models import Policy, PolicyStatus
from portal.services import ServiceError

CONDITIONS = {
    "all": [
        {"field": "registered_district", "op": "eq", "value": "宝安区"},
        {"field": "revenue_wan", "op": "gte", "value": 2000},
    ]
}
SUPPORT = {
    "kind": "tiers",
    "base": "revenue_wan",
    "tiers": [{"gte": 2000, "amount_wan": 20}, {"gte": 10000, "amount_wan": 50}],
}
GOOD = {
    "name": "达标企业",
    "profile": {"registered_district": "宝安区", "revenue_wan": 12000},
    "expect": "pass",
    "amount_wan": 50,
}
SMALL = {
    "name": "规模不足",
    "profile": {"registered_district": "宝安区", "revenue_wan": 800},
    "expect": "fail",
}
NO_DATA = {"name": "缺营业收入", "profile": {"registered_district": "宝安区"}, "expect": "unknown"}
DAY = date(2026, 6, 1)


# ---------------------------------------------------------------- the pure evaluator


def test_cases_run_with_outcome_amount_and_explanation():
    outcomes = cases.run_cases(CONDITIONS, SUPPORT, cases.normalize_cases([GOOD, SMALL, NO_DATA]), DAY)
    assert [o.got for o in outcomes] == ["pass", "fail", "unknown"]
    assert all(o.ok for o in outcomes)
    assert outcomes[0].amount == Decimal("50.00")
    assert any("达到 10,000 万元档" in s for s in outcomes[0].sentences)


def test_a_wrong_expectation_fails_and_says_why():
    wrong = GOOD | {"amount_wan": 20}
    (outcome,) = cases.run_cases(CONDITIONS, SUPPORT, cases.normalize_cases([wrong]), DAY)
    assert not outcome.ok
    assert outcome.summary() == "达标企业：预期 符合 20.00 万元，实际 符合 50.00 万元"
    (outcome,) = cases.run_cases(
        CONDITIONS, SUPPORT, cases.normalize_cases([SMALL | {"expect": "pass"}]), DAY
    )
    assert not outcome.ok and outcome.got == "fail"
    assert any("800" in s and "✗" in s for s in outcome.sentences)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"x": 1}, "tests 应为测试用例列表"),
        ([{"profile": {}, "expect": "maybe"}], "expect 应为 pass、fail 或 unknown"),
        ([{"profile": {"colour": "red"}, "expect": "pass"}], "profile 未知字段：colour"),
        ([{"profile": {}, "expect": "fail", "amount_wan": 5}], "只有预期“符合”时才能填写 amount_wan"),
        ([{"profile": [], "expect": "pass"}], "profile 应为对象"),
        ([{"profile": {}, "expect": "pass", "extra": 1}], "多余的键 extra"),
    ],
)
def test_bad_cases_are_refused_in_chinese(raw, message):
    with pytest.raises(ValueError, match=message):
        cases.normalize_cases(raw)


# ---------------------------------------------------------------- catalog: save, publish, import


def _content(**extra) -> dict:
    return {
        "title": "宝安区规上企业营收奖励",
        "category": "资金奖励",
        "conditions": CONDITIONS,
        "support": SUPPORT,
    } | extra


def test_a_failing_case_blocks_publishing_with_the_explanation(app, official, on):
    policy, _ = catalog.save_policy(None, _content(tests=[GOOD, SMALL | {"expect": "pass"}]), actor=official)
    db.session.commit()  # a draft may hold a failing case: the editor shows it
    with pytest.raises(ServiceError, match="有 1 个测试用例未通过，不能发布：规模不足") as caught:
        catalog.publish(policy, actor=official, on=on)
    assert "800" in str(caught.value)
    db.session.rollback()
    assert db.session.get(Policy, policy.id).status == PolicyStatus.DRAFT
    catalog.save_policy(policy, _content(tests=[GOOD, SMALL]), actor=official)
    catalog.publish(policy, actor=official, on=on)
    db.session.commit()
    assert (
        policy.status == PolicyStatus.PUBLISHED
        and policy.revisions[0].content["tests"][1]["name"] == "规模不足"
    )


def test_a_published_policy_refuses_a_change_its_cases_reject(app, official, on):
    policy, _ = catalog.save_policy(None, _content(tests=[GOOD]), actor=official)
    catalog.publish(policy, actor=official, on=on)
    db.session.commit()
    stricter = {"all": [*CONDITIONS["all"], {"field": "employees", "op": "gte", "value": 100}]}
    with pytest.raises(ServiceError, match="达标企业"):
        catalog.save_policy(policy, _content(conditions=stricter, tests=[GOOD]), actor=official)
    db.session.rollback()
    assert db.session.get(Policy, policy.id).revision_no == 1


def test_import_carries_tests_and_refuses_a_line_whose_case_fails(app, official, on, tmp_path):
    line = {"version": 2, "id": "T-1", "title": "营收奖励", "category": "资金奖励", "criteria": CONDITIONS,
            "support": SUPPORT, "tests": [GOOD, SMALL], "effective_from": "2026-01-01"}  # fmt: skip
    bad = line | {"id": "T-2", "tests": [SMALL | {"expect": "pass"}]}
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (line, bad)), encoding="utf-8")
    report = catalog.import_policies(path, actor=official, on=on)
    assert [n for n, _ in report.errors] == [2] and "测试用例未通过" in report.errors[0][1]
    assert db.session.scalar(select(Policy)) is None  # any bad line and nothing is written
    path.write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    report = catalog.import_policies(path, actor=official, on=on)
    policy = db.session.scalar(select(Policy))
    assert report.inserted == 1 and len(policy.tests) == 2 and policy.effective_from == date(2026, 1, 1)


# ---------------------------------------------------------------- the editor


def _form(**extra) -> dict:
    return {
        "title": "宝安区规上企业营收奖励",
        "region": "宝安区",
        "category": "资金奖励",
        "support_json": json.dumps(SUPPORT),
        "conditions_json": json.dumps(CONDITIONS),
        "support_kind": "",
        "support_base": "revenue_wan",
        "group1_kind": "any",
        "group2_kind": "any",
        "group3_kind": "any",
        "save": "保存",
    } | extra


def test_the_editor_runs_cases_on_save_and_shows_failures(client, auth, official):
    auth.login(official)
    tests = json.dumps([GOOD, SMALL | {"expect": "pass"}], ensure_ascii=False)
    page = client.post("/policies/new", data=_form(tests_json=tests), follow_redirects=True).get_data(
        as_text=True
    )
    assert "测试用例未通过（发布前须全部通过）：规模不足：预期 符合，实际 不符合" in page
    assert "1 / 2 通过" in page and "不能发布" in page
    policy = db.session.scalar(select(Policy))
    page = client.post(f"/policies/{policy.id}/publish", data={}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "有 1 个测试用例未通过，不能发布" in page
    assert db.session.get(Policy, policy.id).status == PolicyStatus.DRAFT
    page = client.post("/policies/new", data=_form(tests_json="[{"), follow_redirects=True).get_data(
        as_text=True
    )
    assert "测试用例 JSON 格式有误" in page


# ---------------------------------------------------------------- effective periods


def test_a_rule_change_starts_a_new_period_and_other_changes_do_not(app, official, on):
    policy, _ = catalog.save_policy(None, _content(effective_from=date(2026, 1, 1)), actor=official)
    catalog.publish(policy, actor=official, on=on)
    catalog.save_policy(
        policy, _content(effective_from=date(2026, 1, 1), text="补充说明"), actor=official, on=on
    )
    assert policy.revision_no == 2 and policy.effective_from == date(2026, 1, 1)
    richer = SUPPORT | {"tiers": [{"gte": 2000, "amount_wan": 30}]}
    catalog.save_policy(
        policy, _content(effective_from=date(2026, 1, 1), support=richer), actor=official, on=on
    )
    assert policy.revision_no == 3 and policy.effective_from == on
    later = on + timedelta(days=30)
    catalog.save_policy(policy, _content(effective_from=later, support=SUPPORT), actor=official, on=on)
    assert (
        policy.effective_from == later and policy.revisions[-1].content["effective_from"] == later.isoformat()
    )
    assert not policy.in_effect(on) and policy.in_effect(later)


def test_effective_dates_are_checked(app, official):
    with pytest.raises(ServiceError, match="有效期止不能早于有效期起"):
        catalog.save_policy(
            None, _content(effective_from=date(2026, 5, 1), effective_until=date(2026, 4, 1)), actor=official
        )


def test_the_revisions_page_shows_where_each_period_stops(client, auth, app, official, on):
    started = on - timedelta(days=30)
    policy, _ = catalog.save_policy(None, _content(effective_from=started), actor=official)
    catalog.publish(policy, actor=official, on=on)
    catalog.save_policy(policy, _content(effective_from=started, text="补充说明"), actor=official, on=on)
    richer = SUPPORT | {"tiers": [{"gte": 2000, "amount_wan": 30}]}
    catalog.save_policy(policy, _content(effective_from=started, support=richer), actor=official, on=on)
    db.session.commit()
    yesterday = on - timedelta(days=1)
    # revisions 1 and 2 share the first period, which ends the day before revision 3 starts the next
    assert catalog.revision_periods(policy.revisions) == {
        1: (started, yesterday),
        2: (started, yesterday),
        3: (on, None),
    }
    auth.login(official)
    page = client.get(f"/policies/{policy.id}/revisions").get_data(as_text=True)
    assert page.count(f"{started} 至 {yesterday}") == 2 and f"{on} 至 长期" in page
    page = client.get(f"/policies/{policy.id}/revisions/1").get_data(as_text=True)
    assert f"适用期 {started} 至 {yesterday}" in page
