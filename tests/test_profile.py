"""Profile provenance: self-declared fields are editable, verified ones cannot be overwritten."""

from decimal import Decimal

from portal.extensions import db


def _enterprise_user(create_user, create_enterprise, **fields):
    firm = create_enterprise(**fields)
    return create_user("enterprise", enterprise_id=firm.id), firm


FORM = {
    "name": "深圳市测试科技有限公司",
    "registered_district": "宝安区",
    "street": "西乡街道",
    "industry_code": "c3982",
    "founded": "2018-05-12",
    "employees": "130",
    "revenue_wan": "6000.5",
    "assets_wan": "4100",
    "rd_expense_wan": "310",
    "tax_paid_wan": "180",
    "qualifications": ["国家高新技术企业"],
    "credit_ok": "y",
    "business_scope": "一般经营项目是：电子电路研发。",
    "description": "主营印制电路板。",
}


def test_self_declared_fields_are_saved(client, auth, create_user, create_enterprise):
    user, firm = _enterprise_user(create_user, create_enterprise, verified=())
    auth.login(user)
    response = client.post("/profile", data=FORM)
    assert response.status_code == 302
    db.session.refresh(firm)
    assert firm.revenue_wan == Decimal("6000.50") and firm.employees == 130
    assert firm.industry_code == "C3982" and firm.street == "西乡街道"


def test_verified_fields_are_shown_locked(client, auth, create_user, create_enterprise):
    user, _ = _enterprise_user(create_user, create_enterprise, verified=("revenue_wan",))
    auth.login(user)
    page = client.get("/profile").get_data(as_text=True)
    assert "已核验 · 测试数据源" in page
    revenue_input = next(tag for tag in page.split("<input") if 'name="revenue_wan"' in tag)
    employees_input = next(tag for tag in page.split("<input") if 'name="employees"' in tag)
    assert "disabled" in revenue_input and "disabled" not in employees_input


def test_form_without_verified_field_keeps_it(client, auth, create_user, create_enterprise):
    """The browser does not send disabled inputs: the verified value stays, the rest is saved."""
    user, firm = _enterprise_user(create_user, create_enterprise, verified=("revenue_wan",))
    auth.login(user)
    data = {k: v for k, v in FORM.items() if k != "revenue_wan"} | {"employees": "140"}
    assert client.post("/profile", data=data).status_code == 302
    db.session.refresh(firm)
    assert firm.revenue_wan == Decimal("5230.00") and firm.employees == 140


def test_crafted_post_cannot_overwrite_verified_field(client, auth, create_user, create_enterprise):
    user, firm = _enterprise_user(create_user, create_enterprise, verified=("revenue_wan", "qualifications"))
    auth.login(user)
    crafted = FORM | {"employees": "999", "qualifications": ["国家高新技术企业", "上市企业"]}
    response = client.post("/profile", data=crafted)
    assert response.status_code == 400
    assert "已核验的政府数据" in response.get_data(as_text=True)
    db.session.refresh(firm)
    assert firm.revenue_wan == Decimal("5230.00")
    assert firm.qualifications == ["国家高新技术企业"]
    assert firm.employees == 120  # nothing of the refused request was written


def test_bad_values_are_refused_with_messages(client, auth, create_user, create_enterprise):
    user, firm = _enterprise_user(create_user, create_enterprise, verified=())
    auth.login(user)
    response = client.post("/profile", data=FORM | {"industry_code": "C9999", "revenue_wan": "-5"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "小类代码" in page and "金额应在" in page
    db.session.refresh(firm)
    assert firm.revenue_wan == Decimal("5230.00")


def test_derived_fields_shown(client, auth, create_user, create_enterprise):
    user, _ = _enterprise_user(create_user, create_enterprise)
    auth.login(user)
    page = client.get("/profile").get_data(as_text=True)
    assert "5.93%" in page  # 310 / 5230
    assert "小型" in page  # 工业: 120 employees < 300 rules out 中型; ≥ 20 and revenue ≥ 300 make it 小型
