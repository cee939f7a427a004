"""Dashboard: a year of months on the axis, one chart (own scale) and one table per figure, budgets of published only."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.dashboard import figures, services
from portal.extensions import db
from portal.models import DailyVisits
from portal.policies.models import Policy, PolicyStatus
from portal.timeutil import today, utcnow


@pytest.mark.parametrize(
    ("on", "first", "last"),
    [(date(2026, 12, 2), "2026-01", "2026-12"), (date(2026, 3, 31), "2025-04", "2026-03")],
)
def test_month_axis_is_twelve_consecutive_months(on, first, last):
    months = figures.month_axis(on)
    assert len(months) == 12 and months[0] == first and months[-1] == last
    assert len(set(months)) == 12 and months == sorted(months)


def test_one_month_of_data_is_not_a_lone_point():
    headlines = [
        figures.Headline("平台访问量", 5, None, {"2026-12": 5}),
        figures.Headline("推送", 0, None, {}),
    ]
    trend = figures.trend(headlines, date(2026, 12, 2))
    assert len(trend["months"]) == 12
    assert trend["series"][0]["data"] == [0] * 11 + [5]
    assert trend["series"][1]["data"] == [0] * 12


def _policy(code: str, status: str, spent: str) -> Policy:
    policy = Policy(
        code=code,
        status=status,
        title=f"预算政策{code}",
        issuer="宝安区",
        category="资金奖励",
        conditions={"all": []},
        budget_wan=Decimal("100.00"),
        budget_spent_wan=Decimal(spent),
        revision_no=1,
    )
    db.session.add(policy)
    return policy


def test_budgets_leave_drafts_out(app):
    _policy("P1", PolicyStatus.PUBLISHED, "40.00")
    _policy("D1", PolicyStatus.DRAFT, "0.00")
    db.session.commit()
    assert [p.code for p in services.budgets()] == ["P1"]


def test_page_has_a_chart_and_a_table_per_figure_and_no_inline_script(client, auth, create_user):
    db.session.add(DailyVisits(day=today(), visits=7))
    _policy("P1", PolicyStatus.PUBLISHED, "40.00")
    _policy("D1", PolicyStatus.DRAFT, "0.00")
    db.session.commit()
    auth.login(create_user("official"))
    page = client.get("/dashboard").get_data(as_text=True)
    assert page.count('data-chart="trend-') == 4 and page.count('data-testid="trend-table"') == 4
    assert f'<th scope="row">{today():%Y-%m}</th><td class="text-end">' in page
    assert "预算政策P1" in page and "预算政策D1" not in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "dashboard.js" in page


# ---------------------------------------------------------------- funnels, burn-down, bank response times


def _revision(policy: Policy) -> int:
    from portal.policies.models import PolicyRevision

    if policy.revisions:
        return policy.revisions[0].id
    revision = PolicyRevision(policy=policy, number=1, content={})
    db.session.add(revision)
    db.session.flush()
    return revision.id


def _approved(policy: Policy, enterprise, amount: str, at) -> None:
    """An application approved at `at` with its decision record (records are insert-only: dated as they happen)."""
    from portal.approvals.models import Application, DecisionRecord, Status

    application = Application(
        enterprise_id=enterprise.id,
        policy_id=policy.id,
        revision_id=_revision(policy),
        status=Status.SUBMITTED,
        amount_wan=Decimal(amount),
        created_at=at,
        decided_at=at,
    )
    application.status = Status.APPROVED  # through the transition table, as the rules engine moves it
    db.session.add(application)
    db.session.flush()
    db.session.add(
        DecisionRecord(
            application_id=application.id,
            actor_name="规则引擎",
            from_status=Status.SUBMITTED,
            to_status=Status.APPROVED,
            amount_wan=Decimal(amount),
            created_at=at,
        )
    )


def _utc(day: date):
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(4), UTC)  # noon in Shanghai: the same local day


def test_funnels_count_pushes_reads_applications_and_approvals(app, create_enterprise):
    from portal.models import Notification

    busy, quiet = _policy("P1", PolicyStatus.PUBLISHED, "0.00"), _policy("P2", PolicyStatus.PUBLISHED, "0.00")
    _policy("D1", PolicyStatus.DRAFT, "0.00")
    db.session.flush()
    firms = [create_enterprise() for _ in range(3)]
    for i, firm in enumerate(firms):
        read = _utc(today()) if i < 2 else None
        db.session.add(Notification(enterprise_id=firm.id, category="资金奖励", title="推送", policy_id=busy.id,
                                    dedupe_key=f"policy:{busy.id}", read_at=read))  # fmt: skip
    db.session.add(Notification(enterprise_id=firms[0].id, category="资金奖励", title="推送", policy_id=quiet.id,
                                dedupe_key=f"policy:{quiet.id}"))  # fmt: skip
    _approved(busy, firms[0], "10.00", _utc(today()))
    db.session.commit()
    rows = services.funnels()
    assert [(f.policy.code, f.pushed, f.read, f.applied, f.approved) for f in rows] == [
        ("P1", 3, 2, 1, 1),
        ("P2", 1, 0, 0, 0),
    ]
    # the grouped counts equal the push's own per-policy funnel
    one = services.funnel_of(busy)
    assert (one.pushed, one.read, one.applied, one.approved) == (3, 2, 1, 1)
    # the page reads them from the snapshot: the same rows
    assert services._figures_of(services.refresh(utcnow())).funnels == rows


def test_burn_down_takes_each_month_off_the_budget(app, create_enterprise):
    policy = _policy("P1", PolicyStatus.PUBLISHED, "60.00")
    db.session.flush()
    on = date(2026, 12, 2)
    _approved(
        policy, create_enterprise(), "5.00", _utc(date(2025, 6, 1))
    )  # before the window: opening balance
    _approved(policy, create_enterprise(), "15.00", _utc(date(2026, 3, 10)))
    _approved(policy, create_enterprise(), "40.00", _utc(date(2026, 11, 30)))
    db.session.commit()
    burn = services.burn_down(policy, on)
    assert burn.months[0] == "2026-01" and burn.months[-1] == "2026-12"
    assert burn.left[0] == Decimal("95.00")  # 100 budget − 5 spent before January
    assert burn.spent[2] == Decimal("15.00") and burn.left[2] == Decimal("80.00")
    assert burn.spent[10] == Decimal("40.00") and burn.left[-1] == Decimal("40.00")


def test_bank_response_times_are_medians_to_the_first_offer(app, create_enterprise):
    from datetime import timedelta

    from portal.finance.models import FinancingOffer, FinancingRequest, FinancingRoute, LoanProduct
    from portal.models import Bank

    fast, slow, silent = Bank(name="快银行"), Bank(name="慢银行"), Bank(name="不答银行")
    db.session.add_all([fast, slow, silent])
    db.session.flush()
    firm = create_enterprise()
    start = _utc(date(2026, 11, 2))
    for bank, delays in ((fast, (2, 4, 30)), (slow, (48,)), (silent, (None,))):
        product = LoanProduct(bank_id=bank.id, name="信用贷", kind="credit", amount_min_wan=1, amount_max_wan=1000,
                              term_min_months=6, term_max_months=36, rate_min=3, rate_max=5)  # fmt: skip
        db.session.add(product)
        db.session.flush()
        for delay in delays:
            request = FinancingRequest(enterprise_id=firm.id, amount_wan=100, term_months=12, purpose="流动资金",
                                       collateral="无（信用）", max_rate=5, consent_until=date(2027, 1, 1))  # fmt: skip
            db.session.add(request)
            db.session.flush()
            route = FinancingRoute(request_id=request.id, bank_id=bank.id, product_id=product.id, score=1,
                                   routed_at=start, deadline_at=start + timedelta(days=3))  # fmt: skip
            db.session.add(route)
            db.session.flush()
            if delay is None:
                continue
            db.session.add(FinancingOffer(request_id=request.id, route_id=route.id, bank_id=bank.id, amount_wan=100,
                                          rate=4, term_months=12, valid_until=date(2027, 1, 1),
                                          created_at=start + timedelta(hours=delay)))  # fmt: skip
    db.session.commit()
    rows = {r.bank.name: (r.routed, r.offered, r.median_hours) for r in services.bank_response_times()}
    assert rows == {"快银行": (3, 3, 4.0), "慢银行": (1, 1, 48.0), "不答银行": (1, 0, None)}
    assert services._figures_of(services.refresh(utcnow())).banks == services.bank_response_times()


def test_page_shows_funnel_burn_down_and_banks_with_tables(client, auth, create_user, create_enterprise):
    policy = _policy("P1", PolicyStatus.PUBLISHED, "10.00")
    draft = _policy("D1", PolicyStatus.DRAFT, "0.00")
    db.session.flush()
    _approved(policy, create_enterprise(), "10.00", _utc(today()))
    db.session.commit()
    auth.login(create_user("official"))
    page = client.get("/dashboard").get_data(as_text=True)
    for name in ("funnel", "burn", "banks"):
        assert f'data-chart="{name}"' in page or name == "banks"  # no bank has offered yet: no bank chart
    for table in ("funnel-table", "burn-table", "funnels-table", "banks-table"):
        assert f'data-testid="{table}"' in page
    assert (
        f'<th scope="row">{today():%Y-%m}</th><td class="text-end">10.00</td><td class="text-end">90.00</td>'
        in page
    )
    assert client.get(f"/dashboard?policy={policy.id}").status_code == 200
    assert client.get(f"/dashboard?policy={draft.id}").status_code == 404
    assert client.get("/dashboard?policy=999999").status_code == 404


def test_visits_of_one_day_add_up_in_one_row(app):
    from sqlalchemy import select

    from portal import services as kernel

    day = date(2026, 10, 1)
    for _ in range(3):
        kernel.count_visit(day)
    kernel.count_visit(date(2026, 10, 2))
    rows = db.session.execute(select(DailyVisits.day, DailyVisits.visits).order_by(DailyVisits.day)).all()
    assert [tuple(r) for r in rows] == [(day, 3), (date(2026, 10, 2), 1)]


# ---------------------------------------------------------------- pre-aggregated figures (snapshots)


def test_headlines_count_per_month_in_sql_in_china_time(app, create_enterprise):
    from datetime import UTC, datetime

    from portal.models import Notification

    policy = _policy("N1", PolicyStatus.PUBLISHED, "0.00")
    firm = create_enterprise()
    # 2026-05-31 17:00 UTC is already 1 June in Shanghai: the month is the users' month, not UTC's.
    for when in (datetime(2026, 5, 31, 17, 0, tzinfo=UTC), datetime(2026, 5, 3, tzinfo=UTC)):
        db.session.add(
            Notification(
                enterprise_id=create_enterprise().id,
                category="资金奖励",
                title="推送",
                policy_id=policy.id,
                dedupe_key=f"policy:{policy.id}",
                created_at=when,
            )
        )
    db.session.add(
        Notification(enterprise_id=firm.id, category="系统", title="非推送", created_at=datetime.now(UTC))
    )
    # a deadline reminder is about the policy but is not a push of it
    db.session.add(
        Notification(
            enterprise_id=firm.id,
            category="资金奖励",
            title="申报即将截止",
            policy_id=policy.id,
            dedupe_key=f"deadline:{policy.id}",
            created_at=datetime(2026, 5, 20, tzinfo=UTC),
        )
    )
    db.session.commit()
    pushes = services.headlines()[1]
    assert pushes.count == 2 and pushes.by_month == {"2026-05": 1, "2026-06": 1}


def test_page_reads_a_fresh_snapshot_and_recomputes_a_stale_one(app):
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
    first = services.figures(now, max_age=600)
    db.session.add(DailyVisits(day=today(), visits=7))
    db.session.commit()
    again = services.figures(now + timedelta(seconds=300), max_age=600)
    assert (
        again.computed_at == first.computed_at and again.headlines[0].count == first.headlines[0].count == 0
    )
    later = services.figures(now + timedelta(seconds=601), max_age=600)
    assert later.headlines[0].count == 7 and later.computed_at > first.computed_at
    assert [p.park.id for p in later.parks] == [p.park.id for p in services.park_figures()]


def test_budgets_list_only_the_most_spent(app):
    for k in range(25):
        _policy(f"B{k:02d}", PolicyStatus.PUBLISHED, f"{k}.00")
    db.session.commit()
    shown = services.budgets()
    assert len(shown) == 20 and shown[0].code == "B24" and shown[-1].code == "B05"


def test_parks_list_reuses_snapshot_counts_until_a_park_changes(app, create_enterprise, create_user):
    from datetime import UTC, datetime, timedelta

    from portal import services as kernel
    from portal.models import VirtualPark

    create_enterprise(industry_code="C3841")
    park = VirtualPark(
        name="电池园", industry_prefixes=["C38"], qualifications=[], manager_id=create_user("official").id
    )
    db.session.add(park)
    db.session.commit()
    now = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
    services.refresh(now)
    db.session.commit()
    create_enterprise(industry_code="C3842")
    db.session.commit()
    later = now + timedelta(seconds=60)
    assert kernel.parks_with_member_counts(later, 600) == [(park, 1)]  # the snapshot's count
    park.industry_prefixes = ["C384"]  # an edited park is counted at once
    db.session.commit()
    assert kernel.parks_with_member_counts(later, 600) == [(park, 2)]
    assert kernel.parks_with_member_counts(now + timedelta(seconds=601), 600) == [(park, 2)]


def test_page_shows_the_snapshot_until_it_is_stale(client, auth, create_user, app):
    from datetime import timedelta

    from portal.models import DashboardSnapshot

    auth.login(create_user("official"))
    assert 'data-testid="computed-at"' in client.get("/dashboard").get_data(as_text=True)
    assert (
        db.session.scalar(select(func.count()).select_from(DashboardSnapshot)) == 1
    )  # kept for the next views
    _policy("F1", PolicyStatus.PUBLISHED, "0.00")
    db.session.commit()
    assert "预算政策F1" not in _funnel_table(
        client.get("/dashboard").get_data(as_text=True)
    )  # the snapshot's
    snapshot = db.session.scalar(select(DashboardSnapshot))
    snapshot.computed_at = snapshot.computed_at - timedelta(seconds=app.config["DASHBOARD_MAX_AGE"] + 1)
    db.session.commit()
    assert "预算政策F1" in _funnel_table(client.get("/dashboard").get_data(as_text=True))  # recomputed


def _funnel_table(page: str) -> str:
    return page.split('data-testid="funnels-table"', 1)[1].split("</table>", 1)[0]


def test_with_a_worker_a_stale_snapshot_is_shown_with_its_time_not_recomputed(client, auth, create_user, app):
    """With jobs on RQ the scheduled job refreshes the figures; a viewer never pays the district scan."""
    from datetime import timedelta

    from portal import services as kernel
    from portal.models import DashboardSnapshot

    auth.login(create_user("official"))
    client.get("/dashboard")
    _policy("F2", PolicyStatus.PUBLISHED, "0.00")
    snapshot = db.session.scalar(select(DashboardSnapshot))
    snapshot.computed_at = snapshot.computed_at - timedelta(seconds=app.config["DASHBOARD_MAX_AGE"] + 1)
    db.session.commit()
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/13"  # configured; the page itself never talks to Redis
    page = client.get("/dashboard").get_data(as_text=True)
    assert "预算政策F2" not in _funnel_table(page)  # the stored figures, not a fresh scan
    assert 'data-testid="computed-at"' in page
    assert db.session.scalar(select(func.count()).select_from(DashboardSnapshot)) == 1
    assert kernel.snapshot_max_age(app.config) == kernel.STALE_WITH_WORKER
    app.config["REDIS_URL"] = None
    assert "预算政策F2" in _funnel_table(
        client.get("/dashboard").get_data(as_text=True)
    )  # no worker: recomputed
