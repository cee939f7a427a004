"""The reader's structure-first outputs: roles, groups, tiers, satisfiability, spans and the unread list."""

from portal.policies.text_conditions import read_policy

BA = {"field": "registered_district", "op": "eq", "value": "宝安区"}


def test_exclusion_clause_is_negated_not_required():
    """A 不适用本通知 clause shuts an industry out instead of requiring it."""
    text = "一、申报条件\n（一）在宝安区注册的企业；\n从事房地产开发经营的企业不适用本通知。\n二、支持标准\n奖励10万元。"
    reading = read_policy(text, "宝安区某奖励")
    rows = [n for n in reading.tree["all"] if "field" in n]
    assert not any(r["field"] == "industry_code" and r["op"] == "prefix_in" for r in rows)
    assert any("not" in n and n["not"]["field"] == "industry_code" for n in reading.tree["all"])


def test_alternative_thresholds_become_any_group():
    """ "50人以上或营业收入3000万元以上" is one any group, not two required rows."""
    text = "一、申报条件\n注册地在宝安区，从业人员50人以上或上年度营业收入3000万元以上的企业。\n二、支持\n奖励10万元。"
    tree = read_policy(text, "宝安区某奖励").tree
    groups = [n for n in tree["all"] if "any" in n]
    assert groups == [
        {
            "any": [
                {"field": "employees", "op": "gte", "value": 50},
                {"field": "revenue_wan", "op": "gte", "value": 3000},
            ]
        }
    ]
    assert BA in tree["all"]


def test_tiers_go_to_the_support_rule_and_lowest_is_the_condition():
    """首次达到1亿元、5亿元的分别给予… reads as a tiers rule whose lowest tier is the only condition."""
    text = (
        "一、申报条件\n在宝安区注册的企业。\n二、奖励标准\n"
        "上年度营业收入首次达到1亿元、5亿元的，分别给予20万元、50万元奖励。"
    )
    reading = read_policy(text, "宝安区上台阶奖励")
    assert reading.support == {
        "kind": "tiers",
        "base": "revenue_wan",
        "tiers": [{"gte": 10000, "amount_wan": 20}, {"gte": 50000, "amount_wan": 50}],
    }
    revenue = [n for n in reading.tree["all"] if n.get("field") == "revenue_wan"]
    assert revenue == [{"field": "revenue_wan", "op": "gte", "value": 10000}]


def test_clashing_rows_are_dropped_to_unread_with_their_span():
    """Two registered districts required together admit nobody: both go to unread_spans, not to the proposal."""
    text = "一、申报条件\n（一）在宝安区注册；\n（二）注册地在南山区。\n二、支持\n奖励5万元。"
    reading = read_policy(text, "某奖励")
    assert not [n for n in reading.tree["all"] if n.get("field") == "registered_district"]
    clashes = [u for u in reading.unread_spans if u[3] == "条件互相矛盾，未采用"]
    assert len(clashes) == 2
    assert all(text[start:end].strip() == source for source, start, end, _ in clashes)


def test_every_row_has_a_span_and_a_confidence():
    """Each proposed row points back at the sentence it came from."""
    text = "一、申报条件\n（一）在宝安区注册；\n（二）上年度纳税总额300万元以上。\n二、支持\n奖励5万元。"
    reading = read_policy(text, "宝安区某奖励")
    assert reading.evidence
    for e in reading.evidence:
        assert 0 <= e.start < e.end <= len(text)
        assert e.source in text[e.start : e.end]
        assert 0 < e.confidence <= 1


def test_requirement_like_sentence_with_no_row_is_reported():
    """A requirement the reader cannot turn into a row is returned as 未能识别的条件 with its span."""
    text = "一、申报条件\n（一）在宝安区注册；\n（二）企业主要产品获得省级以上名优产品称号。\n二、支持\n奖励5万元。"
    reading = read_policy(text, "宝安区某奖励")
    spans = [u for u in reading.unread_spans if "名优产品" in u[0]]
    assert spans and text[spans[0][1] : spans[0][2]].strip() == spans[0][0]


def test_tax_and_operating_districts():
    """注册地、经营地、纳税地三地合一 gives three place rows."""
    text = "第二条 注册地、经营地、纳税地三地合一在宝安区的总部企业，给予300万元落户奖励。"
    fields = {n.get("field") for n in read_policy(text, "宝安区总部措施").tree["all"]}
    assert {"registered_district", "operating_district", "tax_district"} <= fields


def test_flat_conditions_stay_valid_for_the_editor():
    """`conditions` only holds what portal.conditions validates today (groups live in `tree`)."""
    from portal import conditions

    text = "一、申报条件\n注册地在宝安区，从业人员50人以上或上年度营业收入3000万元以上的企业。\n二、支持\n奖励10万元。"
    assert conditions.validate(read_policy(text, "宝安区某奖励").conditions) == []
