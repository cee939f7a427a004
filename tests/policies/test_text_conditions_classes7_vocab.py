"""Vocabulary (reader_real8 failures), each class in phrasings of our own: 工业企业 in prose is the statistics' 工业
(B, C, D) while 制造业 stays C and 规模以上工业企业 stays a qualification; GB/T names said without 业 in a list, and a
goods listed inside a GB/T name with its trade word; R&D shares said as "不低于营业收入的N%"; 过/超/破 before a
figure; a 四上 requirement beside a second name kept as two requirements."""

import pytest

from portal.policies.text_conditions import read_policy

GONGYE = {"B", "C", "D"}
SISHANG = {
    "四上企业",
    "规模以上工业企业",
    "限额以上批发零售企业",
    "限额以上住宿餐饮",
    "有资质建筑业",
    "规模以上服务业",
}


def _leaves(tree: dict) -> list[dict]:
    out, stack = [], [tree]
    while stack:
        node = stack.pop()
        if "field" in node:
            out.append(node)
        else:
            for kind in ("all", "any"):
                stack += node.get(kind, [])
            if "not" in node:
                stack.append(node["not"])
    return out


def _industries(tree: dict) -> list[set[str]]:
    """The value sets of the tree's positive industry rows."""
    return [
        set(n["value"]) for n in _leaves(tree) if n["field"] == "industry_code" and n["op"] == "prefix_in"
    ]


def _rows(tree: dict, field: str) -> list[tuple[str, object]]:
    return [(n["op"], n["value"]) for n in _leaves(tree) if n["field"] == field]


# --- 工业企业 is B, C, D; 制造业 is C; 规模以上工业企业 is a qualification only -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "一、申报条件\n（一）在本市依法登记注册的工业企业；\n（二）上年度主营业务收入3000万元以上。",
        "第六条 对年度工业投资额超过5000万元的工业企业，按投资额的5%给予补助。",
        "申请主体：注册在开发区的工业企业，具有独立法人资格。",
        "问：哪些企业可以申请？\n答：在本区登记注册并依法纳税的工业企业均可申请。",
        "支持方向 | 申请条件\n节能改造 | 上年度能耗5000吨标准煤以上的工业企业",
        "服务对象：辖区内工业企业（含电力、燃气生产企业）。",
    ],
)
def test_industrial_firms_in_prose_are_the_statistical_industry(text):
    industries = _industries(read_policy(text, "关于开展专项资金申报的通知").tree)
    assert GONGYE in industries
    assert {"C"} not in industries


@pytest.mark.parametrize(
    "text",
    [
        "申报条件：在本区注册的制造业企业，上年度营业收入5000万元以上。",
        "申报单位须为制造企业，且纳入本区统计。",
    ],
)
def test_manufacturing_stays_c(text):
    assert _industries(read_policy(text, "制造业专项").tree) == [{"C"}]


@pytest.mark.parametrize(
    "text",
    [
        "申报条件：申报单位须为规模以上工业企业。",
        "一、支持对象\n本区规上工业企业，且上年度营业收入增长10%以上。",
    ],
)
def test_above_scale_industrial_is_the_qualification_only(text):
    tree = read_policy(text, "稳增长奖励").tree
    assert _industries(tree) == []
    assert ("contains_any", ["规模以上工业企业"]) in _rows(tree, "qualifications")


# --- industry names without codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, want",
    [
        ("申报条件：在本区注册的新闻和出版、广播电视电影和录音制作、文化艺术业企业。", {"R86", "R87", "R88"}),
        ("支持对象：数字企业（软件和信息技术服务业、互联网和相关服务）。", {"I64", "I65"}),
        ("支持范围：从事道路运输、水上运输业的企业。", {"G54", "G55"}),
        ("申请人应为在本市登记的珠宝首饰零售、首饰批发企业。", {"F5245", "F5146"}),
        ("申报主体：注册在本区的收藏品批发企业，上年度销售额1000万元以上。", {"F5146"}),
        ("扶持对象：本区从事工艺品批发的企业。", {"F5146"}),
    ],
)
def test_uncoded_industry_names(text, want):
    industries = _industries(read_policy(text, "产业扶持").tree)
    assert industries == [want]


def test_an_official_class_name_keeps_its_own_class():
    # "家具零售" is F5283 itself, not the 五金、家具及室内装饰材料专门零售 group that lists 家具
    assert _industries(read_policy("申报条件：在本区注册的家具零售企业。", "商贸扶持").tree) == [{"F5283"}]


# --- R&D share wordings -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, want",
    [
        ("申报条件：（三）上年度研发费用不低于营业收入的4%。", 0.04),
        ("第五条 企业研究开发费用不低于同期销售收入的6%，方可申请。", 0.06),
        ("审核要点：研发费用是否达到营业收入的5%。", 0.05),
        ("申请条件：研发经费支出占主营业务收入的3%以上。", 0.03),
        ("申报企业研发投入不低于800万元，且不低于营业收入的3.5%。", 0.035),
        ("问：对研发有什么要求？\n答：研发投入强度不低于4%。", 0.04),
        ("研发费用占比不低于7%的企业可以申报。", 0.07),
    ],
)
def test_rd_share_wordings(text, want):
    assert ("gte", want) in _rows(read_policy(text, "研发投入奖励").tree, "rd_ratio")


def test_rd_share_keeps_the_revenue_and_figure_rows():
    tree = read_policy(
        "申报条件：营业收入5000万元以上，研发投入不低于800万元且不低于营业收入的3%。", "研发"
    ).tree
    assert ("gte", 5000) in _rows(tree, "revenue_wan")
    assert ("gte", 800) in _rows(tree, "rd_expense_wan")
    assert ("gte", 0.03) in _rows(tree, "rd_ratio")


def test_a_staff_share_beside_a_read_requirement_is_reported():
    reading = read_policy(
        "第三条 企业研发费用不低于营业收入的10%，科技人员占职工总数的比例不低于20%。", "细则"
    )
    assert ("gte", 0.1) in _rows(reading.tree, "rd_ratio")
    assert any("科技人员" in text for text, *_ in reading.unread_spans)


# --- 过/超/破 before a figure ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, field, op, value",
    [
        ("对上年度营收过亿元的企业给予奖励。", "revenue_wan", "gt", 10000),
        ("申报条件：年营业收入超5000万元。", "revenue_wan", "gt", 5000),
        ("首次实现营业收入破亿元的企业，奖励20万元。", "revenue_wan", "gte", 10000),
        ("申报条件：年纳税额过百万元。", "tax_paid_wan", "gt", 100),
        ("申报条件：营业收入超千万元的科技企业。", "revenue_wan", "gt", 1000),
        ("申报条件：营业收入不超过5000万元。", "revenue_wan", "lte", 5000),
        ("申报条件：营业收入超过3000万元。", "revenue_wan", "gt", 3000),
    ],
)
def test_exceeding_in_one_character(text, field, op, value):
    assert (op, value) in _rows(read_policy(text, "奖励").tree, field)


# --- a 四上 requirement and a second name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "兑现对象：已纳入统计部门“四上”企业名录、且持有国高资质的企业。",
        "申报对象：纳入“四上”企业名录且为国家高新技术企业的企业。",
        "申报条件：纳入四上统计的国家高新技术企业。",
        "问：谁可以申请？\n答：“四上”企业，并且是国家高新技术企业。",
        "一、申报对象\n已入库“四上”单位，同时为国家高新技术企业。",
        "纳入四上企业库的国家高新技术企业可申报本项奖励。",
    ],
)
def test_sishang_and_a_second_name_are_two_requirements(text):
    rows = _rows(read_policy(text, "稳增长奖励").tree, "qualifications")
    assert ("contains_any", ["国家高新技术企业"]) in rows
    sishang = [set(v) for op, v in rows if op == "contains_any" and "四上企业" in v]
    assert sishang == [SISHANG]
    assert not any(op == "contains_all" for op, _ in rows)
