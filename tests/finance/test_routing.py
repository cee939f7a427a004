"""Routing with a controllable clock: at most ROUTE_MAX_BANKS at a time, working-day deadlines, expiry and
re-routing (service and `flask finance expire-routes`, safe to re-run)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.finance import services
from portal.finance.models import BankNotice, FinancingRoute
from portal.timeutil import local
from tests.finance.conftest import MONDAY, make_product

# MONDAY is 2026-11-30 10:00 CST; three working days later the deadline is Friday 2026-12-04 00:00 CST.
DUE = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)


def _statuses(request) -> dict[int, str]:
    db.session.expire_all()
    return {r.bank_id: r.status for r in request.routes}


def test_routes_to_the_best_three_with_deadlines(world):
    request = world.post(now=MONDAY)
    routes = sorted(request.routes, key=lambda r: r.score, reverse=True)
    assert [r.bank_id for r in routes] == world.bank_ids[:3]  # lowest rates first
    assert {local(r.deadline_at) for r in routes} == {DUE}
    assert routes[0].explanation[0]["text"] == "产品：信用贷0（信用贷）"


def test_route_max_banks_is_configurable(make_app, create_user, create_enterprise):
    from portal.models import Role
    from tests.finance.conftest import World

    app = make_app(ROUTE_MAX_BANKS=1, ROUTE_DEADLINE_WORKING_DAYS=1)
    with app.app_context():
        users = [create_user(Role.BANK) for _ in range(2)]
        for u in users:
            make_product(u)
        enterprise = create_enterprise()
        world = World(
            users, [], create_user(Role.ENTERPRISE, enterprise_id=enterprise.id), create_user(Role.ENTERPRISE)
        )
        request = world.post(now=MONDAY)
        assert len(request.routes) == 1
        assert local(request.routes[0].deadline_at) == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def test_deadline_passes_bank_loses_request_next_bank_gets_it(world, login):
    request = world.post(now=MONDAY)
    first = world.bank_user(world.bank_ids[0])
    services.make_offer(
        request.routes[1],
        actor=world.bank_user(world.bank_ids[1]),
        amount_wan=Decimal(300),
        rate=Decimal(4),
        term_months=24,
        conditions_text="",
        valid_until=MONDAY.date() + timedelta(days=10),
        now=MONDAY + timedelta(hours=3),
    )
    db.session.commit()
    route = services.bank_route(request.id, first.bank_id)
    # one second before the deadline the bank still has it; at the deadline it has lost it, before any job runs
    assert route.can_view(first, DUE - timedelta(seconds=1))
    assert "答复期限已过" in route.access_problem(first, DUE)
    assert services.bank_feed(first.bank_id, now=DUE) == []
    # nothing is due before the deadline
    assert services.expire_routes(now=DUE - timedelta(seconds=1)) == (0, 0)
    assert services.expire_routes(now=DUE) == (2, 1)  # banks 0 and 2 let it pass; bank 3 is next
    db.session.commit()
    assert _statuses(request) == {
        world.bank_ids[0]: "expired",
        world.bank_ids[1]: "offered",  # an answered bank keeps its offer
        world.bank_ids[2]: "expired",
        world.bank_ids[3]: "pending",
    }
    new = services.bank_route(request.id, world.bank_ids[3])
    assert local(new.routed_at) == DUE
    # re-running finds nothing more
    assert services.expire_routes(now=DUE) == (0, 0)
    told = db.session.scalars(select(BankNotice.title).where(BankNotice.bank_id == first.bank_id)).all()
    assert any("逾期未答复" in t for t in told)
    # an expired bank cannot answer any more
    response = login(first).post(
        f"/finance/bank/requests/{request.id}/offer",
        data={"amount_wan": "100", "rate": "3", "term_months": "12", "valid_until": "2026-12-20"},
    )
    assert response.status_code == 403


def test_expire_routes_cli_is_safe_to_rerun(world, runner):
    request = world.post(now=MONDAY)
    late = (DUE + timedelta(minutes=1)).astimezone(local(DUE).tzinfo).strftime("%Y-%m-%dT%H:%M")
    first = runner.invoke(args=["finance", "expire-routes", "--now", late])
    assert first.exit_code == 0, first.output
    assert "逾期收回 3 条推送，重新推送 1 条" in first.output
    second = runner.invoke(args=["finance", "expire-routes", "--now", late])
    assert "逾期收回 0 条推送，重新推送 0 条" in second.output
    assert len(_statuses(request)) == 4
    bad = runner.invoke(args=["finance", "expire-routes", "--now", "next tuesday"])
    assert bad.exit_code != 0 and "ISO 8601" in bad.output


def test_expired_routes_go_on_until_banks_run_out(world):
    request = world.post(now=MONDAY)
    services.expire_routes(now=DUE)
    later = local(services.bank_route(request.id, world.bank_ids[3]).deadline_at)
    assert services.expire_routes(now=later) == (1, 0)
    db.session.commit()
    assert set(_statuses(request).values()) == {"expired"}
    assert request.status == "open"


def test_declined_routes_are_refilled_and_consent_limits_refill(world):
    request = world.post(now=MONDAY, consent_bank_ids=world.bank_ids[:3])
    services.decline(
        services.bank_route(request.id, world.bank_ids[0]),
        actor=world.bank_user(world.bank_ids[0]),
        reason="额度已用完",
        now=MONDAY + timedelta(hours=1),
    )
    db.session.commit()
    # bank 3 fits but is outside the consent: the slot stays empty
    assert world.bank_ids[3] not in _statuses(request)


def test_deactivated_products_are_not_routed(world):
    for product in world.products[:2]:
        product.active = False
    db.session.commit()
    request = world.post(now=MONDAY)
    assert sorted(r.bank_id for r in request.routes) == world.bank_ids[2:]


def test_no_route_twice_to_one_bank(world):
    request = world.post(now=MONDAY)
    services.route_request(request, now=MONDAY)
    db.session.commit()
    assert (
        len(db.session.scalars(select(FinancingRoute).where(FinancingRoute.request_id == request.id)).all())
        == 3
    )
