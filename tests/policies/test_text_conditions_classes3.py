"""Reader classes the fifth blind set found, each in several wordings and notice styles of our own.

1. support rules: a share of something no field holds proposes no amount (its cap is no fixed sum); the increase
   (增量, 增长部分) and the part above a threshold (超过X的部分) are the ratio's increase / over_wan; tiers said as
   "X以下…X（含）以上", as a table with ranges (5000万元—1亿元) or as a chain of 达到 steps are tiers; sums that
   differ by item (申报事项, 分别给予…) have no single rule;
2. negation scope: 未获得X或Y is neither X nor Y;
3. alternatives and conditions outside the 申报条件 heading;
4. requirements the language cannot state are reported.
"""

import pytest

from portal import conditions as rules
from portal.policies.text_conditions import read_policy, read_support


def row(field: str, op: str, value: object, **extra: object) -> dict:
    """One condition row."""
    return {"field": field, "op": op, "value": value} | extra


def why(reading, piece: str) -> str:
    """The reason the reader gives for the unread span holding piece ("" when none does)."""
    return next((u[3] for u in reading.unread_spans if piece in u[0]), "")


def promises(reading) -> None:
    """What every proposal keeps: a valid tree and a valid support rule (or none)."""
    assert not rules.validate(reading.tree)
    if reading.support is not None:
        assert not rules.validate_support(reading.support)


# ---------------------------------------------------------------------------------------------------------------
# 1. support rules


@pytest.mark.parametrize(
    ("sentence", "piece"),
    [
        ("按项目总投资额的15%给予资助，单个项目最高200万元。", "总投资额"),
        ("对企业购置研发仪器设备的，按设备购置款的20%予以补贴，最高不超过80万元。", "设备购置款"),
        ("按实际支付房租的50%给予补贴，每家企业每年最高30万元。", "房租"),
        ("依企业当年获得银行贷款金额的1%给予奖励，最高20万元。", "银行贷款金额"),
        ("给予参展费用60%的补助，单家企业最高15万元。", "参展费用"),
        ("按经认定的服务合同金额30%的比例给予补贴，上限10万元。", "服务合同金额"),
    ],
)
def test_share_of_no_field_proposes_no_amount(sentence, piece):
    """A share of an investment, rent, loan or fee is no computable rule; its cap is no fixed award."""
    text = f"一、申请条件\n在南山区注册的企业。\n二、资助标准\n{sentence}"
    reading = read_policy(text, "南山区企业扶持办法")
    promises(reading)
    assert reading.support is None
    assert "计算基数不是企业档案字段" in why(reading, piece)
    assert read_support(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "support"),
    [
        (
            "按企业上年度研发投入增量的5%给予奖励，最高100万元。",
            {
                "kind": "ratio",
                "base": "rd_expense_wan",
                "rate": 0.05,
                "cap_wan": 100,
                "over_wan": None,
                "increase": True,
            },
        ),
        (
            "按上年度缴纳税收比上年增长部分的20%给予奖励，单家最高80万元。",
            {
                "kind": "ratio",
                "base": "tax_paid_wan",
                "rate": 0.2,
                "cap_wan": 80,
                "over_wan": None,
                "increase": True,
            },
        ),
        (
            "按新增营业收入的0.5%给予奖励，最高30万元。",
            {
                "kind": "ratio",
                "base": "revenue_wan",
                "rate": 0.005,
                "cap_wan": 30,
                "over_wan": None,
                "increase": True,
            },
        ),
        (
            "企业上年度销售收入超过1亿元的部分，按千分之五给予奖励，最高不超过200万元。",
            {
                "kind": "ratio",
                "base": "revenue_wan",
                "rate": 0.005,
                "cap_wan": 200,
                "over_wan": 10000,
                "increase": False,
            },
        ),
        (
            "对纳税额超出3000万元部分按3%给予奖励，每年最高300万元。",
            {
                "kind": "ratio",
                "base": "tax_paid_wan",
                "rate": 0.03,
                "cap_wan": 300,
                "over_wan": 3000,
                "increase": False,
            },
        ),
        (
            "按上年度研发费用的10%给予资助，最高50万元。",
            {"kind": "ratio", "base": "rd_expense_wan", "rate": 0.1, "cap_wan": 50},
        ),
    ],
)
def test_increase_and_part_above_are_the_ratio_forms(sentence, support):
    """增量 / 比上年增长部分 / 新增 are increase; 超过X的部分 is over_wan; a plain share has neither."""
    assert read_support(sentence) == support
    assert not rules.validate_support(support)


def test_part_above_a_threshold_of_no_field_proposes_no_amount():
    """A share above a threshold of no field ("投资额超过1000万元的部分按5%") is no amount."""
    assert read_support("项目投资额超过1000万元的部分，按5%给予补贴，最高100万元。") is None


@pytest.mark.parametrize(
    ("support_text", "floor_row", "tiers"),
    [
        (
            "上年度营业收入5亿元以下的，奖励30万元；5亿元（含）以上的，奖励60万元。",
            row("revenue_wan", "gte", 20000),
            [{"gte": 20000, "amount_wan": 30}, {"gte": 50000, "amount_wan": 60}],
        ),
        (
            "| 上年度营业收入 | 奖励金额 |\n| 2000万元（含）—5000万元 | 5万元 |\n| 5000万元（含）—2亿元 | 15万元 |\n"
            "| 2亿元（含）以上 | 40万元 |",
            row("revenue_wan", "gte", 2000),
            [
                {"gte": 2000, "amount_wan": 5},
                {"gte": 5000, "amount_wan": 15},
                {"gte": 20000, "amount_wan": 40},
            ],
        ),
        (
            "企业年营业收入达到2亿元的奖励20万元，达到5亿元的奖励50万元，达到10亿元的奖励100万元。",
            row("revenue_wan", "gte", 20000),
            [
                {"gte": 20000, "amount_wan": 20},
                {"gte": 50000, "amount_wan": 50},
                {"gte": 100000, "amount_wan": 100},
            ],
        ),
    ],
)
def test_tiers_in_other_shapes(support_text, floor_row, tiers):
    """Tiers said from above (以下/以上), as a table of ranges, or as a chain of 达到 steps: never the first sum."""
    lower = "（二）上年度营业收入2亿元以上。\n" if floor_row["value"] == 20000 else ""
    text = f"一、申报条件\n（一）在龙华区注册的工业企业；\n{lower}二、奖励标准\n{support_text}"
    reading = read_policy(text, "龙华区工业企业规模奖励")
    promises(reading)
    assert reading.support == {"kind": "tiers", "base": "revenue_wan", "tiers": tiers}
    assert floor_row in reading.tree["all"]
    assert not any(
        r.get("op") in ("lt", "lte") and r.get("field") == "revenue_wan" for r in reading.tree["all"]
    )


def test_bottom_tier_without_a_lower_bound_starts_at_zero():
    """A bottom tier ("1000万元以下的，奖励2万元") with no bound in the conditions starts at 0."""
    text = (
        "一、申报条件\n在坪山区注册的软件企业。\n二、奖励标准\n上年度营业收入1000万元以下的，奖励2万元；"
        "1000万元（含）以上的，奖励5万元。"
    )
    reading = read_policy(text, "")
    assert reading.support == {
        "kind": "tiers",
        "base": "revenue_wan",
        "tiers": [{"gte": 0, "amount_wan": 2}, {"gte": 1000, "amount_wan": 5}],
    }


@pytest.mark.parametrize(
    "text",
    [
        "一、申报事项\n（一）首次认定为国家高新技术企业的，奖励20万元。\n（二）入库科技型中小企业的，奖励2万元。\n"
        "二、共同条件\n在福田区注册。",
        "一、支持对象\n在宝安区注册，新获评市级、省级专精特新中小企业的，分别给予10万元、30万元奖励。",
        "二、支持内容\n| 事项 | 对象 | 标准 |\n| 1 | 新认定创新型中小企业 | 奖励5万元 |\n"
        "| 2 | 新认定专精特新中小企业 | 奖励20万元 |",
    ],
)
def test_sums_that_differ_by_item_have_no_single_rule(text):
    """Two 事项 or qualifications with their own sums: no rule (the first sum would overpay or underpay)."""
    reading = read_policy(text, "")
    promises(reading)
    assert reading.support is None
    assert any("事项或资质不同" in u[3] for u in reading.unread_spans)


@pytest.mark.parametrize(
    "text",
    [
        "二、奖励标准\n每家企业奖励20万元，同一企业累计不超过50万元。",
        "二、奖励标准\n给予一次性奖励30万元。对上年度营业收入5000万元以上的企业优先支持。",
        "第八条 对在龙岗区注册、营业收入1亿元以上的企业，给予50万元奖励。",
    ],
)
def test_one_sum_with_a_limit_or_a_bound_stays_fixed(text):
    """A cap on the total, or an applicant's bound beside the sum, leaves the one sum fixed."""
    reading = read_policy(text, "")
    assert reading.support is not None and reading.support["kind"] == "fixed"


# ---------------------------------------------------------------------------------------------------------------
# 2. negation scope

LITTLE_GIANT = '专精特新"小巨人"企业'


@pytest.mark.parametrize(
    ("clause", "held", "not_held"),
    [
        (
            "在南山区注册、未获得国家级专精特新“小巨人”企业或制造业单项冠军企业称号的省级专精特新中小企业",
            ["专精特新中小企业"],
            [LITTLE_GIANT, "制造业单项冠军企业"],
        ),
        (
            "尚未被认定为国家高新技术企业、专精特新中小企业的科技型中小企业",
            ["科技型中小企业"],
            ["国家高新技术企业", "专精特新中小企业"],
        ),
        (
            "非上市企业及国家高新技术企业的创新型中小企业",
            ["创新型中小企业"],
            ["上市企业", "国家高新技术企业"],
        ),
    ],
)
def test_a_negation_reaches_every_name_it_lists(clause, held, not_held):
    """未获得A或B称号的C: neither A nor B, and C; never "holds A and B"."""
    reading = read_policy(f"一、申报条件\n{clause}。", "")
    promises(reading)
    rows = reading.tree["all"]
    assert row("qualifications", "contains_any", held) in rows
    assert row("qualifications", "not_contains_any", not_held) in rows
    assert not any(r.get("op") == "contains_all" for r in rows)


@pytest.mark.parametrize(
    "sentence",
    [
        "支持对象为在福田区注册的创新型中小企业，但已上市的企业和国家高新技术企业除外。",
        "面向在福田区注册的创新型中小企业，已上市的企业、国家高新技术企业不予支持。",
    ],
)
def test_an_exclusion_after_a_list_reaches_every_name(sentence):
    """ "A和B除外" shuts out both, not only the name next to the marker."""
    reading = read_policy(f"第三条 {sentence}", "")
    rows = reading.tree["all"]
    assert row("qualifications", "contains_any", ["创新型中小企业"]) in rows
    assert row("qualifications", "not_contains_any", ["上市企业", "国家高新技术企业"]) in rows


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("注册地不在宝安区的", row("registered_district", "eq", "宝安区")),
        ("工商注册地不在本区的", row("registered_district", "eq", "宝安区")),
        ("税收关系不在宝安区的", row("tax_district", "eq", "宝安区")),
        ("纳税关系不在本区的", row("tax_district", "eq", "宝安区")),
    ],
)
def test_a_place_negated_inside_an_exclusion_is_required(item, expected):
    """ "有下列情形之一的，不予受理：注册地不在本区的" requires the place (a double negative), never ne."""
    text = f"宝安区关于申报企业奖励的通知\n一、申报条件\n上年度营业收入1000万元以上。\n二、有下列情形之一的，不予受理：\n（一）{item}；\n（二）被列入经营异常名录的。"
    reading = read_policy(text, "宝安区企业奖励")
    rows = reading.tree["all"]
    assert expected in rows
    assert not any(r.get("op") == "ne" for r in rows)
    assert row("credit_ok", "eq", True) in rows


@pytest.mark.parametrize("lead", ["不属于本办法支持范围", "不属于本细则扶持对象", "不属于本次奖励范围"])
def test_a_list_of_cases_outside_the_scope_is_excluded(lead):
    """ "有下列情形之一的，不属于本办法支持范围：…已获得同类扶持的" is an exclusion list, not alternatives."""
    text = (
        f"第四条 扶持对象为在龙岗区注册的工业企业。\n第五条 有下列情形之一的，{lead}：\n"
        "（一）纳税信用等级为D级的；\n（二）当年已获得本区同类扶持的。"
    )
    rows = read_policy(text, "").tree["all"]
    assert row("credit_ok", "eq", True) in rows
    assert row("approved_groups", "not_contains_any", ["@own"]) in rows
    assert not any(r.get("op") == "contains_any" and r.get("field") == "approved_groups" for r in rows)


@pytest.mark.parametrize(
    "lead", ["第六条 申请人应当符合下列条件：", "第三条 申请本办法扶持的企业须同时具备以下条件："]
)
def test_an_article_leading_a_list_of_conditions_heads_them(lead):
    """A long article heading ending in a colon and naming 条件 heads the list below it."""
    text = f"{lead}\n（一）在龙岗区注册；\n（二）上年度营业收入未超过4亿元。\n第七条 给予一次性奖励5万元。"
    rows = read_policy(text, "").tree["all"]
    assert row("registered_district", "eq", "龙岗区") in rows
    assert row("revenue_wan", "lte", 40000) in rows


# ---------------------------------------------------------------------------------------------------------------
# 4. what the reader cannot state is reported


@pytest.mark.parametrize(
    ("clause", "piece"),
    [
        ("注册地和税收户管地均在惠州市仲恺高新区、具有独立法人资格的企业", "惠州市"),
        ("扶持对象为在江门市蓬江区依法登记注册的制造业企业", "江门市"),
        ("申报单位注册地和纳税地均在南沙新区", "南沙新区"),
        ("在虎门镇注册的规模以上工业企业", "虎门镇"),
        ("须为注册地在天河区的软件企业", "天河区"),
        ("在光明区实际经营，注册地在光明区或中山市火炬开发区", "中山市"),
    ],
)
def test_a_place_outside_the_region_is_reported(clause, piece):
    """A city, district or town outside Shenzhen gets no row and is named as unread."""
    reading = read_policy(f"一、申报条件\n（一）{clause}；\n（二）上年度营业收入1000万元以上。", "")
    assert "本地区以外" in why(reading, piece)
    assert not any(r.get("value") == piece for r in reading.tree["all"])


@pytest.mark.parametrize(
    "clause",
    [
        "在宝安区注册、尚未上市的国家高新技术企业",
        "在本市注册登记的企业",
        "在园区内注册的企业",
        "注册地址在西乡街道或航城街道辖区的企业",
        "须为在我区登记注册的独立法人企业",
        "在深圳市注册、在龙华区纳税的企业",
    ],
)
def test_places_inside_the_region_are_not_reported_outside(clause):
    """上市, 本市, 园区, streets and Shenzhen districts are no place outside the region."""
    reading = read_policy(f"一、申报条件\n{clause}。", "宝安区企业奖励")
    assert not any(u[3].startswith("本地区以外") for u in reading.unread_spans)


@pytest.mark.parametrize(
    ("clause", "piece", "kept"),
    [
        ("纳税信用等级为A级，未被列入失信被执行人名单", "纳税信用等级为A级", row("credit_ok", "eq", True)),
        ("近三年纳税信用评级为B级及以上，上年度营业收入5000万元以上", "B级", row("revenue_wan", "gte", 5000)),
        ("近三年主营业务收入年均增长率不低于15%", "年均增长率", None),
        ("近3年营业收入年均复合增长率达到20%以上", "年均复合增长率", None),
        ("上年度工业总产值5亿元以上，且营业收入1亿元以上", "工业总产值", row("revenue_wan", "gte", 10000)),
    ],
)
def test_requirements_the_language_cannot_state_are_reported(clause, piece, kept):
    """纳税信用A/B级, 年均增长率, 工业总产值: no row (never last year's growth), reported even beside a read row."""
    reading = read_policy(f"一、申报条件\n（一）在南山区注册；\n（二）{clause}。", "")
    assert why(reading, piece)
    assert not any(r.get("field") == "revenue_growth" for r in reading.tree["all"])
    if kept:
        assert kept in reading.tree["all"]


# ---------------------------------------------------------------------------------------------------------------
# 3. alternatives across items, conditions outside the 申报条件 heading, records


def titles_any(rows: list[dict]) -> list[list[str]]:
    """The qualification lists of the any-group among the rows ([] when there is none)."""
    group = next((r["any"] for r in rows if "any" in r), [])
    return [b["value"] for b in group if b.get("field") == "qualifications"]


@pytest.mark.parametrize(
    "text",
    [
        "一、申报事项\n（一）高企认定奖励：首次认定为国家高新技术企业的，奖励20万元。\n"
        "（二）科小入库奖励：当年入库的科技型中小企业，奖励3万元。\n二、共同条件\n在宝安区注册，信用状况良好。",
        "二、支持内容\n| 序号 | 事项 | 对象 | 标准 |\n| 1 | 高企 | 新认定的国家高新技术企业 | 奖励20万元 |\n"
        "| 2 | 科小 | 新入库的科技型中小企业 | 奖励3万元 |\n一、申报条件\n在宝安区注册，信用状况良好。",
        "一、奖励项目\n1. 对首次通过国家高新技术企业认定的企业，给予20万元奖励；\n"
        "2. 对入库科技型中小企业的，给予3万元奖励。\n二、申报条件\n在宝安区注册，信用状况良好。",
    ],
)
def test_items_paying_for_different_titles_are_alternatives(text):
    """Several 申报事项 (or table rows) each paying for its own title: one title or the other, never both."""
    reading = read_policy(text, "宝安区科技企业奖励")
    promises(reading)
    rows = reading.tree["all"]
    assert sorted(titles_any(rows)) == [["国家高新技术企业"], ["科技型中小企业"]]
    assert not any(r.get("field") == "qualifications" for r in rows)
    assert row("credit_ok", "eq", True) in rows
    assert reading.support is None  # the sum differs by item


def test_two_titles_required_in_one_list_stay_a_conjunction():
    """A 申报条件 list naming two titles without awards of their own still requires both."""
    text = "一、申报条件\n（一）为国家高新技术企业；\n（二）为专精特新中小企业。\n二、奖励标准\n奖励20万元。"
    rows = read_policy(text, "").tree["all"]
    assert not titles_any(rows)
    assert row("qualifications", "contains_any", ["国家高新技术企业"]) in rows
    assert row("qualifications", "contains_any", ["专精特新中小企业"]) in rows


@pytest.mark.parametrize(
    "row_text",
    [
        "| 智能工厂 | 上年度营业收入2亿元以上；近三年无严重违法失信记录 | 奖励100万元 |",
        "| 智能工厂 | 上年度营业收入2亿元以上;信用状况良好 | 奖励100万元 |",
    ],
)
def test_a_table_row_is_one_clause(row_text):
    """A semicolon inside a table cell does not cut the row: both requirements of the row are read."""
    text = f"一、支持对象\n在龙岗区注册的工业企业。\n二、支持内容\n| 项目 | 申报条件 | 支持标准 |\n{row_text}"
    rows = read_policy(text, "").tree["all"]
    assert row("revenue_wan", "gte", 20000) in rows
    assert row("credit_ok", "eq", True) in rows


def test_no_tax_evasion_is_the_record():
    """偷税漏税 absent is what credit_ok sums up."""
    rows = read_policy("一、申报条件\n（一）在南山区注册；\n（二）无偷税漏税等违法行为。", "").tree["all"]
    assert row("credit_ok", "eq", True) in rows


@pytest.mark.parametrize(
    "clause",
    ["近三年无重大安全生产事故", "未发生重大安全、环保、质量事故", "近两年内未发生较大及以上环境污染事件"],
)
def test_no_serious_accident_is_no_credit_record(clause):
    """An accident is no credit record (convention of 2026-12-07): no credit_ok, the clause is reported."""
    reading = read_policy(f"一、申报条件\n（一）在南山区注册；\n（二）{clause}。", "")
    assert row("credit_ok", "eq", True) not in reading.tree["all"]
    assert any(clause in span[0] for span in reading.unread_spans)


def test_an_accident_in_an_exclusion_list_gives_no_row():
    """ "发生重大安全生产事故的" under 不予支持 gives no row; 偷税漏税 beside it still requires credit_ok."""
    text = "一、申报条件\n在南山区注册。\n二、有下列情形之一的，不予支持：\n（一）申报年度内发生重大安全生产事故的；\n（二）存在偷税漏税行为的。"
    reading = read_policy(text, "")
    assert row("credit_ok", "eq", True) in reading.tree["all"]
    assert row("credit_ok", "eq", False) not in reading.tree["all"]
    assert any("安全生产事故" in span[0] for span in reading.unread_spans)


@pytest.mark.parametrize(
    "clause",
    [
        "在龙华区注册，或注册地在区外但在龙华区实际经营并纳税",
        "在龙华区登记注册，或者在龙华区实际经营并依法纳税",
    ],
)
def test_places_of_different_kinds_joined_by_or_are_alternatives(clause):
    """Registered here, or operating and paying tax here: either will do, never both required."""
    reading = read_policy(f"一、申报条件\n（一）{clause}；\n（二）上年度营业收入3000万元以上。", "")
    promises(reading)
    rows = reading.tree["all"]
    group = next(r["any"] for r in rows if "any" in r)
    assert row("registered_district", "eq", "龙华区") in group
    other = next(b for b in group if "all" in b)["all"]
    assert row("operating_district", "eq", "龙华区") in other and row("tax_district", "eq", "龙华区") in other
    assert not any(r.get("field") == "registered_district" for r in rows)


def test_streets_joined_by_or_stay_one_row():
    """ "福永街道或福海街道" is one street row with a list, not a group of alternatives."""
    rows = read_policy("一、申报条件\n注册地址位于福永街道或福海街道。", "").tree["all"]
    assert not any("any" in r for r in rows)


@pytest.mark.parametrize(
    ("support_sentence", "rows"),
    [
        (
            "对上年度营业收入1亿元以上且研发投入占营业收入比重不低于4%的企业，按上年度研发费用的6%给予奖励，最高80万元。",
            [row("revenue_wan", "gte", 10000), row("rd_ratio", "gte", 0.04)],
        ),
        (
            "上年度纳税总额500万元以上的企业，按其纳税总额的2%给予奖励，最高50万元。",
            [row("tax_paid_wan", "gte", 500)],
        ),
    ],
)
def test_a_requirement_before_a_ratio_in_the_support_text_binds(support_sentence, rows):
    """ "对…的企业，按…的N%给予奖励" states who is paid: its figures are conditions."""
    reading = read_policy(f"一、申报对象\n在福田区注册的企业。\n二、支持标准\n{support_sentence}", "")
    for r in rows:
        assert r in reading.tree["all"]


@pytest.mark.parametrize("heading", ["第六条 其他规定", "五、其他要求", "四、其他事项"])
def test_a_requirement_stated_under_another_heading_binds(heading):
    """ "申请企业须为规模以上服务业企业" under 其他规定 is a requirement; a commitment after the award is not."""
    text = (
        "一、申请条件\n在罗湖区注册。\n二、补贴标准\n给予一次性补贴20万元。\n"
        f"{heading}\n申请企业须为规模以上服务业企业，且上年度营业收入不低于2000万元；"
        "享受补贴的企业，五年内不得迁离罗湖区。"
    )
    rows = read_policy(text, "").tree["all"]
    assert row("qualifications", "contains_any", ["规模以上服务业"]) in rows
    assert row("revenue_wan", "gte", 2000) in rows


# ---------------------------------------------------------------------------------------------------------------
# Q&A answers


@pytest.mark.parametrize(
    "answer",
    [
        "答：近三年内已获得本项资助的，不能重复申请。",
        "答：已享受本区同类补贴的企业不能重复享受。",
        "答：不行，获得过本项奖励的企业不得重复申请。",
    ],
)
def test_an_answer_shutting_out_prior_recipients(answer):
    """ "已获得本项资助的，不能重复申请" in an answer excludes the policy's earlier recipients."""
    text = (
        f"问：什么企业可以申报？\n答：在龙岗区注册的国家高新技术企业。\n问：拿过资助还能再申请吗？\n{answer}"
    )
    nodes = read_policy(text, "").tree["all"]
    assert any(
        r.get("field") == "approved_groups"
        and r.get("op") == "not_contains_any"
        and r.get("value") == ["@own"]
        for r in nodes
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("答：本项奖励仅限制造业企业。", row("industry_code", "prefix_in", ["C"])),
        ("答：不能，本政策只面向小微企业。", row("size_class", "in", ["小型", "微型"])),
        ("答：本项目仅适用于国家高新技术企业。", row("qualifications", "contains_any", ["国家高新技术企业"])),
    ],
)
def test_an_answer_narrowing_who_may_apply_binds(answer, expected):
    """ "本项奖励仅限制造业企业" in a 常见问题 section outside the 申报条件 is a requirement."""
    text = f"一、申报条件\n在宝安区注册。\n二、奖励标准\n奖励10万元。\n三、常见问题\n问：其他企业可以申报吗？\n{answer}"
    assert expected in read_policy(text, "").tree["all"]


def industry_branches(rows: list[dict]) -> dict[str, list[dict]]:
    """The any-group's branches keyed by their industry prefix."""
    group = next(r["any"] for r in rows if "any" in r)
    out = {}
    for b in group:
        members = b.get("all", [b])
        key = next(m["value"][0] for m in members if m.get("field") == "industry_code")
        out[key] = [m for m in members if m.get("field") != "industry_code"]
    return out


@pytest.mark.parametrize("heading", ["一、申报事项", "一、支持项目", "一、奖励事项"])
def test_items_under_an_items_heading_are_read_as_alternatives(heading):
    """Items under 申报事项 name whom each is for: read, and by industry one or the other."""
    text = (
        f"{heading}\n（一）批发业增长奖励：上年度营业收入10亿元以上的批发业企业。\n"
        "（二）零售业增长奖励：上年度营业收入2亿元以上的零售业企业。\n二、共同条件\n在龙华区注册。\n"
        "三、支持标准\n每个事项均给予一次性奖励10万元。"
    )
    rows = read_policy(text, "").tree["all"]
    branches = industry_branches(rows)
    assert branches["F51"] == [row("revenue_wan", "gte", 100000)]
    assert branches["F52"] == [row("revenue_wan", "gte", 20000)]
    assert row("registered_district", "eq", "龙华区") in rows


@pytest.mark.parametrize("lead", ["达到下列标准之一", "符合以下标准之一", "达到以下指标之一"])
def test_one_of_a_list_of_standards_takes_the_leads_figure(lead):
    """ "营业收入达到下列标准之一：（一）软件企业5000万元以上" reads each bare number as the lead's figure."""
    text = (
        f"第八条 对在南山区注册的企业，上年度营业收入{lead}的，给予10万元奖励：（一）软件和信息技术服务业企业"
        "3000万元以上；（二）商务服务业企业8000万元以上。"
    )
    branches = industry_branches(read_policy(text, "").tree["all"])
    assert branches["I65"] == [row("revenue_wan", "gte", 3000)]
    assert branches["L72"] == [row("revenue_wan", "gte", 8000)]


# ---------------------------------------------------------------------------------------------------------------
# figures said in other ways


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("成立时间在5年以内（含5年）", row("years_since_founded", "lte", 5)),
        ("成立3年以内(含3年)", row("years_since_founded", "lte", 3)),
        ("从业人员300人以下（含本数）", row("employees", "lte", 300)),
        ("上年度营业收入2000万元以上（含2000万元）", row("revenue_wan", "gte", 2000)),
    ],
)
def test_an_inclusive_aside_after_a_bound_is_no_second_figure(clause, expected):
    """ "5年以内（含5年）" is one bound (lte 5), never lte 5 and gte 5 dropped as a clash."""
    reading = read_policy(f"一、申报条件\n（一）在南山区注册；\n（二）{clause}。", "")
    rows = reading.tree["all"]
    assert expected in rows
    assert sum(r.get("field") == expected["field"] for r in rows) == 1
    assert not any("矛盾" in u[3] for u in reading.unread_spans)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("上年度营业收入同比不下降", row("revenue_growth", "gte", 0)),
        ("上年度销售收入较上年未下降", row("revenue_growth", "gte", 0)),
        ("上年度纳税总额不低于100万元，且比上年有所增长", row("tax_paid_growth", "gt", 0)),
        ("上年度营业收入实现正增长", row("revenue_growth", "gt", 0)),
    ],
)
def test_growth_said_by_its_sign(clause, expected):
    """不下降 is growth at least 0; 有所增长 / 正增长 is growth above 0."""
    rows = read_policy(f"一、申报条件\n（一）在南山区注册；\n（二）{clause}。", "").tree["all"]
    assert expected in rows


def test_growth_of_something_else_is_not_the_firms():
    """ "研发投入有所增长" or a sentence with no revenue or tax figure gives no growth row."""
    rows = read_policy("一、申报条件\n（一）在南山区注册；\n（二）研发投入有所增长。", "").tree["all"]
    assert not any(str(r.get("field", "")).endswith("_growth") for r in rows)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "福田区总部企业认定和扶持办法",
            "第五条 申请认定总部企业，应当同时具备以下条件：\n（一）在福田区注册；\n（二）上年度营业收入5亿元以上。\n"
            "第六条 经认定的总部企业，给予一次性奖励200万元。",
        ),
        (
            "南山区瞪羚企业认定申报指南",
            "一、认定条件\n（一）在南山区注册；\n（二）上年度营业收入2000万元以上。\n二、支持政策\n"
            "经认定的瞪羚企业，给予一次性奖励20万元。",
        ),
    ],
)
def test_the_title_a_notice_grants_is_not_required(title, text):
    """ "经认定的总部企业，给予…" in a notice that grants the title: the title is what firms apply for."""
    rows = read_policy(text, title).tree["all"]
    assert not any(r.get("field") == "qualifications" for r in rows)


def test_a_reward_for_a_title_won_elsewhere_requires_it():
    """A 高企认定奖励 notice pays firms that hold the title: it stays a requirement."""
    text = "一、申报条件\n在龙岗区注册。\n二、奖励标准\n对经认定的国家高新技术企业，给予20万元奖励。"
    rows = read_policy(text, "龙岗区国家高新技术企业认定奖励申报通知").tree["all"]
    assert row("qualifications", "contains_any", ["国家高新技术企业"]) in rows


@pytest.mark.parametrize(
    ("clause", "prefixes"),
    [
        ("国民经济行业分类属于制造业（C门类）中医药制造业（C27）的企业", ["C27"]),
        ("属于制造业中的汽车制造业的企业", ["C36"]),
        ("属于软件和信息技术服务业或互联网和相关服务业", ["I65", "I64"]),
        ("属于旅行社及相关服务或住宿业", ["L7291", "H61"]),
    ],
)
def test_industries_by_their_gbt_names_and_within_a_broader_one(clause, prefixes):
    """GB/T names said with 业 or listed with another industry are read; X中的Y is the narrower Y."""
    rows = read_policy(f"一、申报条件\n（一）在坪山区注册；\n（二）{clause}。", "").tree["all"]
    assert row("industry_code", "prefix_in", prefixes) in rows


def test_a_list_of_a_broad_and_a_narrow_industry_is_the_broad_one():
    """ "制造业、医药制造业" (a list, not X中的Y) is every manufacturer."""
    rows = read_policy("一、申报条件\n属于制造业、医药制造业的企业。", "").tree["all"]
    assert row("industry_code", "prefix_in", ["C"]) in rows


@pytest.mark.parametrize(
    ("clause", "kept", "dropped"),
    [
        (
            "在大鹏新区实际经营，注册地在大鹏新区或惠州市大亚湾区",
            row("operating_district", "eq", "大鹏新区"),
            "registered_district",
        ),
        (
            "注册地在龙岗区，纳税地在龙岗区或东莞市凤岗镇",
            row("registered_district", "eq", "龙岗区"),
            "tax_district",
        ),
    ],
)
def test_a_place_or_one_outside_the_region_binds_no_kind(clause, kept, dropped):
    """ "注册地在大鹏新区或惠州市" accepts firms registered outside: no registration row, the outside place is reported."""
    reading = read_policy(f"一、申报条件\n（一）{clause}；\n（二）上年度营业收入500万元以上。", "")
    rows = reading.tree["all"]
    assert kept in rows
    assert not any(r.get("field") == dropped for r in rows)
    assert any(u[3].startswith("本地区以外") for u in reading.unread_spans)


@pytest.mark.parametrize(
    "clause",
    [
        "此前未享受过高新区同类上市培育奖励的科技型中小企业",
        "近三年未获得过龙岗区同类资助的科技型中小企业",
    ],
)
def test_a_prior_award_of_the_same_kind_from_a_named_district_is_the_policys_own(clause):
    """ "未享受过高新区同类奖励" is the policy's own earlier recipients (the issuer names itself)."""
    rows = read_policy(f"一、申报条件\n{clause}。", "").tree["all"]
    assert any(
        r.get("field") == "approved_groups"
        and r.get("op") == "not_contains_any"
        and r.get("value") == ["@own"]
        for r in rows
    )


def test_a_district_and_street_or_another_street_is_no_place_alternative():
    """ "在宝安区福永街道或福海街道注册" shares the street on both sides: one district and a list of streets."""
    rows = read_policy("一、申报条件\n（一）在宝安区福永街道或福海街道注册；\n（二）属于制造业。", "").tree[
        "all"
    ]
    assert not any("any" in r for r in rows)
    assert row("registered_district", "eq", "宝安区") in rows


def test_a_list_of_services_is_no_industry():
    """ "检验检测、法律财务等专业服务" lists services bought, not the firm's industry."""
    text = "一、申报条件\n2026年度使用服务券购买管理咨询、检验检测、法律财务等专业服务。\n二、支持标准\n补贴5万元。"
    rows = read_policy(text, "").tree["all"]
    assert not any(r.get("field") == "industry_code" for r in rows)


@pytest.mark.parametrize(
    "phrase",
    [
        "在本区注册的限额以上批发、零售、餐饮企业",
        "限额以上批发和零售业、住宿和餐饮业企业",
        "纳入统计的限上批发、零售、住宿、餐饮企业",
    ],
)
def test_one_limit_naming_trade_and_catering_admits_either_class(phrase):
    reading = read_policy(f"一、申报条件\n{phrase}。\n二、支持标准\n奖励10万元。", "宝安区商贸企业奖励")
    rows = [r for r in reading.tree["all"] if r.get("field") == "qualifications"]
    assert rows == [
        {
            "field": "qualifications",
            "op": "contains_any",
            "value": ["限额以上批发零售企业", "限额以上住宿餐饮"],
        }
    ]
