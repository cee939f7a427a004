"""Issue 9 form bugs and rough edges: a future founding date is refused (bug 4); qualifications are checkboxes
that still show held ones when locked; the application contact is a person, not the company's name; every error
of a submit at once beside its field; one 比例 parser (5% and 0.05) and one strict number parser."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.forms import parse_number, parse_ratio
from portal.timeutil import today
from tests.test_profile import FORM


def test_founding_date_in_the_future_is_refused(client, auth, create_user, create_enterprise):
    firm = create_enterprise(verified=(), founded=today() - timedelta(days=400))
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    tomorrow = today() + timedelta(days=1)
    response = client.post("/profile", data=FORM | {"founded": tomorrow.isoformat()})
    # before: 302 "企业画像已保存" and 成立年限 "—"
    assert response.status_code == 400
    assert f"成立日期不能晚于今天（{today().isoformat()}）" in response.text
    assert "企业画像已保存" not in response.text
    db.session.refresh(firm)
    assert firm.founded == today() - timedelta(days=400)
    assert client.post("/profile", data=FORM | {"founded": today().isoformat()}).status_code == 302


def test_qualifications_are_checkboxes_and_held_ones_show_when_locked(
    client, auth, create_user, create_enterprise
):
    firm = create_enterprise(qualifications=["国家高新技术企业"])  # every field verified
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    page = client.get("/profile").text
    section = page.split('id="qualifications"')[1].split("</div>\n      </div>")[0]
    assert 'type="checkbox"' in section and "<select" not in section
    held = (
        section.split('value="国家高新技术企业"')[0].rsplit("<input", 1)[1]
        + section.split('value="国家高新技术企业"')[1].split(">")[0]
    )
    assert "checked" in held and "disabled" in held


def test_application_contact_is_not_the_company_name(client, auth, create_user, create_enterprise, app):
    from portal.policies.models import Policy

    firm = create_enterprise()
    user = create_user("enterprise", enterprise_id=firm.id, display_name=firm.name)
    policy = Policy(title="技术改造补助", category="技术改造", status="published", conditions={"all": []})
    db.session.add(policy)
    db.session.commit()
    auth.login(user)
    page = client.get(f"/approvals/apply/{policy.id}/form").text
    contact = page.split('name="contact_name"')[1].split(">")[0]
    assert firm.name not in contact  # before: prefilled with the company's name


def _error_for(page: str, field_id: str) -> str:
    """The inline error tied to a control by aria-describedby ('' when the control is not marked)."""
    control = re.search(rf'<(?:input|select|textarea|fieldset)[^>]*id="{field_id}"[^>]*>', page).group(0)
    if f'aria-describedby="{field_id}-error' not in control:
        return ""
    block = page.split(f'id="{field_id}-error">', 1)[1].split("</div>\n", 1)[0]
    return re.sub(r"<[^>]+>", "", block)


def test_profile_shows_every_error_at_once_beside_its_field(client, auth, create_user, create_enterprise):
    firm = create_enterprise(verified=(), name="原名称有限公司")
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    bad = {
        "employees": "很多",
        "revenue_wan": "12.5.1",
        "founded": (today() + timedelta(days=3)).isoformat(),
        "industry_code": "X1",
    }
    response = client.post("/profile", data=FORM | bad)
    page = response.text
    assert response.status_code == 400
    assert _error_for(page, "employees") == "不是有效的整数（请用半角阿拉伯数字）。"  # once, no range message
    assert "不是有效的小数" in _error_for(page, "revenue_wan")
    assert "成立日期不能晚于今天" in _error_for(page, "founded")
    assert "GB/T 4754-2017" in _error_for(page, "industry_code")
    assert _error_for(page, "name") == ""  # a good field is not marked
    assert page.count('class="form-control is-invalid"') == 4
    # One pointer line naming the four fields, not a banner per error.
    pointer = page.split('class="text-danger mb-3 form-error-summary"', 1)[1].split("</div>", 1)[0]
    assert "请修改下方标红的 4 项" in pointer and 'href="#employees"' in pointer
    assert 'class="alert alert-danger' not in page
    db.session.refresh(firm)
    assert firm.name == "原名称有限公司"


def test_registration_states_the_rules_and_shows_each_error(client):
    page = client.get("/register").text
    assert "至少 8 位" in page and "3–64 位字母" in page  # the rules before the first submit
    response = client.post(
        "/register",
        data={"uscc": "123", "name": "", "username": "a", "password": "x", "confirm": "y"},
    )
    page = response.text
    assert response.status_code in (200, 400)
    assert _error_for(page, "uscc") and _error_for(page, "name") and _error_for(page, "username")
    assert "密码至少 8 位" in _error_for(page, "password")
    assert "两次输入的密码不一致" in _error_for(page, "confirm")


@pytest.mark.parametrize(
    ("typed", "per_head", "expected"),
    [
        ("5%", False, Decimal("0.05")),
        ("5％", False, Decimal("0.05")),
        (" 0.05 ", False, Decimal("0.05")),
        ("5", False, Decimal("0.05")),  # a bare number above 1 is a percentage
        ("1", False, Decimal("1")),
        ("12.5%", False, Decimal("0.125")),
        ("0.5", True, Decimal("0.5")),  # 万元 per person, as typed
        ("", False, None),
    ],
)
def test_one_ratio_parser_takes_percent_and_fraction(typed, per_head, expected):
    assert parse_ratio(typed, per_head=per_head) == expected


@pytest.mark.parametrize("typed", ["一成", "５%", "5%%", "NaN", "-5%"])
def test_the_ratio_parser_refuses_what_is_not_a_ratio(typed):
    with pytest.raises(ValueError, match="不是数字|不能为负数"):
        parse_ratio(typed)


@pytest.mark.parametrize(
    ("typed", "whole", "message"),
    [("１００", False, "不是有效的小数"), ("sNaN", False, "不是有效的小数"), ("3.5", True, "不是有效的整数")],
)
def test_one_strict_number_parser_behind_money_and_whole_number_fields(typed, whole, message):
    with pytest.raises(ValueError, match=message):
        parse_number(typed, whole=whole)
    assert parse_number("12", whole=True) == 12 and parse_number("1200.50") == Decimal("1200.50")


def test_condition_row_ratio_takes_percent_and_fraction_alike(client, auth, create_user):
    from portal.policies.models import Policy
    from tests.policies.test_editor import _new_policy_data

    auth.login(create_user("official"))
    saved = []
    for typed in ("5%", "0.05"):
        data = _new_policy_data(**{"rows-0-field": "rd_ratio", "rows-0-op": "gte", "rows-0-value": typed})
        data["title"] = f"研发投入比重 {typed}"
        assert client.post("/policies/new", data=data).status_code == 302, typed
        policy = db.session.scalars(select(Policy).where(Policy.title == data["title"])).one()
        saved.append(next(r["value"] for r in policy.conditions["all"] if r["field"] == "rd_ratio"))
    assert saved[0] == saved[1] == 0.05


def test_a_loan_condition_sends_the_firm_to_a_financing_request_not_to_its_profile(
    client, auth, create_user, create_enterprise, make_policy
):
    from datetime import date

    make_policy(
        {
            "title": "知识产权质押贷款贴息（测试）",
            "issuer": "深圳市宝安区金融工作局",
            "category": "贷款贴息",
            "published_on": date(2026, 1, 1),
            "conditions": {
                "all": [
                    {"field": "registered_district", "op": "eq", "value": "宝安区"},
                    {"field": "loan_collateral", "op": "in", "value": ["知识产权质押"]},
                ]
            },
            "support": {"kind": "interest", "rate": 0.5, "cap_wan": 100},
        }
    )
    firm = create_enterprise()
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    page = client.get("/policies/recommend").text
    card = page.split("知识产权质押贷款贴息（测试）", 1)[1].split('class="card mb-3 policy-card', 1)[0]
    # before: "请在企业画像中补充：贷款担保方式", a field the profile does not have
    assert "企业画像</a>中补充" not in card
    assert "按贷款本身核定（贷款担保方式）" in card and 'href="/finance/requests/new"' in card


def test_a_rate_in_per_cent_may_carry_its_sign_and_money_may_not():
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from portal.forms import MoneyField

    class RateForm(Form):
        rate = MoneyField("年利率（%）", places=3, percent_sign=True)
        amount = MoneyField("金额（万元）")

    form = RateForm(MultiDict({"rate": "4.5％", "amount": "5%"}))
    assert form.rate.data == Decimal("4.5")
    assert not form.validate() and form.amount.errors == [
        "不是有效的小数（请用半角阿拉伯数字，如 1200.50）。"
    ]
