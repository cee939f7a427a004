"""The banks' JSON API: token authentication, scope to routed requests, strict bodies, OpenAPI document."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.finance import services
from portal.finance.models import BankApiToken, Disbursement, FinancingOffer, FinancingRoute, ProfileView
from portal.timeutil import today
from tests.finance.conftest import DaysAhead, days_ahead, resolve


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def routed(world, token_for):
    """A request routed to banks 0–2, and a token of bank 0."""
    request = world.post()
    bank = world.bank_user(world.bank_ids[0])
    return request, bank, token_for(bank)


def _offer(**overrides):
    return {
        "amount_wan": 400,
        "rate": "3.65",
        "term_months": 24,
        "conditions": "按月付息",
        "valid_until": days_ahead(15),
    } | overrides


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Bearer qq_not-a-real-token",
        "Basic dXNlcjpwYXNz",
        "qq_token-without-scheme",
    ],
)
def test_missing_or_wrong_token_is_401(client, routed, header):
    request, _, _ = routed
    headers = {"Authorization": header} if header is not None else {}
    for method, path in (("get", "/api/v1/feed"), ("get", f"/api/v1/requests/{request.id}")):
        response = getattr(client, method)(path, headers=headers)
        assert response.status_code == 401
        assert "访问令牌" in response.json["message"] and response.headers["WWW-Authenticate"].startswith(
            "Bearer"
        )
    assert (
        client.post(f"/api/v1/requests/{request.id}/offer", json=_offer(), headers=headers).status_code == 401
    )
    assert _count(ProfileView) == 0 and _count(FinancingOffer) == 0


def test_revoked_token_stops_at_once(client, login, routed):
    request, bank, headers = routed
    assert client.get("/api/v1/feed", headers=headers).status_code == 200
    token = db.session.scalar(select(BankApiToken))
    assert token.last_used_at is not None
    assert login(bank).post(f"/finance/bank/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/feed", headers=headers).status_code == 401


def test_another_banks_token_sees_nothing_of_this_request(client, world, routed, token_for):
    request, _, _ = routed
    outsider = token_for(world.bank_user(world.bank_ids[3]))  # bank 3 was not routed this request
    assert client.get("/api/v1/feed", headers=outsider).json == {"items": [], "next_before": None}
    assert client.get(f"/api/v1/requests/{request.id}", headers=outsider).status_code == 404
    for path, body in (
        ("offer", _offer()),
        ("decline", {"reason": "不感兴趣的理由"}),
        ("disbursement", {"amount_wan": 1, "disbursed_on": today().isoformat()}),
    ):
        response = client.post(f"/api/v1/requests/{request.id}/{path}", json=body, headers=outsider)
        assert response.status_code == 404 and response.json["message"]
    assert client.get("/api/v1/requests/999999", headers=outsider).status_code == 404
    assert _count(FinancingOffer) == 0 and _count(ProfileView) == 0


def test_bank_never_sees_another_banks_offer(client, world, routed, token_for):
    request, _, headers = routed
    services.make_offer(
        services.bank_route(request.id, world.bank_ids[1]),
        actor=world.bank_user(world.bank_ids[1]),
        amount_wan=Decimal(300),
        rate=Decimal("3.3"),
        term_months=12,
        conditions_text="",
        valid_until=today() + timedelta(days=3),
    )
    db.session.commit()
    data = client.get(f"/api/v1/requests/{request.id}", headers=headers).json
    # Compare whole values: a substring check would also match a timestamp's microseconds.
    assert data["offer"] is None and not {"3.3", "3.30", "3.300", 3.3} & set(_leaves(data))


def _leaves(value):
    """Every scalar in a JSON document."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_feed_read_offer_and_disbursement_through_the_api(client, world, routed, login):
    request, bank, headers = routed
    feed = client.get("/api/v1/feed", headers=headers).json["items"]
    assert [item["request_id"] for item in feed] == [request.id]
    assert feed[0]["amount_wan"] == "500.00" and feed[0]["route_status"] == "pending"
    assert not any("5,230" in line for line in feed[0]["fit"])  # no profile data in the list
    assert _count(ProfileView) == 0
    data = client.get(f"/api/v1/requests/{request.id}", headers=headers).json
    assert data["profile"]["经营财务"]["revenue_wan"] == "5230.00"
    assert data["profile"]["基本信息"]["name"] == request.enterprise.name
    assert any("不低于 1,000 万元 ✓" in line for line in data["fit"])
    assert _count(ProfileView) == 1
    view = db.session.scalar(select(ProfileView))
    assert view.channel == "api" and view.token_id is not None and view.bank_id == bank.bank_id

    created = client.post(f"/api/v1/requests/{request.id}/offer", json=_offer(rate=3.65), headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["rate"] == "3.650" and created.json["amount_wan"] == "400.00"
    again = client.post(f"/api/v1/requests/{request.id}/offer", json=_offer(), headers=headers)
    assert again.status_code == 422 and "已答复" in again.json["message"]
    offer = db.session.get(FinancingOffer, created.json["id"])
    # too early: not accepted yet
    early = client.post(
        f"/api/v1/requests/{request.id}/disbursement",
        json={"amount_wan": 400, "disbursed_on": today().isoformat()},
        headers=headers,
    )
    assert early.status_code == 422 and "接受报价" in early.json["message"]
    login(world.enterprise_user).post(f"/finance/offers/{offer.id}/accept")
    over = client.post(
        f"/api/v1/requests/{request.id}/disbursement",
        json={"amount_wan": "400.01", "disbursed_on": today().isoformat()},
        headers=headers,
    )
    assert over.status_code == 422 and "400.00" in over.json["message"]
    paid = client.post(
        f"/api/v1/requests/{request.id}/disbursement",
        json={"amount_wan": "399.5", "disbursed_on": today().isoformat()},
        headers=headers,
    )
    assert paid.status_code == 201 and paid.json["amount_wan"] == "399.50"
    assert _count(Disbursement) == 1


def test_decline_through_the_api(client, world, routed):
    request, bank, headers = routed
    response = client.post(
        f"/api/v1/requests/{request.id}/decline", json={"reason": "超出本行行业授信限额"}, headers=headers
    )
    assert response.status_code == 200 and response.json["route_status"] == "declined"
    assert client.get(f"/api/v1/requests/{request.id}", headers=headers).status_code == 403
    route = services.bank_route(request.id, world.bank_ids[3])
    assert route is not None and route.status == "pending"


BAD_OFFERS = [
    ({"amount_wan": -1}, "授信金额"),
    ({"amount_wan": 0}, "授信金额"),
    ({"amount_wan": 500.01}, "授信金额"),  # more than asked
    ({"amount_wan": 1e12}, "授信金额"),
    ({"amount_wan": "1e3x"}, "amount_wan：应为数字"),
    ({"amount_wan": True}, "amount_wan：应为数字"),
    ({"amount_wan": [400]}, "amount_wan：应为数字"),
    ({"amount_wan": "NaN"}, "授信金额"),
    ({"amount_wan": 100.001}, "最多保留 2 位小数"),
    ({"rate": 0}, "年利率"),
    ({"rate": -3}, "年利率"),
    ({"rate": 36}, "年利率"),
    ({"rate": "3.6543"}, "最多保留 3 位小数"),
    ({"rate": None}, "rate：必填"),
    ({"term_months": 0}, "贷款期限"),
    ({"term_months": 361}, "贷款期限"),
    ({"term_months": 12.5}, "term_months：应为整数"),
    ({"term_months": "12"}, "term_months：应为整数"),
    ({"valid_until": "2020-01-01"}, "报价有效期"),
    ({"valid_until": DaysAhead(91)}, "报价有效期"),
    ({"valid_until": "明天"}, "valid_until：应为 YYYY-MM-DD"),
    ({"valid_until": 20261201}, "valid_until：应为 YYYY-MM-DD"),
    ({"conditions": 5}, "conditions：应为字符串"),
    ({"conditions": "长" * 2001}, "放款条件"),
    ({"bank_id": 1}, "bank_id：不支持的字段"),
    ({"status": "accepted"}, "status：不支持的字段"),
]


@pytest.mark.parametrize(("change", "message"), BAD_OFFERS)
def test_bad_offer_bodies_are_422_and_write_nothing(client, routed, change, message):
    request, _, headers = routed
    response = client.post(
        f"/api/v1/requests/{request.id}/offer", json=_offer(**resolve(change)), headers=headers
    )
    assert response.status_code == 422, response.json
    assert message in response.json["message"]
    assert _count(FinancingOffer) == 0
    assert services.bank_route(request.id, routed[1].bank_id).status == "pending"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"data": "not json", "content_type": "text/plain"}, "JSON 对象"),
        ({"data": "{bad json", "content_type": "application/json"}, "JSON 对象"),
        ({"json": [1, 2]}, "JSON 对象"),
        ({"json": {}}, "amount_wan：必填"),
    ],
)
def test_unparseable_bodies_are_422(client, routed, kwargs, message):
    request, _, headers = routed
    response = client.post(f"/api/v1/requests/{request.id}/offer", headers=headers, **kwargs)
    assert response.status_code == 422 and message in response.json["message"]
    assert _count(FinancingOffer) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "reason：必填"),
        ({"reason": "no"}, "婉拒理由"),
        ({"reason": 5}, "应为字符串"),
        ({"reason": "理由充分的说明", "x": 1}, "x：不支持的字段"),
    ],
)
def test_bad_decline_bodies(client, routed, body, message):
    request, bank, headers = routed
    response = client.post(f"/api/v1/requests/{request.id}/decline", json=body, headers=headers)
    assert response.status_code == 422 and message in response.json["message"]
    assert services.bank_route(request.id, bank.bank_id).status == "pending"


def test_bad_disbursement_bodies(client, world, routed, login):
    request, bank, headers = routed
    offer = client.post(f"/api/v1/requests/{request.id}/offer", json=_offer(), headers=headers).json
    login(world.enterprise_user).post(f"/finance/offers/{offer['id']}/accept")
    for body, message in (
        ({"amount_wan": 100}, "disbursed_on：必填"),
        ({"amount_wan": -5, "disbursed_on": today().isoformat()}, "放款金额"),
        ({"amount_wan": 100, "disbursed_on": (today() + timedelta(days=1)).isoformat()}, "放款日期"),
        (
            {"amount_wan": 100, "disbursed_on": (today() - timedelta(days=1)).isoformat()},
            "放款日期",
        ),  # before acceptance
        ({"amount_wan": 100, "disbursed_on": today().isoformat(), "note": "x"}, "note：不支持的字段"),
    ):
        response = client.post(f"/api/v1/requests/{request.id}/disbursement", json=body, headers=headers)
        assert response.status_code == 422 and message in response.json["message"], (body, response.json)
    assert _count(Disbursement) == 0


def test_api_is_csrf_exempt(make_app, world, token_for):
    app = make_app(WTF_CSRF_ENABLED=True)
    request = world.post()
    headers = token_for(world.bank_user(world.bank_ids[0]))
    response = app.test_client().post(f"/api/v1/requests/{request.id}/offer", json=_offer(), headers=headers)
    assert response.status_code == 201


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/feed",
        "/requests/{request_id}",
        "/requests/{request_id}/offer",
        "/requests/{request_id}/decline",
        "/requests/{request_id}/disbursement",
        "/openapi.json",
    }
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    from portal.finance.schemas import DeclineIn, DisbursementIn, OfferIn

    schemas = doc["components"]["schemas"]
    for model in (OfferIn, DeclineIn, DisbursementIn):
        documented = schemas[model.__name__]
        assert set(documented["properties"]) == set(model.model_fields)
        assert set(documented["required"]) == {k for k, f in model.model_fields.items() if f.is_required()}
        assert documented["additionalProperties"] is False
    # every route of the blueprint is documented
    from flask import current_app

    rules = {
        r.rule.removeprefix("/api/v1").replace("<id:request_id>", "{request_id}")
        for r in current_app.url_map.iter_rules()
        if r.endpoint.startswith("finance_api.")
    }
    assert rules == set(doc["paths"])


def test_routes_table_untouched_by_refused_calls(client, routed):
    request, _, _ = routed
    before = db.session.scalar(select(func.count()).select_from(FinancingRoute))
    client.post(f"/api/v1/requests/{request.id}/decline", json={"reason": "无效令牌"})
    assert db.session.scalar(select(func.count()).select_from(FinancingRoute)) == before


def test_feed_pages_by_keyset_and_refuses_bad_paging_arguments(client, world, routed):
    _, _, headers = routed
    for _ in range(2):
        world.post()
    whole = client.get("/api/v1/feed", headers=headers).json
    assert len(whole["items"]) == 3 and whole["next_before"] is None
    ids = [item["request_id"] for item in whole["items"]]
    seen, before = [], None
    for _ in range(3):
        query = "?limit=1" + (f"&before={before}" if before else "")
        page = client.get(f"/api/v1/feed{query}", headers=headers).json
        seen += [item["request_id"] for item in page["items"]]
        before = page["next_before"]
    assert seen == ids  # newest first, each once, across three pages of one
    last = client.get(f"/api/v1/feed?limit=1&before={before}", headers=headers).json
    assert last == {"items": [], "next_before": None}
    for query in ("limit=0", "limit=201", "limit=abc", "limit=1_0", "before=0", f"before={2**31}", "before="):
        response = client.get(f"/api/v1/feed?{query}", headers=headers)
        assert response.status_code == 422 and "查询参数无效" in response.json["message"], query
