"""Write bench/reader_real3/passages.jsonl: a third, small blind set, labelled by hand after the reader's changes
for issue 12 and scored once, so the final figures have a set the fixes were never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for the shared labelling helpers

from reader_labels import CREDIT, GQ, GS, KJX, NOT_OWN, ZJTX, Passages, all_, any_, fix, ind, q, r, rd  # noqa: E402, I001

P = Passages("T")
add = P.add


add(
    "exclusion",
    "实施细则",
    "盐田区港航物流企业扶持实施细则",
    "第三条 申请条件\n（一）在盐田区依法注册的道路货物运输企业；\n（二）上年度营业收入1000万元以上。\n"
    "第四条 有下列情形之一的，不予扶持：\n（一）被列入经营异常名录的；\n（二）本年度已享受本区同类扶持的。\n第五条 扶持标准\n给予15万元扶持。",
    all_(rd("盐田区"), ind("G543"), r("revenue_wan", "gte", 1000), CREDIT, NOT_OWN),
    fix(15),
)
add(
    "exclusion",
    "通知",
    "大鹏新区文旅企业奖励通知",
    "一、申报条件\n在大鹏新区注册的旅行社企业，上年度营业收入300万元以上。\n其中，从事在线旅游平台经营的企业，不在本次奖励范围。\n二、奖励\n奖励5万元。",
    all_(rd("大鹏新区"), ind("L7291"), r("revenue_wan", "gte", 300)),
    fix(5),
)
add(
    "negation",
    "申报指南",
    "罗湖区首次认定高企奖励申报指南",
    "一、申报条件\n（一）注册地在罗湖区；\n（二）2025年首次认定为国家高新技术企业，且此前未获得本区同类奖励。\n二、奖励标准\n奖励10万元。",
    all_(rd("罗湖区"), q(GQ), NOT_OWN),
    fix(10),
)
add(
    "negation",
    "通知",
    "光明区非上市企业融资奖励通知",
    "一、申报条件\n在光明区注册、未在境内外证券交易所上市的科技型中小企业。\n二、奖励\n奖励20万元。",
    all_(rd("光明区"), r("qualifications", "not_contains_any", ["上市企业"]), q(KJX)),
    fix(20),
)
add(
    "alternative",
    "申报指南",
    "坪山区创新平台奖励申报指南",
    "一、申报条件\n在坪山区注册，且具备下列条件之一的企业：\n1. 上年度研发费用1000万元以上；\n2. 拥有专精特新中小企业资质。\n二、奖励\n奖励30万元。",
    all_(rd("坪山区"), any_(r("rd_expense_wan", "gte", 1000), q(ZJTX))),
    fix(30),
)
add(
    "alternative",
    "若干措施",
    "福田区商贸流通若干措施",
    "第六条 对福田区注册的批发业企业年营业收入达到10亿元、零售业企业达到2亿元的，给予50万元奖励。",
    all_(
        rd("福田区"),
        any_(
            all_(ind("F51"), r("revenue_wan", "gte", 100000)),
            all_(ind("F52"), r("revenue_wan", "gte", 20000)),
        ),
    ),
    fix(50),
)
add(
    "tiers",
    "通知",
    "龙华区工业企业产值奖励通知",
    "一、申报条件\n龙华区注册的规模以上工业企业。\n二、奖励标准\n年营业收入首次突破10亿元、20亿元、50亿元的，分别奖励100万元、200万元、500万元。",
    all_(rd("龙华区"), q(GS), r("revenue_wan", "gte", 100000)),
    {
        "kind": "tiers",
        "base": "revenue_wan",
        "tiers": [
            {"gte": 100000, "amount_wan": 100},
            {"gte": 200000, "amount_wan": 200},
            {"gte": 500000, "amount_wan": 500},
        ],
    },
)
add(
    "non_requirement",
    "通知",
    "南山区中小企业服务机构补贴通知",
    "为推动中小企业公共服务体系建设，现将有关事项通知如下。\n一、申报条件\n在南山区注册的中小企业公共服务示范平台运营单位，上年度服务企业100家以上。\n二、补贴\n补贴20万元。",
    all_(rd("南山区")),
    fix(20),
)
add(
    "place",
    "服务指南",
    "宝安区纳税企业稳岗补贴服务指南",
    "申请条件：工商登记和税收关系均在宝安区，上年度从业人员30人以上。\n补贴标准：补贴3万元。",
    all_(rd("宝安区"), r("tax_district", "eq", "宝安区"), r("employees", "gte", 30)),
    fix(3),
)
add(
    "place",
    "通知",
    "龙岗区招商引资奖励通知",
    "一、申报条件\n（一）在龙岗区开展实际经营活动，注册地在惠州市的企业可以申报；\n（二）上年度纳税总额200万元以上。\n二、奖励\n奖励20万元。",
    all_(r("operating_district", "eq", "龙岗区"), r("tax_paid_wan", "gte", 200)),
    fix(20),
    unread=["惠州市"],
)
add(
    "place",
    "申报指南",
    "盐田区总部企业认定奖励",
    "一、申报条件\n注册地、经营地、纳税地三地合一，均在盐田区；上年度营业收入5亿元以上。\n二、奖励\n奖励200万元。",
    all_(
        rd("盐田区"),
        r("operating_district", "eq", "盐田区"),
        r("tax_district", "eq", "盐田区"),
        r("revenue_wan", "gte", 50000),
    ),
    fix(200),
)
add(
    "credit",
    "服务指南",
    "福田区守信企业奖励服务指南",
    "办理条件：\n1. 福田区注册的企业；\n2. 近三年未受到行政处罚，未被列入严重违法失信名单；\n3. 上年度纳税总额100万元以上。\n奖励标准：奖励10万元。",
    all_(rd("福田区"), CREDIT, r("tax_paid_wan", "gte", 100)),
    fix(10),
)
add(
    "outside",
    "表格",
    "龙岗区智能制造奖励",
    "一、支持对象\n龙岗区注册的企业。\n二、支持内容\n项目名称 | 申报条件 | 奖励标准\n智能工厂 | 上年度营业收入2亿元以上的规模以上工业企业 | 奖励200万元",
    all_(rd("龙岗区"), r("revenue_wan", "gte", 20000), q(GS)),
    fix(200),
)
add(
    "qa",
    "问答",
    "坪山区人才住房补贴问答",
    "问：外地注册的企业可以申请吗？\n答：不可以，企业须在坪山区注册。\n问：有规模要求吗？\n答：上年度从业人员不少于20人。\n问：补贴多少？\n答：每家补贴5万元。",
    all_(rd("坪山区"), r("employees", "gte", 20)),
    fix(5),
)
add(
    "qa",
    "问答",
    "光明区研发补贴问答",
    "问：申请研发补贴需要具备什么资质？\n答：须为国家高新技术企业或科技型中小企业，并在光明区注册。\n问：补贴多少？\n答：补贴8万元。",
    all_(q(GQ, KJX), rd("光明区")),
    fix(8),
)
add(
    "vocabulary",
    "通知",
    "南山区成长型企业奖励通知",
    "一、申报条件\n（一）在南山区注册；\n（二）上年度营业收入同比增长30%以上；\n（三）研发费用占营业收入的比例不低于3%。\n二、奖励\n奖励10万元。",
    all_(rd("南山区"), r("revenue_growth", "gte", 0.3), r("rd_ratio", "gte", 0.03)),
    fix(10),
)
add(
    "vocabulary",
    "若干措施",
    "罗湖区服务业上规若干措施",
    "第七条 对首次上规模的罗湖区工业企业，给予10万元奖励。",
    all_(rd("罗湖区"), q(GS), r("revenue_wan_prev", "lt", 2000)),
    fix(10),
)
add(
    "reward_base",
    "若干措施",
    "宝安区研发投入奖励若干措施",
    "第八条 对宝安区注册的国家高新技术企业，上年度研发费用超过500万元的部分，按5%给予奖励，最高200万元。",
    all_(rd("宝安区"), q(GQ)),
    {
        "kind": "ratio",
        "base": "rd_expense_wan",
        "rate": 0.05,
        "cap_wan": 200,
        "over_wan": 500,
        "increase": False,
    },
)

if __name__ == "__main__":
    P.write(__file__)
