"""The reader and the open qualification vocabulary (issue 11 item 7): every term and alias, and the words that
name a term without requiring it."""

from __future__ import annotations

import pytest

from portal import reference
from portal.policies.text_conditions import read_policy

GS = "规模以上工业企业"
SISHANG = ["四上企业", GS, "限额以上批发零售企业", "限额以上住宿餐饮", "有资质建筑业", "规模以上服务业"]
LITTLE_GIANT = '专精特新"小巨人"企业'


def rows(tree, field_name):
    """Every row on one field anywhere in a condition tree, as (op, sorted values)."""
    out = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if "field" in node:
            if node["field"] == field_name:
                value = node["value"]
                out.append((node["op"], sorted(value) if isinstance(value, list) else value))
        else:
            for key in ("all", "any"):
                stack += node.get(key, [])
            if "not" in node:
                stack.append(node["not"])
    return sorted(out)


def passage(condition: str, extra: str = "") -> str:
    """A notice with one eligibility sentence (and optional other sections)."""
    return f"一、申报条件\n{condition}\n二、奖励\n奖励10万元。{extra}"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("在龙岗区注册并列入“四上”单位库的企业。", [("contains_any", sorted(SISHANG))]),
        ("在福田区注册的限额以上住宿和餐饮业企业。", [("contains_any", ["限额以上住宿餐饮"])]),
        ("在福田区注册的限上住餐企业。", [("contains_any", ["限额以上住宿餐饮"])]),
        ("在南山区注册的规上服务业企业。", [("contains_any", ["规模以上服务业"])]),
        ("在坪山区注册的有资质的建筑业企业。", [("contains_any", ["有资质建筑业"])]),
        ("在光明区注册，被评为省级瞪羚企业。", [("contains_any", ["瞪羚企业"])]),
        ("在南山区注册，入选独角兽企业榜单。", [("contains_any", ["独角兽企业"])]),
        ("在宝安区注册的隐形冠军企业。", [("contains_any", ["隐形冠军"])]),
        ("在罗湖区注册，已在新三板挂牌的企业。", [("contains_any", ["新三板挂牌"])]),
        ("经认定的国家级科技企业孵化器，注册地在龙华区。", [("contains_any", ["孵化器"])]),
        ("在盐田区注册的众创空间运营机构。", [("contains_any", ["众创空间"])]),
        (
            "在龙华区注册，为专精特新中小企业或小巨人企业，且属于规上工业企业。",
            [("contains_any", [GS]), ("contains_any", sorted(["专精特新中小企业", LITTLE_GIANT]))],
        ),
    ],
)
def test_vocabulary_terms_are_read(condition, expected):
    assert rows(read_policy(passage(condition)).tree, "qualifications") == sorted(expected)


@pytest.mark.parametrize(
    "condition",
    [
        # a carrier the firm sits in, not a title it holds
        "入驻本区孵化器或众创空间的初创企业，在坪山区注册。",
        "在众创空间内办公满6个月、在光明区注册的企业。",
        "由孵化器推荐的在孵企业，在坪山区注册。",
        # an aim: the title the firm is encouraged to seek
        "在南山区注册的企业；鼓励成长性好的企业申报国家高新技术企业。",
        "在宝安区注册的企业，鼓励争创瞪羚企业。",
    ],
)
def test_words_naming_a_term_without_requiring_it(condition):
    assert rows(read_policy(passage(condition)).tree, "qualifications") == []


def test_an_exclusion_of_a_new_term_is_not_a_prior_award():
    reading = read_policy(
        passage("在南山区注册的瞪羚企业。", "\n三、其他\n已被认定为独角兽企业的，不再享受本项奖励。")
    )
    assert rows(reading.tree, "qualifications") == [
        ("contains_any", ["瞪羚企业"]),
        ("not_contains_any", ["独角兽企业"]),
    ]
    assert rows(reading.tree, "approved_groups") == []


def test_a_development_zone_elsewhere_is_reported_unread():
    reading = read_policy(passage("注册地在苏州高新区的国家高新技术企业。"))
    assert any("苏州高新区" in span[0] for span in reading.unread_spans)
    assert rows(reading.tree, "registered_district") == []


def test_a_vocabulary_passed_in_is_the_one_read():
    live = (*reference.seed_vocabulary(), reference.Term("高成长企业", ("雏鹰企业",)))
    text = passage("在宝安区注册的雏鹰企业。")
    assert rows(read_policy(text, "宝安区雏鹰企业奖励").tree, "qualifications") == []
    assert rows(read_policy(text, vocabulary=live).tree, "qualifications") == [
        ("contains_any", ["高成长企业"])
    ]
    # a term the admins removed is no longer proposed; the twelve built-in ones stay
    without = [t for t in reference.seed_vocabulary() if t.name != "瞪羚企业"]
    gazelle = passage("在宝安区注册的瞪羚企业、国家高新技术企业。")
    assert rows(read_policy(gazelle, vocabulary=without).tree, "qualifications") == [
        ("contains_any", ["国家高新技术企业"])
    ]


def test_the_vocabulary_in_force_is_used_by_default():
    try:
        reference.use_vocabulary((*reference.seed_vocabulary(), reference.Term("链主企业", ("产业链链主",))))
        tree = read_policy(passage("在龙华区注册的产业链链主企业。")).tree
        assert rows(tree, "qualifications") == [("contains_any", ["链主企业"])]
    finally:
        reference.use_vocabulary(None)


def test_a_v1_document_is_read_in_the_v1_vocabulary():
    """Offline ranking of an exchange-format v1 file reads only the twelve built-in qualifications: a row on a
    later tag would be one no v1 enterprise record can hold. A v2 document reads every term in force."""
    from portal.conditions import leaves
    from portal.policies.recommender import _reading

    text = "申报条件：（一）在宝安区注册；（二）已在全国中小企业股份转让系统挂牌。"
    v1 = _reading({"title": "挂牌奖励", "text": text})
    v2 = _reading({"title": "挂牌奖励", "text": text, "version": 2})
    tags = lambda r: [x for x in leaves(r.tree) if x["field"] == "qualifications"]  # noqa: E731
    assert tags(v1) == []
    assert tags(v2) == [{"field": "qualifications", "op": "contains_any", "value": ["新三板挂牌"]}]
