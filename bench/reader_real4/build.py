"""Write bench/reader_real4/passages.jsonl: a blind set for the open qualification vocabulary (issue 11 item 7,
issue 12), labelled by hand before the reader learned the new terms; first-run and final figures in bench/README.md.
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


def rd(d):
    """Registered in the district."""
    return r("registered_district", "eq", d)


def q(*names):
    """Holds any of the qualifications."""
    return r("qualifications", "contains_any", list(names))


def not_q(*names):
    """Holds none of the qualifications."""
    return r("qualifications", "not_contains_any", list(names))


def fix(a):
    """Fixed support."""
    return {"kind": "fixed", "amount_wan": a}


GS = "规模以上工业企业"
XE = "限额以上批发零售企业"
ZC = "限额以上住宿餐饮"
JZ = "有资质建筑业"
FW = "规模以上服务业"
# "四上企业" names the tag itself or any of the five statistical classes it stands for
SISHANG = ("四上企业", GS, XE, ZC, JZ, FW)
P = []


def add(cls, style, title, text, tree, support, unread=()):
    """Append one labelled passage."""
    P.append(
        {
            "id": f"V-{len(P) + 1:03d}",
            "class": cls,
            "style": style,
            "title": title,
            "text": text,
            "expected": {"conditions": tree, "support": support, "unread": list(unread)},
        }
    )


add(
    "sishang",
    "通知",
    "龙华区关于“四上”企业稳增长奖励的通知",
    "一、申报条件\n（一）在龙华区注册并纳入统计部门“四上”企业名录；\n（二）上年度营业收入增长10%以上。\n二、奖励标准\n奖励10万元。",
    all_(rd("龙华区"), q(*SISHANG), r("revenue_growth", "gte", 0.1)),
    fix(10),
)
add(
    "sishang",
    "实施细则",
    "南山区五类“四上”企业入库奖励实施细则",
    "第三条 申报条件\n在南山区注册，属于规模以上工业、限额以上批发零售业、限额以上住宿餐饮业、有资质的建筑业、规模以上服务业"
    "五类“四上”企业之一。\n第四条 奖励标准\n给予5万元奖励。",
    all_(rd("南山区"), q(*SISHANG)),
    fix(5),
)
add(
    "sishang",
    "申报指南",
    "宝安区新入库四上单位奖励申报指南",
    "一、申报条件\n1. 注册地、纳税地均在宝安区；\n2. 2025年纳入四上单位统计；\n3. 信用状况良好。\n二、奖励\n奖励3万元。",
    all_(rd("宝安区"), r("tax_district", "eq", "宝安区"), q(*SISHANG), r("credit_ok", "eq", True)),
    fix(3),
)
add(
    "gazelle",
    "通知",
    "坪山区瞪羚企业研发奖励通知",
    "一、申报条件\n申报主体应为在坪山区注册、经认定的瞪羚企业，上年度研发费用500万元以上。\n二、奖励\n奖励50万元。",
    all_(rd("坪山区"), q("瞪羚企业"), r("rd_expense_wan", "gte", 500)),
    fix(50),
)
add(
    "non_requirement",
    "申报指南",
    "光明区高成长企业奖励申报指南",
    "为加快培育瞪羚企业、独角兽企业，制定本指南。\n一、申报条件\n（一）在光明区注册的科技型中小企业；\n"
    "（二）上年度营业收入增长20%以上；\n（三）鼓励成长性好的企业积极申报瞪羚企业认定。\n二、奖励\n奖励20万元。",
    all_(rd("光明区"), q("科技型中小企业"), r("revenue_growth", "gte", 0.2)),
    fix(20),
)
add(
    "unicorn",
    "若干措施",
    "南山区支持独角兽企业发展若干措施",
    "第五条 对在南山区注册、新晋全球独角兽企业榜单（估值10亿美元以上）的企业，给予500万元一次性奖励。",
    all_(rd("南山区"), q("独角兽企业")),
    fix(500),
)
add(
    "champion",
    "若干措施",
    "宝安区隐形冠军培育若干措施",
    "第八条 对注册地在宝安区、首次被认定为市级“隐形冠军”企业的，给予一次性奖励30万元。",
    all_(rd("宝安区"), q("隐形冠军")),
    fix(30),
)
add(
    "neeq",
    "通知",
    "龙岗区企业挂牌奖励通知",
    "一、申报条件\n在龙岗区注册，并已在全国中小企业股份转让系统挂牌的企业。\n二、奖励\n奖励50万元。",
    all_(rd("龙岗区"), q("新三板挂牌")),
    fix(50),
)
add(
    "alternative",
    "通知",
    "福田区资本市场奖励通知",
    "一、申报条件\n（一）在福田区注册；\n（二）已在境内证券交易所上市或在新三板挂牌。\n二、奖励\n奖励100万元。",
    all_(rd("福田区"), q("上市企业", "新三板挂牌")),
    fix(100),
)
add(
    "incubator",
    "申报指南",
    "罗湖区孵化载体运营奖励申报指南",
    "一、申报对象\n在罗湖区注册，经市级以上科技主管部门认定的科技企业孵化器、众创空间。\n二、奖励\n奖励30万元。",
    all_(rd("罗湖区"), q("孵化器", "众创空间")),
    fix(30),
)
add(
    "non_requirement",
    "通知",
    "坪山区初创企业房租补贴通知",
    "一、申报条件\n（一）入驻本区科技企业孵化器或众创空间的初创企业；\n（二）在坪山区注册，成立不满3年。\n二、补贴\n补贴2万元。",
    all_(rd("坪山区"), r("years_since_founded", "lt", 3)),
    fix(2),
)
add(
    "catering",
    "申报指南",
    "宝安区住宿餐饮企业稳增长申报指南",
    "一、申报条件\n在宝安区注册的限额以上住宿和餐饮业企业，上年度营业收入增长5%以上。\n二、奖励\n奖励8万元。\n"
    "三、申报程序\n企业向所在园区运营管理机构提交材料，由园区运营管理机构汇总报送。",
    all_(rd("宝安区"), q(ZC), r("revenue_growth", "gte", 0.05)),
    fix(8),
)
add(
    "construction",
    "通知",
    "龙岗区建筑业企业奖励通知",
    "一、申报条件\n（一）在龙岗区注册并纳入统计部门有资质建筑业企业统计；\n（二）上年度营业收入5000万元以上。\n二、奖励\n奖励20万元。",
    all_(rd("龙岗区"), q(JZ), r("revenue_wan", "gte", 5000)),
    fix(20),
)
add(
    "services",
    "实施细则",
    "罗湖区现代服务业扶持实施细则",
    "第四条 申请条件\n在罗湖区注册的规模以上服务业企业，上年度营业收入增速不低于15%。\n第五条 扶持标准\n给予10万元扶持。",
    all_(rd("罗湖区"), q(FW), r("revenue_growth", "gte", 0.15)),
    fix(10),
)
add(
    "exclusion",
    "通知",
    "南山区瞪羚企业成长奖励通知",
    "一、申报条件\n在南山区注册的瞪羚企业。\n二、其他\n已被认定为独角兽企业的，不再享受本项奖励。\n三、奖励\n奖励40万元。",
    all_(rd("南山区"), q("瞪羚企业"), not_q("独角兽企业")),
    fix(40),
)
add(
    "alternative",
    "通知",
    "盐田区高成长企业奖励通知",
    "一、申报条件\n（一）在盐田区注册的瞪羚企业或隐形冠军企业；\n（二）鼓励成长性好的企业申报国家高新技术企业。\n二、奖励\n奖励15万元。",
    all_(rd("盐田区"), q("瞪羚企业", "隐形冠军")),
    fix(15),
)
add(
    "outside",
    "申报指南",
    "合肥高新区瞪羚企业奖励申报指南",
    "一、申报条件\n注册地在合肥高新区的瞪羚企业，上年度营业收入2000万元以上。\n二、奖励\n奖励30万元。",
    all_(q("瞪羚企业"), r("revenue_wan", "gte", 2000)),
    fix(30),
    unread=["合肥高新区"],
)
add(
    "alias",
    "通知",
    "福田区限上企业消费促进奖励通知",
    "一、申报条件\n（一）在福田区注册的限上批零企业或限上住餐企业；\n（二）上年度营业收入增长8%以上。\n二、奖励\n奖励6万元。",
    all_(rd("福田区"), q(XE, ZC), r("revenue_growth", "gte", 0.08)),
    fix(6),
)
add(
    "zjtx",
    "通知",
    "龙华区专精特新企业奖励通知",
    "一、申报条件\n在龙华区注册，被认定为省级专精特新中小企业或国家级专精特新“小巨人”企业，且属于规上工业企业。\n二、奖励\n奖励20万元。",
    all_(rd("龙华区"), q("专精特新中小企业", '专精特新"小巨人"企业'), q(GS)),
    fix(20),
)
add(
    "non_requirement",
    "申报指南",
    "光明区众创空间入驻团队补贴申报指南",
    "一、申报条件\n（一）入驻光明区众创空间满6个月；\n（二）在光明区注册的小微企业。\n二、补贴\n补贴1万元。",
    all_(rd("光明区"), r("size_class", "in", ["小型", "微型"])),
    fix(1),
)


if __name__ == "__main__":
    out = Path(__file__).with_name("passages.jsonl")
    out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in P), encoding="utf-8")
    print(f"{len(P)} passages → {out}")
