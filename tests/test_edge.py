"""The request edge: every route and API operation refuses hostile input with a Chinese 4xx and writes nothing.

The routes come from app.url_map, so a route added later is probed too. Each payload is sent anonymously, as an
enterprise and as an admin (with a bank's API token), since a refusal must not depend on who asks; the whole
database is compared before and after.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.finance import services as finance_services
from portal.models import Role

HUGE = "99999999999999999999"
# Values that gave a 500 (or were silently taken as numbers) before the edge check.
FORM_PAYLOADS = {
    "nul": "深圳\x00科技",
    "nan": "NaN",
    "snan": "sNaN",
    "infinity": "-Infinity",
    "fullwidth digits": "１００",
    "arabic-indic digit": "٣",
}
QUERY_PAYLOADS = FORM_PAYLOADS | {"crlf": "/\r\nSet-Cookie:x=1", "tab-less control": "a\x1bb"}
JSON_PAYLOADS = {
    "nul": {"reason": "婉拒\x00"},
    "lone surrogate": {"reason": "\ud800"},
    "surrogate key": {"\udfff": 1},
}
DEEP_JSON = "[" * 100_000 + "]" * 100_000
PROBERS = ("anonymous", "enterprise", "admin")


def _snapshot() -> dict[str, list]:
    """Every row of every table, to prove a refused request wrote nothing."""
    db.session.expire_all()
    return {
        table.name: sorted(map(repr, db.session.execute(select(table)).all()))
        for table in db.metadata.sorted_tables
    }


def _url(rule, value: str = "1") -> str:
    # Fill every converter (<id:x>, <any(a, b):answer>) with a value that matches it.
    def fill(match: re.Match) -> str:
        converter = match.group(1) or ""
        if converter.startswith("any("):
            return converter[4:-1].split(",")[0].strip()
        return value if converter in ("id", "int") else "x"

    return re.sub(r"<(?:([^:>]+):)?[^>]+>", fill, rule.rule)


@pytest.fixture
def identities(app, create_user):
    """A logged-in client per role, an anonymous one, and an API bearer header."""
    clients = {"anonymous": app.test_client()}
    bank_user = None
    for role in (Role.ENTERPRISE, Role.OFFICIAL, Role.BANK, Role.ADMIN):
        user = create_user(role)
        bank_user = user if role == Role.BANK else bank_user
        client = app.test_client()
        assert (
            client.post("/login", data={"username": user.username, "password": "correct-horse-9"}).status_code
            == 302
        )
        clients[role.value] = client
    _, plain = finance_services.create_token(actor=bank_user, name="edge")
    db.session.commit()
    return clients, {"Authorization": f"Bearer {plain}"}


def _rules(app, method: str):
    return [r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"]


def _assert_refused(response, where: str) -> None:
    assert 400 <= response.status_code < 500, (where, response.status_code)
    body = response.json["message"] if response.is_json else response.get_data(as_text=True)
    assert "请求被拒绝" in body or "页码" in body, (where, body[:300])


def test_every_post_route_refuses_bad_form_values(app, identities):
    clients, bearer = identities
    before = _snapshot()
    rules = _rules(app, "POST")
    assert len(rules) > 30  # the probe's 34 form routes and the API operations
    for rule in rules:
        for who in PROBERS:
            client = clients[who]
            for name, payload in FORM_PAYLOADS.items():
                data = {"name": payload, "amount_wan": payload, "reason": payload, "username": payload}
                response = client.post(_url(rule), data=data, headers=bearer)
                _assert_refused(response, (rule.rule, who, name))
    assert _snapshot() == before


def test_every_route_refuses_bad_query_values(app, identities):
    clients, bearer = identities
    before = _snapshot()
    for rule in _rules(app, "GET"):
        for who in PROBERS:
            client = clients[who]
            for name, payload in QUERY_PAYLOADS.items():
                response = client.get(
                    _url(rule), query_string={"q": payload, "next": payload}, headers=bearer
                )
                _assert_refused(response, (rule.rule, who, name))
    assert _snapshot() == before


def test_every_post_route_refuses_bad_json(app, identities):
    clients, bearer = identities
    before = _snapshot()
    for rule in _rules(app, "POST"):
        for who in PROBERS:
            client = clients[who]
            for name, body in JSON_PAYLOADS.items():
                response = client.post(_url(rule), json=body, headers=bearer)
                _assert_refused(response, (rule.rule, who, name))
            response = client.post(
                _url(rule), data=DEEP_JSON, content_type="application/json", headers=bearer
            )
            _assert_refused(response, (rule.rule, who, "deep"))
            assert (
                "嵌套层级" in response.json["message"]
                if response.is_json
                else response.get_data(as_text=True)
            )
            response = client.post(
                _url(rule), data='{"amount_wan": NaN}', content_type="application/json", headers=bearer
            )
            _assert_refused(response, (rule.rule, who, "NaN literal"))
    assert _snapshot() == before


def test_ids_beyond_the_column_range_are_404_on_every_id_route(app, identities):
    clients, bearer = identities
    rules = [r for r in app.url_map.iter_rules() if "<id:" in r.rule]
    assert len(rules) > 25
    assert not [r.rule for r in app.url_map.iter_rules() if "<int:" in r.rule]  # every id route is typed
    for rule in rules:
        for value in (HUGE, str(2**31), "0"):
            for method in rule.methods & {"GET", "POST"}:
                response = clients["admin"].open(_url(rule, value), method=method, headers=bearer)
                assert response.status_code == 404, (rule.rule, value, response.status_code)
                assert "不存在" in response.get_data(as_text=True) or "Not Found" in response.get_data(
                    as_text=True
                )


@pytest.mark.parametrize("page", [HUGE, "0", "-1", "１", "abc", "1.5"])
def test_page_number_is_bounded(identities, page):
    clients, _ = identities
    for path in ("/policies/?page=" + page, "/policies/inbox?page=" + page):
        response = clients["enterprise"].get(path)
        assert response.status_code == 400, path
        body = response.get_data(as_text=True)
        assert "页码应为 1 到" in body or "数字请使用半角阿拉伯数字" in body


def test_login_next_with_crlf_is_refused_and_not_redirected(client, create_user):
    user = create_user(Role.OFFICIAL)
    response = client.post(
        "/login?next=/%0d%0aSet-Cookie:%20x=1",
        data={"username": user.username, "password": "correct-horse-9"},
    )
    assert response.status_code == 400
    assert "Set-Cookie" not in str(response.headers.get("Location"))
    assert "请求被拒绝" in response.get_data(as_text=True)


def test_control_characters_in_headers_are_refused(client):
    response = client.get("/", headers={"Referer": "http://x/\x00"})
    assert response.status_code == 400
    assert "请求头 Referer" in response.get_data(as_text=True)


def test_multiline_text_in_forms_is_still_accepted(app, identities):
    """The check must not refuse ordinary text: line breaks in a textarea, digits inside a sentence."""
    clients, _ = identities
    response = clients["enterprise"].post(
        "/profile", data={"name": "深圳市样例企业", "description": "第一行\r\n第二行：员工１００人"}
    )
    assert response.status_code == 302


def test_405_carries_allow(client):
    response = client.delete("/login")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    response = client.put("/api/v1/feed")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_csrf_refusal_is_in_chinese(make_app, create_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "表单安全令牌缺失或已过期" in body and "CSRF token" not in body
