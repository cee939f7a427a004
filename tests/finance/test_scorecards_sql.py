"""Bank scorecards aggregated by the database equal the per-route figures computed in Python (demo data)."""

from __future__ import annotations

import statistics

from sqlalchemy import select

from portal.extensions import db
from portal.finance import services
from portal.finance.models import FinancingRoute, RouteStatus


def test_route_figures_in_sql_equal_the_per_route_python(app, runner):
    # At 200,000 routes the page loaded every route into Python (3.3 s); PostgreSQL now aggregates them.
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    rows = db.session.execute(
        select(
            FinancingRoute.bank_id,
            FinancingRoute.status,
            FinancingRoute.routed_at,
            FinancingRoute.responded_at,
        )
    ).all()
    assert any(r.responded_at for r in rows)
    expected = {}
    for bank_id in {r.bank_id for r in rows}:
        mine = [r for r in rows if r.bank_id == bank_id]
        hours = [(r.responded_at - r.routed_at).total_seconds() / 3600 for r in mine if r.responded_at]
        expired = sum(1 for r in mine if r.status == RouteStatus.EXPIRED)
        expected[bank_id] = (
            len(mine),
            len(hours),
            expired,
            round(statistics.median(hours), 1) if hours else None,
        )
    got = {
        bank_id: (n, answered, expired, None if median is None else round(float(median), 1))
        for bank_id, (n, answered, expired, median) in services._route_stats().items()
    }
    assert got == expected
    cards = {c.bank.id: c for c in services.scorecards()}
    for bank_id, (n, answered, _expired, median) in expected.items():
        assert (cards[bank_id].received, cards[bank_id].answered, cards[bank_id].median_hours) == (
            n,
            answered,
            median,
        )


def test_bank_feed_pages_by_keyset_to_the_same_routes(app, runner, client, auth):
    # At 66,000 routes per bank the feed loaded every route (10 s); pages of FEED_PAGE, newest first, now.
    from portal.models import Bank

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    feeds = {b: [r.id for r in services.bank_feed(b)] for b in db.session.scalars(select(Bank.id))}
    assert sum(len(f) for f in feeds.values()) >= 2
    for bank_id, full in feeds.items():
        paged, before = [], None
        while True:
            page = services.bank_feed(bank_id, limit=1, before=before)
            if not page:
                break
            paged += [r.id for r in page]
            before = page[-1].id
        assert paged == full
        assert [r.id for r in services.bank_feed(bank_id, limit=1)] == full[:1]
