"""Dashboard: a year of months on the axis, one chart (own scale) and one table per figure, budgets of published only."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from portal import dashboard
from portal.extensions import db
from portal.models import DailyVisits
from portal.policies.models import Policy, PolicyStatus
from portal.timeutil import today


@pytest.mark.parametrize(
    ("on", "first", "last"),
    [(date(2026, 12, 2), "2026-01", "2026-12"), (date(2026, 3, 31), "2025-04", "2026-03")],
)
def test_month_axis_is_twelve_consecutive_months(on, first, last):
    months = dashboard.month_axis(on)
    assert len(months) == 12 and months[0] == first and months[-1] == last
    assert len(set(months)) == 12 and months == sorted(months)


def test_one_month_of_data_is_not_a_lone_point():
    figures = [
        dashboard.Headline("平台访问量", 5, None, {"2026-12": 5}),
        dashboard.Headline("推送", 0, None, {}),
    ]
    trend = dashboard.trend(figures, date(2026, 12, 2))
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
    assert [p.code for p in dashboard.budgets()] == ["P1"]


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


def test_headlines_count_per_month_in_sql_in_china_time(app, create_enterprise):
    from datetime import UTC, datetime

    from portal.models import Notification

    policy = _policy("N1", PolicyStatus.PUBLISHED, "0.00")
    firm = create_enterprise()
    # 2026-05-31 17:00 UTC is already 1 June in Shanghai: the month is the users' month, not UTC's.
    for when in (datetime(2026, 5, 31, 17, 0, tzinfo=UTC), datetime(2026, 5, 3, tzinfo=UTC)):
        db.session.add(
            Notification(
                enterprise_id=firm.id, category="资金奖励", title="推送", policy_id=policy.id, created_at=when
            )
        )
    db.session.add(
        Notification(enterprise_id=firm.id, category="系统", title="非推送", created_at=datetime.now(UTC))
    )
    db.session.commit()
    pushes = dashboard.headlines()[1]
    assert pushes.count == 2 and pushes.by_month == {"2026-05": 1, "2026-06": 1}


def test_page_reads_a_fresh_snapshot_and_recomputes_a_stale_one(app):
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
    first = dashboard.figures(now, max_age=600)
    db.session.add(DailyVisits(day=today(), visits=7))
    db.session.commit()
    again = dashboard.figures(now + timedelta(seconds=300), max_age=600)
    assert (
        again.computed_at == first.computed_at and again.headlines[0].count == first.headlines[0].count == 0
    )
    later = dashboard.figures(now + timedelta(seconds=601), max_age=600)
    assert later.headlines[0].count == 7 and later.computed_at > first.computed_at
    assert [p.park.id for p in later.parks] == [p.park.id for p in dashboard.park_figures()]


def test_budgets_list_only_the_most_spent(app):
    for k in range(25):
        _policy(f"B{k:02d}", PolicyStatus.PUBLISHED, f"{k}.00")
    db.session.commit()
    shown = dashboard.budgets()
    assert len(shown) == 20 and shown[0].code == "B24" and shown[-1].code == "B05"


def test_parks_list_reuses_snapshot_counts_until_a_park_changes(app, create_enterprise, create_user):
    from datetime import UTC, datetime, timedelta

    from portal.models import VirtualPark

    create_enterprise(industry_code="C3841")
    park = VirtualPark(
        name="电池园", industry_prefixes=["C38"], qualifications=[], manager_id=create_user("official").id
    )
    db.session.add(park)
    db.session.commit()
    now = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
    dashboard.refresh(now)
    db.session.commit()
    create_enterprise(industry_code="C3842")
    db.session.commit()
    later = now + timedelta(seconds=60)
    assert dashboard.parks_with_member_counts(later, 600) == [(park, 1)]  # the snapshot's count
    park.industry_prefixes = ["C384"]  # an edited park is counted at once
    db.session.commit()
    assert dashboard.parks_with_member_counts(later, 600) == [(park, 2)]
    assert dashboard.parks_with_member_counts(now + timedelta(seconds=601), 600) == [(park, 2)]
