"""Reference facts: GB/T 4754-2017 industries, 300号 size classes, the deployment's region, USCC check characters.

Pure module (no Flask). Package data lives in portal/data/ (see its README.md) and is loaded lazily, once.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

QUALIFICATIONS: tuple[str, ...] = (
    "国家高新技术企业",
    "科技型中小企业",
    "创新型中小企业",
    "专精特新中小企业",
    '专精特新"小巨人"企业',
    "制造业单项冠军企业",
    "规模以上工业企业",
    "限额以上批发零售企业",
    "上市企业",
    "总部企业",
    "知识产权优势企业",
    "绿色工厂",
)


_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Term:
    """One entry of the qualification and tag vocabulary (资质与标签词表) that admins keep."""

    name: str
    aliases: tuple[str, ...] = ()
    issuer: str = ""
    validity_months: int | None = (
        None  # a holding lapses this many months after it was granted; None: no limit
    )


@cache
def seed_vocabulary() -> tuple[Term, ...]:
    """The vocabulary a new deployment starts with: the twelve built-in qualifications and the common tags."""
    rows = data_json("qualifications.json")
    return tuple(
        Term(r["name"], tuple(r.get("aliases") or ()), r.get("issuer") or "", r.get("validity_months"))
        for r in rows
    )


_current_vocabulary: list[tuple[Term, ...] | None] = [None]  # None: the seed (until the database's is loaded)


def use_vocabulary(terms: tuple[Term, ...] | list[Term] | None) -> None:
    """Make a vocabulary the process's (the vocabulary service loads it from the database); None: the seed."""
    _current_vocabulary[0] = None if terms is None else tuple(terms)


def vocabulary() -> tuple[Term, ...]:
    """The qualification and tag vocabulary in force."""
    return _current_vocabulary[0] or seed_vocabulary()


def qualification_names() -> tuple[str, ...]:
    """The names conditions, targets, profiles and imports may use (in the vocabulary's order)."""
    return tuple(t.name for t in vocabulary())


def canonical_qualification(name: str) -> str | None:
    """The vocabulary name for a name or alias (None when neither)."""
    for term in vocabulary():
        if name == term.name or name in term.aliases:
            return term.name
    return None


def holding_until(name: str, since: date) -> date | None:
    """The day a holding granted on `since` lapses by the term's validity in months (None: it does not)."""
    term = next((t for t in vocabulary() if t.name == name), None)
    if term is None or not term.validity_months:
        return None
    months = since.month - 1 + term.validity_months
    year, month = since.year + months // 12, months % 12 + 1
    day = min(since.day, [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return date(year, month, day) - _ONE_DAY


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def current_qualifications(held: Any, until: Any, as_of: date) -> tuple[str, ...] | None:
    """The held names that still count on `as_of`: a holding past its end date ({name: "YYYY-MM-DD"}) does not."""
    if held is None:
        return None
    ends = until or {}
    out = []
    for name in held:
        end = ends.get(name)
        if isinstance(end, str):
            end = date.fromisoformat(end) if end else None
        if end is None or as_of <= end:
            out.append(name)
    return tuple(out)


DISTRICT_CODES: dict[str, str] = {
    "罗湖区": "440303",
    "福田区": "440304",
    "南山区": "440305",
    "宝安区": "440306",
    "龙岗区": "440307",
    "盐田区": "440308",
    "龙华区": "440309",
    "坪山区": "440310",
    "光明区": "440311",
    "大鹏新区": "440300",  # a functional area without its own administrative code: firms register under the city's
}
DISTRICTS: tuple[str, ...] = (
    "福田区",
    "罗湖区",
    "南山区",
    "盐田区",
    "宝安区",
    "龙岗区",
    "龙华区",
    "坪山区",
    "光明区",
    "大鹏新区",
)

POLICY_CATEGORIES: tuple[str, ...] = (
    "资金奖励",
    "研发资助",
    "贷款贴息",
    "融资担保",
    "稳岗就业",
    "人才支持",
    "知识产权",
    "市场开拓",
    "技术改造",
    "租金补贴",
    "数字化转型",
    "绿色低碳",
    "上市培育",
    "其他",
)

SIZE_CLASSES: tuple[str, ...] = ("大型", "中型", "小型", "微型")

CREDIT: dict[bool, str] = {True: "信用良好（无失信记录）", False: "有失信或严重违法记录"}

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_INDICATORS = {"employees": "employees", "revenue": "revenue_wan", "assets": "assets_wan"}


@dataclass(frozen=True)
class Industry:
    code: str
    level: int  # 1 section, 2 division, 3 group, 4 class
    name: str
    parent: str | None


def _data_text(name: str) -> str:
    return resources.files("portal").joinpath("data", name).read_text(encoding="utf-8")


def data_json(name: str) -> Any:
    """A JSON file of portal/data (word lists and tables the pure modules read)."""
    return json.loads(_data_text(name))


@cache
def _industries() -> dict[str, Industry]:
    rows = csv.DictReader(_data_text("gbt4754_2017.csv").splitlines())
    return {r["code"]: Industry(r["code"], int(r["level"]), r["name"], r["parent"] or None) for r in rows}


@cache
def _sme() -> dict[str, Any]:
    return data_json("sme_thresholds.json")


STREETS: tuple[str, ...] = (
    "新安街道",
    "西乡街道",
    "航城街道",
    "福永街道",
    "福海街道",
    "沙井街道",
    "新桥街道",
    "松岗街道",
    "燕罗街道",
    "石岩街道",
)


@dataclass(frozen=True)
class Region:
    """A deployment's places: its districts (with codes and streets) and named parks, from portal/data/regions/."""

    key: str
    name: str
    home_district: str
    districts: tuple[str, ...]
    district_codes: dict[str, str]
    streets: dict[str, tuple[str, ...]]  # district -> its streets (may be empty)
    parks: tuple[tuple[str, str], ...]  # (park, district)

    def all_streets(self) -> tuple[str, ...]:
        """Every street of the region, districts in order."""
        return tuple(s for d in self.districts for s in self.streets.get(d, ()))


DEFAULT_REGION = "shenzhen"
_current_region = [DEFAULT_REGION]


@cache
def load_region(key: str) -> Region:
    """Read portal/data/regions/<key>.json; ValueError with a Chinese message when there is no such region."""
    if not key or not key.replace("_", "").isalnum():
        raise ValueError(f"区域名“{key}”不合法（应为 portal/data/regions/ 下的文件名，如 shenzhen）")
    try:
        data = data_json(f"regions/{key}.json")
    except FileNotFoundError:
        raise ValueError(f"没有区域数据文件 portal/data/regions/{key}.json") from None
    districts = tuple(d["name"] for d in data["districts"])
    return Region(
        key=key,
        name=data["name"],
        home_district=data["home_district"],
        districts=districts,
        district_codes={d["name"]: d["code"] for d in data["districts"]},
        streets={d["name"]: tuple(d.get("streets", ())) for d in data["districts"]},
        parks=tuple((p["name"], p["district"]) for p in data.get("parks", ())),
    )


def use_region(key: str) -> Region:
    """Make a region the deployment's (the app factory calls this with the REGION setting); returns it."""
    found = load_region(key)
    _current_region[0] = key
    return found


def region() -> Region:
    """The deployment's region (Shenzhen unless use_region chose another): what district values may be."""
    return load_region(_current_region[0])


def industry(code: str) -> Industry | None:
    """Return the GB/T 4754-2017 entry for a code with its section letter ("C", "C38", "C384", "C3841")."""
    return _industries().get(code) if isinstance(code, str) else None


def industry_chain(code: str) -> list[Industry]:
    """Return the entries from section down to the given code, e.g. [C, C38, C384, C3841]; [] if unknown."""
    chain = []
    node = industry(code)
    while node is not None:
        chain.append(node)
        node = industry(node.parent) if node.parent else None
    return chain[::-1]


def is_industry_class(code: str) -> bool:
    """Tell whether code is a 4-digit class code carrying its correct section letter, e.g. "C3841"."""
    node = industry(code)
    return node is not None and node.level == 4


def industry_classes() -> list[Industry]:
    """Return every class (level 4) entry in code order."""
    return [i for i in _industries().values() if i.level == 4]


@cache
def industry_prefixes() -> frozenset[str]:
    """Return every non-empty prefix of a class code, the values prefix_in may use."""
    return frozenset(c.code[:n] for c in industry_classes() for n in range(1, 6))


def sme_industry(industry_code: str) -> str | None:
    """Return the 300号 industry of a GB/T 4754-2017 code, or None when unknown or excluded (J, S, T)."""
    if industry(industry_code) is None:
        return None
    mapping = _sme()["mapping"]
    for n in range(len(industry_code), 0, -1):
        if industry_code[:n] in mapping:
            return mapping[industry_code[:n]]
    return None


def size_class(industry_code: str, employees: Any, revenue_wan: Any, assets_wan: Any) -> str | None:
    """Return 大型/中型/小型/微型 under 300号 (SCHEMA.md exact rules), None if excluded or an input is missing."""
    sector = sme_industry(industry_code)
    if sector is None:
        return None
    given = {"employees": employees, "revenue": revenue_wan, "assets": assets_wan}
    rules = _sme()["industries"][sector]
    values = {}
    for key in rules["sme_upper"]:
        if given[key] is None:
            return None
        values[key] = exact(given[key])
    if all(values[k] >= v for k, v in rules["sme_upper"].items()):
        return "大型"
    if all(values[k] >= v for k, v in rules["medium"].items()):
        return "中型"
    if all(values[k] >= v for k, v in rules["small"].items()):
        return "小型"
    return "微型"


def exact(x: Any) -> Fraction:
    """Return x as an exact Fraction; a float means the decimal it prints as (0.03 → 3/100)."""
    if isinstance(x, bool):
        raise TypeError("布尔值不是数字")
    if isinstance(x, float):
        return Fraction(repr(x))
    return Fraction(x)


def _anniversary(founded: date, years: int) -> date:
    year = founded.year + years
    try:
        return founded.replace(year=year)
    except ValueError:  # 29 Feb in a common year: the month's last day (《民法典》第二百零二条)
        return date(year, 2, 28)


def years_since(founded: date, as_of: date) -> Fraction:
    """Return exact years from founded to as_of by anniversaries (SCHEMA.md); ValueError if founded is later."""
    if founded > as_of:
        raise ValueError("成立日期晚于计算日期")
    n = as_of.year - founded.year
    if _anniversary(founded, n) > as_of:
        n -= 1
    start, end = _anniversary(founded, n), _anniversary(founded, n + 1)
    return n + Fraction((as_of - start).days, (end - start).days)


def _org_check(body: str) -> str:
    # GB 11714-1997 values letters A=10 … Z=35 over the full alphabet
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _uscc_check(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Return None for a valid unified social credit code, else a Chinese sentence saying what is wrong."""
    if not isinstance(code, str):
        return "统一社会信用代码应为文本"
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    for pos, char in enumerate(code, 1):
        if char not in USCC_CHARSET:
            return f"第{pos}位字符“{char}”不合法（只能是数字或除 I、O、Z、S、V 以外的大写字母）"
    org = _org_check(code[8:16])
    if code[16] != org:
        return f"第17位（组织机构代码校验码）错误：应为“{org}”，实际为“{code[16]}”"
    check = _uscc_check(code[:17])
    if code[17] != check:
        return f"第18位校验码错误：应为“{check}”，实际为“{code[17]}”"
    return None


def uscc_with_check(first: str) -> str:
    """Complete the first 16 or 17 characters of a USCC: set the org-code check (17th) and the final check."""
    if len(first) not in (16, 17) or any(c not in USCC_CHARSET for c in first):
        raise ValueError("需要统一社会信用代码的前16或17位合法字符")
    first17 = first[:16] + _org_check(first[8:16])
    return first17 + _uscc_check(first17)


def make_uscc(district_code: str, seq: int) -> str:
    """Build a valid USCC for a company registered in district_code, deterministic in seq (0 ≤ seq < 10**8)."""
    if not (len(district_code) == 6 and district_code.isdigit() and 0 <= seq < 10**8):
        raise ValueError("行政区划代码应为6位数字，序号应在0到99999999之间")
    return uscc_with_check(f"91{district_code}{seq:08d}")


# how a loan is secured: the finance request form's choices and the loan_collateral condition's vocabulary
COLLATERAL_KINDS = ("无（信用）", "房产抵押", "设备抵押", "第三方担保", "知识产权质押", "应收账款/订单")
