"""Exclusions, credit and compliance (classes found by reader_real6), each in several phrasings of our own."""

import pytest

from portal.policies.text_conditions import read_policy


def _rows(tree: dict) -> list[dict]:
    """The rows of a proposed tree, a `not` group kept as the row it negates marked with `negated`."""
    out = []
    for node in tree.get("all", []):
        if "field" in node:
            out.append(node)
        elif "not" in node and "field" in node["not"]:
            out.append(node["not"] | {"negated": True})
        else:
            for key in ("all", "any"):
                out += _rows({"all": node.get(key, [])})
    return out


def _read(text: str, title: str = "测试") -> tuple[list[dict], list[str]]:
    """(rows, unread texts with their reasons) of a passage."""
    reading = read_policy(text, title)
    return _rows(reading.tree), [u[0] + "｜" + u[3] for u in reading.unread_spans]


def _has(rows: list[dict], field: str, op: str, value: object) -> bool:
    """Whether a row (not a negated one) says field op value."""
    return any(
        r["field"] == field and r["op"] == op and r["value"] == value and not r.get("negated") for r in rows
    )


def _excluded_industries(rows: list[dict]) -> list[list[str]]:
    """The prefix lists of the negated industry rows."""
    return [r["value"] for r in rows if r["field"] == "industry_code" and r.get("negated")]


# --- exclusion lists, wherever they stand ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # after the support sentence, in the same article
        "第六条 对在罗湖区注册、上年度营业收入5000万元以上的批发企业，奖励20万元。\n"
        "下列企业不纳入本条支持范围：（一）被列入经营异常名录的；（二）已获得本区同类奖励的。",
        # a heading of its own after the support standard
        "一、申报条件\n在罗湖区注册的批发企业，上年度营业收入5000万元以上。\n二、奖励标准\n奖励20万元。\n"
        "三、有下列情形之一的，不予支持\n1. 被纳入失信联合惩戒对象名单的；\n2. 此前已享受本区同类奖励的。",
        # a lead in a 其他 section, items on the lines below
        "一、申报条件\n在罗湖区注册的批发企业，上年度营业收入5000万元以上。\n二、支持标准\n奖励20万元。\n"
        "三、其他事项\n有下列情形之一的，不得申报：\n（一）被列入严重违法失信名单的；\n（二）已获得过本区同类资助的。",
        # a lead with its items on the same line
        "一、申报条件\n在罗湖区注册的批发企业，上年度营业收入5000万元以上。\n二、支持标准\n奖励20万元。\n"
        "三、附则\n以下企业不予受理：被列入经营异常名录的企业；已获得本区同类奖励的企业。",
        # before the support sentence
        "第九条 存在下列情形之一的企业，不列入本条扶持范围：被列为失信被执行人的；已享受本区同类奖励的。\n"
        "对在罗湖区注册、上年度营业收入5000万元以上的批发企业，奖励20万元。",
        # a 办事指南 with a 不予受理情形 block
        "受理条件：在罗湖区注册的批发企业，上年度营业收入5000万元以上。\n"
        "不予受理情形：\n1. 被列入严重失信主体名单的；\n2. 已获得本区同类奖励的。\n办理结果：奖励20万元。",
        # other wordings of the lead
        "第七条 对在罗湖区注册、上年度营业收入5000万元以上的批发企业，奖励20万元。\n"
        "下列企业不享受本条奖励：（一）被列入经营异常名录的；（二）已获得本区同类奖励的。",
        "第七条 对在罗湖区注册、上年度营业收入5000万元以上的批发企业，奖励20万元。有下列情形之一的，"
        "不予列入支持范围：被列入经营异常名录的；已获得本区同类奖励的。",
        "一、申报条件\n在罗湖区注册的批发企业，上年度营业收入5000万元以上。\n二、支持标准\n奖励20万元。\n"
        "三、其他\n下列企业不得享受本政策：\n1. 被列入严重失信主体名单的；\n2. 已获得本区同类奖励的。",
    ],
)
def test_exclusion_list_items_are_negated_requirements(text: str) -> None:
    """Every item of an exclusion list, before or after the support sentence, is read as what it shuts out."""
    rows, _ = _read(text, "罗湖区批发企业奖励")
    assert _has(rows, "credit_ok", "eq", True)
    assert _has(rows, "approved_groups", "not_contains_any", ["@own"])
    assert not _has(rows, "approved_groups", "contains_any", ["@own"])
    assert _has(rows, "revenue_wan", "gte", 5000)


@pytest.mark.parametrize(
    "text",
    [
        "一、申报条件\n在南山区注册的软件企业。\n二、奖励标准\n奖励10万元。\n三、其他\n"
        "有下列情形之一的，不予支持：\n（一）近三年受到行政处罚的；\n（二）存在拖欠员工工资行为的。",
        "第五条 对在南山区注册的软件企业奖励10万元。\n下列企业不在本条支持范围：近两年受到环保行政处罚的企业。",
    ],
)
def test_exclusion_item_the_language_cannot_state_is_unread(text: str) -> None:
    """An excluded record no field holds (a penalty, unpaid wages) is reported, never dropped silently."""
    rows, unread = _read(text)
    assert any("行政处罚" in u for u in unread)
    assert not any(r["field"] == "credit_ok" and r["op"] != "eq" for r in rows)


def test_procedure_refusal_outside_the_conditions_is_no_condition() -> None:
    """ "材料不全的，不予受理" in the process section is procedure, not a requirement on the firm."""
    text = (
        "一、申报条件\n在南山区注册的软件企业。\n二、奖励标准\n奖励10万元。\n三、申报程序\n"
        "申报材料不全或逾期提交的，不予受理。"
    )
    rows, unread = _read(text)
    assert [r["field"] for r in rows] == ["registered_district", "industry_code"]
    assert not any("不予受理" in u for u in unread)


# --- several industries shut out in one sentence ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text,wanted",
    [
        (
            "第四条 房地产开发经营企业、金融机构不适用本办法第三条。\n第三条 对在龙岗区注册的总部企业奖励30万元。",
            {"J", "K701"},
        ),
        (
            "一、申报条件\n在宝安区注册的服务业企业。\n二、其他\n本细则不适用于从事房地产开发、金融投资业务的企业。",
            {"J", "K7010"},
        ),
        (
            "申报条件：在福田区注册的批发零售企业。本政策不适用于金融机构和房地产开发企业。奖励10万元。",
            {"J", "K7010"},
        ),
        ("对在光明区注册的规上服务业企业奖励20万元，但金融业、房地产业企业不在本次支持范围。", {"J", "K"}),
        ("问：金融类企业能申报吗？\n答：不能，金融类企业、房地产企业均不属于本项目支持对象。", {"J", "K70"}),
        (
            "| 不予支持的企业 | 金融业企业、房地产开发企业 |\n对在坪山区注册的服务业企业奖励5万元。",
            {"J", "K7010"},
        ),
    ],
)
def test_industries_shut_out_together_are_one_negated_row(text: str, wanted: set[str]) -> None:
    """The industries excluded by one sentence are excluded together, and none becomes a requirement."""
    rows, _ = _read(text)
    excluded = {p for v in _excluded_industries(rows) for p in v}
    assert wanted <= excluded
    positive = {p for r in rows if r["field"] == "industry_code" and not r.get("negated") for p in r["value"]}
    assert not any(p.startswith(("J", "K")) for p in positive)


def test_industries_excepted_by_chu_wai_are_shut_out() -> None:
    """ "除房地产开发企业、金融机构外…均可申报": both excepted kinds are shut out."""
    rows, _ = _read("申报条件：除房地产开发企业、金融机构外，在南山区注册的企业均可申报。")
    industry = [r for r in rows if r["field"] == "industry_code"]
    assert len(industry) == 1 and industry[0]["op"] == "not_in"
    assert "K7010" in industry[0]["value"] and any(c.startswith("J") for c in industry[0]["value"])


@pytest.mark.parametrize(
    "text,kept",
    [
        ("申报条件：在南山区注册的软件企业（房地产、金融类企业除外）。", ["I65"]),
        ("支持对象：在南山区注册的制造业企业（其中烟草制品业除外）。", ["C"]),
    ],
)
def test_aside_excepting_others_keeps_the_industry_before_it(text: str, kept: list[str]) -> None:
    """ "软件企业（房地产企业除外）": the aside shuts out others; the industry before it stays required."""
    rows, _ = _read(text)
    assert _has(rows, "industry_code", "prefix_in", kept)


def test_aside_excepting_listed_firms_keeps_the_title() -> None:
    """ "瞪羚企业（上市企业除外）" is a 瞪羚 firm that is not listed."""
    rows, _ = _read("对在南山区注册的瞪羚企业（上市企业除外）奖励50万元。")
    assert _has(rows, "qualifications", "contains_any", ["瞪羚企业"])
    assert _has(rows, "qualifications", "not_contains_any", ["上市企业"])


def test_a_lender_named_in_a_requirement_is_no_industry() -> None:
    """ "获得金融机构贷款" names the lender: no finance row, negated or not."""
    rows, _ = _read("申报条件：在南山区注册的制造业企业，上年度获得银行等金融机构贷款。")
    assert not any(r["field"] == "industry_code" and "J" in r["value"] for r in rows)


# --- listed firms shut out ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "对在南山区注册的瞪羚企业（已在境内外上市的企业除外）奖励50万元。",
        "申报条件：1. 在南山区注册的瞪羚企业；2. 已上市企业不在支持范围。",
        "支持对象：在南山区注册的瞪羚企业，已在境内上市的除外。",
        "一、申报条件\n在南山区注册的瞪羚企业。\n二、其他\n上市公司及其控股子公司不适用本通知。",
        "问：上市公司可以申请吗？\n答：不可以。本项目面向在南山区注册、尚未上市的瞪羚企业。",
        "在南山区注册的非上市瞪羚企业可申报。",
    ],
)
def test_listed_firms_excluded(text: str) -> None:
    """However the listing is said, a listed firm is shut out and the title stays required."""
    rows, _ = _read(text)
    assert _has(rows, "qualifications", "not_contains_any", ["上市企业"])
    assert _has(rows, "qualifications", "contains_any", ["瞪羚企业"])


# --- 非 binds to the word it touches -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,held,not_held",
    [
        ("申报条件：在福田区注册的非上市国家高新技术企业。", "国家高新技术企业", "上市企业"),
        ("申报条件：在龙华区注册的非上市专精特新中小企业。", "专精特新中小企业", "上市企业"),
        ("申报对象：非国家高新技术企业的科技型中小企业。", "科技型中小企业", "国家高新技术企业"),
        ("在宝安区注册、非上市的创新型中小企业，奖励5万元。", "创新型中小企业", "上市企业"),
    ],
)
def test_non_binds_to_the_name_it_touches(text: str, held: str, not_held: str) -> None:
    """ "非A B企业" is a B that is not A."""
    rows, _ = _read(text)
    assert _has(rows, "qualifications", "contains_any", [held])
    assert _has(rows, "qualifications", "not_contains_any", [not_held])


def test_non_before_an_industry_after_another_word_keeps_the_industry() -> None:
    """ "非上市制造业企业" is a manufacturer that is not listed, not a non-manufacturer."""
    rows, _ = _read("申报条件：在坪山区注册的非上市制造业企业。")
    assert _has(rows, "industry_code", "prefix_in", ["C"])
    assert _has(rows, "qualifications", "not_contains_any", ["上市企业"])


def test_non_carries_along_a_list_of_industries() -> None:
    """ "非房地产、金融类企业": the 非 reaches both industries of the list."""
    rows, _ = _read("申报条件：在坪山区注册的非房地产、金融类企业。")
    industry = [r for r in rows if r["field"] == "industry_code"]
    assert len(industry) == 1 and industry[0]["op"] == "not_in"
    assert any(c.startswith("J") for c in industry[0]["value"])
    assert any(c.startswith("K") for c in industry[0]["value"])


def test_non_before_a_size_after_another_word_keeps_the_size() -> None:
    """ "非上市中小企业" is a small or medium firm that is not listed."""
    rows, _ = _read("申报条件：在坪山区注册的非上市中小企业。")
    assert _has(rows, "size_class", "in", ["中型", "小型", "微型"])


# --- compliance the language cannot state ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,word",
    [
        (
            "申报条件：\n1. 在盐田区注册；\n2. 近三年未受到安全生产行政处罚，且未被列入失信名单。\n奖励5万元。",
            "行政处罚",
        ),
        ("办理条件：盐田区注册企业；信用良好，近两年无拖欠农民工工资情形。", "拖欠农民工工资"),
        ("申请条件：（一）在盐田区注册；（二）诚信经营，未发生欠薪行为。", "欠薪"),
        (
            "申报条件：\n1. 在盐田区注册的物流企业；\n2. 未享受过本区同类奖励，也未获得省级同类资助。",
            "省级同类资助",
        ),
        ("申报条件：在盐田区注册，且本年度未获得市级同类补贴。", "市级同类补贴"),
        ("申报要求：1. 在盐田区注册；2. 近三年内未受过税务行政处罚。", "行政处罚"),
    ],
)
def test_unstateable_compliance_is_reported(text: str, word: str) -> None:
    """Penalties, unpaid wages and awards of another level are reported as 未能识别, with the words."""
    rows, unread = _read(text)
    assert any(word in u for u in unread)
    assert _has(rows, "registered_district", "eq", "盐田区")


def test_own_award_beside_another_levels_is_still_read() -> None:
    """ "未享受本区…奖励，也未享受市级同类奖励": the own group is a row, the city's award is reported."""
    rows, unread = _read("申报条件：在盐田区注册；上年度未享受本区同类奖励，也未享受市级同类奖励。")
    assert _has(rows, "approved_groups", "not_contains_any", ["@own"])
    assert any("市级同类奖励" in u for u in unread)


@pytest.mark.parametrize(
    "text",
    [
        "申报条件：在大鹏新区注册；近三年未发生重大安全、环保事故。",
        "申报条件：在大鹏新区注册，近两年无重大质量安全事故。",
        "受理条件：（一）大鹏新区注册；（二）近三年无较大及以上生产安全事故。",
        "申报条件：在大鹏新区注册；未发生重大环境污染事件。",
        "申报条件：在大鹏新区注册；信用良好，近三年未发生重大消防安全事故。",
        "申报条件：在大鹏新区注册；近一年无重大生产安全事故，未被列入严重失信主体名单。",
    ],
)
def test_accident_clause_is_flagged_for_review(text: str) -> None:
    """A safety, environment or quality accident clause is shown to the official, whatever row it gives."""
    rows, unread = _read(text)
    assert any("事故" in u.split("｜")[0] or "事件" in u.split("｜")[0] for u in unread)
    assert all(r["field"] in ("registered_district", "credit_ok") for r in rows)


def test_penalty_clause_gives_no_row_of_its_own() -> None:
    """ "未受到行政处罚" alone proposes no credit row: it is reported instead."""
    rows, unread = _read("申报条件：在盐田区注册；近三年未受到行政处罚。")
    assert not any(r["field"] == "credit_ok" for r in rows)
    assert any("行政处罚" in u for u in unread)


@pytest.mark.parametrize(
    "text",
    [
        "申报条件：在大鹏新区注册；近三年未发生重大生产安全事故。",
        "申报条件：在大鹏新区注册；近三年发生重大安全事故的企业不予支持。",
        "申报条件：在大鹏新区注册；建立安全生产事故应急预案。",
    ],
)
def test_accident_note_never_stands_in_for_credit(text: str) -> None:
    """An accident is no credit record (convention of 2026-12-07): reported, never a credit row."""
    rows, unread = _read(text)
    notes = [u for u in unread if "事故" in u.split("｜")[1]]
    assert notes and not any("近似" in u for u in notes)
    assert not _has(rows, "credit_ok", "eq", True)


def test_refusal_list_under_the_procedure_is_not_reported() -> None:
    """ "有下列情形之一的，不予受理：材料不全的…" under 申报程序 is procedure: no row, no 未能识别 noise."""
    text = (
        "一、申报条件\n在南山区注册的软件企业。\n二、申报程序\n有下列情形之一的，不予受理：\n"
        "1. 申报材料不全的；\n2. 逾期提交的。"
    )
    rows, unread = _read(text)
    assert [r["field"] for r in rows] == ["registered_district", "industry_code"]
    assert unread == []


# --- exclusion lists in Q&A answers and tables -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "问：哪些企业可以申报？\n答：在坪山区注册的软件企业。\n问：哪些企业不能申报？\n"
        "答：房地产开发企业，以及被列入严重失信主体名单的企业。",
        "问：什么情况下不予支持？\n答：（一）房地产开发企业；（二）被列入经营异常名录的企业。\n"
        "问：支持多少？\n答：对在坪山区注册的软件企业奖励5万元。",
        "Q1：哪类企业不得申报？\nA：房地产开发企业和被列为失信被执行人的企业不得申报。\n"
        "Q2：谁可以申报？\nA：在坪山区注册的软件企业。",
        "| 序号 | 不予支持情形 |\n| 1 | 房地产开发企业 |\n| 2 | 被列入严重失信主体名单的企业 |\n"
        "对在坪山区注册的软件企业奖励5万元。",
        "| 序号 | 负面清单 |\n|---|---|\n| 1 | 房地产开发企业 |\n| 2 | 被纳入失信联合惩戒名单的企业 |\n"
        "申报条件：在坪山区注册的软件企业。",
        "| 支持对象 | 在坪山区注册的软件企业 |\n| 不予支持的企业 | 房地产开发企业；被列入严重失信主体名单的企业 |",
    ],
)
def test_exclusions_in_answers_and_tables_are_negated(text: str) -> None:
    """A Q&A answer to "哪些企业不能申报" and a 不予支持情形 column list whom the policy shuts out."""
    rows, _ = _read(text)
    assert _has(rows, "industry_code", "prefix_in", ["I65"])
    assert not _has(rows, "industry_code", "prefix_in", ["K7010"])
    assert ["K7010"] in _excluded_industries(rows)
    assert _has(rows, "credit_ok", "eq", True)


def test_a_question_about_exclusions_does_not_reach_the_next_answer() -> None:
    """After "哪些企业不能申报", the next question's answer is read as a requirement again."""
    text = "问：哪些企业不能申报？\n答：房地产开发企业。\n问：哪些企业可以申报？\n答：在坪山区注册的国家高新技术企业。"
    rows, _ = _read(text)
    assert _has(rows, "qualifications", "contains_any", ["国家高新技术企业"])
