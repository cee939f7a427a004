"""Dashboard: a year of months on the axis, one chart (own scale) and one table per figure, budgets of published only."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from portal.dashboard import figures, services
from portal.extensions import db
from portal.models import DailyVisits
from portal.policies.models import Policy, PolicyStatus
from portal.timeutil import today


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


def test_visits_of_one_day_add_up_in_one_row(app):
    from sqlalchemy import select

    from portal import services as kernel

    day = date(2026, 10, 1)
    for _ in range(3):
        kernel.count_visit(day)
    kernel.count_visit(date(2026, 10, 2))
    rows = db.session.execute(select(DailyVisits.day, DailyVisits.visits).order_by(DailyVisits.day)).all()
    assert [tuple(r) for r in rows] == [(day, 3), (date(2026, 10, 2), 1)]
