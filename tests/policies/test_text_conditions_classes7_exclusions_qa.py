"""Exclusions, negation scope, credit and Q&A (reader_real8 failures), each in several phrasings of our own: a title
the text says is not needed, the old text a 补充通知 / 修订说明 replaces, whom the policy only favours, support from
other policies, growth said as "no negative growth", and a bare refusal in a Q&A answer."""

import pytest

from portal.policies.text_conditions import read_policy


def _leaves(tree: dict) -> list[dict]:
    """Every row of a condition tree, with the rows under a `not` marked negated."""
    out, stack = [], [(tree, False)]
    while stack:
        node, negated = stack.pop()
        if "field" in node:
            out.append({**node, "negated": negated})
        else:
            for kind in ("all", "any"):
                stack += [(n, negated) for n in node.get(kind, [])]
            if "not" in node:
                stack.append((node["not"], not negated))
    return out


def _fields(text: str, title: str = "") -> dict[str, list[dict]]:
    """The rows read from a text, by field."""
    out: dict[str, list[dict]] = {}
    for row in _leaves(read_policy(text, title).tree):
        out.setdefault(row["field"], []).append(row)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Negation scope: a title the text says is not needed ("不必已是…", "无需…") is neither required nor shut out

WAIVED = [
    "申报条件：在龙岗区注册的制造业企业，不必已是国家高新技术企业。",
    "支持对象：注册在坪山区的软件企业均可申请，无需已获得专精特新中小企业认定。",
    "一、申报条件\n1. 在宝安区注册；\n2. 本次申报不要求已纳入规模以上工业企业统计。",
    "问：没有国高资质可以申请吗？\n答：可以，申请企业无须为国家高新技术企业。",
    "第五条 申请人应当在福田区注册，不需要具备专精特新“小巨人”企业资格。",
    "申报条件：（一）注册地在南山区；（二）上年度营业收入500万元以上；（三）不一定是规上企业，小微企业也可申报。",
]


@pytest.mark.parametrize("text", WAIVED)
def test_a_waived_title_gives_no_qualification_row(text: str) -> None:
    assert "qualifications" not in _fields(text, "关于开展2026年企业扶持资金申报的通知")


def test_a_waived_title_leaves_the_other_rows() -> None:
    got = _fields(
        "申报条件：在龙岗区注册的制造业企业，上年度营业收入不低于1000万元，不必已是国家高新技术企业。"
    )
    assert "qualifications" not in got
    assert got["industry_code"][0]["value"] == ["C"]
    assert got["revenue_wan"][0]["value"] == 1000


def test_a_required_title_is_still_read() -> None:
    got = _fields("申报条件：在龙岗区注册，须已认定为国家高新技术企业。")
    assert got["qualifications"][0]["op"] == "contains_any"


# ---------------------------------------------------------------------------------------------------------------
# 补充通知 / 修订说明: the quoted old text a revision replaces states no requirement, wherever its lead sits

REPLACED = [
    (
        "各区工信部门：\n原通知第三条第（二）项“上年度营业收入不低于2000万元”调整为“上年度营业收入不低于800万元”，其余不变。",
        800,
    ),
    ("二、修订内容\n1. 申报门槛由“营业收入不低于1亿元”下调为“营业收入不低于5000万元”。", 5000),
    ("现将申报条件“年营业收入3000万元以上”修改为“年营业收入1500万元以上”，特此补充通知。", 1500),
    ("补充说明：第（一）项“营业收入不低于600万元”放宽为“营业收入不低于300万元”。", 300),
    ("主要变化：营业收入门槛从原来的“5亿元以上”降低为“2亿元以上”。", 20000),
    ("（三）将“上年度营业收入达到1000万元”提高为“上年度营业收入达到2000万元”。", 2000),
]


@pytest.mark.parametrize(("text", "new"), REPLACED)
def test_only_the_new_threshold_of_a_revision_is_read(text: str, new: int) -> None:
    got = _fields(text)
    assert [r["value"] for r in got["revenue_wan"]] == [new]


def test_a_widened_object_keeps_only_the_new_one() -> None:
    got = _fields("二、主要修订内容\n支持对象由“规模以上工业企业”扩大为“在坪山区注册的制造业企业”。")
    assert "qualifications" not in got
    assert got["industry_code"][0]["value"] == ["C"]


# ---------------------------------------------------------------------------------------------------------------
# Whom the policy favours is no requirement, also when the clause ends on 优先支持 and its subject comes first

FAVOURED = [
    ("一、申报条件\n1. 在龙华区注册的企业；\n2. 已取得国家级绿色工厂称号的企业优先支持。", "qualifications"),
    ("申报条件：（一）注册在光明区；（二）获得国家高新技术企业认定的，优先推荐。", "qualifications"),
    ("申请条件：申请企业应当在宝安区注册；专精特新“小巨人”企业予以优先支持。", "qualifications"),
    ("申报要求：在罗湖区注册；上年度营业收入5000万元以上的企业优先考虑。", "revenue_wan"),
    ("申报条件：1. 在南山区注册；2. 从业人员100人以上的单位将优先安排。", "employees"),
    ("支持对象：注册在福田区的企业，其中规模以上工业企业优先支持。", "qualifications"),
]


@pytest.mark.parametrize(("text", "field"), FAVOURED)
def test_a_favoured_subject_gives_no_row(text: str, field: str) -> None:
    got = _fields(text)
    assert field not in got
    assert "registered_district" in got


# ---------------------------------------------------------------------------------------------------------------
# Exclusions: support already had from another policy is not this policy's group (@own)

OTHER_SUPPORT = [
    "二、不予受理情形\n（一）同一笔贷款已获得本区其他贴息支持的；",
    "有下列情形之一的，不予支持：1. 该项目已获得区级其他财政资金资助的。",
    "问：已经享受过区里的其他补贴，还能申请吗？\n答：可以。",
    "不予受理：申报项目已获得本区其它专项资金扶持的。",
    "【不予受理情形】已取得区级其他同类补助的项目。",
    "三、其他事项\n已获得本区别的奖励的项目，须在申报时如实说明。",
]


@pytest.mark.parametrize("text", OTHER_SUPPORT)
def test_support_from_other_policies_is_no_own_row(text: str) -> None:
    assert "approved_groups" not in _fields("一、申报条件\n在龙岗区注册的企业。\n" + text)


def test_this_policys_own_support_is_still_own() -> None:
    got = _fields("一、申报条件\n在龙岗区注册。\n二、不予受理情形\n已获得本区同类奖励的企业。")
    assert got["approved_groups"][0]["op"] == "not_contains_any"


# ---------------------------------------------------------------------------------------------------------------
# Negation scope: "未出现负增长" is growth at least zero

NO_DECLINE = [
    ("申报条件：上年度营业收入不低于5000万元且未出现负增长。", "revenue_growth"),
    ("（三）上年度营业收入5亿元以上，同比没有负增长；", "revenue_growth"),
    ("3. 近一年纳税总额500万元以上，且不出现负增长。", "tax_paid_growth"),
    ("申报条件：营业收入同比无负增长，年营业收入2000万元以上。", "revenue_growth"),
    ("第四条 申请企业上年度营业收入不低于1亿元，比上年未出现负增长。", "revenue_growth"),
    ("受理条件：上年度纳税额不少于100万元且同比未负增长。", "tax_paid_growth"),
]


@pytest.mark.parametrize(("text", "field"), NO_DECLINE)
def test_no_negative_growth_is_growth_at_least_zero(text: str, field: str) -> None:
    got = _fields(text)
    assert got[field] == [{"field": field, "op": "gte", "value": 0, "negated": False}]


def test_positive_growth_is_still_above_zero() -> None:
    got = _fields("申报条件：上年度营业收入不低于5000万元且实现正增长。")
    assert got["revenue_growth"][0]["op"] == "gt"


# ---------------------------------------------------------------------------------------------------------------
# Q&A: a bare refusal of a listed kind, or of a firm with a bad record, is an exclusion

REFUSED_KINDS = [
    ("问：从事房地产开发、金融业务的企业可以申请吗？\n答：不可以。", ["J", "K701"]),
    ("Q：批发业、零售业企业能报名吗？\nA：不能。", ["F51", "F52"]),
    ("问3：房地产业、建筑业企业可否申报？\n答：不可以。", ["E", "K"]),
    ("三问：住宿业、餐饮业企业是否可以申请？\n答：不能。", ["H"]),
    ("问：金融业企业能申请吗？\n答：不能。", ["J"]),
    ("问：从事房地产开发经营的企业可以申报吗？\n答：不可以。", ["K701"]),
]


def _covers(got: list[str], want: list[str]) -> bool:
    """Whether the prefixes got name the same classes as want (K7010 is K701, H61+H62 is H)."""
    return all(any(g.startswith(w) or w.startswith(g) for g in got) for w in want) and all(
        any(g.startswith(w) or w.startswith(g) for w in want) for g in got
    )


@pytest.mark.parametrize(("qa", "prefixes"), REFUSED_KINDS)
def test_a_refused_list_of_industries_is_shut_out(qa: str, prefixes: list[str]) -> None:
    text = "问：哪些企业可以申请？\n答：注册在龙华区的中小微企业。\n" + qa
    rows = _fields(text)["industry_code"]
    assert len(rows) == 1
    row = rows[0]
    shut_out = row["negated"] != (row["op"] in ("not_in", "not_prefix_in"))
    assert shut_out
    assert _covers(row["value"], prefixes)


REFUSED_RECORDS = [
    "Q：被列入经营异常名录的企业能报名吗？\nA：不能。",
    "问：存在失信记录的企业可以申请吗？\n答：不可以。",
    "问：被列入严重违法失信名单的企业能否申报？\n答：不能。",
    "问5：有欠缴税款的企业能申请吗？\n答：不行。",
    "问：被认定为失信被执行人的企业可以申报吗？\n答：不可以。",
    "Q3：列入黑名单的商户还能参加吗？\nA：不能。",
]


@pytest.mark.parametrize("qa", REFUSED_RECORDS)
def test_a_refused_bad_record_is_credit_ok(qa: str) -> None:
    text = "问：对商户有什么要求？\n答：商户须注册在罗湖区。\n" + qa
    got = _fields(text)
    assert got["credit_ok"] == [{"field": "credit_ok", "op": "eq", "value": True, "negated": False}]


def test_a_refusal_that_says_what_is_required_instead_is_no_exclusion() -> None:
    text = "问：注册在福田、纳税在其他区的企业能申请吗？\n答：不能，须注册地和纳税地均在福田区。"
    got = _fields(text)
    assert not any(r["negated"] or r["op"] == "ne" for rows in got.values() for r in rows)


def test_an_allowed_question_is_no_exclusion() -> None:
    text = "问：对商户有什么要求？\n答：商户须注册在罗湖区。\n问：金融业企业能申请吗？\n答：可以。"
    assert "industry_code" not in _fields(text)


# ---------------------------------------------------------------------------------------------------------------
# Exclusions: "同一企业…只兑付一次" is this policy's support once (@own, no window)

ONCE_ONLY = [
    "说明：同一企业同一事项只兑付一次。",
    "三、其他\n同一企业仅享受一次本项奖励。",
    "第九条 同一申报主体同一年度限申报一次。",
    "备注：同一企业只能享受一次。",
    "四、其他事项\n同一单位同一项目仅支持一次。",
    "注：同一企业同一认定事项只奖励一次，由区科技局负责解释。",
]


@pytest.mark.parametrize("text", ONCE_ONLY)
def test_once_only_is_own_not_again(text: str) -> None:
    got = _fields("一、申报条件\n在龙华区注册的企业。\n" + text)
    rows = got["approved_groups"]
    assert [(r["op"], r["value"], r.get("within_years")) for r in rows] == [
        ("not_contains_any", ["@own"], None)
    ]


def test_the_highest_tier_once_is_no_own_row() -> None:
    text = "一、申报条件\n在龙华区注册的企业。\n二、奖励标准\n奖励20万元、50万元，同一企业按最高档奖励，不重复享受。"
    assert "approved_groups" not in _fields(text)


# ---------------------------------------------------------------------------------------------------------------
# Exclusions: "已获得过本区同类奖励的，不再重复奖励" shuts out this policy's earlier recipients

NOT_AGAIN = [
    "可以叠加享受，但此前已获得过区级同类奖励的，不再重复奖励。",
    "第七条 已获得本区同类资助的企业，不再重复资助。",
    "三、其他\n已享受本项补贴的企业不再重复给予。",
    "注：往年已获得本区同类扶持的，不再重复支持。",
    "问：去年拿过本项奖励，今年还能申请吗？\n答：不能，已获得本项奖励的不再重复兑付。",
    "已领取本区同类补助的单位，本次不再重复补助。",
]


@pytest.mark.parametrize("text", NOT_AGAIN)
def test_not_again_after_an_own_award_is_an_exclusion(text: str) -> None:
    got = _fields("一、申报条件\n在坪山区注册的企业。\n" + text)
    ops = {(r["op"], r["negated"]) for r in got["approved_groups"]}
    assert ops <= {("not_contains_any", False), ("contains_any", True)}
