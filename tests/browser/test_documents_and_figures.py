"""Two editors in Chromium: the official's policy-document editor and the enterprise's figures by year."""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - conftest skips every test then
    expect = None

from tests.browser.conftest import assert_accessible as _accessible
from tests.browser.conftest import demo_login as _login


def test_an_official_writes_a_document_with_two_items_and_orders_them(page):
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, "official")
    page.get_by_role("link", name="政策文件").first.click()
    _accessible(page)
    page.get_by_role("link", name="新建政策文件").click()
    page.get_by_label("文件标题").fill("宝安区促进消费若干措施（浏览器测试）")
    page.get_by_label("发文单位").fill("深圳市宝安区商务局")
    page.get_by_label("文号").fill("深宝商〔2026〕99号")
    page.get_by_label("发布日期").fill("2026-03-01")
    page.get_by_label("有效期至").fill("2026-01-01")  # before it is published: refused beside the field
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#valid_until-error")).to_contain_text("有效期至不能早于发布日期")
    _accessible(page)
    page.get_by_label("有效期至").fill("2026-12-31")
    page.get_by_label("文件正文").fill("第一条 限上零售企业增长奖励。第二条 限上餐饮企业增长奖励。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("政策文件已保存")
    expect(page.get_by_role("heading", level=1)).to_have_text("宝安区促进消费若干措施（浏览器测试）")

    for title in ("限上零售企业增长奖励（浏览器）", "限上餐饮企业增长奖励（浏览器）"):
        page.get_by_role("link", name="新增申报事项").click()
        expect(page.locator("#new-item-of")).to_contain_text("宝安区促进消费若干措施（浏览器测试）")
        expect(page.get_by_label("文号")).to_have_value("深宝商〔2026〕99号")  # taken from the document
        page.get_by_label("标题", exact=True).fill(title)
        page.get_by_role("button", name="保存").first.click()
        expect(page.locator(".alert-success").first).to_contain_text("政策已保存")
        expect(page.locator("#policy-document")).to_contain_text("宝安区促进消费若干措施（浏览器测试）")
        page.locator("#policy-document a").first.click()

    rows = page.locator("#document-items tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("限上零售企业增长奖励（浏览器）")
    _accessible(page)
    page.get_by_role("button", name="上移「限上餐饮企业增长奖励（浏览器）」").click()
    expect(rows.nth(0)).to_contain_text("第 1 项")
    expect(rows.nth(0)).to_contain_text("限上餐饮企业增长奖励（浏览器）")
    page.get_by_role("button", name="移出「限上零售企业增长奖励（浏览器）」").click()
    expect(page.locator(".alert-success")).to_contain_text("政策本身保留")
    expect(rows).to_have_count(1)
    # the removed policy can be added back from the list of policies in no document
    page.get_by_label("加入已有政策").select_option(label="限上零售企业增长奖励（浏览器）（草稿）")
    page.get_by_role("button", name="加入本文件").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("第 2 项")


def test_an_enterprise_declares_two_years_and_sees_the_growth(page):
    _login(page, "enterprise")
    page.goto("/profile")
    figures = page.locator("#figures")
    year_picker = figures.get_by_label("年度")
    years = year_picker.locator("option").all_inner_texts()
    last, before = (int(text[:4]) for text in years[:2])
    year_picker.select_option(str(before))
    figures.get_by_role("button", name="切换年度").click()
    figures.get_by_label("营业收入（万元）").fill("10000")
    figures.get_by_label("从业人员（人）").fill("-5")  # refused beside the field, nothing saved
    figures.get_by_role("button", name=f"保存 {before} 年数据").click()
    expect(page.locator("#figures-employees-error")).to_contain_text("非负整数")
    _accessible(page)
    page.locator("#figures").get_by_label("从业人员（人）").fill("200")
    page.locator("#figures").get_by_role("button", name=f"保存 {before} 年数据").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{before} 年经营数据已保存")

    page.locator("#figures").get_by_label("年度").select_option(str(last))
    page.locator("#figures").get_by_role("button", name="切换年度").click()
    page.locator("#figures").get_by_label("营业收入（万元）").fill("12500")
    page.locator("#figures").get_by_role("button", name=f"保存 {last} 年数据").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{last} 年经营数据已保存")
    table = page.locator("#figures table")
    expect(table).to_contain_text("12,500.00")
    expect(table).to_contain_text("10,000.00")
    expect(page.locator("#figures")).to_contain_text("营业收入增长率 25.00%")
    _accessible(page)


def test_a_condition_row_suggests_the_names_its_field_takes(page):
    _login(page, "official")
    page.goto("/policies/new")
    field, value = page.get_by_label("条件 1 · 字段"), page.get_by_label("条件 1 · 取值")
    field.select_option("qualifications")
    expect(value).to_have_attribute("list", "values-qualifications")
    options = page.locator("#values-qualifications option")
    assert "国家高新技术企业" in [options.nth(i).get_attribute("value") for i in range(options.count())]
    field.select_option("revenue_wan")
    expect(value).not_to_have_attribute("list", "values-qualifications")
    field.select_option("operating_district")
    expect(value).to_have_attribute("list", "values-operating_district")
    _accessible(page)


def test_an_official_puts_a_group_inside_a_group_in_the_row_editor(page):
    _login(page, "official")
    page.goto("/policies/new")
    page.get_by_label("标题", exact=True).fill("专精特新或研发投入双达标奖励（浏览器）")
    rows = [
        ("", "registered_district", "eq", "宝安区"),
        ("1", "qualifications", "contains_any", "国家高新技术企业、专精特新中小企业"),
        ("2", "rd_ratio", "gte", "4%"),
        ("2", "revenue_wan", "gte", "5000"),
    ]
    for n, (group, field, op, value) in enumerate(rows, 1):
        if group:
            page.get_by_label(f"条件 {n} · 所属组").select_option(group)
        page.get_by_label(f"条件 {n} · 字段").select_option(field)
        page.get_by_label(f"条件 {n} · 运算").select_option(op)
        page.get_by_label(f"条件 {n} · 取值").fill(value)
    page.get_by_label("组1", exact=True).select_option("any")
    page.get_by_label("组2", exact=True).select_option("all")
    page.get_by_label("组2 所在").select_option("1")
    _accessible(page)
    page.get_by_role("button", name="保存").first.click()
    expect(page.locator(".alert-success").first).to_contain_text("政策已保存")
    conditions = page.locator("main")
    expect(conditions).to_contain_text("满足以下任一项")
    expect(conditions).to_contain_text("同时满足以下各项")
    page.get_by_role("link", name="编辑").first.click()
    expect(page.get_by_label("组2 所在")).to_have_value("1")  # reopens as rows, the nesting kept
