"""One test per role journey, clicking and typing in Chromium, asserting what the user sees; axe-core on the way."""

from __future__ import annotations

import re

from portal.demo import DEMO_ACCOUNTS

PASSWORDS = {username: password for username, password, _, _ in DEMO_ACCOUNTS}


def _login(page, username: str) -> None:
    page.helpers.login(page, username, PASSWORDS[username])
    assert "/login" not in page.url, "the demo login failed"


def _accessible(page) -> None:
    violations = page.helpers.axe_violations(page)
    assert violations == [], f"{page.url}: " + "; ".join(violations)


def test_enterprise_home_answers_what_can_i_get_and_qa_alerts_exports(page):
    _login(page, "enterprise")
    page.goto("/")
    assert page.get_by_role("heading", name="我能享受哪些政策").is_visible()
    total = page.get_by_test_id("home-total").inner_text()
    assert re.fullmatch(r"[\d,]+\.\d\d 万元", total), total
    _accessible(page)
    # 政策问答 in the user's own words, answered with a passage, the firm's eligibility and a link.
    page.get_by_role("link", name="政策问答").first.click()
    page.fill("#q", "研发费用能补多少？")
    page.get_by_role("button", name="提问").click()
    first = page.get_by_test_id("qa-answer").first
    assert "支持标准" in first.inner_text() and "研发" in first.inner_text()
    assert re.search(r"贵企业(符合条件|暂不符合|缺少数据)|缺少数据", first.inner_text())
    _accessible(page)
    # Save a subscription: the page says what it will send.
    page.goto("/alerts/")
    page.get_by_label("关键词").fill("研发")
    page.get_by_role("button", name="保存订阅").click()
    assert "每天汇总一次" in page.locator(".alert-success").inner_text()
    _accessible(page)
    # The printable recap and the export of the firm's applications.
    page.goto("/exports/recap")
    assert page.get_by_role("heading", name=re.compile("政策匹配一页纸")).is_visible()
    page.goto("/approvals/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.js_errors == []


def test_enterprise_instant_application(page):
    _login(page, "enterprise")
    page.goto("/")
    buttons = page.get_by_role("button", name="一键申领（秒批）")
    if buttons.count():
        buttons.first.click()
        page.wait_for_load_state()
        assert page.get_by_text(re.compile("已通过|待人工审核|已提交")).first.is_visible()
    else:
        assert page.get_by_text("暂无您符合条件的秒批事项").is_visible()
    assert page.js_errors == []


def test_official_queue_export_and_dashboard(page):
    _login(page, "official")
    page.goto("/approvals/queue")
    assert page.get_by_role("heading", name="审批队列").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    _accessible(page)
    page.goto("/dashboard")
    assert page.locator("canvas[data-chart^=trend-]").count() == 4
    page.wait_for_function("() => typeof Chart !== 'undefined' && Object.keys(Chart.instances).length >= 4")
    page.get_by_text("查看数据表").first.click()
    assert page.get_by_test_id("trend-table").first.locator("tbody tr").count() >= 12
    _accessible(page)
    assert page.js_errors == []


def test_bank_feed(page):
    _login(page, "bank")
    page.goto("/finance/bank/feed")
    assert page.locator("h1").first.is_visible()
    _accessible(page)
    assert page.js_errors == []


def test_admin_users_and_import(page):
    _login(page, "admin")
    page.goto("/admin/users")
    assert page.get_by_text("official").first.is_visible()
    _accessible(page)
    page.goto("/admin/import")
    assert page.locator("input[type=file]").count() == 1
    _accessible(page)
    assert page.js_errors == []


def test_large_text_mode_enlarges_and_is_remembered(page):
    page.goto("/login")
    before = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    toggle = page.get_by_role("button", name="大字模式")
    toggle.click()
    after = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after == before * 1.25 and toggle.get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.evaluate("() => document.documentElement.classList.contains('large-text')")
    _accessible(page)
    assert page.js_errors == []
