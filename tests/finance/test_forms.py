"""Every web form refuses bad input with a clear Chinese message and writes nothing; products and tokens
belong to their bank."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.finance.models import BankApiToken, FinancingOffer, FinancingRequest, LoanProduct
from tests.finance.conftest import DaysAhead, days_ahead, resolve


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _product_form(**overrides) -> dict:
    return {
        "name": "专精特新贷",
        "kind": "信用贷",
        "amount_min_wan": "100",
        "amount_max_wan": "3000",
        "term_min_months": "6",
        "term_max_months": "36",
        "rate_min": "3.2",
        "rate_max": "4.4",
        "conditions": json.dumps({"all": [{"field": "credit_ok", "op": "eq", "value": True}]}),
        "description": "",
        "active": "y",
    } | overrides


def test_bank_creates_and_edits_its_product(world, login):
    bank = world.bank_users[0]
    client = login(bank)
    assert client.post("/finance/bank/products/new", data=_product_form()).status_code == 302
    product = db.session.scalar(select(LoanProduct).where(LoanProduct.name == "专精特新贷"))
    assert product.bank_id == bank.bank_id and product.conditions == {
        "all": [{"field": "credit_ok", "op": "eq", "value": True}]
    }
    page = client.get(f"/finance/bank/products/{product.id}/edit")
    assert page.status_code == 200 and "credit_ok" in page.text
    assert (
        client.post(
            f"/finance/bank/products/{product.id}/edit", data=_product_form(name="专精特新贷二期")
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert product.name == "专精特新贷二期"
    assert "专精特新贷二期" in client.get("/finance/bank/products").text
    # another bank cannot open or change it
    other = login(world.bank_users[1])
    assert other.get(f"/finance/bank/products/{product.id}/edit").status_code == 404
    assert (
        other.post(f"/finance/bank/products/{product.id}/edit", data=_product_form(name="改名")).status_code
        == 404
    )
    assert "专精特新贷二期" not in other.get("/finance/bank/products").text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "请输入产品名称"),
        ({"kind": "高利贷"}, "不是有效的选择"),
        ({"amount_min_wan": "abc"}, "不是有效的小数"),
        ({"amount_min_wan": "-5"}, "最低额度（万元）应在 0.01 到"),
        ({"amount_max_wan": "99999999999"}, "最高额度（万元）应在"),
        ({"amount_min_wan": "5000"}, "下限不能高于上限"),
        ({"term_min_months": "0"}, "最短期限（月）应为 1 到 360"),
        ({"term_max_months": "1.5"}, "不是有效的整数"),
        ({"rate_min": "0"}, "最低年利率（%）应在 0.01 到 24"),
        ({"rate_max": "99"}, "最高年利率（%）应在"),
        ({"conditions": "{not json"}, "不是合法的 JSON"),
        (
            {"conditions": json.dumps({"all": [{"field": "revenue", "op": "gte", "value": 1}]})},
            "未知字段 revenue",
        ),
        (
            {"conditions": json.dumps({"all": [{"field": "revenue_wan", "op": "gte", "value": "多"}]})},
            "应为数字",
        ),
    ],
)
def test_bad_product_forms(world, login, change, message):
    before = _count(LoanProduct)
    response = login(world.bank_users[0]).post("/finance/bank/products/new", data=_product_form(**change))
    assert response.status_code == 400 and message in response.text
    assert _count(LoanProduct) == before


def _request_form(**overrides) -> dict:
    return {
        "amount_wan": "500",
        "term_months": "24",
        "purpose": "购置生产设备",
        "collateral": "无（信用）",
        "max_rate": "5",
        "consent_scope": "matched",
        "consent_groups": ["基本信息"],
        "consent_until": days_ahead(30),
    } | overrides


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount_wan": ""}, "此项必填"),
        ({"amount_wan": "-100"}, "融资金额（万元）应在 0.01 到"),
        ({"amount_wan": "1e9"}, "融资金额（万元）应在"),
        ({"term_months": "0"}, "融资期限（月）应为 1 到 360"),
        ({"term_months": "十二"}, "不是有效的整数"),
        ({"purpose": ""}, "请填写资金用途"),
        ({"purpose": "钱"}, "资金用途应为 4 到 500 字"),
        ({"collateral": "黄金"}, "不是有效的选择"),
        ({"max_rate": "30"}, "可接受最高年利率（%）应在 0.01 到 24"),
        ({"consent_groups": []}, "请至少授权一类企业数据"),
        ({"consent_groups": ["全部数据"]}, "不是有效的选择"),
        ({"consent_scope": "chosen"}, "请至少选择一家银行"),
        ({"consent_scope": "chosen", "consent_bank_ids": ["999999"]}, "不是有效的选择"),
        ({"consent_until": "2020-01-01"}, "授权截止日期应在"),
        ({"consent_until": DaysAhead(400)}, "授权截止日期应在"),
        ({"consent_until": "明年"}, "不是有效的日期"),
    ],
)
def test_bad_request_forms(world, login, change, message):
    response = login(world.enterprise_user).post(
        "/finance/requests/new", data=_request_form(**resolve(change))
    )
    assert response.status_code == 400 and message in response.text
    assert _count(FinancingRequest) == 0


def test_chosen_banks_from_the_form(world, login):
    data = _request_form(consent_scope="chosen", consent_bank_ids=[str(world.bank_ids[1])])
    assert login(world.enterprise_user).post("/finance/requests/new", data=data).status_code == 302
    request = db.session.scalar(select(FinancingRequest))
    assert request.consent_bank_ids == [world.bank_ids[1]] and [r.bank_id for r in request.routes] == [
        world.bank_ids[1]
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount_wan": "0"}, "授信金额（万元）应在 0.01 到 500.00"),
        ({"amount_wan": "600"}, "授信金额（万元）应在 0.01 到 500.00"),
        ({"amount_wan": "x"}, "不是有效的小数"),
        ({"rate": "-1"}, "年利率（%）应在"),
        ({"term_months": "999"}, "贷款期限（月）应为 1 到 360"),
        ({"valid_until": "2020-01-01"}, "报价有效期应在"),
        ({"valid_until": ""}, "此项必填"),
        ({"conditions_text": "长" * 2001}, "2000"),
    ],
)
def test_bad_offer_forms(world, login, change, message):
    request = world.post()
    data = {
        "amount_wan": "400",
        "rate": "3.6",
        "term_months": "24",
        "conditions_text": "",
        "valid_until": days_ahead(10),
    }
    response = login(world.bank_user(world.bank_ids[0])).post(
        f"/finance/bank/requests/{request.id}/offer", data=data | change
    )
    assert response.status_code == 400 and message in response.text
    assert _count(FinancingOffer) == 0


@pytest.mark.parametrize(
    ("reason", "message"), [("", "请填写婉拒理由"), ("不要", "婉拒理由应为 4 到 500 字"), ("长" * 501, "500")]
)
def test_bad_decline_forms(world, login, reason, message):
    request = world.post()
    bank = world.bank_user(world.bank_ids[0])
    response = login(bank).post(f"/finance/bank/requests/{request.id}/decline", data={"reason": reason})
    assert response.status_code == 400 and message in response.text
    db.session.expire_all()
    assert {r.bank_id: r.status for r in request.routes}[bank.bank_id] == "pending"


def test_disbursement_form_only_for_the_accepted_bank(world, login):
    request = world.post()
    bank = world.bank_user(world.bank_ids[0])
    response = login(bank).post(
        f"/finance/bank/requests/{request.id}/disbursement",
        data={"amount_wan": "100", "disbursed_on": days_ahead(0)},
    )
    assert response.status_code == 400 and "只有被企业接受报价的银行可以登记放款" in response.text
    response = login(bank).post(
        f"/finance/bank/requests/{request.id}/disbursement", data={"amount_wan": "abc", "disbursed_on": ""}
    )
    assert response.status_code == 400 and "不是有效的小数" in response.text


def test_token_is_shown_once_and_stored_hashed(world, login, client):
    bank = world.bank_users[0]
    page = login(bank).post("/finance/bank/tokens", data={"name": "信贷系统"})
    assert page.status_code == 200 and "只显示这一次" in page.text
    plain = page.text.split('<code class="user-select-all fs-6">')[1].split("</code>")[0]
    token = db.session.scalar(select(BankApiToken))
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest() and plain not in token.token_hash
    listing = client.get("/finance/bank/tokens")
    assert plain not in listing.text and token.prefix in listing.text
    assert client.get("/api/v1/feed", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    # another bank cannot revoke it; its own staff can
    assert login(world.bank_users[1]).post(f"/finance/bank/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/api/v1/feed", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    assert login(bank).post(f"/finance/bank/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/feed", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_bad_token_form(world, login):
    response = login(world.bank_users[0]).post("/finance/bank/tokens", data={"name": ""})
    assert response.status_code == 400 and "请填写令牌用途" in response.text
    assert _count(BankApiToken) == 0
