"""Reader classes of issue 12 in wordings unlike the other reader tests: 实施细则 articles, 【】 headings, Q&A, cases.

Each case names what must be proposed and what must not; the last tests check the reader's promises on every text
here: a satisfiable proposal, every row with its span and confidence, unread requirement sentences with theirs.
"""

import pytest

from portal import conditions as rules
from portal.policies.text_conditions import read_policy

GQ = ["国家高新技术企业"]


def row(field: str, op: str, value: object) -> dict:
    """One condition row."""
    return {"field": field, "op": op, "value": value}


def top(text: str, title: str) -> list:
    """The top-level nodes of the proposed tree."""
    return read_policy(text, title).tree["all"]


CASES = [
    # places: "范围内", a kind of firm between the district and 企业
    (
        "宝安区规上企业奖励",
        "【适用对象】\n宝安区范围内的规上工业企业和规上服务业企业。\n【奖励标准】\n奖励5万元。",
        [
            row("registered_district", "eq", "宝安区"),
            row("qualifications", "contains_any", ["规模以上工业企业", "规模以上服务业"]),
        ],
        [],
    ),
    (
        "宝安区电商扶持",
        "（一）支持对象：宝安区跨境电商企业、电商平台企业、电商服务企业均可申报。\n（二）支持标准：给予10万元奖励。",
        [row("registered_district", "eq", "宝安区")],
        [row("industry_code", "prefix_in", ["F5292"])],
    ),
    # vocabulary: 营业额 is revenue; 正常生产经营满N年 is the firm's age; a promise about the future is not
    (
        "大鹏新区住餐补贴",
        "一、申报条件\n1.在大鹏新区注册的住宿、餐饮企业；\n2.上年度营业额不低于200万元。",
        [row("revenue_wan", "gte", 200), row("industry_code", "prefix_in", ["H61", "H62"])],
        [],
    ),
    (
        "罗湖区商贸资助",
        "一、申报条件\n1.工商注册和税务登记均在罗湖区；\n2.正常生产经营满2年。",
        [row("registered_district", "eq", "罗湖区"), row("years_since_founded", "gte", 2)],
        [],
    ),
    (
        "光明区研发资助",
        "第二条 本办法适用于在光明区注册的企业。\n第三条 获得资助的企业应承诺在光明区持续经营不少于5年。",
        [row("registered_district", "eq", "光明区")],
        [row("years_since_founded", "gte", 5)],
    ),
    # credit wordings inside an exclusion list
    (
        "宝安区制造业扶持",
        "一、申报条件\n（一）在宝安区依法登记注册，从事制造业生产经营；\n"
        "（二）以下企业不纳入本次支持范围：被认定为严重失信主体的企业、从事房地产开发的企业。",
        [row("credit_ok", "eq", True), row("industry_code", "prefix_in", ["C"])],
        [row("qualifications", "contains_any", GQ)],
    ),
    (
        "南山区创新券",
        "【申请对象】\n在南山区登记注册的科技型中小企业。\n【不予支持情形】\n（1）近三年内有严重违法失信记录的。",
        [row("credit_ok", "eq", True), row("qualifications", "contains_any", ["科技型中小企业"])],
        [],
    ),
    # a definition names the term it defines, it does not require it
    (
        "南山区总部企业",
        "第二条 本办法所称总部企业，是指在南山区注册、年营业收入20亿元以上的企业。",
        [row("registered_district", "eq", "南山区"), row("revenue_wan", "gte", 200000)],
        [],
    ),
]


@pytest.mark.parametrize(("title", "text", "present", "absent"), CASES, ids=[c[0] for c in CASES])
def test_class_cases(title, text, present, absent):
    nodes = top(text, title)
    for want in present:
        assert want in nodes
    for unwanted in absent:
        assert unwanted not in nodes


def test_cases_of_one_figure_are_alternatives():
    text = (
        "二、支持条件\n（一）营业收入在1亿元以下的，须获得国家高新技术企业认定；"
        "营业收入在1亿元以上的，不作资质要求。\n三、支持标准\n奖励20万元。"
    )
    reading = read_policy(text, "龙岗区企业奖励")
    assert reading.tree["all"] == [
        {
            "any": [
                {"all": [row("revenue_wan", "lte", 10000), row("qualifications", "contains_any", GQ)]},
                row("revenue_wan", "gte", 10000),
            ]
        }
    ]
    # a firm above the line needs no qualification, one below does
    match = rules.matcher(reading.tree)
    assert match({"revenue_wan": 20000, "qualifications": []}) == rules.PASS
    assert match({"revenue_wan": 500, "qualifications": []}) != rules.PASS
    assert match({"revenue_wan": 500, "qualifications": GQ}) == rules.PASS
    assert reading.support == {"kind": "fixed", "amount_wan": 20}


def test_lone_case_stays_a_requirement():
    nodes = top("一、申报条件\n上年度营业收入1亿元以上的，须为国家高新技术企业。", "福田区奖励")
    assert row("revenue_wan", "gte", 10000) in nodes
    assert row("qualifications", "contains_any", GQ) in nodes


def test_branch_that_clashes_with_common_rows_is_dropped_and_reported():
    text = "一、申报条件\n（一）属于制造业企业；\n（二）满足下列条件之一：\n1. 从事软件开发的企业；\n2. 从事汽车制造的企业。"
    reading = read_policy(text, "宝安区")
    assert row("industry_code", "prefix_in", ["C36"]) in reading.tree["all"]
    assert not any("any" in n for n in reading.tree["all"])
    why = {u[0]: u[3] for u in reading.unread_spans}
    assert why["从事软件开发的企业"] == "备选条件与其他条件矛盾，未采用"


def test_flat_conditions_keep_groups_beside_pending_fields():
    text = "第三条 申报企业须同时符合：营业收入2亿元以上或纳税额1000万元以上；在龙岗区注册并纳税。"
    reading = read_policy(text, "龙岗区")
    alternatives = {"any": [row("revenue_wan", "gte", 20000), row("tax_paid_wan", "gte", 1000)]}
    assert row("tax_district", "eq", "龙岗区") in reading.tree["all"]
    # the flat rows leave out the tax district (records lack it) but keep the either-or on figures they carry
    assert reading.conditions["all"] == [row("registered_district", "eq", "龙岗区"), alternatives]


@pytest.mark.parametrize(
    ("text", "support"),
    [
        (
            "一、奖励对象\n龙华区规模以上工业企业。\n二、奖励标准\n年度工业产值增长达到15%且营业收入在5000万元（含）至2亿元之间的，"
            "奖励30万元；2亿元（含）至10亿元之间的，奖励50万元；10亿元（含）以上的，奖励100万元。",
            {
                "kind": "tiers",
                "base": "revenue_wan",
                "tiers": [
                    {"gte": 5000, "amount_wan": 30},
                    {"gte": 20000, "amount_wan": 50},
                    {"gte": 100000, "amount_wan": 100},
                ],
            },
        ),
        # a bound on the applicant's figure is no cap on an award
        ("申报条件：\n1. 在光明区注册的中型、小型、微型企业；\n2. 上年度主营业务收入不超过4亿元。", None),
        # the sum is in the award's own sentence, not in the next section
        ("一、申报对象\n对龙华区软件企业给予支持。\n二、申报条件\n上年度营收不低于2000万元。", None),
        ("二、支持标准\n对符合条件的企业，按每家8万元标准给予补助。", {"kind": "fixed", "amount_wan": 8}),
        ("问：补贴多少？\n答：每家6万元。", {"kind": "fixed", "amount_wan": 6}),
    ],
)
def test_support_rule(text, support):
    assert read_policy(text, "深圳市某区").support == support


def test_tiers_leave_only_the_lowest_as_condition():
    text = (
        "一、奖励对象\n龙华区规模以上工业企业。\n二、奖励标准\n营业收入在5000万元（含）至2亿元之间的，奖励30万元；"
        "2亿元（含）以上的，奖励50万元。"
    )
    reading = read_policy(text, "龙华区")
    figures = [n for n in reading.tree["all"] if n.get("field") == "revenue_wan"]
    assert figures == [row("revenue_wan", "gte", 5000)]
    tier = next(e for e in reading.evidence if e.role == "tier")
    assert tier.condition == row("revenue_wan", "gte", 5000)


def test_instant_flag_needs_a_computable_award():
    text = (
        "一、申报条件\n在坪山区注册的国家高新技术企业。\n二、支持标准\n给予10万元奖励，本事项实行免申即享。"
    )
    assert read_policy(text, "坪山区").instant is True
    text = "一、申报条件\n在坪山区注册的国家高新技术企业。\n二、支持标准\n按项目评审结果给予支持，本事项实行免申即享。"
    assert read_policy(text, "坪山区").instant is False


def test_support_sentence_is_not_reported_as_unread_condition():
    reading = read_policy("（一）支持对象：宝安区电商企业。\n（二）支持标准：给予10万元奖励。", "宝安区")
    assert not any("10万元" in u[0] for u in reading.unread_spans)


TEXTS = [(c[0], c[1]) for c in CASES] + [
    ("龙岗区", "一、申报条件\n1.正常生产经营；\n2.拥有有效发明专利5件以上；\n3.近三年未受到行政处罚。"),
    ("盐田区", "问：个体工商户可以申报吗？\n答：不可以，申报主体须为在盐田区注册的企业法人。"),
]


@pytest.mark.parametrize(("title", "text"), TEXTS, ids=[t[0] + str(i) for i, t in enumerate(TEXTS)])
def test_every_row_and_unread_sentence_carries_its_span(title, text):
    reading = read_policy(text, title)
    folded = text.translate({code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})
    for e in reading.evidence:
        assert 0 < e.confidence <= 1
        assert 0 <= e.start < e.end <= len(text)
        assert e.source in folded[e.start : e.end] or folded[e.start : e.end].strip() in e.source
    for source, start, end, why in reading.unread_spans:
        assert why
        assert folded[start:end].strip() == source
    assert not rules.validate(reading.tree)


def test_requirement_sentences_without_rows_are_reported():
    text = "一、申报条件\n1.正常生产经营；\n2.拥有有效发明专利5件以上；\n3.近三年未受到行政处罚。"
    spans = [u[0] for u in read_policy(text, "龙岗区").unread_spans]
    assert "拥有有效发明专利5件以上" in spans
    assert "近三年未受到行政处罚" in spans
    assert "正常生产经营" not in spans  # boilerplate every firm states, no condition to add


def test_table_row_award_cell_is_support_not_threshold():
    text = "二、支持内容\n|项目|条件|标准|\n|研发补贴|上年度研发费用500万元以上|30万元|\n"
    reading = read_policy(text, "宝安区")
    assert reading.tree["all"] == [row("rd_expense_wan", "gte", 500)]
    assert reading.support == {"kind": "fixed", "amount_wan": 30}
    assert not reading.unread_spans  # the header row states nothing


def test_contest_named_after_a_size_is_no_size():
    text = '支持对象："创客"中小企业创新大赛获奖项目所在企业，且在光明区注册。'
    nodes = top(text, "光明区")
    assert nodes == [row("registered_district", "eq", "光明区")]


def test_first_crossing_at_the_start_of_a_clause():
    nodes = top("一、申报条件\n营业收入首次超过5亿元的工业企业。", "龙华区")
    assert row("revenue_wan", "gt", 50000) in nodes
    assert row("revenue_wan_prev", "lte", 50000) in nodes


def test_exclusion_lead_on_its_own_line_excludes_the_list_under_it():
    text = (
        "以下企业不得申报：\n（一）从事房地产开发的企业；\n（二）金融企业；\n（三）纳税信用等级为D级的企业。\n"
        "其他在龙岗区注册的企业均可申报。"
    )
    nodes = top(text, "龙岗区")
    assert {"not": row("industry_code", "prefix_in", ["K7010"])} in nodes
    assert {"not": row("industry_code", "prefix_in", ["J"])} in nodes
    assert row("credit_ok", "eq", True) in nodes
    assert not any("any" in n for n in nodes)  # a list of exclusions is no list of alternatives
    assert row("registered_district", "eq", "龙岗区") in nodes  # the list ends where the enumerators stop


def test_double_negative_exclusion_is_a_requirement_and_not_reported():
    reading = read_policy(
        "办理条件：\n1.非福田区注册企业不得申报；\n2.上一年度主营业务收入不低于人民币伍仟万元。", "福田区"
    )
    assert reading.tree["all"] == [
        row("registered_district", "eq", "福田区"),
        row("revenue_wan", "gte", 5000),
    ]
    assert not reading.unread_spans


def test_cases_of_one_kind_of_firm_are_alternatives():
    text = (
        "申报条件：（一）在宝安区注册；（二）属于国家高新技术企业的，研发费用须达到300万元；"
        "属于科技型中小企业的，研发费用须达到100万元。"
    )
    nodes = top(text, "宝安区")
    assert {
        "any": [
            {"all": [row("qualifications", "contains_any", GQ), row("rd_expense_wan", "gte", 300)]},
            {
                "all": [
                    row("qualifications", "contains_any", ["科技型中小企业"]),
                    row("rd_expense_wan", "gte", 100),
                ]
            },
        ]
    } in nodes


def test_except_prior_recipients():
    nodes = top("一、申报条件\n除已获得本区同类资助的企业外，在南山区注册的企业均可申报。", "南山区")
    assert row("approved_groups", "not_contains_any", ["@own"]) in nodes
