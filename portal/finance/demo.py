"""Demo data of the finance capability, written after the kernel's (enterprises, banks, parks, accounts):
loan products of the three demo banks, a year of the demo enterprise's past loans (routed, answered, accepted,
disbursed), and one open request with two offers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from portal.extensions import db
from portal.finance import services
from portal.models import Bank, Role, User
from portal.timeutil import CHINA

_CREDIT_OK = {"field": "credit_ok", "op": "eq", "value": True}
_BAOAN = {"field": "registered_district", "op": "eq", "value": "宝安区"}
_TECH = {
    "field": "qualifications",
    "op": "contains_any",
    "value": ["国家高新技术企业", "科技型中小企业", "专精特新中小企业"],
}

# (bank index, name, kind, amount range 万元, term range months, rate range %, conditions, description)
PRODUCTS = (
    (
        0,
        "科创企业信用贷",
        "信用贷",
        (100, 3000),
        (6, 36),
        ("3.10", "4.35"),
        [_CREDIT_OK, _TECH, {"field": "years_since_founded", "op": "gte", "value": 2}],
        "面向高新技术与专精特新企业的纯信用贷款。",
    ),
    (
        0,
        "经营快贷",
        "信用贷",
        (10, 500),
        (3, 12),
        ("3.45", "5.50"),
        [_CREDIT_OK, {"field": "tax_paid_wan", "op": "gte", "value": 20}],
        "按纳税记录核定额度，线上申请、随借随还。",
    ),
    (
        0,
        "厂房按揭贷",
        "抵押贷",
        (500, 20000),
        (12, 120),
        ("3.30", "4.20"),
        [_CREDIT_OK, {"field": "assets_wan", "op": "gte", "value": 2000}],
        "以自有或购置厂房抵押，期限最长十年。",
    ),
    (
        0,
        "知识产权质押融资",
        "知识产权质押贷",
        (100, 2000),
        (12, 36),
        ("3.20", "4.00"),
        [_CREDIT_OK, _BAOAN],
        "以发明专利、商标等知识产权质押，享区知识产权质押融资贴息。",
    ),
    (
        0,
        "订单融资",
        "供应链金融",
        (50, 5000),
        (3, 12),
        ("3.60", "4.80"),
        [_CREDIT_OK],
        "核心企业订单或应收账款项下融资。",
    ),
    (
        1,
        "科技成长贷",
        "信用贷",
        (200, 5000),
        (12, 36),
        ("3.25", "4.60"),
        [
            _CREDIT_OK,
            {"field": "rd_ratio", "op": "gte", "value": 0.03},
            {"field": "revenue_wan", "op": "gte", "value": 1000},
        ],
        "研发投入强度达标的科技企业，额度与研发投入挂钩。",
    ),
    (
        1,
        "供应链 e 贷",
        "供应链金融",
        (100, 10000),
        (3, 12),
        ("3.50", "4.50"),
        [_CREDIT_OK, {"field": "industry_code", "op": "prefix_in", "value": ["C38", "C39", "C40"]}],
        "电子信息产业链上下游应收账款融资。",
    ),
    (
        1,
        "担保增信贷",
        "担保贷",
        (100, 3000),
        (12, 36),
        ("3.80", "5.20"),
        [_CREDIT_OK, {"field": "size_class", "op": "in", "value": ["中型", "小型", "微型"]}],
        "与政策性融资担保机构合作，中小企业担保增信。",
    ),
    (
        1,
        "设备按揭贷",
        "抵押贷",
        (100, 5000),
        (12, 60),
        ("3.60", "4.90"),
        [_CREDIT_OK, {"field": "industry_code", "op": "prefix_in", "value": ["C"]}],
        "制造业企业购置生产设备，以设备抵押。",
    ),
    (
        2,
        "宝安小微信用贷",
        "信用贷",
        (10, 300),
        (3, 24),
        ("3.65", "5.80"),
        [_CREDIT_OK, _BAOAN, {"field": "size_class", "op": "in", "value": ["小型", "微型"]}],
        "宝安区注册小微企业纯信用贷款。",
    ),
    (
        2,
        "专精特新贷",
        "信用贷",
        (100, 5000),
        (12, 36),
        ("3.20", "4.40"),
        [
            _CREDIT_OK,
            {
                "field": "qualifications",
                "op": "contains_any",
                "value": ["专精特新中小企业", '专精特新"小巨人"企业'],
            },
        ],
        "专精特新企业专属信用额度。",
    ),
    (
        2,
        "税易贷",
        "信用贷",
        (10, 1000),
        (6, 24),
        ("3.90", "5.60"),
        [
            _CREDIT_OK,
            {"field": "tax_paid_wan", "op": "gte", "value": 50},
            {"field": "years_since_founded", "op": "gte", "value": 2},
        ],
        "按上年度纳税额核定额度。",
    ),
    (
        2,
        "知识产权质押贷",
        "知识产权质押贷",
        (50, 1000),
        (12, 36),
        ("3.40", "4.30"),
        [_CREDIT_OK],
        "专利、商标质押，评估费由银行承担。",
    ),
    (
        2,
        "政采贷",
        "担保贷",
        (50, 2000),
        (6, 24),
        ("3.70", "4.90"),
        [_CREDIT_OK, _BAOAN],
        "中标政府采购项目企业，以合同回款担保。",
    ),
)


def _bank_actor(bank: Bank) -> SimpleNamespace:
    """A stand-in for the bank's staff, for seeding (the demo has one bank login, for the first bank)."""
    return SimpleNamespace(id=None, role=Role.BANK, bank_id=bank.id)


def seed(on: date, users: dict[str, User]) -> list[str]:
    """Write this capability's demo data; return summary lines."""
    banks = list(db.session.scalars(select(Bank).order_by(Bank.id)))[:3]
    for index, name, kind, amounts, terms, rates, rows, description in PRODUCTS:
        services.save_product(
            None,
            actor=_bank_actor(banks[index]),
            name=name,
            kind=kind,
            amount_min_wan=Decimal(amounts[0]),
            amount_max_wan=Decimal(amounts[1]),
            term_min_months=terms[0],
            term_max_months=terms[1],
            rate_min=Decimal(rates[0]),
            rate_max=Decimal(rates[1]),
            conditions_data={"all": rows},
            description=description,
        )
    deals = _history(on, users)
    # Posted two working days ago at 10:00 so the deadlines fall in the coming days.
    posted = datetime.combine(on - timedelta(days=2), time(10), CHINA)
    request = services.create_request(
        actor=users[Role.ENTERPRISE],
        amount_wan=Decimal("1500"),
        term_months=24,
        purpose="采购 SMT 贴片生产线设备、补充原材料流动资金",
        collateral="无（信用）",
        max_rate=Decimal("4.50"),
        consent_bank_ids=None,
        consent_groups=["基本信息", "经营财务", "资质信用"],
        consent_until=on + timedelta(days=90),
        now=posted,
    )
    offered = 0
    answer_at = posted + timedelta(hours=26)
    for route, (rate, amount) in zip(
        [r for r in request.routes if r.bank_id != users[Role.BANK].bank_id],
        ((Decimal("3.45"), Decimal("1500")), (Decimal("3.65"), Decimal("1200"))),
        strict=False,
    ):
        services.make_offer(
            route,
            actor=_bank_actor(route.bank),
            amount_wan=amount,
            rate=rate,
            term_months=24,
            conditions_text="按月付息、到期还本；提供近一年财务报表与纳税证明。",
            valid_until=on + timedelta(days=30),
            now=answer_at,
        )
        offered += 1
    db.session.flush()
    return [
        f"贷款产品 {len(PRODUCTS)} 个（{len(banks)} 家银行）；演示融资需求 #{request.id}："
        f"推送 {len(request.routes)} 家银行，报价 {offered} 份；过去一年放款 {deals} 笔。"
    ]


# (days before the demo day, amount 万元, term months, purpose): the demo firm's loans of the past year
PAST_REQUESTS = (
    (330, "800", 12, "采购原材料，补充旺季流动资金"),
    (285, "500", 12, "支付设备尾款与员工薪酬"),
    (240, "1200", 24, "购置自动光学检测（AOI）设备"),
    (190, "600", 12, "海外订单备货的流动资金"),
    (150, "2000", 36, "新厂房装修与产线搬迁"),
    (110, "900", 12, "年底集中采购铜箔与覆铜板"),
    (70, "700", 12, "研发中心设备更新"),
    (35, "1000", 24, "扩充 HDI 产线产能"),
)
# Per bank (in id order): hours from routing to its offer on each past request (None: it declines).
ANSWER_HOURS = (
    (3, 5, 2, 26, 4, 6, 3, 5),
    (22, 30, 47, 26, 20, 52, 28, 24),
    (None, 70, None, 50, 66, None, 72, 60),
)


def _history(on: date, users: dict[str, User]) -> int:
    """The demo firm's past year of loans through the services themselves, each step dated when it happened
    (`now=`): routed to the banks, answered after each bank's usual delay, the cheapest offer accepted the next
    day, disbursed within a week. Gives the dashboard a year of deals and real bank response times."""
    firm_user = users[Role.ENTERPRISE]
    banks = [b.id for b in db.session.scalars(select(Bank).order_by(Bank.id))][:3]
    deals = 0
    for k, (back, amount, term, purpose) in enumerate(PAST_REQUESTS):
        posted = datetime.combine(on - timedelta(days=back), time(10), CHINA)
        request = services.create_request(
            actor=firm_user, amount_wan=Decimal(amount), term_months=term, purpose=purpose,
            collateral="无（信用）", max_rate=Decimal("5.00"), consent_bank_ids=None,
            consent_groups=["基本信息", "经营财务", "资质信用"], consent_until=posted.date() + timedelta(days=60),
            now=posted,
        )  # fmt: skip
        offers, last = [], 0
        for route in list(request.routes):
            hours = ANSWER_HOURS[banks.index(route.bank_id)][k] if route.bank_id in banks else None
            actor = _bank_actor(route.bank)
            if hours is None:
                services.decline(
                    route,
                    actor=actor,
                    reason="授信额度已满，本期暂不受理。",
                    now=posted + timedelta(hours=40),
                )
                continue
            last = max(last, hours)
            rate = Decimal("3.40") + Decimal("0.15") * banks.index(route.bank_id) + Decimal("0.05") * (k % 3)
            offers.append(services.make_offer(
                route, actor=actor, amount_wan=Decimal(amount), rate=rate, term_months=term,
                conditions_text="按月付息、到期还本。", valid_until=posted.date() + timedelta(days=30),
                now=posted + timedelta(hours=hours),
            ))  # fmt: skip
        if not offers:
            continue
        best = min(offers, key=lambda o: o.rate)
        decided = posted + timedelta(hours=last + 24)  # the day after the last answer
        services.accept_offer(best, actor=firm_user, now=decided)
        route = next(r for r in request.routes if r.bank_id == best.bank_id)
        paid = decided + timedelta(days=5)
        services.record_disbursement(route, actor=_bank_actor(route.bank), amount_wan=best.amount_wan,
                                     disbursed_on=paid.date(), now=paid)  # fmt: skip
        deals += 1
    db.session.flush()
    return deals
