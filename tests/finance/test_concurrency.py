"""Exactly one accepted offer under races, on PostgreSQL (SQLite serialises writers, so it proves nothing).

Each thread has its own app context, hence its own session and connection; a barrier starts them together.
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.finance import services
from portal.finance.models import FinancingOffer, FinancingRequest
from portal.models import Role, User
from portal.services import ServiceError
from portal.timeutil import today
from tests.finance.conftest import World, make_product

pytestmark = pytest.mark.skipif(
    not os.environ.get("PORTAL_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="row locks and conditional UPDATEs are only meaningful on PostgreSQL",
)
ROUNDS = 20
BANKS = 6


@pytest.fixture
def race_world(make_app, create_user, create_enterprise):
    """An app that routes to BANKS banks at once, with a product per bank."""
    app = make_app(ROUTE_MAX_BANKS=BANKS)
    with app.app_context():
        users = [create_user(Role.BANK) for _ in range(BANKS)]
        for user in users:
            make_product(user)
        enterprise = create_enterprise()
        world = World(
            users, [], create_user(Role.ENTERPRISE, enterprise_id=enterprise.id), create_user(Role.ENTERPRISE)
        )
        yield app, world


def _request_with_offers(world: World) -> tuple[int, list[int]]:
    request = world.post()
    offers = [
        services.make_offer(
            route,
            actor=world.bank_user(route.bank_id),
            amount_wan=Decimal(400),
            rate=Decimal("3.8"),
            term_months=24,
            conditions_text="",
            valid_until=today() + timedelta(days=10),
        ).id
        for route in request.routes
    ]
    db.session.commit()
    assert len(offers) == BANKS
    return request.id, offers


def _race(app, jobs) -> list[str]:
    """Run each job (a function of nothing) in its own thread and session; → 'ok' | 'refused' per job."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

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
            except Exception as exc:  # a deadlock or a constraint error would land here and fail the test
                db.session.rollback()
                outcomes[i] = f"error: {exc!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _accept(offer_id: int, user_id: int):
    return lambda: services.accept_offer(
        db.session.get(FinancingOffer, offer_id), actor=db.session.get(User, user_id)
    )


def _withdraw(offer_id: int, user_id: int):
    return lambda: services.withdraw_offer(
        db.session.get(FinancingOffer, offer_id), actor=db.session.get(User, user_id)
    )


def _state(request_id: int):
    db.session.expire_all()
    request = db.session.get(FinancingRequest, request_id)
    statuses = {o.id: o.status for o in request.offers}
    return request, statuses


def test_simultaneous_accepts_of_different_offers_accept_exactly_one(race_world):
    app, world = race_world
    for _ in range(ROUNDS):
        request_id, offers = _request_with_offers(world)
        outcomes = _race(app, [_accept(o, world.enterprise_user.id) for o in offers])
        assert sorted(outcomes) == ["ok"] + ["refused"] * (BANKS - 1), outcomes
        request, statuses = _state(request_id)
        winner = offers[outcomes.index("ok")]
        assert request.status == "accepted" and request.accepted_offer_id == winner
        assert statuses[winner] == "accepted"
        assert sorted(statuses.values()) == ["accepted"] + ["closed"] * (BANKS - 1)


def test_accept_racing_the_banks_withdrawal_ends_consistently(race_world):
    app, world = race_world
    for _ in range(ROUNDS):
        request_id, offers = _request_with_offers(world)
        target = offers[0]
        bank_user = world.bank_user(db.session.get(FinancingOffer, target).bank_id)
        outcomes = _race(app, [_accept(target, world.enterprise_user.id), _withdraw(target, bank_user.id)])
        assert sorted(outcomes) == ["ok", "refused"], outcomes
        request, statuses = _state(request_id)
        if outcomes[0] == "ok":  # the accept won: the offer stays accepted, the withdrawal was refused
            assert request.status == "accepted" and request.accepted_offer_id == target
            assert statuses[target] == "accepted"
        else:  # the withdrawal won: the request is open again with no accepted offer
            assert request.status == "open" and request.accepted_offer_id is None
            assert statuses[target] == "withdrawn" and "accepted" not in statuses.values()


def test_many_accepts_and_withdrawals_at_once_never_accept_two(race_world):
    app, world = race_world
    for _ in range(ROUNDS):
        request_id, offers = _request_with_offers(world)
        jobs = [_accept(o, world.enterprise_user.id) for o in offers[:3]]
        jobs += [
            _withdraw(o, world.bank_user(db.session.get(FinancingOffer, o).bank_id).id) for o in offers[:3]
        ]
        outcomes = _race(app, jobs)
        assert all(o in ("ok", "refused") for o in outcomes), outcomes
        request, statuses = _state(request_id)
        accepted = [oid for oid, status in statuses.items() if status == "accepted"]
        assert len(accepted) == (1 if request.status == "accepted" else 0)
        assert outcomes[:3].count("ok") == len(accepted)
        if accepted:
            assert request.accepted_offer_id == accepted[0]
            assert all(
                status in ("closed", "withdrawn") for oid, status in statuses.items() if oid != accepted[0]
            )
        # a withdrawal succeeded exactly for the offers now withdrawn
        withdrawn = {oid for oid, status in statuses.items() if status == "withdrawn"}
        assert {offers[i] for i in range(3) if outcomes[3 + i] == "ok"} == withdrawn
    assert db.session.scalar(select(func.count()).select_from(FinancingRequest)) == ROUNDS
