"""Issue 9 bugs 2 and 6 in the officials' editor: "从正文识别条件" fills every field the reader found (and says so
honestly on an empty text); a bad condition row is reported with its own row number and highlighted; 比例 takes
both 10% and 0.1."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.policies.models import Policy
from tests.policies.test_editor import _new_policy_data

INSTANT_TEXT = (
    "一、支持对象\n在宝安区注册的国家高新技术企业。\n二、申报条件\n（一）在宝安区依法注册；\n"
    "（二）上年度营业收入2000万元以上。\n三、支持标准\n按上年度研发费用的5%给予资助，最高100万元。\n"
    "本项目可作为秒批事项，免申即享。"
)


def _input(page: str, name: str) -> str | None:
    """The value of the named input in a rendered page."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else None


def _recognize(client, text: str, **extra):
    data = {
        "title": "研发投入资助",
        "region": "宝安区",
        "category": "研发资助",
        "text": text,
        "support_kind": "",
        "support_rate": "",
        "recognize": "从正文识别条件",
    } | extra
    return client.post("/policies/new", data=data)


def test_recognize_fills_support_rate_cap_instant_and_targets(client, auth, official):
    auth.login(official)
    response = _recognize(client, INSTANT_TEXT)
    page = response.text
    assert response.status_code == 200
    # before: 支持方式, 比例, 上限, 秒批 and 重点资质 stayed empty
    assert '<option selected value="ratio">' in page
    assert '<option selected value="rd_expense_wan">' in page
    assert _input(page, "support_rate") == "5%"
    assert _input(page, "support_cap") in ("100", "100.00")
    assert re.search(r'<input checked[^>]*id="instant"', page)
    assert re.search(r'<input checked[^>]*name="target_qualifications"[^>]*value="国家高新技术企业"', page)
    assert "已从正文识别出建议内容" in page
    assert db.session.scalar(select(func.count(Policy.id))) == 0


def test_recognize_on_an_empty_text_says_so(client, auth, official):
    auth.login(official)
    response = _recognize(client, "   ")
    assert response.status_code == 400
    assert "政策正文为空，无法识别条件" in response.text
    assert "已从正文识别出建议" not in response.text


def test_bad_row_reports_its_own_number_and_is_highlighted(client, auth, official):
    auth.login(official)
    data = _new_policy_data(
        **{
            "rows-0-value": "",  # a blank first row: the bad one is still 第2行
            "rows-1-value": "很多",
        }
    )
    response = client.post("/policies/new", data=data)
    page = response.text
    assert response.status_code == 400
    assert "第2行：“很多”不是数字" in page and "第1行" not in page and "第1条" not in page
    assert 'class="condition-row table-danger" id="row-2" aria-invalid="true"' in page
    assert 'class="condition-row" id="row-1"' in page
    assert db.session.scalar(select(func.count(Policy.id))) == 0


def test_row_problem_from_the_condition_language_lands_on_its_row(client, auth, official):
    auth.login(official)
    data = _new_policy_data(**{"rows-0-value": "", "rows-1-value": "150%"})  # a ratio above 100 %
    page = client.post("/policies/new", data=data).text
    assert "第2行：" in page and 'id="row-2" aria-invalid="true"' in page


def test_ratio_accepts_percent_and_decimal(client, auth, official):
    auth.login(official)
    for typed in ("10%", "0.1", "10"):
        db.session.query(Policy).delete()
        db.session.commit()
        response = client.post("/policies/new", data=_new_policy_data(support_rate=typed))
        assert response.status_code == 302, (typed, response.text)
        policy = db.session.scalar(select(Policy))
        assert policy.support["rate"] == 0.1, typed
    page = client.get(f"/policies/{policy.id}/edit").text
    assert _input(page, "support_rate") == "10%"
    bad = client.post("/policies/new", data=_new_policy_data(support_rate="一成"))
    assert bad.status_code == 400 and "“一成”不是数字（可写 5% 或 0.05）" in bad.text
