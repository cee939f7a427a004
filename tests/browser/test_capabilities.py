"""The real-policy capabilities in the browser: condition trees, tiers, places, prior awards, the vocabulary,
policy test cases, effective periods and 贴息 on the loan, one journey each through the pages a user would use.

Each journey makes its own policies (a distinct title per run) and, where it needs a firm of a given shape, imports
one as government data (verified, so 秒批 decides at once), registers its account and confirms it with an
activation code, so the journeys do not depend on each other or on the order they run in.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from portal import reference
from portal.timeutil import today
from tests.browser.conftest import assert_accessible as _accessible
from tests.browser.conftest import demo_login as _as

FIRM_PASSWORD = "Lychee-Harbor-77"
INDUSTRY = "M7320"  # 工程和技术研究和试验发展: no demo policy targets it, so a targeted policy ranks first
DEMO_BANK = "中国工商银行深圳宝安支行"


def _tag() -> str:
    """A short distinct suffix for this run's names."""
    return f"{secrets.randbelow(10**6):06d}"


def _flash(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


def _accepting(page):
    """Accept the confirm() dialogs of irreversible steps (publish, 秒批, offers)."""
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _firm_record(tag: str, n: int, **fields) -> dict:
    """A government data line for a firm in Bao'an of the untargeted industry; fields override."""
    return {
        "uscc": reference.make_uscc("440306", 80_000_000 + int(tag) * 10 + n),
        "name": f"深圳市浏览器测试{n}号研发有限公司{tag}",
        "registered_district": "宝安区",
        "industry_code": INDUSTRY,
        "founded": "2015-03-01",
        "employees": 60,
        "revenue_wan": 5000,
        "assets_wan": 4000,
        "rd_expense_wan": 300,
        "tax_paid_wan": 200,
        "qualifications": [],
        "credit_ok": True,
    } | fields


def _firms(page, tmp_path, *records: dict) -> list[str]:
    """Import the firms as government data, issue their activation codes, register and confirm an account each.

    Returns the usernames (password FIRM_PASSWORD); the page is left logged out.
    """
    _as(page, "admin")
    page.goto("/admin/import")
    upload = tmp_path / f"firms-{records[0]['uscc']}.jsonl"
    upload.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    page.get_by_label("数据来源").fill("宝安区政务数据共享平台（浏览器测试）")
    page.get_by_label("JSONL 文件").set_input_files(str(upload))
    page.get_by_role("button", name="导入").click()
    page.wait_for_load_state()
    assert f"新增 {len(records)} 家" in _flash(page) and "问题行 0 行" in _flash(page), _flash(page)
    page.goto("/admin/activation-codes")
    page.get_by_label("统一社会信用代码（每行一个）").fill("\n".join(r["uscc"] for r in records))
    page.get_by_role("button", name="生成").click()
    page.wait_for_load_state()
    codes = [page.locator("tr", has_text=r["uscc"]).locator("code").inner_text() for r in records]
    usernames = []
    for record, code in zip(records, codes, strict=True):
        page.context.clear_cookies()
        username = f"cap{record['uscc'][-9:-1].lower()}"
        page.goto("/register")
        page.get_by_label("统一社会信用代码").fill(record["uscc"])
        page.get_by_label("企业名称").fill(record["name"])
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码", exact=True).fill(FIRM_PASSWORD)
        page.get_by_label("确认密码").fill(FIRM_PASSWORD)
        page.get_by_role("button", name="注册").click()
        page.wait_for_load_state()
        page.get_by_label("激活码").fill(code)
        page.get_by_role("button", name="认证").click()
        page.wait_for_load_state()
        assert "企业认证成功" in _flash(page), _flash(page)
        usernames.append(username)
    page.context.clear_cookies()
    return usernames


def _row(page, n: int, field: str, op: str, value: str, group: str = "") -> None:
    """Fill condition row n of the editor by the labels a user reads."""
    page.get_by_label(f"条件 {n} · 字段").select_option(label=field)
    page.get_by_label(f"条件 {n} · 运算").select_option(label=op)
    page.get_by_label(f"条件 {n} · 取值").fill(value)
    if group:
        page.get_by_label(f"条件 {n} · 所属组").select_option(label=group)


def _open_details(page, summary: str) -> None:
    """Unfold an editor's "高级" section by its summary text (a no-op when it is open already)."""
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _new_policy(page, title: str, rows: list[tuple], *, fixed_wan: str | None = "10", **options) -> str:
    """As an official: fill the editor (title, rows, support, options) and save; returns the policy's page."""
    page.goto("/policies/new")
    page.get_by_label("标题").fill(title)
    page.get_by_label("政策正文").fill(options.get("text", f"{title}。申报条件与支持标准见右侧。"))
    for n, row in enumerate(rows, 1):
        _row(page, n, *row)
    if options.get("group"):
        page.get_by_label(re.compile("^支持类别")).fill(options["group"])
    if options.get("group1"):
        page.get_by_label("组1", exact=True).select_option(label=options["group1"])
    if fixed_wan is not None:
        page.get_by_label("支持方式", exact=True).select_option(label="定额奖励")
        page.get_by_label("定额（万元）").fill(fixed_wan)
    if options.get("support_json"):
        _open_details(page, "高级：分档")
        page.get_by_label(re.compile("^支持方式（JSON")).fill(options["support_json"])
    if options.get("interest"):
        rate, cap = options["interest"]
        page.get_by_label("支持方式", exact=True).select_option(label="贷款贴息")
        page.get_by_label("比例").fill(rate)
        page.get_by_label("上限（万元，可空）").fill(cap)
    if options.get("instant"):
        page.get_by_label("秒批事项（条件全部可机器核验、金额可计算）").check()
    if options.get("targeted"):
        page.get_by_label(re.compile("^重点支持行业")).fill(INDUSTRY)
    if options.get("effective_from"):
        page.get_by_label("条件与支持标准适用起始日（可空）").fill(options["effective_from"])
    if options.get("tests"):
        _open_details(page, "示例企业与预期结果")
        page.get_by_label(re.compile("^测试用例（JSON")).fill(options["tests"])
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert re.search(r"/policies/\d+$", page.url), f"not saved: {_flash(page)}"
    return page.url


def _publish(page, detail: str) -> None:
    page.goto(detail)
    page.get_by_role("button", name="发布并精准推送").click()
    page.wait_for_load_state()
    assert "政策已发布" in _flash(page), _flash(page)


def _own_check(page):
    """The enterprise's own check on a policy page ("贵企业是否符合")."""
    return page.locator(".card", has=page.get_by_role("heading", name="贵企业是否符合（按今日画像）"))


def _line(results, text: str):
    """The ✓/✗/? line of a condition result that contains the text."""
    return results.locator("li", has_text=text).last


def _apply_instantly(page, title: str) -> None:
    """As the enterprise: 一键申领 on the policy's page; lands on the application."""
    page.goto("/policies/?q=" + title)
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("button", name="一键申领（秒批）").click()
    page.wait_for_load_state()
    assert re.search(r"/approvals/\d+$", page.url), _flash(page)


# ---------------------------------------------------------------- 1. condition trees


def test_an_any_group_recommends_a_firm_that_meets_only_its_second_branch(page, tmp_path):
    tag = _tag()
    title = f"研发型企业认定奖励（条件树 {tag}）"
    # 5,000 万元 revenue, 300 万元 R&D: 6 % of revenue; no 国家高新技术企业 qualification
    (firm,) = _firms(page, tmp_path, _firm_record(tag, 1))
    _accepting(page)
    _as(page, "official")
    detail = _new_policy(
        page,
        title,
        [
            ("注册所在区", "等于", "宝安区"),
            ("资质", "持有其中任一项", "国家高新技术企业", "组1"),
            ("研发投入占营业收入比重", "不低于（≥，“以上”）", "4%", "组1"),
        ],
        fixed_wan="30",
        group1="满足组内任一项",
        targeted=True,
    )
    # The official reads the saved tree back as sentences, the group as one condition.
    conditions = page.locator(".card", has=page.get_by_role("heading", name="申报条件（机器核验）"))
    expect(conditions.locator("li")).to_have_count(2)
    expect(conditions.locator("li").nth(1)).to_have_text(
        "满足以下任一项：资质 持有以下任一项： 国家高新技术企业；研发投入占营业收入比重 不低于 4%"
    )
    # … and the editor shows the rows in their group again.
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("条件 2 · 所属组")).to_have_value("1")
    expect(page.get_by_label("条件 3 · 所属组")).to_have_value("1")
    expect(page.get_by_label("组1", exact=True)).to_have_value("any")
    _accessible(page)
    _publish(page, detail)
    _as(page, firm, FIRM_PASSWORD)
    page.goto("/policies/recommend")
    eligible = page.locator(".policy-card", has_text=title)
    expect(eligible).to_contain_text("预计金额：30.00 万元")  # listed among 可申报的政策, with its amount
    group = eligible.locator("ul.conditions > li", has_text="满足以下任一项")
    expect(group).to_have_class(re.compile("text-success"))
    expect(group.locator(":scope > span.fw-bold")).to_have_text("✓")
    first, second = group.locator("li").nth(0), group.locator("li").nth(1)
    expect(first).to_have_class(re.compile("text-danger"))
    expect(first).to_contain_text("资质：未持有 国家高新技术企业")
    expect(second).to_have_class(re.compile("text-success"))
    expect(second).to_contain_text("研发投入占营业收入比重 6.00%，不低于 4%")
    _accessible(page)
    assert page.js_errors == []


# ---------------------------------------------------------------- 2. tiers


TIERS = json.dumps(
    {
        "kind": "tiers",
        "base": "revenue_wan",
        "tiers": [
            {"gte": 10000, "amount_wan": 50},
            {"gte": 50000, "amount_wan": 100},
            {"gte": 100000, "amount_wan": 200},
        ],
    }
)


def test_a_tiered_award_shows_the_amount_and_the_tier_reached(page, tmp_path):
    tag = _tag()
    title = f"营业收入跨越奖励（分档 {tag}）"
    (firm,) = _firms(page, tmp_path, _firm_record(tag, 1, revenue_wan=62000, rd_expense_wan=1800))
    _accepting(page)
    _as(page, "official")
    detail = _new_policy(
        page,
        title,
        [("注册所在区", "等于", "宝安区"), ("上年度营业收入", "不低于（≥，“以上”）", "10000")],
        fixed_wan=None,
        support_json=TIERS,
        text="上年度营业收入首次达到1亿、5亿、10亿元的，分别奖励50、100、200万元。",
        instant=True,
    )
    support = page.locator(".card", has=page.get_by_role("heading", name="支持标准"))
    expect(support).to_have_text(
        re.compile(
            "按上年度营业收入分档奖励：达到 10,000 万元奖励 50 万元、达到 50,000 万元奖励 100 万元、"
            "达到 100,000 万元奖励 200 万元（就高不重复）"
        )
    )
    _publish(page, detail)
    _as(page, firm, FIRM_PASSWORD)
    page.goto(detail)
    expect(_own_check(page)).to_contain_text("预计可获支持：100.00 万元")
    _accessible(page)
    _apply_instantly(page, title)
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_text("核定金额 100.00 万元").first).to_be_visible()
    reason = page.locator(".card", has=page.get_by_role("heading", name="审批结果说明"))
    expect(reason).to_contain_text("上年度营业收入 62,000 万元，达到 50,000 万元档：100.00 万元")
    _accessible(page)
    assert page.js_errors == []


# ---------------------------------------------------------------- 3. places


def test_registered_tax_and_operating_districts_are_checked_each_on_its_own(page, tmp_path):
    tag = _tag()
    title = f"本地经营企业扩产奖励（三地 {tag}）"
    record = _firm_record(tag, 1, tax_district="宝安区", operating_district="南山区")
    (firm,) = _firms(page, tmp_path, record)
    _accepting(page)
    _as(page, "official")
    detail = _new_policy(
        page,
        title,
        [
            ("注册所在区", "等于", "宝安区"),
            ("纳税所在区", "等于", "宝安区"),
            ("经营所在区", "等于", "宝安区"),
        ],
        targeted=True,
    )
    listed = page.locator(".card", has=page.get_by_role("heading", name="申报条件（机器核验）")).locator("li")
    expect(listed).to_have_text(["注册所在区 为 宝安区", "纳税所在区 为 宝安区", "经营所在区 为 宝安区"])
    _publish(page, detail)
    _as(page, firm, FIRM_PASSWORD)
    page.goto(detail)
    check = _own_check(page)
    expect(_line(check, "注册所在区")).to_have_class(re.compile("text-success"))
    expect(_line(check, "纳税所在区")).to_have_class(re.compile("text-success"))
    operating = _line(check, "经营所在区")
    expect(operating).to_have_class(re.compile("text-danger"))
    expect(operating).to_contain_text("经营所在区 南山区，不是 宝安区")
    _accessible(page)
    page.goto("/policies/recommend")
    card = page.locator(".policy-card", has_text=title)
    expect(card.locator(".almost-hint")).to_have_text("还差一项：经营所在区")
    _accessible(page)
    assert page.js_errors == []


# ---------------------------------------------------------------- 4. prior awards


def test_an_award_in_a_group_rules_out_the_next_policy_of_the_group(page, tmp_path):
    tag = _tag()
    group = f"跨越发展奖励{tag}"
    first, second = f"规上企业首次达标奖励（{tag}）", f"规上企业再上台阶奖励（{tag}）"
    (firm,) = _firms(page, tmp_path, _firm_record(tag, 1))
    _accepting(page)
    _as(page, "official")
    first_page = _new_policy(page, first, [("注册所在区", "等于", "宝安区")], group=group, instant=True)
    _publish(page, first_page)
    second_page = _new_policy(
        page,
        second,
        [("注册所在区", "等于", "宝安区"), ("已获支持类别", "不持有其中任何一项", "本类")],
        fixed_wan="20",
        group=group,
        instant=True,
        targeted=True,
    )
    listed = page.locator(".card", has=page.get_by_role("heading", name="申报条件（机器核验）"))
    expect(listed).to_contain_text("此前未获得过本类支持")
    _publish(page, second_page)
    # Before any award of the group the firm qualifies for the second policy.
    _as(page, firm, FIRM_PASSWORD)
    page.goto(second_page)
    prior = _line(_own_check(page), "类支持")
    expect(prior).to_have_class(re.compile("text-success"))
    expect(prior).to_contain_text(f"此前未获得过「{group}」类支持")
    # 秒批 on the first policy: approved at once.
    _apply_instantly(page, first)
    expect(page.get_by_text("核定金额 10.00 万元").first).to_be_visible()
    # Now the second policy says why it no longer applies, and is no longer recommended.
    page.goto(second_page)
    prior = _line(_own_check(page), "类支持")
    expect(prior).to_have_class(re.compile("text-danger"))
    expect(prior).to_contain_text(f"此前已获得过「{group}」类支持，不得重复享受")
    _accessible(page)
    page.goto("/policies/recommend")
    expect(page.locator(".policy-card", has_text=second)).to_have_count(0)
    expect(page.locator(".policy-card", has_text=first)).to_contain_text("已申请 · 已通过")
    # 秒批 on the second policy is refused with that reason.
    _apply_instantly(page, second)
    reason = page.locator(".card", has=page.get_by_role("heading", name="审批结果说明"))
    expect(reason).to_contain_text(f"已获得过「{group}」类支持，不得重复享受")
    expect(page.get_by_text("未通过").first).to_be_visible()
    _accessible(page)
    assert page.js_errors == []


# ---------------------------------------------------------------- 5. vocabulary


def test_a_qualification_added_to_the_vocabulary_is_usable_and_lapses(page, tmp_path):
    tag = _tag()
    name, alias = f"宝安智造标杆{tag}", f"智造标杆{tag}"
    title = f"智造标杆企业奖励（词表 {tag}）"
    _accepting(page)
    # Before the admin adds it, the editor refuses the name.
    _as(page, "official")
    page.goto("/policies/new")
    page.get_by_label("标题").fill(title)
    _row(page, 1, "资质", "持有其中任一项", name)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#rows-0-value-error")).to_contain_text(f"未知的资质“{name}”")
    # The admin adds it: name, alias, issuing body, a validity of 12 months.
    _as(page, "admin")
    page.goto("/admin/vocabulary/")
    form = page.locator("form", has=page.get_by_role("button", name="保存"))
    form.get_by_label("名称").fill(name)
    form.get_by_label("别名（以 、 或空格分隔）").fill(alias)
    form.get_by_label("认定机构").fill("宝安区工业和信息化局")
    form.get_by_label("有效期（月，留空为长期有效）").fill("12")
    form.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "词条已添加" in _flash(page), _flash(page)
    cells = page.locator("#vocabulary tr", has_text=name).locator("td")
    expect(cells).to_have_text([name, alias, "宝安区工业和信息化局", "12 个月", "编辑"])
    _accessible(page)
    # Two firms hold it, named by its alias in the feed: one granted two years ago (lapsed), one last month.
    granted = date(today().year - 2, today().month, 15)
    lapsed_on = date(granted.year + 1, granted.month, 14)  # the last day of its twelve months
    lapsed_since = granted.isoformat()
    recent_since = (today() - timedelta(days=30)).isoformat()
    old, new = _firms(
        page,
        tmp_path,
        _firm_record(tag, 1, qualifications=[alias], qualifications_since={alias: lapsed_since}),
        _firm_record(tag, 2, qualifications=[alias], qualifications_since={alias: recent_since}),
    )
    # The official now picks it: a 重点支持资质 box, and a condition row that is accepted.
    _as(page, "official")
    page.goto("/policies/new")
    expect(page.get_by_role("checkbox", name=name, exact=True)).to_be_visible()
    detail = _new_policy(page, title, [("资质", "持有其中任一项", name)])
    expect(page.get_by_text(f"资质 持有以下任一项： {name}")).to_be_visible()
    _publish(page, detail)
    _as(page, old, FIRM_PASSWORD)
    page.goto(detail)
    held = _line(_own_check(page), name)
    expect(held).to_have_class(re.compile("text-danger"))
    expect(held).to_contain_text(f"{name} 已于 {lapsed_on} 到期，不计")
    _accessible(page)
    _as(page, new, FIRM_PASSWORD)
    page.goto(detail)
    held = _line(_own_check(page), name)
    expect(held).to_have_class(re.compile("text-success"))
    expect(held).to_contain_text(f"资质：持有 {name}")
    expect(_own_check(page)).to_contain_text("预计可获支持：10.00 万元")
    assert page.js_errors == []


# ---------------------------------------------------------------- 6. policy test cases


def _cases(expect_outcome: str) -> str:
    case = {
        "name": "营收三千万的宝安企业",
        "profile": {"registered_district": "宝安区", "revenue_wan": 3000},
        "expect": expect_outcome,
    }
    return json.dumps([case | ({"amount_wan": 15} if expect_outcome == "pass" else {})], ensure_ascii=False)


def test_a_failing_test_case_blocks_publishing_until_it_is_fixed(page):
    tag = _tag()
    title = f"成长型企业奖励（测试用例 {tag}）"
    _accepting(page)
    _as(page, "official")
    detail = _new_policy(
        page,
        title,
        [("注册所在区", "等于", "宝安区"), ("上年度营业收入", "不低于（≥，“以上”）", "2000")],
        fixed_wan="15",
        tests=_cases("fail"),  # wrong: this firm meets both rows
    )
    warning = page.locator(".alert-warning", has_text="测试用例未通过")
    expect(warning).to_contain_text("营收三千万的宝安企业：预期 不符合，实际 符合")
    cases = page.locator("#policy-cases")
    expect(cases).to_contain_text("0 / 1 通过；有未通过的用例，不能发布")
    expect(cases.locator("li.text-danger").first).to_contain_text(
        "上年度营业收入 3,000 万元，不低于 2,000 万元"
    )
    _accessible(page)
    page.get_by_role("button", name="发布并精准推送").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-danger")).to_contain_text("有 1 个测试用例未通过，不能发布")
    assert "政策已发布" not in _flash(page)
    expect(page.locator("p", has=page.locator(".badge", has_text="草稿"))).to_be_visible()
    _accessible(page)
    # The official corrects the expectation (and states the amount): the case passes and publishing goes.
    page.get_by_role("link", name="编辑").click()
    _open_details(page, "示例企业与预期结果")
    page.get_by_label(re.compile("^测试用例（JSON")).fill(_cases("pass"))
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#policy-cases")).to_contain_text("1 / 1 通过")
    assert "测试用例未通过" not in _flash(page)
    _publish(page, detail)
    expect(page.get_by_role("button", name="下架")).to_be_visible()
    assert page.js_errors == []


# ---------------------------------------------------------------- 7. effective periods


def test_a_revision_of_the_conditions_starts_a_new_period_shown_on_revisions_and_decisions(page, tmp_path):
    tag = _tag()
    title = f"研发机构建设奖励（适用期 {tag}）"
    started = today() - timedelta(days=30)
    before, after = _firms(page, tmp_path, _firm_record(tag, 1), _firm_record(tag, 2))
    _accepting(page)
    _as(page, "official")
    detail = _new_policy(
        page,
        title,
        [("注册所在区", "等于", "宝安区"), ("上年度营业收入", "不低于（≥，“以上”）", "1000")],
        instant=True,
        effective_from=started.isoformat(),
    )
    expect(page.locator("#effective-period")).to_have_text(f"条件与支持标准适用期：{started} 至 长期")
    _publish(page, detail)
    # A decision under the first revision names its period.
    _as(page, before, FIRM_PASSWORD)
    _apply_instantly(page, title)
    expect(page.get_by_text("依据政策第 1 版")).to_be_visible()
    expect(page.locator(".record-period").first).to_have_text(f"适用期 {started} 至 长期")
    # The official raises the revenue threshold: a new revision and a new period, from today.
    _as(page, "official")
    page.goto(detail)
    page.get_by_role("link", name="编辑").click()
    page.get_by_label("条件 2 · 取值").fill("2000")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert "已保存为第 2 版" in _flash(page), _flash(page)
    expect(page.locator("#effective-period")).to_have_text(f"条件与支持标准适用期：{today()} 至 长期")
    page.get_by_role("link", name="历史版本").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    yesterday = today() - timedelta(days=1)
    expect(rows.filter(has_text="第 2 版")).to_contain_text(f"{today()} 至 长期")
    expect(rows.filter(has_text="第 1 版")).to_contain_text(f"{started} 至 {yesterday}")
    _accessible(page)
    page.get_by_role("row", name=re.compile("第 1 版")).get_by_role("link", name="查看").click()
    expect(page.locator(".card")).to_contain_text("上年度营业收入 不低于 1,000 万元")
    # A decision under the second revision names the new period.
    _as(page, after, FIRM_PASSWORD)
    _apply_instantly(page, title)
    expect(page.get_by_text("依据政策第 2 版")).to_be_visible()
    expect(page.locator(".record-period").first).to_have_text(f"适用期 {today()} 至 长期")
    _accessible(page)
    assert page.js_errors == []


# ---------------------------------------------------------------- 8. 贴息 on the loan


def _request_with_offer(page, amount: str, purpose: str, rate: str) -> str:
    """The demo enterprise posts a request secured by its patents; the demo bank offers; returns its page."""
    _as(page, "enterprise")
    page.goto("/finance/requests/new")
    page.get_by_label("融资金额（万元）").fill(amount)
    page.get_by_label("融资期限（月）").fill("12")
    page.get_by_label("担保方式").select_option("知识产权质押")
    page.get_by_label("可接受最高年利率（%）").fill("5.00")
    page.get_by_label(re.compile("^资金用途")).fill(purpose)
    page.get_by_role("button", name="发布并匹配银行").click()
    page.wait_for_load_state()
    assert "融资需求已发布" in _flash(page), _flash(page)
    url = page.url
    request_id = re.search(r"/finance/requests/(\d+)", url).group(1)
    assert page.locator("tr", has_text=DEMO_BANK).count() == 1, "the demo bank did not receive the request"
    _as(page, "bank")
    page.goto(f"/finance/bank/requests/{request_id}")
    page.get_by_label("年利率（%）").fill(rate)
    page.get_by_label("授信金额（万元）").fill(amount)
    page.get_by_role("button", name="提交报价").click()
    page.wait_for_load_state()
    assert "报价已提交" in _flash(page), _flash(page)
    return url


def _figure(card, name: str):
    """The value beside a term of an offer card's list (年利率, 贴息后实际利率, …)."""
    return card.locator("dt", has_text=re.compile(f"^{name}$")).locator("+ dd")


def test_an_offers_net_rate_counts_only_the_interest_subsidies_the_loan_qualifies_for(page):
    tag = _tag()
    title = f"知识产权质押小额贷款贴息（贴息 {tag}）"
    _accepting(page)
    _as(page, "official")
    detail = _new_policy(
        page,
        title,
        [
            ("注册所在区", "等于", "宝安区"),
            ("贷款担保方式", "等于", "知识产权质押"),
            ("贷款金额", "不超过（≤，“以下”）", "500"),
        ],
        fixed_wan=None,
        interest=("90%", "5"),
    )
    expect(page.get_by_text("按贷款利息的 90% 贴息，最高 5 万元")).to_be_visible()
    _publish(page, detail)
    small = _request_with_offer(page, "320", f"购买研发测试仪器（贴息测试 {tag}）", "4.00")
    large = _request_with_offer(page, "880", f"扩建中试产线（贴息测试 {tag}）", "4.00")
    _as(page, "enterprise")
    # 320 万元 on patents: this policy applies, 90 % of the interest, capped at 5 万元.
    page.goto(small)
    expect(page.get_by_text(f"您符合贴息政策“{title}”：按利息的 90.00% 贴息，最高 5.00 万元")).to_be_visible()
    offer = page.locator(".card", has_text=DEMO_BANK).filter(has_text="贴息后实际利率")
    expect(_figure(offer, "年利率")).to_have_text("4.000%")
    expect(_figure(offer, "贴息后实际利率")).to_have_text("0.400%")
    expect(_figure(offer, "首年利息")).to_have_text("12.80 万元")
    expect(_figure(offer, "首年可获贴息")).to_have_text("5.00 万元（已达上限）")  # 90 % of 12.80 is 11.52
    _accessible(page)
    # 880 万元 is above this policy's 500 万元: it is not counted; the net rate uses the best one that applies.
    page.goto(large)
    line = page.get_by_text(re.compile("您符合贴息政策“"))
    expect(line).not_to_contain_text(title)
    share = Decimal(re.search(r"按利息的 ([\d.]+)% 贴息", line.inner_text()).group(1)) / 100
    offer = page.locator(".card", has_text=DEMO_BANK).filter(has_text="贴息后实际利率")
    net = _figure(offer, "贴息后实际利率").inner_text()
    assert Decimal(net.rstrip("%")) == (Decimal("4.00") * (1 - share)).quantize(Decimal("0.001")), net
    assert Decimal(net.rstrip("%")) > Decimal("0.400")
    _accessible(page)
    assert page.js_errors == []
