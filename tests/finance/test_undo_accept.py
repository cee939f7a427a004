"""Undoing an acceptance before the payout: the request reopens, the bank is told, the log keeps it."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.finance import services
from portal.finance.models import (
    BankNotice,
    Disbursement,
    FinanceEvent,
    FinancingOffer,
    FinancingRequest,
)
from portal.models import Role, User
from portal.services import ServiceError
from portal.timeutil import today, utcnow
from tests.finance.conftest import World, make_product


def _offers(world, request, days: tuple[int, ...] = (10, 10, 10)) -> list[FinancingOffer]:
    """An offer from each of the request's routed banks, valid for the given days."""
    made = [
        services.make_offer(
            route,
            actor=world.bank_user(route.bank_id),
            amount_wan=Decimal(400),
            rate=Decimal("3.8"),
            term_months=24,
            conditions_text="",
            valid_until=today() + timedelta(days=valid),
        )
        for route, valid in zip(request.routes, days, strict=True)
    ]
    db.session.commit()
    return made


def _accepted(world, days=(10, 10, 10)):
    request = world.post()
    offers = _offers(world, request, days)
    services.accept_offer(offers[0], actor=world.enterprise_user)
    db.session.commit()
    return request, offers


def _statuses(request_id: int):
    db.session.expire_all()
    request = db.session.get(FinancingRequest, request_id)
    offers = {o.bank_id: o.status for o in request.offers}
    routes = {r.bank_id: r.status for r in request.routes}
    return request, offers, routes


def _notices(bank_id: int) -> list[str]:
    return list(db.session.scalars(select(BankNotice.title).where(BankNotice.bank_id == bank_id)))


def test_undo_reopens_the_request_and_its_live_offers(world):
    request, offers = _accepted(world)
    accepted_bank, others = offers[0].bank_id, [o.bank_id for o in offers[1:]]
    assert _statuses(request.id)[1] == {accepted_bank: "accepted"} | dict.fromkeys(others, "closed")

    services.undo_acceptance(request, actor=world.enterprise_user)
    db.session.commit()

    request, offer_status, route_status = _statuses(request.id)
    assert request.status == "open" and request.accepted_offer_id is None
    assert set(offer_status.values()) == {"open"}
    assert set(route_status.values()) == {"offered"}
    assert db.session.get(FinancingOffer, offers[0].id).decided_at is None
    assert any("撤销接受本行" in t for t in _notices(accepted_bank))
    assert all(any("重新开放" in t for t in _notices(b)) for b in others)
    event = db.session.scalar(select(FinanceEvent).where(FinanceEvent.action == "acceptance_undone"))
    assert event.user_id == world.enterprise_user.id and event.bank_id == accepted_bank
    assert event.detail["offer_id"] == offers[0].id and sorted(event.detail["reopened_offer_ids"]) == sorted(
        o.id for o in offers[1:]
    )
    # The once-accepted bank may now be revoked, and the enterprise may choose another offer.
    services.revoke_consent(request, actor=world.enterprise_user, bank_id=accepted_bank)
    services.accept_offer(db.session.get(FinancingOffer, offers[1].id), actor=world.enterprise_user)
    db.session.commit()
    request, offer_status, route_status = _statuses(request.id)
    assert request.accepted_offer_id == offers[1].id and route_status[accepted_bank] == "revoked"


def test_expired_offers_and_revoked_banks_stay_closed(world):
    request, offers = _accepted(world, days=(10, 10, 1))
    expired_bank, revoked_bank = offers[2].bank_id, offers[1].bank_id
    services.revoke_consent(request, actor=world.enterprise_user, bank_id=revoked_bank)
    db.session.commit()
    later = utcnow() + timedelta(days=2)  # offers[2] was valid for one day only
    services.undo_acceptance(request, actor=world.enterprise_user, now=later)
    db.session.commit()
    request, offer_status, route_status = _statuses(request.id)
    assert request.status == "open"
    assert offer_status[offers[0].bank_id] == "open"
    assert offer_status[expired_bank] == "closed" and offer_status[revoked_bank] == "closed"
    # The freed slots went to the next fitting bank (bank 3), which had not been routed before.
    assert route_status.get(world.bank_ids[3]) == "pending"


@pytest.mark.parametrize("stage", ["open", "disbursed", "undone"])
def test_undo_is_refused_without_a_live_acceptance(world, stage):
    request = world.post()
    if stage != "open":
        offers = _offers(world, request)
        services.accept_offer(offers[0], actor=world.enterprise_user)
        if stage == "disbursed":
            services.record_disbursement(
                request.routes[0],
                actor=world.bank_user(offers[0].bank_id),
                amount_wan=Decimal(400),
                disbursed_on=today(),
            )
        else:
            services.undo_acceptance(request, actor=world.enterprise_user)
        db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(FinanceEvent))
    with pytest.raises(ServiceError, match="没有可撤销的接受"):
        services.undo_acceptance(request, actor=world.enterprise_user)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(FinanceEvent)) == before


def test_undo_through_the_page_with_its_confirm_dialog(world, login):
    request, offers = _accepted(world)
    client = login(world.enterprise_user)
    page = client.get(f"/finance/requests/{request.id}").text
    assert (
        f"/finance/requests/{request.id}/undo-accept" in page
        and "无需放款" in page
        and "确定撤销接受" in page
    )
    answer = client.post(f"/finance/requests/{request.id}/undo-accept", follow_redirects=True)
    assert answer.status_code == 200 and "已撤销接受" in answer.text
    assert _statuses(request.id)[0].status == "open"
    # The revocation message now points at the way out it names.
    services.accept_offer(db.session.get(FinancingOffer, offers[0].id), actor=world.enterprise_user)
    db.session.commit()
    refused = client.post(
        f"/finance/requests/{request.id}/revoke", data={"bank_id": offers[0].bank_id}, follow_redirects=True
    )
    assert "或先撤销接受" in refused.text


def test_only_the_enterprise_itself_may_undo(world, login):
    request, offers = _accepted(world)
    path = f"/finance/requests/{request.id}/undo-accept"
    assert login(world.other_enterprise_user).post(path).status_code == 404
    assert login(world.bank_user(offers[0].bank_id)).post(path).status_code == 403
    with pytest.raises(ServiceError):
        services.undo_acceptance(request, actor=world.other_enterprise_user)
    db.session.rollback()
    assert _statuses(request.id)[0].status == "accepted"


def test_undo_needs_the_csrf_token(make_app, create_user, create_enterprise):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        banks = [create_user(Role.BANK) for _ in range(3)]
        for user in banks:
            make_product(user)
        enterprise = create_enterprise()
        world = World(banks, [], create_user(Role.ENTERPRISE, enterprise_id=enterprise.id), create_user())
        request, _ = _accepted(world)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = world.enterprise_user.get_id()
            session["_fresh"] = True
        path = f"/finance/requests/{request.id}/undo-accept"
        assert client.post(path).status_code == 400
        assert _statuses(request.id)[0].status == "accepted"
        page = client.get(f"/finance/requests/{request.id}").get_data(as_text=True)
        form = page.split(f'action="{path}"')[1]
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        assert client.post(path, data={"csrf_token": token}).status_code == 302
        assert _statuses(request.id)[0].status == "open"


@pytest.mark.skipif(
    not os.environ.get("PORTAL_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="row locks and conditional UPDATEs are only meaningful on PostgreSQL",
)
def test_undo_racing_the_banks_disbursement_exactly_one_wins(world, app):
    rounds = 15
    wins = {"undo": 0, "disbursement": 0}
    for _ in range(rounds):
        request, offers = _accepted(world)
        bank_user_id = world.bank_user(offers[0].bank_id).id
        request_id = request.id
        outcomes = _race(
            app,
            [
                _undo(request_id, world.enterprise_user.id),
                _disburse(request_id, offers[0].bank_id, bank_user_id),
            ],
        )
        assert sorted(outcomes) == ["ok", "refused"], outcomes
        request, offer_status, _ = _statuses(request_id)
        paid = db.session.scalar(
            select(func.count()).select_from(Disbursement).where(Disbursement.request_id == request_id)
        )
        if outcomes[0] == "ok":
            wins["undo"] += 1
            assert request.status == "open" and paid == 0 and offer_status[offers[0].bank_id] == "open"
        else:
            wins["disbursement"] += 1
            assert (
                request.status == "disbursed" and paid == 1 and offer_status[offers[0].bank_id] == "accepted"
            )
    assert sum(wins.values()) == rounds


def _undo(request_id: int, user_id: int):
    return lambda: services.undo_acceptance(
        db.session.get(FinancingRequest, request_id), actor=db.session.get(User, user_id)
    )


def _disburse(request_id: int, bank_id: int, user_id: int):
    def job():
        route = services.bank_route(request_id, bank_id)
        services.record_disbursement(
            route, actor=db.session.get(User, user_id), amount_wan=Decimal(400), disbursed_on=today()
        )

    return job


def _race(app, jobs) -> list[str]:
    """Run each job in its own thread, session and connection, started together; → 'ok' | 'refused'."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [""] * len(jobs)

    def run(i, job):
        with app.app_context():
            try:
                barrier.wait()
                job()
                db.session.commit()
                outcomes[i] = "ok"
            except ServiceError:
                db.session.rollback()
                outcomes[i] = "refused"
            except Exception as exc:  # a deadlock or a constraint error lands here and fails the test
                db.session.rollback()
                outcomes[i] = f"error: {exc!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
