"""Deterministic demo data for the 亲清虚拟园区 portal: enterprises, banks and virtual parks.

Pure module (standard library + portal.reference). Enterprise records follow the record format of the
policy-matching benchmark (bench SCHEMA.md) and its generation facts, so the demo behaves like the benchmark.
Every text here is written for the demo; no name refers to a real company.
"""

from __future__ import annotations

import json
import random
from datetime import date
from fractions import Fraction
from importlib import resources

from portal import reference

DEMO_SOURCE = "宝安区政务数据共享平台（演示数据）"
AS_OF = date(2026, 6, 30)

BAOAN = "宝安区"
OTHER_DISTRICTS: dict[str, tuple[str, ...]] = {
    "南山区": (
        "粤海街道",
        "南头街道",
        "西丽街道",
        "桃源街道",
        "蛇口街道",
        "招商街道",
        "沙河街道",
        "南山街道",
    ),
    "龙华区": ("龙华街道", "民治街道", "大浪街道", "观湖街道", "观澜街道", "福城街道"),
    "福田区": ("福田街道", "华富街道", "莲花街道", "梅林街道", "沙头街道", "香蜜湖街道", "福保街道"),
    "龙岗区": ("坂田街道", "布吉街道", "横岗街道", "龙城街道", "平湖街道", "坪地街道", "宝龙街道"),
    "光明区": ("光明街道", "公明街道", "玉塘街道", "凤凰街道", "新湖街道", "马田街道"),
    "罗湖区": ("桂园街道", "东门街道", "笋岗街道", "清水河街道", "莲塘街道", "翠竹街道"),
}
_OTHER_DISTRICT_WEIGHTS = {"南山区": 4, "龙华区": 4, "光明区": 3, "龙岗区": 3, "福田区": 2, "罗湖区": 1}

# Bao'an streets: the west and north are the factory belt, 新安/西乡/航城 host more offices and services.
_FACTORY_STREET_WEIGHTS = {
    "新安街道": 2,
    "西乡街道": 4,
    "航城街道": 4,
    "福永街道": 6,
    "福海街道": 6,
    "沙井街道": 7,
    "新桥街道": 5,
    "松岗街道": 6,
    "燕罗街道": 5,
    "石岩街道": 6,
}
_SERVICE_STREET_WEIGHTS = {
    "新安街道": 8,
    "西乡街道": 7,
    "航城街道": 4,
    "福永街道": 3,
    "福海街道": 2,
    "沙井街道": 3,
    "新桥街道": 2,
    "松岗街道": 2,
    "燕罗街道": 1,
    "石岩街道": 2,
}

SIZES = ("微型", "小型", "中型", "大型")

# Per 300号 sector and target size: (min employees, max employees, revenue floor, assets floor).
# The floors put the firm at or above the size's thresholds; the employee band keeps it below the next size.
_BANDS: dict[str, dict[str, tuple[int, int, float, float]]] = {
    "工业": {
        "微型": (2, 19, 0, 0),
        "小型": (20, 299, 300, 0),
        "中型": (300, 999, 2000, 0),
        "大型": (1000, 5200, 40000, 0),
    },
    "批发业": {
        "微型": (1, 4, 0, 0),
        "小型": (5, 19, 1000, 0),
        "中型": (20, 199, 5000, 0),
        "大型": (200, 520, 40000, 0),
    },
    "零售业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 49, 100, 0),
        "中型": (50, 299, 500, 0),
        "大型": (300, 1400, 20000, 0),
    },
    "交通运输业": {
        "微型": (2, 19, 0, 0),
        "小型": (20, 299, 200, 0),
        "中型": (300, 999, 3000, 0),
        "大型": (1000, 2600, 30000, 0),
    },
    "仓储业": {
        "微型": (2, 19, 0, 0),
        "小型": (20, 99, 100, 0),
        "中型": (100, 199, 1000, 0),
        "大型": (200, 700, 30000, 0),
    },
    "餐饮业": {
        "微型": (3, 9, 0, 0),
        "小型": (10, 99, 100, 0),
        "中型": (100, 299, 2000, 0),
        "大型": (300, 1100, 10000, 0),
    },
    "信息传输业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 99, 100, 0),
        "中型": (100, 1999, 1000, 0),
        "大型": (2000, 4200, 100000, 0),
    },
    "软件和信息技术服务业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 99, 50, 0),
        "中型": (100, 299, 1000, 0),
        "大型": (300, 2600, 10000, 0),
    },
    "租赁和商务服务业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 99, 0, 100),
        "中型": (100, 299, 0, 8000),
        "大型": (300, 900, 0, 120000),
    },
    # 建筑业 is sized by revenue and assets only; the revenue cap of 微型 is handled in _finances.
    "建筑业": {
        "微型": (3, 30, 0, 0),
        "小型": (12, 160, 300, 300),
        "中型": (90, 800, 6000, 5000),
        "大型": (700, 4800, 80000, 80000),
    },
    "其他未列明行业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 99, 0, 0),
        "中型": (100, 299, 0, 0),
        "大型": (300, 1300, 0, 0),
    },
}

_SECTOR_BY_PREFIX = (
    ("C", "工业"),
    ("E", "建筑业"),
    ("F51", "批发业"),
    ("F52", "零售业"),
    ("G59", "仓储业"),
    ("G", "交通运输业"),
    ("H", "餐饮业"),
    ("I65", "软件和信息技术服务业"),
    ("I", "信息传输业"),
    ("L", "租赁和商务服务业"),
    ("M", "其他未列明行业"),
)

_GENERAL_CHARS = (
    "华信达鑫宏盛创源泰恒瑞联博锐嘉兴星腾捷峰汇辰晟昊凯佳合邦卓德诚精弘启安永立丰铭宇润景和正顺远耀扬"
    "旭金凌越亿万晶骏朗颖致诺维豪锦帆品尚亨祥蓝川宸航翔"
)
_PLACE_PREFIXES = ("宝", "鹏", "粤", "深", "海", "南", "湾", "凤", "西", "铁", "燕", "石")

_COMMON_SCOPE = (
    "货物及技术进出口",
    "国内贸易（不含专营、专卖、专控商品）",
    "信息咨询（不含限制项目）",
    "自有物业租赁",
    "企业管理咨询",
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广",
)


def _industries() -> tuple[dict, ...]:
    """Each demo industry's vocabulary and financial shape, from portal/data/demo_industries.json.

    Fields: code, weight, words, chars, products, scope, licensed, apps (vocabularies); per_head (revenue per
    employee, 万元); rd (share of firms doing R&D, lowest rd ratio, highest rd ratio); tax (tax paid / revenue);
    assets (assets / revenue); sizes (weights of 微型/小型/中型/大型). Lists become tuples, as the generator expects.
    """
    raw = json.loads(
        resources.files("portal").joinpath("data/demo_industries.json").read_text(encoding="utf-8")
    )
    return tuple({key: tuple(v) if isinstance(v, list) else v for key, v in row.items()} for row in raw)


INDUSTRIES: tuple[dict, ...] = _industries()

_TOTAL_WEIGHT = sum(p["weight"] for p in INDUSTRIES)

_MAKE_EXTRAS = (
    "已通过ISO9001质量管理体系认证。",
    "产品出口欧美、东南亚等地区。",
    "拥有多条自动化生产线。",
    "客户覆盖华南及华东地区。",
    "通过IATF16949等体系认证。",
    "设有独立的研发中心和检测实验室。",
    "坚持以品质为本，交付周期短。",
)
_SERVE_EXTRAS = (
    "服务客户遍及珠三角地区。",
    "团队核心成员具有十年以上行业经验。",
    "已为数百家企业提供服务。",
    "坚持专业、高效、诚信的服务理念。",
    "在宝安及周边设有服务网点。",
)


def _sector(code: str) -> str:
    for prefix, sector in _SECTOR_BY_PREFIX:
        if code.startswith(prefix):
            return sector
    raise ValueError(code)


def _money(value: float) -> float:
    return round(max(value, 0.0), 2)


def _exact(value: float) -> Fraction:
    return Fraction(repr(value))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _founded(rng: random.Random, size: str, leap_day: bool) -> date:
    first, last = {"大型": (1995, 2013), "中型": (1996, 2020), "小型": (1998, 2024), "微型": (2004, 2025)}[
        size
    ]
    years = list(range(first, last + 1))
    year = rng.choices(years, weights=[1 + (y - first) // 3 for y in years])[0]
    if leap_day:
        leap = [y for y in years if y % 4 == 0 and y <= 2024]
        return date(rng.choice(leap), 2, 29)
    month = rng.randint(1, 12)
    return date(year, month, rng.randint(1, 28))


def _uscc(rng: random.Random, district: str, founded: date, used: set[str]) -> str:
    while True:
        if founded >= date(2016, 1, 1):
            body = "MA5" + "".join(rng.choice(reference.USCC_CHARSET) for _ in range(5))
        else:
            body = rng.choice(("192", "279", "618", "665", "680", "715", "723", "755", "785", "058", "088"))
            body += f"{rng.randrange(10**5):05d}"
        code = reference.uscc_with_check(f"91{reference.DISTRICT_CODES[district]}{body}")
        if code not in used:
            used.add(code)
            return code


def _trade_name(rng: random.Random, profile: dict, word: str) -> str:
    pool = "".join(c for c in profile["chars"] * 2 + _GENERAL_CHARS if c not in word)
    first = rng.choice(pool)
    second = rng.choice([c for c in pool if c != first])
    roll = rng.random()
    if roll < 0.12:
        return rng.choice(_PLACE_PREFIXES) + first + second
    if roll < 0.2:
        third = rng.choice([c for c in _GENERAL_CHARS if c not in (first, second) and c not in word])
        return first + second + third
    if roll < 0.24:
        return rng.choice(("中科", "华美", "宏达", "永盛", "恒信", "天成")) + first + second
    return first + second


def _finances(rng: random.Random, profile: dict, size: str, founded: date) -> dict:
    sector = _sector(profile["code"])
    lo, hi, revenue_floor, assets_floor = _BANDS[sector][size]
    employees = rng.randint(lo, hi)
    per_head = rng.uniform(*profile["per_head"])
    age = (AS_OF - founded).days / 365
    revenue = (
        employees * per_head * rng.uniform(0.7, 1.2) * min(1.0, 0.35 + 0.22 * age)
    )  # young firms ramp up
    if revenue < revenue_floor:
        revenue = revenue_floor * rng.uniform(1.02, 1.6)
    if sector == "建筑业" and size == "微型":
        revenue = min(revenue, rng.uniform(60, 290))
    if sector == "建筑业" and size in ("小型", "中型"):
        revenue = min(revenue, {"小型": 5900, "中型": 79000}[size] * rng.uniform(0.5, 1.0))
    start_up = founded >= date(2025, 3, 1) and size == "微型" and rng.random() < 0.35
    if start_up:
        revenue = 0.0
    assets = revenue * rng.uniform(*profile["assets"]) if revenue else rng.uniform(20, 300)
    if assets < assets_floor:
        assets = assets_floor * rng.uniform(1.05, 1.8)
    revenue = _money(round(revenue, 1))
    assets = _money(round(assets, 1))
    share, rd_lo, rd_hi = profile["rd"]
    rd = 0.0
    if revenue and rng.random() < min(1.0, share + (0.25 if size in ("中型", "大型") else 0.0)):
        ratio = rng.uniform(rd_lo, rd_hi)
        rd = _money(round(revenue * ratio, rng.choice((1, 2))))
        if rng.random() < 0.04 and rd_hi >= 0.03:
            # a firm exactly on the 3 % line, the edge case policy conditions care about
            revenue = float(round(revenue))
            rd = float(Fraction(round(revenue)) * 3 / 100)
    tax = _money(round(revenue * rng.uniform(*profile["tax"]), 1)) if revenue else 0.0
    if revenue and size == "微型" and rng.random() < 0.3:
        tax = _money(round(tax * rng.uniform(0.1, 0.5), 2))  # small-scale taxpayer relief
    return {
        "employees": employees,
        "revenue_wan": revenue,
        "assets_wan": assets,
        "rd_expense_wan": rd,
        "tax_paid_wan": tax,
    }


def rd_ratio(record: dict) -> Fraction:
    """Return the exact rd_expense_wan / revenue_wan of a record (0 when revenue is 0)."""
    revenue = _exact(record["revenue_wan"])
    return _exact(record["rd_expense_wan"]) / revenue if revenue else Fraction(0)


def _qualifications(rng: random.Random, record: dict, size: str) -> list[str]:
    code = record["industry_code"]
    revenue = _exact(record["revenue_wan"])
    years = reference.years_since(date.fromisoformat(record["founded"]), AS_OF)
    ratio = rd_ratio(record)
    tech = ratio > 0
    section_c = code.startswith("C")
    held: set[str] = set()
    if section_c and revenue >= 2000:
        held.add("规模以上工业企业")
    if (code.startswith("F51") and revenue >= 2000) or (code.startswith("F52") and revenue >= 500):
        held.add("限额以上批发零售企业")
    if ratio >= Fraction(3, 100) and years >= 1:
        chance = {"微型": 0.25, "小型": 0.55, "中型": 0.75, "大型": 0.85}[size]
        if rng.random() < chance:
            held.add("国家高新技术企业")
    if size != "大型":
        if tech and rng.random() < 0.45:
            held.add("科技型中小企业")
        roll = rng.random()
        mature = years >= 2 and tech and size != "微型"
        if mature and roll < 0.1 and (section_c or code.startswith("I65")):
            held.update(('专精特新"小巨人"企业', "专精特新中小企业", "创新型中小企业"))
        elif mature and roll < 0.26:
            held.update(("专精特新中小企业", "创新型中小企业"))
        elif tech and years >= 1 and roll < 0.4:
            held.add("创新型中小企业")
    if "专精特新中小企业" in held and ratio >= Fraction(3, 100) and years >= 1:
        held.add("国家高新技术企业")  # specialised SMEs that qualify are, in practice, certified too
    if section_c:
        if (size == "大型" and rng.random() < 0.3) or (size == "中型" and rng.random() < 0.03):
            held.add("制造业单项冠军企业")
        if revenue >= 2000 and rng.random() < 0.12:
            held.add("绿色工厂")
    if (size == "大型" and rng.random() < 0.45) or (size == "中型" and rng.random() < 0.04):
        held.add("上市企业")
    if size == "大型" and rng.random() < 0.4:
        held.add("总部企业")
    if tech and size != "微型" and ratio >= Fraction(3, 100) and rng.random() < 0.1:
        held.add("知识产权优势企业")
    return [q for q in reference.QUALIFICATIONS if q in held]


def _scope(rng: random.Random, profile: dict) -> str:
    general = rng.sample(profile["scope"], k=min(len(profile["scope"]), rng.randint(2, 4)))
    general += [s for s in rng.sample(_COMMON_SCOPE, k=rng.randint(0, 2)) if s not in general]
    product_items = rng.sample(profile["products"], k=2)
    if profile["code"].startswith("C"):
        general.insert(rng.randint(0, len(general)), f"{product_items[0]}、{product_items[1]}的研发与销售")
    rng.shuffle(general)
    licensed = (
        rng.sample(profile["licensed"], k=rng.randint(1, len(profile["licensed"])))
        if profile["licensed"]
        else []
    )

    def text() -> str:
        return f"一般经营项目是：{'；'.join(general)}；许可经营项目是：{'；'.join(licensed) or '无'}。"

    extra = [s for s in _COMMON_SCOPE if s not in general]
    while len(text()) < 60 and extra:
        general.append(extra.pop(rng.randrange(len(extra))))
    while len(text()) > 200 and len(general) > 1:
        general.pop()
    return text()


def _description(rng: random.Random, profile: dict, record: dict, size: str) -> str:
    p = rng.sample(profile["products"], k=3)
    apps = "、".join(rng.sample(profile["apps"], k=min(3, len(profile["apps"]))))
    year = record["founded"][:4]
    if profile["code"].startswith("C"):
        extras = _MAKE_EXTRAS
        templates = (
            f"公司主营{p[0]}、{p[1]}等产品的研发、生产和销售。",
            f"专注于{p[0]}的研发制造，产品还包括{p[1]}和{p[2]}，广泛应用于{apps}等领域。",
            f"主要产品：{p[0]}、{p[1]}、{p[2]}。",
            f"{p[0]}及{p[1]}专业制造商，产品应用于{apps}。",
            f"公司成立于{year}年，是一家从事{p[0]}、{p[1]}研发与制造的企业。",
        )
    elif profile["code"].startswith("F"):
        extras = _SERVE_EXTRAS
        templates = (
            f"主要经营{p[0]}、{p[1]}、{p[2]}等商品，销售渠道涵盖{apps}。",
            f"公司成立于{year}年，主营{p[0]}和{p[1]}的销售。",
            f"以{p[0]}、{p[1]}为主营品类，面向{apps}等渠道供货。",
        )
    else:
        extras = _SERVE_EXTRAS
        templates = (
            f"公司主要提供{p[0]}、{p[1]}等服务，客户包括{apps}。",
            f"专注于{p[0]}和{p[1]}，为{apps}提供一站式服务。",
            f"公司成立于{year}年，主营业务为{p[0]}、{p[1]}及{p[2]}。",
            f"业务涵盖{p[0]}、{p[1]}、{p[2]}等。",
        )
    text = rng.choice(templates)
    if size in ("中型", "大型") and rng.random() < 0.6:
        text += f"现有员工{record['employees']}人。"
    pool = list(extras)
    rng.shuffle(pool)
    while (len(text) < 30 or rng.random() < 0.35) and pool:
        candidate = text + pool.pop()
        if len(candidate) > 120:
            break
        text = candidate
    return text


def enterprise_records(count: int = 240, seed: int = 2026) -> list[dict]:
    """Return count deterministic demo enterprises in the benchmark record format (SCHEMA.md)."""
    rng = random.Random(seed)
    used_uscc: set[str] = set()
    used_names: set[str] = set()
    baoan_streets = list(reference.STREETS)
    rng.shuffle(baoan_streets)  # the first ten 宝安区 firms cover every street
    baoan_seen = 0
    records = []
    for index in range(count):
        profile = rng.choices(INDUSTRIES, weights=[p["weight"] for p in INDUSTRIES])[0]
        code = profile["code"]
        size = rng.choices(SIZES, weights=profile["sizes"])[0]
        founded = _founded(rng, size, leap_day=index % 80 == 41)
        if rng.random() < 0.85:
            district = BAOAN
            if baoan_seen < len(baoan_streets):
                street = baoan_streets[baoan_seen]
            else:
                street = _pick(rng, _FACTORY_STREET_WEIGHTS if code[0] in "CEG" else _SERVICE_STREET_WEIGHTS)
            baoan_seen += 1
        else:
            district = _pick(rng, _OTHER_DISTRICT_WEIGHTS)
            street = rng.choice(OTHER_DISTRICTS[district])
        record: dict = {
            "uscc": _uscc(rng, district, founded, used_uscc),
            "name": "",
            "registered_district": district,
            "street": street,
            "industry_code": code,
            "founded": founded.isoformat(),
        }
        record.update(_finances(rng, profile, size, founded))
        actual = reference.size_class(code, record["employees"], record["revenue_wan"], record["assets_wan"])
        record["qualifications"] = _qualifications(rng, record, actual)
        listed = "上市企业" in record["qualifications"]
        joint_stock = listed or rng.random() < {"大型": 0.3, "中型": 0.15, "小型": 0.03, "微型": 0.0}[actual]
        suffix = "股份有限公司" if joint_stock else "有限公司"
        while True:
            word = rng.choice(profile["words"])
            name = f"深圳市{_trade_name(rng, profile, word)}{word}{suffix}"
            if name not in used_names:
                used_names.add(name)
                break
        record["name"] = name
        record["credit_ok"] = rng.random() < 0.96
        record["business_scope"] = _scope(rng, profile)
        record["description"] = _description(rng, profile, record, actual)
        records.append(record)
    return records


def bank_records() -> list[dict]:
    """Return the three demo partner banks as {name, short_name}."""
    return [
        {"name": "中国工商银行深圳宝安支行", "short_name": "工行宝安支行"},
        {"name": "招商银行深圳分行宝安支行", "short_name": "招行宝安支行"},
        {"name": "深圳农村商业银行宝安支行", "short_name": "深圳农商行宝安支行"},
    ]


def park_records() -> list[dict]:
    """Return the three demo virtual parks as {name, description, industry_prefixes, qualifications}."""
    return [
        {
            "name": "宝安新一代电子信息虚拟园区",
            "description": (
                "面向宝安区电子电路、光电显示、通信终端及电子元器件等新一代电子信息企业。"
                "园区汇集产业链上下游企业，提供政策匹配、供需对接和融资服务。"
                "入园企业可一站式查看适用的电子信息产业扶持政策。"
            ),
            "industry_prefixes": ["C39"],
            "qualifications": [],
        },
        {
            "name": "宝安新能源与智能网联汽车虚拟园区",
            "description": (
                "聚焦锂离子电池、新能源整车、汽车零部件及电力电子器件企业。"
                "园区围绕电池、电驱、电控和车载电子等环节推动链上企业协同配套。"
                "为入园企业提供技术改造、绿色低碳和市场开拓方面的政策服务。"
            ),
            "industry_prefixes": ["C3841", "C3612", "C367", "C3824"],
            "qualifications": [],
        },
        {
            "name": "宝安专精特新企业虚拟园区",
            "description": (
                "汇聚宝安区获评专精特新中小企业和专精特新“小巨人”称号的企业。"
                "园区提供梯度培育、研发资助、融资对接和上市辅导等服务，助力企业做精做强。"
            ),
            "industry_prefixes": [],
            "qualifications": ["专精特新中小企业", '专精特新"小巨人"企业'],
        },
    ]
