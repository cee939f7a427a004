"""Vocabulary and places (reader_real7 failures, classes "vocabulary" and "place"), each in phrasings of our own:
GB/T names written without their 、, an uncoded industry listed beside a coded one, 工业 in a per-industry table,
注册纳税 with no joiner, a district labelled by its kind (注册地 | 南山区), a 补充通知's quoted old requirement, and
what no field holds reported as 未能识别 (a firm of a place outside the region, sectors no class is, company forms)."""

import pytest

from portal.policies.text_conditions import read_policy

REG, TAX, OPS = "registered_district", "tax_district", "operating_district"


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


def _fields(tree: dict) -> dict[str, object]:
    return {n["field"]: n["value"] for n in _leaves(tree)}


def _unread(reading) -> str:
    return "\n".join(f"{text}｜{why}" for text, _a, _b, why in reading.unread_spans)


# ---------------------------------------------------------------------------------------------------------------
# A GB/T name said without its 、 is the division (or section) itself, not a list of the classes its pieces name


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("申报条件：在福田区注册，从事广播电视电影和录音制作业的企业。", {"R87"}),
        ("支持对象：注册在龙岗区的计算机通信和其他电子设备制造业企业，上年度营业收入5000万元以上。", {"C39"}),
        ("第三条 本办法适用于在南山区登记注册的交通运输仓储和邮政业企业。", {"G"}),
        ("一、申报对象\n在宝安区注册的电力热力燃气及水生产和供应业企业。", {"D"}),
        ("办理条件：龙华区注册的铁路船舶航空航天和其他运输设备制造业企业。", {"C37"}),
        ("申报主体须为在罗湖区注册、从事文教工美体育和娱乐用品制造业的企业。", {"C24"}),
        ("问：哪些企业可以申请？\n答：在坪山区注册的居民服务修理和其他服务业企业。", {"O"}),
    ],
)
def test_official_name_without_enumeration_comma(text: str, want: set[str]) -> None:
    assert _industries(read_policy(text).tree) == [want]


def test_culture_divisions_spelled_out_are_their_prefixes() -> None:
    text = "申报条件：\n1. 在南山区注册的企业；\n2. 主营新闻和出版业、广播电视电影和录音制作业或文化艺术业。"
    assert _industries(read_policy(text).tree) == [{"R86", "R87", "R88"}]


# ---------------------------------------------------------------------------------------------------------------
# An industry listed without a code beside one with its code: both are read


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "申报对象：在南山区注册的软件开发企业（行业代码I651）及半导体器件专用设备制造企业。",
            {"I651", "C3562"},
        ),
        ("支持在宝安区注册的锂离子电池制造企业（C3841）和医疗器械企业。", {"C3841", "C358"}),
        ("申请条件：福田区注册，所属行业为C3974显示器件制造或软件开发业。", {"C3974", "I651"}),
        ("对象：龙岗区注册的工业机器人制造企业（C3491）、增材制造企业。", {"C3491", "C3493"}),
        ("第五条 支持龙华区注册的检验检测服务企业（M745）以及工业设计企业。", {"M745", "M7491"}),
        ("适用范围：坪山区注册的化学药品制剂制造企业（行业代码C2720）与医疗器械企业。", {"C2720", "C358"}),
    ],
)
def test_uncoded_industry_beside_a_coded_one(text: str, want: set[str]) -> None:
    assert _industries(read_policy(text).tree) == [want]


@pytest.mark.parametrize(
    "text",
    [
        # the word names the code beside it: no second industry
        "申报条件：在南山区注册，属于制造业（C门类）中的医药制造业（C27）。",
        "申报条件：在宝安区注册的计算机、通信和其他电子设备制造业（C39）企业。",
        "申报条件：行业代码为C3841锂离子电池制造的企业。",
    ],
)
def test_word_naming_its_code_adds_nothing(text: str) -> None:
    got = _industries(read_policy(text).tree)
    assert len(got) == 1 and len(got[0]) == 1


# ---------------------------------------------------------------------------------------------------------------
# 工业 as a row of a per-industry table is the statistics' 工业: 采矿业, 制造业, 电力燃气水 (B, C, D)


def _table_branches(text: str) -> list[set[str]]:
    tree = read_policy(text).tree
    groups = [n for n in tree["all"] if "any" in n]
    assert len(groups) == 1, tree
    return [
        {v for leaf in _leaves(br) if leaf["field"] == "industry_code" for v in leaf["value"]}
        for br in groups[0]["any"]
    ]


@pytest.mark.parametrize(
    "text",
    [
        "行业 | 上年度营业收入 | 奖励\n工业企业 | 2000万元以上 | 20万元\n批发业企业 | 5000万元以上 | 10万元\n"
        "零售业企业 | 1000万元以上 | 10万元",
        "申报条件（表）\n所属行业 | 营业收入门槛\n工业 | 不低于2000万元\n住宿和餐饮业 | 不低于500万元",
        "类别 | 主营业务收入\n工业类 | 5000万元以上\n软件和信息技术服务业 | 1000万元以上",
        "注册在福田区的企业，按行业执行下表标准：\n行业类别 | 年营业收入 | 奖励金额\n工业企业 | 2亿元以上 | 50万元\n"
        "批发企业 | 10亿元以上 | 50万元",
        "行业 | 年度营业收入\n工业企业 | 1亿元（含）以上\n零售企业 | 2亿元（含）以上\n餐饮企业 | 5000万元（含）以上",
        "产业门类 | 上年度营业收入要求 | 支持金额\n工业企业 | 不少于3000万元 | 15万元\n建筑业企业 | 不少于1亿元 | 15万元",
    ],
)
def test_industrial_row_of_a_table_is_b_c_d(text: str) -> None:
    branches = _table_branches(text)
    assert {"B", "C", "D"} in branches
    assert {"C"} not in branches


def test_manufacturing_row_of_a_table_stays_c() -> None:
    text = "行业 | 上年度营业收入\n制造业企业 | 2000万元以上\n批发业企业 | 5000万元以上"
    assert {"C"} in _table_branches(text)


def test_industrial_firms_in_prose_are_the_statistical_industry() -> None:
    # decided 2026-12-07: in prose too "工业企业" is the statistics' 工业 (B, C, D); the older sets were relabelled
    assert _industries(read_policy("申报条件：在宝安区注册的工业企业。").tree) == [{"B", "C", "D"}]


# ---------------------------------------------------------------------------------------------------------------
# 注册纳税 with no joiner: registered and tax in the district


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("申报条件：在罗湖区注册纳税，上年度营业收入1000万元以上。", "罗湖区"),
        ("符合“在坪山区注册纳税的小型、微型企业”条件的，给予奖励。", "坪山区"),
        ("1 | 在福田区注册纳税，从业人员50人以上 | 5万元", "福田区"),
        ("问：对注册地有什么要求？\n答：须在南山区注册纳税。", "南山区"),
        ("第四条 支持对象为在龙岗区依法注册纳税的软件企业。", "龙岗区"),
        ("办理条件：申请人应在宝安区行政区域内注册纳税。", "宝安区"),
        ("支持对象：在光明区登记注册缴税的企业。", "光明区"),
    ],
)
def test_register_and_pay_tax_without_joiner(text: str, district: str) -> None:
    got = _fields(read_policy(text).tree)
    assert got.get(REG) == district and got.get(TAX) == district


def test_registration_then_operating_length_is_no_tax_place() -> None:
    got = _fields(read_policy("申报条件：在南山区注册，正常生产经营满1年。").tree)
    assert got.get(REG) == "南山区" and TAX not in got and OPS not in got


# ---------------------------------------------------------------------------------------------------------------
# A district labelled by its kind: a 项目 | 要求 table row, or "注册地：…"


@pytest.mark.parametrize(
    ("text", "field", "district"),
    [
        ("申报条件（表）\n项目 | 要求\n注册地 | 南山区\n营业收入 | 上年度不低于5000万元", REG, "南山区"),
        ("条件 | 内容\n纳税地 | 福田区\n资质 | 国家高新技术企业", TAX, "福田区"),
        ("申报要求\n注册地：宝安区\n上年度营业收入：2000万元以上", REG, "宝安区"),
        ("事项 | 标准\n经营地 | 龙岗区\n从业人员 | 50人以上", OPS, "龙岗区"),
        ("受理条件：\n注册地址：深圳市罗湖区；\n上年度研发费用不低于100万元。", REG, "罗湖区"),
        ("项目 | 条件\n注册地 | 坪山区\n纳税地 | 坪山区", TAX, "坪山区"),
    ],
)
def test_district_labelled_by_kind(text: str, field: str, district: str) -> None:
    assert _fields(read_policy(text).tree).get(field) == district


# ---------------------------------------------------------------------------------------------------------------
# A 补充通知 quoting the requirement it replaces: the old wording is no requirement


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("原通知“申报单位须在南山区注册”调整为：申报单位在南山区开展实际经营活动。", REG),
        ("将原指南第二条“在福田区注册纳税”修改为“在福田区实际经营”。", TAX),
        ("原文件“注册地在宝安区”变更为：注册地在宝安区或东莞市，且在宝安区纳税。", REG),
        ("现将《申报指南》中“须在龙岗区注册”调整为“须在龙岗区纳税”，其余条件不变。", REG),
        ("由“在罗湖区注册的企业”调整为“在罗湖区注册或实际经营的企业”。", "plain registered row"),
        ("原规定“上年度营业收入不低于2000万元”调整为：上年度营业收入不低于1000万元。", "revenue 2000"),
    ],
)
def test_replaced_requirement_is_not_read(text: str, absent: str) -> None:
    leaves = _leaves(read_policy(text, "关于调整申报条件的补充通知").tree)
    if absent == "revenue 2000":
        assert {"field": "revenue_wan", "op": "gte", "value": 1000} in leaves
        assert all(n.get("value") != 2000 for n in leaves)
    elif absent == "plain registered row":
        assert {"field": REG, "op": "eq", "value": "罗湖区"} not in [
            n for n in read_policy(text).tree["all"] if "field" in n
        ]
    else:
        assert absent not in {n["field"] for n in read_policy(text).tree["all"] if "field" in n}


# ---------------------------------------------------------------------------------------------------------------
# A firm of a place outside the region ("须为顺德区…企业") is reported, with no verb of registration


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("答：不可以，申报企业须为顺德区规模以上工业企业。", "顺德区"),
        ("申报主体须为余杭区内的国家高新技术企业。", "余杭区"),
        ("本政策仅限滨海新区规模以上服务业企业申报。", "滨海新区"),
        ("申请单位应为东莞市的中小微企业。", "东莞市"),
        ("第二条 支持对象限于岳麓区辖区内的软件企业。", "岳麓区"),
        ("问：外地企业能申报吗？\n答：不能，申报单位必须为天府新区企业。", "天府新区"),
    ],
)
def test_firm_of_an_outside_place_reported(text: str, place: str) -> None:
    reading = read_policy(text)
    assert place in _unread(reading)
    assert not {REG, TAX, OPS} & set(_fields(reading.tree))


@pytest.mark.parametrize(
    "text",
    ["申报企业须为宝安区规模以上工业企业。", "申报单位应为本区中小微企业。", "申报主体须为高新区内的企业。"],
)
def test_firm_of_a_local_or_unnamed_place_not_reported_outside(text: str) -> None:
    assert "本地区以外" not in _unread(read_policy(text, "宝安区企业扶持通知"))


# ---------------------------------------------------------------------------------------------------------------
# A sector no GB/T 4754 class is: reported, no industry row


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("问：注册在外区但在福田区经营的文旅企业能申请吗？\n答：可以，须在福田区纳税。", "文旅企业"),
        (
            "支持方向 | 支持条件 | 支持标准\n高端装备 | 上年度研发费用不低于300万元 | 按研发费用的10%",
            "高端装备",
        ),
        ("申报条件：在南山区注册、从事数字经济相关业务的企业。", "数字经济"),
        ("第三条 本办法支持在龙岗区注册的低空经济企业，上年度营业收入1000万元以上。", "低空经济企业"),
        ("申报对象：盐田区注册的海洋经济企业。", "海洋经济企业"),
        ("办理条件：属于战略性新兴产业的企业，在宝安区注册。", "战略性新兴产业"),
        ("一、申报条件\n罗湖区注册的文化创意企业，上年度营业收入500万元以上。", "文化创意企业"),
    ],
)
def test_sector_without_class_reported(text: str, word: str) -> None:
    reading = read_policy(text)
    assert word in _unread(reading)
    assert _industries(reading.tree) == []


def test_sector_word_in_a_purpose_is_not_reported() -> None:
    text = "为推动数字经济高质量发展，制定本措施。申报条件：在南山区注册的软件企业。"
    assert "行业（" not in _unread(read_policy(text))


# ---------------------------------------------------------------------------------------------------------------
# A company form no field holds: reported; a firm's own name is no such requirement


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("申报条件：在南山区注册、纳税的股份有限公司，尚未上市。", "股份有限公司"),
        ("申请人须为在福田区登记的有限责任公司。", "有限责任公司"),
        ("支持对象：在宝安区注册的有限合伙企业，管理规模1亿元以上。", "有限合伙企业"),
        ("第二条 申报主体应为股份有限公司或有限责任公司。", "股份有限公司"),
        ("问：个人独资企业可以申请吗？\n答：不可以，申请人须为龙岗区注册的股份公司。", "股份公司"),
        ("办理条件：申报单位系股份制企业，上年度营业收入1亿元以上。", "股份制企业"),
    ],
)
def test_company_form_reported(text: str, form: str) -> None:
    assert form in _unread(read_policy(text))


def test_firm_name_is_no_company_form() -> None:
    text = "公示名单：\n1. 深圳市某某科技股份有限公司\n2. 深圳市某某电子有限责任公司"
    assert "条件语言无法表达（股份" not in _unread(read_policy(text))
    assert "条件语言无法表达（有限" not in _unread(read_policy(text))
