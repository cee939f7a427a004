"""The demo data set end to end: every demo account logs in and its pages render with real content."""

import re

import pytest

from portal.demo import DEMO_ACCOUNTS

PAGES = {
    "enterprise": [
        "/",
        "/profile",
        "/policies/",
        "/policies/recommend",
        "/policies/inbox",
        "/policies/settings",
        "/approvals/",
        "/finance/requests",
        "/finance/requests/new",
        "/parks",
    ],
    "official": [
        "/",
        "/policies/",
        "/policies/new",
        "/approvals/queue",
        "/approvals/audits",
        "/approvals/grants",
        "/finance/scorecards",
        "/dashboard",
        "/parks",
        "/parks/1",
    ],
    "bank": ["/", "/finance/bank/feed", "/finance/bank/products", "/finance/bank/tokens", "/parks"],
    "admin": ["/", "/admin/users", "/admin/import", "/admin/parks/new", "/dashboard", "/parks/1"],
}


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return {role: (username, password) for username, password, role, _ in DEMO_ACCOUNTS}


@pytest.mark.parametrize("role", list(PAGES))
def test_each_demo_account_sees_its_pages(app, demo, role):
    client = app.test_client()
    username, password = demo[role]
    assert client.post("/login", data={"username": username, "password": password}).status_code == 302
    for path in PAGES[role]:
        response = client.get(path)
        assert response.status_code == 200, (role, path)


def test_demo_enterprise_applies_with_one_click(app, demo):
    client = app.test_client()
    username, password = demo["enterprise"]
    client.post("/login", data={"username": username, "password": password})
    page = client.get("/policies/recommend").get_data(as_text=True)
    assert "✓" in page
    targets = re.findall(r'action="(/approvals/apply/\d+)"', page)
    assert targets, "the demo enterprise qualifies for at least one 秒批 policy"
    response = client.post(targets[0], follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any(word in body for word in ("已通过", "未通过", "待人工审核"))


def test_demo_enterprise_profile_is_partly_self_declared(app, demo):
    """Issue 9: every field was verified, so a new user never saw an editable profile."""
    client = app.test_client()
    username, password = demo["enterprise"]
    client.post("/login", data={"username": username, "password": password})
    page = client.get("/profile").get_data(as_text=True)
    assert "自主申报" in page and "已核验" in page
    street = re.search(r'<select[^>]*name="street"[^>]*>', page).group(0)
    assert "disabled" not in street  # editable
    industry = re.search(r'<input[^>]*name="industry_code"[^>]*>', page).group(0)
    assert "disabled" in industry  # still verified


def test_demo_data_spans_a_year_for_the_dashboard(app, demo):
    """Issue 14: with every record dated on the seeding day the dashboard's twelve months were one point."""
    from portal.dashboard import figures
    from portal.dashboard import services as dashboard
    from portal.timeutil import today

    trend = figures.trend(dashboard.headlines(), today())
    for series in trend["series"]:
        busy = sum(1 for n in series["data"][-12:] if n)
        assert busy >= 6, (series["label"], series["data"])
    banks = dashboard.bank_response_times()
    assert all(b.median_hours is not None for b in banks)
    assert banks[0].median_hours < banks[1].median_hours < banks[2].median_hours  # fast, usual, slow bank
    focus = dashboard.focus_policy(None)
    burn = dashboard.burn_down(focus, today())
    assert sum(1 for s in burn.spent if s) >= 3 and burn.left[-1] < focus.budget_wan
    rows = dashboard.funnels()
    assert rows[0].pushed > rows[0].read > 0 and any(f.approved for f in rows)


def test_past_loans_messages_are_dated_when_they_happened(app, demo):
    """The demo firm's year of past loans wrote its inbox messages dated on the seeding day, so they buried the
    current messages (the rejected application's) beyond the inbox's first page."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.finance.models import FinancingRequest
    from portal.inbox import inbox
    from portal.models import Notification
    from portal.timeutil import local, today

    past = db.session.scalars(select(FinancingRequest).where(FinancingRequest.status == "disbursed")).all()
    assert past
    links = [f"/finance/requests/{r.id}" for r in past]
    notes = db.session.scalars(select(Notification).where(Notification.link.in_(links))).all()
    assert notes and all(local(n.created_at).date() < today() for n in notes)
    first_page, _ = inbox(past[0].enterprise_id)
    assert any("未通过" in n.title for n in first_page)
