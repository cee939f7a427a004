"""Write bench/reader_real2/passages.jsonl: a second blind set of real-style passages, labelled by hand.

Written and labelled before the reader was changed for it, in other districts' and other authors' styles than
bench/reader_real (服务指南, 申报须知, 政策解读, 问答, 若干措施 articles, tables). Trees follow the shared condition
contract; `unread` lists text the reader must report as 未能识别 (places outside the deployment region).
"""

from __future__ import annotations

import json
from pathlib import Path


def r(field, op, value):
    """One condition row."""
    return {"field": field, "op": op, "value": value}


def all_(*nodes):
    """An all group."""
    return {"all": list(nodes)}


def any_(*nodes):
    """An any group."""
    return {"any": list(nodes)}


def not_(node):
    """A not group."""
    return {"not": node}


def rd(district):
    """Registered in the district."""
    return r("registered_district", "eq", district)


def q(*names):
    """Holds any of the qualifications."""
    return r("qualifications", "contains_any", list(names))


def ind(*prefixes):
    """Industry under one of the GB/T 4754 prefixes."""
    return r("industry_code", "prefix_in", list(prefixes))


GQ = "国家高新技术企业"
XJR = '专精特新"小巨人"企业'
ZJTX = "专精特新中小企业"
KJX = "科技型中小企业"
GS = "规模以上工业企业"
XE = "限额以上批发零售企业"
CREDIT = r("credit_ok", "eq", True)
NOT_OWN = r("approved_groups", "not_contains_any", ["@own"])
SME = r("size_class", "in", ["中型", "小型", "微型"])


def fix(amount):
    """A fixed support rule."""
    return {"kind": "fixed", "amount_wan": amount}


def ratio(base, rate, cap=None, over=None, increase=False):
    """A ratio support rule."""
    return {
        "kind": "ratio",
        "base": base,
        "rate": rate,
        "cap_wan": cap,
        "over_wan": over,
        "increase": increase,
    }


def tiers(base, *pairs):
    """A tiers support rule."""
    return {"kind": "tiers", "base": base, "tiers": [{"gte": g, "amount_wan": a} for g, a in pairs]}


P = []


def add(cls, style, title, text, tree, support, unread=()):
    """Append one labelled passage."""
    P.append(
        {
            "id": f"S-{len(P) + 1:03d}",
            "class": cls,
            "style": style,
            "title": title,
            "text": text,
            "expected": {"conditions": tree, "support": support, "unread": list(unread)},
        }
    )


# --- exclusions ------------------------------------------------------------------------------------------------
add(
    "exclusion",
    "服务指南",
    "龙岗区工业企业技术改造事后奖补服务指南",
    "一、服务对象\n在龙岗区依法登记注册、具有独立法人资格的工业企业。\n二、办理条件\n1. 上年度主营业务收入5000万元以上；\n"
    "2. 技术改造项目已竣工投产。\n三、不予受理情形\n（一）房地产开发经营企业；\n（二）被列入严重失信主体名单的企业。\n"
    "四、奖补标准\n按项目设备投资额的10%给予奖补，最高500万元。",
    all_(rd("龙岗区"), ind("C"), r("revenue_wan", "gte", 5000), not_(ind("K701")), CREDIT),
    ratio(None, 0.1, 500),
)
add(
    "exclusion",
    "若干措施",
    "南山区促进集成电路产业发展若干措施",
    "第十二条 对在南山区注册的集成电路设计企业，上年度研发费用500万元以上的，给予最高100万元资助。"
    "已享受市级同类资助的项目不重复支持。",
    all_(rd("南山区"), ind("I6520"), r("rd_expense_wan", "gte", 500)),
    fix(100),
)
add(
    "exclusion",
    "通知",
    "关于开展2026年龙华区商贸企业增长奖励申报工作的通知",
    "一、申报对象\n注册地在龙华区的限额以上批发零售企业。\n二、申报条件\n（一）2025年度营业收入比上年增长10%以上；\n"
    "（二）汽车新车零售企业不纳入本次奖励范围。\n三、奖励标准\n奖励10万元。",
    all_(rd("龙华区"), q(XE), r("revenue_growth", "gte", 0.1), not_(ind("F5261"))),
    fix(10),
)
add(
    "exclusion",
    "申报须知",
    "坪山区医药企业研发奖励申报须知",
    "申报须知\n1. 申报单位须为在坪山区注册登记的医药制造企业；\n2. 上年度研发费用不低于300万元；\n"
    "3. 以下情形不予支持：申报单位为事业单位、社会组织的；申报单位被列入失信被执行人名单的。\n奖励标准：每家奖励30万元。",
    all_(rd("坪山区"), ind("C27"), r("rd_expense_wan", "gte", 300), CREDIT),
    fix(30),
)
add(
    "exclusion",
    "通知",
    "光明区关于规上工业企业增产奖励的通知",
    "一、申报条件\n光明区注册的规模以上工业企业，上年度营业收入增长不低于15%。\n二、其他要求\n"
    "本年度已获得本区同类奖励的企业，不得重复申报。\n三、奖励标准\n奖励20万元。",
    all_(rd("光明区"), q(GS), r("revenue_growth", "gte", 0.15), NOT_OWN),
    fix(20),
)
# --- negation scope --------------------------------------------------------------------------------------------
add(
    "negation",
    "通知",
    "龙岗区关于国家高新技术企业认定奖励的通知",
    "一、申报条件\n首次通过国家高新技术企业认定、且以往未享受过本区高企认定奖励的企业，注册地须在龙岗区。\n"
    "二、奖励标准\n给予20万元一次性奖励。",
    all_(rd("龙岗区"), q(GQ), NOT_OWN),
    fix(20),
)
add(
    "negation",
    "政策解读",
    "坪山区总部企业落户奖励政策解读",
    "一、支持对象\n目前注册地不在坪山区、拟将总部迁入坪山区的企业。\n二、申报条件\n上年度营业收入不低于5亿元。\n"
    "三、奖励标准\n给予100万元落户奖励。",
    all_(r("registered_district", "ne", "坪山区"), r("revenue_wan", "gte", 50000)),
    fix(100),
)
add(
    "negation",
    "若干措施",
    "龙华区专精特新企业培育若干措施",
    '第十一条 龙华区注册的专精特新中小企业，尚未被认定为专精特新"小巨人"企业的，可申请培育资助，每家10万元。',
    all_(rd("龙华区"), q(ZJTX), r("qualifications", "not_contains_any", [XJR])),
    fix(10),
)
add(
    "negation",
    "服务指南",
    "福田区中小企业租金资助服务指南",
    "办理条件：\n1. 福田区注册的企业；\n2. 近两年内未获得本项资助；\n3. 不属于大型企业。\n资助标准：\n"
    "按实际租金的50%给予资助，最高30万元。",
    all_(rd("福田区"), NOT_OWN, r("size_class", "ne", "大型")),
    ratio(None, 0.5, 30),
)
add(
    "negation",
    "通知",
    "罗湖区科技型中小企业奖励通知",
    "一、申报条件\n（一）在罗湖区注册；\n（二）未取得科技型中小企业入库编号的企业不能申报；\n（三）上年度营业收入500万元以上。\n"
    "二、奖励\n奖励5万元。",
    all_(rd("罗湖区"), q(KJX), r("revenue_wan", "gte", 500)),
    fix(5),
)
# --- alternatives and items ------------------------------------------------------------------------------------
add(
    "alternative",
    "通知",
    "龙岗区促进消费增长奖励通知",
    "一、零售业项目\n在龙岗区注册的限额以上批发零售企业中的零售业企业，上年度营业收入增长15%以上的，奖励20万元。\n"
    "二、餐饮业项目\n在龙岗区注册的餐饮业企业，上年度营业收入增长20%以上的，奖励10万元。",
    all_(
        rd("龙岗区"),
        any_(
            all_(q(XE), ind("F52"), r("revenue_growth", "gte", 0.15)),
            all_(ind("H62"), r("revenue_growth", "gte", 0.2)),
        ),
    ),
    fix(20),
)
add(
    "alternative",
    "问答",
    "南山区企业研发补贴问答",
    "问：营业收入不到1000万元的企业可以申请吗？\n答：可以。营业收入1000万元以上的企业，或营业收入不足1000万元但属于"
    "国家高新技术企业的，均可申请，企业须在南山区注册。\n问：补贴多少？\n答：每家补贴10万元。",
    all_(
        rd("南山区"),
        any_(r("revenue_wan", "gte", 1000), all_(r("revenue_wan", "lt", 1000), q(GQ))),
    ),
    fix(10),
)
add(
    "alternative",
    "若干措施",
    "龙华区促进企业规模发展若干措施",
    "第五条 对龙华区注册的工业企业上年度营业收入达到2亿元、软件和信息技术服务业企业达到5000万元的，奖励30万元。",
    all_(
        rd("龙华区"),
        any_(all_(ind("C"), r("revenue_wan", "gte", 20000)), all_(ind("I65"), r("revenue_wan", "gte", 5000))),
    ),
    fix(30),
)
add(
    "alternative",
    "服务指南",
    "坪山区研发投入补贴服务指南",
    "申请对象：坪山区注册的民营企业、中小微企业、科技服务机构均可申请。\n申请条件：上年度研发费用50万元以上。\n"
    "补贴标准：补贴5万元。",
    all_(rd("坪山区"), r("rd_expense_wan", "gte", 50)),
    fix(5),
)
add(
    "alternative",
    "通知",
    "光明区创新企业奖励通知",
    "一、申报条件\n企业注册地须在光明区，并符合下列条件之一：\n（一）国家高新技术企业；\n（二）专精特新中小企业；\n"
    "（三）上年度研发投入占营业收入比重达到6%。\n二、奖励\n奖励10万元。",
    all_(rd("光明区"), any_(q(GQ), q(ZJTX), r("rd_ratio", "gte", 0.06))),
    fix(10),
)
# --- tiers ------------------------------------------------------------------------------------------------------
add(
    "tiers",
    "若干措施",
    "龙岗区工业企业上台阶若干措施",
    "第七条 对龙岗区注册的工业企业，年营业收入达到5亿元、10亿元、50亿元的，分别给予50万元、100万元、300万元奖励。",
    all_(rd("龙岗区"), ind("C"), r("revenue_wan", "gte", 50000)),
    tiers("revenue_wan", (50000, 50), (100000, 100), (500000, 300)),
)
add(
    "tiers",
    "表格",
    "南山区纳税贡献奖励",
    "一、申报条件\n在南山区注册并纳税的企业。\n二、奖励标准\n纳税总额 | 奖励金额\n1000万元（含）至3000万元 | 20万元\n"
    "3000万元（含）至1亿元 | 50万元\n1亿元（含）以上 | 100万元",
    all_(rd("南山区"), r("tax_district", "eq", "南山区"), r("tax_paid_wan", "gte", 1000)),
    tiers("tax_paid_wan", (1000, 20), (3000, 50), (10000, 100)),
)
add(
    "tiers",
    "通知",
    "福田区软件企业成长奖励通知",
    "一、申报条件\n注册在福田区的软件和信息技术服务业企业。\n二、奖励标准\n上年度营业收入在2000万元（含）至5000万元之间的，"
    "奖励10万元；5000万元（含）以上的，奖励30万元。",
    all_(rd("福田区"), ind("I65"), r("revenue_wan", "gte", 2000)),
    tiers("revenue_wan", (2000, 10), (5000, 30)),
)
add(
    "tiers",
    "申报指南",
    "龙华区制造业稳岗奖励申报指南",
    "一、申报条件\n龙华区注册的制造业企业。\n二、奖励标准\n上年度从业人员达到100人、300人、500人的，分别给予10万元、20万元、"
    "40万元稳岗奖励。",
    all_(rd("龙华区"), ind("C"), r("employees", "gte", 100)),
    tiers("employees", (100, 10), (300, 20), (500, 40)),
)
# --- words that are not requirements ---------------------------------------------------------------------------
add(
    "non_requirement",
    "通知",
    "龙岗区关于组织申报制造业单项冠军企业奖励的通知",
    "为引导企业争创制造业单项冠军企业，现将有关事项通知如下。\n一、申报条件\n（一）在龙岗区注册的规模以上工业企业；\n"
    "（二）主导产品市场占有率位居全国前三。\n二、奖励\n给予50万元奖励。",
    all_(rd("龙岗区"), q(GS)),
    fix(50),
)
add(
    "non_requirement",
    "若干措施",
    "南山区公共技术服务平台建设若干措施",
    "第二十条 支持园区运营管理机构建设公共技术服务平台，对经认定的平台按建设投入的30%给予资助，最高300万元。"
    "运营机构须在南山区注册。",
    all_(rd("南山区")),
    ratio(None, 0.3, 300),
)
add(
    "non_requirement",
    "通知",
    '关于组织申报2026年龙华区"专精特新"企业培育库的通知',
    "一、申报条件\n（一）在龙华区注册登记满2年（含2年）；\n（二）符合专精特新中小企业认定标准；\n"
    "（三）上年度营业收入1000万元以上。",
    all_(rd("龙华区"), r("years_since_founded", "gte", 2), r("revenue_wan", "gte", 1000)),
    None,
)
add(
    "non_requirement",
    "服务指南",
    '坪山区"创新之星"中小企业创新大赛奖励服务指南',
    "二、申请条件\n坪山区注册、成立时间不超过3年（含3年）的企业，获得大赛一等奖。\n三、奖励标准\n奖励20万元。",
    all_(rd("坪山区"), r("years_since_founded", "lte", 3)),
    fix(20),
)
add(
    "non_requirement",
    "若干措施",
    "福田区总部经济发展若干措施",
    "第九条 对福田区注册的总部企业，上年度营业收入超过10亿元的部分，按0.5%给予奖励，最高1000万元。",
    all_(rd("福田区"), q("总部企业")),
    ratio("revenue_wan", 0.005, 1000, 100000),
)
add(
    "non_requirement",
    "通知",
    "罗湖区商贸企业上限奖励通知",
    "为支持罗湖区商贸企业做大做强，鼓励企业入库纳统，现将有关事项通知如下。\n一、申报条件\n"
    "注册地在罗湖区的限额以上批发零售企业，上年度纳税总额不低于50万元。\n二、奖励\n奖励5万元。",
    all_(rd("罗湖区"), q(XE), r("tax_paid_wan", "gte", 50)),
    fix(5),
)
# --- places -----------------------------------------------------------------------------------------------------
add(
    "place",
    "通知",
    "龙岗区纳税大户奖励通知",
    "一、申报条件\n（一）工商注册地和税务登记地均在龙岗区；\n（二）上年度营业收入1000万元以上。\n二、奖励\n奖励10万元。",
    all_(rd("龙岗区"), r("tax_district", "eq", "龙岗区"), r("revenue_wan", "gte", 1000)),
    fix(10),
)
add(
    "place",
    "服务指南",
    "南山区实体经营企业补贴服务指南",
    "申请条件：申请企业须在南山区开展实际经营活动，注册地在本市范围内；上年度纳税总额不低于20万元。\n补贴标准：补贴3万元。",
    all_(r("operating_district", "eq", "南山区"), r("tax_paid_wan", "gte", 20)),
    fix(3),
)
add(
    "place",
    "若干措施",
    "福田区楼宇经济发展若干措施",
    "第四条 注册地、实际经营地和纳税地均在福田区的企业，上年度纳税总额首次超过1000万元的，给予50万元奖励。",
    all_(
        rd("福田区"),
        r("operating_district", "eq", "福田区"),
        r("tax_district", "eq", "福田区"),
        r("tax_paid_wan", "gt", 1000),
    ),
    fix(50),
)
add(
    "place",
    "通知",
    "坪山区关于吸引周边企业设立研发中心的通知",
    "一、申报条件\n（一）注册地在东莞市或惠州市，并在坪山区开展实际经营活动的企业；\n（二）上年度营业收入3000万元以上。\n"
    "二、奖励\n奖励30万元。",
    all_(r("operating_district", "eq", "坪山区"), r("revenue_wan", "gte", 3000)),
    fix(30),
    unread=["东莞市"],
)
add(
    "place",
    "申报指南",
    "光明区实体企业奖励申报指南",
    "一、申报条件\n在光明区（含光明科学城）依法注册并实际经营的企业，上年度营业收入2000万元以上。\n二、奖励\n奖励10万元。",
    all_(rd("光明区"), r("operating_district", "eq", "光明区"), r("revenue_wan", "gte", 2000)),
    fix(10),
)
add(
    "place",
    "通知",
    "关于深汕特别合作区企业奖励的通知",
    "一、申报条件\n在深汕特别合作区注册的企业，上年度营业收入500万元以上。\n二、奖励\n奖励5万元。",
    all_(r("revenue_wan", "gte", 500)),
    fix(5),
    unread=["深汕特别合作区"],
)
add(
    "place",
    "问答",
    "龙华区纳税奖励问答",
    "问：注册在外区、在龙华区纳税的企业能否申报？\n答：可以。企业纳税地在龙华区即可申报。\n问：奖励多少？\n答：奖励5万元。",
    all_(r("tax_district", "eq", "龙华区")),
    fix(5),
)
# --- credit and compliance ---------------------------------------------------------------------------------------
add(
    "credit",
    "通知",
    "南山区企业上市培育奖励通知",
    "一、申报条件\n（一）在南山区注册的国家高新技术企业；\n（二）企业信用良好，未被列入经营异常名录或严重违法失信名单。\n"
    "二、奖励\n奖励50万元。",
    all_(rd("南山区"), q(GQ), CREDIT),
    fix(50),
)
add(
    "credit",
    "服务指南",
    "龙岗区安全生产示范企业奖励服务指南",
    "申请条件：\n1. 龙岗区注册的工业企业；\n2. 申请人近三年内无重大安全生产事故、无环境违法行为，未被列为失信被执行人。\n"
    "奖励标准：奖励10万元。",
    all_(rd("龙岗区"), ind("C"), CREDIT),
    fix(10),
)
add(
    "credit",
    "若干措施",
    "龙华区促进民营经济发展若干措施",
    "第八条 在龙华区注册、申报时未处于失信联合惩戒期内的中小企业，上年度营业收入增长10%以上的，奖励5万元。",
    all_(rd("龙华区"), CREDIT, SME, r("revenue_growth", "gte", 0.1)),
    fix(5),
)
add(
    "credit",
    "申报须知",
    "光明区诚信经营企业奖励申报须知",
    '申报须知\n1. 企业在光明区注册；\n2. 企业在"信用中国"网站无严重失信记录；\n3. 上年度纳税总额50万元以上。\n奖励5万元。',
    all_(rd("光明区"), CREDIT, r("tax_paid_wan", "gte", 50)),
    fix(5),
)
# --- conditions outside the 申报条件 heading -------------------------------------------------------------------
add(
    "outside",
    "表格",
    "龙岗区首台套应用奖励",
    "一、支持对象\n龙岗区注册的企业。\n二、支持内容\n支持方向 | 申请条件 | 支持标准\n"
    "首台套应用 | 上年度营业收入5000万元以上的工业企业 | 奖励100万元",
    all_(rd("龙岗区"), r("revenue_wan", "gte", 5000), ind("C")),
    fix(100),
)
add(
    "outside",
    "通知",
    "南山区研发投入奖励通知",
    "一、申报条件\n在南山区注册的企业。\n二、支持项目\n研发投入奖励：上年度研发投入占营业收入比重达到4%以上的国家高新技术企业，"
    "奖励20万元。",
    all_(rd("南山区"), r("rd_ratio", "gte", 0.04), q(GQ)),
    fix(20),
)
add(
    "outside",
    "服务指南",
    "坪山区本地用工补贴服务指南",
    "服务对象：在坪山区注册的企业。\n支持内容：对上年度从业人员50人以上的企业，每新招用1人补贴0.3万元，最高30万元。",
    all_(rd("坪山区"), r("employees", "gte", 50)),
    {"kind": "per_unit", "base": "employees", "amount_wan": 0.3, "cap_wan": 30},
)
# --- Q&A --------------------------------------------------------------------------------------------------------
add(
    "qa",
    "问答",
    "龙岗区创新企业奖励问答",
    "问：哪些企业可以申请？\n答：在龙岗区注册的国家高新技术企业、专精特新中小企业均可申请。\n问：有营收要求吗？\n"
    "答：上年度营业收入不低于2000万元。",
    all_(rd("龙岗区"), q(GQ, ZJTX), r("revenue_wan", "gte", 2000)),
    None,
)
add(
    "qa",
    "问答",
    "南山区中小企业贷款贴息问答",
    "问：大型企业可以申请吗？\n答：不可以，本政策仅支持中小微企业。\n问：企业需要在南山区注册吗？\n答：需要。\n"
    "问：贴息比例？\n答：按实际支付利息的60%给予贴息，最高30万元。",
    all_(SME, rd("南山区")),
    {"kind": "interest", "rate": 0.6, "cap_wan": 30},
)
add(
    "qa",
    "问答",
    "龙华区制造业企业补贴问答",
    "Q：成立不满一年的企业能申报吗？\nA：不能，企业成立须满1年。\nQ：对行业有要求吗？\nA：限于龙华区注册的制造业企业。",
    all_(r("years_since_founded", "gte", 1), rd("龙华区"), ind("C")),
    None,
)
add(
    "qa",
    "问答",
    "福田区纳税奖励问答",
    "问：个体工商户能申请吗？\n答：不能。\n问：有纳税要求吗？\n答：上年度在福田区纳税额不低于30万元。\n问：奖励多少？\n答：奖励3万元。",
    all_(r("tax_district", "eq", "福田区"), r("tax_paid_wan", "gte", 30)),
    fix(3),
)
# --- vocabulary and growth -----------------------------------------------------------------------------------------
add(
    "vocabulary",
    "通知",
    "龙岗区数字经济企业奖励通知",
    "一、申报条件\n（一）在龙岗区注册；\n（二）行业代码属于I门类或M73大类；\n（三）上年度营业收入1000万元以上。\n二、奖励\n奖励10万元。",
    all_(rd("龙岗区"), ind("I", "M73"), r("revenue_wan", "gte", 1000)),
    fix(10),
)
add(
    "vocabulary",
    "若干措施",
    "南山区工业企业上规模若干措施",
    "第三条 对首次纳入规上统计的南山区工业企业，给予20万元奖励。",
    all_(rd("南山区"), q(GS), r("revenue_wan_prev", "lt", 2000)),
    fix(20),
)
add(
    "vocabulary",
    "通知",
    "龙华区高成长企业奖励通知",
    "一、申报条件\n（一）注册地在龙华区；\n（二）上年度营业收入增速不低于20%；\n（三）上年度营业收入3000万元以上。\n二、奖励\n奖励15万元。",
    all_(rd("龙华区"), r("revenue_growth", "gte", 0.2), r("revenue_wan", "gte", 3000)),
    fix(15),
)
add(
    "vocabulary",
    "申报指南",
    "坪山区研发强度奖励申报指南",
    "一、申报条件\n（一）在坪山区注册；\n（二）上年度研发经费投入强度不低于4%。\n二、奖励\n奖励8万元。",
    all_(rd("坪山区"), r("rd_ratio", "gte", 0.04)),
    fix(8),
)
add(
    "vocabulary",
    "通知",
    "光明区新能源汽车企业奖励通知",
    "一、申报条件\n在光明区注册的新能源车整车制造企业（行业代码C3612）。\n二、奖励\n奖励100万元。",
    all_(rd("光明区"), ind("C3612")),
    fix(100),
)
add(
    "vocabulary",
    "服务指南",
    "罗湖区小微企业稳定经营补贴服务指南",
    "申请条件：罗湖区注册，正常经营满2年，上年度从业人员不少于10人的小微企业。\n补贴标准：补贴2万元。",
    all_(
        rd("罗湖区"),
        r("years_since_founded", "gte", 2),
        r("employees", "gte", 10),
        r("size_class", "in", ["小型", "微型"]),
    ),
    fix(2),
)
add(
    "vocabulary",
    "通知",
    "福田区首次上规模工业企业奖励通知",
    "一、申报条件\n注册在福田区的工业企业，上年度营业收入首次达到2000万元。\n二、奖励\n奖励10万元。",
    all_(rd("福田区"), ind("C"), r("revenue_wan", "gte", 2000), r("revenue_wan_prev", "lt", 2000)),
    fix(10),
)

if __name__ == "__main__":
    out = Path(__file__).with_name("passages.jsonl")
    out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in P), encoding="utf-8")
    print(f"{len(P)} passages → {out}")
