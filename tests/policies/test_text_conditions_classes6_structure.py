"""Structure classes of reader_real7: definitions the conditions refer to, loan terms under any heading,
restrictions said in the support section, tiers on a growth rate, and support rules (a quota's sum, a sum per
project, an extra sum, the base of an over-part, a share of a thing's spending), each in wordings of our own."""

import pytest

from portal import conditions as rules
from portal.policies.text_conditions import read_policy, read_support


def row(field: str, op: str, value) -> dict:
    """One condition row."""
    return {"field": field, "op": op, "value": value}


def rows(reading) -> list[dict]:
    """The plain rows of the reading's tree (outside its groups)."""
    return [n for n in reading.tree["all"] if "field" in n]


def promises(reading) -> None:
    """What every reading keeps: a valid tree."""
    assert not rules.validate(reading.tree)


def unread(reading, piece: str) -> str:
    """The reason given for the unread span holding piece ('' when none does)."""
    return next((why for span, _, _, why in reading.unread_spans if piece in span), "")


# ---------------------------------------------------------------------------------------------------------------
# 1. A definition article (本办法所称X，是指…) the conditions refer to, or the policy is about


DEFINITIONS = [
    (
        "第三条 本办法所称成长型企业，是指在龙岗区注册、上年度营业收入不低于5000万元的国家高新技术企业。\n"
        "第四条 申报条件\n（一）符合本办法第三条规定；\n（二）信用状况良好。\n第五条 奖励标准\n每家奖励20万元。",
        "龙岗区成长型企业奖励办法",
        [
            row("registered_district", "eq", "龙岗区"),
            row("revenue_wan", "gte", 5000),
            row("qualifications", "contains_any", ["国家高新技术企业"]),
            row("credit_ok", "eq", True),
        ],
        "符合本办法第三条规定",
    ),
    (
        "第二条 本细则所称骨干企业，系指注册地在南山区、上年度纳税总额1000万元以上的企业。\n"
        "第三条 申请条件\n1. 属于本细则所称骨干企业；\n2. 近三年无严重失信记录。\n第四条 支持标准\n给予一次性奖励50万元。",
        "南山区骨干企业扶持实施细则",
        [
            row("registered_district", "eq", "南山区"),
            row("tax_paid_wan", "gte", 1000),
        ],
        "",
    ),
    (
        "第二条 本措施所称专精特新培育企业，是指在坪山区依法登记注册、上年度研发费用不低于300万元的企业。\n"
        "第三条 支持条件：符合第二条的规定，且未列入经营异常名录。\n第四条 支持方式：给予10万元奖励。",
        "坪山区支持专精特新培育企业发展若干措施",
        [
            row("registered_district", "eq", "坪山区"),
            row("rd_expense_wan", "gte", 300),
            row("credit_ok", "eq", True),
        ],
        "符合第二条的规定",
    ),
    (
        "第四条 本办法所称规模成长企业，是指上年度营业收入达到2亿元、营业收入增长率不低于20%的企业。\n"
        "第五条 申报条件\n（一）在福田区注册；\n（二）满足第四条所列条件。\n第六条 奖励标准：奖励30万元。",
        "福田区规模成长企业奖励办法",
        [
            row("registered_district", "eq", "福田区"),
            row("revenue_wan", "gte", 20000),
            row("revenue_growth", "gte", 0.2),
        ],
        "",
    ),
    (
        # the policy is about the term: its title names it, the conditions only add the rest
        "第二条 本细则所称链主企业，是指在宝安区注册、上年度营业收入不低于10亿元的制造业企业。\n"
        "第三条 申报要求\n申报企业须信用良好，未被列入失信被执行人名单。\n第四条 奖励标准：奖励100万元。",
        "宝安区链主企业奖励实施细则",
        [
            row("registered_district", "eq", "宝安区"),
            row("revenue_wan", "gte", 100000),
            row("industry_code", "prefix_in", ["C"]),
            row("credit_ok", "eq", True),
        ],
        "",
    ),
    (
        "第二条 本规定所称总部型企业，指在罗湖区设立、上年度纳税总额不低于3000万元的企业。\n"
        "第三条 申报条件\n（一）符合第二条规定；\n（二）承诺10年内不迁离本区。\n第四条 奖励标准：奖励200万元。",
        "罗湖区总部型企业奖励规定",
        [
            row("registered_district", "eq", "罗湖区"),
            row("tax_paid_wan", "gte", 3000),
        ],
        "符合第二条规定",
    ),
    (
        # 办事指南 style: the definition under its own heading, the conditions naming the term
        "一、名词解释\n本指南所称科技型企业，是指经认定的国家高新技术企业或科技型中小企业。\n二、申请条件\n"
        "（一）经认定的科技型企业；\n（二）在盐田区注册。\n三、支持标准：给予10万元。",
        "盐田区研发补助办事指南",
        [
            row("registered_district", "eq", "盐田区"),
            row("qualifications", "contains_any", ["国家高新技术企业", "科技型中小企业"]),
        ],
        "经认定的科技型企业",
    ),
]


@pytest.mark.parametrize(("text", "title", "want", "reference"), DEFINITIONS)
def test_a_definition_referred_to_gives_its_rows(text, title, want, reference):
    reading = read_policy(text, title)
    for r in want:
        assert r in rows(reading), r
    if reference:
        assert not unread(reading, reference)  # the reference was read through the definition
    promises(reading)


def test_a_definition_nobody_refers_to_binds_nobody():
    text = (
        "第二条 本办法所称研发投入，是指企业上年度研发费用不低于100万元的部分。\n第三条 申报条件\n"
        "（一）在龙华区注册；\n（二）上年度营业收入不低于1000万元。\n第四条 奖励标准：奖励5万元。"
    )
    reading = read_policy(text, "龙华区企业奖励办法")
    assert row("rd_expense_wan", "gte", 100) not in rows(reading)
    assert row("revenue_wan", "gte", 1000) in rows(reading)


# ---------------------------------------------------------------------------------------------------------------
# 2. The loan a 贴息 policy pays on, under any heading stating loan terms


LOANS = [
    (
        "一、支持对象\n在南山区注册的中小微企业。\n二、贷款要求\n以专利权质押方式取得的银行贷款，贷款期限不少于1年。\n"
        "三、贴息标准\n按实际支付利息的50%给予贴息，最高50万元。",
        [row("loan_collateral", "eq", "知识产权质押"), row("loan_term_months", "gte", 12)],
    ),
    (
        "办理条件：在龙华区注册的小微企业，向合作银行申请的信用贷款，单笔贷款金额不超过500万元，期限6个月以上。\n"
        "补贴标准：按贷款利息的30%补贴，每家每年最高20万元。",
        [
            row("loan_collateral", "eq", "无（信用）"),
            row("loan_amount_wan", "lte", 500),
            row("loan_term_months", "gte", 6),
        ],
    ),
    (
        "一、申报条件\n在福田区注册，信用状况良好。\n二、支持范围\n企业通过融资担保公司担保取得的流动资金贷款，"
        "期限不超过3年。\n三、贴息标准：按实际支付利息的40%贴息。",
        [row("loan_collateral", "eq", "第三方担保"), row("loan_term_months", "lte", 36)],
    ),
    (
        "问：哪些贷款可以贴息？\n答：在光明区注册的企业以信用方式或知识产权质押方式取得的银行贷款均可申请贴息。\n"
        "问：贴息多少？\n答：按利息的50%贴息，最高30万元。",
        [row("loan_collateral", "in", ["知识产权质押", "无（信用）"])],
    ),
    (
        "一、支持对象：在坪山区注册的制造业企业。\n二、支持标准：对企业以设备抵押方式取得的技术改造贷款，"
        "按实际支付利息的60%给予贴息，单家企业最高100万元。",
        [row("loan_collateral", "eq", "设备抵押")],
    ),
    (
        "| 项目 | 要求 |\n| 贷款用途 | 用于生产经营 |\n| 贷款条件 | 单笔借款金额在1000万元以下、借款期限12个月以上 |\n"
        "二、支持标准：按实际支付利息的50%贴息，最高80万元。\n在盐田区注册的企业可申报。",
        [row("loan_amount_wan", "lte", 1000), row("loan_term_months", "gte", 12)],
    ),
]


@pytest.mark.parametrize(("text", "want"), LOANS)
def test_loan_terms_are_rows_on_the_loan(text, want):
    reading = read_policy(text, "贷款贴息")
    got = [n for n in rows(reading) if n["field"].startswith("loan_")]
    for r in want:
        if r["op"] == "in":
            assert any(g["field"] == r["field"] and sorted(g["value"]) == sorted(r["value"]) for g in got), (
                got
            )
        else:
            assert r in got, got
    promises(reading)


def test_a_loan_kind_excluded_is_negated():
    text = (
        "一、申报条件\n在南山区注册的企业。\n二、不予支持情形\n以房产抵押方式取得的贷款不予贴息。\n"
        "三、贴息标准\n按利息的50%贴息。"
    )
    assert row("loan_collateral", "ne", "房产抵押") in rows(read_policy(text, "贴息"))


def test_a_cap_on_the_subsidised_loan_is_no_loan_row():
    text = "在坪山区注册的企业，取得银行贷款的，按实际支付利息的40%给予贴息，单家企业享受贴息的贷款金额不超过2000万元。"
    assert not [n for n in rows(read_policy(text, "贴息")) if n["field"].startswith("loan_")]


def test_a_credit_record_is_no_credit_loan():
    text = "一、申报条件\n在龙岗区注册，信用状况良好，取得银行贷款。\n二、贴息标准：按利息50%贴息。"
    assert not [n for n in rows(read_policy(text, "贴息")) if n["field"] == "loan_collateral"]


# ---------------------------------------------------------------------------------------------------------------
# 3. A restriction said in the support section (仅限 / 限…的企业 / 须…方可享受)


RESTRICTIONS = [
    (
        "一、申报条件\n在宝安区注册的国家高新技术企业。\n二、奖励标准\n给予20万元奖励；奖励仅限上年度营业收入不低于1亿元的企业。",
        row("revenue_wan", "gte", 10000),
    ),
    (
        "一、支持对象\n在南山区注册的软件企业。\n二、支持标准\n每家补贴10万元，本项补贴限上年度研发费用500万元以上的企业申报。",
        row("rd_expense_wan", "gte", 500),
    ),
    (
        "一、申报条件\n在龙华区注册的工业企业。\n二、奖励标准\n奖励30万元。企业上年度纳税总额须达到500万元方可享受。",
        row("tax_paid_wan", "gte", 500),
    ),
    (
        "一、申请对象：在罗湖区注册的商贸企业。\n二、资助标准：给予一次性资助15万元，仅支持上年度从业人员不少于50人的企业。",
        row("employees", "gte", 50),
    ),
    (
        "一、奖励对象：在福田区注册的金融企业。\n二、奖励标准：每家50万元。\n三、申报材料：申请表、审计报告。\n"
        "注：申报企业上年度营业收入须不低于3亿元。",
        row("revenue_wan", "gte", 30000),
    ),
    (
        "一、申报条件\n在光明区注册的制造业企业。\n二、补贴标准\n补贴20万元；上年度营业收入达到5000万元以上的企业方可申请。",
        row("revenue_wan", "gte", 5000),
    ),
]


@pytest.mark.parametrize(("text", "want"), RESTRICTIONS)
def test_a_restriction_in_the_support_section_is_a_requirement(text, want):
    reading = read_policy(text, "奖励")
    assert want in rows(reading)
    promises(reading)


def test_a_quota_above_the_line_is_no_restriction():
    text = "一、申报条件\n在南山区注册的企业。\n二、奖励标准\n纳入限额以上统计的企业给予10万元奖励。"
    assert not [n for n in rows(read_policy(text, "奖励")) if n["field"] == "revenue_wan"]


# ---------------------------------------------------------------------------------------------------------------
# 4. Tiers on a growth rate: the lowest tier is the condition, no support rule


GROWTH_TIERS = [
    (
        "在南山区注册的企业，上年度营业收入不低于5000万元的，按营收增长情况奖励：增长率达到10%的奖励10万元，"
        "达到20%的奖励20万元，达到30%以上的奖励40万元。",
        row("revenue_growth", "gte", 0.1),
        "增长率达到10%的奖励10万元",
    ),
    (
        "一、申报条件\n在宝安区注册的规模以上工业企业。\n二、奖励标准\n营业收入同比增长15%、25%、40%以上的，分别给予20万元、"
        "40万元、80万元奖励。",
        row("revenue_growth", "gte", 0.15),
        "分别给予20万元",
    ),
    (
        "一、申报条件\n在福田区注册的总部企业。\n二、奖励标准\n纳税总额较上年增长20%以上的，奖励50万元；增长30%以上的，"
        "奖励80万元。",
        row("tax_paid_growth", "gte", 0.2),
        "奖励50万元",
    ),
    (
        "第五条 对在龙岗区注册的工业企业，营业收入增幅达到8%、12%、20%的，分别奖励5万元、10万元、20万元。",
        row("revenue_growth", "gte", 0.08),
        "分别奖励5万元",
    ),
    (
        "二、支持标准\n| 营业收入增长率 | 奖励金额 |\n按营业收入增长率分档：增长率达到20%的，给予30万元；达到50%的，给予60万元。\n"
        "一、申报条件：在坪山区注册的企业。",
        row("revenue_growth", "gte", 0.2),
        "增长率达到20%的",
    ),
    (
        "三、奖励标准\n上年度纳税额增长率达到10%的奖励5万元，达到20%的奖励15万元。\n一、申报对象：在龙华区注册的企业。",
        row("tax_paid_growth", "gte", 0.1),
        "奖励5万元",
    ),
]


@pytest.mark.parametrize(("text", "lowest", "piece"), GROWTH_TIERS)
def test_growth_tiers_give_the_lowest_tier_and_no_rule(text, lowest, piece):
    reading = read_policy(text, "增长奖励")
    assert lowest in rows(reading)
    growth = [n for n in rows(reading) if n["field"] == lowest["field"]]
    assert growth == [lowest]  # the upper tiers are the award's
    assert reading.support is None
    assert unread(reading, piece)
    promises(reading)


# ---------------------------------------------------------------------------------------------------------------
# 5. Fixed sums said without a verb of paying, per project applied for, beside an extra sum


FIXED = [
    ("二、支持标准\n服务券额度为每家5万元。", 5),
    ("答：每家企业可申领创新券20万元。", 20),
    ("三、支持方式：企业可领取消费券2000元。", 0.2),
    ("第六条 经专家评审通过的技术改造项目，每个项目补助50万元。", 50),
    ("二、资助标准\n对立项的项目，每个资助30万元。", 30),
    ("二、奖励标准\n对首次认定的企业给予一次性奖励20万元；认定后连续三年保持资格的，再给予10万元奖励。", 20),
    ("（三）奖励标准：给予15万元奖励；年度考核优秀的，另给予5万元。", 15),
]


@pytest.mark.parametrize(("text", "amount"), FIXED)
def test_a_fixed_sum_in_other_wordings(text, amount):
    reading = read_policy("一、申报条件\n在南山区注册的企业。\n" + text, "奖励")
    assert reading.support == {"kind": "fixed", "amount_wan": amount}


def test_an_extra_sum_is_reported():
    text = "一、申报条件\n在南山区注册的企业。\n二、奖励标准\n奖励20万元；连续两年增长的，再给予10万元奖励。"
    reading = read_policy(text, "奖励")
    assert reading.support == {"kind": "fixed", "amount_wan": 20}
    assert unread(reading, "再给予10万元")


NOT_FIXED = [
    "二、支持标准\n贷款额度为每家500万元，按利息的50%贴息。",  # an interest subsidy, the loan's quota is no award
    "二、支持标准\n每个项目最高资助50万元。",  # a cap per project
    "二、支持标准\n国家级项目奖励50万元，省级项目奖励20万元。",  # sums that differ by item
]


@pytest.mark.parametrize("text", NOT_FIXED)
def test_no_quota_or_cap_read_as_the_sum(text):
    support = read_policy("一、申报条件\n在南山区注册的企业。\n" + text, "奖励").support
    assert not (support and support["kind"] == "fixed")


# ---------------------------------------------------------------------------------------------------------------
# 6. The part above a threshold, its base named for the part below


def over(base: str, rate, cap, over_wan) -> dict:
    """A ratio rule on the part of a figure above over_wan."""
    return {
        "kind": "ratio",
        "base": base,
        "rate": rate,
        "cap_wan": cap,
        "over_wan": over_wan,
        "increase": False,
    }


OVER = [
    (
        "研发费用500万元以内的部分不予补助，超过500万元的部分按10%给予补助，最高300万元。",
        over("rd_expense_wan", 0.1, 300, 500),
    ),
    (
        "纳税总额1000万元以下的部分不予奖励，超出1000万元的部分按5%给予奖励，单家最高100万元。",
        over("tax_paid_wan", 0.05, 100, 1000),
    ),
    (
        "营业收入1亿元以内的部分不奖励，超过1亿元的部分按0.5%奖励，最高50万元。",
        over("revenue_wan", 0.005, 50, 10000),
    ),
    ("对营业收入超过2000万元的部分按1%给予奖励，最高100万元。", over("revenue_wan", 0.01, 100, 2000)),
    (
        "研发投入在300万元之内的部分不予资助，高于300万元的部分按8%资助，最高200万元。",
        over("rd_expense_wan", 0.08, 200, 300),
    ),
    (
        "纳税额500万元以内的部分不予支持；超过500万元的部分按3%给予支持，最高60万元。",
        None,  # the part below is said in a sentence of its own: the base of the next one is not named
    ),
]


@pytest.mark.parametrize(("text", "support"), OVER)
def test_the_base_of_the_part_above(text, support):
    assert read_support(text) == support


def test_a_figure_of_another_thing_is_no_base_of_the_part_above():
    text = "上年度营业收入1亿元以上的企业，设备投资额超过500万元的部分按10%给予补贴，最高300万元。"
    assert read_support(text) is None


# ---------------------------------------------------------------------------------------------------------------
# 7. A share of a thing's spending (a drug's, a project's): no rule, the sentence reported


THING_SHARES = [
    "第五条 对获得临床批件的创新药，按研发投入的20%给予资助，最高500万元。",
    "二、资助标准\n对通过验收的产业化项目，按研发费用的10%给予补助，最高200万元。",
    "三、支持标准\n对首次投放市场的医疗器械，按研发投入的15%给予奖励，最高300万元。",
    "二、支持标准\n按项目研发投入的30%给予支持，最高1000万元。",
    "（二）支持标准：对新获批的首台套装备，按研发费用的20%给予奖励，最高100万元。",
    "第八条 对认定的市级以上研发平台，按研发投入的10%给予补贴，最高100万元。",
]


@pytest.mark.parametrize("support_text", THING_SHARES)
def test_a_share_of_a_things_spending_is_no_rule(support_text):
    reading = read_policy("一、申报条件\n在南山区注册的企业。\n" + support_text, "资助")
    assert reading.support is None
    assert unread(reading, "给予") or unread(reading, "按")


FIRM_SHARES = [
    ("二、支持标准\n对符合条件的企业，按上年度研发费用的10%给予补助，最高200万元。", "rd_expense_wan", 0.1),
    ("二、支持标准\n对承担重大项目的企业，按其研发投入的5%给予奖励，最高100万元。", "rd_expense_wan", 0.05),
    ("二、奖励标准\n按企业上年度营业收入的1%给予奖励，最高50万元。", "revenue_wan", 0.01),
]


@pytest.mark.parametrize(("support_text", "base", "rate"), FIRM_SHARES)
def test_a_share_of_the_firms_figure_stays_a_rule(support_text, base, rate):
    support = read_policy("一、申报条件\n在南山区注册的企业。\n" + support_text, "资助").support
    assert support["kind"] == "ratio" and support["base"] == base and support["rate"] == rate


def test_how_long_the_subsidy_runs_is_no_loan_term():
    text = "一、申报条件\n在南山区注册，取得银行贷款的企业。\n二、贴息标准\n按利息的50%贴息，贴息期限最长不超过2年。"
    assert not [n for n in rows(read_policy(text, "贴息")) if n["field"] == "loan_term_months"]


def test_a_growth_condition_below_the_tiers_stays():
    text = (
        "一、申报条件\n在龙岗区注册，上年度营业收入增长率不低于5%。\n二、奖励标准\n营业收入增长率达到10%的奖励10万元，"
        "达到20%的奖励20万元。"
    )
    got = [n for n in rows(read_policy(text, "增长奖励")) if n["field"] == "revenue_growth"]
    assert row("revenue_growth", "gte", 0.1) in got and row("revenue_growth", "gte", 0.2) not in got


def test_how_a_loan_is_secured_is_no_industry():
    text = "一、申报条件\n在宝安区注册、通过知识产权质押融资的中小企业。\n二、贴息标准：按利息的50%贴息。"
    got = rows(read_policy(text, "贴息"))
    assert row("loan_collateral", "eq", "知识产权质押") in got
    assert not [n for n in got if n["field"] == "industry_code"]


def test_loan_rows_are_proposed_but_not_applied_to_records():
    text = "一、申报条件\n在福田区注册的企业。\n二、贷款要求\n信用贷款，期限1年以上。\n三、贴息标准：按利息的50%贴息。"
    reading = read_policy(text, "贴息")
    assert row("loan_collateral", "eq", "无（信用）") in rows(reading)  # the official sees and keeps it
    # no enterprise record carries a loan: a flat row on it would leave every firm unknown in ranking and delivery
    assert not [n for n in reading.conditions["all"] if n["field"].startswith("loan_")]


def test_firms_above_the_line_are_no_restriction_verb():
    text = "一、申报对象\n在南山区注册的商贸企业。\n二、奖励标准\n新纳入统计的企业奖励10万元，限上企业上年度销售额下降的不予奖励。"
    reading = read_policy(text, "奖励")
    assert not [n for n in rows(reading) if n["field"] == "revenue_wan"]
