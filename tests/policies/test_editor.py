"""The officials' editor: condition rows, proposals from the text (applied only on save), publish."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.policies.models import Policy

TEXT = (
    "一、支持对象\n在宝安区注册的国家高新技术企业。\n二、申报条件\n（一）在宝安区依法注册；\n"
    "（二）上年度营业收入2000万元以上；\n（三）研发费用占营业收入比重不低于3%。\n"
    "三、支持标准\n按上年度研发费用的10%给予资助，最高200万元。"
)


def _new_policy_data(**extra) -> dict:
    return {
        "title": "宝安区研发投入资助",
        "issuer": "深圳市宝安区科技创新局",
        "doc_no": "深宝科〔2026〕3号",
        "region": "宝安区",
        "category": "研发资助",
        "text": TEXT,
        "support_kind": "ratio",
        "support_base": "rd_expense_wan",
        "support_rate": "0.1",
        "support_cap": "200",
        "rows-0-field": "registered_district",
        "rows-0-op": "eq",
        "rows-0-value": "宝安区",
        "rows-1-field": "rd_ratio",
        "rows-1-op": "gte",
        "rows-1-value": "3%",
        "rows-2-field": "qualifications",
        "rows-2-op": "contains_any",
        "rows-2-value": "国家高新技术企业、专精特新中小企业",
        "rows-3-field": "revenue_wan",
        "rows-3-op": "gte",
        "rows-3-value": "",  # a blank row is ignored
        "save": "保存",
    } | extra


def test_create_a_draft_with_rows(client, auth, official):
    auth.login(official)
    response = client.post("/policies/new", data=_new_policy_data())
    assert response.status_code == 302, response.get_data(as_text=True)
    policy = db.session.scalar(select(Policy))
    assert policy.status == "draft" and policy.revision_no == 0
    assert policy.conditions == {
        "all": [
            {"field": "registered_district", "op": "eq", "value": "宝安区"},
            {"field": "rd_ratio", "op": "gte", "value": 0.03},
            {
                "field": "qualifications",
                "op": "contains_any",
                "value": ["国家高新技术企业", "专精特新中小企业"],
            },
        ]
    }
    assert policy.support == {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 200.0}
    page = client.get(f"/policies/{policy.id}/edit").get_data(as_text=True)
    assert 'value="3%"' in page and "国家高新技术企业、专精特新中小企业" in page


def test_bad_rows_are_shown_and_nothing_saved(client, auth, official):
    auth.login(official)
    data = _new_policy_data(**{"rows-1-value": "很多", "rows-2-op": "gte"})
    response = client.post("/policies/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“很多”不是数字" in page and "不能用此运算" in page
    assert db.session.scalar(select(func.count(Policy.id))) == 0


def test_proposals_fill_rows_but_change_nothing_until_saved(client, auth, official, create_policy):
    policy = create_policy(status="draft", conditions={"all": []}, text="旧正文")
    auth.login(official)
    data = _new_policy_data(recognize="从正文识别条件")
    data = {k: v for k, v in data.items() if not k.startswith("rows-") and k != "save"}
    response = client.post(f"/policies/{policy.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('class="condition-row"') >= 4
    assert '<option selected value="revenue_wan">' in page and 'value="2000"' in page
    assert "上年度营业收入2000万元以上" in page  # the evidence phrase next to its row
    assert "研发费用占营业收入比重不低于3%" in page and 'value="3%"' in page
    assert "识别建议（未保存）" in page
    db.session.expire_all()
    stored = db.session.get(Policy, policy.id)
    assert stored.conditions == {"all": []} and stored.text == "旧正文"
    # the official saves the proposed rows: now they apply
    rows = {
        "rows-0-field": "revenue_wan",
        "rows-0-op": "gte",
        "rows-0-value": "2000",
    }
    response = client.post(
        f"/policies/{policy.id}/edit",
        data=_new_policy_data() | rows | {"rows-1-value": "", "rows-2-value": ""},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Policy, policy.id).conditions == {
        "all": [{"field": "revenue_wan", "op": "gte", "value": 2000}]
    }


def test_publish_from_the_page(client, auth, official, create_policy):
    policy = create_policy(status="draft")
    auth.login(official)
    page = client.get(f"/policies/{policy.id}").get_data(as_text=True)
    assert "发布并精准推送" in page
    client.post(f"/policies/{policy.id}/publish")
    db.session.expire_all()
    policy = db.session.get(Policy, policy.id)
    assert policy.status == "published" and policy.revision_no == 1 and policy.published_at is not None
    client.post(f"/policies/{policy.id}/expire")
    db.session.expire_all()
    assert db.session.get(Policy, policy.id).status == "expired"


def test_csrf_is_enforced_on_publish(make_app, create_user, create_policy):
    app = make_app(WTF_CSRF_ENABLED=True)
    policy = create_policy(status="draft")
    official = create_user("official")
    client = app.test_client()
    with app.app_context():
        login = client.get("/login").get_data(as_text=True)
        token = login.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/login", data={"username": official.username, "password": "correct-horse-9", "csrf_token": token}
        )
        assert client.post(f"/policies/{policy.id}/publish").status_code == 400
        page = client.get(f"/policies/{policy.id}").get_data(as_text=True)
        assert 'name="csrf_token"' in page


def test_rows_in_a_group_are_saved_as_an_any_group_and_edit_back(client, auth, official):
    auth.login(official)
    data = _new_policy_data(**{"rows-1-group": "1", "rows-2-group": "1", "group1_kind": "any"})
    assert client.post("/policies/new", data=data).status_code == 302
    policy = db.session.scalar(select(Policy))
    assert policy.conditions == {
        "all": [
            {"field": "registered_district", "op": "eq", "value": "宝安区"},
            {
                "any": [
                    {"field": "rd_ratio", "op": "gte", "value": 0.03},
                    {
                        "field": "qualifications",
                        "op": "contains_any",
                        "value": ["国家高新技术企业", "专精特新中小企业"],
                    },
                ]
            },
        ]
    }
    page = client.get(f"/policies/{policy.id}/edit").get_data(as_text=True)
    assert page.count('<option selected value="1">组1</option>') == 2
    detail = client.get(f"/policies/{policy.id}").get_data(as_text=True)
    assert "满足以下任一项：研发投入占营业收入比重" in detail


def test_json_tree_box_validates_and_saves_a_nested_tree(client, auth, official):
    auth.login(official)
    bad = '{"all": [{"any": [{"field": "employees", "op": "gte", "value": "很多"}]}]}'
    response = client.post("/policies/new", data=_new_policy_data(conditions_json=bad))
    assert response.status_code == 400 and "第1.1条条件：取值 &#39;很多&#39; 应为数字" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(Policy)) == 0
    tree = (
        '{"any": [{"all": [{"field": "employees", "op": "gte", "value": 100},'
        ' {"not": {"field": "credit_ok", "op": "eq", "value": false}}]},'
        ' {"field": "revenue_wan", "op": "gte", "value": 10000}]}'
    )
    assert client.post("/policies/new", data=_new_policy_data(conditions_json=tree)).status_code == 302
    policy = db.session.scalar(select(Policy))
    assert policy.conditions["any"][0]["all"][1] == {
        "not": {"field": "credit_ok", "op": "eq", "value": False}
    }
    page = client.get(f"/policies/{policy.id}/edit").get_data(as_text=True)
    assert "&#34;any&#34;" in page or '"any"' in page  # deeper than the row editor: shown in the JSON box


def test_tiered_support_through_the_json_box_round_trips(client, auth, official):
    auth.login(official)
    tiers = '{"kind": "tiers", "base": "revenue_wan", "tiers": [{"gte": 10000, "amount_wan": 50}, {"gte": 50000, "amount_wan": 100}]}'
    bad = client.post(
        "/policies/new", data=_new_policy_data(support_json='{"kind": "tiers", "base": "revenue_wan"}')
    )
    assert bad.status_code == 400 and "缺少 tiers" in bad.get_data(as_text=True)
    assert client.post("/policies/new", data=_new_policy_data(support_json=tiers)).status_code == 302
    policy = db.session.scalar(select(Policy))
    assert policy.support["kind"] == "tiers" and policy.support["tiers"][1] == {
        "gte": 50000,
        "amount_wan": 100,
    }
    page = client.get(f"/policies/{policy.id}").get_data(as_text=True)
    assert "按上年度营业收入分档奖励：达到 10,000 万元奖励 50 万元" in page
    edit = client.get(f"/policies/{policy.id}/edit").get_data(as_text=True)
    assert "&#34;tiers&#34;" in edit or '"tiers"' in edit


def test_proposal_shows_unread_conditions_and_row_spans(client, auth, official, create_policy):
    """The editor lists 未能识别的条件 with their text and each proposed row's source span and confidence."""
    policy = create_policy(status="draft", conditions={"all": []}, text="旧正文")
    auth.login(official)
    text = "一、申报条件\n（一）在宝安区注册；\n（二）企业主要产品获得省级以上名优产品称号。\n二、支持标准\n奖励5万元。"
    data = _new_policy_data(recognize="从正文识别条件", text=text)
    data = {k: v for k, v in data.items() if not k.startswith("rows-") and k != "save"}
    page = client.post(f"/policies/{policy.id}/edit", data=data).get_data(as_text=True)
    assert 'id="reader-unread"' in page and "企业主要产品获得省级以上名优产品称号" in page
    assert 'id="reader-spans"' in page and "把握 90%" in page


def test_proposal_shows_every_requirement_the_text_states(client, auth, official, create_policy):
    """Rows on fields exchange-format records rarely carry (tax and operating district, 本类) are still proposed
    to the official, each beside the words it came from: a requirement is never dropped silently."""
    policy = create_policy(status="draft", conditions={"all": []}, text="旧正文")
    auth.login(official)
    text = (
        "申报条件：注册地、经营地、纳税地三地合一，均在宝安区；此前未获得过本区同类奖励的国家高新技术企业。"
    )
    data = _new_policy_data(recognize="从正文识别条件", text=text)
    data = {k: v for k, v in data.items() if not k.startswith("rows-") and k != "save"}
    page = client.post(f"/policies/{policy.id}/edit", data=data).get_data(as_text=True)
    for field in ("registered_district", "tax_district", "operating_district", "approved_groups"):
        assert f'<option selected value="{field}">' in page, field
    assert page.count('class="condition-row"') >= 5


def test_a_qualification_alias_in_a_row_is_stored_as_its_vocabulary_name(client, auth, official):
    auth.login(official)
    response = client.post(
        "/policies/new", data=_new_policy_data(**{"rows-2-value": "国高、专精特新中小企业"})
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    rows = db.session.scalar(select(Policy)).conditions["all"]
    assert {
        "field": "qualifications",
        "op": "contains_any",
        "value": ["国家高新技术企业", "专精特新中小企业"],
    } in rows
