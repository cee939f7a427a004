"""Structure classes of reader_real6: items as alternatives, tiers, conditions outside the 申报条件 heading and
vocabulary (growth, R&D share, listed codes, per-head awards), each in several wordings of our own."""

import pytest

from portal import conditions as rules
from portal.policies.text_conditions import read_policy, read_support


def row(field: str, op: str, value) -> dict:
    """One condition row."""
    return {"field": field, "op": op, "value": value}


def branches(tree: dict) -> list[list[dict]]:
    """The branches of the tree's one any group, each as its list of rows ([] when there is no group)."""
    group = next((n["any"] for n in tree["all"] if "any" in n), [])
    return [b.get("all", [b]) for b in group]


def plain(tree: dict) -> list[dict]:
    """The rows of the tree outside its groups."""
    return [n for n in tree["all"] if "field" in n]


def promises(reading) -> None:
    """What every reading keeps: a valid tree, no contradiction left in it."""
    assert not rules.validate(reading.tree)


# ---------------------------------------------------------------------------------------------------------------
# 1. 申报事项 / 类别 / numbered award titles, each with its own requirements: any of all


ITEMS = [
    (
        "申报事项一：高新技术企业培育奖励\n申报条件：新认定的国家高新技术企业，上年度研发费用不低于200万元。\n"
        "支持标准：奖励15万元。\n申报事项二：创新型中小企业奖励\n申报条件：当年认定的创新型中小企业，"
        "上年度营业收入不低于3000万元。\n支持标准：奖励5万元。\n共同条件：在龙岗区注册。",
        [
            [row("qualifications", "contains_any", ["国家高新技术企业"]), row("rd_expense_wan", "gte", 200)],
            [row("qualifications", "contains_any", ["创新型中小企业"]), row("revenue_wan", "gte", 3000)],
        ],
        [row("registered_district", "eq", "龙岗区")],
    ),
    (
        "一、国家高新技术企业认定奖励\n（一）申报条件：在坪山区注册，首次通过国家高新技术企业认定。\n"
        "（二）奖励标准：奖励20万元。\n二、制造业单项冠军奖励\n（一）申报条件：在坪山区注册，上年度营业收入"
        "5亿元以上的制造业单项冠军企业。\n（二）奖励标准：奖励100万元。",
        [
            [row("qualifications", "contains_any", ["国家高新技术企业"])],
            [row("qualifications", "contains_any", ["制造业单项冠军企业"]), row("revenue_wan", "gte", 50000)],
        ],
        [row("registered_district", "eq", "坪山区")],
    ),
    (
        "申报类别一：规模成长奖励\n适用企业：上年度营业收入1亿元以上，且同比增长20%以上。\n"
        "申报类别二：研发投入奖励\n适用企业：上年度研发费用不低于1000万元。\n三、共同要求\n注册地在福田区，信用状况良好。",
        [
            [row("revenue_wan", "gte", 10000), row("revenue_growth", "gte", 0.2)],
            [row("rd_expense_wan", "gte", 1000)],
        ],
        [row("registered_district", "eq", "福田区"), row("credit_ok", "eq", True)],
    ),
    (
        "第一类：科技型中小企业。上年度研发费用不低于100万元。\n第二类：国家高新技术企业。上年度研发费用不低于500万元。\n"
        "以上两类企业均须在南山区注册。",
        [
            [row("qualifications", "contains_any", ["科技型中小企业"]), row("rd_expense_wan", "gte", 100)],
            [row("qualifications", "contains_any", ["国家高新技术企业"]), row("rd_expense_wan", "gte", 500)],
        ],
        [row("registered_district", "eq", "南山区")],
    ),
    (
        "一、支持对象\n在光明区注册的企业。\n二、申报事项\n事项1：营业收入增长奖励，上年度营业收入增长30%以上。\n"
        "事项2：纳税贡献奖励，上年度纳税总额1000万元以上。\n三、支持标准\n符合条件的给予一次性奖励。",
        [[row("revenue_growth", "gte", 0.3)], [row("tax_paid_wan", "gte", 1000)]],
        [row("registered_district", "eq", "光明区")],
    ),
    (
        "一、申报条件\n在罗湖区注册，信用良好。\n二、支持内容\n（一）国家高新技术企业奖励\n申报条件：新认定的国家高新技术企业。\n"
        "奖励标准：20万元。\n（二）小巨人企业奖励\n申报条件：新认定的国家级专精特新“小巨人”企业，上年度营业收入1亿元以上。\n"
        "奖励标准：50万元。",
        [
            [row("qualifications", "contains_any", ["国家高新技术企业"])],
            [
                row("qualifications", "contains_any", ['专精特新"小巨人"企业']),
                row("revenue_wan", "gte", 10000),
            ],
        ],
        [row("registered_district", "eq", "罗湖区"), row("credit_ok", "eq", True)],
    ),
    (
        "【项目一】上市挂牌奖励：申报企业须为上市企业，奖励100万元。\n【项目二】知识产权奖励：申报企业须为国家知识产权"
        "优势企业，上年度研发费用300万元以上，奖励10万元。\n基本条件：在宝安区注册。",
        [
            [row("qualifications", "contains_any", ["上市企业"])],
            [row("qualifications", "contains_any", ["知识产权优势企业"]), row("rd_expense_wan", "gte", 300)],
        ],
        [row("registered_district", "eq", "宝安区")],
    ),
    (
        "一、申报类别\nA类：上年度研发费用1000万元以上的国家高新技术企业。\nB类：上年度研发费用200万元以上的科技型中小企业。\n"
        "二、共同条件\n在盐田区注册。\n三、奖励标准\nA类奖励50万元，B类奖励10万元。",
        [
            [row("qualifications", "contains_any", ["国家高新技术企业"]), row("rd_expense_wan", "gte", 1000)],
            [row("qualifications", "contains_any", ["科技型中小企业"]), row("rd_expense_wan", "gte", 200)],
        ],
        [row("registered_district", "eq", "盐田区")],
    ),
]


@pytest.mark.parametrize(("text", "alternatives", "common"), ITEMS)
def test_items_with_their_own_requirements_are_alternatives(text, alternatives, common):
    """Each 申报事项 states its own requirements: one item's or another's, never all of them together."""
    reading = read_policy(text, "测试")
    promises(reading)
    got = branches(reading.tree)
    assert sorted(map(repr, got)) == sorted(map(repr, alternatives))
    assert sorted(map(repr, plain(reading.tree))) == sorted(map(repr, common))


def test_an_item_whose_requirements_cannot_be_read_leaves_the_others_unrequired():
    """One item asks what no row can say: the other item's requirement is reported, not required of everyone."""
    text = (
        "项目一：上市培育奖励。申报企业须已在深圳证监局辅导备案，奖励100万元。\n"
        "项目二：专利奖励。申报企业须为国家知识产权优势企业，奖励10万元。\n基本条件：在宝安区注册。"
    )
    reading = read_policy(text, "测试")
    assert reading.tree["all"] == [row("registered_district", "eq", "宝安区")]
    assert any("事项" in u[3] and "知识产权优势企业" in u[0] for u in reading.unread_spans)


@pytest.mark.parametrize(
    "text",
    [
        "一、申报条件\n在南山区注册的企业。\n二、支持内容\n| 项目 | 支持条件 | 支持标准 |\n"
        "| 规模奖励 | 上年度营业收入1亿元以上 | 50万元 |\n| 研发奖励 | 上年度研发费用1000万元以上 | 30万元 |",
        "支持对象：在南山区注册的企业。\n| 奖项 | 申报条件 | 金额 |\n| 规模奖 | 上年度营业收入1亿元以上 | 50万元 |\n"
        "| 研发奖 | 上年度研发费用1000万元以上 | 30万元 |",
        "一、申报条件\n在南山区注册的企业。\n二、奖励标准\n（一）上年度营业收入1亿元以上的，奖励50万元；\n"
        "（二）上年度研发费用1000万元以上的，奖励30万元。",
        "第二条 对在南山区注册、上年度营业收入1亿元以上的企业，奖励50万元。\n"
        "第三条 对在南山区注册、上年度研发费用1000万元以上的企业，奖励30万元。",
    ],
)
def test_awards_told_apart_by_their_figures_are_alternatives(text):
    """Rows (or sentences) each paying its own award for its own figure: any of them, the place binds all."""
    reading = read_policy(text, "测试")
    promises(reading)
    assert sorted(map(repr, branches(reading.tree))) == sorted(
        map(repr, [[row("revenue_wan", "gte", 10000)], [row("rd_expense_wan", "gte", 1000)]])
    )
    assert plain(reading.tree) == [row("registered_district", "eq", "南山区")]


@pytest.mark.parametrize(
    "text",
    [
        "一、申报条件\n（一）在南山区注册；\n（二）为国家高新技术企业；\n（三）上年度研发费用500万元以上。\n二、支持标准\n奖励20万元。",
        "类别一：营业收入1亿元以上的企业，奖励50万元。\n类别二：营业收入5亿元以上的企业，奖励100万元。",
    ],
)
def test_a_list_of_requirements_or_tiers_is_no_set_of_items(text):
    """A numbered list of requirements stays a conjunction; items differing only by one threshold are tiers."""
    assert branches(read_policy(text, "测试").tree) == []


# ---------------------------------------------------------------------------------------------------------------
# 2. tiers in any wording: the lowest tier is the condition, the tiers are the support rule

TIERS = [
    (
        "一、申报条件\n在宝安区注册的企业。\n二、奖励标准\n上年度营业收入达到5000万、1亿、5亿元的，分别给予10万元、30万元、"
        "80万元奖励。",
        "revenue_wan",
        [(5000, 10), (10000, 30), (50000, 80)],
    ),
    (
        "支持对象：在南山区注册的企业。\n支持内容：\n| 档次 | 上年度营业收入 | 奖励金额 |\n| 一档 | 5000万元（含）至1亿元 | 20万元 |\n"
        "| 二档 | 1亿元（含）至5亿元 | 50万元 |\n| 三档 | 5亿元（含）以上 | 100万元 |",
        "revenue_wan",
        [(5000, 20), (10000, 50), (50000, 100)],
    ),
    (
        "一、申报条件\n在龙华区注册的企业。\n二、奖励标准\n按上年度纳税总额分档奖励：纳税总额300万元（含）至800万元之间的，"
        "奖励10万元；800万元（含）至2000万元之间的，奖励25万元；2000万元（含）以上的，奖励60万元。",
        "tax_paid_wan",
        [(300, 10), (800, 25), (2000, 60)],
    ),
    (
        "二、奖励标准\n企业上年度研发费用500万元以上的奖励20万元，1000万元以上的奖励50万元，3000万元以上的奖励100万元。",
        "rd_expense_wan",
        [(500, 20), (1000, 50), (3000, 100)],
    ),
    (
        "四、奖励标准\n实行阶梯奖励，上年度纳税总额分三档：1000万元至3000万元（不含）的奖励30万元，3000万元至1亿元（不含）的"
        "奖励80万元，1亿元以上的奖励150万元。",
        "tax_paid_wan",
        [(1000, 30), (3000, 80), (10000, 150)],
    ),
    (
        "二、支持标准\n| 序号 | 从业人员规模 | 补贴 |\n| 1 | 100人（含）至300人 | 5万元 |\n| 2 | 300人（含）以上 | 15万元 |",
        "employees",
        [(100, 5), (300, 15)],
    ),
    (
        "二、奖励标准\n对上年度纳税额达到2000万、5000万、1亿元的企业，分别奖励40万元、100万元、200万元。",
        "tax_paid_wan",
        [(2000, 40), (5000, 100), (10000, 200)],
    ),
    (
        "问：奖励标准是多少？\n答：上年度纳税额800万元（含）以上不足2000万元的，奖励20万元；2000万元（含）以上不足1亿元的，"
        "奖励50万元；1亿元（含）以上的，奖励100万元。",
        "tax_paid_wan",
        [(800, 20), (2000, 50), (10000, 100)],
    ),
    (
        "二、奖励标准\n根据企业上年度营业收入规模分档给予奖励：\n1.营业收入2亿元（含）至5亿元，奖励30万元；\n"
        "2.营业收入5亿元（含）至10亿元，奖励60万元；\n3.营业收入10亿元（含）以上，奖励100万元。",
        "revenue_wan",
        [(20000, 30), (50000, 60), (100000, 100)],
    ),
    (
        "二、奖励标准\n上年度营业收入5000万元以上、1亿元以下的，奖励10万元；1亿元以上的，奖励30万元。",
        "revenue_wan",
        [(5000, 10), (10000, 30)],
    ),
]


@pytest.mark.parametrize(("text", "base", "tiers"), TIERS)
def test_tiers_in_any_wording(text, base, tiers):
    """Tiers read as a tiers rule on their base, and the lowest tier as the one condition on it."""
    reading = read_policy(text, "测试")
    promises(reading)
    assert reading.support == {
        "kind": "tiers",
        "base": base,
        "tiers": [{"gte": g, "amount_wan": w} for g, w in tiers],
    }
    on_base = [n for n in reading.tree["all"] if n.get("field") == base]
    assert on_base == [row(base, "gte", tiers[0][0])]


# ---------------------------------------------------------------------------------------------------------------
# 3. first crossings in every wording, the year before said outright


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "上年度营业收入首次达到3000万元（前一年度不足3000万元）的企业",
            [row("revenue_wan", "gte", 3000), row("revenue_wan_prev", "lt", 3000)],
        ),
        (
            "上年度营业收入首次超过5亿元（前一年度不足5亿元）的企业",
            [row("revenue_wan", "gte", 50000), row("revenue_wan_prev", "lt", 50000)],
        ),
        (
            "2025年度营业收入达到1亿元，且2024年度营业收入低于1亿元的企业",
            [row("revenue_wan", "gte", 10000), row("revenue_wan_prev", "lt", 10000)],
        ),
        (
            "上年度营业收入首次突破8000万元，前一年度营业收入低于8000万元",
            [row("revenue_wan", "gte", 8000), row("revenue_wan_prev", "lt", 8000)],
        ),
        (
            "企业上年度营业收入达到2亿元以上，上上年度营业收入不足2亿元",
            [row("revenue_wan", "gte", 20000), row("revenue_wan_prev", "lt", 20000)],
        ),
        (
            "营业收入首次迈上10亿元台阶（上一年度未达到10亿元）的企业",
            [row("revenue_wan", "gte", 100000), row("revenue_wan_prev", "lt", 100000)],
        ),
        (
            "上年度营业收入5000万元以上，前年营业收入不超过3000万元",
            [row("revenue_wan", "gte", 5000), row("revenue_wan_prev", "lte", 3000)],
        ),
        (
            "上年度营业收入由不足1亿元增长至1亿元以上的企业",
            [row("revenue_wan", "gte", 10000), row("revenue_wan_prev", "lt", 10000)],
        ),
        (
            "企业营收由低于3000万元跃升至3000万元以上",
            [row("revenue_wan", "gte", 3000), row("revenue_wan_prev", "lt", 3000)],
        ),
    ],
)
def test_first_crossing_with_the_year_before_said(clause, expected):
    """The year before's revenue said outright is revenue_wan_prev, never a second bound on this year's."""
    reading = read_policy("一、申报条件\n" + clause + "。", "测试")
    promises(reading)
    assert sorted(map(repr, reading.tree["all"])) == sorted(map(repr, expected))


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("申报前一年度营业收入不足5000万元的企业", [row("revenue_wan", "lt", 5000)]),
        (
            "上年度营业收入首次超过1亿元的企业",
            [row("revenue_wan", "gt", 10000), row("revenue_wan_prev", "lte", 10000)],
        ),
    ],
)
def test_the_latest_year_stays_the_latest(clause, expected):
    """ "申报前一年度" is the latest year; a first crossing without an aside keeps its own comparison."""
    assert read_policy("一、申报条件\n" + clause + "。", "测试").tree["all"] == expected


# ---------------------------------------------------------------------------------------------------------------
# 4. conditions outside the 申报条件 heading: notes, award conditions, table rows


OUTSIDE = [
    (
        "一、申报条件\n在福田区注册的企业。\n二、奖励标准\n奖励20万元。\n注：申报企业上年末从业人员须不少于30人。",
        row("employees", "gte", 30),
    ),
    (
        "一、申报条件\n在南山区注册的企业。\n二、支持标准\n给予一次性奖励10万元。\n备注：申报单位上年度研发费用应不低于200万元。",
        row("rd_expense_wan", "gte", 200),
    ),
    (
        "一、支持对象\n在南山区注册的企业。\n二、支持标准\n奖励10万元。\n说明：申报主体成立时间应满2年。",
        row("years_since_founded", "gte", 2),
    ),
    (
        "一、申报条件\n在福田区注册的企业。\n二、支持标准\n对上年度营业收入达到1亿元的企业给予50万元奖励。",
        row("revenue_wan", "gte", 10000),
    ),
    (
        "申报对象：在罗湖区注册的商贸企业。\n支持内容：\n| 项目 | 支持条件 | 支持标准 |\n| 首次上规奖励 | 上年度营业收入"
        "首次达到2000万元 | 10万元 |",
        row("revenue_wan", "gte", 2000),
    ),
    (
        "一、支持对象\n在龙岗区注册的工业企业。\n二、支持内容\n| 序号 | 支持事项 | 申报条件 | 支持金额 |\n"
        "| 1 | 技术改造 | 上年度营业收入5000万元以上 | 最高100万元 |",
        row("revenue_wan", "gte", 5000),
    ),
]


@pytest.mark.parametrize(("text", "expected"), OUTSIDE)
def test_conditions_outside_the_heading(text, expected):
    """A requirement in a note under the award, in the award's own sentence or in a table row is read."""
    reading = read_policy(text, "测试")
    promises(reading)
    assert expected in reading.tree["all"]


def test_a_tables_name_column_is_only_a_name():
    """Beside a 支持条件 column, the item's name (首次上规奖励) asks for no title of its own."""
    text = (
        "申报对象：在福田区注册的制造业企业。\n支持内容：\n| 项目 | 支持条件 | 支持标准 |\n"
        "| 首次上规奖励 | 上年度营业收入首次达到2000万元（前一年度不足2000万元） | 10万元 |"
    )
    rows = read_policy(text, "测试").tree["all"]
    assert not any(r.get("field") == "qualifications" for r in rows)
    assert row("revenue_wan_prev", "lt", 2000) in rows


def test_what_a_firm_must_do_once_paid_is_no_requirement():
    """ "获得奖励后须在本区经营满5年" binds the future; it is not the firm's age."""
    text = "一、申报条件\n在南山区注册的企业。\n二、支持标准\n给予一次性奖励10万元。申报企业获得奖励后须在本区持续经营满5年。"
    assert read_policy(text, "测试").tree["all"] == [row("registered_district", "eq", "南山区")]


# ---------------------------------------------------------------------------------------------------------------
# 5. vocabulary: growth and R&D share said after their figure, codes listed in any way


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("上年度营业收入3000万元以上且增长率不低于15%", row("revenue_growth", "gte", 0.15)),
        ("上年度营业收入达到5000万元，增速不低于10%", row("revenue_growth", "gte", 0.1)),
        ("企业上年度营业收入不低于3000万元，较上年增长不低于10%", row("revenue_growth", "gte", 0.1)),
        ("上年度主营业务收入超过2亿元、增幅达到12%以上", row("revenue_growth", "gte", 0.12)),
        ("上年度营业收入1亿元以上，同比增长25%以上", row("revenue_growth", "gte", 0.25)),
        ("上年度纳税总额500万元以上且同比增长15%以上", row("tax_paid_growth", "gte", 0.15)),
    ],
)
def test_growth_said_after_its_figure(clause, expected):
    """A growth whose subject is left out is the growth of the figure named just before it."""
    rows = read_policy("一、申报条件\n" + clause + "。", "测试").tree["all"]
    assert expected in rows


def test_growth_after_a_figure_without_growth_field_is_not_revenue_growth():
    """ "研发费用300万元以上且增长20%" is no revenue growth, even after a revenue figure."""
    rows = read_policy(
        "一、申报条件\n上年度营业收入2000万元以上，研发费用300万元以上且增长20%以上。", "测试"
    ).tree["all"]
    assert not any(r["field"] in ("revenue_growth", "tax_paid_growth") for r in rows)


@pytest.mark.parametrize(
    "clause",
    [
        "上年度研发投入不低于1000万元且占营业收入比重不低于5%",
        "研发费用500万元以上，占销售收入的比例达到5%以上",
        "研发投入占营业收入比重不低于5%",
        "上年度研发经费支出800万元以上，并占主营业务收入比例不低于5%",
    ],
)
def test_rd_share_said_after_its_figure(clause):
    """The share of revenue said after the R&D figure is rd_ratio."""
    rows = read_policy("一、申报条件\n" + clause + "。", "测试").tree["all"]
    assert row("rd_ratio", "gte", 0.05) in rows


@pytest.mark.parametrize(
    ("clause", "codes"),
    [
        (
            "属于制造业（C门类）中的汽车制造业（C36）或铁路、船舶、航空航天和其他运输设备制造业（C37）的企业",
            ["C36", "C37"],
        ),
        ("申报企业所属行业为C34、C35", ["C34", "C35"]),
        ("所属行业代码为C26/C27的企业", ["C26", "C27"]),
        ("行业代码属于C门类、I65大类的企业", ["C", "I65"]),
        ("所属行业为I64、I65、I651的企业", ["I64", "I65"]),
        ("行业门类为C（制造业）中的C34、C35大类企业", ["C34", "C35"]),
        ("国民经济行业分类中的C39和C40", ["C39", "C40"]),
        ("所属行业为C34至C36大类的企业", ["C34", "C35", "C36"]),
        ("行业代码属于I、M门类的企业", ["I", "M"]),
        ("国民经济行业分类代码为C3911-C3913的企业", ["C3911", "C3912", "C3913"]),
    ],
)
def test_listed_codes_are_all_kept(clause, codes):
    """Codes listed with 、 / 或 / 和 are all kept; a 门类 named as their context is not a second class."""
    rows = read_policy("一、申报条件\n" + clause + "。", "测试").tree["all"]
    industry = [r for r in rows if r["field"] == "industry_code"]
    assert industry == [row("industry_code", "prefix_in", codes)]


# ---------------------------------------------------------------------------------------------------------------
# 6. an amount per head of staff with a cap is per_unit on employees


@pytest.mark.parametrize(
    ("text", "amount", "cap"),
    [
        ("按上年末从业人员每人800元给予补贴，最高30万元。", 0.08, 30),
        ("按企业参保职工人数每人1500元给予奖励，单个企业最高不超过20万元。", 0.15, 20),
        ("以上年末员工人数为基数，每人补贴600元，最高不超过10万元。", 0.06, 10),
        ("按上年末在职员工每名1000元的标准给予补贴，上限50万元。", 0.1, 50),
        ("按上年末从业人数，每人每年给予1200元补贴，每家企业最高不超过40万元。", 0.12, 40),
        ("按参保人数每人2000元给予稳岗补贴，单家企业最高15万元。", 0.2, 15),
    ],
)
def test_per_head_amount_is_per_unit(text, amount, cap):
    """ "按…每人N元，最高M万元" pays per head of staff: per_unit, never a ratio."""
    assert read_support(text) == {
        "kind": "per_unit",
        "base": "employees",
        "amount_wan": amount,
        "cap_wan": cap,
    }


# ---------------------------------------------------------------------------------------------------------------
# 7. a place alternative with a side outside the region gives no place row


@pytest.mark.parametrize(
    "text",
    [
        "第五条 注册在福田区，或注册在深汕特别合作区但结算中心设在福田区的企业，上年度营业收入1亿元以上的，奖励50万元。",
        "在宝安区注册，或者在东莞市注册的企业，营业收入1亿元以上。",
        "申报企业应注册在龙岗区，或注册在惠州市但生产基地位于龙岗区。",
        "注册地在坪山区或者河源市的企业，上年度营业收入5000万元以上。",
    ],
)
def test_place_alternative_outside_the_region_gives_no_registration_row(text):
    """ "在X注册，或在区外注册但…": a firm registered outside qualifies too, so no registered_district row."""
    reading = read_policy(text, "测试")
    rows = [r for r in rules.leaves(reading.tree)]
    assert not any(r["field"] == "registered_district" for r in rows)
    assert any("本地区以外" in u[3] for u in reading.unread_spans)
