"""Consent: chosen banks, field groups, per-bank and full revocation, expiry; the view log; ownership."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.finance import services
from portal.finance.models import ProfileView
from portal.timeutil import today, utcnow


def _views() -> int:
    return db.session.scalar(select(func.count()).select_from(ProfileView))


def test_only_chosen_banks_are_routed_and_others_get_404(world, login, token_for):
    chosen = [world.bank_ids[2], world.bank_ids[3]]
    request = world.post(consent_bank_ids=chosen)
    assert sorted(r.bank_id for r in request.routes) == chosen
    outsider = world.bank_user(world.bank_ids[0])
    assert login(outsider).get(f"/finance/bank/requests/{request.id}").status_code == 404
    response = login(outsider).get(f"/api/v1/requests/{request.id}", headers=token_for(outsider))
    assert response.status_code == 404 and "未推送给本行" in response.json["message"]
    assert _views() == 0


def test_field_groups_limit_what_the_bank_sees(world, login, token_for):
    request = world.post(consent_groups=["资质信用"])
    bank = world.bank_user(request.routes[0].bank_id)
    page = login(bank).get(f"/finance/bank/requests/{request.id}")
    assert page.status_code == 200
    assert "国家高新技术企业" in page.text and "无失信记录" in page.text
    assert request.enterprise.name not in page.text and "5,230" not in page.text
    assert "<li>一项经营财务类准入条件：未授权（企业未授权查看该类数据）</li>" in page.text  # no ✓ or ✗
    data = login(bank).get(f"/api/v1/requests/{request.id}", headers=token_for(bank)).json
    assert list(data["profile"]) == ["资质信用"]
    assert data["profile"]["资质信用"] == {"qualifications": ["国家高新技术企业"], "credit_ok": True}
    assert all("5,230" not in line for line in data["fit"])
    assert _views() == 2


def test_revoking_one_bank_cuts_it_off_at_once_and_refills(world, login, token_for):
    request = world.post()
    bank = world.bank_user(world.bank_ids[0])
    headers = token_for(bank)
    assert login(bank).get(f"/finance/bank/requests/{request.id}").status_code == 200
    client = login(world.enterprise_user)
    assert (
        client.post(f"/finance/requests/{request.id}/revoke", data={"bank_id": str(bank.bank_id)}).status_code
        == 302
    )
    client = login(bank)
    page = client.get(f"/finance/bank/requests/{request.id}")
    assert page.status_code == 403 and "企业已撤回授权" in page.text
    api = client.get(f"/api/v1/requests/{request.id}", headers=headers)
    assert api.status_code == 403 and "撤回授权" in api.json["message"]
    offer = client.post(
        f"/api/v1/requests/{request.id}/offer",
        headers=headers,
        json={
            "amount_wan": 100,
            "rate": 3.5,
            "term_months": 12,
            "valid_until": (today() + timedelta(days=5)).isoformat(),
        },
    )
    assert offer.status_code == 403
    db.session.expire_all()
    statuses = {r.bank_id: r.status for r in request.routes}
    assert statuses[bank.bank_id] == "revoked" and statuses[world.bank_ids[3]] == "pending"


def test_revoking_everyone_ends_the_request(world, login, token_for):
    request = world.post()
    banks = [world.bank_user(r.bank_id) for r in request.routes]
    client = login(world.enterprise_user)
    assert client.post(f"/finance/requests/{request.id}/revoke").status_code == 302
    db.session.expire_all()
    assert request.status == "withdrawn" and request.consent_revoked_at is not None
    for bank in banks:
        assert login(bank).get(f"/finance/bank/requests/{request.id}").status_code == 403
        assert login(bank).get(f"/api/v1/requests/{request.id}", headers=token_for(bank)).status_code == 403
        assert login(bank).get("/api/v1/feed", headers=token_for(bank)).json["items"] == []


def test_revoking_after_the_payout_cuts_off_the_accepted_bank(world, login):
    """Issue 8 item 8: before the payout the revocation is refused (see below); after it, access ends at once."""
    request = world.post()
    route = request.routes[0]
    bank = world.bank_user(route.bank_id)
    offer = services.make_offer(
        route,
        actor=bank,
        amount_wan=100,
        rate=4,
        term_months=12,
        conditions_text="",
        valid_until=today() + timedelta(days=5),
    )
    services.accept_offer(offer, actor=world.enterprise_user)
    db.session.commit()
    response = login(bank).post(
        f"/finance/bank/requests/{request.id}/disbursement",
        data={"amount_wan": "100", "disbursed_on": today().isoformat()},
    )
    assert response.status_code == 302
    login(world.enterprise_user).post(f"/finance/requests/{request.id}/revoke")
    assert login(bank).get(f"/finance/bank/requests/{request.id}").status_code == 403


def test_consent_expires_after_its_last_day(world):
    now = utcnow()
    request = world.post(now=now, consent_until=today())
    route = request.routes[0]
    bank = world.bank_user(route.bank_id)
    assert route.can_view(bank, now)
    assert not route.can_view(bank, now + timedelta(days=1))
    with pytest.raises(services.ServiceError, match="授权已到期"):
        services.view_request(route, actor=bank, channel="web", now=now + timedelta(days=1))


def test_view_log_is_the_enterprises_own(world, login, token_for):
    request = world.post()
    bank = world.bank_user(request.routes[0].bank_id)
    login(bank).get(f"/finance/bank/requests/{request.id}")
    login(bank).get(f"/api/v1/requests/{request.id}", headers=token_for(bank))
    page = login(world.enterprise_user).get(f"/finance/requests/{request.id}/views")
    assert page.status_code == 200
    assert page.text.count(bank.display_name) == 1 and "测试对接" in page.text
    assert "网页" in page.text and "接口" in page.text
    views = services.view_log(request)
    assert [v.channel for v in views] == ["api", "web"] and views[1].user_id == bank.id
    assert views[0].token_id is not None and views[0].user_id is None
    # another enterprise cannot see the request, its log, or act on it
    other = login(world.other_enterprise_user)
    assert other.get(f"/finance/requests/{request.id}").status_code == 404
    assert other.get(f"/finance/requests/{request.id}/views").status_code == 404
    assert other.post(f"/finance/requests/{request.id}/withdraw").status_code == 404
    assert other.post(f"/finance/requests/{request.id}/revoke").status_code == 404


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/finance/requests", "get"),
        ("/finance/requests/new", "get"),
        ("/finance/bank/feed", "get"),
        ("/finance/bank/products", "get"),
        ("/finance/bank/tokens", "get"),
        ("/finance/scorecards", "get"),
    ],
)
def test_roles_are_checked_on_every_page(world, login, path, method):
    wrong = world.bank_users[0] if not path.startswith("/finance/bank") else world.enterprise_user
    assert getattr(login(wrong), method)(path).status_code == 403


def test_bank_cannot_act_on_enterprise_pages(world, login):
    request = world.post()
    offer = services.make_offer(
        request.routes[0],
        actor=world.bank_user(request.routes[0].bank_id),
        amount_wan=100,
        rate=4,
        term_months=12,
        conditions_text="",
        valid_until=today() + timedelta(days=5),
    )
    db.session.commit()
    bank = login(world.bank_user(request.routes[0].bank_id))
    assert bank.get(f"/finance/requests/{request.id}").status_code == 403
    assert bank.post(f"/finance/offers/{offer.id}/accept").status_code == 403
    # another enterprise cannot accept it either
    assert login(world.other_enterprise_user).post(f"/finance/offers/{offer.id}/accept").status_code == 404
    # another bank cannot withdraw it
    assert (
        login(world.bank_user(world.bank_ids[3]))
        .post(f"/finance/bank/offers/{offer.id}/withdraw")
        .status_code
        == 404
    )
    db.session.expire_all()
    assert offer.status == "open"


def test_fields_outside_every_group_are_never_shown(world, login, monkeypatch):
    """A condition on a field no consent group covers (a field added later, a portal record) is 未授权."""
    from portal import conditions
    from portal.finance import matching

    assert matching.groups_of_condition("rd_ratio") == ("经营财务",)
    assert matching.groups_of_condition("prior_approval") == (matching.UNSHARED_GROUP,)
    # A derived field outside the groups counts the groups of the fields it rests on.
    spec = conditions.FieldSpec("测试派生", "number", ("gte",), ("revenue_wan", "credit_ok"))
    monkeypatch.setitem(conditions.FIELDS, "test_derived", spec)
    assert matching.groups_of_condition("test_derived") == ("经营财务", "资质信用")
    request = world.post(consent_groups=["资质信用"])
    route = request.routes[0]
    route.explanation = [*route.explanation, {"text": "曾获批某项目 ✓", "groups": [matching.UNSHARED_GROUP]}]
    db.session.commit()
    page = login(world.bank_user(route.bank_id)).get(f"/finance/bank/requests/{request.id}").text
    assert "曾获批某项目" not in page
    assert "<li>一项其他类准入条件：未授权（企业未授权查看该类数据）</li>" in page


def test_revoking_the_accepted_banks_consent_is_refused_until_disbursed(world, login):
    request = world.post()
    bank = world.bank_user(request.routes[0].bank_id)
    offer = services.make_offer(
        request.routes[0],
        actor=bank,
        amount_wan=Decimal("400"),
        rate=Decimal("3.8"),
        term_months=24,
        conditions_text="",
        valid_until=today() + timedelta(days=10),
    )
    services.accept_offer(offer, actor=world.enterprise_user)
    db.session.commit()
    client = login(world.enterprise_user)
    for data in ({"bank_id": str(bank.bank_id)}, {}):
        page = client.post(f"/finance/requests/{request.id}/revoke", data=data, follow_redirects=True).text
        assert "放款登记前不能撤销对该行的授权" in page
    db.session.refresh(request)
    assert request.consent_revoked_at is None and bank.bank_id not in (request.revoked_bank_ids or [])
    assert login(bank).get(f"/finance/bank/requests/{request.id}").status_code == 200
    # Another routed bank may still be revoked; after the payout the accepted bank may be too.
    other = request.routes[1].bank_id
    client = login(world.enterprise_user)
    client.post(f"/finance/requests/{request.id}/revoke", data={"bank_id": str(other)})
    db.session.refresh(request)
    assert other in request.revoked_bank_ids
    services.record_disbursement(
        request.routes[0], actor=bank, amount_wan=Decimal("400"), disbursed_on=today()
    )
    db.session.commit()
    client.post(f"/finance/requests/{request.id}/revoke", data={"bank_id": str(bank.bank_id)})
    db.session.refresh(request)
    assert bank.bank_id in request.revoked_bank_ids


def test_a_token_dies_when_its_user_is_deactivated(world, login, token_for, client):
    request = world.post()
    bank = world.bank_user(request.routes[0].bank_id)
    headers = token_for(bank)
    assert client.get("/api/v1/feed", headers=headers).status_code == 200
    bank.active = False
    db.session.commit()
    response = client.get("/api/v1/feed", headers=headers)
    assert response.status_code == 401 and "无效的访问令牌" in response.json["message"]
    bank.active = True
    db.session.commit()
    assert client.get("/api/v1/feed", headers=headers).status_code == 200
