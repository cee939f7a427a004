"""Reader classes from issue 12 checked on the second blind set's wordings (negation scope, places, growth, Q&A)."""

import pytest

from portal.policies.text_conditions import read_policy

OWN = {"field": "approved_groups", "op": "not_contains_any", "value": ["@own"]}
GQ = {"field": "qualifications", "op": "contains_any", "value": ["国家高新技术企业"]}


def rows(text: str, title: str = "龙岗区通知") -> list:
    """The top-level nodes of the tree the reader proposes."""
    return read_policy(text, title).tree["all"]


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        (
            "一、申报条件\n此前未获得过本区同类奖励的国家高新技术企业，注册地在龙岗区。",
            [OWN, GQ],
            [{"field": "qualifications", "op": "not_contains_any", "value": ["国家高新技术企业"]}],
        ),
        (
            "一、申报条件\n目前注册地不在龙岗区、拟将总部迁入龙岗区的企业。",
            [{"field": "registered_district", "op": "ne", "value": "龙岗区"}],
            [{"field": "registered_district", "op": "eq", "value": "龙岗区"}],
        ),
        (
            "一、申报条件\n注册登记、税务关系在龙岗区。",
            [
                {"field": "registered_district", "op": "eq", "value": "龙岗区"},
                {"field": "tax_district", "op": "eq", "value": "龙岗区"},
            ],
            [],
        ),
        (
            "一、申报条件\n（一）在龙岗区开展实际经营活动；\n（二）上年度营业收入增速不低于20%。",
            [
                {"field": "operating_district", "op": "eq", "value": "龙岗区"},
                {"field": "revenue_growth", "op": "gte", "value": 0.2},
            ],
            [{"field": "registered_district", "op": "eq", "value": "龙岗区"}],
        ),
        (
            "一、申报条件\n首次纳入规上统计的龙岗区工业企业。",
            [{"field": "revenue_wan_prev", "op": "lt", "value": 2000}],
            [],
        ),
        (
            "一、申报条件\n在龙岗区注册的工业企业。\n二、奖励标准\n对营业收入超过2000万元的部分按1%给予奖励。",
            [],
            [{"field": "revenue_wan", "op": "gt", "value": 2000}],
        ),
        (
            "一、申报条件\n（一）在龙岗区注册；\n（二）未被国家、省、市有关部门列入严重失信主体名单。",
            [{"field": "credit_ok", "op": "eq", "value": True}],
            [],
        ),
        (
            "一、申报条件\n在龙岗区注册的企业。\n二、不予受理情形\n（一）房地产开发经营企业；\n（二）被列入严重失信主体名单的企业。",
            [
                {"not": {"field": "industry_code", "op": "prefix_in", "value": ["K701"]}},
                {"field": "credit_ok", "op": "eq", "value": True},
            ],
            [{"field": "industry_code", "op": "prefix_in", "value": ["K701"]}],
        ),
        (
            "问：企业需要在龙岗区注册吗？\n答：需要。\n问：成立不满一年的企业能申报吗？\n答：不能。",
            [
                {"field": "registered_district", "op": "eq", "value": "龙岗区"},
                {"field": "years_since_founded", "op": "gte", "value": 1},
            ],
            [{"field": "years_since_founded", "op": "lt", "value": 1}],
        ),
        (
            "一、申报条件\n在龙岗区注册，行业属于I门类或M73大类。",
            [{"field": "industry_code", "op": "prefix_in", "value": ["I", "M73"]}],
            [],
        ),
    ],
)
def test_class_wordings(text, present, absent):
    got = rows(text)
    for node in present:
        assert node in got
    for node in absent:
        assert node not in got


def test_a_list_headed_by_an_exclusion_lead_is_excluded_not_alternatives():
    text = (
        "第三条 申请条件\n在龙岗区依法注册的企业。\n第四条 有下列情形之一的，不予扶持：\n"
        "（一）被列入经营异常名录的；\n（二）本年度已享受本区同类扶持的。"
    )
    got = rows(text)
    assert {"field": "credit_ok", "op": "eq", "value": True} in got
    assert OWN in got
    assert not any("any" in n for n in got)


@pytest.mark.parametrize(
    "text",
    [
        "申请条件：工商登记和税收关系均在龙岗区。",
        "一、申报条件\n注册地、经营地、纳税地三地合一，均在龙岗区。",
    ],
)
def test_place_kinds_joined_loosely(text):
    got = rows(text)
    assert {"field": "registered_district", "op": "eq", "value": "龙岗区"} in got
    assert {"field": "tax_district", "op": "eq", "value": "龙岗区"} in got


def test_place_outside_region_is_reported_not_dropped():
    reading = read_policy("一、申报条件\n在深汕特别合作区注册的企业，上年度营业收入500万元以上。", "通知")
    assert all(n.get("field") != "registered_district" for n in reading.tree["all"])
    assert any("深汕特别合作区" in span[0] for span in reading.unread_spans)


def test_prior_award_is_no_condition_outside_an_exclusion():
    reading = read_policy("第五条 获得本措施资助的企业，应承诺在龙岗区持续经营不少于5年。", "龙岗区若干措施")
    assert all(n.get("field") != "approved_groups" for n in reading.tree["all"])


def test_flat_conditions_leave_out_fields_profiles_lack():
    reading = read_policy("一、申报条件\n注册登记、税务关系在龙岗区；营业收入增速不低于20%。", "龙岗区通知")
    assert {"field": "tax_district", "op": "eq", "value": "龙岗区"} in reading.tree["all"]
    assert all(r["field"] not in ("tax_district", "revenue_growth") for r in reading.conditions["all"])
