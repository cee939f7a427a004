"""Reader classes of issue 12, sixth round: exclusions in any wording, accidents that are no credit record, and size
words that name no requirement on the applicant (lists of who may apply, every size, whom the applicant serves)."""

from __future__ import annotations

import pytest

from portal.policies.text_conditions import read_policy


def row(field: str, op: str, value) -> dict:
    """One condition row."""
    return {"field": field, "op": op, "value": value}


def _rows(tree: dict) -> list[dict]:
    """Every row of a condition tree, through its groups."""
    if "field" in tree:
        return [tree]
    if "not" in tree:
        return [{"not": tree["not"]}] + _rows(tree["not"])
    return [r for node in tree.get("all", tree.get("any", [])) for r in _rows(node)]


def _read(text: str, title: str = "") -> tuple[list[dict], list[str]]:
    """The top rows of a reading and the texts of its 未能识别 spans (with their reasons)."""
    reading = read_policy(text, title)
    return reading.tree["all"], [f"{u[0]}｜{u[3]}" for u in reading.unread_spans]


def _positive(rows: list[dict], field: str) -> list[dict]:
    """The rows that require something of a field (no exclusion)."""
    return [
        r for r in rows if r.get("field") == field and r["op"] in ("eq", "in", "prefix_in", "contains_any")
    ]


# --- exclusions of the rule's scope, in wordings of other authors --------------------------------------------


@pytest.mark.parametrize(
    "text,prefixes",
    [
        (
            "【办理条件】\n1. 在南山区注册的中小微企业；\n2. 批发业、零售业企业不属于本事项受理范围。\n【办理时限】10个工作日。",
            ["F51", "F52"],
        ),
        ("二、申报条件\n（一）在龙岗区注册的企业；\n（二）金融业企业不在受理范围。", ["J"]),
        ("第五条 在宝安区依法登记的企业可以申请。\n第六条 金融业企业不属于本专项资金支持对象。", ["J"]),
        ("申报要求：注册在福田区的企业；批发业企业不作为本次扶持对象。", ["F51"]),
        ("一、支持对象\n在光明区注册的企业。\n二、其他\n金融业企业不在此列。", ["J"]),
        ("三、申请条件\n1.在罗湖区注册；\n2.零售业企业不属于本政策适用范围。", ["F52"]),
    ],
)
def test_a_scope_exclusion_shuts_out_its_subject(text: str, prefixes: list[str]) -> None:
    """不属于本事项受理范围 / 不在受理范围 / 不属于…支持对象 / 不作为…对象 / 不在此列: the industry is shut out."""
    rows, _ = _read(text)
    assert not _positive(rows, "industry_code")
    assert {"not": row("industry_code", "prefix_in", prefixes)} in rows


@pytest.mark.parametrize(
    "clause",
    [
        "住宿业、餐饮业企业不在本轮扶持之内",
        "批发零售企业不参与本次评选",
        "房地产开发经营企业无权申领该笔资金",
        "金融业企业不接受其材料",
        "国家高新技术企业不享受此项资助",
        "大型企业不宜申报此类项目",
    ],
)
def test_an_unknown_exclusion_never_requires_its_subject(clause: str) -> None:
    """A negative verb the reader does not know as an exclusion: its subject is reported, never required."""
    rows, unread = _read(f"申报条件：\n1. 在坪山区注册的企业；\n2. {clause}。")
    kinds = ("industry_code", "qualifications", "size_class")
    assert not any(_positive(rows, f) for f in kinds)
    assert any(clause in u.split("｜")[0] for u in unread)


def test_a_second_predicate_after_a_figure_is_read() -> None:
    """ "营业收入不低于5亿元且不属于金融业企业的": the figure is required, the industry shut out."""
    rows, _ = _read("第三条 在龙华区注册，上年度营业收入不低于5亿元且不属于金融业企业的，给予奖励100万元。")
    assert row("revenue_wan", "gte", 50000) in rows
    assert not _positive(rows, "industry_code")


@pytest.mark.parametrize(
    "clause,shut_out",
    [
        ("申报单位不得为大型企业", row("size_class", "ne", "大型")),
        ("申请企业不能为大型企业", row("size_class", "ne", "大型")),
    ],
)
def test_the_object_of_a_negative_verb_is_shut_out(clause: str, shut_out: dict) -> None:
    """不得为 / 不能为 X: X is excluded, never required."""
    rows, _ = _read(f"申报条件：在盐田区注册；{clause}。")
    assert shut_out in rows
    assert not _positive(rows, "size_class")


@pytest.mark.parametrize(
    "item",
    ["已获得中央财政资金支持的专精特新“小巨人”企业", "已享受国家级专项资金奖励的专精特新“小巨人”企业"],
)
def test_prior_funding_beside_the_required_title_is_reported(item: str) -> None:
    """The prior funding is what is excluded: the required title stays, nothing contradicts, the item is reported."""
    text = (
        "第七条 注册在南山区的国家级专精特新“小巨人”企业，给予一次性奖励30万元。\n"
        f"第八条 有下列情形之一的，不予奖励：\n（一）{item}；\n（二）申报材料弄虚作假的。"
    )
    rows, unread = _read(text)
    assert row("qualifications", "contains_any", ['专精特新"小巨人"企业']) in rows
    assert not any(r.get("op") == "not_contains_any" for r in rows)
    assert any("资金支持" in u or "奖励" in u.split("｜")[0] for u in unread)


# --- accidents are no credit record (convention of 2026-12-07) ------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "近三年未发生重大安全生产事故",
        "申报年度内无重大环保事故",
        "近两年未发生较大以上质量事故",
        "未发生重大生产安全事故和环境污染事件",
        "近三年无重大事故",
        "三年内未发生一般以上消防安全事故",
    ],
)
def test_an_accident_alone_gives_no_credit_row(clause: str) -> None:
    """No safety/environment/quality accident is no 失信 record: no credit_ok, the clause is reported."""
    rows, unread = _read(f"一、申报条件\n（一）在福田区注册的企业；\n（二）{clause}。")
    assert not any(r.get("field") == "credit_ok" for r in _rows({"all": rows}))
    assert any(clause in u.split("｜")[0] for u in unread)


@pytest.mark.parametrize(
    "clause",
    [
        "近三年未发生重大安全生产事故及严重失信行为",
        "无安全、环保事故和失信记录",
        "未发生重大质量事故，未被列入严重失信主体名单",
        "近三年未发生被执法部门认定的严重违法违规行为",
        "无违法失信记录",
        "申报企业不得有违法失信行为",
    ],
)
def test_the_credit_part_beside_an_accident_is_read(clause: str) -> None:
    """失信 / 严重违法违规 / 违法失信 is a credit list: credit_ok, whether or not an accident stands beside it."""
    rows, _ = _read(f"申报条件：\n1. 在宝安区注册；\n2. {clause}。")
    assert row("credit_ok", "eq", True) in rows


def test_an_accident_in_an_exclusion_list_gives_no_row() -> None:
    """Under 不予支持, an accident item gives no row; a 失信 item beside it still requires credit_ok."""
    text = (
        "申报条件：在大鹏新区注册的企业。\n有下列情形之一的，不予支持：\n（一）近三年发生较大以上生产安全事故的；\n"
        "（二）被列入失信联合惩戒对象名单的。"
    )
    rows, unread = _read(text)
    assert row("credit_ok", "eq", True) in rows
    assert any("生产安全事故" in u.split("｜")[0] for u in unread)
    only_accident = (
        "申报条件：在大鹏新区注册的企业。\n有下列情形之一的，不予支持：\n（一）近三年发生重大环保事故的。"
    )
    rows, _ = _read(only_accident)
    assert not any(r.get("field") == "credit_ok" for r in rows)


# --- size words that are no requirement on the applicant -------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "民营企业、中小微企业、服务机构都可以提出申请",
        "大中小企业均可申报",
        "各类规模企业均可参与",
        "大型企业和中小微企业均可报名",
        "中小企业、个体工商户、社会组织皆可申报",
        "企业规模不限",
    ],
)
def test_a_list_of_who_may_apply_is_no_size(clause: str) -> None:
    """A 均可申报 list of several kinds, or every size, shuts no firm out by size."""
    rows, _ = _read(f"二、申报条件\n（一）在龙岗区注册；\n（二）{clause}。")
    assert not any(r.get("field") == "size_class" for r in _rows({"all": rows}))


@pytest.mark.parametrize(
    "clause",
    [
        "申报主体为在福田区注册、为中小微企业提供融资服务的机构",
        "上年度服务中小企业不少于80家的福田区注册机构",
        "在福田区注册，能带动中小企业协同发展的龙头企业",
        "鼓励大型企业开放应用场景，与中小企业开展协同创新",
        "小微企业可通过平台免费使用检测设备",
        "在福田区注册，为小微企业开展培训的服务平台",
    ],
)
def test_whom_the_applicant_serves_is_no_size(clause: str) -> None:
    """Whom the applicant serves, helps or works with, and an encouragement, are no size of the applicant."""
    rows, _ = _read(
        f"申报条件：\n1. {clause}；\n2. 上年度营业收入不低于300万元。\n奖励标准：给予10万元奖励。"
    )
    assert not any(r.get("field") == "size_class" for r in _rows({"all": rows}))
    assert row("revenue_wan", "gte", 300) in rows


@pytest.mark.parametrize(
    "clause,classes",
    [
        ("申报主体须为中小微企业", ["中型", "小型", "微型"]),
        ("中小微企业均可申报", ["中型", "小型", "微型"]),
        ("申请单位应为在本区注册的小微企业", ["小型", "微型"]),
    ],
)
def test_a_size_of_the_applicant_is_still_read(clause: str, classes: list[str]) -> None:
    """The applicant's own size (须为 / one kind that may apply) is a condition."""
    rows, _ = _read(f"申报条件：\n1. 在南山区注册；\n2. {clause}。")
    assert row("size_class", "in", classes) in rows
