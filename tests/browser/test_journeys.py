"""One test per role journey, clicking and typing in Chromium, asserting what the user sees; axe-core on the way.

The journeys share one demo server (tests/browser/conftest.py), so each one starts from what the demo data gives
and creates what it needs itself (the bank journey posts its own financing requests as the demo enterprise).
"""

from __future__ import annotations

import json
import re

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - conftest skips every test then
    expect = None

from portal import demo_data
from tests.browser.conftest import assert_accessible as _accessible
from tests.browser.conftest import demo_login as _login


def _flash(page, text) -> None:
    """The success banner says what was done."""
    expect(page.locator(".alert-success").first).to_contain_text(text)


def _confirming(page):
    """Accept the confirm() dialogs some forms ask before an irreversible step (accept, disburse)."""
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _post_request(page, amount: str, purpose: str) -> str:
    """As the enterprise: post a financing request consenting to every routed bank; returns its page URL."""
    page.goto("/finance/requests/new")
    page.get_by_label("融资金额（万元）").fill(amount)
    page.get_by_label("融资期限（月）").fill("12")
    page.get_by_label("可接受最高年利率（%）").fill("5.00")
    page.get_by_label("资金用途（4–500 字）").fill(purpose)
    page.get_by_label("撮合推送到的所有银行").check()
    for group in ("基本信息", "经营财务", "资质信用"):
        page.get_by_label(group, exact=True).check()
    page.get_by_role("button", name="发布并匹配银行").click()
    _flash(page, "融资需求已发布")
    return page.url


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


def test_enterprise_journey(page, tmp_path):
    """Profile, recommendations, 秒批, appeal, form with attachment, financing request, consent, compare and accept."""
    _confirming(page)
    _login(page, "enterprise")
    # Profile: a self-declared field is editable and saved; a verified one is not.
    page.goto("/profile")
    expect(page.get_by_label("行业代码（GB/T 4754-2017）")).to_be_disabled()
    page.get_by_label("企业简介").fill("主营高密度互连印制电路板，服务新能源汽车与通信设备客户。")
    page.get_by_role("button", name="保存", exact=True).click()
    _flash(page, "企业画像已保存")
    expect(page.get_by_label("企业简介")).to_have_value(re.compile("高密度互连"))
    _accessible(page)
    # Recommendations, with the policies it almost qualifies for and why.
    page.goto("/policies/recommend")
    expect(page.get_by_role("heading", name=re.compile(r"可申报的政策（\d+）"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("差一项条件即可申报"))).to_be_visible()
    _accessible(page)
    # 秒批: one click, decided at once.
    page.get_by_role("button", name="一键申领（秒批）").first.click()
    expect(page.get_by_text(re.compile("已通过|待人工审核|未通过")).first).to_be_visible()
    _accessible(page)
    # Appeal the rejection the demo left to appeal.
    page.goto("/approvals/")
    page.locator("tr", has_text="未通过").get_by_role("link").first.click()
    page.get_by_label("申诉理由").fill("我司上年度研发费用已更新为 420 万元，请复核。")
    page.get_by_role("button", name="申诉").click()
    _flash(page, "申诉已提交")
    expect(page.get_by_text("申诉中").first).to_be_visible()
    # A form application with an attachment.
    page.goto("/policies/recommend")
    page.get_by_role("link", name="在线申报").first.click()
    expect(page.get_by_role("heading", name=re.compile("在线申报"))).to_be_visible()
    page.get_by_label("联系人").fill("王敏")
    page.get_by_label("联系电话").fill("0755-27000000")
    page.get_by_label("申请说明").fill("申请技术中心建设资助，材料见附件。")
    attachment = tmp_path / "营业执照.pdf"
    attachment.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label(re.compile("申请材料")).set_input_files(str(attachment))
    _accessible(page)
    page.get_by_role("button", name="提交申请").click()
    _flash(page, "申请已提交")
    expect(page.get_by_text("营业执照.pdf").first).to_be_visible()
    # A financing request, then consent withdrawn from one bank.
    _post_request(page, "600", "采购贴片机配件，补充流动资金")
    expect(page.get_by_role("heading", name=re.compile("融资需求 #\\d+"))).to_be_visible()
    _accessible(page)
    page.get_by_role("button", name="撤销对该行的授权").first.click()
    _flash(page, "授权已撤销")
    # Compare the demo request's offers and accept the best.
    page.goto("/finance/requests")
    page.locator("tr", has_text="1,500.00").get_by_role("link").click()  # the demo request the banks answered
    expect(page.get_by_role("heading", name="报价比较")).to_be_visible()
    _accessible(page)
    page.get_by_role("button", name="接受此报价").first.click()
    _flash(page, "已接受该报价")
    assert page.js_errors == []


def test_bank_journey(page, browser, live_server):
    """Feed, offer, decline, disbursement (after the enterprise accepts), API token."""
    firm = _confirming(browser.new_context(base_url=live_server, locale="zh-CN").new_page())
    firm.helpers = page.helpers
    _login(firm, "enterprise")
    offered = _post_request(firm, "300", "支付模具款，补充旺季流动资金")
    declined = _post_request(firm, "200", "临时周转，支付员工薪酬")
    offered_id, declined_id = (url.rstrip("/").rsplit("/", 1)[1] for url in (offered, declined))
    _confirming(page)
    _login(page, "bank")
    page.goto("/finance/bank/feed")
    expect(page.get_by_role("heading", name="推送给本行的融资需求")).to_be_visible()
    expect(page.get_by_text(f"#{offered_id}").first).to_be_visible()
    _accessible(page)
    # An offer on one request …
    page.goto(f"/finance/bank/requests/{offered_id}")
    expect(page.get_by_role("heading", name="企业授权的数据")).to_be_visible()
    _accessible(page)
    page.get_by_label("授信金额（万元）").fill("300")
    page.get_by_label("年利率（%）").fill("3.55")
    page.get_by_label("贷款期限（月）").fill("12")
    page.get_by_label("放款条件").fill("按月付息、到期还本。")
    page.get_by_role("button", name="提交报价").click()
    _flash(page, "报价已提交")
    # … a reasoned decline of the other.
    page.goto(f"/finance/bank/requests/{declined_id}")
    page.get_by_label("婉拒理由").fill("本期信用贷额度已满，建议下季度再申请。")
    page.get_by_role("button", name="婉拒").click()
    _flash(page, "已婉拒")
    # The enterprise accepts the offer; the bank records the disbursement.
    firm.goto(offered)
    firm.get_by_role("button", name="接受此报价").first.click()
    _flash(firm, "已接受该报价")
    firm.context.close()
    page.goto(f"/finance/bank/requests/{offered_id}")
    page.get_by_label("放款金额（万元）").fill("300")
    page.get_by_role("button", name="登记", exact=True).click()
    _flash(page, "放款已登记")
    expect(page.get_by_text("已放款，撮合完成。")).to_be_visible()
    # An API token for the bank's own systems, shown once.
    page.goto("/finance/bank/tokens")
    page.get_by_label("令牌用途").fill("信贷系统对接")
    page.get_by_role("button", name="创建令牌").click()
    expect(page.get_by_text("信贷系统对接").first).to_be_visible()
    expect(page.locator("code.user-select-all")).to_have_text(re.compile(r"\S{20,}"))  # the token, shown once
    _accessible(page)
    assert page.js_errors == []


POLICY_TEXT = (
    "为鼓励企业加大研发投入，制定本办法。\n一、支持对象\n在宝安区注册的国家高新技术企业。\n"
    "二、申报条件\n（一）在宝安区注册；\n（二）上年度营业收入2000万元以上；\n（三）上年度研发费用200万元以上。\n"
    "三、支持标准\n按上年度研发费用的10%给予资助，最高100万元。"
)


def test_official_journey(page):
    """New policy from text, sandbox with what-if, publish, queue, 免申即享, audit, queue export, dashboard."""
    _confirming(page)
    _login(page, "official")
    # A new policy: the conditions are read from its text, then saved as a draft.
    page.goto("/policies/new")
    page.get_by_label("标题").fill("宝安区研发投入后补助（浏览器测试）")
    page.get_by_label("政策正文").fill(POLICY_TEXT)
    page.get_by_role("button", name="从正文识别条件").click()
    expect(page.locator(".alert-info").first).to_contain_text("已从正文识别出建议内容")
    values = page.locator("input[name$='-value']").evaluate_all("(inputs) => inputs.map(i => i.value)")
    assert "2000" in values and "200" in values, values
    page.get_by_label("预算（万元，留空为不设上限）").fill("500")
    _accessible(page)
    page.get_by_role("button", name="保存").click()
    _flash(page, "已保存")
    detail = page.url
    # The sandbox: reach and cost, then the what-if.
    page.get_by_role("link", name="政策沙盘").click()
    expect(page.locator("#reach")).to_have_text(re.compile(r"^\d+$"))
    page.get_by_label("调整的条件").select_option(label="上年度营业收入 不低于 2,000 万元")
    page.get_by_label("起点").fill("1000")
    page.get_by_label("终点").fill("10000")
    page.get_by_label("测算点数").select_option("10")
    page.get_by_role("button", name="测算").click()
    rows = page.get_by_test_id("sweep-table").locator("tbody tr")
    expect(rows).to_have_count(10)
    expect(rows.first.locator("th")).to_have_text("1,000.00")
    expect(page.get_by_test_id("sweep-table").locator("tr.table-primary")).to_contain_text("★ 2,000.00")
    reach = [int(t) for t in rows.locator("td:nth-child(2)").all_inner_texts()]
    assert reach == sorted(reach, reverse=True), reach  # a higher revenue threshold never reaches more firms
    page.wait_for_function("() => Object.keys(Chart.instances).length >= 2")  # the sweep and near-miss charts
    near = page.get_by_test_id("near-table").locator("tbody tr")
    expect(near.filter(has_text="上年度营业收入")).to_have_count(1)  # one row per condition, with its count
    assert all(re.fullmatch(r"\d+", t) for t in near.locator("td:last-child").all_inner_texts())
    page.get_by_label("对比的政策").select_option(index=1)
    page.get_by_role("button", name="对比").click()
    expect(page.get_by_test_id("compare-table")).to_contain_text("两项都符合的企业")
    _accessible(page)
    # Publish: the precise push runs.
    page.goto(detail)
    page.get_by_role("button", name="发布并精准推送").click()
    _flash(page, "政策已发布")
    # The queue: claim an application and decide it.
    page.goto("/approvals/queue")
    expect(page.get_by_role("heading", name="审批队列")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    _accessible(page)
    page.get_by_role("button", name="认领").first.click()
    _flash(page, "认领")
    page.get_by_label("不予通过", exact=True).check()
    page.get_by_label("审核意见（不予通过时必填）").fill("申报材料不全：缺少研发费用专项审计报告。")
    page.get_by_role("button", name="提交审核结论").click()
    _flash(page, "已审批：未通过")
    # 免申即享: grant an instant policy to every firm whose verified data qualifies.
    page.goto("/approvals/grants")
    _accessible(page)
    page.get_by_role("button", name="发起免申即享").first.click()
    _flash(page, "免申即享邀约")
    # Post-audit of an automatic approval.
    page.goto("/approvals/audits")
    expect(page.get_by_role("heading", name="事后抽查")).to_be_visible()
    _accessible(page)
    page.get_by_role("link", name="复核").first.click()
    page.get_by_label("确认无误").check()
    page.get_by_role("button", name="记录抽查结果").click()
    _flash(page, "抽查结果已记录")
    # The dashboard: a year of months, a funnel, a burn-down and bank response times, each with its table.
    page.goto("/dashboard")
    assert page.locator("canvas[data-chart^=trend-]").count() == 4
    page.wait_for_function("() => typeof Chart !== 'undefined' && Object.keys(Chart.instances).length >= 8")
    page.get_by_text("查看数据表").first.click()
    assert page.get_by_test_id("trend-table").first.locator("tbody tr").count() >= 12
    expect(page.get_by_test_id("funnel-table").locator("tbody tr")).to_have_count(4)
    expect(page.get_by_test_id("banks-table").locator("tbody tr")).to_have_count(3)
    page.get_by_label("选择政策").select_option(index=1)
    page.get_by_role("button", name="查看").click()
    assert "policy=" in page.url
    expect(page.get_by_test_id("funnel-table")).to_be_visible()
    _accessible(page)
    assert page.js_errors == []


def test_admin_journey(page, tmp_path):
    """Users, parks, and a data import whose broken lines are reported by number."""
    _login(page, "admin")
    page.goto("/admin/users")
    page.get_by_label("用户名").fill("reviewer2")
    page.get_by_label("姓名/名称").fill("区科技创新局 李科员")
    page.get_by_label("角色").select_option(label="政府工作人员")
    page.get_by_label("初始密码").fill("browser-journey-2026")
    page.get_by_role("button", name="创建").click()
    _flash(page, "账号已创建")
    expect(page.get_by_text("reviewer2").first).to_be_visible()
    _accessible(page)
    page.goto("/admin/parks/new")
    page.get_by_label("园区名称").fill("宝安低空经济虚拟园区")
    page.get_by_label("简介").fill("无人机与通用航空产业链企业。")
    page.get_by_label("行业代码前缀（空格分隔，如 C39 I65）").fill("C374 C376")
    _accessible(page)
    page.get_by_role("button", name="保存").click()
    _flash(page, "虚拟园区已保存")
    expect(page.get_by_text("宝安低空经济虚拟园区").first).to_be_visible()
    page.goto("/admin/import")
    good = demo_data.enterprise_records()[0]
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{这一行不是 JSON",
        json.dumps(good | {"uscc": "91440300BADCODE0X"}),
    ]
    upload = tmp_path / "enterprises.jsonl"
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.get_by_label("数据来源").fill("宝安区市场监督管理局")
    page.get_by_label("JSONL 文件").set_input_files(str(upload))
    page.get_by_role("button", name="导入").click()
    expect(page.locator(".alert-warning").first).to_contain_text("问题行 2 行")
    numbers = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert numbers[:2] == ["2", "3"], numbers
    _accessible(page)
    assert page.js_errors == []
