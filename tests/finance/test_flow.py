"""The whole life of a financing request on the web: post, route, view, offer, compare, accept, disburse."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.extensions import db
from portal.finance import services
from portal.finance.models import (
    BankNotice,
    Disbursement,
    FinanceEvent,
    FinancingOffer,
    FinancingRequest,
    FinancingRoute,
    ProfileView,
)
from portal.models import Notification, Role
from portal.policies.models import Policy
from portal.timeutil import today
from tests.finance.conftest import days_ahead


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _offer_form(**overrides) -> dict:
    return {
        "amount_wan": "500",
        "rate": "3.60",
        "term_months": "24",
        "conditions_text": "按月付息，到期还本",
        "valid_until": days_ahead(20),
    } | overrides


def test_whole_life_of_a_request(world, login, create_user):
    client = login(world.enterprise_user)
    page = client.get("/finance/requests/new")
    assert page.status_code == 200 and "发布融资需求" in page.text
    response = client.post(
        "/finance/requests/new",
        data={
            "amount_wan": "500",
            "term_months": "24",
            "purpose": "购置贴片生产线",
            "collateral": "无（信用）",
            "max_rate": "5",
            "consent_scope": "matched",
            "consent_groups": ["基本信息", "经营财务"],
            "consent_until": days_ahead(30),
        },
    )
    assert response.status_code == 302
    request = db.session.scalar(select(FinancingRequest))
    assert request.consent_groups == ["基本信息", "经营财务"]
    # routed to the three best of four banks (ROUTE_MAX_BANKS), each with a deadline
    routes = sorted(request.routes, key=lambda r: r.bank_id)
    assert [r.bank_id for r in routes] == world.bank_ids[:3]
    assert all(r.status == "pending" for r in routes)
    assert _count(BankNotice) == 3

    # bank 0 reads its feed (no profile data) and the request (consented data, logged)
    bank0, bank1, bank2 = (world.bank_user(b) for b in world.bank_ids[:3])
    client = login(bank0)
    feed = client.get("/finance/bank/feed")
    assert feed.status_code == 200 and f"#{request.id}" in feed.text
    assert "5,230" not in feed.text and _count(ProfileView) == 0
    detail = client.get(f"/finance/bank/requests/{request.id}")
    assert detail.status_code == 200
    assert request.enterprise.name in detail.text and "5,230.00 万元" in detail.text
    assert "国家高新技术企业" not in detail.text  # 资质信用 was not granted
    assert "上年度营业收入 5,230 万元，不低于 1,000 万元 ✓" in detail.text
    assert _count(ProfileView) == 1
    assert client.post(f"/finance/bank/requests/{request.id}/offer", data=_offer_form()).status_code == 302

    client = login(bank1)
    assert (
        client.post(
            f"/finance/bank/requests/{request.id}/offer", data=_offer_form(rate="3.40", amount_wan="450")
        ).status_code
        == 302
    )
    # bank 2 declines with a reason; its slot goes to bank 3
    client = login(bank2)
    assert (
        client.post(
            f"/finance/bank/requests/{request.id}/decline", data={"reason": "暂不符合本行授信政策"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert {r.bank_id: r.status for r in request.routes} == {
        world.bank_ids[0]: "offered",
        world.bank_ids[1]: "offered",
        world.bank_ids[2]: "declined",
        world.bank_ids[3]: "pending",
    }

    # an interest-subsidy policy the enterprise qualifies for: net = rate × (1 − 50%)
    db.session.add(
        Policy(
            title="宝安区科技企业贷款贴息",
            category="金融支持",
            status="published",
            conditions={"all": [{"field": "registered_district", "op": "eq", "value": "宝安区"}]},
            support={"kind": "interest", "rate": 0.5, "cap_wan": 8},
        )
    )
    # a richer subsidy for IP-pledged loans only: this credit (无担保) request must not be priced with it
    db.session.add(
        Policy(
            title="宝安区科技企业知识产权质押贷款贴息",
            category="贷款贴息",
            status="published",
            conditions={
                "all": [
                    {"field": "registered_district", "op": "eq", "value": "宝安区"},
                    {"field": "loan_collateral", "op": "eq", "value": "知识产权质押"},
                ]
            },
            support={"kind": "interest", "rate": 0.7, "cap_wan": 80},
        )
    )
    db.session.commit()
    client = login(world.enterprise_user)
    page = client.get(f"/finance/requests/{request.id}")
    assert page.status_code == 200
    assert "宝安区科技企业贷款贴息" in page.text and "最高 8.00 万元" in page.text
    assert "1.700%" in page.text and "1.800%" in page.text  # 3.40 and 3.60 halved
    # first-year subsidy: 450 × 3.4% × 50% = 7.65; 500 × 3.6% × 50% = 9, capped at 8
    assert "7.65 万元" in page.text and "8.00 万元（已达上限）" in page.text
    rows, subsidy = services.compare_offers(request)
    assert [r.net_rate for r in rows] == [Decimal("1.700"), Decimal("1.800")]
    assert subsidy.share == Decimal("0.5") and "知识产权质押贷款贴息" not in page.text
    request.collateral = "知识产权质押"  # the same loan pledged with IP does qualify for the 70% subsidy
    assert services.interest_subsidy(request.enterprise, today(), request).share == Decimal("0.7")
    assert services.interest_subsidy(request.enterprise, today()).share == Decimal("0.5")  # loan unknown
    request.collateral = "无（信用）"
    # enterprise sees who looked at its data
    log = client.get(f"/finance/requests/{request.id}/views")
    assert bank0.display_name in log.text and "基本信息、经营财务" in log.text

    # accept bank 1's offer: the other offer and the pending route close; their banks are told
    chosen = db.session.scalar(select(FinancingOffer).where(FinancingOffer.bank_id == world.bank_ids[1]))
    assert client.post(f"/finance/offers/{chosen.id}/accept").status_code == 302
    db.session.expire_all()
    assert request.status == "accepted" and request.accepted_offer_id == chosen.id
    assert {o.bank_id: o.status for o in request.offers} == {
        world.bank_ids[0]: "closed",
        world.bank_ids[1]: "accepted",
    }
    statuses = {r.bank_id: r.status for r in request.routes}
    assert statuses[world.bank_ids[0]] == "closed" and statuses[world.bank_ids[3]] == "closed"
    told = db.session.scalars(
        select(BankNotice.bank_id).where(BankNotice.title.contains("其他银行的报价"))
    ).all()
    assert sorted(told) == sorted([world.bank_ids[0], world.bank_ids[3]])
    # a second accept is refused
    other = db.session.scalar(select(FinancingOffer).where(FinancingOffer.bank_id == world.bank_ids[0]))
    client.post(f"/finance/offers/{other.id}/accept")
    db.session.expire_all()
    assert request.accepted_offer_id == chosen.id

    # the losing bank has lost the request; the winner records the disbursement
    client = login(bank0)
    assert client.get(f"/finance/bank/requests/{request.id}").status_code == 403
    client = login(bank1)
    too_much = client.post(
        f"/finance/bank/requests/{request.id}/disbursement",
        data={"amount_wan": "450.01", "disbursed_on": today().isoformat()},
    )
    assert too_much.status_code == 400 and "放款金额（万元）应在 0.01 到 450.00 之间" in too_much.text
    assert _count(Disbursement) == 0
    done = client.post(
        f"/finance/bank/requests/{request.id}/disbursement",
        data={"amount_wan": "450", "disbursed_on": today().isoformat()},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert request.status == "disbursed"
    again = client.post(
        f"/finance/bank/requests/{request.id}/disbursement",
        data={"amount_wan": "1", "disbursed_on": today().isoformat()},
    )
    assert again.status_code == 400 and _count(Disbursement) == 1
    titles = db.session.scalars(select(Notification.title)).all()
    assert any("报价" in t for t in titles) and any("已放款 450.00 万元" in t for t in titles)
    actions = db.session.scalars(select(FinanceEvent.action).order_by(FinanceEvent.id)).all()
    assert actions[0] == "created" and "accepted" in actions and actions[-1] == "disbursed"

    # officials see the scorecards
    official = create_user(Role.OFFICIAL)
    client = login(official)
    page = client.get("/finance/scorecards")
    assert page.status_code == 200 and "450.00" in page.text
    cards = {c.bank.id: c for c in services.scorecards()}
    assert cards[world.bank_ids[1]].accepted == 1 and cards[world.bank_ids[1]].disbursed_wan == Decimal(
        "450.00"
    )
    assert cards[world.bank_ids[2]].response_rate == 1.0 and cards[world.bank_ids[3]].answered == 0
    assert cards[world.bank_ids[0]].median_hours is not None


def test_withdraw_closes_everything(world, login):
    request = world.post()
    services.make_offer(
        request.routes[0],
        actor=world.bank_user(request.routes[0].bank_id),
        amount_wan=Decimal(400),
        rate=Decimal("3.9"),
        term_months=24,
        conditions_text="",
        valid_until=today() + timedelta(days=10),
    )
    db.session.commit()
    client = login(world.enterprise_user)
    assert client.post(f"/finance/requests/{request.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert request.status == "withdrawn"
    assert {r.status for r in request.routes} == {"closed"} and {o.status for o in request.offers} == {
        "closed"
    }
    client = login(world.bank_user(request.routes[0].bank_id))
    assert client.get(f"/finance/bank/requests/{request.id}").status_code == 403
    assert f"/finance/bank/requests/{request.id}" not in client.get("/finance/bank/feed").text


def test_bank_withdraws_offer_and_slot_is_refilled(world, login):
    request = world.post()
    bank0 = world.bank_user(world.bank_ids[0])
    offer = services.make_offer(
        request.routes[0],
        actor=bank0,
        amount_wan=Decimal(400),
        rate=Decimal("3.9"),
        term_months=24,
        conditions_text="",
        valid_until=today() + timedelta(days=10),
    )
    db.session.commit()
    client = login(bank0)
    assert client.post(f"/finance/bank/offers/{offer.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert offer.status == "withdrawn"
    assert {r.bank_id: r.status for r in request.routes}[world.bank_ids[3]] == "pending"
    client = login(world.enterprise_user)
    client.post(f"/finance/offers/{offer.id}/accept")
    db.session.expire_all()
    assert request.status == "open" and offer.status == "withdrawn"


def test_no_fitting_product_leaves_the_request_open_unrouted(world, login):
    request = world.post(amount_wan=Decimal("20"))  # below every product's minimum
    assert request.routes == [] and request.status == "open"
    page = login(world.enterprise_user).get(f"/finance/requests/{request.id}")
    assert "暂无匹配的银行产品" in page.text


def test_home_pages_link_finance(world, login, create_user):
    assert "发布融资需求" in login(world.enterprise_user).get("/").text
    assert "查看推送" in login(world.bank_users[0]).get("/").text
    assert "银行服务评价" in login(create_user(Role.OFFICIAL)).get("/").text


def test_route_counts(world):
    world.post()
    assert db.session.scalar(select(func.count()).select_from(FinancingRoute)) == 3
