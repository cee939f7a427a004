"""Five reader classes that produced harmful proposals, each in several wordings and notice styles of our own.

1. thresholds that differ by industry are alternatives, not one conjunction;
2. an amount per counted unit is per_unit on a field, or no amount rule at all, never the cap as a fixed sum;
3. 首次达到/突破/超过/迈上/进入 a figure is a first crossing (this year at or above, the year before below);
4. a window on prior awards (近N年, N年内, 自…年起) is the approved_groups row's within_years;
5. places named once for several kinds (三地合一, 注册登记和税务关系均在本区) take the passage's district.
"""

from datetime import date
from decimal import Decimal

import pytest

from portal import conditions as rules
from portal import reference, timeutil
from portal.policies.text_conditions import read_policy, read_support


def row(field: str, op: str, value: object, **extra: object) -> dict:
    """One condition row."""
    return {"field": field, "op": op, "value": value} | extra


def branch(prefixes: list[str], *rows: dict) -> dict:
    """One per-industry alternative: the industry and its figures."""
    return {"all": [row("industry_code", "prefix_in", prefixes), *rows]}


def why(reading, piece: str) -> str:
    """The reason the reader gives for the unread span holding piece ("" when none does)."""
    return next((u[3] for u in reading.unread_spans if piece in u[0]), "")


def promises(reading) -> None:
    """What every proposal keeps: a valid tree, spans on rows and unread sentences."""
    assert not rules.validate(reading.tree)
    if reading.support is not None:
        assert not rules.validate_support(reading.support)
    for e in reading.evidence:
        assert 0 <= e.start < e.end


# ---------------------------------------------------------------------------------------------------------------
# 1. thresholds by industry

RETAIL = [
    branch(["F51"], row("revenue_wan", "gte", 50000)),
    branch(["F52"], row("revenue_wan", "gte", 5000)),
    branch(["H62"], row("revenue_wan", "gte", 1000)),
]
BY_INDUSTRY = [
    # one sentence, commas, the figure repeated
    (
        "宝安区商贸企业上台阶奖励",
        "一、申报条件\n（一）在宝安区依法登记注册；\n（二）批发业企业上年度销售额5亿元以上，零售业企业上年度销售额5000万元以上，"
        "餐饮业企业上年度营业收入1000万元以上。\n二、奖励标准\n给予15万元奖励。",
        RETAIL,
    ),
    # the figure named once before a colon, the industries after it with bare numbers
    (
        "宝安区商贸企业上台阶奖励",
        "【申报条件】\n在宝安区注册的企业，上年度营业收入达到以下标准：其中批发业5亿元以上，零售业5000万元以上，"
        "餐饮业1000万元以上。\n【奖励标准】\n奖励15万元。",
        RETAIL,
    ),
    # 其中 and semicolons, each item its own clause; the umbrella industry (商贸) gives way to the items
    (
        "宝安区限上企业奖励",
        "申报条件：\n在宝安区注册的商贸企业，其中：批发业企业年营业收入不低于5亿元；零售业企业不低于5000万元；"
        "餐饮业企业不低于1000万元。\n奖励标准：\n奖励15万元。",
        RETAIL,
    ),
    # a table: the header says which figure each row's number is
    (
        "宝安区商贸企业上台阶奖励",
        "一、申报条件\n1. 在宝安区注册；\n2. 上年度营业收入达到下表标准：\n行业 | 上年度营业收入\n批发业 | 5亿元以上\n"
        "零售业 | 5000万元以上\n餐饮业 | 1000万元以上\n二、奖励标准\n奖励15万元。",
        RETAIL,
    ),
    # 分别: the n-th industry with the n-th number
    (
        "宝安区商贸企业上台阶奖励",
        "第三条 在宝安区注册的批发业、零售业、餐饮业企业，上年度营业收入分别达到5亿元、5000万元、1000万元的，给予奖励。",
        RETAIL,
    ),
]


@pytest.mark.parametrize(("title", "text", "branches"), BY_INDUSTRY)
def test_thresholds_by_industry_are_alternatives(title, text, branches):
    reading = read_policy(text, title)
    nodes = reading.tree["all"]
    assert row("registered_district", "eq", "宝安区") in nodes
    assert {"any": branches} in nodes
    # never one conjunction of every threshold, nor a bare industry row beside the group
    assert not any(n.get("field") in ("revenue_wan", "industry_code") for n in nodes)
    match = rules.matcher(reading.tree)
    caterer = {"registered_district": "宝安区", "industry_code": "H6210", "revenue_wan": 1500}
    assert match(caterer) == rules.PASS
    assert match(caterer | {"industry_code": "F5211"}) == rules.FAIL  # a retailer needs 5000
    promises(reading)


def test_per_industry_figures_other_than_revenue():
    text = (
        "二、申报条件\n工业企业上年度从业人员300人以上，批发业企业从业人员20人以上，零售业企业从业人员50人以上。\n"
        "三、支持标准\n奖励5万元。"
    )
    nodes = read_policy(text, "福田区").tree["all"]
    assert {
        "any": [
            branch(["B", "C", "D"], row("employees", "gte", 300)),
            branch(["F51"], row("employees", "gte", 20)),
            branch(["F52"], row("employees", "gte", 50)),
        ]
    } in nodes


def test_per_industry_tax_led_by_its_figure():
    text = (
        "问：申报需要满足什么条件？\n答：上年度纳税总额达到以下标准：其中制造业企业500万元以上，"
        "软件和信息技术服务业企业300万元以上。\n问：奖励多少？\n答：奖励10万元。"
    )
    nodes = read_policy(text, "龙岗区").tree["all"]
    assert {
        "any": [
            branch(["C"], row("tax_paid_wan", "gte", 500)),
            branch(["I65"], row("tax_paid_wan", "gte", 300)),
        ]
    } in nodes


def test_per_industry_branch_keeps_its_second_figure_and_shared_industries():
    text = "一、申报条件\n批发、零售企业上年度营业收入1亿元以上且从业人员50人以上，餐饮企业上年度营业收入2000万元以上。"
    nodes = read_policy(text, "南山区").tree["all"]
    assert {
        "any": [
            branch(["F51", "F52"], row("revenue_wan", "gte", 10000), row("employees", "gte", 50)),
            branch(["H62"], row("revenue_wan", "gte", 2000)),
        ]
    } in nodes


def test_one_industry_with_its_figures_stays_a_conjunction():
    text = "一、申报条件\n在宝安区注册的制造业企业，上年度营业收入2000万元以上，研发费用不低于100万元。"
    nodes = read_policy(text, "宝安区").tree["all"]
    assert not any("any" in n for n in nodes)
    assert row("industry_code", "prefix_in", ["C"]) in nodes
    assert row("revenue_wan", "gte", 2000) in nodes


# ---------------------------------------------------------------------------------------------------------------
# 2. per-unit support


@pytest.mark.parametrize(
    ("text", "support"),
    [
        # the head count is named: per_unit on employees
        (
            "按企业参保职工人数给予补贴，标准为2000元/人，每家企业最高50万元。",
            {"kind": "per_unit", "base": "employees", "amount_wan": 0.2, "cap_wan": 50},
        ),
        (
            "按每人500元的标准，根据企业上年末从业人员人数给予补贴，最高20万元。",
            {"kind": "per_unit", "base": "employees", "amount_wan": 0.05, "cap_wan": 20},
        ),
        # per firm and per year are the award itself
        ("每家企业奖励20万元。", {"kind": "fixed", "amount_wan": 20}),
        ("对符合条件的企业，每年给予10万元补贴，补贴期限不超过3年。", {"kind": "fixed", "amount_wan": 10}),
    ],
)
def test_per_unit_on_a_field(text, support):
    assert read_support(text) == support


UNCOUNTED = [
    # whose heads are not said: no field counts them
    ("二、补贴标准\n按每人2000元给予补贴，每家企业最高50万元。", "按每人2000元"),
    ("【支持标准】\n按新增就业岗位每个5000元给予补贴，单个企业最高不超过50万元。", "新增就业岗位"),
    ("第四条 每项发明专利资助1万元，每家企业年度资助总额最高50万元。", "每项发明专利"),
    ("问：补贴多少？\n答：每新招用1人补贴3000元，最高30万元。", "每新招用1人"),
    ("三、支持标准\n对新招用员工，每人给予2000元补贴，最高20万元。", "对新招用员工"),
    ("二、支持标准\n对吸纳就业困难人员的企业，按每人每月500元给予社会保险补贴。", "每人每月"),
    ("二、支持标准\n每个项目最高资助50万元。", "每个项目"),
]


@pytest.mark.parametrize(("support_text", "piece"), UNCOUNTED)
def test_per_unit_no_field_counts_proposes_no_amount(support_text, piece):
    text = "一、申报条件\n在龙华区注册的企业。\n" + support_text
    reading = read_policy(text, "龙华区就业补贴")
    assert reading.support is None  # never the cap as a fixed amount everyone receives
    assert reading.instant is False
    assert why(reading, piece).startswith("按单位计算的支持标准")
    promises(reading)


def test_per_unit_item_beside_a_fixed_award_leaves_the_fixed_one():
    text = (
        "一、申报条件\n在龙华区注册的国家高新技术企业。\n二、奖励标准\n对新认定的国家高新技术企业给予20万元奖励；"
        "每新增1项发明专利另给予1万元。"
    )
    reading = read_policy(text, "龙华区")
    assert reading.support == {"kind": "fixed", "amount_wan": 20}
    assert why(reading, "每新增1项发明专利")


# ---------------------------------------------------------------------------------------------------------------
# 3. first crossings

FIRST = [
    ("一、申报条件\n上年度营业收入首次超过2000万元。", "gt", 2000),
    ("一、申报条件\n上年度营业收入首次达到1亿元。", "gte", 10000),
    ("【申报条件】\n企业营业收入规模首次突破5亿元。", "gte", 50000),
    ("问：哪些企业可以申请？\n答：年营业收入首次迈上10亿元台阶的企业。", "gte", 100000),
    ("第二条 上年度主营业务收入首次进入亿元行列的工业企业。", "gte", 10000),
    ("申报条件：首次实现上年度营业收入超过3000万元。", "gt", 3000),
    ("一、申报条件\n营业收入首次破亿的企业。", "gte", 10000),
]


@pytest.mark.parametrize(("text", "op", "value"), FIRST)
def test_first_crossing_has_the_year_before_below(text, op, value):
    reading = read_policy(text, "光明区")
    nodes = reading.tree["all"]
    below = {"gte": "lt", "gt": "lte"}[op]
    assert row("revenue_wan", op, value) in nodes
    assert row("revenue_wan_prev", below, value) in nodes
    match = rules.matcher(reading.tree)
    firm = {"industry_code": "C3841", "revenue_wan": value * 2}
    assert match(firm | {"revenue_wan_prev": value / 2}) == rules.PASS
    assert match(firm | {"revenue_wan_prev": value * 2}) == rules.FAIL  # it crossed the line before


def test_first_of_something_else_is_no_first_crossing():
    nodes = read_policy("一、申报条件\n首次认定为国家高新技术企业且营业收入达到1亿元。", "光明区").tree["all"]
    assert row("revenue_wan", "gte", 10000) in nodes
    assert not any(n.get("field") == "revenue_wan_prev" for n in nodes)


def test_first_crossing_of_a_figure_without_its_previous_year_is_reported():
    reading = read_policy(
        "一、申报条件\n上年度纳税总额首次超过1000万元。\n二、奖励标准\n奖励10万元。", "光明区"
    )
    assert reading.tree["all"] == [row("tax_paid_wan", "gt", 1000)]
    assert "上一年度纳税总额无对应字段" in why(reading, "纳税总额首次超过")


def test_first_crossing_tiers_keep_the_lowest_and_say_so():
    text = "一、申报条件\n在光明区注册的企业。\n二、奖励标准\n上年度营业收入首次达到1亿元、5亿元的，分别给予20万元、50万元奖励。"
    reading = read_policy(text, "光明区")
    assert row("revenue_wan", "gte", 10000) in reading.tree["all"]
    assert reading.support["kind"] == "tiers"
    assert why(reading, "首次达到1亿元")


# ---------------------------------------------------------------------------------------------------------------
# 4. windows on prior awards

WINDOWS = [
    ("一、申报条件\n1.在宝安区注册；\n2.近三年未获得过本区同类研发资助。", 3),
    ("办理条件：\n1. 宝安区注册的企业；\n2. 两年内未享受过区级同类扶持。", 2),
    ("【申报条件】\n最近五年内企业均未获得过本项资助。", 5),
    ("第五条 申报企业近3个年度内未曾获得本区同类奖励。", 3),
    # an exclusion keeps the window when it turns into the requirement
    ("一、申报条件\n在宝安区注册的企业。\n二、不予支持情形\n（一）近两年内已获得本区同类资助的；", 2),
    ("一、申报条件\n在宝安区注册的企业，近4年已获得本项资助的企业不得重复申报。", 4),
]


@pytest.mark.parametrize(("text", "years"), WINDOWS)
def test_prior_award_window(text, years):
    reading = read_policy(text, "宝安区研发资助")
    wanted = row("approved_groups", "not_contains_any", ["@own"], within_years=years)
    assert wanted in reading.tree["all"]
    promises(reading)


def test_prior_award_without_a_window_is_ever():
    nodes = read_policy("一、申报条件\n此前未获得过本区同类奖励。", "宝安区").tree["all"]
    assert row("approved_groups", "not_contains_any", ["@own"]) in nodes


def test_prior_award_window_from_a_start_year_is_counted_from_today():
    reading = read_policy("一、申报条件\n自2022年1月1日起，未获得过本区同类资助。", "宝安区")
    (award,) = [n for n in reading.tree["all"] if n["field"] == "approved_groups"]
    exact = reference.years_since(date(2022, 1, 1), timeutil.today())
    assert exact <= award["within_years"] < exact + 0.01  # rounded up: no award since the start is missed
    assert "日后需更新" in why(reading, "自2022年1月1日起")


def test_a_window_for_something_else_is_not_the_awards():
    nodes = read_policy("一、申报条件\n近3年营业收入年均增长10%以上，且此前未获得本项资助。", "宝安区").tree[
        "all"
    ]
    assert row("approved_groups", "not_contains_any", ["@own"]) in nodes


# ---------------------------------------------------------------------------------------------------------------
# 5. places named once

THREE = [
    row("registered_district", "eq", "宝安区"),
    row("tax_district", "eq", "宝安区"),
    row("operating_district", "eq", "宝安区"),
]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("宝安区研发资助", "一、申报条件\n1.注册地、经营地、纳税地三地合一。\n二、资助标准\n奖励10万元。"),
        ("宝安区研发资助", "申报条件：企业须实现三地合一。"),
        (
            "关于研发资助的通知",
            "一、申报条件\n1.在宝安区注册的企业；\n2.注册地、实际经营地与纳税地“三地合一”。",
        ),
        ("关于研发资助的通知", "第二条 在宝安区注册，注册地、经营地、纳税地三地合一。"),
    ],
)
def test_three_in_one_takes_the_district_named_elsewhere(title, text):
    reading = read_policy(text, title)
    for want in THREE:
        assert want in reading.tree["all"]
    assert not why(reading, "三地合一")
    promises(reading)


def test_three_in_one_with_no_district_named_is_reported():
    reading = read_policy("一、申报条件\n1.注册地、经营地、纳税地三地合一。", "关于研发资助的通知")
    assert reading.tree["all"] == []
    assert why(reading, "三地合一")


def test_three_in_one_beside_a_city_wide_registration_is_reported():
    text = "一、申报条件\n1.在深圳市注册的企业；\n2.注册地、经营地、纳税地三地合一。"
    reading = read_policy(text, "关于研发资助的通知")
    assert not any(n.get("field") in ("tax_district", "operating_district") for n in reading.tree["all"])
    assert why(reading, "三地合一")


@pytest.mark.parametrize(
    "sentence",
    [
        "注册登记和税务关系均在本区。",
        "企业工商注册、税务关系均在本区。",
        "工商登记注册地、税务征管关系均在我区。",
    ],
)
def test_registration_and_tax_in_the_district(sentence):
    nodes = read_policy("一、申报条件\n" + sentence, "宝安区研发资助").tree["all"]
    assert nodes == [row("registered_district", "eq", "宝安区"), row("tax_district", "eq", "宝安区")]


def test_a_kind_of_place_no_field_holds_is_reported():
    reading = read_policy("一、申报条件\n工商注册地、税务登记地、统计关系均在本区。", "宝安区研发资助")
    assert reading.tree["all"] == [
        row("registered_district", "eq", "宝安区"),
        row("tax_district", "eq", "宝安区"),
    ]
    assert "统计关系" in why(reading, "统计关系")


def test_head_of_a_per_industry_list_binds_every_item():
    text = (
        "一、申报条件\n在宝安区注册的限额以上批发零售企业，其中：批发业企业上年度销售额不低于5亿元；"
        "零售业企业上年度销售额不低于5000万元。"
    )
    nodes = read_policy(text, "宝安区").tree["all"]
    assert row("qualifications", "contains_any", ["限额以上批发零售企业"]) in nodes
    assert {"any": RETAIL[:2]} in nodes


def test_a_stricter_subset_under_a_threshold_is_not_an_alternative():
    # "制造业…2000万元以上，其中汽车企业1亿元以上" narrows one case: read as alternatives it would admit firms of
    # other industries below the common line
    text = "一、申报条件\n制造业企业上年度营业收入2000万元以上，其中汽车制造企业1亿元以上。"
    nodes = read_policy(text, "宝安区").tree["all"]
    assert not any("any" in n for n in nodes)
    assert row("revenue_wan", "gte", 2000) in nodes


def test_bare_per_head_amount_counts_the_staff_the_passage_speaks_of():
    text = (
        "一、申报条件\n在龙华区注册，上年末参保职工20人以上的企业。\n二、补贴标准\n按每人2000元给予稳岗补贴，"
        "每家企业最高50万元。"
    )
    reading = read_policy(text, "龙华区稳岗补贴")
    assert reading.support == {"kind": "per_unit", "base": "employees", "amount_wan": 0.2, "cap_wan": 50}
    assert rules.support_amount(reading.support, {"employees": 30}) == Decimal("6.00")


def test_per_industry_growth_rates():
    nodes = read_policy(
        "一、申报条件\n对批发业企业营业收入增长10%以上、零售业企业增长15%以上的。", "宝安区"
    ).tree["all"]
    assert {
        "any": [
            branch(["F51"], row("revenue_growth", "gte", 0.1)),
            branch(["F52"], row("revenue_growth", "gte", 0.15)),
        ]
    } in nodes


def test_thresholds_not_told_apart_are_kept_and_reported():
    # 服务业 names no GB/T 4754 prefix: the two bounds stay together (nobody wrong is admitted) and are reported
    reading = read_policy(
        "一、申报条件\n工业企业营业收入增速不低于10%，服务业企业营业收入增速不低于15%。", "宝安区"
    )
    assert row("revenue_growth", "gte", 0.15) in reading.tree["all"]
    assert "多个门槛" in why(reading, "服务业企业")
