"""Places (reader_real6 failures, class "places"), each in several phrasings of our own: kinds of place joined by 或,
视同本区企业, places outside the region, alternatives with a side no row can say, streets, Q&A answers."""

import pytest

from portal.policies.text_conditions import read_policy

REG, TAX, OPS = "registered_district", "tax_district", "operating_district"
_PLACE_FIELDS = {REG, TAX, OPS, "street"}


def _row(field: str, value: str) -> dict:
    return {"field": field, "op": "eq", "value": value}


def _canon(node: dict) -> object:
    """A node as a comparable value: groups as frozen sets of their members."""
    if "field" in node:
        value = node["value"]
        return (node["field"], node["op"], tuple(value) if isinstance(value, list) else value)
    kind = "all" if "all" in node else "any" if "any" in node else "not"
    members = node[kind] if kind != "not" else [node[kind]]
    return (kind, frozenset(_canon(n) for n in members))


def _places(tree: dict) -> set:
    """The top-level place members of a tree (rows on a place field, and groups made only of place rows)."""

    def placed(node: dict) -> bool:
        if "field" in node:
            return node["field"] in _PLACE_FIELDS
        kind = "all" if "all" in node else "any" if "any" in node else "not"
        members = node[kind] if kind != "not" else [node[kind]]
        return all(placed(n) for n in members)

    return {_canon(n) for n in tree["all"] if placed(n)}


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


def _any(*branches: list[dict]) -> object:
    return _canon({"any": [b[0] if len(b) == 1 else {"all": b} for b in branches]})


# ---------------------------------------------------------------------------------------------------------------
# Kinds of place joined by 或: any one of them in the district is enough


@pytest.mark.parametrize(
    "title,text,district,kinds",
    [
        (
            "罗湖区商贸企业稳增长奖励",
            "申报条件：\n1. 注册地或纳税地在本区；\n2. 上年度营业收入不低于800万元。",
            "罗湖区",
            (REG, TAX),
        ),
        (
            "坪山区工业企业扩产奖励",
            "申报条件：\n1、企业注册地或者纳税地在本区；\n2、从业人员不少于30人。",
            "坪山区",
            (REG, TAX),
        ),
        (
            "盐田区物流企业补贴办事指南",
            "办理条件：（1）工商注册地或税务关系在本区的企业；（2）营业收入5000万元以上。",
            "盐田区",
            (REG, TAX),
        ),
        (
            "龙岗区",
            "一、申报条件\n注册地、经营地或纳税地在龙岗区的规模以上工业企业。",
            "龙岗区",
            (REG, OPS, TAX),
        ),
        (
            "福田区",
            "申报条件：申报单位在福田区注册，或者在福田区纳税，上年度纳税总额不低于100万元。",
            "福田区",
            (REG, TAX),
        ),
        (
            "大鹏新区",
            "问：申报需要满足什么条件？\n答：注册地或实际经营地在大鹏新区，且营业收入不低于300万元。",
            "大鹏新区",
            (REG, OPS),
        ),
        (
            "光明区",
            "第三条 注册地或税收关系所在地在光明区的国家高新技术企业，可按本细则申请资助。",
            "光明区",
            (REG, TAX),
        ),
    ],
)
def test_kinds_joined_by_or_are_alternatives(title: str, text: str, district: str, kinds: tuple) -> None:
    """ "注册地或纳税地在本区" is any(registered, tax), never the last kind alone, whatever the item's numbering."""
    tree = read_policy(text, title).tree
    assert _places(tree) == {_any(*[[_row(k, district)] for k in kinds])}


@pytest.mark.parametrize(
    "title,text,expect_field",
    [
        ("罗湖区", "申报条件：注册地或纳税地在本区，上年度营业收入不低于800万元。", "revenue_wan"),
        ("南山区", "申报条件：注册地或者纳税地在本区的国家高新技术企业。", "qualifications"),
        ("宝安区", "申报条件：企业工商注册地或税务关系在本区，从业人员50人以上。", "employees"),
    ],
)
def test_other_conditions_of_the_clause_still_read(title: str, text: str, expect_field: str) -> None:
    """The place alternatives are a group of their own; the rest of the sentence is read as before."""
    tree = read_policy(text, title).tree
    assert any(n.get("field") == expect_field for n in tree["all"])
    assert len([n for n in tree["all"] if "any" in n]) == 1
    assert not any(n.get("field") in (REG, TAX, OPS) for n in tree["all"])


@pytest.mark.parametrize(
    "title,text,district,first,second",
    [
        (
            "宝安区",
            "申报条件：注册地和纳税地均在宝安区，或者实际经营地在宝安区。",
            "宝安区",
            (REG, TAX),
            (OPS,),
        ),
        (
            "龙华区",
            "申报条件：在龙华区注册，或注册在区外但在龙华区实际经营并纳税的企业。",
            "龙华区",
            (REG,),
            (OPS, TAX),
        ),
        (
            "福田区",
            "申报条件：工商注册地在福田区，或者税务登记地及经营场所均在福田区。",
            "福田区",
            (REG,),
            (TAX, OPS),
        ),
        (
            "罗湖区",
            "申报条件：注册地在罗湖区；或注册地不在罗湖区，但纳税地和经营地在罗湖区。",
            "罗湖区",
            (REG,),
            (TAX, OPS),
        ),
        ("坪山区", "申报条件：注册地在坪山区，或者在坪山区设立研发中心的企业。", "坪山区", (REG,), (OPS,)),
        ("盐田区", "申报条件：企业在盐田区注册，或者在盐田区依法纳税。", "盐田区", (REG,), (TAX,)),
    ],
)
def test_place_phrases_joined_by_or_are_branches(
    title: str, text: str, district: str, first: tuple, second: tuple
) -> None:
    """ "A和B在X，或C在X": each side of the 或 is a branch (across a "；或" too); a "注册地不在X但" between them is
    implied, not a row."""
    tree = read_policy(text, title).tree
    want = _any([_row(k, district) for k in first], [_row(k, district) for k in second])
    assert _places(tree) == {want}
    assert not any(r["op"] == "ne" for r in _leaves(tree))


# ---------------------------------------------------------------------------------------------------------------
# 视同本区企业: registered in the district, or placed as the sentence says


@pytest.mark.parametrize(
    "title,text,district,others",
    [
        (
            "光明区",
            "申报条件：\n（一）注册地在光明区；注册地不在光明区，但经营地和纳税地均在光明区的，视同本区企业。\n（二）营业收入1亿元以上。",
            "光明区",
            (OPS, TAX),
        ),
        (
            "龙岗区",
            "申报条件：在本区注册的企业；注册地在区外、实际经营地和税务关系在本区的企业视同本区企业。",
            "龙岗区",
            (OPS, TAX),
        ),
        (
            "南山区",
            "适用范围：注册地不在本区但在本区实际经营并纳税的企业，视为本区企业，可按本办法申报。",
            "南山区",
            (OPS, TAX),
        ),
        (
            "福田区",
            "申报条件：1. 在福田区注册，或注册在区外但纳税和实际经营均在福田区的企业（视同本区企业）；2. 营业收入不低于2000万元。",
            "福田区",
            (TAX, OPS),
        ),
        (
            "宝安区",
            "申报条件：注册地不在本区的企业，其实际经营地和纳税地须在本区。",
            "宝安区",
            (OPS, TAX),
        ),
        (
            "罗湖区",
            "问：注册在外区的企业可以申报吗？\n答：可以，但须在罗湖区实际经营并纳税。\n问：奖励标准？\n答：奖励5万元。",
            "罗湖区",
            (OPS, TAX),
        ),
    ],
)
def test_deemed_local_firm_widens_the_registration(
    title: str, text: str, district: str, others: tuple
) -> None:
    """ "注册地不在本区但经营地和纳税地在本区的，视同本区企业" is any(registered, all(operating, tax)): no "not registered"
    row, and no registration row beside the group."""
    tree = read_policy(text, title).tree
    assert _places(tree) == {_any([_row(REG, district)], [_row(k, district) for k in others])}
    assert not any(r["op"] == "ne" for r in _leaves(tree))


def test_deemed_group_beside_a_common_tax_row() -> None:
    """ "在X注册、纳税的企业，以及注册地不在X但在X纳税且实际经营的企业（视同本区企业）": tax binds both sides."""
    text = "一、支持对象\n在盐田区注册、纳税的工业企业，以及注册地不在盐田区但在盐田区纳税且实际经营的企业（视同本区企业）。"
    places = _places(read_policy(text, "盐田区").tree)
    assert _canon(_row(TAX, "盐田区")) in places
    assert _any([_row(REG, "盐田区")], [_row(TAX, "盐田区"), _row(OPS, "盐田区")]) in places
    assert _canon(_row(REG, "盐田区")) not in places


# ---------------------------------------------------------------------------------------------------------------
# Kinds of place all required: 和/及/且/并/、, verbs after 在, 三地合一, asides


@pytest.mark.parametrize(
    "title,text,district,kinds",
    [
        ("坪山区", "申报条件：1. 注册地且纳税地在本区；2. 营业收入不低于1000万元。", "坪山区", (REG, TAX)),
        ("龙岗区", "申报条件：企业在本区注册并实际经营，从业人员20人以上。", "龙岗区", (REG, OPS)),
        ("南山区", "申报条件：申报单位在本区依法注册、纳税和实际经营。", "南山区", (REG, TAX, OPS)),
        ("福田区", "第四条 本办法所称企业，是指工商注册、税务关系均在福田区的企业。", "福田区", (REG, TAX)),
        (
            "罗湖区",
            "申报条件：企业须实现注册地、经营地、纳税地三地合一，且均在罗湖区。",
            "罗湖区",
            (REG, OPS, TAX),
        ),
        (
            "宝安区",
            "申报条件：注册地（以营业执照登记为准）在宝安区，营业收入5000万元以上。",
            "宝安区",
            (REG,),
        ),
        ("龙华区", "申报条件：在龙华区有实际经营场所的企业，营业收入500万元以上。", "龙华区", (OPS,)),
        ("光明区", "申报条件：在光明区（含光明科学城）依法注册并纳税的企业。", "光明区", (REG, TAX)),
        ("南山区", "申报条件：企业的注册地、主要经营地均在南山区。", "南山区", (REG, OPS)),
        ("福田区", "受理条件：申请单位住所地及主要办公场所均在福田区。", "福田区", (REG, OPS)),
    ],
)
def test_kinds_all_required(title: str, text: str, district: str, kinds: tuple) -> None:
    """Every kind a phrase lists with 和/及/且/并/、 is its own row, an aside inside the place breaking nothing."""
    assert _places(read_policy(text, title).tree) == {_canon(_row(k, district)) for k in kinds}


@pytest.mark.parametrize(
    "text",
    [
        "申报条件：注册地、纳税地、统计关系“三地”均在本区。",
        "申报条件：企业工商注册地、税收征管关系及统计关系均在本区。",
        "申报条件：企业注册地或统计关系在本区。",
        "申报条件：企业注册地、纳税地均在本区，或者统计关系在本区。",
    ],
)
def test_statistics_relation_is_reported(text: str) -> None:
    """统计关系 has no field: it is reported, and an 或 with it on one side gives no place row at all."""
    reading = read_policy(text, "龙岗区")
    assert any("统计关系" in u[3] or "备选" in u[3] for u in reading.unread_spans)
    if "或" in text:
        assert _places(reading.tree) == set()


# ---------------------------------------------------------------------------------------------------------------
# Places outside the region: reported, never silently dropped, never a row


@pytest.mark.parametrize(
    "text,piece",
    [
        ("申报条件：在前海深港现代服务业合作区注册的企业，营业收入1亿元以上。", "前海"),
        ("申报条件：在广州南沙新区（自贸片区）注册的企业。", "南沙"),
        ("申报条件：在苏州工业园区依法注册并纳税的企业。", "苏州工业园区"),
        ("申报条件：企业须在宁波保税区注册登记，营业收入1亿元以上。", "宁波保税区"),
        ("申报条件：在西安综合保税区内注册的加工贸易企业。", "西安综合保税区"),
        ("申报条件：在天府新区直管区注册的企业，从业人员50人以上。", "天府新区直管区"),
        (
            "第五条 对注册在长沙经济技术开发区的企业，研发费用达到300万元的，奖励10万元。",
            "长沙经济技术开发区",
        ),
        ("申报条件：注册地在青岛西海岸新区，营业收入1亿元以上。", "青岛西海岸新区"),
        ("申报条件：在武汉东湖高新区登记注册的科技型中小企业。", "武汉东湖高新区"),
        ("申报条件：注册在成都天府国际空港综合保税区的企业。", "成都"),
    ],
)
def test_zone_outside_region_is_reported(text: str, piece: str) -> None:
    """Any 合作区/新区/开发区/高新区/综合保税区/直管区/自贸片区 that is no district of the region: reported, no row."""
    reading = read_policy(text, "测试")
    assert any(piece in u[0] and "本地区以外" in u[3] for u in reading.unread_spans)
    assert _places(reading.tree) == set()


@pytest.mark.parametrize(
    "title,text,piece",
    [
        (
            "合肥经开区新能源汽车配套企业奖励",
            "申报条件：经开区注册的汽车零部件制造企业，营业收入2亿元以上。",
            "经开区",
        ),
        ("珠海横琴合作区企业研发奖励", "申报条件：在合作区登记注册的企业，研发费用不低于100万元。", "合作区"),
        ("成都高新区企业上市奖励", "申报条件：注册地在本区的拟上市企业。", "本区"),
        ("昆明市中小企业贷款贴息", "申报条件：在本区依法注册、纳税的中小微企业。", "本区"),
    ],
)
def test_local_word_of_an_issuer_outside_region_is_reported(title: str, text: str, piece: str) -> None:
    """本区 or an unnamed zone of an issuer outside the region names no district the reader knows: reported."""
    reading = read_policy(text, title)
    assert any(piece in u[0] for u in reading.unread_spans)
    assert _places(reading.tree) == set()


@pytest.mark.parametrize(
    "title,text,district",
    [
        (
            "南山区研发总部奖励",
            "第三条 注册在南山区，或注册在东莞市但研发总部设在南山区的企业，给予奖励100万元。",
            "南山区",
        ),
        ("福田区", "申报条件：注册地在福田区，或者总部设在福田区的金融机构。", "福田区"),
        ("盐田区", "申报条件：注册在盐田区或者前海合作区的物流企业。", "盐田区"),
        ("坪山区", "申报条件：注册地在坪山区或东莞市松山湖的企业。", "坪山区"),
        (
            "宝安区",
            "申报条件：工商注册地在宝安区，或者经宝安区政府认定的重点企业，营业收入1亿元以上。",
            "宝安区",
        ),
        ("龙岗区", "申报条件：注册地在龙岗区，或在惠州市大亚湾区注册但纳税在龙岗区的企业。", "龙岗区"),
    ],
)
def test_alternative_with_unstateable_side_gives_no_place_row(title: str, text: str, district: str) -> None:
    """ "注册在X，或注册在区外但研发总部在X": one side cannot be said, so the other is no requirement either."""
    reading = read_policy(text, title)
    assert not any(r["field"] == REG and r["op"] == "eq" for r in _leaves(reading.tree))
    assert reading.unread_spans


def test_aside_including_a_zone_outside_the_region_is_reported() -> None:
    """ "在本市（含深汕特别合作区）注册" widens the city by a zone no district row can name: the official is told."""
    reading = read_policy("申报条件：在本市（含深汕特别合作区）依法注册的中小微企业。", "测试")
    assert any("本地区以外" in u[3] and "深汕特别合作区" in u[0] for u in reading.unread_spans)


def test_aside_naming_a_district_of_the_region_is_not_reported() -> None:
    """An aside that names a district of the region (（含光明区）) adds nothing outside it."""
    reading = read_policy("申报条件：在本市（含光明区）依法注册的中小微企业。", "测试")
    assert not any("本地区以外" in u[3] for u in reading.unread_spans)


@pytest.mark.parametrize(
    "text",
    [
        "申报条件：注册在外区、在龙华区纳税的企业也可申报。",
        "问：纳税在其他区的企业能申请吗？\n答：不能。",
        "申报条件：注册在宝安区的企业，营业收入1000万元以上。",
    ],
)
def test_generic_other_district_is_not_an_outside_name(text: str) -> None:
    """外区 / 其他区 / a district of the region name no place outside it."""
    assert not any("本地区以外" in u[3] for u in read_policy(text, "龙华区").unread_spans)


# ---------------------------------------------------------------------------------------------------------------
# Streets: the street and its own district


@pytest.mark.parametrize(
    "text,district,street",
    [
        ("一、申报条件\n注册地（以营业执照登记住所为准）在福田区华富街道的商贸企业。", "福田区", "华富街道"),
        ("申报条件：在龙岗区坂田街道注册的企业，营业收入1亿元以上。", "龙岗区", "坂田街道"),
        ("申报条件：注册在光明区马田街道的规模以上工业企业。", "光明区", "马田街道"),
        ("申报条件：注册在西丽街道辖区内的科技企业。", "南山区", "西丽街道"),
        ("申报条件：在民治街道注册的企业，从业人员不少于20人。", "龙华区", "民治街道"),
        ("申报条件：注册地在福永街道的制造业企业。", "宝安区", "福永街道"),
    ],
)
def test_street_and_its_district(text: str, district: str, street: str) -> None:
    """A street of the region's file is a street row, and the firm is registered in that street's district."""
    places = _places(read_policy(text, "街道企业奖励").tree)
    assert _canon(_row("street", street)) in places
    assert _canon(_row(REG, district)) in places
    assert not any(p[0] == REG and p[2] != district for p in places if p[0] != "any")


# ---------------------------------------------------------------------------------------------------------------
# Q&A answers about places


@pytest.mark.parametrize(
    "text,district,kinds",
    [
        (
            "问：注册在南山、纳税在其他区的企业能申请吗？\n答：不能，须注册地和纳税地均在南山区。",
            "南山区",
            (REG, TAX),
        ),
        (
            "问：注册地在罗湖区，但在福田区纳税，可以申报吗？\n答：不可以，企业注册地和纳税地须均在罗湖区。",
            "罗湖区",
            (REG, TAX),
        ),
        ("问：在龙岗区纳税但注册在外区的企业可以申报吗？\n答：不能，须在龙岗区注册。", "龙岗区", (REG,)),
        ("问：哪些企业可以申报？\n答：在宝安区注册并实际经营的工业企业均可申报。", "宝安区", (REG, OPS)),
        ("问：对注册地有要求吗？\n答：需要，注册地和实际经营地均须在坪山区。", "坪山区", (REG, OPS)),
        ("问：申报企业需要满足什么条件？\n答：注册地或纳税地在盐田区。", "盐田区", None),
    ],
)
def test_place_in_an_answer(text: str, district: str, kinds: tuple | None) -> None:
    """A place in an answer is read; a refused question of two things is not negated into "not registered here"."""
    tree = read_policy(text, "问答").tree
    if kinds is None:
        assert _places(tree) == {_any([_row(REG, district)], [_row(TAX, district)])}
    else:
        assert _places(tree) == {_canon(_row(k, district)) for k in kinds}
    assert not any(r["op"] == "ne" for r in _leaves(tree))


@pytest.mark.parametrize(
    "text",
    [
        "一、申报条件\n为支持注册地或纳税地在本区的企业做大做强，对上年度营业收入1亿元以上的企业给予奖励。",
        "一、申报条件\n营业收入1亿元以上的企业，优先支持注册地或纳税地在本区的企业。",
        "一、申报条件\n按《注册地或纳税地在本区企业认定办法》认定的企业，营业收入1亿元以上。",
    ],
)
def test_place_alternatives_in_a_purpose_or_a_title_are_no_group(text: str) -> None:
    """A purpose lead, whom the policy favours and a document's title state nothing of where the applicant is."""
    assert _places(read_policy(text, "宝安区").tree) == set()


def test_kinds_or_over_a_district_list() -> None:
    """ "注册地或纳税地在宝安区、南山区": either kind in either district."""
    tree = read_policy("申报条件：注册地或纳税地在宝安区、南山区的企业。", "宝安区").tree
    districts = {"field": REG, "op": "in", "value": ["宝安区", "南山区"]}
    assert _places(tree) == {_any([districts], [districts | {"field": TAX}])}


@pytest.mark.parametrize(
    "text,registered,tax",
    [
        ("申报条件：注册地在宝安区或南山区，纳税地在宝安区。", ["宝安区", "南山区"], "宝安区"),
        ("申报条件：企业注册在福田区或者罗湖区，且在福田区纳税。", ["福田区", "罗湖区"], "福田区"),
    ],
)
def test_district_list_beside_another_kind_is_no_alternative(text: str, registered: list, tax: str) -> None:
    """A 或 between districts of one kind is an "in" row, not an alternative between kinds."""
    assert _places(read_policy(text, "测试").tree) == {
        _canon({"field": REG, "op": "in", "value": registered}),
        _canon(_row(TAX, tax)),
    }


def test_what_the_last_side_adds_with_qie_is_its_own() -> None:
    """ "在本区注册；或者在本区纳税且营业收入1亿元以上": the revenue belongs to the second side only."""
    text = "申报条件：（一）在宝安区注册；（二）或者在宝安区纳税且营业收入1亿元以上。"
    tree = read_policy(text, "宝安区").tree
    revenue = {"field": "revenue_wan", "op": "gte", "value": 10000}
    assert {_canon(n) for n in tree["all"]} == {_any([_row(REG, "宝安区")], [_row(TAX, "宝安区"), revenue])}


@pytest.mark.parametrize(
    "text,kinds",
    [
        (
            "申报条件：营业收入1亿元以上。\n有下列情形之一的不予支持：\n（一）注册地或纳税地不在本区的；\n（二）存在失信行为的。",
            (REG, TAX),
        ),
        ("申报条件：营业收入1亿元以上。注册地和纳税地均不在本区的企业不得申报。", ()),
        ("申报条件：营业收入1亿元以上。税务关系不在本区的企业不予支持。", (TAX,)),
    ],
)
def test_places_shut_out_by_an_exclusion(text: str, kinds: tuple) -> None:
    """ "注册地或纳税地不在本区的" shut out: both required; "…均不在本区的" shut out: either would do (reported)."""
    reading = read_policy(text, "坪山区")
    assert _places(reading.tree) == {_canon(_row(k, "坪山区")) for k in kinds}
    if not kinds:
        assert reading.unread_spans
