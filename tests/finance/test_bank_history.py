"""Issue 9 bugs 1 and 8 and the bank-side rough edges: a bank keeps a read-only view and a history of what it
declined or withdrew, may offer again after withdrawing, sees statuses follow acceptance and disbursement, is
warned before offering above the enterprise's rate, and one visit is logged once."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.finance.models import FinanceEvent, FinancingOffer, ProfileView
from portal.timeutil import today
from tests.finance.conftest import days_ahead
from tests.finance.test_forms import _request_form


def _offer(**overrides) -> dict:
    return {
        "amount_wan": "500",
        "rate": "3.60",
        "term_months": "24",
        "conditions_text": "",
        "valid_until": days_ahead(20),
    } | overrides


def _views() -> int:
    return db.session.scalar(select(func.count()).select_from(ProfileView))


def test_declined_request_stays_readable_and_in_history(world, login):
    request = world.post()
    bank = world.bank_user(request.routes[0].bank_id)
    client = login(bank)
    response = client.post(
        f"/finance/bank/requests/{request.id}/decline",
        data={"reason": "暂不符合本行授信政策"},
        follow_redirects=True,
    )
    # before: 403 "该融资需求对本行已结束" under the green banner
    assert response.status_code == 200, response.text
    assert "已婉拒该融资需求" in response.text and 'id="read-only"' in response.text
    assert "暂不符合本行授信政策" in response.text
    assert "提交报价" not in response.text  # read-only: no answer forms
    feed = client.get("/finance/bank/feed")
    history = feed.text.split('id="history"')[1]
    assert f"#{request.id}" in history and "已婉拒" in history
    assert f'href="/finance/bank/requests/{request.id}"' in history
    # acting is still refused
    again = client.post(f"/finance/bank/requests/{request.id}/offer", data=_offer())
    assert again.status_code == 400 and "该融资需求对本行已结束（已婉拒）" in again.text
    assert db.session.scalar(select(func.count()).select_from(FinancingOffer)) == 0


def test_withdrawn_offer_can_be_corrected_by_a_new_offer(world, login):
    request = world.post()
    bank = world.bank_user(request.routes[0].bank_id)
    client = login(bank)
    assert (
        client.post(f"/finance/bank/requests/{request.id}/offer", data=_offer(rate="4.60")).status_code == 302
    )
    offer = db.session.scalar(select(FinancingOffer))
    page = client.post(f"/finance/bank/offers/{offer.id}/withdraw", follow_redirects=True)
    assert page.status_code == 200, page.text
    assert "报价已撤回" in page.text and "重新报价" in page.text and 'id="read-only"' in page.text
    assert (
        client.post(f"/finance/bank/requests/{request.id}/offer", data=_offer(rate="3.60")).status_code == 302
    )
    db.session.expire_all()
    offer = db.session.scalar(select(FinancingOffer))
    assert offer.status == "open" and str(offer.rate) == "3.600"
    route = next(r for r in request.routes if r.bank_id == bank.bank_id)
    assert route.status == "offered"
    actions = db.session.scalars(
        select(FinanceEvent.action).where(FinanceEvent.bank_id == bank.bank_id).order_by(FinanceEvent.id)
    ).all()
    assert actions[-3:] == ["offered", "offer_withdrawn", "offered"]


def test_no_new_offer_once_the_request_is_no_longer_open(world, login):
    request = world.post()
    first, second = (world.bank_user(r.bank_id) for r in request.routes[:2])
    login(first).post(f"/finance/bank/requests/{request.id}/offer", data=_offer())
    login(second).post(f"/finance/bank/requests/{request.id}/offer", data=_offer(rate="3.70"))
    offers = {o.bank_id: o for o in db.session.scalars(select(FinancingOffer))}
    login(first).post(f"/finance/bank/offers/{offers[first.bank_id].id}/withdraw")
    login(world.enterprise_user).post(f"/finance/offers/{offers[second.bank_id].id}/accept")
    client = login(first)
    page = client.get(f"/finance/bank/requests/{request.id}")
    assert page.status_code == 200 and "已接受报价，不能再报价" in page.text and "提交报价" not in page.text
    refused = client.post(f"/finance/bank/requests/{request.id}/offer", data=_offer())
    assert refused.status_code == 400 and "不能再报价" in refused.text


def test_statuses_follow_acceptance_and_disbursement(world, login):
    request = world.post()
    bank = world.bank_user(request.routes[0].bank_id)
    login(bank).post(f"/finance/bank/requests/{request.id}/offer", data=_offer())
    offer = db.session.scalar(select(FinancingOffer))
    client = login(world.enterprise_user)
    assert client.post(f"/finance/offers/{offer.id}/accept").status_code == 302
    table = client.get(f"/finance/requests/{request.id}").text.split("推送的银行")[1]
    assert "报价已接受，待放款" in table and "已报价" not in table

    client = login(bank)
    page = client.get(f"/finance/bank/requests/{request.id}")
    assert "报价已接受，待放款</span></h1>" in page.text
    feed = client.get("/finance/bank/feed").text
    assert "报价已接受，待放款" in feed.split('id="history"')[0]
    client.post(
        f"/finance/bank/requests/{request.id}/disbursement",
        data={"amount_wan": "500", "disbursed_on": today().isoformat()},
    )
    page = client.get(f"/finance/bank/requests/{request.id}")
    assert "已放款</span></h1>" in page.text
    current, history = client.get("/finance/bank/feed").text.split('id="history"')
    assert f"#{request.id} ·" not in current and f"#{request.id} ·" in history and "已放款" in history
    table = login(world.enterprise_user).get(f"/finance/requests/{request.id}").text.split("推送的银行")[1]
    assert "已放款" in table and "已报价" not in table


def test_offer_above_the_acceptable_rate_asks_for_confirmation(world, login):
    request = world.post()  # max_rate 5.00
    client = login(world.bank_user(request.routes[0].bank_id))
    page = client.get(f"/finance/bank/requests/{request.id}")
    assert 'data-max-rate="5.000"' in page.text and "企业可接受年利率不高于 5.000%" in page.text
    held = client.post(f"/finance/bank/requests/{request.id}/offer", data=_offer(rate="5.5"))
    assert held.status_code == 400 and "高于企业可接受的 5.000%" in held.text
    assert 'name="above_max_rate"' in held.text
    assert db.session.scalar(select(func.count()).select_from(FinancingOffer)) == 0
    sent = client.post(
        f"/finance/bank/requests/{request.id}/offer", data=_offer(rate="5.5", above_max_rate="y")
    )
    assert sent.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(FinancingOffer)) == 1


def test_one_visit_is_logged_once(world, login):
    request = world.post()
    client = login(world.bank_user(request.routes[0].bank_id))
    client.get(f"/finance/bank/requests/{request.id}")
    client.post(f"/finance/bank/requests/{request.id}/offer", data=_offer(amount_wan="9999999"))  # re-render
    client.post(f"/finance/bank/requests/{request.id}/offer", data=_offer(), follow_redirects=True)
    assert _views() == 1
    log = login(world.enterprise_user).get(f"/finance/requests/{request.id}/views")
    assert log.text.count(world.bank_user(request.routes[0].bank_id).display_name) == 1


def test_confirm_dialogs_say_what_will_happen(world, login):
    request = world.post()
    bank = world.bank_user(request.routes[0].bank_id)
    page = login(bank).get(f"/finance/bank/requests/{request.id}").text
    assert 'data-confirm="婉拒后本行不能再对该需求报价' in page
    login(bank).post(f"/finance/bank/requests/{request.id}/offer", data=_offer())
    page = login(bank).get(f"/finance/bank/requests/{request.id}").text
    assert 'data-confirm="撤回后企业将看不到本行报价' in page
    page = login(world.enterprise_user).get(f"/finance/requests/{request.id}").text
    assert "onsubmit" not in page  # the CSP forbids inline handlers
    assert "其报价随之关闭" in page and 'data-confirm="撤回后各银行立即无法查看该需求' in page


def test_a_service_refusal_about_one_field_is_shown_under_that_field(world, login):
    """Issue 9: errors came one per submit as a banner; a range the service checks now sits under its field."""
    client = login(world.enterprise_user)
    response = client.post("/finance/requests/new", data=_request_form(amount_wan="-100"))
    assert response.status_code == 400
    inline = response.text.split('name="amount_wan"')[1].split("</div>")[0]
    assert "融资金额（万元）应在 0.01 到" in inline
    assert 'class="alert alert-danger' not in response.text  # no banner
