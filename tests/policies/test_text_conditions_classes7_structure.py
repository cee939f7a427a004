"""Structure classes of reader_real8: alternatives split by "；或" or opening with a kind of firm, tiers (award verbs,
the base after the tier lines, a base that is one side of an alternative, a 兑现程序 heading), a district that only
confers a title beside a place alternative, and conditions outside the 申报条件 heading (申报范围, 审核要点, a bound
in brackets inside a 申报材料 item, an office's name). Each in several wordings of our own."""

import pytest

from portal import conditions as rules
from portal.policies.text_conditions import read_policy


def row(field: str, op: str, value) -> dict:
    """One condition row."""
    return {"field": field, "op": op, "value": value}


def groups(tree: dict) -> list[list[list[dict]]]:
    """Every any group of the tree, each as its branches, each branch as its list of rows."""
    return [[b.get("all", [b]) for b in n["any"]] for n in tree["all"] if "any" in n]


def plain(tree: dict) -> list[dict]:
    """The rows of the tree outside its groups."""
    return [n for n in tree["all"] if "field" in n]


def promises(reading) -> None:
    """What every reading keeps: a valid tree."""
    assert not rules.validate(reading.tree)


def same(a: list[dict], b: list[dict]) -> bool:
    """Two lists of rows hold the same rows, in any order."""
    return sorted(map(repr, a)) == sorted(map(repr, b))


# ---------------------------------------------------------------------------------------------------------------
# 1. Alternatives: "A；或B" is one clause, the later side's bound is the complement; a side opening with a kind


SEMICOLON_OR = [
    (
        "申报条件：\n1. 在宝安区注册；\n2. 上年度营业收入5000万元以上；或营业收入5000万元以下但研发费用占营业收入比重"
        "不低于8%；\n3. 无失信记录。\n奖励标准：奖励20万元。",
        [[row("revenue_wan", "gte", 5000)], [row("revenue_wan", "lt", 5000), row("rd_ratio", "gte", 0.08)]],
    ),
    (
        "一、申请条件\n（一）注册地在南山区；\n（二）上一年度营业收入不低于2亿元；或者上一年度营业收入低于2亿元但研发费用"
        "不低于1000万元。\n二、资助标准\n资助50万元。",
        [
            [row("revenue_wan", "gte", 20000)],
            [row("revenue_wan", "lt", 20000), row("rd_expense_wan", "gte", 1000)],
        ],
    ),
    (
        "第五条 申请单位应当符合下列条件：\n（一）在龙岗区依法登记注册；\n（二）上年末从业人员100人以上；"
        "或从业人员100人以下但上年度纳税总额不低于300万元。\n第六条 给予一次性奖励10万元。",
        [[row("employees", "gte", 100)], [row("employees", "lt", 100), row("tax_paid_wan", "gte", 300)]],
    ),
    (
        "【申报条件】在福田区注册；上年度营业收入3亿元以上；或营业收入3亿元以下但上年度纳税总额1500万元以上。\n"
        "【支持标准】奖励30万元。",
        [
            [row("revenue_wan", "gte", 30000)],
            [row("revenue_wan", "lt", 30000), row("tax_paid_wan", "gte", 1500)],
        ],
    ),
]


@pytest.mark.parametrize("text,expected", SEMICOLON_OR)
def test_semicolon_or_is_one_alternative(text, expected):
    reading = read_policy(text)
    promises(reading)
    got = groups(reading.tree)
    assert any(
        len(g) == len(expected) and all(same(x, y) for x, y in zip(g, expected, strict=True)) for g in got
    ), got
    # neither side's rows stand alone as requirements
    assert not any(r in plain(reading.tree) for side in expected for r in side)


SIDE_KIND = [
    (
        "申请条件：注册地在光明区；上年度营业收入达到5亿元，或是国家高新技术企业同时上年度营业收入达到1亿元。\n"
        "支持标准：奖励80万元。",
        row("qualifications", "contains_any", ["国家高新技术企业"]),
        row("revenue_wan", "gte", 50000),
        row("revenue_wan", "gte", 10000),
    ),
    (
        "申报条件：在龙华区注册；上年度营业收入不低于3亿元，或属于专精特新中小企业且上年度营业收入不低于3000万元。\n"
        "奖励标准：奖励50万元。",
        row("qualifications", "contains_any", ["专精特新中小企业"]),
        row("revenue_wan", "gte", 30000),
        row("revenue_wan", "gte", 3000),
    ),
    (
        "一、申报条件\n在坪山区注册，上一年度纳税总额不低于1000万元，或为国家高新技术企业并且上一年度纳税总额不低于"
        "200万元。\n二、奖励标准\n奖励20万元。",
        row("qualifications", "contains_any", ["国家高新技术企业"]),
        row("tax_paid_wan", "gte", 1000),
        row("tax_paid_wan", "gte", 200),
    ),
    (
        "申请条件：注册地在光明区；上年度营业收入达到5亿元，或为国家高新技术企业同时上年度营业收入达到1亿元。\n"
        "支持标准：奖励80万元。",
        row("qualifications", "contains_any", ["国家高新技术企业"]),
        row("revenue_wan", "gte", 50000),
        row("revenue_wan", "gte", 10000),
    ),
]


@pytest.mark.parametrize("text,kind,first,second", SIDE_KIND)
def test_a_later_side_keeps_its_own_kind(text, kind, first, second):
    reading = read_policy(text)
    promises(reading)
    assert kind not in plain(reading.tree)
    got = groups(reading.tree)
    assert any(len(g) == 2 and same(g[0], [first]) and same(g[1], [kind, second]) for g in got), got


def test_a_shared_kind_before_the_alternative_stays_common():
    """ "国家高新技术企业，营业收入1亿元以上或纳税500万元以上": the kind comes first and binds both sides."""
    reading = read_policy(
        "申报条件：在宝安区注册的国家高新技术企业，上年度营业收入1亿元以上或上年度纳税总额500万元以上。\n奖励10万元。"
    )
    promises(reading)
    assert row("qualifications", "contains_any", ["国家高新技术企业"]) in plain(reading.tree)


def test_semicolon_without_or_still_splits():
    reading = read_policy(
        "申报条件：\n1. 上年度营业收入5000万元以上；\n2. 上年度研发费用不低于300万元。\n奖励标准：奖励10万元。"
    )
    promises(reading)
    assert row("revenue_wan", "gte", 5000) in plain(reading.tree)
    assert row("rd_expense_wan", "gte", 300) in plain(reading.tree)
    assert not groups(reading.tree)


# ---------------------------------------------------------------------------------------------------------------
# 2. Tiers: 补助 as the award verb, a later place line names no base, a base already one side of an alternative,
# a 兑现程序 heading is procedure


TIERS = [
    (
        "第三条 支持对象为在龙岗区注册的国家高新技术企业。\n第四条 按上年度研发费用分档补助：研发费用300万元以上"
        "不足800万元的，补助10万元；800万元以上不足2000万元的，补助30万元；2000万元以上的，补助60万元。",
        "rd_expense_wan",
        [(300, 10), (800, 30), (2000, 60)],
    ),
    (
        "各有关企业：\n对上年度营业收入增长15%以上的规模以上工业企业给予奖励：\n1. 营业收入5亿元（含）以上不足20亿元的，"
        "奖励20万元；\n2. 营业收入20亿元（含）以上的，奖励60万元。\n企业须在宝安区注册、纳税。",
        "revenue_wan",
        [(50000, 20), (200000, 60)],
    ),
    (
        "一、兑现条件\n在南山区注册的工业企业，2025年度营业收入首次达到2亿元、10亿元、50亿元的，分别给予30万元、"
        "60万元、120万元奖励。\n二、兑现程序\n企业申报—区工信局审核—区财政局拨付。\n三、兑现材料\n审计报告。",
        "revenue_wan",
        [(20000, 30), (100000, 60), (500000, 120)],
    ),
    (
        "一、补助条件\n在坪山区注册并纳税的企业。\n二、补助标准\n上年度纳税总额200万元以上不足500万元的，补助5万元；"
        "500万元以上的，补助15万元。\n三、兑现流程\n税务数据比对后直接拨付，纳税地须在坪山区。",
        "tax_paid_wan",
        [(200, 5), (500, 15)],
    ),
    (
        "第二条 在光明区注册的企业，上年度研发费用1000万元以上不足5000万元的，补助50万元；5000万元以上的，"
        "补助100万元。\n第三条 企业应在光明区依法纳税。",
        "rd_expense_wan",
        [(1000, 50), (5000, 100)],
    ),
]


@pytest.mark.parametrize("text,base,tiers", TIERS)
def test_tiers_are_the_support_rule_and_the_lowest_is_the_condition(text, base, tiers):
    reading = read_policy(text)
    promises(reading)
    assert reading.support == {
        "kind": "tiers",
        "base": base,
        "tiers": [{"gte": g, "amount_wan": w} for g, w in tiers],
    }
    on_base = [r for r in plain(reading.tree) if r["field"] == base]
    assert on_base == [row(base, "gte", tiers[0][0])]


TIER_ON_A_SIDE = [
    "第六条 申请本章扶持的，应当同时符合下列条件：\n（一）注册地在福田区；\n（二）上年度营业收入不低于10亿元，"
    "或上年度纳税总额不低于3000万元。\n第七条 按上年度纳税总额分档奖励：纳税总额3000万元以上的，奖励100万元；"
    "1亿元以上的，奖励300万元。",
    "申报条件：在罗湖区注册；上年度纳税总额不低于500万元或上年度营业收入不低于2亿元。\n奖励标准：按上年度营业收入"
    "分档奖励：营业收入2亿元以上的，奖励20万元；5亿元以上的，奖励50万元。",
]


@pytest.mark.parametrize("text", TIER_ON_A_SIDE)
def test_a_tier_base_on_one_side_of_an_alternative_adds_no_floor(text):
    reading = read_policy(text)
    promises(reading)
    assert reading.support and reading.support["kind"] == "tiers"
    base = reading.support["base"]
    assert not [r for r in plain(reading.tree) if r["field"] == base]
    assert any(any(r["field"] == base for side in g for r in side) for g in groups(reading.tree))


# ---------------------------------------------------------------------------------------------------------------
# 3. Places beside alternatives: a district that confers a title says nothing of where the firm is


CONFERRED = [
    (
        "申报条件：\n（一）工商注册地或税务登记地在南山区；\n（二）经认定为南山区总部企业。\n奖励标准：奖励100万元。",
        "南山区",
    ),
    (
        "一、申报条件\n1. 注册地或纳税地在龙岗区；\n2. 已被评为龙岗区总部企业。\n二、奖励标准\n奖励50万元。",
        "龙岗区",
    ),
    (
        "申请条件：注册地或者纳税地在宝安区；获评宝安区总部企业。\n支持标准：奖励80万元。",
        "宝安区",
    ),
    (
        "第五条 申请人应符合下列条件：\n（一）注册地或税务登记地在光明区；\n（二）入选光明区总部企业名单。\n"
        "第六条 一次性奖励30万元。",
        "光明区",
    ),
    (
        "申报条件：工商注册地或者纳税地在罗湖区，且已确认为罗湖区总部企业。\n奖励标准：奖励60万元。",
        "罗湖区",
    ),
    (
        "【申报条件】注册地或纳税地在福田区；已列为福田区总部企业。\n【奖励标准】奖励200万元。",
        "福田区",
    ),
]


@pytest.mark.parametrize("text,district", CONFERRED)
def test_a_district_conferring_a_title_is_no_place_row(text, district):
    reading = read_policy(text)
    promises(reading)
    assert row("registered_district", "eq", district) not in plain(reading.tree)
    assert row("qualifications", "contains_any", ["总部企业"]) in plain(reading.tree)
    assert any(
        any(r == row("registered_district", "eq", district) for side in g for r in side)
        for g in groups(reading.tree)
    )


def test_a_firm_of_a_district_is_still_placed():
    """ "宝安区跨境电商企业" is a firm in 宝安: the guard is for a conferred title only."""
    reading = read_policy("申报条件：宝安区跨境电商企业，上年度营业收入不低于500万元。\n奖励5万元。")
    promises(reading)
    assert row("registered_district", "eq", "宝安区") in plain(reading.tree)


# ---------------------------------------------------------------------------------------------------------------
# 4. Outside the 申报条件 heading: 申报范围 names the applicants, 审核要点 binds when no 申报条件 heading is there,
# a bracketed bound inside a material, an office's name is no industry


SCOPE = [
    (
        "一、申报范围\n国民经济行业分类属于C门类（制造业）的企业。\n二、申报条件\n在龙岗区注册；上年度纳税总额不低于100万元。\n"
        "三、奖励标准\n奖励10万元。",
        row("industry_code", "prefix_in", ["C"]),
    ),
    (
        "一、申请范围\n从事软件和信息技术服务业的企业。\n二、申请条件\n在南山区注册，上年度营业收入不低于2000万元。\n"
        "三、资助标准\n资助20万元。",
        row("industry_code", "prefix_in", ["I65"]),
    ),
    (
        "（一）扶持范围\n属于F51大类（批发业）的企业。\n（二）申报条件\n注册地在罗湖区；上年度营业收入增速不低于10%。\n"
        "（三）奖励标准\n奖励15万元。",
        row("industry_code", "prefix_in", ["F51"]),
    ),
]


@pytest.mark.parametrize("text,expected", SCOPE)
def test_a_scope_heading_names_the_applicants(text, expected):
    reading = read_policy(text)
    promises(reading)
    assert expected in plain(reading.tree)


REVIEW_POINTS = [
    (
        "一、申报对象\n在宝安区注册的企业。\n二、申报材料\n申报表。\n三、审核要点\n区科技局重点审核企业从业人员是否达到"
        "50人以上。\n四、奖励标准\n奖励10万元。",
        row("employees", "gte", 50),
    ),
    (
        "一、支持对象\n在光明区注册的科技型中小企业。\n二、审核重点\n区工业和信息化局核查上年度营业收入是否不低于1000万元。\n"
        "三、支持标准\n奖励8万元。",
        row("revenue_wan", "gte", 1000),
    ),
]


@pytest.mark.parametrize("text,expected", REVIEW_POINTS)
def test_review_points_bind_without_a_conditions_heading(text, expected):
    reading = read_policy(text)
    promises(reading)
    assert expected in plain(reading.tree)
    assert not any(r["field"] == "industry_code" for r in plain(reading.tree))


MATERIAL_BOUNDS = [
    (
        "一、申报对象\n在坪山区注册的企业。\n二、申报材料\n1. 申报表；\n2. 2025年度审计报告（营业收入须达到3000万元以上）；\n"
        "三、奖励标准\n奖励10万元。",
        row("revenue_wan", "gte", 3000),
    ),
    (
        "申报条件：在龙华区注册。\n申报材料：\n（一）社保缴纳证明（参保人数应不少于20人）；\n（二）营业执照。\n奖励5万元。",
        row("employees", "gte", 20),
    ),
    (
        "一、申请条件\n在福田区注册的企业。\n二、申请材料\n1. 纳税证明（上年度纳税总额须不低于100万元）。\n三、支持标准\n"
        "奖励10万元。",
        row("tax_paid_wan", "gte", 100),
    ),
]


@pytest.mark.parametrize("text,expected", MATERIAL_BOUNDS)
def test_a_bound_in_brackets_inside_a_material_is_a_requirement(text, expected):
    reading = read_policy(text)
    promises(reading)
    assert expected in plain(reading.tree)


def test_a_material_without_a_bound_adds_nothing():
    reading = read_policy(
        "申报条件：在南山区注册的企业。\n申报材料：\n1. 审计报告（复印件加盖公章）；\n2. 营业执照（副本）。\n奖励5万元。"
    )
    promises(reading)
    assert plain(reading.tree) == [row("registered_district", "eq", "南山区")]


@pytest.mark.parametrize(
    "office",
    ["区大数据局", "市大数据管理局", "区数据服务局", "区文化广电旅游体育局"],
)
def test_an_office_name_is_no_industry(office):
    reading = read_policy(
        f"一、申报对象\n在龙岗区注册的企业。\n二、审核要点\n由{office}审核企业上年度营业收入是否达到500万元以上。\n"
        "三、奖励标准\n奖励5万元。"
    )
    promises(reading)
    assert not any(r["field"] == "industry_code" for r in plain(reading.tree))
    assert row("revenue_wan", "gte", 500) in plain(reading.tree)


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "【申报条件】注册地在坪山区。\n【奖励标准】奖励10万元。",
            row("registered_district", "eq", "坪山区"),
        ),
        ("【申请条件】营业收入1亿元以上。\n【支持标准】奖励20万元。", row("revenue_wan", "gte", 10000)),
        ("【受理条件】从业人员50人以上。\n【资助标准】资助5万元。", row("employees", "gte", 50)),
    ],
)
def test_a_short_condition_on_a_bracketed_heading_line_is_read(text, expected):
    """ "【申报条件】注册地在坪山区": the bracketed title is whole; the short text after it is the condition."""
    reading = read_policy(text)
    promises(reading)
    assert expected in plain(reading.tree)


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "序号2：商贸企业贡献奖励\n适用对象：注册在福田区的限额以上批发零售企业。\n兑现标准：奖励10万元。",
            [
                row("registered_district", "eq", "福田区"),
                row("qualifications", "contains_any", ["限额以上批发零售企业"]),
            ],
        ),
        (
            "事项名称：软件企业成长奖励\n申报条件：在南山区注册，上年度营业收入不低于5000万元。\n奖励标准：奖励20万元。",
            [row("registered_district", "eq", "南山区"), row("revenue_wan", "gte", 5000)],
        ),
        (
            "项目3：物流企业运力补贴\n适用对象：在宝安区注册的企业，上年度营业收入不低于1亿元。\n补贴标准：补贴30万元。",
            [row("registered_district", "eq", "宝安区"), row("revenue_wan", "gte", 10000)],
        ),
    ],
)
def test_an_item_name_ending_on_its_award_is_no_industry(text, expected):
    """ "序号2：商贸企业贡献奖励" names the item; whom it is for is said under it."""
    reading = read_policy(text)
    promises(reading)
    assert same(plain(reading.tree), expected)


def test_an_industry_before_the_award_verb_in_prose_is_still_read():
    reading = read_policy(
        "申报条件：在龙岗区注册的软件企业，上年度营业收入不低于1000万元。\n奖励标准：奖励10万元。"
    )
    promises(reading)
    assert any(r["field"] == "industry_code" for r in plain(reading.tree))
