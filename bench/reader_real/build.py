"""Write bench/reader_real/passages.jsonl: real-style passages labelled by hand (run once; the JSONL is the set).

Labelled before the reader was changed; each passage names its failure class and its style. Trees follow the
shared condition contract (rows, all/any/not groups) and support rules follow the shared support contract.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for the shared labelling helpers

from reader_labels import CREDIT, GQ, GS, KJX, XE, XJR, ZJTX, all_, any_, fix, not_, r, ratio, rd, tiers  # noqa: E402, I001

BA = rd("宝安区")


P = []


def add(cls, style, title, text, tree, support, unread=()):
    """Append one labelled passage (unread: text the reader must report as 未能识别)."""
    P.append(
        {
            "id": f"R-{len(P) + 1:03d}",
            "class": cls,
            "style": style,
            "title": title,
            "text": text,
            "expected": {
                "conditions": tree,
                "support": support,
                **({"unread": list(unread)} if unread else {}),
            },
        }
    )


# --- exclusions ------------------------------------------------------------------------------------------------
add(
    "exclusion",
    "通知",
    "宝安区关于开展2026年制造业企业技术改造扶持申报的通知",
    "一、申报条件\n（一）在宝安区注册登记的制造业企业；\n（二）2025年度营业收入2000万元以上。\n"
    "锂电池制造企业的改造项目按另行规定申报，不适用本通知。\n二、扶持标准\n给予一次性奖励50万元。",
    all_(
        BA,
        r("industry_code", "prefix_in", ["C"]),
        r("revenue_wan", "gte", 2000),
        not_(r("industry_code", "prefix_in", ["C3841"])),
    ),
    fix(50),
)
add(
    "exclusion",
    "申报指南",
    "2026年宝安区专精特新企业奖励申报指南",
    '一、支持对象\n在宝安区注册的专精特新中小企业。\n下列企业不在本次支持范围：已获得中央财政资金支持的专精特新"小巨人"企业。\n'
    "二、支持标准\n每家奖励20万元。",
    all_(BA, r("qualifications", "contains_any", [ZJTX]), r("qualifications", "not_contains_any", [XJR])),
    fix(20),
)
add(
    "exclusion",
    "若干措施",
    "宝安区促进服务业高质量发展若干措施",
    "第五条 对在宝安区注册且上年度纳税总额500万元以上的服务业企业，给予30万元奖励。从事房地产开发经营的企业不适用本条。",
    all_(BA, r("tax_paid_wan", "gte", 500), not_(r("industry_code", "prefix_in", ["K70"]))),
    fix(30),
)
add(
    "exclusion",
    "通知",
    "关于申报2026年度小微企业稳岗补贴的通知",
    "一、申请条件\n1. 注册地在宝安区；\n2. 从业人员10人以上；\n3. 上市企业及其控股子公司不纳入本次补贴范围。\n二、补贴标准\n补贴5万元。",
    all_(BA, r("employees", "gte", 10), r("qualifications", "not_contains_any", ["上市企业"])),
    fix(5),
)
add(
    "exclusion",
    "申报指南",
    "宝安区科技型中小企业研发资助申报指南",
    "一、申报条件\n（一）在宝安区注册的科技型中小企业；\n（二）上年度研发费用100万元以上；\n"
    "（三）国家高新技术企业不得重复申报本项目。\n二、资助标准\n按上年度研发费用的10%给予资助，最高不超过50万元。",
    all_(
        BA,
        r("qualifications", "contains_any", [KJX]),
        r("rd_expense_wan", "gte", 100),
        r("qualifications", "not_contains_any", [GQ]),
    ),
    ratio("rd_expense_wan", 0.1, 50),
)
add(
    "exclusion",
    "通知",
    "关于开展批发零售企业促消费奖励的通知",
    "一、申报条件\n在宝安区注册的限额以上批发零售企业，2025年营业收入5000万元以上。\n"
    "烟草制品批发企业除外。\n二、奖励标准\n奖励10万元。",
    all_(
        BA,
        r("qualifications", "contains_any", [XE]),
        r("revenue_wan", "gte", 5000),
        # relabelled: 烟草制品批发 is F5128 in GB/T 4754-2017 (F5122 is 糕点、糖果及糖批发)
        not_(r("industry_code", "prefix_in", ["F5128"])),
    ),
    fix(10),
)
add(
    "exclusion",
    "问答",
    "宝安区企业上市奖励政策问答",
    "问：已经上市的企业还能申请拟上市奖励吗？\n答：不能。已上市企业不属于本项目支持对象。在宝安区注册、营业收入1亿元以上的企业可以申请。\n"
    "问：奖励多少？\n答：给予100万元奖励。",
    all_(BA, r("qualifications", "not_contains_any", ["上市企业"]), r("revenue_wan", "gte", 10000)),
    fix(100),
)
add(
    "exclusion",
    "若干措施",
    "宝安区支持总部经济发展若干措施",
    "第三条 对经认定的总部企业，年纳税总额3000万元以上的，给予200万元奖励。金融类企业不适用本条款。",
    all_(
        r("qualifications", "contains_any", ["总部企业"]),
        r("tax_paid_wan", "gte", 3000),
        not_(r("industry_code", "prefix_in", ["J"])),
    ),
    fix(200),
)

# --- negation scope --------------------------------------------------------------------------------------------
add(
    "negation",
    "通知",
    "关于国家高新技术企业首次认定奖励的通知",
    "一、申报条件\n此前未获得过本区同类奖励的国家高新技术企业，注册地在宝安区。\n二、奖励标准\n一次性奖励30万元。",
    all_(
        BA,
        r("qualifications", "contains_any", [GQ]),
        r("approved_groups", "not_contains_any", ["@own"]),
    ),
    fix(30),
)
add(
    "negation",
    "申报指南",
    "企业迁入奖励申报指南",
    "一、申报条件\n（一）2025年1月1日以后迁入宝安区，目前注册地在宝安区；\n（二）迁入前注册地不在宝安区；\n"
    "（三）上年度营业收入不低于1亿元。\n二、奖励\n奖励100万元。",
    all_(BA, r("revenue_wan", "gte", 10000)),
    fix(100),
)
add(
    "negation",
    "通知",
    "关于非上市科技企业融资贴息的通知",
    "一、支持对象\n在宝安区注册、尚未上市的国家高新技术企业。\n二、支持标准\n按贷款利息的50%给予贴息，最高不超过30万元。",
    all_(
        BA, r("qualifications", "contains_any", [GQ]), r("qualifications", "not_contains_any", ["上市企业"])
    ),
    {"kind": "interest", "rate": 0.5, "cap_wan": 30},
)
add(
    "negation",
    "若干措施",
    "宝安区促进中小企业发展若干措施",
    "第八条 注册地在宝安区、不属于大型企业的工业企业，上年度营业收入2000万元以上的，奖励20万元。",
    all_(
        BA,
        r("size_class", "ne", "大型"),
        r("industry_code", "prefix_in", ["B", "C", "D"]),
        r("revenue_wan", "gte", 2000),
    ),
    fix(20),
)
add(
    "negation",
    "通知",
    "关于小微企业首次贷款贴息的通知",
    "一、申报条件\n1. 在宝安区注册的小型、微型企业；\n2. 未被列入严重失信主体名单。\n二、贴息标准\n按实际支付利息的100%给予贴息，最高10万元。",
    all_(BA, r("size_class", "in", ["小型", "微型"]), CREDIT),
    {"kind": "interest", "rate": 1, "cap_wan": 10},
)
add(
    "negation",
    "申报指南",
    "宝安区非高新企业研发补助",
    "一、申报条件\n（一）注册地在宝安区；\n（二）非国家高新技术企业；\n（三）研发投入占营业收入比重不低于3%。\n二、补助标准\n补助10万元。",
    all_(BA, r("qualifications", "not_contains_any", [GQ]), r("rd_ratio", "gte", 0.03)),
    fix(10),
)

# --- alternatives and items ------------------------------------------------------------------------------------
add(
    "alternative",
    "通知",
    "关于开展2026年商贸企业促消费奖励申报的通知",
    "一、支持项目\n（一）零售企业奖励。在宝安区注册的零售企业，2025年零售额增长20%以上的，奖励20万元。\n"
    "（二）餐饮企业奖励。在宝安区注册的餐饮企业，2025年营业收入增长15%以上的，奖励10万元。",
    all_(
        BA,
        any_(
            all_(r("industry_code", "prefix_in", ["F52"]), r("revenue_growth", "gte", 0.2)),
            all_(r("industry_code", "prefix_in", ["H62"]), r("revenue_growth", "gte", 0.15)),
        ),
    ),
    fix(20),
)
add(
    "alternative",
    "申报指南",
    "宝安区创新企业成长奖励申报指南",
    "一、申报条件\n在宝安区注册，且营业收入1000万元以上，或营业收入1000万元以下但获得股权融资的科技型中小企业。\n二、奖励\n奖励15万元。",
    all_(
        BA,
        r("qualifications", "contains_any", [KJX]),
        # relabelled: 股权融资 is no profile field, so the 或 branch cannot be written and is reported unread
    ),
    fix(15),
    unread=["股权融资"],
)
add(
    "alternative",
    "通知",
    "关于开展中小企业公共服务券发放的通知",
    "一、申报对象\n在宝安区注册的民营企业、中小微企业、服务机构均可申报。\n二、支持标准\n每家发放服务券2万元。",
    all_(BA),
    fix(2),
)
add(
    "alternative",
    "若干措施",
    "宝安区支持企业资质提升若干措施",
    "第二条 注册地在宝安区，获得国家高新技术企业或专精特新中小企业认定的企业，给予10万元奖励。",
    all_(BA, r("qualifications", "contains_any", [GQ, ZJTX])),
    fix(10),
)
add(
    "alternative",
    "申报指南",
    "宝安区规模企业稳增长奖励申报指南",
    "一、申报条件\n在宝安区注册的企业，工业企业上年度营业收入2亿元以上；批发企业营业收入5亿元以上；零售企业营业收入1亿元以上。\n二、奖励\n奖励50万元。",
    all_(
        BA,
        any_(
            all_(r("industry_code", "prefix_in", ["B", "C", "D"]), r("revenue_wan", "gte", 20000)),
            all_(r("industry_code", "prefix_in", ["F51"]), r("revenue_wan", "gte", 50000)),
            all_(r("industry_code", "prefix_in", ["F52"]), r("revenue_wan", "gte", 10000)),
        ),
    ),
    fix(50),
)
add(
    "alternative",
    "通知",
    "关于开展专精特新企业培育的通知",
    "一、申报条件\n注册地在宝安区，从业人员50人以上或上年度营业收入3000万元以上的制造业企业。\n二、支持\n奖励10万元。",
    all_(
        BA,
        r("industry_code", "prefix_in", ["C"]),
        any_(r("employees", "gte", 50), r("revenue_wan", "gte", 3000)),
    ),
    fix(10),
)
add(
    "alternative",
    "问答",
    "宝安区创新券政策问答",
    "问：哪些企业可以申领创新券？\n答：在宝安区注册的科技型中小企业或国家高新技术企业均可申领。\n问：额度是多少？\n答：每家最高20万元。",
    all_(BA, r("qualifications", "contains_any", [KJX, GQ])),
    fix(20),
)
add(
    "alternative",
    "申报指南",
    "宝安区软件企业成长奖励",
    "一、申报条件\n（一）在宝安区注册的软件和信息技术服务业企业；\n（二）满足下列条件之一：1. 上年度营业收入5000万元以上；2. 上年度研发费用500万元以上。\n二、奖励\n奖励30万元。",
    all_(
        BA,
        r("industry_code", "prefix_in", ["I65"]),
        any_(r("revenue_wan", "gte", 5000), r("rd_expense_wan", "gte", 500)),
    ),
    fix(30),
)

# --- tiers -----------------------------------------------------------------------------------------------------
add(
    "tiers",
    "通知",
    "关于工业企业上台阶奖励的通知",
    "一、申报条件\n在宝安区注册的规模以上工业企业。\n二、奖励标准\n上年度营业收入首次达到1亿元、5亿元、10亿元的，分别给予20万元、50万元、100万元奖励。",
    all_(BA, r("qualifications", "contains_any", [GS]), r("revenue_wan", "gte", 10000)),
    tiers("revenue_wan", (10000, 20), (50000, 50), (100000, 100)),
)
add(
    "tiers",
    "申报指南",
    "宝安区服务业企业营收奖励申报指南",
    "一、申报条件\n在宝安区注册的服务业企业。\n二、奖励标准\n营业收入5000万元（含）至1亿元之间的，奖励10万元；1亿元（含）以上的，奖励30万元。",
    all_(BA, r("revenue_wan", "gte", 5000)),
    tiers("revenue_wan", (5000, 10), (10000, 30)),
)
add(
    "tiers",
    "若干措施",
    "宝安区促进企业纳税贡献若干措施",
    "第六条 在宝安区注册的企业，年纳税额达到1000万元、3000万元的，分别奖励30万元、80万元。",
    all_(BA, r("tax_paid_wan", "gte", 1000)),
    tiers("tax_paid_wan", (1000, 30), (3000, 80)),
)
add(
    "tiers",
    "表格",
    "宝安区研发投入奖励标准",
    "一、申报条件\n在宝安区注册的国家高新技术企业。\n二、奖励标准\n研发费用 | 奖励金额\n500万元（含）至1000万元 | 20万元\n1000万元（含）以上 | 50万元",
    all_(BA, r("qualifications", "contains_any", [GQ]), r("rd_expense_wan", "gte", 500)),
    tiers("rd_expense_wan", (500, 20), (1000, 50)),
)
add(
    "tiers",
    "通知",
    "关于规上企业用工奖励的通知",
    "一、申报条件\n注册地在宝安区的规模以上工业企业。\n二、奖励标准\n从业人员达到300人、1000人的，分别给予10万元、30万元。",
    all_(BA, r("qualifications", "contains_any", [GS]), r("employees", "gte", 300)),
    tiers("employees", (300, 10), (1000, 30)),
)
add(
    "tiers",
    "问答",
    "宝安区限上企业奖励问答",
    "问：奖励怎么算？\n答：在宝安区注册的限额以上批发零售企业，年销售额达到10亿元的奖励50万元，达到20亿元的奖励100万元。",
    all_(BA, r("qualifications", "contains_any", [XE]), r("revenue_wan", "gte", 100000)),
    tiers("revenue_wan", (100000, 50), (200000, 100)),
)

# --- non-requirements: purpose, titles, names, reward bases, parentheticals ------------------------------------
add(
    "non_requirement",
    "通知",
    "关于鼓励企业申报国家高新技术企业的通知",
    "为鼓励成长性好的企业申报国家高新技术企业，现将有关事项通知如下。\n一、申报条件\n在宝安区注册的科技型中小企业。\n二、支持\n给予5万元培育奖励。",
    all_(BA, r("qualifications", "contains_any", [KJX])),
    fix(5),
)
add(
    "non_requirement",
    "通知",
    "关于支持制造业企业数字化改造的通知",
    "为支持本区制造业企业数字化改造，特制定本通知。\n一、申报条件\n注册地在宝安区，上年度营业收入3000万元以上。\n二、支持标准\n按项目投资额的20%给予补贴，最高不超过200万元。",
    all_(BA, r("revenue_wan", "gte", 3000)),
    {"kind": "ratio", "base": None, "rate": 0.2, "cap_wan": 200, "over_wan": None, "increase": False},
)
add(
    "non_requirement",
    "申报指南",
    "宝安区总部企业认定申报指南",
    "一、申报条件\n（一）符合本区总部企业认定标准；\n（二）在宝安区注册；\n（三）上年度纳税总额不低于1000万元。\n二、奖励\n认定后给予100万元奖励。",
    all_(BA, r("tax_paid_wan", "gte", 1000)),
    fix(100),
)
add(
    "non_requirement",
    "通知",
    '关于举办"创客"中小企业创新大赛的通知',
    "一、参赛条件\n在宝安区注册的企业，成立时间不超过5年（含5年）。\n二、奖励\n一等奖奖励30万元。",
    all_(BA, r("years_since_founded", "lte", 5)),
    fix(30),
)
add(
    "non_requirement",
    "若干措施",
    "宝安区产业园区提升若干措施",
    "第九条 园区运营管理机构为在园区内注册的企业提供公共服务的，对该机构给予50万元补贴。申请机构须在宝安区注册。",
    all_(BA),
    fix(50),
)
add(
    "non_requirement",
    "通知",
    "关于营业收入增长奖励的通知",
    "一、申报条件\n在宝安区注册的工业企业。\n二、奖励标准\n对营业收入超过2000万元的部分按1%给予奖励，最高不超过50万元。",
    all_(BA, r("industry_code", "prefix_in", ["B", "C", "D"])),
    ratio("revenue_wan", 0.01, 50, over=2000),
)
add(
    "non_requirement",
    "申报指南",
    "控股公司研发奖励申报指南",
    "一、申报条件\n（一）在宝安区注册，控股公司或其下属企业均可申报；\n（二）上年度研发费用200万元以上。\n二、奖励\n奖励20万元。",
    all_(BA, r("rd_expense_wan", "gte", 200)),
    fix(20),
)
add(
    "non_requirement",
    "通知",
    "关于新设企业开办补贴的通知",
    "一、申报条件\n在宝安区新设立的企业，成立时间不满3年（含3年）。\n二、补贴\n一次性补贴3万元。",
    all_(BA, r("years_since_founded", "lte", 3)),
    fix(3),
)
add(
    "non_requirement",
    "若干措施",
    "宝安区促进研发投入若干措施",
    "第四条 为引导企业加大研发投入，对注册地在宝安区的企业，按上年度研发费用增量的10%给予资助，最高500万元。",
    all_(BA),
    ratio("rd_expense_wan", 0.1, 500, increase=True),
)

# --- places ----------------------------------------------------------------------------------------------------
add(
    "place",
    "通知",
    "深圳市中小企业融资贴息通知",
    "一、申报条件\n在本市（含特别合作区）依法注册的中小微企业。\n二、贴息\n按利息的50%贴息，最高50万元。",
    all_(r("size_class", "in", ["中型", "小型", "微型"])),
    {"kind": "interest", "rate": 0.5, "cap_wan": 50},
)
add(
    "place",
    "申报指南",
    "宝安区外资企业稳增长奖励",
    "一、申报条件\n（一）在宝安区开展实际经营活动；\n（二）上年度营业收入5000万元以上。\n二、奖励\n奖励20万元。",
    all_(r("operating_district", "eq", "宝安区"), r("revenue_wan", "gte", 5000)),
    fix(20),
)
add(
    "place",
    "通知",
    "关于企业纳税贡献奖励的通知",
    "一、申报条件\n（一）注册登记、税务关系在宝安区；\n（二）上年度纳税总额300万元以上。\n二、奖励\n奖励10万元。",
    all_(BA, r("tax_district", "eq", "宝安区"), r("tax_paid_wan", "gte", 300)),
    fix(10),
)
add(
    "place",
    "若干措施",
    "宝安区总部企业扶持若干措施",
    "第二条 注册地、经营地、纳税地三地合一在宝安区的总部企业，给予300万元落户奖励。",
    all_(
        BA,
        r("operating_district", "eq", "宝安区"),
        r("tax_district", "eq", "宝安区"),
        r("qualifications", "contains_any", ["总部企业"]),
    ),
    fix(300),
)
add(
    "place",
    "通知",
    "关于东莞市企业来宝安区投资奖励的通知",
    "一、申报条件\n在东莞市注册、在宝安区设立分支机构的企业。\n二、奖励\n奖励10万元。",
    all_(r("operating_district", "eq", "宝安区")),
    fix(10),
)
add(
    "place",
    "申报指南",
    "宝安区新安街道小微企业租金补贴",
    "一、申报条件\n注册地和实际经营地均在新安街道的小型、微型企业。\n二、补贴\n补贴2万元。",
    all_(BA, r("street", "eq", "新安街道"), r("size_class", "in", ["小型", "微型"])),
    fix(2),
)
add(
    "place",
    "通知",
    "关于河源市对口帮扶企业奖励的通知",
    "一、申报条件\n在河源市注册的企业，上年度营业收入1000万元以上。\n二、奖励\n奖励5万元。",
    # relabelled: a place outside the deployment's region is reported as unread, not a row
    all_(r("revenue_wan", "gte", 1000)),
    fix(5),
    unread=["河源市"],
)
add(
    "place",
    "问答",
    "宝安区稳岗政策问答",
    "问：注册在南山区但在宝安区经营的企业能申请吗？\n答：不能。须注册地在宝安区。\n问：补贴多少？\n答：每家5万元。",
    all_(BA),
    fix(5),
)

# --- credit and compliance -------------------------------------------------------------------------------------
add(
    "credit",
    "通知",
    "关于开展企业信用奖励的通知",
    "一、申报条件\n（一）在宝安区注册；\n（二）未被国家、省、市有关部门列入严重失信主体名单；\n（三）上年度纳税总额100万元以上。\n二、奖励\n奖励5万元。",
    all_(BA, CREDIT, r("tax_paid_wan", "gte", 100)),
    fix(5),
)
add(
    "credit",
    "申报指南",
    "宝安区安全生产标准化奖励",
    "一、申报条件\n（一）注册地在宝安区的工业企业；\n（二）近三年未发生被执法部门认定的严重违法违规行为。\n二、奖励\n奖励10万元。",
    all_(BA, r("industry_code", "prefix_in", ["B", "C", "D"]), CREDIT),
    fix(10),
)
add(
    "credit",
    "若干措施",
    "宝安区质量提升若干措施",
    "第七条 在宝安区注册、信用状况良好、近两年无重大质量安全事故的制造业企业，获得省级以上质量奖的，奖励50万元。",
    all_(BA, r("industry_code", "prefix_in", ["C"]), CREDIT),
    fix(50),
)
add(
    "credit",
    "通知",
    "关于企业上云补贴的通知",
    "一、申报条件\n在宝安区注册，未列入经营异常名录或严重违法失信企业名单的中小企业。\n二、补贴\n补贴3万元。",
    all_(BA, r("size_class", "in", ["中型", "小型", "微型"]), CREDIT),
    fix(3),
)

# --- conditions outside the 申报条件 heading --------------------------------------------------------------------
add(
    "outside",
    "通知",
    "关于开展工业企业扩产增效奖励的通知",
    "一、申报条件\n在宝安区注册的工业企业。\n二、支持项目\n上年度营业收入1亿元以上且增长10%以上的，给予30万元奖励。",
    all_(
        BA,
        r("industry_code", "prefix_in", ["B", "C", "D"]),
        r("revenue_wan", "gte", 10000),
        r("revenue_growth", "gte", 0.1),
    ),
    fix(30),
)
add(
    "outside",
    "表格",
    "宝安区企业研发资助支持内容",
    "一、支持对象\n在宝安区注册的企业。\n二、支持内容\n项目 | 条件 | 标准\n研发资助 | 研发费用1000万元以上的国家高新技术企业 | 奖励50万元",
    all_(BA, r("rd_expense_wan", "gte", 1000), r("qualifications", "contains_any", [GQ])),
    fix(50),
)
add(
    "outside",
    "申报指南",
    "宝安区新招用员工补贴",
    "一、支持对象\n在宝安区注册的企业。\n二、补贴标准\n上年度从业人员20人以上的企业，每新招用1人补贴0.2万元，最高20万元。",
    all_(BA, r("employees", "gte", 20)),
    {"kind": "per_unit", "base": "employees", "amount_wan": 0.2, "cap_wan": 20},
)

# --- Q&A -------------------------------------------------------------------------------------------------------
add(
    "qa",
    "问答",
    "宝安区中小企业贷款贴息问答",
    "问：大企业能申请吗？\n答：不能。在宝安区注册的中型、小型、微型企业均可申请。\n问：贴息比例多少？\n答：按利息的50%贴息，最高20万元。",
    all_(BA, r("size_class", "in", ["中型", "小型", "微型"])),
    {"kind": "interest", "rate": 0.5, "cap_wan": 20},
)
add(
    "qa",
    "问答",
    "宝安区高企奖励问答",
    "问：申请高企奖励需要什么条件？\n答：须为在宝安区注册的国家高新技术企业，且上年度研发费用不低于300万元。\n问：奖励标准？\n答：奖励20万元。",
    all_(BA, r("qualifications", "contains_any", [GQ]), r("rd_expense_wan", "gte", 300)),
    fix(20),
)
add(
    "qa",
    "问答",
    "宝安区新设企业问答",
    "问：成立多久的企业可以申请？\n答：成立不满2年的企业可以申请，须在宝安区注册。\n问：补贴多少？\n答：补贴1万元。",
    all_(BA, r("years_since_founded", "lt", 2)),
    fix(1),
)
add(
    "qa",
    "问答",
    "宝安区规上工业问答",
    "问：个体工商户可以申请吗？\n答：不可以。\n问：什么企业可以申请？\n答：注册在宝安区、营业收入2000万元以上的工业企业。",
    all_(BA, r("revenue_wan", "gte", 2000), r("industry_code", "prefix_in", ["B", "C", "D"])),
    None,
)

# --- vocabulary ------------------------------------------------------------------------------------------------
add(
    "vocabulary",
    "通知",
    "关于研发投入强度奖励的通知",
    "一、申报条件\n（一）在宝安区注册；\n（二）研发投入占营业收入比重不低于5%。\n二、奖励\n奖励10万元。",
    all_(BA, r("rd_ratio", "gte", 0.05)),
    fix(10),
)
add(
    "vocabulary",
    "申报指南",
    "宝安区首次上规企业奖励",
    "一、申报条件\n2025年首次上规模的工业企业，注册地在宝安区。\n二、奖励\n奖励20万元。",
    # relabelled: first above the 规上 line means below it the year before (revenue_wan_prev, issue 12)
    all_(BA, r("qualifications", "contains_any", [GS]), r("revenue_wan_prev", "lt", 2000)),
    fix(20),
)
add(
    "vocabulary",
    "通知",
    "关于稳定经营企业奖励的通知",
    "一、申报条件\n在宝安区注册，正常生产经营满1年的企业。\n二、奖励\n奖励2万元。",
    all_(BA, r("years_since_founded", "gte", 1)),
    fix(2),
)
add(
    "vocabulary",
    "若干措施",
    "宝安区商贸制造融合若干措施",
    "第十条 在宝安区注册、属于C门类、F51大类的企业，上年度营业收入1亿元以上的，奖励20万元。",
    all_(BA, r("industry_code", "prefix_in", ["C", "F51"]), r("revenue_wan", "gte", 10000)),
    fix(20),
)
add(
    "vocabulary",
    "通知",
    "关于软件企业（I65）奖励的通知",
    "一、申报条件\n在宝安区注册的软件企业（行业代码I65）。\n二、奖励\n奖励10万元。",
    all_(BA, r("industry_code", "prefix_in", ["I65"])),
    fix(10),
)
add(
    "vocabulary",
    "申报指南",
    "宝安区纳统服务业奖励",
    "一、申报条件\n（一）在宝安区注册；\n（二）上年度营业收入增长率不低于15%；\n（三）上年度纳税额不低于50万元。\n二、奖励\n奖励5万元。",
    all_(BA, r("revenue_growth", "gte", 0.15), r("tax_paid_wan", "gte", 50)),
    fix(5),
)
add(
    "vocabulary",
    "通知",
    "关于专精特新小巨人企业奖励的通知",
    '一、申报条件\n在宝安区注册，获评国家级专精特新"小巨人"企业。\n二、奖励\n奖励50万元。',
    all_(BA, r("qualifications", "contains_any", [XJR])),
    fix(50),
)


def main() -> None:
    """Write the JSONL next to this script."""
    out = Path(__file__).with_name("passages.jsonl")
    out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in P), encoding="utf-8")
    print(len(P), "passages ->", out)


if __name__ == "__main__":
    main()
