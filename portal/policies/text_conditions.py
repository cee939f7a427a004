"""Read a Chinese support policy's text and propose its machine conditions (pure: no Flask).

The reader is table-driven: normalise the text (full-width → half-width, Chinese numerals → numbers), cut it into
sections (支持对象 / 申报条件 / 支持标准 / 申报材料 / 办理方式, or the Q&A and 服务指南 equivalents), cut the
eligibility sections into clauses, and run small extractors over each clause: place, numbers with a field and a
comparison, qualifications, size class, credit, industry. Each proposed condition keeps the clause it came from, so
an official sees the source sentence next to the editable row.

Decisions the tables encode (see also the comments next to them):
- 《民法典》第1259条: 以上/以下/以内/届满/满 include the number, 不满/超过/以外 exclude it.
- Amounts in the support section (最高不超过200万元) are caps, never eligibility conditions.
- "在深圳市注册" becomes registered_district in [the ten Shenzhen districts]: it is what an official would encode
  and stays correct for a firm registered outside Shenzhen. A province (广东省) gives no condition, since a profile
  holds only its district.
- Exclusions (房地产企业除外, 不属于…行业): the language has no "not prefix" op, so an excluded prefix is expanded to
  every GB/T 4754-2017 class under it and written as industry_code not_in [classes] — exact, with existing ops.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from portal import reference, timeutil

# ---------------------------------------------------------------------------------------------------------------
# Normalisation


def _fullwidth_table() -> dict[int, str]:
    # length-preserving on purpose: clause offsets in the normalised text are offsets in the original text
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    for quote in "“”「」『』‘’＂〝〞":
        table[ord(quote)] = '"'
    return table


_FULLWIDTH = _fullwidth_table()

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)
_CN_RUN = re.compile(
    rf"[{_CN_CHARS}]+(?:点[{''.join(_CN_DIGITS)}]+)?(?=(?:元|人|名|周年|年|个百分点|%|家|件))"
)
_CN_PERCENT = re.compile(rf"(百分之|千分之)([{_CN_CHARS}]+(?:点[{''.join(_CN_DIGITS)}]+)?|\d+(?:\.\d+)?)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_BARE_HUNDRED_MILLION = re.compile(r"(突破|达到|超过|迈上|迈入|进入|跨越|站上|跻身|越过)(亿|万)元")
_PAST_HUNDRED_MILLION = re.compile(r"(?<![超突])(破|过)亿(?![元\d])")


def cn_number(text: str) -> Decimal:
    """Convert a Chinese numeral ("两千万", "一点五", "三") to a Decimal; ValueError if it is not one."""
    whole, _, frac = text.partition("点")
    total, section, digit = 0, 0, None
    for char in whole:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * _CN_SMALL_UNITS[char]
            digit = None
        elif char in _CN_BIG_UNITS:
            section += digit or 0
            total = (
                (total + section) * _CN_BIG_UNITS[char]
                if _CN_BIG_UNITS[char] > 10**4
                else total + section * 10**4
            )
            section, digit = 0, None
        else:
            raise ValueError(f"不是中文数字：{text}")
    value = Decimal(total + section + (digit or 0))
    if frac:
        value += Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in frac))
    return value


def _arabic(run: str) -> str:
    if not any(c in _CN_DIGITS or c in _CN_SMALL_UNITS for c in run):
        return run  # a bare 万/亿 before 元 is a unit, not a number
    try:
        value = cn_number(run)
    except (ValueError, KeyError):
        return run
    return format(value.normalize(), "f")


def _percent(match: re.Match[str]) -> str:
    number = match.group(2)
    value = Decimal(number) if number[0].isdigit() else cn_number(number)
    return format(value.normalize(), "f") + ("%" if match.group(1) == "百分之" else "‰")


def normalise(text: str) -> str:
    """Return text with half-width digits and punctuation, unified quotes and Arabic numbers before units."""
    text = text.translate(_FULLWIDTH)
    text = _THOUSANDS.sub("", text)
    text = _CN_PERCENT.sub(_percent, text)
    text = _CN_RUN.sub(lambda m: _arabic(m.group(0)), text)
    # "首次突破亿元" / "营收首次过亿": a bare 亿 after a verb of reaching is one 亿
    text = _BARE_HUNDRED_MILLION.sub(r"\g<1>1\g<2>元", text)
    return _PAST_HUNDRED_MILLION.sub(lambda m: {"破": "突破", "过": "超过"}[m.group(1)] + "1亿元", text)


# ---------------------------------------------------------------------------------------------------------------
# Sections

_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.]|第[一二三四五六七八九十百]{1,4}[条章节部分]|【[^】]{1,20}】|"
    r"[一二三四五六七八九十]{0,3}\s*(?:问|Q)\s*\d*\s*[:：.、])"
)
# what a heading says decides what its section is for; checked in this order (支持方式 is support, 申报方式 process)
_SECTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 不予受理情形 / 不予支持的情形 / 负面清单: every clause under it names whom the policy shuts out
    ("exclusion", re.compile(r"不予|不得申|不支持|负面清单|除外情形|排除|不适用")),
    ("condition", re.compile(r"条件|资格|需要满足|应当满足|须满足|要满足|门槛|申报要求|申请要求")),
    (
        "object",
        re.compile(
            r"对象|主体|适用范围|支持范围|(?<!不在)(?<!属于)(?:申报|申请|扶持|奖励|资助)范围|哪些企业|什么企业|谁可以|谁能|哪类企业|受益"
        ),
    ),
    (
        "support",
        re.compile(
            r"标准|金额|额度|多少|支持方式|资助方式|奖励方式|补贴方式|扶持方式|支持内容|扶持内容|怎么补|能拿|兑现(?!程序|流程|时间|期限|渠道|方式|材料|资料)"
        ),
    ),
    ("materials", re.compile(r"材料|资料|附件|证明文件")),
    (
        "process",
        re.compile(
            r"办理|流程|程序|方式|时间|期限|受理|咨询|联系|渠道|窗口|监督|管理|附则|其他|怎么申|如何申|在哪|何时"
        ),
    ),
)

_ITEMS_HEADING = re.compile(
    r"^[^\w]*(?:[一二三四五六七八九十]{1,3}\s*[、.]|第[一二三四五六七八九十]{1,4}[条章节部分])?\s*(?:申报|支持|奖励|扶持|资助)(?:事项|项目|类别|方向)\s*$"
)
_SECTION_KINDS_ANY = re.compile("|".join(p.pattern for _, p in _SECTION_KINDS))


@dataclass(frozen=True)
class _Section:
    kind: str  # condition | object | support | materials | process | other
    heading: str
    start: int
    end: int


def _sections(text: str) -> list[_Section]:
    lines, pos = [], 0
    for line in text.splitlines(keepends=True):
        lines.append((pos, line))
        pos += len(line)
    heads = [(start, line) for start, line in lines if _HEADING.match(line)]
    if not heads:
        return [_Section("other", "", 0, len(text))]
    sections = []
    if heads[0][0] > 0:
        sections.append(_Section("preamble", "", 0, heads[0][0]))
    for i, (start, line) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        title = re.split(r"[:：。;；,，]", line.strip(), maxsplit=1)[0]
        lead = line.strip()
        if (
            re.search(r"[:：]$", lead)
            and (_SECTION_KINDS[0][1].search(lead) or _EXCLUSION.search(normalise(lead)))
        ) or _exclusion_lead(lead):
            kind = "exclusion"  # "第四条 有下列情形之一的，不予扶持：" heads a list of exclusions
        elif (
            line.lstrip().startswith("第")
            and len(title) > 14
            and not (re.search(r"[:：]$", lead) and _SECTION_KINDS[1][1].search(lead))
        ):
            # an article (第二条 对…的企业，给予…) is prose, not a titled section; one leading a list of
            # conditions ("第六条 申请人应当符合下列条件：") heads them
            kind = "other"
        elif _ITEMS_HEADING.search(title):
            kind = "condition"  # "一、申报事项": each item names whom it is for (alternatives, see _industry_items)
        else:
            kind = next((k for k, pattern in _SECTION_KINDS if pattern.search(title[:40])), "other")
        sections.append(_Section(kind, title, start, end))
    return sections


def _exclusion_lead(line: str) -> bool:
    """Tell whether a heading line leads a list of exclusions without a colon ("三、有下列情形之一的，不予支持")."""
    if not re.search(r"下列|以下|如下", line):
        return False
    marks = list(_EXCLUSION.finditer(normalise(line)))
    return bool(marks) and not normalise(line)[marks[-1].end() :].strip(" 。.")


_ENUM = re.compile(
    r"^\s*(?:\(\s*[一二三四五六七八九十\d]{1,3}\s*\)|[一二三四五六七八九十]{1,3}\s*、|\d{1,2}\s*[.、](?!\d)|[①-⑩]|(?:答|A)\s*[:：])\s*"
)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] into clauses (offsets), at ;。!?, line ends and enumerators."""
    spans, cur = [], start
    for m in re.finditer(
        r"[;；。!?！？\n]|(?=\(\s*[一二三四五六七八九十]{1,3}\s*\))|(?=[①-⑩])", text[start:end]
    ):
        cut = start + m.start()
        if m.group(0) != "\n" and text[text.rfind("\n", 0, cut) + 1 : cut].lstrip().startswith("|"):
            continue  # a table row is one clause: "| 数字化车间 | 营业收入1亿元以上；无失信记录 | 30万元 |"
        if m.group(0) in ";；" and re.match(r"[ \t]*或(?![其是])", text[cut + 1 : end]):
            continue  # "营业收入1亿元以上；或营业收入1亿元以下但…": the 或 opens the other side of one clause
        if cut > cur:
            spans.append((cur, cut))
        cur = start + m.end()
    if cur < end:
        spans.append((cur, end))
    result = []
    for a, b in spans:
        chunk = text[a:b]
        heading = _HEADING.match(chunk)
        if heading:
            a += heading.end()
            chunk = text[a:b]
            asked = re.search(r"(?:问|Q)\s*\d*\s*[:：.、]", heading.group(0))
            # "【申报条件】注册地在福田区": a bracketed title is whole, what follows it on the line is said under it
            titled = heading.group(0).strip().startswith("【") and chunk.strip()
            if len(chunk.strip()) <= 12 and not re.search(r"[:：]\s*\S", chunk) and not asked and not titled:
                continue  # a heading alone ("二、申报条件", "【办理条件】") states nothing
        lead = _ENUM.match(chunk)
        a += lead.end() if lead else 0
        head = re.match(
            r"\s*(?:[一二三四五六七八九十]{1,3}\s*[、.]|【[^】]*】|(?:问|Q)\s*\d*\s*[:：.、])?[^:：]{0,14}[:：]",
            text[a:b],
        )
        if (
            head
            and _SECTION_KINDS_ANY.search(head.group(0))
            and not _ONE_OF.search(head.group(0))
            and not _EXCLUSION.search(normalise(head.group(0)))
        ):
            a += head.end()  # "满足下列条件之一：" stays: it makes the items that follow alternatives
        while a < b and text[a] in " \t,，、":
            a += 1
        if b - a >= 2:
            result.append((a, b))
    return result


# ---------------------------------------------------------------------------------------------------------------
# Tables

SHENZHEN_DISTRICTS: tuple[str, ...] = (
    "罗湖区",
    "福田区",
    "南山区",
    "宝安区",
    "龙岗区",
    "盐田区",
    "龙华区",
    "坪山区",
    "光明区",
    "大鹏新区",
)
_DISTRICT_SHORT = {
    d[:-1] if d.endswith("区") and not d.endswith("新区") else d: d for d in SHENZHEN_DISTRICTS
}
_DISTRICT_SHORT["大鹏"] = "大鹏新区"
_DISTRICT_NAME = r"(?:大鹏新区|大鹏|罗湖|福田|南山|宝安|龙岗|盐田|龙华|坪山|光明)区?"


def _district(name: str) -> str | None:
    """Return the full district name for "宝安" / "宝安区" / "大鹏", None if it is none."""
    return name if name in SHENZHEN_DISTRICTS else _DISTRICT_SHORT.get(name.removesuffix("区"))


_DISTRICT_LIST = rf"{_DISTRICT_NAME}(?:\s*(?:、|或者|或|和|及|以及)\s*{_DISTRICT_NAME})*"
# "光明区（含光明科学城）": an aside inside the place widens it, it does not break "在…注册"
_ASIDE = r"(?:\((?:含|包括|不含)[^)]{0,16}\))?"
# where a firm pays tax is its tax district, not its registration (that is tax_district's own row)
_REGISTER = r"(?:依法)?(?:新)?(?:注册|登记|设立|成立|注册登记|工商注册|办理工商)"
_MUST = r"(?:须|需|应|应当|必须)?"
_NOT_A_FIRM_KIND = r"局|委|办|府|部门|中心|协会|商会|的|支持|鼓励|引导|推动|给予|将|对|向|与|和|及|或|认定|推荐|迁|落户|引进|外"
_DISTRICT_PATTERNS = (
    re.compile(rf"在(?:深圳市?)?({_DISTRICT_LIST}){_ASIDE}(?:辖区|行政区域)?(?:内|范围内)?{_REGISTER}"),
    re.compile(
        rf"(?:注册|登记|工商注册)(?:地|地址|登记地|所在地|关系)?(?:均)?{_MUST}(?:在|位于|为|属于|设在)(?:深圳市?)?({_DISTRICT_LIST})"
    ),
    re.compile(rf"(?<![在])({_DISTRICT_LIST}){_ASIDE}(?:辖区)?(?:内)?(?:注册|登记)"),
    re.compile(rf"({_DISTRICT_LIST})(?:辖区|范围|区域|行政区域)?内(?![租使举购建投迁])"),
    # "迁入坪山区的企业" is where a firm means to go, not where it is
    re.compile(
        rf"(?<![在于入])({_DISTRICT_LIST})(?:辖区)?(?:内)?的?(?:各类|中小微|中小|小微|规模以上)?(?:工业|制造业)?(?:企业|单位|市场主体)(?!服务)"
    ),
    # "宝安区跨境电商企业": a kind of firm between the district and 企业 (not an office, nor a verb of the policy's)
    re.compile(
        rf"(?<![在于入])({_DISTRICT_LIST})(?:辖区)?(?:内)?(?:(?!{_NOT_A_FIRM_KIND})[\u4e00-\u9fff]){{2,8}}?(?:企业|公司)(?!服务)"
    ),
)
# a title conferred just before a district's name: "认定为", "评为", "入选", "获评"
_TITLE_CONFERRED = re.compile(r"(?:认定为|评为|评定为|获评|入选|列为|确认为)\s*$")
_CITY_PATTERNS = (
    re.compile(rf"在(?:深圳市?|本市)(?:行政区域|辖区|范围)?内?{_REGISTER}"),
    re.compile(r"(?:注册|登记|工商注册|税务登记)(?:地|地址|登记地)?(?:均)?(?:在|位于|为)(?:深圳市?|本市)"),
    re.compile(r"(?:深圳市?|本市)(?:行政区域|辖区|范围)?内?(?:注册|登记)"),
)
# 本区/我区 (the issuing district): registered there, counted in its statistics, or its firms
_LOCAL_DISTRICT = re.compile(
    rf"在(?:本|我)区(?:行政区域|辖区|范围)?内?{_REGISTER}|(?:本|我)区(?:内)?(?:注册|登记)|(?:注册|登记)(?:地|地址)?(?:在|位于|为)(?:本|我)区|"
    r"(?:纳入|列入|属于|进入)(?:本|我)区(?:的)?(?:统计|名录|库)|(?:本|我)区(?:辖区)?(?:内)?的?(?:各类|中小微|中小|小微|规模以上)?(?:企业|单位|市场主体)(?!服务)"
)
# 注册地、经营地、纳税地 (or 税务关系, 实际经营活动) in a district: each kind of place is its own field
# 统计关系 (where a firm is counted) is a kind of place no field holds: it is listed, then reported
_PLACE_KINDS = (
    r"(?:(?:工商)?(?:注册|登记)(?:注册|登记)?|经营|实际经营|生产经营|纳税(?:关系)?|税务(?:征管)?(?:关系|登记)?|"
    r"征管关系|税收(?:征管)?(?:关系)?|统计(?:关系)?)(?:地|地址|所在地)?"
)
_PLACE_LIST = re.compile(
    rf"({_PLACE_KINDS}(?:\s*[、和及与]\s*{_PLACE_KINDS})*)\s*\"?(?:三地合一|两地合一)?\"?\s*[,，]?\s*(?:均|都)?{_MUST}(?:均|都)?(?:在|位于|为|属于|设在)"
    rf"(?:深圳市?)?({_DISTRICT_NAME}|本区|我区)"
)
# "注册地、经营地、纳税地三地合一" names no district: the places are the one the passage names (see _resolve_unity)
_PLACE_UNITY = re.compile(
    rf"(?:({_PLACE_KINDS}(?:\s*[、和及与]\s*{_PLACE_KINDS})+)\s*(?:实现|须|需|应|必须)?\s*)?\"?(三地|两地|二地)合一\"?"
)
_UNITY_PLACE = "@unity"  # placeholder district of a 三地合一 row until the passage's district is known
# "注册地不在坪山区": the firm must be registered elsewhere
_NOT_REGISTERED = re.compile(
    rf"(?:注册|登记|工商注册)(?:地|地址)?(?:目前|现)?(?:不在|不属于|不位于|非)(?:深圳市?)?({_DISTRICT_NAME}|本区|我区)"
)
# "在光明区依法注册并实际经营" / "在南山区注册并纳税": the same district for the second kind of place
_ALSO_PLACE = re.compile(
    rf"({_DISTRICT_NAME}|本区|我区){_ASIDE}(?:辖区)?(?:内)?(?:依法)?(?:注册|登记)(?:登记)?(?:并|且|、|和|及)(?:依法)?(?:实际|正常)?(?:生产)?(经营|纳税)(?!\s*(?:满|已满|不满|未满|达到|超过|\d|时间|年限|期限))"
)
# "在宝安区设立分支机构": a branch or site is where the firm operates, not where it is registered
_BRANCH_PLACE = re.compile(
    rf"在({_DISTRICT_NAME}|本区|我区)(?:内)?(?:设立|设有|开设|新设|建立)(?:了)?(?:分支机构|分公司|子公司|研发中心|生产基地|办事处|区域总部|分支)"
)
# "在坪山区实际经营并纳税": the firm pays its tax where it operates
_OPERATE_AND_TAX = re.compile(
    rf"在({_DISTRICT_NAME}|本区|我区){_ASIDE}(?:辖区)?(?:内)?(?:实际|正常)?(?:生产)?经营(?:并|且|、|和|及)(?:依法)?(?:纳税|缴税)"
)
# "在福田区纳税" / "在本区依法纳税": the tax district
_TAX_PLACE = re.compile(
    rf"在(?:深圳市?)?({_DISTRICT_NAME}|本区|我区){_ASIDE}(?:辖区)?(?:内)?(?:依法)?(?:纳税|缴税|缴纳税)"
)
# Zones that are no district of the region (横琴粤澳深度合作区, 郑州航空港经济综合实验区, 江北新区直管区, 南沙自贸片区,
# 苏州工业园区) and the towns, counties and cities beyond it: where a firm is placed there, no row can say it
_ZONE = (
    r"(?:特别合作区|深度合作区|合作区|综合保税区|保税港区|保税区|自贸片区|自由贸易试验区|自贸试验区|自贸区|片区|直管区|"
    r"经济技术开发区|经开区|高新技术产业开发区|高新区|开发区|新区|实验区|示范区|港区|工业园区|园区)"
)
_NAME_CHAR = r"(?:(?![的在于和及或与并且等为是对向从被将已须需应含迁入])[\u4e00-\u9fff])"
_ZONE_NAME = rf"{_NAME_CHAR}{{1,12}}?(?:{_ZONE}|市|县|区|镇)(?:{_NAME_CHAR}{{0,6}}?{_ZONE})?(?![场级值民政委府属直管长])"
# a zone word with no name of its own (经开区, 园区, 本区) is the issuer's: see _unplaced
_GENERIC_ZONE = re.compile(
    rf"(?:本|该|我|全|各|所在|辖)?(?:产业|科技|工业)?(?:{_ZONE}|区|市)|(?:外|其他|其它|别的|外地|异地)(?:区|市|县|城市)"
)
# a place outside the deployment's region (东莞市, 深汕特别合作区): no row can say it, the official is told
_OUTSIDE_PLACE = re.compile(
    rf"({_NAME_CHAR}{{2,12}}?(?:{_ZONE}|市|县)(?:{_NAME_CHAR}{{0,6}}?{_ZONE})?)[^,，;；。]{{0,4}}?(?:注册|登记|设立|纳税)|"
    rf"(?:注册|登记|纳税)(?:地|地址)?(?:均)?(?:在|位于|为)({_ZONE_NAME})"
)
# requirements the condition language cannot state, reported even when the rest of their clause reads
_UNSTATEABLE = re.compile(
    r"纳税信用(?:等级|评级|级别)?(?:为|达到|被评为|评定为|在)?\s*[ABM]级(?:及以上|以上)?|[AB]级纳税人|"
    r"年均(?:复合)?(?:增长率|增长|增速)|复合增长率|工业总产值|研发费用辅助账|国有(?:及国有)?(?:控股|独资)|股份制改造|"
    # compliance records no profile field holds: administrative penalties, unpaid wages
    r"行政处罚|拖欠(?:职工|员工|农民工|工人)?(?:的)?(?:工资|薪酬|薪资|劳动报酬)|欠薪|"
    # an award of another level of government ("也未享受市级同类奖励"): approved_groups knows only the portal's own
    r"(?<![本全])(?:市级|省级|国家级|中央|国家|省|市|其他部门|其他)(?:[、和及或]?(?:区级|省级|市级|区))?(?:财政)?(?:的)?"
    r"同类(?:奖励|资助|补贴|扶持|支持|奖补|补助|政策|资金|项目)|(?:市|省|国家|上)级(?:及以上)?(?:财政)?同类|"
    r"(?:大赛|竞赛)[^,，;；。]{0,10}?(?:[一二三]等奖|优胜奖|优秀奖|奖项|名次|前\d+名|决赛|获奖)|"
    # a company form no profile field holds ("注册的股份有限公司"), not a firm's name ("XX科技股份有限公司")
    r"(?:(?<=的)|(?<=为)|(?<=是)|(?<=系)|(?<=属于)|(?<=或)|(?<=、))"
    r"(?:股份有限公司|有限责任公司|股份制企业|股份公司|有限合伙企业|合伙企业|个人独资企业)"
)
# a safety, environment or quality accident: no field records it, and it is no credit record (credit_ok means 无失信
# 记录, docs/IMPORT.md), so it gives no row and is reported
_ACCIDENT = re.compile(
    r"(?:安全|环保|环境|质量|生产|消防)[^,，;；。]{0,6}?事故|(?:污染|环境)事件|(?:重大|严重|较大)(?:的)?事故"
)
_ACCIDENT_JOINED = re.compile(rf"(?:{_ACCIDENT.pattern})(?:\s*(?:以及|或者|和|及|与|或|、)\s*)?")


def _without_accidents(clause: str) -> str:
    """The clause with its accidents (and the joiner after each) cut out, so a 失信 beside one reads on its own."""
    return _ACCIDENT_JOINED.sub("", clause)


# sectors policies name that GB/T 4754 has no class for (文旅, 海洋经济, 高端装备): no industry row can say them
_SECTOR_WORD = (
    r"(?:文体旅游|文化旅游|文体旅|文旅|文体|文化创意|文创|海洋高端装备|海洋经济|海洋产业|海洋装备|高端装备|智能装备|"
    r"战略性新兴产业|新兴产业|未来产业|数字经济|低空经济|平台经济|总部经济|银发经济|夜间经济|时尚产业|"
    r"现代服务业|生产性服务业|人工智能|新材料|节能环保|新一代信息技术|数字创意|大健康|绿色低碳|新能源)"
)
# said of the applicant: "XX企业", "从事XX", a cell of its own ("| 海洋高端装备 |", the 支持方向 of a table row)
_SECTOR_GAP = re.compile(
    rf"(?<=从事){_SECTOR_WORD}[^,，;；。|]{{0,6}}|(?<=属于){_SECTOR_WORD}[^,，;；。|]{{0,6}}|"
    rf"{_SECTOR_WORD}(?:产业|行业|领域|方向)?(?:类|相关|的)?(?:企业|公司|市场主体|经营主体)|"
    rf"(?:^|(?<=\|))\s*{_SECTOR_WORD}(?:产业|行业|领域|方向)?\s*(?=\|)"
)


def _sector_gaps(clause: str) -> list[str]:
    """Sector words said of the applicant that no GB/T 4754 class holds ("文体旅游企业"): the official is told."""
    said = _said_of_applicant(clause)
    return [
        f"行业（{m.group(0).strip()}）不是国民经济行业分类的类别，未生成行业条件"
        for m in _SECTOR_GAP.finditer(said)
        if "□" not in m.group(0)
    ]


def _compliance_gaps(clause: str) -> list[str]:
    """Why parts of a clause give no exact row: requirements no field states, accidents (no credit record)."""
    whys = [f"条件语言无法表达（{m.group(0)}），未生成条件" for m in _UNSTATEABLE.finditer(clause)]
    for m in _ACCIDENT.finditer(clause):
        whys.append(f"条件语言无法表达（{m.group(0)}），未生成条件")
    return whys


# a place named where a firm registers, pays tax or operates ("均在滨海新区", "在长安镇注册", "或惠州市大亚湾区")
_PLACE_NAMED = re.compile(rf"(?:(?:为|须|需|应)?在|于|位于|地为|址为|或|、|落户)\s*({_ZONE_NAME})")
_PLACE_CONTEXT = re.compile(r"注册|登记|纳税|税收|税务|经营|设立|落户|户管")
_NOT_A_PLACE = re.compile(
    r"(?:本|全|我|该|各|所在|辖|园|市|城|社|片|街|高新|经开|开发)(?:市|区|县|镇|新区)|.*(?:深圳|上市|注册|登记|地在|未|不|街道|社区|在|于)"
)


def _without_outside_alternatives(clause: str, places: list[_Found]) -> list[_Found]:
    """Drop a place row whose 或 names a place outside the region: "注册地在大鹏新区或惠州市大亚湾区" is no rule on
    where the firm registers (one registered in 惠州 qualifies too), only the other kinds of place bind."""
    drop: set[tuple[str, str]] = set()
    # "注册在南山区，或注册在深汕特别合作区但…" / "在宝安区注册，或者在…注册": the 或 may follow a comma and the verb
    for segment in re.split(r"[;；。]", clause):
        m = re.search(rf"({_DISTRICT_NAME})([^,，;；。或]{{0,6}}?)\s*[,，]?\s*(?:或者|或)\s*", segment)
        if not m:
            continue
        tail = re.split(r"[,，]", segment[m.end() :])[0]
        if not _outside_named(tail if re.match(r"(?:注册|登记)?(?:在|于)", tail) else "在" + tail + "注册"):
            continue
        district = _district(m.group(1))
        words = re.split(r"[,，]", segment[: m.start()])[-1] + m.group(2)
        if district:
            if re.search(r"注册|登记", words):
                drop.add(("registered_district", district))
            if re.search(r"税", words):
                drop.add(("tax_district", district))
            if re.search(r"经营", words):
                drop.add(("operating_district", district))
    if not drop:
        return places
    return [f for f in places if (f.condition.get("field"), str(f.condition.get("value"))) not in drop]


def _foreign(name: str) -> bool:
    """Whether a place name is a named place that is no district of the region (横琴粤澳深度合作区, 东莞市)."""
    return not (
        _NOT_A_PLACE.fullmatch(name)
        or _NOT_A_PLACE.match(name)
        or _GENERIC_ZONE.fullmatch(name)
        or re.search(_DISTRICT_NAME + "$", name)
    )


_FOREIGN_FIRM = re.compile(
    rf"(?:须为|需为|应为|必须为|须是|应是|限于|仅限)\s*({_ZONE_NAME})(?:内|辖区内|范围内)?的?[^,，;；。]{{0,12}}?(?:企业|单位|市场主体)"
)


def _outside_named(clause: str) -> bool:
    """Whether a clause places the firm in a city, district or town outside the deployment's region."""
    # "申报企业须为顺德区规模以上工业企业": the firm is one of a place outside the region, no verb needed
    for m in _FOREIGN_FIRM.finditer(clause):
        if _foreign(m.group(1)):
            return True
    if not _PLACE_CONTEXT.search(clause):
        return False
    # "在本市（含深汕特别合作区）依法注册": an aside is no place the firm must be, but a zone outside the region it
    # adds (or takes away) is one no row can say
    asides = re.findall(r"\((?:含|包括|不含|包含)([^()]{0,24})\)", clause)
    if any(_foreign(name) for aside in asides for name in re.findall(_ZONE_NAME, aside)):
        return True
    clause = re.sub(r"\((?:含|包括|不含|包含)[^()]{0,24}\)", "", clause)
    for m in _OUTSIDE_PLACE.finditer(clause):
        if _foreign(m.group(1) or m.group(2)):
            return True
    for m in _PLACE_NAMED.finditer(clause):
        if not _foreign(m.group(1)):
            continue
        near = clause[max(0, m.start() - 12) : m.end() + 12]
        if _PLACE_CONTEXT.search(near):
            return True
    return False


_OPERATING = re.compile(
    rf"在({_DISTRICT_NAME}|本区|我区)(?:内)?(?:开展|从事)?(?:实际)?(?:生产)?经营(?:活动)?(?!范围)"
)


def _place_kinds(words: str) -> list[str]:
    """The place fields a run of place words names (住所 is where a firm is registered, 办公场所 where it works)."""
    kinds = []
    if re.search(r"注册|(?<!税务)登记|住所", words):
        kinds.append("registered_district")
    if re.search(r"经营|办公", words):
        kinds.append("operating_district")
    if re.search(r"纳税|缴税|缴纳税|税务|税收", words):
        kinds.append("tax_district")
    return kinds


@cache
def _street_pattern(region_key: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """The streets of the deployment's region (longest first) and the district of each."""
    place = reference.load_region(region_key)
    district_of = {street: d for d in place.districts for street in place.streets.get(d, ())}
    names = sorted(map(re.escape, district_of), key=len, reverse=True) or ["(?!)"]
    # a street office or its staff ("福永街道办事处") is who runs the policy, not where the firm is
    return re.compile(r"(" + "|".join(names) + r")(?!办事处|经济服务|社区工作站|党工委|执法队)"), district_of


def _streets() -> tuple[re.Pattern[str], dict[str, str]]:
    """The street pattern of the region in force and each street's district."""
    return _street_pattern(reference.region().key)


# Comparison words (《民法典》第1259条): the closest one before the number wins; longer words first, so that 不超过
# is not read as 超过 and 不满 not as 满.
_PRE_OPS: dict[str, str] = {
    "不低于": "gte",
    "不少于": "gte",
    "不小于": "gte",
    "不下于": "gte",
    "达到": "gte",
    "达": "gte",
    "至少": "gte",
    "届满": "gte",
    "已满": "gte",
    "满": "gte",
    "突破": "gte",
    "不满": "lt",
    "未满": "lt",
    "不足": "lt",
    "未达到": "lt",
    "未达": "lt",
    "不到": "lt",
    "低于": "lt",
    "少于": "lt",
    "小于": "lt",
    "不超过": "lte",
    "未超过": "lte",
    "不超出": "lte",
    "不高于": "lte",
    "不多于": "lte",
    "不大于": "lte",
    "最多": "lte",
    "至多": "lte",
    # a forbidden comparison is the opposite one: 不得少于 → gte, 不得超过 → lte
    "不得低于": "gte",
    "不得少于": "gte",
    "不应低于": "gte",
    "不应少于": "gte",
    "不能低于": "gte",
    "不能少于": "gte",
    "不得超过": "lte",
    "不得高于": "lte",
    "不得多于": "lte",
    "不应超过": "lte",
    "不应高于": "lte",
    "不能超过": "lte",
    "超过": "gt",
    "超出": "gt",
    "高于": "gt",
    "多于": "gt",
    "大于": "gt",
    "逾": "gt",
}
_PRE_OP_RE = re.compile("|".join(sorted(map(re.escape, _PRE_OPS), key=len, reverse=True)))
_POST_OPS = {
    "及以上": "gte",
    "以上": "gte",
    "及以下": "lte",
    "以下": "lte",
    "以内": "lte",
    "之内": "lte",
    "内": "lte",
    "以外": "gt",
}
_POST_RE = re.compile(
    r"\s*(?:\((含本数|不含本数|含|不含)\))?\s*(及以上|以上|及以下|以下|以内|之内|以外|内(?![容部外]))?\s*(?:\((含本数|不含本数|含|不含)\))?"
)
_STRICT = {"gte": "gt", "lte": "lt"}
_LOOSE = {"gt": "gte", "lt": "lte"}

# Field words: the term closest before a number decides what the number measures. Blockers are terms that own a
# number but are no profile field (项目投资额, 线上销售额, 最高…万元 caps); they stop a number being misread.
_FIELD_TERMS: dict[str, tuple[str, ...]] = {
    "revenue_wan": (
        "主营业务收入",
        "营业收入",
        "营业总收入",
        "经营收入",
        "销售收入",
        "年销售额",
        "销售额",
        "营收",
        "年收入",
        "产品销售收入",
        "营业额",
        "年营业额",
    ),
    "assets_wan": ("资产总额", "总资产", "资产规模", "资产总计"),
    "rd_expense_wan": ("研发费用", "研发投入", "研发经费", "研发支出", "研究开发费用", "研发费用支出"),
    "tax_paid_wan": (
        "纳税总额",
        "纳税额",
        "纳税",
        "税收贡献",
        "税收",
        "缴纳税款",
        "缴纳税收",
        "缴税",
        "实缴税额",
        "税款",
        "入库税收",
    ),
    "employees": (
        "从业人员",
        "从业人数",
        "员工",
        "员工人数",
        "职工",
        "职工人数",
        "在职人数",
        "在职员工",
        "参保人数",
        "参保职工",
        "社保参保人数",
        "人员规模",
        "用工人数",
        "用工规模",
        "就业人数",
        "雇员",
    ),
    "years_since_founded": (
        "成立",
        "注册",
        "设立",
        "创办",
        "创立",
        "注册时间",
        "成立时间",
        "设立时间",
        "经营年限",
        "存续",
        # "正常生产经营满1年": how long a firm has run is its age (a number needs 年 to be read as one)
        "生产经营",
        "正常经营",
    ),
}
_UNIT_OF_FIELD = {
    "revenue_wan": "money",
    "assets_wan": "money",
    "rd_expense_wan": "money",
    "tax_paid_wan": "money",
    "employees": "people",
    "years_since_founded": "years",
    "rd_ratio": "percent",
    "revenue_growth": "percent",
    "tax_paid_growth": "percent",
}
_BLOCKERS = (
    "线上销售额",
    "网络销售额",
    "网上销售额",
    "出口额",
    "出口销售额",
    "进出口额",
    "跨境销售额",
    "新增销售额",
    "销售额增长",
    "投资额",
    "投资",
    "合同金额",
    "合同",
    "费用",
    "贷款",
    "融资",
    "借款",
    "利息",
    "租金",
    "保费",
    "展位费",
    "担保费",
    "产值",
    "注册资本",
    "实缴资本",
    "注册资金",
    # a mean over several years (年均增长率) is no one year's growth: the language cannot state it
    "年均增长率",
    "年均增长",
    "年均增速",
    "年均复合增长率",
    "复合增长率",
    "增长",
    "增速",
    "增幅",
    "同比",
    "环比",
    "提高",
    "提升",
    "下降",
    "给予",
    "奖励",
    "补贴",
    "资助",
    "补助",
    "贴息",
    "最高",
    "上限",
    "一次性",
    "研发人员",
    "科技人员",
    "技术人员",
    "人才",
    "毕业生",
    "见习",
    "培训",
    "引进",
    "新招用",
    "新招",
    "新增员工",
    "新增就业",
    "新增从业人员",
    "新增",
    "吸纳",
    "劳动合同",
    "合同期",
    "期限",
    "租期",
    "租赁",
    "连续",
    "近",
    "最近",
    "承诺",
    "年龄",
    "面积",
    "注册地",
    "注册地址",
    "注册登记",
    "登记",
)
_RATIO_TERM = re.compile(
    r"(?:研究开发费用|研发(?:费用|投入|经费|支出)(?:总额)?)[^\d;；。,，]{0,16}?(?:比例|比重|占比|强度)|研发(?:投入)?强度|研发费用率|研发投入率"
)


# year-over-year growth of revenue (0.2 = 20%): read before the revenue words it contains
_GROWTH_TERM = re.compile(
    r"(?:营业收入|营收|销售额|零售额|营业额|主营业务收入)(?:比上年|较上年|同比)?(?:增长率|增速|增幅|增长)(?!的部分)"
)


def _term_regex() -> re.Pattern[str]:
    words = {w for terms in _FIELD_TERMS.values() for w in terms} | set(_BLOCKERS)
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


_TERMS = _term_regex()
_FIELD_OF_TERM = {w: f for f, terms in _FIELD_TERMS.items() for w in terms}
# 注册地/注册登记 name places, not founding years; a real "注册满3年" still reads as years (注册 + 满)
_FIELD_OF_TERM.pop("登记", None)

_QTY = re.compile(r"(\d+(?:\.\d+)?)\s*(千万|百万|十万|亿|万|千|百)?\s*(元|人次|人|名|周年|年|%|‰|个百分点)")
_RANGE = re.compile(
    r"(?:介于|在)?\s*(\d+(?:\.\d+)?)\s*(千万|百万|十万|亿|万|千|百)?\s*(元|人|名|周年|年|%|‰)?\s*(?:\((含|不含)\))?\s*"
    r"(?:至|到|~|～|-|—|－|和|与)\s*(\d+(?:\.\d+)?)\s*(千万|百万|十万|亿|万|千|百)?\s*(元|人|名|周年|年|%|‰)"
    r"\s*(?:\((含|不含)\))?\s*(之间)?"
)
_MULT = {
    None: 1,
    "": 1,
    "十万": 10**5,
    "百万": 10**6,
    "千万": 10**7,
    "亿": 10**8,
    "万": 10**4,
    "千": 10**3,
    "百": 100,
}

# Qualifications, most specific first. A match is masked so that 专精特新中小企业 is not read as 中小企业 (size) and
# 制造业单项冠军企业 not as 制造业 (industry).
_LITTLE_GIANT = '专精特新"小巨人"企业'
_QUALIFICATION_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(r'(?:国家级)?专精特新\s*"?\s*小巨人\s*"?(?:企业)?|国家级专精特新(?:企业)?'),
        (_LITTLE_GIANT,),
    ),
    (re.compile(r"(?:省级|广东省|市级|深圳市)?专精特新中小(?:微)?企业"), ("专精特新中小企业",)),
    (re.compile(r"专精特新(?:企业|资质|称号)?"), ("专精特新中小企业", _LITTLE_GIANT)),
    (re.compile(r"创新型中小(?:微)?企业"), ("创新型中小企业",)),
    (re.compile(r"(?:入库)?科技型中小(?:微)?企业"), ("科技型中小企业",)),
    (re.compile(r"(?:国家级?)?高新技术企业|国高企业|国高|高企(?!业)"), ("国家高新技术企业",)),
    (re.compile(r"(?:制造业)?单项冠军(?:示范)?(?:企业|产品)?"), ("制造业单项冠军企业",)),
    (
        re.compile(
            r"(?:首次|新)上规(?:模)?(?:的)?(?:工业)?(?:企业)?|规模以上工业(?:企业|统计)?|规上工业(?:企业)?|规模以上(?=制造业)|规上(?=制造业)|规上企业|"
            r"纳入规上(?:统计)?|纳入规模以上(?:工业)?(?:统计)?"
        ),
        ("规模以上工业企业",),
    ),
    (
        # one 限额以上 naming trade and catering together ("限额以上批发、零售、住宿、餐饮企业") is either class
        re.compile(
            r"(?:限额以上|限上)(?:的)?(?:批发|零售|批零)(?:[、和及与]?(?:批发|零售))?(?:业)?[、和及与]"
            r"(?:住宿(?:业)?[、和及与]?)?餐饮(?:业)?(?:企业|单位)?"
        ),
        ("限额以上批发零售企业", "限额以上住宿餐饮"),
    ),
    (
        re.compile(
            r"限额以上(?:批发零售|批发和零售|批零|商贸|贸易)?业?(?:企业|统计)?|限上(?:批零|商贸)?企业"
        ),
        ("限额以上批发零售企业",),
    ),
    (
        re.compile(
            r"上市(?:企业|公司)|(?:境内外|境内|境外)?(?:证券交易所|资本市场|交易所)(?:首发|首次公开发行(?:股票)?并?)?(?:挂牌)?上市|"
            r"(?:已|首发|首次公开发行(?:股票)?并?)上市|(?<=[未非])上市|"
            # "已在境内外上市的企业除外": where it is listed said without the exchange
            r"已?在(?:境内外|境内|境外|国内外|海内外|国内|国外)上市"
        ),
        ("上市企业",),
    ),
    (re.compile(r"总部(?:型)?企业"), ("总部企业",)),
    (re.compile(r"知识产权(?:示范和|示范或)?优势企业"), ("知识产权优势企业",)),
    (re.compile(r"(?:国家级|省级|市级)?绿色工厂"), ("绿色工厂",)),
)
# The open vocabulary (资质与标签词表, issue 11 item 7). The twelve above keep their hand-made patterns; every other
# term is read by its name and aliases. Terms whose real wordings vary get a pattern of their own, used only while
# the term is in the vocabulary in force; each names the vocabulary name it stands for.
_SISHANG_MEMBERS = (
    "规模以上工业企业",
    "限额以上批发零售企业",
    "限额以上住宿餐饮",
    "有资质建筑业",
    "规模以上服务业",
)
_TERM_PATTERNS: dict[str, str] = {
    # "四上" stands for its five statistical classes: a firm counted in any of them is a 四上 firm
    "四上企业": r'"?四上"?(?:企业|单位)(?:名录|库|统计)?|(?<!"|\w)"四上"|纳入"?四上"?(?:企业|单位)?(?:名录|库|统计)?',
    # before 限额以上批发零售企业: "限额以上住宿和餐饮业企业" is not 限额以上 alone
    "限额以上住宿餐饮": r"限额以上(?:的)?住宿(?:和|与|及|、)?餐饮(?:业)?(?:企业|单位)?|限上住餐(?:企业|单位)?|限上(?:住宿|餐饮)(?:企业)?",
    "规模以上服务业": r"规模以上服务业(?:企业|单位)?|规上服务业(?:企业|单位)?|规模以上(?:的)?服务业企业",
    "有资质建筑业": r"有资质(?:的)?建筑业?(?:企业|单位)?|资质内建筑业(?:企业)?|具有建筑业(?:企业)?资质(?:的)?(?:建筑业)?(?:企业)?",
    "瞪羚企业": r'(?:国家级|省级|市级|区级)?"?瞪羚"?(?:企业)?',
    "独角兽企业": r'(?:全球|中国|潜在)?"?独角兽"?(?:企业)?(?:榜单)?',
    "隐形冠军": r'(?:国家级|省级|市级)?"?隐形冠军"?(?:企业)?',
    # the system's name alone ("经全国中小企业股份转让系统审核") is an organisation; a listing on it says 挂牌
    "新三板挂牌": r"全国中小企业股份转让系统(?:\(新三板\))?挂牌(?:企业|公司)?|新三板(?:挂牌)?(?:企业|公司)?",
    "孵化器": r"(?:国家级|省级|市级)?(?:科技企业)?孵化器",
    "众创空间": r"(?:国家级|省级|市级)?众创空间",
}
# carriers a firm sits in ("入驻孵化器的企业") rather than holds: only an operator is the incubator itself
_CARRIERS = ("孵化器", "众创空间")
# "入驻经区科技创新局认定的科技企业孵化器或众创空间": the carrier's own description may hold a 的 and the other carrier
_IN_CARRIER_BEFORE = re.compile(
    r"(?:入驻|进驻|入孵|落户|迁入|位于|租用|在孵)[^,，;；。]{0,22}$|在[^,，;；。的]{0,10}$|(?:由|经由|通过)$"
)
# "由孵化器推荐的在孵企业": the carrier acts for the firm (推荐, 出具证明), the firm is not the carrier
_IN_CARRIER_AFTER = re.compile(r"^(?:内|中|里|在孵|孵化的|培育的|毕业|入驻|推荐|出具|初审|审核|盖章|证明)")
# an aim, not a holding: "鼓励成长性好的企业申报国家高新技术企业", "争创瞪羚企业", "培育独角兽企业"
_AIM_BEFORE = re.compile(
    r"(?:鼓励|引导|推动|争创|创建|打造|争取)[^,，;；。]{0,12}$|"
    r"(?:申报|申请|争创|创建|培育|打造|成长为|发展为|晋升为?)(?:认定)?(?:为)?\s*\"?$"
)
# a title held by some other firm ("其控股母公司为上市公司", "在孵企业中国家高新技术企业不少于10家") asks nothing of the applicant
_OTHER_FIRM_BEFORE = re.compile(
    r"(?:母公司|子公司|控股股东|股东|关联(?:企业|公司)|在孵企业|入驻企业|孵化企业|服务企业|会员企业|成员企业|上下游企业)"
    r"(?:中|中的|为|是|属于|须为|应为)?\s*\"?$"
)
# "…企业不少于10家", "…企业5家以上": a count of such firms, not a title of the applicant
_FIRM_COUNT_AFTER = re.compile(r"^\"?(?:数量|数)?(?:不少于|不低于|达到|超过|累计|共|合计)?\s*\d+\s*(?:家|个)")
# "在孵企业中高新技术企业不少于10家": a count of other firms, which no profile field holds
_COUNTED_FIRMS = re.compile(
    r"(?:企业|机构|公司)\"?(?:数量|数)?(?:不少于|不低于|达到|超过|累计|共|合计)\s*\d+\s*(?:家|个)|"
    r"(?:企业|机构|公司)\"?\d+\s*(?:家|个)(?:以上|及以上)"
)
# "研发人员占职工总数的比例不低于10%": a share of the staff, which no profile field holds
_STAFF_SHARE = re.compile(
    r"人员(?:数)?(?:占比|占[^,，;；。\d]{0,10}?(?:比例|比重|的))\s*(?:不低于|不少于|达到|超过|在)?\s*\d+(?:\.\d+)?\s*%"
)
# "，且属于" between two names: the firm must hold both (each side may list alternatives)
_AND_GAP = re.compile(r"[,，;；]?\s*(?:且|并且|同时|并)(?:还)?(?:属于|为|是|具有|具备|获得|被认定为)?")
_FIXED_NAMES = frozenset(reference.QUALIFICATIONS)
_VOCABULARY: ContextVar[tuple[tuple[str, tuple[str, ...]], ...] | None] = ContextVar(
    "reader_vocabulary", default=None
)


def _term_pairs(vocabulary: Iterable[Any] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name, aliases) pairs of a vocabulary: reference.Term objects, (name, aliases) pairs or plain names."""
    out = []
    for term in vocabulary or ():
        if isinstance(term, str):
            out.append((term, ()))
        elif hasattr(term, "name"):
            out.append((term.name, tuple(getattr(term, "aliases", ()) or ())))
        else:
            name, aliases = term
            out.append((name, tuple(aliases or ())))
    return tuple(out)


@lru_cache(maxsize=8)
def _vocabulary_patterns(
    terms: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Patterns for the vocabulary's terms beyond the fixed twelve, most specific (longest) first."""
    names = {n for n, _ in terms}
    out: list[tuple[str, tuple[str, ...]]] = []
    for name, aliases in terms:
        if name in _FIXED_NAMES:
            continue
        words = sorted({name, *aliases}, key=len, reverse=True)
        literal = "|".join(re.escape(w.replace("\u201c", '"').replace("\u201d", '"')) for w in words)
        pattern = _TERM_PATTERNS.get(name)
        means = (name,)
        if name == "四上企业":
            means = (name, *(m for m in _SISHANG_MEMBERS if m in names))
        out.append((f"{pattern}|{literal}" if pattern else literal, means))
    return tuple((re.compile(p), m) for p, m in out)


@lru_cache(maxsize=8)
def _fixed_alias_patterns(
    terms: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Literal aliases of the twelve (小巨人企业) that their hand-made patterns leave unread; tried after them."""
    return tuple(
        (re.compile("|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))), (name,))
        for name, aliases in terms
        if name in _FIXED_NAMES and aliases
    )


def _qualification_patterns() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """The patterns in force: the vocabulary's own terms first (so 限额以上住宿餐饮 is not 限额以上), then the twelve."""
    terms = _VOCABULARY.get()
    if terms is None:
        terms = _term_pairs(reference.vocabulary())
    return _vocabulary_patterns(terms) + _QUALIFICATION_PATTERNS + _fixed_alias_patterns(terms)


# a 的 between the negation and the name closes the negated phrase: "此前未获得过本区同类奖励的国家高新技术企业" is 国高
# 非 binds only to the word it touches: "非上市科技型中小企业" is a 科技型中小企业 that is not listed
_NEGATION_BEFORE = re.compile(
    r"(?:尚未|未|不属于|不是|没有|不得为|不含|不包括|排除|不再是)[^,，;；、。的]{0,14}$|非\s*\"?$"
)
# an exclusion after the name: "大型企业不在支持范围内", "…除外", "…不予支持"
_EXCLUDED_AFTER = re.compile(
    r"^[^,，;；。(]{0,6}?(?:除外|不在.{0,6}范围|不属于.{0,6}范围|不得申报|不得申请|不予支持|不予受理|不予资助|不适用)"
)
_NEGATION_AFTER = re.compile(_EXCLUDED_AFTER.pattern + r"|^(?:培育|后备|培育库|入库培育)")
# a requirement dropped ("不必已是国家高新技术企业", "无需已纳入规上统计", "不要求取得…"): the name is no row either way
_WAIVED_BEFORE = re.compile(
    r"(?:不必|不需|不需要|无需|无须|毋须|不要求|不强求|不强制要求|不一定|不论是否|无论是否)[^,，;；。]{0,8}$"
)
_ALL_MARKERS = re.compile(r"同时|均(?!可)|并且|既|以及.{0,10}均(?!可)|两项资质|双资质")
_ANY_MARKERS = re.compile(r"或|任一|其中一")
# "X的Y企业" / "X且为Y": two names joined like this describe one firm holding both
_BOTH_JOIN = re.compile(
    r"(?:资格|资质|称号|认定|证书|荣誉)?的|[、,，]?(?:且|并且|并|同时)(?:为|是|属于|被认定为|获评|获得|具有|持有)?"
)

# An enumeration of classes ("中型、小型或微型企业") names exactly the classes it lists (empty tuple: read them).
_SIZE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    # "大中小企业均可", "各类规模企业", "不限规模": every size, read so as to be dropped (no condition)
    (
        re.compile(
            r"大中小微?(?:型)?(?:企业)?|(?:各类|各种|不同|任何)规模|不限规模|规模不限|不分规模|不论规模"
        ),
        ("大型", "中型", "小型", "微型"),
    ),
    (re.compile(r"(?:[大中小微]型(?:企业)?(?:、|，|和|或者|或|及|以及|与)){1,3}[大中小微]型企业"), ()),
    (re.compile(r"大中型企业|大型、中型企业|大型和中型企业|大型或中型企业"), ("大型", "中型")),
    (
        re.compile(r"中小微(?:型)?企业|中小型?企业|中小微"),
        ("中型", "小型", "微型"),
    ),
    (re.compile(r"小微(?:型)?企业|小型、微型企业|小型和微型企业|小型或微型企业|小微"), ("小型", "微型")),
    (re.compile(r"大型企业|大型"), ("大型",)),
    (re.compile(r"中型企业"), ("中型",)),
    (re.compile(r"小型企业"), ("小型",)),
    (re.compile(r"微型企业"), ("微型",)),
)
# 中小企业服务局, 中小企业公共服务平台, 全国中小企业股份转让系统 … name organisations, not a size
_SIZE_NOT_AFTER = re.compile(
    r"^(?:服务|公共|主管|博览|股份|发展|局|平台|划型|梯度|促进|政策|融资|数字化|信用|工作|管理|司|处|办|"
    r"(?:创新|创业|科技|成长){0,3}(?:大赛|竞赛|比赛|论坛|峰会|展会|活动周|服务月))"  # "创客"中小企业创新大赛 is a contest
)
# whom another actor serves, helps or works with, or an encouragement: "为中小企业提供服务的机构", "服务中小企业",
# "带动中小企业", "鼓励大型企业开放应用场景"
_SIZE_OBJECT_BEFORE = re.compile(
    r"(?:服务于?|带动|帮助|赋能|辐射|惠及|助力|对接|扶助)\s*$|^[^,，;；。]{0,4}(?:鼓励|引导|推动|倡导|支持引导)[^,，;；。]{0,6}$"
)
# a sentence that encourages ("鼓励大型企业开放应用场景，与中小企业开展协同创新") names no applicant
_ENCOURAGES = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百\d]+条\s*)?(?:【[^】]{0,12}】)?\s*(?:同时|积极|大力|进一步)?(?:鼓励|引导|倡导)"
)
_SIZE_SERVED = (re.compile(r"(?:为|向)\s*$"), re.compile(r"^\s*(?:提供|开展|做好|搭建|解决|对接)"))
# users of a service, not applicants: "中小企业、民营企业可通过平台免费享受服务"
_SIZE_USERS_AFTER = re.compile(
    r"^[^,，;；。]{0,16}?(?:免费(?:享受|使用|获得|接受)|可通过[^,，;；。]{0,10}?(?:享受|获得|使用|接受))"
)
_SIZE_NEGATION_BEFORE = re.compile(
    r"(?:不属于|不是|不含|不包括|排除|(?:不得|不能|不可|不应)(?:为|是))[^,，;；。]{0,6}$|非$"
)

# credit_ok: a good record, or the absence (无/未发生/不存在…) of 失信 or a serious violation
_CREDIT = re.compile(
    r"信用(?:状况|记录|情况)?良好|(?:未|没有|无|不)(?:被)?[^,，;；。]{0,12}?(?:列入|纳入|列为|存在|属于)[^,，;；。]{0,16}(?:失信|黑名单|经营异常|违法)|"
    r"(?:未|不)处于[^,，;；。]{0,10}(?:惩戒|失信)|"
    r"(?:不得|不能|不应)(?:有|存在|发生)[^,，;；。]{0,8}?(?:失信|违法|违规)(?:行为|记录|情形)?|"
    r"(?:无|没有|未发生|未出现|未有|不存在)(?:过)?(?:任何)?(?:重大|严重|不良)?(?:的)?(?:信用不良|信用|失信|违法|违规|违法违规|违法失信)(?:行为|记录|情形|情况|问题)|"
    r"(?:无|没有|未发生|未出现|不存在)(?:重大|严重)[^,，;；。]{0,8}(?:违法|违规|失信)(?:行为|记录|情形)?|非失信|守信|信用承诺|"
    r"(?:无|没有|未发生|未出现|不存在)[^,，;；。]{0,12}(?:认定|列为)的?(?:重大|严重)(?:违法|违规|失信)|"
    # "无偷税漏税等违法行为": the record credit_ok sums up (an accident is none: read with _without_accidents)
    r"(?:无|没有|未发生|未出现|不存在)(?:过)?[^,，;；。]{0,4}?(?:偷税漏税|偷逃税|逃税|骗税|欠税)"
)

# in an exclusion ("被列入严重失信主体名单的企业不予受理") the bad record shuts the firm out: credit_ok is required
_BAD_CREDIT = re.compile(
    r"(?<![未没无不])(?:被)?(?:列入|纳入|列为|认定为)[^,，;；。]{0,16}(?:失信|黑名单|经营异常)|"
    r"(?<![未没无不])(?:存在|有|发生(?:过)?)[^,，;；。未没无不]{0,8}?(?:失信|违法违规|违法)(?:行为|记录|情形)?|欠缴税款|纳税信用(?:等级|评级|级别)?(?:为|被评为|评定为)?D级|"
    r"(?<![未没无不])(?:有|存在)?偷税漏税"
)
# the portal's own records: "此前未获得过本区同类奖励" / "近两年内未获得本项资助" speak of this policy's group ("@own");
# "…的，不再享受本项奖励" is the consequence of an exclusion, not a prior award
_PRIOR_AWARD = re.compile(
    r"(?:(?P<neg>未|没有|尚未|从未)(?:曾)?)?(?<!不再)(?:获得|享受|获|领取|取得)(?:过)?(?:[\u4e00-\u9fff]{1,5}?区同类|本区|区级|本项|该项|同类|本)"
    r"[^,，;；。]{0,10}?(?:奖励|资助|补贴|扶持|支持|奖补|补助)"
)
# "近三年未获得过…" / "三年内…" / "自2022年起…": how far back a prior award counts (the row's within_years)
# "同一企业同一事项只兑付一次": the firm may have this policy's support once (the own group, no window)
_ONCE_ONLY = re.compile(
    r"同一(?:企业|申报主体|申报单位|单位|主体)[^,，;；。]{0,8}?(?:只|仅|限)(?:能|可)?(?:兑付|享受|支持|奖励|资助|补贴|申报|申请|兑现|给予)一次"
)
_CN_COUNT = r"\d+|[一二两三四五六七八九十]+"
_AWARD_WINDOW = re.compile(
    rf"(?:(?:近|最近|过去|前)\s*(?P<near>{_CN_COUNT})\s*(?:个)?(?:年|年度|周年)|(?P<within>{_CN_COUNT})\s*(?:个)?(?:年|年度)(?=内|以内|之内)|"
    r"(?:自|从)?\s*(?P<year>\d{4})\s*年(?:度)?(?:\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?)?(?=\s*(?:起|以来|至今)))"
    r"\s*(?:内|以内|之内|以来|来|起|至今)?\s*[,，]?\s*(?:企业|申报单位|申报企业|申请人)?\s*(?:均|都)?\s*(?:从|曾经|曾|已经|已)?\s*$"
)


def _award_window(before: str) -> tuple[int | float | None, str]:
    """(within_years, note) of the window written just before a prior award; (None, "") when there is none."""
    m = _AWARD_WINDOW.search(before)
    if not m:
        return None, ""
    count = m.group("near") or m.group("within")
    if count:
        years = int(count) if count.isdigit() else int(cn_number(count))
        return (years, "") if 0 < years <= 100 else (None, "")
    try:
        start = date(int(m.group("year")), int(m.group("month") or 1), int(m.group("day") or 1))
    except ValueError:
        return None, ""
    today = timeutil.today()
    if start >= today:
        return None, ""
    # a start date is a window that grows: counted from today, rounded up so no award since the start is missed
    years = math.ceil(reference.years_since(start, today) * 100) / 100
    if not 0 < years <= 100:
        return None, ""
    said = re.sub(
        r"[\s,，]*(?:企业|申报单位|申报企业|申请人)?(?:均|都)?(?:从|曾经|曾|已经|已)?$",
        "",
        m.group(0).strip(),
    )
    return years, f"“{said}”已按今天（{today.isoformat()}）折算为近{years}年，日后需更新"


# "首次上规模" / "首次纳入规上统计": above the 规上 line this year, below it the year before (工业: 2000万元)
_FIRST_ABOVE_SCALE = re.compile(r"首次(?:纳入|进入|列入|达到)?(?:规上|规模以上|上规)")
_SCALE_LINE_WAN = 2000

# ---------------------------------------------------------------------------------------------------------------
# Industries


# Common policy words → GB/T 4754-2017 prefixes (section letter included). The official names are added from the
# standard itself (see _industry_words); this table adds what policies say that the standard does not.
@cache
def industry_words() -> dict[str, tuple[str, ...]]:
    """Common policy words → GB/T 4754-2017 prefixes (portal/data/industry_words.json), read once."""
    return {word: tuple(prefixes) for word, prefixes in reference.data_json("industry_words.json").items()}


_INDUSTRY_CUE = re.compile(r"(?<![银])行业|产业|领域|从事|主营|分类|代码|赛道")
_INDUSTRY_AFTER = re.compile(r"^(?:[、和及与或]|以及)?[^,，;；。]{0,8}?(?:企业|公司|行业|产业|领域|类)")
# "C38/C39" lists two codes; "GB/T4754" is no code
_INDUSTRY_CODE = re.compile(r"(?:(?<![A-Za-z0-9/])|(?<=\d/))([A-T])(\d{4}|\d{3}|\d{2})(?!\d)")
_SECTION_CODE = re.compile(
    r"门类(?:代码)?(?:为|是)?\s*([A-T])(?![A-Za-z0-9])|(?:行业|代码)[为是:：]?\s*([A-T])(?![A-Za-z0-9])|"
    r"(?<![A-Za-z0-9])([A-T])\s*门类"
)


_SECTION_LIST = re.compile(r"(?<![A-Za-z0-9])([A-T](?:\s*[、和及与或]\s*[A-T])+)\s*(?:两个|三个|四个)?门类")
_CODE_RANGE = re.compile(
    r"(?<![A-Za-z0-9/])([A-T])(\d{2,4})\s*(?:至|到|-|~|～|—|－)\s*(?:[A-T])?(\d{2,4})(?!\d)"
)


@cache
def _industry_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return (word, prefixes) pairs from GB/T 4754-2017 names and industry_words(), longest word first."""
    names: dict[str, str] = {}
    for cls in reference.industry_classes():
        for node in reference.industry_chain(cls.code):
            names[node.code] = node.name
    words: dict[str, set[str]] = {}
    derived: dict[str, set[str]] = {}
    goods: dict[str, set[str]] = {}  # a listed goods with its trade word, where no class is named so
    for code, official in names.items():
        # "广播电视电影和录音制作业": policies often write a listed name without its 、
        for name in {official, official.replace("、", "")}:
            words.setdefault(name, set()).add(code)
            if "其他" in name or "未列明" in name:
                continue
            for suffix in ("制造业", "制造", "服务业", "服务", "业"):
                if name.endswith(suffix) and len(name) - len(suffix) >= 3:
                    derived.setdefault(name[: -len(suffix)], set()).add(code)
        # "首饰、工艺品及收藏品批发": each listed goods with the trade word is the class (首饰批发 → F5146)
        listed = re.fullmatch(r"([^其]+[、及][^其]+?)(批发|零售|制造)", official)
        if listed:
            for item in re.split(r"、|及", listed.group(1)):
                if len(item) >= 2:
                    goods.setdefault(item + listed.group(2), set()).add(code)
    for word, codes in derived.items():
        words.setdefault(word, set()).update(codes)
    for word, codes in goods.items():
        if word not in words:
            words[word] = codes
    table: dict[str, tuple[str, ...]] = {}
    for word, codes in words.items():
        # keep the broadest code when a name repeats down the tree (电池制造 C384 / …), drop true ambiguities
        top = sorted(codes, key=len)
        if all(c.startswith(top[0]) for c in top):
            table[word] = (top[0],)
    table.update(industry_words())
    return tuple(sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True))


@cache
def _industry_regex() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w, _ in _industry_words()))


def _classes_under(prefix: str) -> list[str]:
    return [c.code for c in reference.industry_classes() if c.code.startswith(prefix)]


def _valid_prefix(code: str) -> bool:
    return reference.industry(code) is not None


# ---------------------------------------------------------------------------------------------------------------
# The reading


@dataclass(frozen=True)
class Evidence:
    """One proposed condition, the sentence it was read from, where that sentence sits and how sure the reader is."""

    condition: dict[str, Any]
    source: str
    start: int = -1  # offsets of the source in the policy text (after full-width folding, same length)
    end: int = -1
    confidence: float = 0.9
    role: str = "requirement"  # requirement | exclusion | alternative | tier


@dataclass(frozen=True)
class Reading:
    """What the reader proposes for one policy text."""

    conditions: dict[str, list[dict[str, Any]]]
    targets: dict[str, list[str]]
    support: dict[str, Any] | None
    instant: bool
    evidence: tuple[Evidence, ...] = ()
    unread: tuple[str, ...] = field(default=())  # eligibility sentences with nothing machine-checkable
    # the whole proposal as a condition tree (all/any/not groups of the shared contract); `conditions` is this tree
    # when portal.conditions accepts it, else its plain rows
    tree: dict[str, Any] = field(default_factory=lambda: {"all": []})
    # 未能识别的条件: (text, start, end, why) for sentences read as nothing and rows dropped as contradictory
    unread_spans: tuple[tuple[str, int, int, str], ...] = ()


@dataclass
class _Found:
    condition: dict[str, Any]
    source: str
    start: int = -1
    end: int = -1
    confidence: float = 0.9
    role: str = "requirement"
    note: str = ""  # what the official should check in the row (reported with the 未能识别 spans)


def _cond(field_name: str, op: str, value: Any) -> dict[str, Any]:
    return {"field": field_name, "op": op, "value": value}


def _number(value: Decimal) -> int | float:
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(format(value, "f"))


def _scaled(number: str, mult: str | None, unit: str) -> tuple[str, Decimal] | None:
    value = Decimal(number) * _MULT.get(mult, 1)
    if unit == "元":
        return "money", value / 10000
    if unit in ("人", "名"):
        return "people", value
    if unit in ("年", "周年"):
        return "years", value
    if unit == "%":
        return "percent", value / 100
    if unit == "‰":
        return "percent", value / 1000
    if unit == "个百分点":
        return "percent", value / 100
    return None


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = "□"
    return "".join(chars)


# "注册登记满2年": a registration followed by an age is the founding age (注册登记 alone names a place)
_AGE_TERM = re.compile(
    r"(?:注册|成立|设立)(?:登记)?(?:时间)?(?=(?:已|须|应)?(?:满|不满|未满|超过|不超过)\s*\d)"
)


_ELIDED_RATIO = re.compile(
    r"(?:且|并且|并|同时|,|，|、)\s*(?:其)?(占(?:同期|当年|上年度)?(?:营业收入|销售收入|主营业务收入|营收)(?:总额)?的?(?:比重|比例|比率))"
)
# "研发费用不低于营业收入的4%": a share of revenue said as the revenue word, 的 and a percentage
_SHARE_OF_REVENUE = re.compile(r"(?:营业收入|销售收入|主营业务收入|营收)(?:总额)?的(?=\s*\d+(?:\.\d+)?\s*%)")
_ELIDED_GROWTH = re.compile(
    r"(?:且|并且|并|同时|,|，|、)\s*(?:其)?(?:同比|比上年|较上年|较上一年度|比上一年度|与上年相比)?\s*(增长率|增长|增速|增幅)"
    r"(?=\s*(?:" + _PRE_OP_RE.pattern + r")?\s*\d)"
)


def _share_of_revenue(clause: str, found: list[tuple[int, int, str | None]]) -> list[tuple[int, int]]:
    """ "研发费用不低于营业收入的4%": add the R&D word as the ratio's term; return the revenue words to hide."""
    hidden = []
    for m in _SHARE_OF_REVENUE.finditer(clause):
        if any(a <= m.start() < b for a, b, _ in found):
            continue
        head = re.split(r"[;；。]", clause[: m.start()])[-1]
        offset = m.start() - len(head)
        figures = [t for t in _TERMS.finditer(head) if _FIELD_OF_TERM.get(t.group(0))]
        if not figures or _FIELD_OF_TERM[figures[-1].group(0)] != "rd_expense_wan":
            continue
        between = head[figures[-1].end() :]
        if re.fullmatch(
            r"(?:支出|总额)?(?:是否|须|应|要|应当)?(?:不低于|不少于|达到|高于|超过|占)\s*(?:同期|当年|上年度)?",
            between,
        ):
            # the R&D word is the subject: its figure is a share of revenue, read with the words between
            start = offset + figures[-1].start()
            found.append((start, offset + figures[-1].end(), "rd_ratio"))
            hidden.append((m.start(), m.end()))
        elif re.search(
            r"\d[^,，]*[,，]?\s*(?:且|并且|并|同时)?\s*(?:不低于|不少于|达到|高于)\s*(?:同期|当年)?$", between
        ):
            # "研发投入不低于500万元，且不低于主营业务收入的3%": the share said after the R&D figure, subject left out
            found.append((m.start(), m.end(), "rd_ratio"))
    return hidden


def _terms(clause: str) -> list[tuple[int, int, str | None]]:
    """Return (start, end, field or None for a blocker) for every term in the clause, in order."""
    found = [(m.start(), m.end(), "rd_ratio") for m in _RATIO_TERM.finditer(clause)]
    for m in _ELIDED_RATIO.finditer(clause):
        # "研发投入不低于1000万元且占营业收入比重不低于5%": the share said after the R&D figure is its ratio
        figures = [t for t in _TERMS.finditer(clause[: m.start()]) if _FIELD_OF_TERM.get(t.group(0))]
        if figures and _FIELD_OF_TERM[figures[-1].group(0)] == "rd_expense_wan":
            found.append((m.start(1), m.end(1), "rd_ratio"))
    hidden = _share_of_revenue(clause, found)
    masked = _mask(clause, [(a, b) for a, b, _ in found] + hidden)
    found += [(m.start(), m.end(), "years_since_founded") for m in _AGE_TERM.finditer(masked)]
    if _GROWTH_TERM.search(clause) is None:
        # "营业收入1亿元以上且增长率不低于10%", "纳税总额500万元以上，同比增长15%以上": a growth said right after a
        # figure, its subject left out, is that figure's growth
        for m in _ELIDED_GROWTH.finditer(masked):
            figures = [t for t in _TERMS.finditer(masked[: m.start()]) if _FIELD_OF_TERM.get(t.group(0))]
            last = _FIELD_OF_TERM[figures[-1].group(0)] if figures else None
            if last in _GROWTH_OF and not re.search(r"[;；。]", masked[figures[-1].end() : m.start()]):
                found.append((m.start(1), m.end(1), _GROWTH_OF[last]))
    masked = _mask(clause, [(a, b) for a, b, _ in found] + hidden)
    found += [(m.start(), m.end(), "revenue_growth") for m in _GROWTH_TERM.finditer(masked)]
    masked = _mask(clause, [(a, b) for a, b, _ in found] + hidden)
    found += [(m.start(), m.end(), _FIELD_OF_TERM.get(m.group(0))) for m in _TERMS.finditer(masked)]
    return sorted(found)


def _op(pre: str, post: re.Match[str] | None, default: str | None) -> str | None:
    words = list(_PRE_OP_RE.finditer(pre[-10:]))
    op = _PRE_OPS[words[-1].group(0)] if words else None
    inclusive = None
    if post:
        if op is None and post.group(2):
            op = _POST_OPS[post.group(2)]
        flag = post.group(1) or post.group(3)
        if flag:
            inclusive = not flag.startswith("不")
    op = op or default
    if op and inclusive is False:
        op = _STRICT.get(op, op)
    elif op and inclusive is True:
        op = _LOOSE.get(op, op)
    return op


# "首次达到/突破/超过/迈上/进入…" the figure: 首次 is the figure's own (not "首次认定为国高且营业收入…")
_FIRST_CROSSING = re.compile(
    r"首次(?:实现|有)?[^,，;；且并及和、]{0,12}?(?:达到|达|突破|超过|超出|超|迈上|迈入|迈过|进入|跨越|跨入|站上|跻身|越过|破|过)"
)
_FIRST_LABELS = {
    "tax_paid_wan": "纳税总额",
    "employees": "从业人员",
    "rd_expense_wan": "研发费用",
    "assets_wan": "资产总额",
    "rd_ratio": "研发投入占比",
    "revenue_growth": "营业收入增长率",
    "years_since_founded": "成立年限",
}


# "由不足1亿元增长至1亿元以上", "从5000万元以下提升到5000万元以上": where the figure came from is the year before
_FROM_TO = re.compile(
    r"(?:由|从)\s*(?P<below>不足|低于|未达到|未满|少于)?\s*(?P<lo>\d+(?:\.\d+)?\s*(?:千万|百万|亿|万)?\s*元)\s*(?P<under>以下)?\s*"
    r"(?:的水平)?\s*(?:增长|提升|提高|跨越|跃升|增加|跨入|迈入|突破)(?:至|到|为)?\s*"
    r"(?P<hi>\d+(?:\.\d+)?\s*(?:千万|百万|亿|万)?\s*元)\s*(?P<over>以上|及以上)?"
)


def _from_to(m: re.Match[str]) -> str:
    """ "由不足X增长至Y以上" said as the reader's own words: "达到Y以上，前一年度不足X"."""
    below = m.group("below") or ""
    return (
        f"达到{m.group('hi')}{m.group('over') or ''},前一年度{below}{m.group('lo')}{m.group('under') or ''}"
    )


def _spoken_exceed(m: re.Match[str]) -> str:
    """ "过亿元" → "超过1亿元", "破亿" → "突破1亿元", "超5000万元" → "超过5000万元": the comparison said in one character."""
    word = "突破" if m.group(1) == "破" else "超过"
    return word + (f"1{m.group(2)}元" if m.group(2) else "")


# "营收过亿元", "超5000万元", "破千万": 过/超/破 before a figure (or before 亿/千万 standing for one of them)
_SPOKEN_EXCEED = re.compile(r"(?<![\d通经不未越超])(过|超|破)(?:(亿|千万|百万)元?(?![\d万])|(?=\s*\d))")


def _read_numbers(clause: str, source: str) -> list[_Found]:
    clause = _FROM_TO.sub(_from_to, clause)
    clause = _SPOKEN_EXCEED.sub(_spoken_exceed, clause)
    terms = _terms(clause)
    found: list[_Found] = []
    quantities: list[tuple[int, int, str, Decimal, str | None]] = []  # start, end, unit kind, value, fixed op
    taken: list[tuple[int, int]] = []
    for m in _RANGE.finditer(clause):
        unit_hi = m.group(7)
        unit_lo = m.group(3) or unit_hi
        lo, hi = (
            _scaled(m.group(1), m.group(2) or m.group(6), unit_lo),
            _scaled(m.group(5), m.group(6), unit_hi),
        )
        if m.group(2) is None and m.group(3) is None and m.group(6):
            lo = _scaled(m.group(1), m.group(6), unit_hi)
        if not lo or not hi or lo[0] != hi[0] or lo[1] >= hi[1]:
            continue
        if re.search(r"(?:和|与)", clause[m.start() : m.end()]) and not m.group(9):
            continue
        if lo[0] == "years" and lo[1] >= 1900:
            continue
        lo_op = "gt" if m.group(4) == "不含" else "gte"
        hi_op = "lt" if m.group(8) == "不含" else "lte"
        quantities += [
            (m.start(1), m.start(5), lo[0], lo[1], lo_op),
            (m.start(5), m.end(), hi[0], hi[1], hi_op),
        ]
        taken.append((m.start(), m.end()))
    for m in _QTY.finditer(clause):
        if any(a <= m.start() < b for a, b in taken) or m.group(3) == "人次":
            continue
        scaled = _scaled(m.group(1), m.group(2), m.group(3))
        if scaled is None:
            continue
        kind, value = scaled
        if kind == "years" and (value >= 1900 or re.match(r"度|月|底|末|前|后|以来|起", clause[m.end() :])):
            continue
        post = _POST_RE.match(clause, m.end())
        if re.match(r"\s*(?:\(含\))?\s*的?\s*部分", clause[post.end() if post else m.end() :]):
            continue  # "超过10亿元的部分按0.5%奖励": the base of the award, not a condition
        quantities.append((m.start(), post.end() if post else m.end(), kind, value, None))
    quantities.sort()
    previous_end = 0
    crossed: set[Decimal] = set()  # revenue lines this clause says are crossed for the first time
    stated: list[_Found] = []  # the year before's revenue bound, said outright
    for start, end, kind, value, fixed_op in quantities:
        before = [t for t in terms if t[1] <= start]
        term = before[-1] if before else None
        previous_end_for_pre = max(previous_end, term[1] if term else 0)
        # "首次实现上年度营业收入超过1亿元": the 首次 of this figure stands anywhere in its part of the clause
        cuts = [m.end() for m in re.finditer(r"[,，;；]", clause[: term[0] if term else start])]
        part = clause[max(previous_end, *cuts) if cuts else previous_end : start]
        previous_end = end
        if term is None or term[2] is None:
            continue
        field_name = term[2]
        if _UNIT_OF_FIELD[field_name] != kind:
            continue
        if kind == "years" and re.search(r"(?:近|最近|连续)\s*$", clause[max(0, start - 3) : start]):
            continue
        if kind == "years" and re.search(r"承诺|保证|确保", clause[: term[0]]):
            continue  # "应承诺在本市经营不少于5年" binds the future, the firm's age is not asked
        if fixed_op:
            op = fixed_op
        else:
            post = (
                _POST_RE.match(clause, _QTY.match(clause, start).end()) if _QTY.match(clause, start) else None
            )
            op = _op(clause[previous_end_for_pre:start], post, "gte")
        if op is None:
            continue
        first = op in ("gte", "gt") and _FIRST_CROSSING.search(part)
        if first and field_name != "revenue_wan":
            # only revenue has its previous year among the fields: this year's row stands, the rest is reported
            label = _FIRST_LABELS.get(field_name, field_name)
            note = f"“首次”达到：上一年度{label}无对应字段，只生成了本年度条件"
            found.append(_Found(_cond(field_name, op, _number(value)), source, note=note))
            continue
        latest = any(
            f.condition["field"] == "revenue_wan" and f.condition["op"] in ("gte", "gt") for f in found
        )
        if (
            field_name == "revenue_wan"
            and op in ("lt", "lte")
            and latest
            and _prior_year(part, clause, crossed, value)
        ):
            # "首次达到2000万元（前一年度不足2000万元）": the bound is the year before's, said outright
            stated.append(_Found(_cond("revenue_wan_prev", op, _number(value)), source))
            continue
        found.append(_Found(_cond(field_name, op, _number(value)), source))
        if first and field_name == "revenue_wan":
            crossed.add(value)
        if first:
            # "营业收入首次达到2000万元": the year before it was still below the line
            found.append(
                _Found(_cond("revenue_wan_prev", "lt" if op == "gte" else "lte", _number(value)), source)
            )
    if stated:
        said = {f.condition["value"]: f.condition["op"] for f in stated}
        found = [
            f
            for f in found
            if not (f.condition["field"] == "revenue_wan_prev" and f.condition["value"] in said)
        ] + stated
        for f in found:
            c = f.condition
            if c["field"] == "revenue_wan" and c["op"] in ("gte", "gt") and c["value"] in said:
                # "首次超过1亿元（前一年度不足1亿元）": the aside draws the line, this year is its other side
                c["op"] = "gte" if said[c["value"]] == "lt" else "gt"
    return found


# the year before the latest: "前一年度", "上上年度", "前年" (上年度 / 上一年度 are the latest year itself, and so is
# "申报前一年度"); asked only of a clause that also bounds the latest year from below
_PRIOR_YEAR_WORD = re.compile(
    r"(?<![报请定当目])(?:前一(?:个)?年度|前一年|前年度?)|上上(?:一|个)?年度?|此前一年"
)


def _prior_year(part: str, clause: str, crossed: set[Decimal], value: Decimal) -> bool:
    """Whether an upper bound on revenue, beside a lower bound on the latest year, is the year before's: named so,
    an earlier year than another the clause names ("2025年…达到1亿元，2024年低于1亿元"), or the line a first crossing
    of the clause crossed."""
    if value in crossed or _PRIOR_YEAR_WORD.search(part):
        return True
    years = [int(y) for y in re.findall(r"(20\d{2})\s*年", clause)]
    here = [int(y) for y in re.findall(r"(20\d{2})\s*年", part)]
    return bool(here) and len(set(years)) >= 2 and max(here) < max(years)


# One place phrase: kinds of place said of one district, joined by 和/及/且/并 (all of them) or 或 (any one), as nouns
# ("注册地和纳税地均在X", "税务关系或统计关系在本区") or as verbs after 在 ("在X注册并纳税", "在本区依法注册、纳税和实际经营")
_KIND_NOUN = (
    r"(?:工商)?注册(?:登记)?(?:地址|所在地|地)?|税务(?:登记|征管)?(?:关系)?(?:所在地|地)?|(?<!税务)登记(?:地址|地)?|"
    r"(?:实际|生产|主要)*经营(?:地址|场所|所在地|地)?|(?:主要)?办公(?:场所|地点|地址|地)|住所(?:地)?|"
    r"纳税(?:关系)?(?:所在地|地)?|税收(?:征管)?关系(?:所在地)?|征管关系|统计关系(?:所在地)?"
)
_KIND_SEP = r"\s*(?:、|以及|和|及|与|且|并|或者|或)\s*"
_PLACE_WORD = rf"(?:深圳市?)?(?:{_DISTRICT_NAME}|本区|我区)"
# "福田区或南山区": several districts for one kind of place (read as one "in" row by _read_places)
_PLACE_WORDS = rf"{_PLACE_WORD}(?:\s*(?:、|或者|或|和|及)\s*{_PLACE_WORD})*"
_PLACE_NOUNS = re.compile(
    rf"(?P<kinds>(?:{_KIND_NOUN})(?:{_KIND_SEP}(?:{_KIND_NOUN}))*)(?:\([^()]{{0,20}}\))?\s*\"?(?:三地|两地|二地)?(?:合一)?\"?"
    # "注册地 | 南山区" (a 项目 | 要求 table row), "注册地：南山区": the kind labels the district after it
    rf"\s*,?\s*(?:均|都|全部)?{_MUST}(?:均|都)?(?:在|位于|为|属于|设在|落在|[|:]\s*)(?P<place>{_PLACE_WORDS})"
)
_PLACE_VERB = (
    r"(?:(?:依法)?(?:注册登记|登记注册|工商注册|注册|登记|(?:开展)?(?:实际|正常)?(?:生产)?经营(?:活动)?"
    # "正常生产经营满1年" is a length of operation, not a place
    r"(?!\s*(?:已|已经)?(?:满|不满|未满|达到|超过|\d|时间|年限|期限))|纳税|缴税|缴纳税收)"
    r"|有(?:固定的?|实际的?)?(?:生产)?经营场所)"
)
_PLACE_VERBS = re.compile(
    rf"在(?P<place>{_PLACE_WORDS}){_ASIDE}(?:辖区|行政区域)?(?:内|范围内)?"
    # "在坪山区注册纳税": 纳税 may follow the other verb with no joiner
    rf"(?P<kinds>{_PLACE_VERB}(?:(?:{_KIND_SEP}|(?=纳税|缴税))(?:在{_PLACE_WORD})?{_PLACE_VERB})*)(?!范围|期限|时间)"
)
# "注册地不在本区" / "注册在区外" / "非本区注册": the firm is registered elsewhere (the other side of a 视同 or a 或)
_ELSEWHERE = re.compile(
    rf"(?:其)?(?:工商)?(?:注册|登记)(?:地|登记地|地址)?(?:不在{_PLACE_WORD}|在(?:{_PLACE_WORD})?(?:以外|之外|外)|在区外|在其他区|在外区)"
    r"|非(?:本区|我区)注册"
)
# "…的企业，视同本区企业": a firm placed so counts as one of the district's own (one registered there); so does
# "注册地不在本区的，其经营地和纳税地须在本区" (what a firm registered elsewhere must do instead)
# ("逾期视为放弃" is no such thing)
_DEEMED_TAIL = re.compile(
    r"(?:视同|视为|按照?)为?(?:本区|我区|本市|本地)(?:注册)?(?:企业|单位)|视同(?:在)?(?:本区|我区)(?:注册|登记)"
)
_DEEMED = re.compile(rf"{_DEEMED_TAIL.pattern}|(?:{_ELSEWHERE.pattern})的(?:企业|单位)?\s*,")


@dataclass(frozen=True)
class _PlacePhrase:
    """Kinds of place (a field each, None for 统计关系 which no field holds) said of one district."""

    start: int
    end: int
    rows: tuple[tuple[str | None, str | tuple[str, ...]], ...]  # (field, district or districts)
    joiner: str  # "all" (和/及/且/并, or a single kind), "any" (或), "mixed" (both: no reading)


def _place_value(named: str, region_district: str | None) -> str | tuple[str, ...] | None:
    """The district a place word names, or the districts of a list ("福田区或南山区"); None if one names none."""
    out: list[str] = []
    for name in re.split(r"\s*(?:、|或者|或|和|及)\s*", named):
        name = name.removeprefix("深圳市").removeprefix("深圳")
        district = region_district if name in ("本区", "我区") else _district(name)
        if not district:
            return None
        if district not in out:
            out.append(district)
    return out[0] if len(out) == 1 else tuple(out)


def _place_cond(kind: str, place: str | tuple[str, ...]) -> dict[str, Any]:
    """A place row: eq one district, in several."""
    return _cond(kind, "in", list(place)) if isinstance(place, tuple) else _cond(kind, "eq", place)


def _place_phrases(clause: str, region_district: str | None) -> list[_PlacePhrase]:
    """The place phrases of a clause in order, each with its kinds, district and how its kinds are joined."""
    found: list[_PlacePhrase] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_PLACE_NOUNS, _PLACE_VERBS):
        for m in pattern.finditer(clause):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            place = _place_value(m.group("place"), region_district)
            if not place:
                continue  # 本区 in a passage that names no district
            words = m.group("kinds")
            seps = [x.strip() for x in re.findall(_KIND_SEP, words)]
            # "注册地、经营地或纳税地": a list closed by 或 offers each; 和/及/且/并 beside a 或 says no grouping
            joined = {"any" if "或" in x else "list" if x == "、" else "all" for x in seps}
            if "any" in joined:
                joined.discard("list")
            elif joined == {"list"}:
                joined = {"all"}
            joined.discard("list")
            rows: list[tuple[str | None, str | tuple[str, ...]]] = []
            for word in re.split(_KIND_SEP, words):
                own = re.match(rf"在({_PLACE_WORD})", word)
                here = _place_value(own.group(1), region_district) if own else place
                if not here:
                    break
                kinds = _place_kinds(word) or ([None] if "统计" in word else [])
                rows += [(kind, here) for kind in kinds if (kind, here) not in rows]
            else:
                if rows:
                    joiner = "mixed" if len(joined) > 1 else joined.pop() if joined else "all"
                    found.append(_PlacePhrase(m.start(), m.end(), tuple(rows), joiner))
                    taken.append(m.span())
    return sorted(found, key=lambda p: p.start)


def _phrase_rows(phrase: _PlacePhrase, source: str) -> list[_Found]:
    return [_Found(_place_cond(kind, place), source) for kind, place in phrase.rows if kind]


# what is left of a clause once its places are read that says nothing more ("可以，但须…的企业")
_PLACE_LEFTOVER = re.compile(
    r"[□\s,，、;；。()\"]|的|企业|单位|申报主体|可以|但是|但|须|需|应当|应|必须|要求|且|并|其|均|都|即可|申报|申请"
)


@dataclass
class _PlaceAlternatives:
    """Place alternatives read from a clause: the branches, the spans they cover, the rows a 视同 widens."""

    branches: list[list[_Found]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    widened: list[dict[str, Any]] = field(default_factory=list)
    unreadable: bool = False  # an alternative was seen that no branch can state


def _place_alternatives(
    clause: str, source: str, region: str | None, elsewhere_asked: bool = False
) -> _PlaceAlternatives | None:
    """Places that are alternatives, None if the clause has none.

    "注册地或纳税地在本区" (any kind); "注册地和纳税地均在本区，或经营地在本区" (phrases joined by 或, a "注册地不在本区但"
    between them being implied); "注册地不在本区、但经营地和纳税地均在本区的企业，视同本区企业" (registered there, or
    placed so: the 视同 widens a registration said elsewhere in the passage). An alternative one side of which cannot be
    stated (统计关系, a place outside the region, a 研发总部) gives no branches: its places are covered, no row is read.
    An answer to "注册在外区的企业可以申报吗" (elsewhere_asked) says what such a firm must do instead, as a 视同 does."""
    phrases = _place_phrases(clause, region)
    for m in _BRANCH_PLACE.finditer(clause):
        # "或者在本区设立研发中心": a branch or site is where the firm operates
        place = region if m.group(1) in ("本区", "我区") else _district(m.group(1))
        if place and not any(p.start < m.end() and m.start() < p.end for p in phrases):
            phrases.append(_PlacePhrase(m.start(), m.end(), (("operating_district", place),), "all"))
    phrases.sort(key=lambda p: p.start)
    if not phrases:
        return None
    chains: list[list[_PlacePhrase]] = []
    for i, phrase in enumerate(phrases):
        between = clause[phrases[i - 1].end : phrase.start] if i else ""
        link = re.fullmatch(r"\s*,?\s*(?:或者|或)\s*(.*?)\s*", between)
        filler = link.group(1) if link else ""
        if link and (
            not filler or re.fullmatch(rf"(?:{_ELSEWHERE.pattern})\s*[,、]?\s*(?:但是|但|而)?", filler)
        ):
            chains[-1].append(phrase)
        else:
            chains.append([phrase])
    out = _PlaceAlternatives()
    deemed = elsewhere_asked or _DEEMED.search(clause)
    for chain in chains:
        # a 或 after the chain whose other side is no place phrase: an alternative the reader cannot state
        open_or = re.match(r"\s*(?:\([^()]{0,20}\))?\s*,?\s*(?:或者|或)(?![其是者])", clause[chain[-1].end :])
        if open_or:
            out.spans.append((chain[0].start, chain[-1].end))
            # the other side's own places ("或注册地在南山区、福田区但生产基地在本区") are no rows either
            other = chain[-1].end + open_or.end()
            stop = re.search(r"[,，;；。]", clause[other:])
            side = clause[other : other + stop.start() if stop else len(clause)]
            out.spans += [(other + m.start(), other + m.end()) for m in re.finditer(_PLACE_WORD, side)]
            out.unreadable = True
            continue
        if len(chain) == 1 and chain[0].joiner == "all":
            phrase = chain[0]
            kinds = {kind for kind, _ in phrase.rows}
            places = {place for _, place in phrase.rows}
            if deemed and "registered_district" not in kinds and None not in kinds and len(places) == 1:
                # 视同本区企业: registered there, or (instead) placed as the phrase says
                registered = _place_cond("registered_district", places.pop())
                out.branches = [[_Found(registered, source)], _phrase_rows(phrase, source)]
                out.widened.append(registered)
                elsewhere = [m.start() for m in _ELSEWHERE.finditer(clause[: phrase.start])]
                out.spans.append((min(elsewhere + [phrase.start]), phrase.end))
            continue  # one phrase of kinds all required: the plain reading
        out.spans.append((chain[0].start, chain[-1].end))
        if len(chain) == 1 and chain[0].joiner == "any":
            options = [
                [_Found(_place_cond(kind, place), source)] if kind else [] for kind, place in chain[0].rows
            ]
        elif len(chain) > 1 and all(p.joiner == "all" for p in chain):
            options = [_phrase_rows(p, source) if all(k for k, _ in p.rows) else [] for p in chain]
            # "在本区注册，或者在本区纳税且营业收入1亿元以上": what the last side adds with 且 is that side's own
            tail = re.match(r"\s*(?:且|并且|同时)([^,，;；。]+)", clause[chain[-1].end :])
            own = _read_clause(tail.group(1), source, region) if tail else []
            if own and options[-1] and all(f.condition.get("field") not in _PLACE_FIELDS for f in own):
                options[-1] += own
                out.spans.append((chain[-1].end, chain[-1].end + tail.end()))
        else:
            options = [[]]  # "注册地和纳税地或经营地": which kinds go together is not said
        if all(options) and not out.branches:
            out.branches = options
        else:
            out.unreadable = True
    return out if out.spans else None


def _read_places(
    clause: str, source: str, region_district: str | None
) -> tuple[list[_Found], list[tuple[int, int]]]:
    found: list[_Found] = []
    spans: list[tuple[int, int]] = []
    districts: list[str] = []
    branch_sites = [m for m in _BRANCH_PLACE.finditer(clause)]
    clause = _mask(clause, [m.span() for m in branch_sites])
    # kinds of place offered as alternatives are a group of their own (see _place_alternatives), never rows here
    phrases = _place_phrases(clause, region_district)
    clause = _mask(clause, [(p.start, p.end) for p in phrases if p.joiner != "all"])
    for pattern in _DISTRICT_PATTERNS:
        for m in pattern.finditer(clause):
            if "含" in clause[max(0, m.start() - 2) : m.start()]:
                continue  # "(含大鹏新区)" widens a city, it is no district of its own
            if pattern in _DISTRICT_PATTERNS[4:] and _TITLE_CONFERRED.search(clause[: m.start()]):
                continue  # "经认定为福田区总部企业": the district confers the title, it says not where the firm is
            for name in re.findall(_DISTRICT_NAME, m.group(1)):
                name = _district(name)
                if name and name not in districts:
                    districts.append(name)
            spans.append(m.span(1))  # only the place: "宝安区的小微企业" still names a size
    if not districts and region_district and _LOCAL_DISTRICT.search(clause):
        districts.append(region_district)
    extra: dict[str, str] = {}
    for m in branch_sites:
        place = region_district if m.group(1) in ("本区", "我区") else _district(m.group(1))
        if place:
            extra.setdefault("operating_district", place)
            spans.append(m.span(1))
    for m in _OPERATE_AND_TAX.finditer(clause):
        place = region_district if m.group(1) in ("本区", "我区") else _district(m.group(1))
        if place:
            extra.setdefault("tax_district", place)
    for m in _TAX_PLACE.finditer(clause):
        place = region_district if m.group(1) in ("本区", "我区") else _district(m.group(1))
        if place:
            extra.setdefault("tax_district", place)
            spans.append(m.span(1))
    for m in _NOT_REGISTERED.finditer(clause):
        place = region_district if m.group(1) in ("本区", "我区") else _district(m.group(1))
        if re.search(r"(?:迁入前|迁出前|原|此前|之前|以前)$", clause[: m.start()]):
            continue  # where the firm was before it moved in is history, not a condition
        if place:
            found.append(_Found(_cond("registered_district", "ne", place), source))
            spans.append(m.span(1))
            districts = [d for d in districts if d != place]
    for m in _ALSO_PLACE.finditer(clause):
        place = region_district if m.group(1) in ("本区", "我区") else _district(m.group(1))
        if place:
            extra.setdefault("operating_district" if m.group(2) == "经营" else "tax_district", place)
    for m in _PLACE_LIST.finditer(clause):
        place = region_district if m.group(2) in ("本区", "我区") else _district(m.group(2))
        if place:
            for kind in _place_kinds(m.group(1)):
                extra.setdefault(kind, place)
            spans.append(m.span(2))
    for m in _OPERATING.finditer(clause):
        place = region_district if m.group(1) in ("本区", "我区") else _district(m.group(1))
        if place:
            extra.setdefault("operating_district", place)
            spans.append(m.span(1))
    for phrase in phrases:
        # "注册地且纳税地在本区", "在本区依法注册、纳税和实际经营": every kind the phrase lists
        for kind, place in phrase.rows if phrase.joiner == "all" else ():
            if kind and isinstance(place, str):  # a list of districts is read by the patterns above
                extra.setdefault(kind, place)
    listed = [m.span() for m in _PLACE_LIST.finditer(clause)]
    for m in _PLACE_UNITY.finditer(clause):
        if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in listed):
            continue  # "…三地合一，均在宝安区" names its district
        kinds = _place_kinds(m.group(1)) if m.group(1) else []
        if not kinds and m.group(2) == "三地":
            kinds = ["registered_district", "operating_district", "tax_district"]
        # the one district the clause names is the place; else the passage's (resolved once all is read)
        place = districts[0] if len(districts) == 1 else _UNITY_PLACE
        for kind in kinds:
            extra.setdefault(kind, place)
    if "registered_district" in extra and not districts:
        districts.append(extra["registered_district"])
    # a place named only as where the firm operates or pays tax says nothing of where it is registered
    if (
        districts
        and extra
        and "registered_district" not in extra
        and not any(p.search(clause) for p in _DISTRICT_PATTERNS[:3])
    ):
        districts = []
    for kind in ("tax_district", "operating_district"):
        if kind in extra:
            found.append(_Found(_cond(kind, "eq", extra[kind]), source))
    if districts:
        found.append(
            _Found(
                _cond("registered_district", "eq", districts[0])
                if len(districts) == 1
                else _cond("registered_district", "in", districts),
                source,
            )
        )
    elif any(p.search(clause) for p in _CITY_PATTERNS):
        found.append(_Found(_cond("registered_district", "in", list(SHENZHEN_DISTRICTS)), source))
    streets: list[str] = []
    for m in _streets()[0].finditer(clause):
        if m.group(1) not in streets:
            streets.append(m.group(1))
        spans.append(m.span())
    if streets:
        found.append(
            _Found(
                _cond("street", "eq", streets[0]) if len(streets) == 1 else _cond("street", "in", streets),
                source,
            )
        )
    return found, spans


def _place_gaps(clause: str) -> list[str]:
    """Why a place sentence is read only in part: 统计关系 has no field, a bare 两地合一 names no kinds."""
    why = []
    lists = (
        [m.group(1) for m in _PLACE_LIST.finditer(clause)]
        + [m.group(1) or "" for m in _PLACE_UNITY.finditer(clause)]
        + [m.group("kinds") for m in _PLACE_NOUNS.finditer(clause)]
    )
    if any("统计" in words for words in lists):
        why.append("统计关系所在地无对应字段，未生成条件")
    if any(not m.group(1) and m.group(2) != "三地" for m in _PLACE_UNITY.finditer(clause)):
        why.append("“两地合一”未指明是哪两地，未生成条件")
    return why


# names joined into one list by a connector: "…“小巨人”企业或制造业单项冠军企业", "上市的企业和国家高新技术企业"
_LIST_JOIN = re.compile(
    r"(?:的)?(?:企业|单位|称号|资格|资质)?\s*(?:或者|或|、|和|及|以及|与)\s*[^,，;；。的]{0,6}"
)


def _negation_scope(clause: str, hits: list[tuple[int, int, bool, tuple[str, ...]]]) -> list:
    """Carry a negation over the names it lists: "未获得A或B称号的C" is neither A nor B; "A和B除外" excludes both."""
    hits = list(hits)
    carried = False  # the previous name is negated by a 未/非 before it, or by one carried over to it
    for i in range(1, len(hits)):  # 未/非 before the first name reaches the names listed after it
        prev, cur = hits[i - 1], hits[i]
        led = carried or bool(_NEGATION_BEFORE.search(clause[max(0, prev[0] - 16) : prev[0]]))
        carried = False
        if prev[2] and led and not cur[2] and _LIST_JOIN.fullmatch(clause[prev[1] : cur[0]]):
            hits[i] = (cur[0], cur[1], True, cur[3])
            carried = True
    for i in range(len(hits) - 2, -1, -1):  # 除外 / 不予支持 after the last name reaches the names before it
        cur, nxt = hits[i], hits[i + 1]
        after = clause[nxt[1] : nxt[1] + 10]
        if (
            nxt[2]
            and not cur[2]
            and _EXCLUDED_AFTER.match(after)
            and _LIST_JOIN.fullmatch(clause[cur[1] : nxt[0]])
        ):
            hits[i] = (cur[0], cur[1], True, cur[3])
    return hits


def _read_qualifications(clause: str, source: str) -> tuple[list[_Found], list[tuple[int, int]]]:
    hits: list[tuple[int, int, bool, tuple[str, ...]]] = []  # start, end, negated, names
    spans: list[tuple[int, int]] = []
    text = clause
    for pattern, names in _qualification_patterns():
        for m in pattern.finditer(text):
            spans.append(m.span())
            before, after = text[max(0, m.start() - 16) : m.start()], text[m.end() : m.end() + 10]
            if _AIM_BEFORE.search(before) and not _NEGATION_BEFORE.search(before):
                continue  # the title a firm is encouraged to seek is a purpose, not a requirement
            if _WAIVED_BEFORE.search(before):
                continue  # a title the text says is not needed is neither required nor shut out
            if _OTHER_FIRM_BEFORE.search(before) or _FIRM_COUNT_AFTER.match(after):
                continue  # the title of a parent, a tenant or a counted firm is not the applicant's
            wide = text[max(0, m.start() - 24) : m.start()]
            if names[0] in _CARRIERS and (_IN_CARRIER_BEFORE.search(wide) or _IN_CARRIER_AFTER.match(after)):
                continue  # a firm housed in an incubator is not the incubator
            if re.match(r"^(?:培育|后备|培育库|入库培育)", after) or re.search(r"拟[在于赴]?$", before):
                # 高新技术企业培育库 / 拟上市 / 上市后备: not holding it yet; only "not listed" is a condition
                if names == ("上市企业",):
                    hits.append((m.start(), m.end(), True, names))
            else:
                negated = bool(_NEGATION_BEFORE.search(before) or _NEGATION_AFTER.match(after))
                hits.append((m.start(), m.end(), negated, names))
        text = _mask(text, spans)
    hits.sort()
    hits = _negation_scope(clause, hits)
    positive: list[str] = []
    negative: list[str] = []
    for _, _, negated, names in hits:
        bucket = negative if negated else positive
        bucket.extend(n for n in names if n not in bucket)
    held = [h for h in hits if not h[2]]
    gaps = [clause[a[1] : b[0]].strip() for a, b in zip(held, held[1:], strict=False)]
    either = "之一" in clause or any(_ANY_MARKERS.search(g) for g in gaps)
    # "规上工业瞪羚企业": two names run together with nothing between describe one firm holding both
    both = any(_BOTH_JOIN.fullmatch(g) or not g for g in gaps) or _ALL_MARKERS.search(clause)
    found = []
    joints = [i for i, g in enumerate(gaps) if _AND_GAP.fullmatch(g)]
    if joints and any(_ANY_MARKERS.search(g) for g in gaps) and not negative:
        # "A或B，且属于C": the and-joints cut the names into groups, each group one of its names
        cuts = [0, *(i + 1 for i in joints), len(held)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            names: list[str] = []
            for h in held[a:b]:
                names.extend(n for n in h[3] if n not in names)
            found.append(_Found(_cond("qualifications", "contains_any", names), source))
        return found, spans
    if positive:
        op = "contains_all" if len(positive) > 1 and both and not either else "contains_any"
        if op == "contains_all" and _LITTLE_GIANT in positive and "专精特新中小企业" in positive:
            op = "contains_any"  # the generic 专精特新企业 names either tier
        if op == "contains_all" and gaps and not any(gaps) and not _ALL_MARKERS.search(clause):
            # "规上工业瞪羚企业": each run-together name is a requirement of its own
            found += [_Found(_cond("qualifications", "contains_any", [n]), source) for n in positive]
        elif op == "contains_all" and any(len(h[3]) > 1 for h in held):
            # "纳入'四上'企业名录且为国高": a name standing for alternatives (四上's five classes) is one
            # requirement, the other name another
            for h in held:
                if not any(f.condition["value"] == list(h[3]) for f in found):
                    found.append(_Found(_cond("qualifications", "contains_any", list(h[3])), source))
        else:
            found.append(_Found(_cond("qualifications", op, positive), source))
    if negative:
        found.append(_Found(_cond("qualifications", "not_contains_any", negative), source))
    return found, spans


def _read_size(clause: str, source: str) -> list[_Found]:
    positive: list[str] = []
    negative: list[str] = []
    spans: list[tuple[int, int]] = []
    text = clause
    for pattern, classes in _SIZE_PATTERNS:
        for m in pattern.finditer(text):
            if _SIZE_NOT_AFTER.match(text[m.end() :]):
                continue
            spans.append(m.span())
            piece = re.split(r"[,，;；。:：]", text[: m.start()])[-1]
            if (
                _ENCOURAGES.match(text)
                or _SIZE_OBJECT_BEFORE.search(piece)
                or (_SIZE_SERVED[0].search(piece) and _SIZE_SERVED[1].match(text[m.end() :]))
                or _SIZE_USERS_AFTER.match(text[m.end() :])
            ):
                continue  # a size named as whom the applicant serves or works with: no condition on the applicant
            before, after = text[max(0, m.start() - 8) : m.start()], text[m.end() : m.end() + 14]
            negated = _SIZE_NEGATION_BEFORE.search(before) or _EXCLUDED_AFTER.match(after)
            bucket = negative if negated else positive
            named = classes or tuple(re.findall(r"[大中小微]型", m.group()))
            bucket.extend(c for c in named if c not in bucket)
        text = _mask(text, spans)
    found = []
    order = ["大型", "中型", "小型", "微型"]
    # "限中小企业, 大型企业不在支持范围内": an exclusion removes classes; beside a positive list it says nothing more
    positive = [c for c in positive if c not in negative]
    if len(positive) == 4:
        positive = []  # "大型企业、中小微企业均可申报": every size admitted is no condition
    if positive:
        negative = []
        positive.sort(key=order.index)
        found.append(
            _Found(
                _cond("size_class", "eq", positive[0])
                if len(positive) == 1
                else _cond("size_class", "in", positive),
                source,
            )
        )
    if negative:
        negative.sort(key=order.index)
        found.append(
            _Found(
                _cond("size_class", "ne", negative[0])
                if len(negative) == 1
                else _cond("size_class", "not_in", negative),
                source,
            )
        )
    return found


def _listed_with_an_industry(after: str) -> bool:
    """Whether the text after a word lists an industry named as such next: "…或住宿业", "、批发业"."""
    joint = re.match(r"(?:、|和|及|与|或者|或|以及)", after)
    if not joint:
        return False
    nxt = _industry_regex().match(after, joint.end())
    if not nxt:
        return False
    # "新闻和出版、广播电视电影和录音制作、文化艺术业企业": the list goes on to an industry named as such
    return (
        nxt.group(0).endswith("业")
        or after[nxt.end() : nxt.end() + 1] == "业"
        or _listed_with_an_industry(after[nxt.end() :])
    )


_LIST_JOINER = re.compile(r"以及|[、及和与或]")
_SEGMENT_END = re.compile(r"[,，;；。:：]")


def _uncoded_listed_industries(clause: str, code_starts: list[int]) -> list[tuple[int, tuple[str, ...]]]:
    """Industry words listed (、/及/或) beside coded industries whose own list item carries no code."""
    words = dict(_industry_words())
    matches = list(_industry_regex().finditer(clause))
    inside = {i for m in matches for i in range(m.start(), m.end())}
    joiners = [j.start() for j in _LIST_JOINER.finditer(clause) if j.start() not in inside]
    ends = [e.start() for e in _SEGMENT_END.finditer(clause)]
    found = []
    for m in matches:
        # the word's list item: from the joiner or stop before it to the joiner or stop after it
        left_j = max([j for j in joiners if j < m.start()], default=-1)
        left_e = max([e for e in ends if e < m.start()], default=-1)
        right_j = min([j for j in joiners if j >= m.end()], default=len(clause))
        right_e = min([e for e in ends if e >= m.end()], default=len(clause))
        start, end = max(left_j, left_e), min(right_j, right_e)
        if any(start < c < end for c in code_starts):
            continue  # the word names the code beside it ("制造业（C门类）", "C27医药制造业")
        joined = (left_j > left_e and any(left_e < c < left_j for c in code_starts)) or (
            right_j < right_e and any(right_j < c < right_e for c in code_starts)
        )
        named = m.group(0).endswith("业") or re.match(r"(?:企业|公司|行业|产业|业|类)", clause[m.end() :])
        if joined and named:
            found.append((m.start(), words[m.group(0)]))
    return found


def _read_industry(clause: str, source: str) -> list[_Found]:
    positive: list[str] = []
    negative: list[str] = []
    codes = []
    for m in _INDUSTRY_CODE.finditer(clause):
        code = m.group(1) + m.group(2)
        if _valid_prefix(code):
            codes.append((m.start(), code))
    for m in _SECTION_CODE.finditer(clause):
        letter = m.group(1) or m.group(2) or m.group(3)
        codes.append((m.start(), letter))
    for m in _SECTION_LIST.finditer(clause):
        # "I、M门类": every letter of the list, not only the one next to 门类
        codes += [(m.start(), letter) for letter in re.findall(r"[A-T]", m.group(1))]
    for m in _CODE_RANGE.finditer(clause):
        # "C34至C36大类": the codes between the two ends are listed too
        low, high = int(m.group(2)), int(m.group(3))
        width = len(m.group(2))
        if len(m.group(3)) != width or not 0 < high - low <= 20:
            continue
        for n in range(low + 1, high):
            code = f"{m.group(1)}{n:0{width}d}"
            if _valid_prefix(code):
                codes.append((m.start(), code))
    hits: list[tuple[int, tuple[str, ...]]] = []
    if codes:
        hits = [(pos, (code,)) for pos, code in sorted(codes)]
        # "集成电路设计企业（I6520）及半导体器件专用设备制造企业": a listed industry without a code is read too
        hits += _uncoded_listed_industries(clause, [pos for pos, _ in codes])
        hits.sort()
    else:
        words = dict(_industry_words())
        cue = _INDUSTRY_CUE.search(clause)
        named_end = -1  # where the last industry named as such (…业) ends
        for m in _industry_regex().finditer(clause):
            # a bare industry word counts only where the clause is about industry (所属行业, 从事…) or names firms
            after = clause[m.end() :]
            if re.match(r"(?:奖励|资助|补贴|补助|奖补)", after) and not m.group(0).endswith("业"):
                continue  # "知识产权奖励：…" names the award, not an industry of the firm
            if re.match(
                r"[\u4e00-\u9fff]{0,4}?(?:奖励|资助|补贴|补助|奖补)(?:项目|事项)?\s*(?:[:：]|$)", after
            ):
                continue  # "序号3：商贸企业贡献奖励" ends on the award: it is the item's name, whom it is for is said below
            if re.match(r"(?:服务|管理|发展)?(?:局|委员会|委(?!托)|办公室)", after):
                continue  # "区大数据局重点审核…" names the office that checks, not an industry of the firm
            # "互联网和相关服务业": the GB/T name said with 业; "旅行社及相关服务或住宿业": listed with an industry;
            # "软件和信息技术服务业、互联网和相关服务": listed after one
            if (
                cue
                or m.group(0).endswith("业")
                or _INDUSTRY_AFTER.match(after)
                or after.startswith("业")
                or _listed_with_an_industry(after)
                or (
                    named_end >= 0
                    and re.fullmatch(r"、|和|及|与|或者|或|以及", clause[named_end : m.start()])
                )
            ):
                hits.append((m.start(), words[m.group(0)]))
                if m.group(0).endswith("业") or after.startswith("业") or named_end >= 0:
                    named_end = m.end() + (1 if after.startswith("业") else 0)
    # "锂电池制造企业": 制造企业 right after a product word ends that name, it adds no second industry
    ends = {m.end() for m in _industry_regex().finditer(clause)} if not codes else set()
    generic = {"制造业", "制造企业", "制造", "工业企业", "企业"}
    hits = [
        (pos, prefixes)
        for pos, prefixes in hits
        if not (
            pos in ends
            and any(clause.startswith(g, pos) and dict(_industry_words()).get(g) == prefixes for g in generic)
        )
    ]
    # "制造业（C门类）中医药制造业（C27）", "制造业中的医药制造业": the narrower industry within the broader one
    inside = []
    for i, (pos, prefixes) in enumerate(hits):
        for later, narrower in hits[i + 1 :]:
            between = clause[pos:later]
            if (
                re.search(r"中|下的|项下", between)
                and not re.search(r"[,，;；。、或和及与]", between)
                # "制造业企业（其中烟草制品业除外）": the narrower one is excepted, the broader one stays
                and not re.match(r"[^,，;；。()]{0,12}?除外", clause[later:])
                and all(any(n != p and n.startswith(p) for p in prefixes) for n in narrower)
            ):
                inside.append(i)
                break
    hits = [h for i, h in enumerate(hits) if i not in inside]
    for pos, prefixes in hits:
        before = re.split(r"[,，;；。]", clause[:pos])[-1]
        after = clause[pos : pos + 40]
        negation = re.search(
            r"(?:不属于|不含|不包括|排除|不从事|(?:不得|不能|不可|不应)(?:为|是|从事)|除(?!外))([^,，;；。]*)$",
            before,
        )
        # 非 binds to the word it touches, and on along a list of industries ("非房地产、金融类企业"), but
        # not past another word ("非上市制造业企业" is a 制造业 firm that is not listed)
        non = re.search(r"非(?!常)([^,，;；。非]*)$", before)
        if non and not re.fullmatch(
            r"(?:[、和及与或]|以及|业|类|企业)*", _industry_regex().sub("", non.group(1))
        ):
            non = None
        # "不属于大型企业的工业企业": the 的 closes the negated phrase, the industry is required
        negated = (
            (negation and "的" not in negation.group(1))
            or non
            # "软件企业（房地产企业除外）": an aside opened after the word excepts others, not the word
            or re.match(r"^(?:[^,，;；。()]|\([^()]*\)){0,30}?除外", after)
        )
        bucket = negative if negated else positive
        bucket.extend(p for p in prefixes if p not in bucket)
    found = []
    if codes:
        # "制造业（C门类）中的…（C39）或…（C38）": a 门类 named beside codes under it is their context
        positive = [
            p for p in positive if not (len(p) == 1 and any(q != p and q.startswith(p) for q in positive))
        ]
    positive = [p for p in positive if not any(p != q and p.startswith(q) for q in positive)]
    if positive:
        found.append(_Found(_cond("industry_code", "prefix_in", positive), source))
    if negative:
        classes = [c for p in negative for c in _classes_under(p)]
        if classes:
            found.append(_Found(_cond("industry_code", "not_in", classes), source))
    return found


_BOOK = re.compile(r"《[^》]{0,60}》|〔\d{4}〕\d+号|\[\d{4}\]\d+号")


# Purpose and preamble (为鼓励…, 根据…, …制定本措施, …通知如下) say why the policy exists, not whom it admits.
_PREAMBLE = re.compile(
    r"(?:制定|出台|印发)(?:本|此)(?:措施|办法|细则|实施细则|指南|规定|方案|政策|通知)|特制定|制定如下|"
    r"(?:通知|公告|明确)如下"
)
_PURPOSE_LEAD = re.compile(
    r"^(?:为了?|旨在)(?:进一步|更好地?|切实|大力|全面|持续|着力)?"
    r"(?:鼓励|支持|推动|促进|加快|加强|加大|提升|提高|稳定|稳住|激励|引导|帮助|扶持|缓解|降低|减轻|优化|营造|"
    r"助力|贯彻|落实|深入|做好|推进|保障|发挥|吸引|扩大|增强|完善|构建|打造|深化|壮大|巩固|应对|解决)"
    r"|^(?P<basis>根据|依据|按照)(?=[^,，]*(?:《|□|规定|要求|部署|精神|文件))"
)
# where the sentence proper starts again after a purpose phrase: a subject or the policy's own verb
_MAIN_CLAUSE = re.compile(
    r"(?:对|凡|向|经|由|本|符合|申请|申报|区|市|省|企业|在|给予|各|获|被|已|属于|注册|按)"
)


def _purpose_end(clause: str) -> int:
    """Return where a leading purpose phrase ends (0 if none, len(clause) if the clause is all preamble)."""
    if _PREAMBLE.search(clause):
        return len(clause)
    lead = _PURPOSE_LEAD.match(clause)
    if not lead:
        return 0
    if lead.group("basis"):  # 根据《…》/有关规定, … : only the first phrase is the basis
        comma = re.search(r"[,，]", clause)
        return comma.end() if comma else 0
    pos = 0
    for m in re.finditer(r"[,，]", clause):
        pos = m.end()
        if _MAIN_CLAUSE.match(clause[pos:].lstrip()):
            return pos
    return len(clause) if pos == 0 else pos


# "不满3年（含3年）": the aside moves the bound onto the number, it is no second condition
_INCLUSIVE_ASIDE = re.compile(
    r"(?:(?<!不)(不满|未满|不足|少于|低于|超过|高于|多于|大于))?(\d+(?:\.\d+)?)\s*(千万|百万|亿|万)?\s*(元|人|名|年|周年|%)\s*\(含\s*\d*[^)]{0,6}\)"
)
# "5年以内（含5年）", "1000人以下（含本数）": the aside restates that the bound is inclusive, it is no second figure
_INCLUSIVE_AFTER_BOUND = re.compile(
    r"(以内|之内|以下|以上)\s*\(含\s*(?:本数|\d+(?:\.\d+)?\s*(?:千万|百万|亿|万)?\s*(?:元|人|名|年|周年|%)?)\)"
)
_LOOSER_WORD = {"不满": "不超过", "未满": "不超过", "不足": "不超过", "少于": "不超过", "低于": "不超过"}
# the title applied for (符合总部企业认定标准) and names of other things (控股公司, 运营管理机构) admit nobody by name
_NOT_A_REQUIREMENT = re.compile(
    r"符合[^,，;；。]{0,24}?(?:认定标准|认定条件|认定办法|评定标准)|控股(?:子)?公司|运营管理机构|服务机构|"
    r"所称[^,，;；。]{1,20}?[,，]?\s*(?:是指|系指|指)|"  # "本办法所称总部企业，是指…" defines the term it names
    # "原通知“须在大鹏新区注册”调整为：…": a 补充通知 quotes the requirement it replaces
    # (the lead may sit in the clause before: "第二条第（一）项“…”调整为“…”" is cut at its enumerator)
    r"(?:(?:原|将|由)[^,，;；。\"]{0,20})?\"[^\"]{1,80}\"\s*(?:调整|修改|变更|更改|改|扩大|放宽|缩小|降低|提高|下调|上调)为"
)


def _inclusive(m: re.Match[str]) -> str:
    word = m.group(1) or ""
    word = _LOOSER_WORD.get(word, "不低于" if word else "")
    return word + m.group(2) + (m.group(3) or "") + m.group(4)


def _priority_cut(clause: str) -> int | None:
    """Where whom the policy favours starts in a clause (None if it names none): at 优先支持 …, or, when the clause
    ends on it ("已取得绿色工厂称号的企业优先支持", "获得国高认定的，优先推荐"), at the start of its subject."""
    priority = _PRIORITY.search(clause)
    if not priority:
        return None
    if not re.fullmatch(
        r"(?:推荐|考虑|安排|支持|扶持|资助|立项|给予支持|予以支持)?[\s。.;；,，]*", priority.group(1)
    ):
        return priority.start()
    subject = re.sub(r"的?\s*[,，]?\s*(?:将|可|可以|予以|给予)?\s*$", "", clause[: priority.start()])
    return max((m.end() for m in re.finditer(r"[,，:：;；]", subject)), default=0)


def _no_requirement_masked(clause: str) -> tuple[str, int | None]:
    """The clause with what states no requirement masked (quoted old text, a purpose lead "为支持…的企业发展"), and
    where whom the policy favours begins (优先支持…), if it does."""
    clause = _NOT_A_REQUIREMENT.sub(lambda m: "□" * len(m.group(0)), clause)
    purpose = _purpose_end(clause.strip())
    if purpose:
        clause = _mask(clause, [(0, len(clause) - len(clause.lstrip()) + purpose)])
    return clause, _priority_cut(clause)


def _said_of_applicant(clause: str) -> str:
    """The clause with what states no requirement masked, its length kept (as _read_clause reads it): titles in 《》,
    a purpose lead ("为支持…的企业发展"), whom the policy favours (优先支持…)."""
    clause, cut = _no_requirement_masked(_BOOK.sub(lambda m: "□" * len(m.group(0)), clause))
    return _mask(clause, [(cut, len(clause))]) if cut is not None else clause


def _read_clause(clause: str, source: str, region_district: str | None) -> list[_Found]:
    """Every condition one eligibility clause states."""
    clause = _BOOK.sub(lambda m: "□" * len(m.group(0)), clause)
    clause = _INCLUSIVE_ASIDE.sub(_inclusive, clause)
    clause = _INCLUSIVE_AFTER_BOUND.sub(r"\1", clause)
    clause, cut = _no_requirement_masked(clause)
    if cut is not None:
        clause = clause[:cut]  # 优先支持/重点包括 … names whom the policy favours: targets, not conditions
    awards: list[_Found] = []
    for m in _PRIOR_AWARD.finditer(clause):
        if re.search(r"其他|其它|别的", m.group(0)):
            continue  # "已获得本区其他贴息支持": support of another policy, not this one's group (masked, unread)
        # "除已获得本区同类资助的企业外": the excepted firms are prior recipients
        excepted = re.search(r"除(?:了)?[^,，;；。]{0,12}$", clause[: m.start()]) and re.match(
            r"[^,，;；。]{0,12}?外", clause[m.end() :]
        )
        op = "not_contains_any" if m.group("neg") or excepted else "contains_any"
        row = _cond("approved_groups", op, ["@own"])
        within, note = _award_window(clause[: m.start()])
        if within is not None:
            row["within_years"] = within
        awards.append(_Found(row, source, note=note))
    once = _ONCE_ONLY.search(clause)
    if once and not awards:
        awards.append(_Found(_cond("approved_groups", "not_contains_any", ["@own"]), source))
    clause = _mask(
        clause, [m.span() for m in _PRIOR_AWARD.finditer(clause)] + ([once.span()] if once else [])
    )
    places, place_spans = _read_places(clause, source, region_district)
    places = _without_outside_alternatives(clause, places)
    quals, qual_spans = _read_qualifications(clause, source)
    if _FIRST_ABOVE_SCALE.search(clause):
        quals.append(_Found(_cond("revenue_wan_prev", "lt", _SCALE_LINE_WAN), source))
    rest = _mask(clause, place_spans + qual_spans)
    loan = _read_loan(rest, source)
    if loan:
        # "以知识产权质押方式取得的贷款" names how the loan is secured, not an industry (知识产权服务)
        rest = _mask(rest, [m.span() for _, p in _LOAN_KINDS for m in p.finditer(rest)])
    # "除房地产开发企业、金融机构外": the firm kinds excepted are industries shut out
    rest = _EXCEPT.sub(lambda m: _as_finance(m.group(0)), rest)
    found = places + _read_industry(rest, source) + quals + _read_size(rest, source)
    found += _read_numbers(clause, source)
    found += _growth_signs(rest, source)
    if _CREDIT.search(_without_accidents(clause)):
        found.append(_Found(_cond("credit_ok", "eq", True), source))
    return found + awards + loan


# The loan a 贴息 policy pays on: its collateral, term and size are rows on the financing request (loan_* fields),
# read wherever the text states them (贷款要求, 支持范围, the 贴息 sentence itself).
_LOAN_WORD = re.compile(r"贷款|借款|质押融资|担保融资")
_LOAN_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("知识产权质押", re.compile(r"知识产权(?:[^,，;；。]{0,4}?)质押|专利权?质押|商标(?:专用)?权?质押")),
    ("无（信用）", re.compile(r"信用贷款|纯信用|信用方式(?:取得|发放|获得)?")),
    ("房产抵押", re.compile(r"(?:房产|房地产|不动产|厂房)抵押")),
    ("设备抵押", re.compile(r"(?:机器)?设备抵押")),
    ("第三方担保", re.compile(r"(?:融资)?担保(?:公司|机构)(?:提供)?(?:的)?担保|第三方担保")),
    ("应收账款/订单", re.compile(r"应收账款质押|订单(?:融资|质押)")),
)
_LOAN_TERM = re.compile(
    # the loan's own term, not how long the subsidy runs (贴息期限最长2年) or the call is open (申报期限)
    r"(?<!贴息)(?<!补贴)(?<!资助)(?<!申报)(?<!有效)(?<!实施)(?<!执行)(?<!政策)(?<!受理)期限\s*(?:须|应|需)?\s*(?:在|为)?\s*(?P<pre>不少于|不低于|不短于|不超过|不长于|超过|满|达到|大于|少于|最长)?\s*"
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>个月|月|年)\s*(?:\(含\))?\s*(?P<post>及以上|以上|以下|以内)?"
)
_LOAN_AMOUNT = re.compile(
    r"(?:单笔|每笔)(?:贷款|借款)?(?:金额|额度)?|(?:贷款|借款)金额"
    r"(?=\s*(?:须|应|需)?\s*(?:在|为)?\s*(?:不超过|不高于|不低于|不少于|超过|\d))"
)
_LOAN_OPS = {
    "不少于": "gte",
    "不低于": "gte",
    "不短于": "gte",
    "满": "gte",
    "达到": "gte",
    "不超过": "lte",
    "不长于": "lte",
    "不高于": "lte",
    "最长": "lte",
    "超过": "gt",
    "大于": "gt",
    "少于": "lt",
    "及以上": "gte",
    "以上": "gte",
    "以下": "lte",
    "以内": "lte",
}


def _read_loan(clause: str, source: str) -> list[_Found]:
    """Rows on the loan being subsidised (担保方式, 期限, 单笔金额) in a clause that speaks of a loan."""
    if not _LOAN_WORD.search(clause):
        return []
    out = []
    kinds = [kind for kind, pattern in _LOAN_KINDS if pattern.search(clause)]
    if len(kinds) == 1:
        out.append(_Found(_cond("loan_collateral", "eq", kinds[0]), source))
    elif kinds:
        out.append(_Found(_cond("loan_collateral", "in", kinds), source))
    for m in _LOAN_TERM.finditer(clause):
        op = _LOAN_OPS.get(m.group("pre") or "") or _LOAN_OPS.get(m.group("post") or "")
        if op:
            months = Decimal(m.group("n")) * (12 if m.group("unit") == "年" else 1)
            out.append(_Found(_cond("loan_term_months", op, _number(months)), source))
    for m in _LOAN_AMOUNT.finditer(clause):
        said = re.match(
            r"\s*(?:须|应|需)?\s*(?:在|为)?\s*(?P<pre>不超过|不高于|不低于|不少于|超过)?\s*"
            + _MONEY
            + r"\s*(?:\(含\))?\s*(?P<post>及以上|以上|以下|以内)?",
            clause[m.end() :],
        )
        if not said:
            continue
        op = _LOAN_OPS.get(said.group("pre") or "") or _LOAN_OPS.get(said.group("post") or "")
        if op and not re.search(r"贴息|补贴|奖励|资助", clause[max(0, m.start() - 8) : m.start()]):
            amount = _money_wan(said.group(2), said.group(3))
            out.append(_Found(_cond("loan_amount_wan", op, _number(amount)), source))
    return out


# growth said without a figure: "营业收入同比不下降" (at least 0), "且比上年有所增长" (above 0)
_GROWTH_SIGN = re.compile(
    r"(?:同比|比上年|较上年|与上年相比)?\s*(?:(不下降|未下降|没有下降|不低于上年|持平或增长|(?:未|没有|不|无)(?:出现)?负增长)|"
    r"(有所增长|实现增长|保持增长|(?<![未不无])正增长))"
)
_GROWTH_OF = {"revenue_wan": "revenue_growth", "tax_paid_wan": "tax_paid_growth"}


def _growth_signs(clause: str, source: str) -> list[_Found]:
    """Rows for a figure's growth said only by its sign, on the last revenue or tax figure named before it."""
    out = []
    for m in _GROWTH_SIGN.finditer(clause):
        terms = [
            t for t in _TERMS.finditer(clause[: m.start()]) if _FIELD_OF_TERM.get(t.group(0)) in _GROWTH_OF
        ]
        if not terms or re.search(r"[;；。]", clause[terms[-1].end() : m.start()]):
            continue
        field = _GROWTH_OF[_FIELD_OF_TERM[terms[-1].group(0)]]
        out.append(_Found(_cond(field, "gte" if m.group(1) else "gt", 0), source))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Support

_SUPPORT_VERBS = r"(?:给予|奖励|补贴|资助|补助|扶持|支持|奖补|贴息|兑现|发放)"
_MONEY = r"(\d+(?:\.\d+)?)\s*(千万|百万|十万|亿|万|千|百)?\s*元"
_BASES: dict[str, tuple[str, ...]] = {
    "revenue_wan": _FIELD_TERMS["revenue_wan"],
    "rd_expense_wan": _FIELD_TERMS["rd_expense_wan"],
    "tax_paid_wan": _FIELD_TERMS["tax_paid_wan"],
    "assets_wan": _FIELD_TERMS["assets_wan"],
    "employees": _FIELD_TERMS["employees"],
}
_BASE_TERM = re.compile(
    "|".join(sorted((re.escape(w) for ws in _BASES.values() for w in ws), key=len, reverse=True))
)
_BASE_OF = {w: f for f, ws in _BASES.items() for w in ws}
_CAP = re.compile(
    r"(?:最高(?:不超过|不高于|可达|为)?(?:奖励|补贴|资助|补助|给予|支持|贴息)?|上限(?:为)?|不超过|封顶)\s*"
    + _MONEY
)
_RATE_OF_BASE = re.compile(r"的\s*(\d+(?:\.\d+)?)\s*(%|‰)")
# 每人(每年)(补贴)1500元 per head of staff; a monthly sum (每人每月) is no yearly rate and is left unread
_PER_HEAD = re.compile(
    r"每(?:人|名)(?:每年)?(?:给予|补贴|奖励|资助|补助|发放)?\s*(\d+(?:\.\d+)?)\s*(万)?\s*元"
)
_INTEREST_RATE = re.compile(
    r"(?:利息|利率|贴息比例|息费)[^。;；\d]{0,12}?(\d+(?:\.\d+)?)\s*%|(\d+(?:\.\d+)?)\s*%\s*(?:的比例)?(?:给予|予以)?贴息"
)
_FULL_INTEREST = re.compile(r"全额贴息|全额(?:给予|予以)?补贴(?:贷款)?利息|利息全额")
# a cap on the loan, the guarantee or the project (贷款额度最高不超过300万元) is not a cap on the award
_CAP_SUBJECT_NOT_AWARD = re.compile(r"贷款|借款|融资|担保金额|投资|合同|额度|面积|期限|租金")
_CAP_SUBJECT_AWARD = re.compile(r"贴息|补贴|奖励|资助|补助|扶持|支持|奖补")
_FIGURE_TERM = re.compile("|".join(sorted(map(re.escape, _FIELD_OF_TERM), key=len, reverse=True)))
# an award that is a share of something: "按项目投资额的10%", "按30%的比例给予补贴", "给予实际支付费用50%的补贴"
_AWARD_RATE = re.compile(
    r"(?:按照|按|依|以(?![上下内及]))[^。;；%]{0,30}?(\d+(?:\.\d+)?)\s*(%|‰)"
    r"|(\d+(?:\.\d+)?)\s*(%|‰)\s*的?(?:比例|标准)?\s*(?:给予|予以)?\s*(?:一次性)?"
    + _SUPPORT_VERBS
    + r"|(?:给予|予以)[^。;；%]{0,20}?(\d+(?:\.\d+)?)\s*(%|‰)\s*的?(?:奖励|补贴|资助|补助|扶持|支持|奖补)"
)
_RATE_IS_CONDITION = re.compile(r"^\s*(?:\(含\))?\s*(?:以上|以下|及以上|以内|或以上|或以下)")
# "营业收入超过2000万元的部分，按1%": only the part above the threshold counts
_OVER_PART = re.compile(r"(?:超过|超出|高于)\s*" + _MONEY + r"\s*(?:以上)?\s*(?:的)?部分")
# "营业收入增量的1%", "纳税总额比上年增长部分的10%", "新增研发投入的10%": the increase over last year counts
_INCREASE_GAP = re.compile(r"增量|增长部分|增加部分|增加额|增长额|新增部分|增长量|净增|增幅部分")
_INCREASE_BEFORE = re.compile(r"(?:新增|增加的|增长的)\s*$")
_QUOTA_SUM = re.compile(
    r"(?:申领|领取|额度为|额度是|金额为|面值为|面额为)\s*(?:每家|每户)?(?:企业)?"
    r"(?:(?!最高|不超过|以内|上限|累计|总额)[^。;；,，\d]){0,8}?" + _MONEY
)
_NOT_AN_AWARD_QUOTA = re.compile(r"贷款|借款|融资|担保|授信|投资|合同|面积|租金|订单|营业|收入|纳税|研发")
_EXTRA_AWARD = re.compile(
    r"(?:再|另|另行|额外|追加)\s*(?:一次性)?(?:给予|奖励|补贴|资助|补助)[^。;；,，\d]{0,4}$"
)
_EXTRA_WHY = "追加的支持金额（另有条件），未计入金额规则，请审核时核对"
# an award paid for a thing, not the firm ("对…的创新药，", "按项目研发投入的30%"): the figure is the thing's own
_THING_PAID = re.compile(
    r"对[^,，;；。]{0,30}?(?:项目|产品|药品|创新药|新药|药物|医疗器械|器械|设备|装备|平台|品种|成果|课题|样机|首台套|车型)"
    r"\s*[,，]|(?:项目|产品|课题|药品)(?:的)?(?:总)?\s*$"
)
_ITEM_WHY = "支持金额因事项或资质不同而不同，未生成统一金额规则"
_RATE_WHY = "按比例计算的支持标准（计算基数不是企业档案字段），未生成金额规则"


def _money_wan(number: str, mult: str | None) -> Decimal:
    return Decimal(number) * _MULT.get(mult, 1) / 10000


# An amount per counted unit: "每新招用1人补贴0.3万元", "每项发明专利资助1万元", "2000元/人". Per firm (每家企业…) and
# per period (每年…) amounts are the award itself.
_PER_UNIT = re.compile(r"每(?P<what>[^,，。;；%元]{0,16}?)" + _MONEY)
_PER_SLASH = re.compile(_MONEY + r"\s*/\s*(?P<unit>人|名|位|个|项|件|台|套|户|家|次|岗位|岗)")
_PER_FIRM = re.compile(r"^(?:一)?(?:家|户|个企业|个单位|企业|单位|申报主体|申报单位)")
# "经评审通过的项目，每个补助100万元": a sum per project applied for is the award of one application (a cap per
# project, 每个项目最高资助50万元, stays no sum)
_PER_PROJECT = re.compile(r"^(?:个|项)?(?:项目)?(?:给予|补助|补贴|奖励|资助|支持|扶持)*$")
_PER_PERIOD = re.compile(r"^(?:年|月|季|期|轮|批次|届)")
_PER_HEAD_ONLY = re.compile(
    r"^(?:一)?(?:人|名|位)(?:员工|职工)?(?:每年)?(?:给予|补贴|奖励|资助|补助|发放|的标准|按)*\s*$"
)
# people a firm takes on (新招用, 吸纳, 毕业生): counted by no field, unlike its head count (从业人员, 参保人数)
_NEW_PEOPLE = re.compile(
    r"新招用|新招|新增|新吸纳|吸纳|招用|录用|引进|毕业生|见习|实习|安置|招收|招聘|就业困难|就业岗位"
)
_EMPLOYEE_TERM = re.compile(
    "|".join(map(re.escape, sorted(_FIELD_TERMS["employees"], key=len, reverse=True)))
)


def _per_unit(sentence: str, heads_named: bool = False) -> tuple[str, Decimal] | None:
    """("employees", 万元 per head) or ("", amount) for a per-unit amount no field counts; None for none.

    A bare "每人1000元" is per head of staff when its sentence names the head count, or when heads_named: the
    passage speaks of its staff (上年末参保职工10人以上) and of no new hires.
    """
    hits = [(m.group("what"), m.group(2), m.group(3)) for m in _PER_UNIT.finditer(sentence)]
    hits += [(m.group("unit"), m.group(1), m.group(2)) for m in _PER_SLASH.finditer(sentence)]
    for what, number, mult in hits:
        what = what.strip()
        if _PER_FIRM.match(what) or _PER_PERIOD.match(what):
            continue
        if _PER_PROJECT.match(what) and re.search(r"项目", sentence) and not _NEW_PEOPLE.search(sentence):
            continue
        amount = _money_wan(number, mult)
        if (
            _PER_HEAD_ONLY.match(what)
            and (heads_named or _EMPLOYEE_TERM.search(sentence))
            and not _NEW_PEOPLE.search(sentence)
        ):
            return "employees", amount
        return "", amount
    return None


def _shared_rule(sentence: str, cap: int | float | None) -> dict[str, Any] | None:
    """The ratio rule of a sentence paying a share of a figure; {} when the share is of no field; None for none.

    The share is of a profile field ("按上年度研发费用的10%"), of its increase ("营业收入增量的1%") or of its part
    above a threshold ("纳税总额超过5000万元的部分，按2%"); a share of the project's investment, a rent or a fee
    ("按设备投资额的10%…最高300万元") is no sum the portal can work out, and its cap is no fixed award.
    """
    over = _OVER_PART.search(sentence)
    if over:
        rate_m = re.search(r"(\d+(?:\.\d+)?)\s*(%|‰)", sentence[over.end() : over.end() + 16])
        terms = [t.group(0) for t in _BASE_TERM.finditer(sentence[max(0, over.start() - 16) : over.start()])]
        # "研发费用300万元以内的部分不予补助，超过300万元的部分按8%": the figure was named for the part below
        below = re.search(
            rf"({_BASE_TERM.pattern})[^,，;；。]{{0,16}}?(?:以内|以下|之内)的?部分[^,，;；。]{{0,10}}[,，]\s*$",
            sentence[: over.start()],
        )
        terms = terms or ([below.group(1)] if below else [])
        if rate_m:
            base = _BASE_OF[terms[-1]] if terms else None
            if base is None or base == "employees":
                return {}
            rate = Decimal(rate_m.group(1)) / (100 if rate_m.group(2) == "%" else 1000)
            over_wan = _number(_money_wan(over.group(1), over.group(2)))
            return {
                "kind": "ratio",
                "base": base,
                "rate": _number(rate),
                "cap_wan": cap,
                "over_wan": over_wan,
                "increase": False,  # a rule on a part of the figure spells out both keys
            }
    for m in _BASE_TERM.finditer(sentence):
        tail = sentence[m.end() : m.end() + 30]
        base = _BASE_OF[m.group(0)]
        if base == "employees":
            head = _PER_HEAD.search(tail)
            if head:
                # "按从业人员每人1000元": an amount per head of staff is per_unit, as "每人500元，按参保人数" is
                amount = _money_wan(head.group(1), head.group(2))
                return {"kind": "per_unit", "base": base, "amount_wan": _number(amount), "cap_wan": cap}
            continue
        rate_m = _RATE_OF_BASE.match(tail) or re.match(r"[^。,，]{0,8}?的\s*(\d+(?:\.\d+)?)\s*(%|‰)", tail)
        if rate_m and re.search(r"按|以|依", sentence[max(0, m.start() - 12) : m.start()]):
            if _THING_PAID.search(sentence[: m.start()]):
                return {}  # "对新获批临床试验的创新药，按研发投入的30%": the drug's spending, no figure of the firm
            rate = Decimal(rate_m.group(1)) / (100 if rate_m.group(2) == "%" else 1000)
            rule = {"kind": "ratio", "base": base, "rate": _number(rate), "cap_wan": cap}
            if _INCREASE_GAP.search(tail[: rate_m.start(1)]) or _INCREASE_BEFORE.search(
                sentence[max(0, m.start() - 6) : m.start()]
            ):
                rule |= {"over_wan": None, "increase": True}
            return rule
    for m in _AWARD_RATE.finditer(sentence):
        end = next(m.end(g) for g in (2, 4, 6) if m.group(g))
        if not _RATE_IS_CONDITION.match(sentence[end:]):
            return {}
    return None


def read_support(text: str) -> dict[str, Any] | None:
    """Read the support standard (fixed sum, ratio of a profile figure with a cap, interest subsidy) from text."""
    return _read_support(text)[0]


def _read_support(
    text: str, heads_named: bool = False
) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    """The support rule and the sentences (normalised text, why) of amounts it could not compute."""
    text = normalise(text)
    caps = []
    for m in _CAP.finditer(text):
        subject = re.split(r"[,，。;；\n]", text[: m.start()])[-1]
        if _CAP_SUBJECT_NOT_AWARD.search(subject) and not _CAP_SUBJECT_AWARD.search(subject + m.group(0)):
            continue
        if _FIGURE_TERM.search(subject) and not _CAP_SUBJECT_AWARD.search(subject + m.group(0)):
            continue  # "主营业务收入不超过4亿元" bounds the applicant, it caps no award
        caps.append(_money_wan(m.group(1), m.group(2)))
    cap = _number(caps[-1]) if caps else None
    rate_match = _INTEREST_RATE.search(text)
    if rate_match and re.search(r"贴息|利息", text):
        rate = Decimal(rate_match.group(1) or rate_match.group(2)) / 100
        return {"kind": "interest", "rate": _number(rate), "cap_wan": cap}, []
    if _FULL_INTEREST.search(text):
        return {"kind": "interest", "rate": 1, "cap_wan": cap}, []
    uncountable: list[tuple[int, int, str]] = []  # sentences paying per unit or by a share no field holds
    pos = 0
    for sentence in re.split(r"[。;；\n]", text):
        start, pos = pos, pos + len(sentence) + 1
        unit = _per_unit(sentence, heads_named)
        if unit and not unit[0]:
            uncountable.append((start, start + len(sentence), _PER_UNIT_WHY))
            continue
        shared = _shared_rule(sentence, cap)
        if shared is not None:
            if shared:
                return shared, []
            uncountable.append((start, start + len(sentence), _RATE_WHY))
            continue
        if unit:
            # "按参保职工人数，每人500元" said the other way round: an amount per head of staff
            return {
                "kind": "per_unit",
                "base": "employees",
                "amount_wan": _number(unit[1]),
                "cap_wan": cap,
            }, []
    spoken = [(text[a:b].strip(), why) for a, b, why in uncountable]

    def counted(at: int) -> bool:
        return any(a <= at < b for a, b, _ in uncountable)

    # a per-unit amount no field counts is no fixed sum, nor is its cap: the rest of the text may name one
    found: list[tuple[int, int, Decimal]] = []  # (start, end, 万元) of every sum paid as an award, in order
    first: Decimal | None = None
    for m in re.finditer(_SUPPORT_VERBS, text):
        if counted(m.start()):
            continue
        # the award sits in the verb's own sentence ("给予支持。\n二、申报条件 …2000万元" names no sum), or in the
        # answer to a question about it ("问：补贴多少？\n答：每家5万元")
        window = re.split(r"[。;；|]|(?<![?？])\n", text[m.start() : m.start() + 30], maxsplit=1)[0]
        for k, amount in enumerate(re.finditer(_MONEY, window)):
            at = m.start() + amount.start()
            if counted(at):
                break  # "问：补贴多少？答：每新招用1人补贴3000元": the answer's sum is per unit
            if re.search(r"不超过|以下|以内|上限|封顶|最高|累计|总额", window[: amount.start()]):
                break
            after = text[m.start() + amount.end() : m.start() + amount.end() + 8]
            if _RATE_IS_CONDITION.match(after) or _FIGURE_TERM.search(window[: amount.start()]):
                break  # "支持营业收入5000万元以上的企业" bounds the applicant
            wan = _money_wan(amount.group(1), amount.group(2))
            if k == 0 and first is None:
                first = wan
            found.append((at, m.start() + amount.end(), wan))
    for money in re.finditer(_MONEY + r"\s*(?:的)?(?:标准)?(?:一次性)?" + _SUPPORT_VERBS, text):
        if not counted(money.start()):
            wan = _money_wan(money.group(1), money.group(2))
            first = wan if first is None else first
            found.append((money.start(), money.end(), wan))
    # "创新券额度为每家10万元", "每家企业可申领服务券3万元": a voucher's or quota's sum, said with no verb of paying
    for quota in _QUOTA_SUM.finditer(text):
        subject = re.split(r"[,，。;；\n]", text[: quota.start()])[-1]
        if counted(quota.start()) or _NOT_AN_AWARD_QUOTA.search(subject + quota.group(0)):
            continue
        if _RATE_IS_CONDITION.match(text[quota.end() : quota.end() + 8]):
            continue
        wan = _money_wan(quota.group(1), quota.group(2))
        first = wan if first is None else first
        found.append((quota.start(), quota.end(), wan))
    # a table of 支持内容 whose last cell is the award ("|研发补贴|研发费用500万元以上|30万元|")
    for cell in re.finditer(r"\|[^\d|\n]{0,4}" + _MONEY + r"[^\d|\n]{0,6}\|?[ \t]*$", text, re.M):
        if not counted(cell.start()):
            wan = _money_wan(cell.group(1), cell.group(2))
            first = wan if first is None else first
            found.append((cell.start(), cell.end(), wan))
    # "上规后连续两年保持在库的，再给予5万元奖励": a further sum on a further condition is no alternative to the award
    extra = [x for x in found if _EXTRA_AWARD.search(text[max(0, x[0] - 8) : x[0]])]
    if extra and len(extra) < len(found):
        for at, _, _ in extra:
            lo = max(text.rfind(c, 0, at) for c in "。;；\n|") + 1
            hi = min([i for i in (text.find(c, at) for c in "。;；\n|") if i >= 0] or [len(text)])
            if (text[lo:hi].strip(), _EXTRA_WHY) not in spoken:
                spoken.append((text[lo:hi].strip(), _EXTRA_WHY))
        found = [x for x in found if x not in extra]
        if first in {w for _, _, w in extra} and first not in {w for _, _, w in found}:
            first = found[0][2]
    if len({w for _, _, w in found}) >= 2:
        # "国家高新技术企业奖励30万元；科技型中小企业奖励5万元", "分别给予20万元、50万元": the sum depends on the
        # item or the title applied for — no one sum is right for every firm (the official sets it per 事项)
        sentences = []
        for at, _, _ in found:
            lo = max(text.rfind(c, 0, at) for c in "。;；\n|") + 1
            hi = min([i for i in (text.find(c, at) for c in "。;；\n|") if i >= 0] or [len(text)])
            if text[lo:hi].strip() and (text[lo:hi].strip(), _ITEM_WHY) not in sentences:
                sentences.append((text[lo:hi].strip(), _ITEM_WHY))
        return None, spoken + sentences
    if first is not None:
        return {"kind": "fixed", "amount_wan": _number(first)}, spoken
    if spoken:
        return None, spoken  # the cap of a per-unit amount is no sum everyone receives
    if caps:
        return {"kind": "fixed", "amount_wan": cap}, []
    if re.search(r"贴息", text):
        return {"kind": "interest", "rate": None, "cap_wan": cap}, []
    return None, []


# ---------------------------------------------------------------------------------------------------------------
# Putting it together

_INSTANT_MARKERS = re.compile(
    r"秒批|免申即享|免申即得|即申即享|即申即得|免于申报|无需申报|无需申请|无感兑付|自动兑付"
)
_PRIORITY = re.compile(
    r"(?:优先支持|重点支持|重点扶持|优先扶持|优先考虑|重点面向|优先安排|重点包括|优先)([^。;；]{0,60})"
)
_BOILERPLATE = re.compile(
    r"独立法人|法人资格|依法经营|正常(?:生产)?经营|持续经营|财务(?:制度|管理)?健全|无欠税|规范|如实|真实"
)
_FIELD_ORDER = [
    "registered_district",
    "street",
    "years_since_founded",
    "industry_code",
    "qualifications",
    "size_class",
    "employees",
    "revenue_wan",
    "assets_wan",
    "rd_expense_wan",
    "rd_ratio",
    "tax_paid_wan",
    "credit_ok",
    "tax_district",
    "operating_district",
    "revenue_growth",
    "prior_approval",
]


def _region_district(text: str, title: str) -> str | None:
    # 本区/我区 means the issuing district: the first district the title (or the opening lines) names
    for source in (title, text[:200]):
        m = re.search(_DISTRICT_NAME, source)
        if m:
            return _district(m.group(0))
    return None


_CONDITION_LEAD = re.compile(r"^\W*(?:申报|申请|支持|适用|享受)?(?:条件|对象|企业|要求)\s*[:：]")


def _states_items(text: str) -> bool:
    """Whether a section holds several 申报事项, each with a lead of its own conditions ("申报条件：…") and its own
    award: the items are read as alternatives (a section of awards alone is the support rule's)."""
    marks = [start for start, how in _item_marks(text) if how]
    if len(marks) < 2:
        return False
    bounds = list(zip(marks, [*marks[1:], len(text)], strict=True))
    own = [
        any(_CONDITION_LEAD.match(normalise(line)) for line in text[a:b].splitlines())
        and bool(_AWARD_SENTENCE.search(normalise(text[a:b])))
        for a, b in bounds
    ]
    return all(own)


# 本区/我区, or a zone word with no name of its own ("经开区注册的企业", "在合作区登记注册"): the issuer's place
_LOCAL_PLACE = re.compile(
    rf"(?:(?<=[在于])|(?<=落户)|(?<![\u4e00-\u9fff]))(?:(?:本|我)区|(?:本|该|我)?{_ZONE})"
    r"(?:辖区|范围)?内?\s*(?:依法)?(?:注册|登记|纳税|缴税|实际经营|经营|设立)"
    rf"|(?:注册|登记|纳税|经营)(?:地|地址)?(?:均|都)?{_MUST}(?:在|位于|为)(?:(?:本|我)区|(?:本|该|我)?{_ZONE})"
)


def _unplaced(text: str, sections: list[_Section], region: str | None) -> list[tuple[str, int, int, str]]:
    """Clauses placing the firm in 本区 or an unnamed zone when the passage names no district of the region (the
    issuer is outside it, or unnamed): no row can say where that is, the official is told."""
    if region:
        return []
    out = []
    for s in sections:
        for a, b in _clauses(text, s.start, s.end):
            if _LOCAL_PLACE.search(normalise(text[a:b])):
                out.append(
                    (
                        text[a:b].strip(),
                        a,
                        b,
                        "未能确定“本区”所指的区（发文地区不在本地区或未写明），未生成地点条件",
                    )
                )
    return out


def _eligibility_spans(text: str, sections: list[_Section]) -> tuple[list[_Section], list[_Section]]:
    """Return (condition sections, object sections) — the prose conditions may be read from."""
    conditions = [s for s in sections if s.kind in ("condition", "exclusion")]
    objects = [s for s in sections if s.kind == "object"]
    if any(s.kind == "condition" for s in conditions) or objects:
        # "二、支持内容（一）国高奖励 申报条件：… （二）小巨人奖励 申报条件：…": items stating their own conditions
        items = [
            s for s in sections if s.kind in ("support", "other") and _states_items(text[s.start : s.end])
        ]
        if not any(s.kind == "condition" for s in conditions):
            # "一、申报范围 … 三、审核要点：…从业人员是否达到30人以上": with no 申报条件 heading, an untitled-kind
            # section (审核要点, 其他事项) still states what the applicant must meet
            items += [s for s in sections if s.kind == "other" and s not in items]
        return sorted(conditions + items, key=lambda s: s.start), objects
    # no heading names the eligibility (若干措施, a bare notice): read whatever is not materials or process
    rest = [s for s in sections if s.kind in ("other", "preamble", "support", "exclusion")]
    return rest, []


# Clause roles. An exclusion names whom the policy shuts out: its rows are negated, never read as requirements.
_THIS_RULE = r"(?:本(?:次|项目|轮|条|条款|款|项|政策|措施|细则|办法|通知|指南|规定|方案|计划|专项)?)?"
_EXCLUSION = re.compile(
    r"不适用(?:于)?本|不在" + _THIS_RULE + r"(?:的)?(?:支持|扶持|资助|奖励|补贴|申报)?范围|"
    r"不(?:纳入|列入)" + _THIS_RULE + r"(?:的)?(?:补贴|支持|奖励|扶持|申报|资助)?范围|"
    # "本通知不适用于从事房地产开发的企业": the rule named first, the firms shut out after it
    r"本(?:政策|通知|细则|办法|措施|条|条款|款|项|项目|规定|指南|方案|专项)[^,，;；。不]{0,8}不适用|"
    r"不属于本(?:项目|次|条|项|政策|措施|细则|办法|通知|指南)?(?:的)?(?:支持|扶持|资助|奖励|补贴|申报)?(?:对象|范围)|不得重复申报|不得申报本|另行规定|"
    # "不属于本事项受理范围", "不属于本专项资金支持对象", "不在受理范围", "不在此列", "不作为本次支持对象": the scope of
    # the rule in any wording (a place is no scope: "注册地不在本区范围内" is read by the place reader)
    r"(?:不属于|不在|不作为|不列为|不列入|不纳入)(?!本区|我区|本市|区内|辖区|"
    + _DISTRICT_NAME
    + r")(?:本|此|该)?"
    r"[^,，;；。的]{0,10}?(?:支持|扶持|资助|奖励|补贴|申报|受理|补助|奖补|适用|政策)(?:对象|范围|之列)(?!的)|"
    r"不在(?:此|本次|本批|本轮)?(?:之)?列|不(?:予|再)?(?:接受|受理)(?:其)?(?:申报|申请)|"
    r"不能(?:重复)?(?:申报|申请|享受)|不得重复(?:申请|享受)|不再重复(?:奖励|支持|资助|补贴|补助|给予|兑付|扶持)|不予(?:支持|受理|资助|奖励|补贴|扶持|奖补|补助)|不得(?:申报|申请)(?!本)|不再(?:予以)?(?:支持|享受)|"
    r"不(?:得)?享受本|不予(?:列入|纳入)" + _THIS_RULE + r"(?:的)?(?:支持|扶持|资助|奖励|补贴|申报)?范围|"
    r"不再(?:予以)?(?:纳入|列入)|不(?:予以|给予)?支持(?:[^,，;；。]{0,8}(?:企业|项目|机构|单位))|不给予(?:支持|奖励|补贴|资助)|"
    r"不(?:纳入|列入)本(?:次|项目|轮)?(?:支持|扶持|资助|奖励|补贴|申报)"
)
# a negative verb after a subject the reader may not know as an exclusion ("…企业不在本轮扶持之内"): its subject is
# never read as a requirement; a bound (不得低于), a record (不得有失信), a place (不在本区) or an object (不得为) is
# read as it stands
_NEGATIVE_VERB = re.compile(
    r"(?:不属于|不在|不予|不得|不能|不可|不宜|不适用|不纳入|不列入|不享受|不作为|不列为|不参与|不接受|不受理|无权|不允许)"
    r"(?!低于|少于|超过|高于|小于|大于|多于|晚于|早于|迟于|满|足|有|存在|发生|出现|被|为|是|重复|同时|本区|我区|本市|区内|"
    r"辖区|" + _DISTRICT_NAME + r")"
)


def _unread_subject(clause: str, source: str, region: str | None) -> tuple[int, int] | None:
    """The span of the subject of a negative verb no exclusion pattern knows, where it would give a non-place row."""
    verb = _NEGATIVE_VERB.search(clause)
    if not verb:
        return None
    if re.search(r"(?:且|并|同时|和|及|但|而|也)\s*$", clause[: verb.start()]):
        return None  # "营业收入10亿元以上且不属于房地产企业": a second predicate of the firm, not a subject
    start = max((m.end() for m in re.finditer(r"[,，;；:：]", clause[: verb.start()])), default=0)
    rows = _read_clause(clause[start : verb.start()], source, region)
    # the subject shut out is a kind of firm; a figure before the verb is the firm's own requirement
    if any(f.condition["field"] in ("industry_code", "qualifications", "size_class") for f in rows):
        return start, verb.start()
    return None


# "问：哪些企业不能申报？" / "什么情况下不予支持？": a question whose answer lists whom the policy shuts out
_ASKS_WHO_IS_SHUT_OUT = re.compile(
    r"(?:哪些|哪类|哪几类|哪种|什么|何种)[^?？]{0,12}?(?:不能|不可以|不可|不得|不予|不属于|不在|不适用|排除)|"
    r"(?:不能|不可以|不得|不予)[^?？]{0,8}?(?:哪些|哪类|什么|何种)"
)
# "未取得…的企业不能申报": a negated subject shut out is a requirement (double negative)
_NEGATED_SUBJECT = re.compile(r"^[^,，;；]{0,8}?(?:未|尚未|没有|不具备|不具有|未能)")
# "注册地不在光明区的", "税收关系不在本区": a place negated inside an exclusion
_NOT_IN_PLACE = re.compile(
    rf"^(?P<subject>[^,，;；\d]{{0,8}}?)(?:不在|不位于|不属于)(?:深圳市?)?(?P<place>{_DISTRICT_NAME}|本区|我区)"
)
# "满足下列条件之一": the items that follow are alternatives
_ONE_OF = re.compile(
    r"(?:下列|以下|如下)(?:条件|情形|要求|标准|指标)?(?:之一|中的一项|任一|任意一项)|条件之一"
)
# "A或B" splits a clause into alternatives only where each side states its own threshold
_OR_SPLIT = re.compile(r"[,，]?\s*(?:或者|或是(?!否)|或)(?![其是者])")
# "民营企业、中小微企业、服务机构均可申报": a list of kinds that may apply, any one of which is enough
_MAY_APPLY = re.compile(
    r"(?:均|都|皆)(?:可|可以|能)[^,，;；。]{0,6}?(?:申报|申请|参与|申领|参加|报名)|(?:均|都|皆)(?:可|可以)\s*(?:[,，;；。]|$)"
)
_GENERIC_KIND = re.compile(r"(?:机构|组织|单位|团体|个人|个体工商户|企业)$")
_NUMERIC_FIELDS = {
    "employees",
    "revenue_wan",
    "assets_wan",
    "rd_expense_wan",
    "rd_ratio",
    "tax_paid_wan",
    "years_since_founded",
    "revenue_growth",
}
_PLACE_FIELDS = {"registered_district", "street", "tax_district", "operating_district"}
_NEGATE_OP = {
    "eq": "ne",
    "ne": "eq",
    "in": "not_in",
    "not_in": "in",
    "contains_any": "not_contains_any",
    "not_contains_any": "contains_any",
    "gte": "lt",
    "lt": "gte",
    "gt": "lte",
    "lte": "gt",
}


def _negated(found: _Found) -> _Found:
    """The exclusion of what a row says (a prefix test has no negated op: it becomes a not group)."""
    c = found.condition
    if c["op"] in _NEGATE_OP:
        # the other keys of the row (within_years) bound what is excluded: "近3年获得过…的不予支持"
        cond: dict[str, Any] = c | {"op": _NEGATE_OP[c["op"]]}
    else:
        cond = {"not": c}
    return _Found(cond, found.source, found.start, found.end, 0.8, "exclusion", found.note)


@dataclass
class _Collected:
    rows: list[_Found] = field(default_factory=list)
    groups: list[list[list[_Found]]] = field(default_factory=list)  # any groups: branches of rows
    unread: list[tuple[str, int, int, str]] = field(default_factory=list)
    # rows a 视同 group stands for: said on their own elsewhere, they are that group's first side
    widened: list[dict[str, Any]] = field(default_factory=list)


# a firm kind shut out by the trade it is in: "金融机构不适用本条", "从事房地产开发、金融投资业务的企业" are 金融业
# (only in an exclusion: elsewhere "向金融机构贷款" names a lender, not the applicant's industry)
_EXCLUDED_FINANCE = re.compile(
    r"(?:^|(?<=[、和及与或于除])|(?<=从事|属于))\s*(?:类)?金融(?:机构|投资|服务机构|控股)"
)
_EXCEPT = re.compile(r"除[^,，;；。外]{0,30}外")


def _as_finance(text: str) -> str:
    """The text with a finance firm kind shut out ("金融机构") said as the industry 金融业 (same length)."""
    return _EXCLUDED_FINANCE.sub(lambda m: "金融业".ljust(len(m.group(0)), "□"), text)


_FUNDED_NOTE = "排除的是已获得的资金支持（条件语言无法表达），此排除只是近似，请核对"
# a prior award or funding from elsewhere qualifying whom an exclusion names ("已获得省级技改资金支持的高新技术企业")
_FUNDED_BEFORE = re.compile(
    r"(?:已|曾|已经)(?:获得|享受|获|取得|领取|申领|列入)(?:过)?[^,，;；。]{1,24}?"
    r"(?:支持|资助|奖励|补贴|扶持|补助|奖补|贴息)(?:资金)?(?:的|后的|且)"
)


def _read_exclusion(clause: str, source: str, region: str | None) -> list[_Found]:
    """Rows of an exclusion clause: kept where the clause already reads as one, else negated."""
    clause = _as_finance(clause)
    marker = _EXCLUSION.search(clause)
    commas = [m.end() for m in re.finditer(r"[,，]", clause[: marker.start()])] if marker else []
    for cut in reversed(commas):
        if not clause[:cut].strip(" ,，"):
            break
        if _read_clause(clause[cut : marker.start()], source, region):
            # "面向中小企业，大型企业不得申报" / "…中小企业，已是小巨人企业的，不纳入本次奖励": only the subject
            # nearest the marker is shut out
            head = _read_clause(clause[:cut], source, region)
            return head + _read_exclusion(clause[cut:], source, region)
    not_in = _NOT_IN_PLACE.match(clause.strip())
    if not_in:
        # "注册地不在本区的" / "税收关系不在光明区的" shut out: the firm must be there (a double negative)
        place = region if not_in.group("place") in ("本区", "我区") else _district(not_in.group("place"))
        if place:
            subject = not_in.group("subject")
            kinds = _place_kinds(subject)
            if len(kinds) > 1:
                # "注册地或纳税地不在本区的" shut out: both must be here; "注册地和纳税地均不在本区的" shut out leaves
                # either one enough (an any group, which an exclusion cannot give: reported)
                return [] if "或" not in subject else [_Found(_cond(k, "eq", place), source) for k in kinds]
            kind = "tax_district" if "税" in subject else "operating_district" if "经营" in subject else None
            return [_Found(_cond(kind or "registered_district", "eq", place), source)]
    plain = _read_clause(clause, source, region)
    if _FUNDED_BEFORE.search(clause) and not _PRIOR_AWARD.search(clause):
        # "已获得中央财政资金支持的小巨人企业" shut out: what is excluded is the prior funding, which no field states;
        # shutting out every firm of the title it describes is only an approximation, dropped where the title is
        # also required (read_policy)
        return [
            replace(_negated(f), note=_FUNDED_NOTE)
            for f in plain
            if f.condition["field"] not in _PLACE_FIELDS | {"credit_ok"}
        ]
    if _BAD_CREDIT.search(_without_accidents(clause)) and not any(
        f.condition["field"] == "credit_ok" for f in plain
    ):
        plain.append(_Found(_cond("credit_ok", "eq", True), source))
    if _NEGATED_SUBJECT.search(clause) and any(
        f.condition["op"] in ("not_in", "not_contains_any", "ne") for f in plain
    ):
        return [
            _negated(f) if f.condition["op"] in ("not_in", "not_contains_any", "ne") else f for f in plain
        ]
    if any(f.condition["op"] in ("not_in", "not_contains_any", "ne") for f in plain):
        return plain  # "中小微企业均可申报，微型企业除外": the exclusion is already read in place
    out = []
    for f in plain:
        if f.condition["field"] in _PLACE_FIELDS or f.condition["field"] == "credit_ok":
            out.append(
                f
            )  # "在本区注册的企业…除外" still names the place; a credit row is a requirement either way
        else:
            out.append(_negated(f))
    return out


def _or_branches(
    clause: str, source: str, region: str | None
) -> tuple[list[_Found], list[list[_Found]]] | None:
    """Split "A或B" into (common rows, branches) when each side has a threshold of its own."""
    split = _OR_SPLIT.split(clause)
    seps = [m.group(0) for m in _OR_SPLIT.finditer(clause)] + [""]
    pieces = [(x, sep) for x, sep in zip(split, seps, strict=True) if x.strip()]
    # "集成电路设计或制造企业，营业收入3000万元以上或研发费用500万元以上": a 或 before the first threshold joins
    # names within one side, so the pieces are put back together until each holds a threshold of its own
    parts: list[str] = []
    # parts that are a kind of firm of their own ("小型、微型企业，或成立不满2年的企业")
    kinds: set[int] = set()
    pending = ""
    for x, sep in pieces:
        pending = f"{pending}或{x}" if pending else x
        got = _read_clause(pending.partition("但")[0], source, region)
        if any(f.condition["field"] in _NUMERIC_FIELDS for f in got):
            parts.append(pending)
            pending = ""
        elif (
            sep[:1] in ",，"
            and sep
            and re.search(r"企业\s*$", pending)
            and any(f.condition["field"] in ("size_class", "qualifications") for f in got)
        ):
            # a comma before 或 closes the kind: it is a side of its own, not a name shared with the next threshold
            kinds.add(len(parts))
            parts.append(pending)
            pending = ""
    if pending or len(parts) < 2 or len(kinds) == len(parts):
        return None
    common: list[_Found] = []
    branches: list[list[_Found]] = []
    readable = True
    for i, x in enumerate(parts):
        pre, but, post = x.partition("但")
        got = _read_clause(pre, source, region)
        if i in kinds:
            own_kind = [f for f in got if f.condition["field"] in ("size_class", "qualifications")]
            common += [f for f in got if f not in own_kind]
            branches.append(own_kind)
            continue
        numeric = [f for f in got if f.condition["field"] in _NUMERIC_FIELDS]
        if not numeric:
            return None
        kind = _side_kind(pre) if i > 0 else []
        common += [f for f in got if f.condition["field"] not in _NUMERIC_FIELDS and f.condition not in kind]
        branch = [f for f in got if f.condition in kind] + numeric
        if but:
            # "…1000万元以下但属于国家高新技术企业的": what follows 但 belongs to this branch, up to the first comma;
            # a noun after its last 的 ("…但获得股权融资的科技型中小企业") is the whole clause's subject
            cut = re.search(r"[,，]", post)
            core, rest = (post[: cut.start()], post[cut.end() :]) if cut else (post, "")
            subject = re.search(r"的([^的]{2,})$", core)
            if subject:
                common += _read_clause(subject.group(1), source, region)
                core = core[: subject.start() + 1]
            common += _read_clause(rest, source, region)
            said = _read_clause(core, source, region)
            common += [f for f in said if f.condition["field"] not in _ITEM_FIELDS]
            own = [f for f in said if f.condition["field"] in _ITEM_FIELDS]
            if not own and len(core.strip("的 ")) >= 2:
                readable = False
            branch += own
        branches.append(branch)
    _complements(branches)
    # a branch with a condition no row can say cannot be written: the whole 或 is reported, not half-read
    return common, branches if readable else []


def _side_kind(side: str) -> list[dict[str, Any]]:
    """The kind of firm a later side of "A，或属于国家高新技术企业且营业收入5000万元以上" opens with: that side's own."""
    m = re.match(r"\s*(?:属于|是|为)?([^,，;；。]{2,30}?)(?:且|并且|同时|并)(?=[^,，;；。]*\d)", side)
    if not m or _QTY.search(m.group(1)):
        return []
    return [
        f.condition
        for f in _read_clause(m.group(1), side, None)
        if f.condition["field"] in ("qualifications", "size_class", "industry_code")
    ]


def _complements(branches: list[list[_Found]]) -> None:
    """Make "…1亿元以上，或1亿元以下但…" strict on the later side: it is the complement of the earlier bound."""
    strict = {"lte": ("gte", "lt"), "gte": ("lte", "gt")}
    for i, branch in enumerate(branches):
        for f in branch:
            c = f.condition
            if c["op"] not in strict or c["field"] not in _NUMERIC_FIELDS:
                continue
            other, to = strict[c["op"]]
            if any(
                g.condition["field"] == c["field"]
                and g.condition["op"] == other
                and g.condition["value"] == c["value"]
                for earlier in branches[:i]
                for g in earlier
            ):
                f.condition = {**c, "op": to}


# "批发业企业营业收入10亿元以上，零售业企业1亿元以上" / "…、…" / "其中：…": the pieces of a per-industry list
_INDUSTRY_SEP = re.compile(r"(其中\s*[:：]?|[,，、:：])")
_FIGURE_FIELDS = ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan", "employees")


def _positive_industries(text: str, source: str) -> list[_Found]:
    return [f for f in _read_industry(text, source) if f.condition["op"] == "prefix_in"]


def _figure_lead(text: str) -> tuple[str, str] | None:
    """(the last figure term of text, the comparison word after it): what a bare number later in a list measures."""
    terms = [m for m in _TERMS.finditer(text) if _FIELD_OF_TERM.get(m.group(0)) in _FIGURE_FIELDS]
    terms += list(_GROWTH_TERM.finditer(text))  # "营业收入增长10%以上、零售业企业增长15%以上"
    if not terms:
        return None
    last = max(terms, key=lambda m: m.end())
    words = list(_PRE_OP_RE.finditer(text, last.end()))
    return last.group(0), words[-1].group(0) if words else ""


def _led_numbers(piece: str, lead: tuple[str, str] | None, source: str) -> list[_Found]:
    """The numbers of a list piece; a bare one ("零售业1亿元以上") is read as the lead's figure and comparison."""
    if _figure_lead(piece) or lead is None:
        return _read_numbers(piece, source)
    term, word = lead
    if _GROWTH_TERM.fullmatch(term):
        piece = re.sub(r"(?:增长|增速|增幅)率?", "", piece)  # "零售业企业增长15%": the lead says whose growth
    q = _QTY.search(piece)
    if q and word and not _PRE_OP_RE.search(piece[: q.start()]):
        piece = piece[: q.start()] + word + piece[q.start() :]
    return _read_numbers(term + piece, source)


def _industry_figures(
    industries: list[_Found], numbers: list[_Found], extra: list[_Found]
) -> list[_Found] | None:
    """One branch of a per-industry list: its industries, its figures and what else it names of the firm."""
    if not industries or not numbers:
        return None
    return (
        industries + [f for f in extra if f.condition["field"] in ("qualifications", "size_class")] + numbers
    )


def _disjoint_industries(branches: list[list[_Found]]) -> bool:
    flat = [
        p
        for br in branches
        for f in br
        if f.condition["field"] == "industry_code"
        for p in f.condition["value"]
    ]
    return len(set(flat)) == len(flat) and not any(x != y and x.startswith(y) for x in flat for y in flat)


_AWARD_COLUMN = re.compile(r"奖励|补贴|资助|补助|金额|标准|扶持")


def _industry_header(cells: list[str]) -> bool:
    """Tell whether table cells are the header of a per-industry table (an industry column and a figure column)."""
    return (
        not any(re.search(r"\d", c) for c in cells)
        and any(re.search(r"行业|类别|类型|产业|领域|门类", c) for c in cells)
        and any(_figure_lead(c) for c in cells)
    )


_INDUSTRY_COLUMN = re.compile(r"行业|类别|类型|门类")
_STATISTICAL_INDUSTRY = {"工业": ["B", "C", "D"]}  # 采矿业、制造业、电力热力燃气及水: the statistics' 工业


def _statistical_cell(header: list[str], row: list[str]) -> str | None:
    """The statistical industry (工业) a per-industry table row names in its 行业 column, if any."""
    for head, cell in zip(header, row, strict=True):
        m = re.fullmatch(r"(工业)(?:企业|类企业|类)?", cell)
        if _INDUSTRY_COLUMN.search(head) and m:
            return m.group(1)
    return None


def _statistical_industry(header: list[str], row: list[str], got: list[_Found], source: str) -> list[_Found]:
    """A per-industry table's 行业 cell "工业企业" beside 批发业, 零售业 is the statistical 工业 (B, C, D), not C."""
    word = _statistical_cell(header, row)
    if word is None:
        return got
    rest = [
        f for f in got if not (f.condition["field"] == "industry_code" and f.condition["op"] == "prefix_in")
    ]
    return [_Found(_cond("industry_code", "prefix_in", _STATISTICAL_INDUSTRY[word]), source), *rest]


def _respective_branches(clause: str, source: str) -> list[list[_Found]] | None:
    """ "批发业、零售业企业营业收入分别达到10亿元、1亿元": the n-th industry with the n-th number."""
    m = re.search(r"分别", clause)
    if not m:
        return None
    before, after = clause[: m.start()], clause[m.end() :]
    lead = _figure_lead(before)
    if lead is None:
        return None
    subject = before[: before.rfind(lead[0])]
    industries = [_positive_industries(seg + "企业", source) for seg in re.split(r"[、和及与]", subject)]
    industries = [x for x in industries if x]
    amounts = list(_QTY.finditer(after))
    if len(industries) < 2 or len(industries) != len(amounts):
        return None
    word = _PRE_OP_RE.search(after[: amounts[0].start()])
    branches = []
    for found, q in zip(industries, amounts, strict=True):
        post = after[q.end() :][:4] if q is amounts[-1] else ""
        numbers = _read_numbers(lead[0] + (word.group(0) if word else "") + q.group(0) + post, source)
        branch = _industry_figures(found, numbers, [])
        if branch is None:
            return None
        branches.append(branch)
    return branches if _disjoint_industries(branches) else None


def _per_industry_branches(
    clause: str, source: str, region: str | None, lead: tuple[str, str] | None = None
) -> tuple[list[_Found], list[list[_Found]]] | None:
    """ "批发业企业营业收入10亿元以上，零售业企业1亿元以上，餐饮业企业2000万元以上": one threshold per industry, any.

    A piece naming an industry and a number is a branch; a bare number takes the figure named before it; pieces
    with a number but no industry between branches belong to the branch before; what comes before the first branch
    (the place, "限额以上企业，其中") and after the last is common to all.
    """
    respective = _respective_branches(clause, source)
    if respective:
        rest = _read_clause(clause[: clause.find("分别")], source, region)
        return [f for f in rest if f.condition["field"] not in _ITEM_FIELDS], respective
    parts = _INDUSTRY_SEP.split(clause)
    pieces: list[str] = []
    pending = ""
    for i in range(0, len(parts), 2):
        piece, sep = pending + parts[i], parts[i + 1] if i + 1 < len(parts) else ""
        if sep == "、" and _positive_industries(piece + "企业", source) and not _QTY.search(piece):
            pending = (
                piece + sep
            )  # "批发、零售企业营业收入1亿元以上": the industries share the figure that follows
            continue
        pending = ""
        pieces.append(piece)
    if pending:
        pieces.append(pending)
    head: list[str] = []
    shared: list[_Found] = []
    trailing: list[str] = []  # pieces after a branch: its own when another branch follows, else common
    branches: list[list[_Found]] = []
    for piece in pieces:
        industries = _positive_industries(piece, source)
        numbers = _led_numbers(piece, lead, source) if _QTY.search(piece) else []
        if industries and numbers:
            for x in trailing:
                branches[-1] += _led_numbers(x, lead, source)
            trailing = []
            said = _read_clause(piece, source, region)
            branch = _industry_figures(industries, numbers, said)
            if branch is None:
                return None
            branches.append(branch)
            # "对龙华区注册的工业企业营业收入…": a place or a record requirement in a branch binds them all
            shared += [f for f in said if f.condition["field"] not in _ITEM_FIELDS]
        elif industries and _QTY.search(piece):
            return None  # a number no figure is named for
        elif branches:
            trailing.append(piece)
        else:
            head.append(piece)
        lead = _figure_lead(piece) or lead
    if len(branches) < 2 or not _disjoint_industries(branches):
        return None
    common = [f for x in head + trailing for f in _read_clause(x, source, region)]
    branch_fields = {f.condition["field"] for br in branches for f in br}
    if any(f.condition["field"] in branch_fields and f.condition["field"] != "industry_code" for f in common):
        return None  # "制造业营业收入2000万元以上，其中汽车企业1亿元以上" narrows one case: not alternatives
    # the umbrella industry ("商贸企业，其中批发业…") is what the branches name one by one
    common = [
        f
        for f in common
        if not (f.condition["field"] == "industry_code" and f.condition["op"] == "prefix_in")
    ]
    return _dedupe(common + shared), branches


# "营业收入在1亿元以下的，须获得国高认定；营业收入在1亿元以上的，不作资质要求": each clause is one case of a figure
_CASE = re.compile(r"^\s*(?P<head>[^,，;；。]{2,40}?)的\s*[,，]\s*(?P<body>[^;；。]+)$")
_NO_REQUIREMENT = re.compile(
    r"不作[^,，;；。]{0,6}要求|不限|不受[^,，;；。]{0,6}限制|无[^,，;；。]{0,4}要求|不设门槛"
)


def _case(clause: str, source: str, region: str | None) -> tuple[str, list[_Found]] | None:
    """One case of a figure ("营业收入1亿元以下的，须…"): (the figure's field, the rows of the case), or None."""
    m = _CASE.match(clause)
    if not m:
        return None
    head = _read_clause(m.group("head"), source, region)
    fields = {f.condition["field"] for f in head}
    # the case is one figure, or one kind of firm ("属于国家高新技术企业的，研发费用须达到300万元")
    if len(fields) != 1 or not fields <= _ITEM_FIELDS:
        return None
    body: list[_Found] = []
    if not _NO_REQUIREMENT.search(m.group("body")):
        body = _read_clause(m.group("body"), source, region)
        if not body:
            return None
    return fields.pop(), head + body


def _may_apply_list(clause: str) -> bool:
    """Tell whether a "均可申报" list names a generic kind (民营企业, 服务机构) that no row can express."""
    m = _MAY_APPLY.search(clause)
    if not m:
        return False
    head = re.split(r"[,，]", clause[: m.start()])[-1]
    items = [x.strip() for x in re.split(r"、|和|或者|或|及", head) if x.strip()]
    if len(items) < 2:
        return False
    return any(len(x) >= 3 and _GENERIC_KIND.search(x) and not _read_clause(x, x, None) for x in items)


def _list_end(text: str, start: int, end: int) -> int:
    """Where the enumerated lines after a lead end: the first later line with no enumerator, else end."""
    pos = text.find("\n", start)
    while 0 <= pos < end:
        nxt = text.find("\n", pos + 1)
        line = text[pos + 1 : nxt if nxt != -1 else end]
        if line.strip() and not _ENUM.match(line):
            return pos + 1
        if nxt == -1:
            break
        pos = nxt
    return end


def _collect(text: str, sections: list[_Section], region: str | None) -> _Collected:
    """Read each clause of the sections by its role into rows, any groups and unread sentences."""
    out = _Collected()
    per_clause: list[
        list[_Found]
    ] = []  # across sections: "一、零售业项目 … 二、餐饮业项目" are items of one notice
    paid: list[bool] = []  # per clause: it names its own award (an item of several 申报事项)
    spots: list[int] = []  # per clause: where it starts (which 申报事项 it belongs to)
    cases: list[tuple[str, list[_Found]]] = []

    def close_cases() -> None:
        # two or more cases of one figure are alternatives; a lone "…以上的，须…" is read as it stands
        if len(cases) >= 2:
            for _, rows in cases:
                for f in rows:
                    f.role = "alternative"
            out.groups.append([rows for _, rows in cases])
        elif cases:
            per_clause.append(cases[0][1])
            paid.append(False)
            spots.append(cases[0][1][0].start if cases[0][1] else -1)
        cases.clear()

    for section in sections:
        close_cases()
        one_of: list[list[_Found]] | None = None
        one_of_lead: tuple[str, str] | None = None
        excluding_until = section.end if section.kind == "exclusion" else -1
        question: list[_Found] | None = None
        asked_excluded = False  # the open question asks whom the policy shuts out: its answer is an exclusion
        excluded_column: tuple[int, int] | None = None  # (index, width) of a table's 不予支持情形 column
        question_text = ""
        question_source = ""
        placed_before: tuple[str, int] | None = None  # the last clause that said only where the firm is
        # the figure a per-industry list speaks of ("营业收入达到以下标准：") and a table's header row
        figure_lead: tuple[str, str] | None = None
        table_header: list[str] | None = None
        name_columns: tuple[int, set[int]] | None = None  # (cells in a row, the columns naming the item)
        previous_end = section.start
        for a, b in _clauses(text, section.start, section.end):
            source = text[a:b].strip()
            # "A；或B" is one clause (see _clauses): the 或 is read as "A，或B" (same length, offsets kept)
            clause = re.sub(r"[;；](?=\s*或)", "，", normalise(text[a:b]))
            # a lead cut off as a heading ("2.上年度营业收入达到以下标准：") still names the figure of the items below
            figure_lead = _figure_lead(normalise(text[previous_end:a])) or figure_lead
            list_lead = figure_lead
            own = _figure_lead(clause)
            if own:
                bare_figure = _QTY.search(clause) and not _positive_industries(clause, source)
                figure_lead = None if bare_figure else own
            previous_end = b
            out.unread += [(source, a, b, why) for why in _compliance_gaps(clause)]
            if _outside_named(clause):
                out.unread.append((source, a, b, "本地区以外的地点，未生成条件"))
            for why in _place_gaps(clause) + _sector_gaps(clause):
                out.unread.append((source, a, b, why))
            if re.search(r"(?:吗|么|能否|可否|是否)[^,，;；。]{0,6}$|[?？]\s*$", text[a : b + 1].strip()):
                # a question states nothing by itself; its answer says whether it holds
                question = _read_clause(clause, source, region)
                asked_clause = re.sub(
                    r"(?:能否|可否|是否|能不能|可不可以)?[^,，;；。的]{0,8}(?:吗|么)?[?？]?\s*$", "", clause
                )
                if asked_excluded:
                    excluding_until, asked_excluded = -1, False
                if section.kind != "exclusion" and _ASKS_WHO_IS_SHUT_OUT.search(clause):
                    # "问：哪些企业不能申报？": the answer lists whom the policy shuts out
                    excluding_until, asked_excluded, question = section.end, True, []
                question_text, question_source = clause, source
                continue
            elsewhere_asked = False
            if question is not None:
                asked, question = question, None
                # "注册在外区的企业可以申报吗？可以，但须在本区实际经营并纳税": what such a firm must do instead
                elsewhere_asked = bool(_ELSEWHERE.search(question_text)) and bool(
                    re.match(r"\s*(?:可以|能|可)(?!否)", clause)
                )
                yes_but = (
                    None
                    if elsewhere_asked
                    else re.match(r"\s*(?:可以|能|可)(?:申报|申请)?\s*[,，]\s*但(?:是)?", clause)
                )
                if yes_but:
                    # "问：成立不满一年的企业能否申报？答：可以，但须…": the answer bounds the asked firm
                    clause = asked_clause + "，" + clause[yes_but.end() :] + "，也可申报"
                refused = re.match(r"\s*(?:不能|不可以|不可|不行|否|不属于)", clause)
                said = _read_clause(clause[refused.end() :], source, region) if refused else []
                asked_fields = {f.condition.get("field") for f in asked}
                if refused and (
                    {f.condition.get("field") for f in said} & asked_fields
                    or (
                        re.search(r"[、,]|但|且|同时", question_text)
                        # "从事房地产开发、金融业务的企业可以申请吗？不可以": one list of kinds is one thing asked
                        and (len(asked) != 1 or asked_fields & _PLACE_FIELDS or said)
                    )
                ):
                    # "注册在福田、纳税在其他区的能申请吗？不能，须注册地和纳税地均在福田区": a question of two
                    # things, or an answer that says what is required instead, is no exclusion of what was asked
                    asked = []
                if re.match(r"\s*(?:需要|必须|须|应当|是的|要求)", clause):
                    for f in asked:
                        f.start, f.end = a, b
                    out.rows += asked
                elif re.match(r"\s*(?:不能|不可以|不可|不行|否|不属于)", clause) and len(asked) == 1:
                    # "成立不满一年的企业能申报吗？不能": the one thing asked about is shut out
                    negated = _negated(asked[0])
                    negated.start, negated.end = a, b
                    out.rows.append(negated)
                elif refused and not asked and not said:
                    # "被列入经营异常名录的企业能报名吗？不能": the bad record asked about shuts the firm out
                    subject = re.sub(
                        r"^\s*[一二三四五六七八九十]{0,3}\s*(?:问|Q)\s*\d*\s*[:：.、]\s*", "", asked_clause
                    )
                    for f in _read_exclusion(subject, question_source, region):
                        if f.condition.get("field") == "credit_ok":
                            f.start, f.end = a, b
                            out.rows.append(f)
            cells = _table_cells(clause)
            if cells is None or all(re.fullmatch(r"[-:\s]*", c) for c in cells):
                excluded_column = None if cells is None else excluded_column
            elif excluded_column is None and not re.search(r"\d", clause):
                heads = [
                    i for i, c in enumerate(cells) if _EXCLUSION.search(c) or _SECTION_KINDS[0][1].search(c)
                ]
                # "| 序号 | 不予支持情形 |" heads the rows below; "| 不予支持的企业 | 金融业企业 |" is a row itself
                if heads and not any(_read_clause(c, source, region) for c in cells):
                    excluded_column = (heads[0], len(cells))
                    continue
            elif excluded_column is not None and len(cells) == excluded_column[1]:
                got = _read_exclusion(cells[excluded_column[0]], source, region)
                for f in got:
                    f.start, f.end = a, b
                out.rows += got
                if not got:
                    out.unread.append((source, a, b, "排除条款未能识别"))
                rest = [c for i, c in enumerate(cells) if i != excluded_column[0]]
                if all(re.fullmatch(r"\s*\d{0,3}\s*", c) for c in rest):
                    continue  # only a row number beside the excluded cell
                clause = "| " + " | ".join(rest) + " |"
            if a < excluding_until:
                if re.search(r"[:：]\s*$", clause):
                    continue  # the lead itself ("有下列情形之一的，不予扶持：") names no one
                got = _read_exclusion(clause, source, region)
                for f in got:
                    f.start, f.end = a, b
                out.rows += got
                if not got:
                    out.unread.append((source, a, b, "排除条款未能识别"))
                continue
            line_head = text[text.rfind("\n", 0, a) + 1 : a]
            colon = re.search(r"[:：]", line_head)
            lead_text = line_head[: colon.start()] if colon else ""
            if (
                colon
                and not re.search(r"[。!?！？]", line_head[colon.end() :])
                and (_EXCLUSION.search(normalise(lead_text)) or _SECTION_KINDS[0][1].search(lead_text))
            ):
                # "3. 以下情形不予支持：A；B。" — the lead was cut off as a heading; the rest of its line is excluded
                line_end = text.find("\n", a)
                excluding_until = max(excluding_until, line_end if line_end != -1 else section.end)
            if a < excluding_until:
                got = _read_exclusion(clause, source, region)
                for f in got:
                    f.start, f.end = a, b
                out.rows += got
                if not got:
                    out.unread.append((source, a, b, "排除条款未能识别"))
                continue
            lead = re.search(r"[:：]", clause)
            if lead and _EXCLUSION.search(clause[: lead.start()]) and not clause[lead.end() :].strip():
                # "有下列情形之一的，不予扶持：" ending its line: the items below it are excluded, not alternatives
                excluding_until = _list_end(text, b, section.end)
                continue
            if lead and _EXCLUSION.search(clause[: lead.start()]):
                line_end = text.find("\n", a)
                excluding_until = line_end if line_end != -1 else section.end
                clause = clause[lead.end() :]
            if _EXCLUSION.search(clause) or a < excluding_until:
                got = _read_exclusion(clause, source, region)
                for f in got:
                    f.start, f.end = a, b
                out.rows += got
                if not got:  # "非本区注册企业不得申报" reads as the requirement it implies
                    out.unread.append((source, a, b, "排除条款未能识别"))
                continue
            subject = _unread_subject(clause, source, region)
            if subject:
                # an exclusion in a wording the reader does not know: its subject is whom it shuts out, not a requirement
                out.unread.append((source, a, b, "排除条款未能识别，未生成条件"))
                clause = _mask(clause, [subject])
                if not _read_clause(clause, source, region):
                    continue
            if _ONE_OF.search(clause):
                colon = re.search(r"[:：]", clause)
                head, tail = (clause[: colon.start()], clause[colon.end() :]) if colon else (clause, "")
                common = _read_clause(head, source, region)
                for f in common:
                    f.start, f.end = a, b
                out.rows += common
                one_of = []
                one_of_lead = _figure_lead(head)
                out.groups.append(one_of)
                clause = tail
                if not clause.strip():
                    continue
            if one_of is not None:
                branch = _read_clause(clause, source, region)
                if (
                    one_of_lead
                    and not any(f.condition["field"] in _NUMERIC_FIELDS for f in branch)
                    and _positive_industries(clause, source)
                ):
                    # "营业收入达到下列标准之一：（一）软件企业5000万元以上": the bare number is the lead's figure
                    branch += _led_numbers(clause, one_of_lead, source)
                for f in branch:
                    f.start, f.end, f.role = a, b, "alternative"
                if branch:
                    one_of.append(branch)
                else:
                    out.unread.append((source, a, b, "备选条件未能识别"))
                continue
            places = _place_alternatives(_said_of_applicant(clause), source, region, elsewhere_asked)
            if (
                re.match(r"\s*(?:或者|或)", clause)
                and placed_before
                and placed_before[1] == len(per_clause) - 1
            ):
                # "注册地在本区；或注册地不在本区，但纳税地和经营地在本区": the 或 opens the other side of the sentence before
                joined = _place_alternatives(
                    _said_of_applicant(placed_before[0] + "," + clause), source, region
                )
                if joined and joined.branches:
                    per_clause.pop()
                    paid.pop()
                    cut = len(placed_before[0]) + 1
                    joined.spans = [(max(0, x - cut), y - cut) for x, y in joined.spans if y > cut]
                    places = joined
            if places:
                for f in [f for br in places.branches for f in br]:
                    f.start, f.end, f.role = a, b, "alternative"
                if places.branches:
                    out.groups.append(places.branches)
                out.widened += places.widened
                if places.unreadable:
                    out.unread.append((source, a, b, "地点条件中有无法识别的备选，未生成地点条件"))
                clause = _mask(clause, places.spans + [m.span() for m in _DEEMED_TAIL.finditer(clause)])
                if len(_PLACE_LEFTOVER.sub("", clause)) <= 2:
                    continue  # the clause said only where the firm is
            split = _or_branches(clause, source, region)
            if split and not split[1]:
                for f in split[0]:
                    f.start, f.end = a, b
                out.rows += split[0]
                out.unread.append((source, a, b, "备选条件中有无法识别的一项，未生成“任一”组"))
                continue
            among = re.search(r"其中\s*[:：]?", clause)
            if (
                among
                and not _QTY.search(clause[: among.start()])
                and _positive_industries(clause[among.end() :], source)
            ):
                # "限额以上批发零售企业，其中：批发业…；零售业…": the head is every item's, the items follow
                head = clause[: among.start()]
                for f in _read_clause(head, source, region):
                    if not (f.condition["field"] == "industry_code" and f.condition["op"] == "prefix_in"):
                        f.start, f.end = a, b
                        out.rows.append(f)
                list_lead = _figure_lead(head) or list_lead
                clause = clause[among.end() :]
                figure_lead = _figure_lead(clause) or list_lead
            split = split or _per_industry_branches(clause, source, region, list_lead)
            if split:
                common, branches = split
                for f in common + [f for br in branches for f in br]:
                    f.start, f.end = a, b
                for br in branches:
                    for f in br:
                        f.role = "alternative"
                out.rows += common
                out.groups.append(branches)
                continue
            row = [c.strip() for c in clause.strip().strip("|").split("|")] if "|" in clause else None
            if row is None:
                table_header = None
            elif all(re.fullmatch(r"[-:\s]*", c) for c in row):
                continue  # the rule under a markdown header
            elif _industry_header(row):
                table_header = row  # "行业 | 上年度营业收入": the columns say what each row's cells measure
                continue
            elif (
                table_header
                and len(row) == len(table_header)
                and (_positive_industries(clause, source) or _statistical_cell(table_header, row))
            ):
                got = [
                    f
                    for head, cell in zip(table_header, row, strict=True)
                    if _figure_lead(head) or not _AWARD_COLUMN.search(head)
                    for f in _read_clause(head + cell, source, region)
                ]
                got = _statistical_industry(table_header, row, got, source)
                for f in got:
                    f.start, f.end = a, b
                per_clause.append(got)
                paid.append(False)
                spots.append(a)
                continue
            cells = _table_cells(clause)
            if cells is not None:
                # a table row: each cell on its own, the award in the last cell is the support, not a threshold
                if _name_columns(cells):
                    name_columns = (len(cells), _name_columns(cells))
                    continue
                row_paid = len(cells) >= 2 and bool(re.search(_MONEY, cells[-1]))
                if name_columns and len(cells) == name_columns[0]:
                    # "| 首次上规奖励 | 营业收入首次达到2000万元… |": beside a 条件 column the item's name is a name
                    said = [cell for i, cell in enumerate(cells) if i not in name_columns[1]]
                    if any(_read_clause(cell, source, region) for cell in said):
                        cells = said
                if len(cells) >= 2 and re.fullmatch(rf"[^\d]{{0,4}}{_MONEY}[^\d]{{0,6}}", cells[-1]):
                    cells = cells[:-1]
                got = [f for cell in cells for f in _read_clause(cell, source, region)]
                for f in got:
                    f.start, f.end = a, b
                if not got and any(re.search(r"\d", cell) for cell in cells):
                    out.unread.append((source, a, b, "未能识别的条件"))
                per_clause.append(got)
                paid.append(row_paid)
                spots.append(a)
                continue
            case = _case(clause, source, region)
            if case:
                for f in case[1]:
                    f.start, f.end = a, b
                if cases and cases[-1][0] != case[0]:
                    close_cases()
                cases.append(case)
                continue
            close_cases()
            got = _read_clause(clause, source, region)
            if (
                list_lead
                and not any(f.condition["field"] in _NUMERIC_FIELDS for f in got)
                and _positive_industries(clause, source)
            ):
                # "零售业1亿元以上" in a list led by "营业收入达到以下标准": the bare number is the lead's figure
                got += _led_numbers(clause, list_lead, source)
            if got and _may_apply_list(clause):
                got = [f for f in got if f.condition["field"] in _PLACE_FIELDS]
            for f in got:
                f.start, f.end = a, b
            preamble = _purpose_end(clause.strip()) >= len(clause.strip())
            if (
                not got
                and not preamble
                and not _BOILERPLATE.search(clause)
                and not _AWARD_SENTENCE.search(clause)
                and not _ITEM_MARK.match(clause.strip())  # "申报类别一：规模成长奖励" names the item
                and len(clause.strip()) > 4
            ):
                out.unread.append((source, a, b, "未能识别的条件"))
            elif _COUNTED_FIRMS.search(clause):
                out.unread.append((source, a, b, "对其他企业数量的要求，条件语言无法表达，未生成条件"))
            elif _STAFF_SHARE.search(clause):
                # "研发费用…，研发人员占比不低于50%": the clause read in part, the staff share has no field
                out.unread.append((source, a, b, "对人员占比的要求，条件语言无法表达，未生成条件"))
            per_clause.append(got)
            # "奖励标准：20万元" says its award in the lead cut off as a heading
            paid.append(bool(_AWARD_SENTENCE.search(normalise(line_head) + clause)))
            spots.append(a)
            if got and all(f.condition["field"] in _PLACE_FIELDS for f in got):
                placed_before = (clause, len(per_clause) - 1)
    close_cases()
    if _marked_items(text, per_clause, paid, spots, out):
        return out
    paid_items = [got for got, p in zip(per_clause, paid, strict=True) if p and got]
    # clauses (or table rows) each paying its own award for its own title, or for its own figures
    split = _paid_items(paid_items) or (_item_branches(paid_items) if len(paid_items) >= 2 else None)
    if split:
        for got, p in zip(per_clause, paid, strict=True):
            if not (p and got):
                out.rows += got
        out.rows += split[0]
        out.groups.append(split[1])
    else:
        _industry_items(per_clause, out)
    # "注册地在本区；…视同本区企业": the registration said on its own is one side of the 视同 group
    out.rows = [f for f in out.rows if f.condition not in out.widened]
    return out


# A line opening one 申报事项 of several: "申报事项一：", "类别二", "第一类", "A类：", "【项目三】", or a numbered title naming an
# award ("（一）国家高新技术企业认定奖励", "二、小巨人企业奖励：")
_ITEM_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]\s*|\(\s*[一二三四五六七八九十\d]{1,3}\s*\)\s*|\d{1,2}\s*[.、](?!\d)\s*|【)?"
    r"(?P<word>(?:申报|支持|奖励|资助|扶持|补贴)?(?:事项|类别|项目|方向)\s*[一二三四五六七八九十\d]{1,3}(?![\d.万亿元%])|"
    r"第[一二三四五六七八九十\d]{1,3}\s*类|[A-E]\s*类(?:企业|项目|事项)?\s*[:：])|"
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]\s*|\(\s*[一二三四五六七八九十\d]{1,3}\s*\)\s*|\d{1,2}\s*[.、](?!\d)\s*|【)"
    r"(?P<title>[^,，。;；:：|\d]{2,24}?(?:奖励|资助|补贴|补助|扶持|项目|事项))\s*(?:】)?\s*(?:[:：]|$)"
)
# what every item shares: "共同条件", "二、基本申报条件", "各事项均须满足"
_COMMON_MARK = re.compile(
    r"^\W*(?:[一二三四五六七八九十]{1,3}\s*[、.]|\(\s*[一二三四五六七八九十\d]{1,3}\s*\)|\d{1,2}\s*[.、])?\s*"
    r"(?:(?:共同|通用|基本|共性|一般|公共)(?:申报)?(?:条件|要求)|(?:各|以上|上述)(?:申报)?(?:事项|类别|项目))"
)


_ITEMS_WHY = "各申报事项条件不同，其中有事项的条件未能识别，未生成“任一”组"


def _item_marks(text: str) -> list[tuple[int, str]]:
    """(line start, how it opens an item: "word" for 事项一/类别二, "title" for a numbered award title, "" for a line
    that closes one: a common part or another heading), for every such line."""
    marks: list[tuple[int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        head = normalise(line.strip())
        item = _ITEM_MARK.match(head)
        if item and item.group("title") and _ITEMS_HEADING.search(item.group("title")):
            item = None  # "一、申报事项" heads the items, it is none of them
        if item:
            marks.append((start, "word" if item.group("word") else "title"))
        elif _COMMON_MARK.match(head) or _HEADING.match(line):
            marks.append((start, ""))
    return marks


def _marked_items(
    text: str, per_clause: list[list[_Found]], paid: list[bool], spots: list[int], out: _Collected
) -> bool:
    """Read 申报事项 that each state their own requirements (and award) as alternatives; False when there are none.

    "申报事项一：…申报条件：国高，研发费用300万元以上…支持标准：奖励20万元；申报事项二：…小巨人，营业收入1亿元以上…"
    asks for one item's requirements or the other's. Rows every item says, places and records bind them all.
    """
    marks = _item_marks(text)
    block_of: list[int | None] = []
    for at in spots:
        before = [(i, how) for i, (start, how) in enumerate(marks) if start <= at]
        block_of.append(before[-1][0] if before and before[-1][1] else None)
    blocks: dict[int, list[int]] = {}
    for i, block in enumerate(block_of):
        if block is not None:
            blocks.setdefault(block, []).append(i)
    items = [
        ([f for i in members for f in per_clause[i]], any(paid[i] for i in members))
        for members in blocks.values()
    ]
    stated = [(rows, p) for rows, p in items if any(f.condition.get("field") in _ITEM_FIELDS for f in rows)]
    worded = all(marks[b][1] == "word" for b in blocks)
    if len(items) < 2 or not stated or not (worded or all(p for _, p in items)):
        return False  # numbered titles without awards of their own may be one list of requirements
    inside = {i for members in blocks.values() for i in members}
    if len(stated) < len(items):
        # an item whose requirements read as nothing: one of the items is any firm's, or one no row can say; the
        # others' requirements bind no one, they are reported, never required of every applicant
        for i, got in enumerate(per_clause):
            kept = [f for f in got if i not in inside or f.condition.get("field") not in _ITEM_FIELDS]
            out.rows += kept
            for f in got:
                if f not in kept and all(u[0] != f.source for u in out.unread):
                    out.unread.append((f.source, f.start, f.end, _ITEMS_WHY))
        return True
    split = _paid_items([rows for rows, _ in stated]) or _item_branches([rows for rows, _ in stated])
    if not split:
        return False
    for i, got in enumerate(per_clause):
        if i not in inside:
            out.rows += got
    for rows, _ in items:
        if not any(f.condition.get("field") in _ITEM_FIELDS for f in rows):
            out.rows += rows
    out.rows += split[0]
    out.groups.append(split[1])
    return True


def _item_branches(items: list[list[_Found]]) -> tuple[list[_Found], list[list[_Found]]] | None:
    """(common rows, branches) of items told apart by what they require, None when they are not alternatives.

    Items that differ only in the threshold of one figure are tiers of one award (the tier reader's), not items.
    """
    common, branches = _split_items(items)
    if not all(branches) or len({repr([f.condition for f in br]) for br in branches}) < len(branches):
        return None
    fields = {f.condition["field"] for br in branches for f in br}
    if len(fields) == 1 and fields <= _NUMERIC_FIELDS:
        return None  # "2亿元（含）至5亿元，奖励30万元；5亿元（含）以上，奖励60万元": bands of one figure
    for br in branches:
        for f in br:
            f.role = "alternative"
    return common, branches


def _paid_items(items: list[list[_Found]]) -> tuple[list[_Found], list[list[_Found]]] | None:
    """Items that each pay their own award for a different title are alternatives: (common rows, branches).

    "（一）国家高新技术企业认定奖励：…奖励30万元；（二）科技型中小企业入库奖励：…奖励5万元" (or one table row per
    事项) asks for one title or the other, never both; what every item says, and places and records, bind them all.
    """
    titles = [
        [
            v
            for f in item
            if f.condition.get("field") == "qualifications" and f.condition.get("op") == "contains_any"
            for v in f.condition["value"]
        ]
        for item in items
    ]
    if len(items) < 2 or not all(titles):
        return None
    if any(set(a) & set(b) for i, a in enumerate(titles) for b in titles[i + 1 :]):
        return None
    common, branches = _split_items(items)
    for br in branches:
        for f in br:
            f.role = "alternative"
    return common, branches


def _split_items(items: list[list[_Found]]) -> tuple[list[_Found], list[list[_Found]]]:
    """(common rows, each item's own rows): what every item says, and places and records, bind them all."""
    shared = set.intersection(*({repr(f.condition) for f in item} for item in items))
    common: list[_Found] = []
    seen: set[str] = set()
    branches = []
    for item in items:
        branch: list[_Found] = []
        for f in item:
            key = repr(f.condition)
            if key in shared or f.condition.get("field") not in _ITEM_FIELDS:
                if key not in seen:
                    seen.add(key)
                    common.append(f)
            elif all(repr(g.condition) != key for g in branch):
                branch.append(f)
        branches.append(branch)
    return common, branches


_ITEM_FIELDS = {"industry_code", "qualifications", "size_class"} | _NUMERIC_FIELDS
# "给予10万元奖励" under an unheaded 支持标准 is the award, not a condition the reader failed to read
_AWARD_SENTENCE = re.compile(
    rf"{_SUPPORT_VERBS}[^,，;；。]{{0,12}}?{_MONEY}|{_MONEY}[^,，;；。]{{0,6}}?{_SUPPORT_VERBS}"
)


def _industry_items(per_clause: list[list[_Found]], out: _Collected) -> None:
    """Clauses naming different industries (a retail item, a catering item) are alternatives, not one conjunction."""

    def prefixes(got: list[_Found]) -> tuple[str, ...]:
        return tuple(
            v
            for f in got
            if f.condition["field"] == "industry_code" and f.condition["op"] == "prefix_in"
            for v in f.condition["value"]
        )

    # consecutive clauses naming the same industry ("（一）零售企业奖励。在本区注册的零售企业，…") are one item
    items: list[list[_Found]] = []
    item_of: dict[int, int] = {}
    for i, got in enumerate(per_clause):
        if not prefixes(got):
            continue
        if items and prefixes(items[-1]) and set(prefixes(got)) == set(prefixes(items[-1])):
            items[-1] = items[-1] + got
        else:
            items.append(list(got))
        item_of[i] = len(items) - 1
    disjoint = len(items) >= 2 and all(
        not any(x.startswith(y) or y.startswith(x) for x in prefixes(g) for y in prefixes(h))
        for i, g in enumerate(items)
        for h in items[i + 1 :]
    )
    if not disjoint:
        for got in per_clause:
            out.rows += got
        return
    # what every item says is common; what only some say belongs to their branch
    shared = set.intersection(*({repr(f.condition) for f in item} for item in items))
    for i, got in enumerate(per_clause):
        if i not in item_of:
            out.rows += got
    common_seen: set[str] = set()
    branches = []
    for item in items:
        branch = []
        for f in item:
            key = repr(f.condition)
            # a place or a record requirement said in one item's sentence binds the whole notice
            if key in shared or f.condition.get("field") not in _ITEM_FIELDS:
                if key not in common_seen:
                    common_seen.add(key)
                    out.rows.append(f)
            elif all(repr(g.condition) != key for g in branch):
                f.role = "alternative"
                branch.append(f)
        branches.append(branch)
    out.groups.append(branches)


def _stacked_bounds(found: list[_Found]) -> list[tuple[str, int, int, str]]:
    """Sentences stating two lower (or upper) bounds of one figure: most likely thresholds by kind of firm that were
    not told apart; the rows stand (the strictest binds, nobody wrong is admitted) and the official is told."""
    seen: dict[tuple[str, str, str], set[Any]] = {}
    for f in found:
        c = f.condition
        if c.get("field") in _NUMERIC_FIELDS and c.get("op") in ("gte", "gt", "lte", "lt"):
            side = "low" if c["op"] in ("gte", "gt") else "high"
            seen.setdefault((f.source, c["field"], side), set()).add(c["value"])
    out = []
    for (source, _, _), values in seen.items():
        f = next(f for f in found if f.source == source)
        if len(values) > 1 and all(u[0] != source for u in out):
            out.append(
                (
                    source,
                    f.start,
                    f.end,
                    "同一句中同一指标有多个门槛（可能按行业或类别区分），已按同时满足生成，请核对",
                )
            )
    return out


_ALSO_MAY = re.compile(r"也可|亦可|同样可|也能|或")


def _registered_elsewhere(found: list[_Found], groups: list[list[list[_Found]]]) -> list[_Found]:
    """Turn "注册地不在本区，但经营地和纳税地在本区的也可申报" beside "在本区注册" into any(registered, all(here))."""
    for ne in [
        f for f in found if f.condition.get("field") == "registered_district" and f.condition["op"] == "ne"
    ]:
        place = ne.condition["value"]
        here = [
            f
            for f in found
            if f.source == ne.source
            and f.condition.get("field") in ("operating_district", "tax_district")
            and f.condition["op"] == "eq"
            and f.condition["value"] == place
        ]
        registered = [f for f in found if f.condition == _cond("registered_district", "eq", place)]
        # without "在本区注册" beside it, or a 也可/或 saying the second way is an addition, the clause is literal
        if not here or not (registered or _ALSO_MAY.search(ne.source)):
            continue
        first = (
            registered[0]
            if registered
            else _Found(_cond("registered_district", "eq", place), ne.source, ne.start, ne.end, 0.8)
        )
        found = [f for f in found if f is not ne and f not in here and f not in registered]
        for f in [first, *here]:
            f.role = "alternative"
        groups.append([[first], here])
    return found


def _resolve_unity(
    found: list[_Found], groups: list[list[list[_Found]]], region: str | None
) -> tuple[list[_Found], list[tuple[str, int, int, str]]]:
    """Give 三地合一 rows the passage's district: the one it registers firms in, else the issuing district."""

    def unity(f: _Found) -> bool:
        return f.condition.get("value") == _UNITY_PLACE

    registered = [
        f.condition for f in found if f.condition.get("field") == "registered_district" and not unity(f)
    ]
    named = {c["value"] for c in registered if c["op"] == "eq"}
    if len(named) == 1:
        place = next(iter(named))
    else:
        # a city-wide or several-district registration names no single place the three can share
        place = None if any(c["op"] in ("eq", "in") for c in registered) else region
    unread: list[tuple[str, int, int, str]] = []

    def resolved(rows: list[_Found]) -> list[_Found]:
        out = []
        for f in rows:
            if not unity(f):
                out.append(f)
            elif place:
                f.condition = _cond(f.condition["field"], "eq", place)
                out.append(f)
            elif all(u[0] != f.source for u in unread):
                unread.append((f.source, f.start, f.end, "“三地合一”未指明所在区，未生成条件"))
        return out

    for group in groups:
        group[:] = [resolved(branch) for branch in group]
    return resolved(found), unread


def _dedupe(found: list[_Found]) -> list[_Found]:
    seen, result = set(), []
    for item in found:
        key = repr(item.condition)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def _targets(
    conditions: list[dict[str, Any]], text: str, title: str, objects: list[_Section]
) -> dict[str, list[str]]:
    industries: list[str] = []
    for c in conditions:
        if c["field"] == "industry_code" and c["op"] in ("prefix_in", "in", "eq"):
            values = c["value"] if isinstance(c["value"], list) else [c["value"]]
            industries += [v for v in values if v not in industries]
    if not industries:
        for m in _PRIORITY.finditer(normalise(text)):
            for f in _read_industry(m.group(1) + "领域", m.group(0)):
                if f.condition["op"] == "prefix_in":
                    industries += [v for v in f.condition["value"] if v not in industries]
    held = [
        q
        for c in conditions
        if c["field"] == "qualifications" and c["op"] in ("contains_any", "contains_all")
        for q in c["value"]
    ]
    if objects:
        scope = normalise(title) + "。" + "。".join(normalise(text[s.start : s.end]) for s in objects)
    else:
        scope = normalise(title)
    named = _read_qualifications(_BOOK.sub("", scope), "")[0]
    mentioned = [q for f in named if f.condition["op"] != "not_contains_any" for q in f.condition["value"]]
    # the qualifications the eligibility names are the policy's targets, unless the title or the 支持对象 speak of
    # qualifications themselves (then only those they name: a 知识产权 policy that also asks for 高企 is for
    # 知识产权优势企业; a 拟上市 policy is for firms not listed) or an industry
    if named:
        qualifications = [q for q in dict.fromkeys(held) if q in mentioned]
    elif objects and industries:
        qualifications = []  # the 支持对象 name an industry: that is the topic, the qualifications are conditions
    else:
        qualifications = list(dict.fromkeys(held))
    return {"industries": industries, "qualifications": qualifications}


# Tiers: "首次达到1亿元、5亿元、10亿元的，分别给予20万元、50万元、100万元" or one threshold and one award per line
_QUANTITY = r"\d+(?:\.\d+)?\s*(?:千万|百万|亿|万)?\s*(?:元|人|名)"
# "1000万、3000万、1亿元": the unit may be said once, after the last of the list
_LISTED_QUANTITY = r"\d+(?:\.\d+)?\s*(?:千万|百万|亿|万)?\s*(?:元|人|名)?"
_TIER_LIST = re.compile(
    rf"((?:{_LISTED_QUANTITY}\s*[、,，和及]\s*)+{_QUANTITY})[^。;；]{{0,6}}?分别[^。;；\d]{{0,8}}((?:{_LISTED_QUANTITY}\s*[、,，和及]\s*)+{_QUANTITY})"
)
# "| 第一档 | 1000万元（含）—3000万元 | 50万元 |": cells naming the tier come before its bounds
_TIER_LABEL_CELLS = r"(?:(?:[^\d|]{0,16}|\d{1,2}\s*)\|\s*)*"
# a tier's upper bound: "至3000万元（不含）", "—1亿元", "（含）以上不足3000万元", "以上、5000万元以下"
_TIER_UPPER = (
    rf"(?:(?:至|到|-|~|—|–|－)|(?:以上|及以上)?\s*、?\s*但?(?:不足|不满|未满|低于|少于|未达到))\s*{_QUANTITY}\s*(?:\(不?含\))?"
    rf"\s*(?:之间|以下)?|(?:以上|及以上)\s*、\s*{_QUANTITY}\s*(?:\(不?含\))?\s*以下"
)
_TIER_PAIR = re.compile(
    rf"^\|?\s*{_TIER_LABEL_CELLS}[^\d|]{{0,16}}?({_QUANTITY})\s*(?:\((?:含|以上)\))?\s*(?:{_TIER_UPPER}|以上|及以上)?"
    rf"\s*的?\s*(?:企业)?\s*[,，|:：]\s*(?:奖励|给予|补贴|补助|资助|一次性)*\s*(\d+(?:\.\d+)?\s*万?元)"
)
# the bottom tier said from above: "营业收入1亿元以下的，奖励10万元" (it starts where the conditions do)
_TIER_BELOW = re.compile(
    rf"^\|?\s*{_TIER_LABEL_CELLS}[^\d|]{{0,16}}?({_QUANTITY})\s*(?:\(不含\))?\s*(?:以下|以内)\s*的?\s*(?:企业)?\s*[,，|:：]"
    rf"\s*(?:奖励|给予|补贴|补助|资助|一次性)*\s*(\d+(?:\.\d+)?\s*万?元)"
)
# several steps in one sentence: "年销售额达到10亿元的奖励50万元，达到20亿元的奖励100万元"
# (or "研发费用500万元以上的奖励20万元，1000万元以上的奖励50万元", "1000万元至3000万元（不含）的奖励30万元，…")
_TIER_STEP = re.compile(
    rf"(?:(?:达到|超过|满|突破)\s*({_QUANTITY})\s*(?:\(含\))?\s*(?:{_TIER_UPPER}|以上|及以上)?\s*的?|"
    rf"({_QUANTITY})\s*(?:\(含\))?\s*(?:{_TIER_UPPER}|以上|及以上)\s*的)"
    rf"\s*(?:企业)?\s*[,，]?\s*(?:奖励|给予|补贴|补助|资助|一次性)+\s*(\d+(?:\.\d+)?\s*万?元)"
)


def _quantity(text: str) -> tuple[str, Decimal] | None:
    m = _QTY.match(text.strip())
    return _scaled(m.group(1), m.group(2), m.group(3)) if m else None


def _listed_quantities(listed: str) -> list[tuple[str, Decimal] | None]:
    """The quantities of a tier list, each taking the unit said after the last one ("1000万、3000万、1亿元")."""
    items = [x.strip() for x in re.split(r"[、,，和及]", listed) if x.strip()]
    unit = re.search(r"(元|人|名)\s*$", items[-1]) if items else None
    return [_quantity(x if re.search(r"(元|人|名)\s*$", x) or not unit else x + unit.group(1)) for x in items]


def _tiers(text: str, region_text: str) -> tuple[dict[str, Any], list[tuple[int, int]]] | None:
    """Read a tiered award from the support prose: (support rule, spans of the tier sentences) or None."""
    pairs: list[tuple[Decimal, Decimal]] = []
    spans: list[tuple[int, int]] = []
    base = None
    kind = None
    tier_bases: set[str] = set()  # the base each tier line names, where it names one
    pos = 0
    for seg in re.split(r"(?<=[。;；\n])", text):
        a, b = pos, pos + len(seg)
        pos = b
        norm = normalise(seg)
        terms = [m for m in _BASE_TERM.finditer(norm)]
        if terms and (base is None or not (pairs or _TIER_PAIR.match(norm))):
            # a header names the base; so does the first tier line when no header did ("营业收入在2000万元至…");
            # a line after the tiers ("企业须在本区注册、纳税") names no base of theirs
            base = _BASE_OF[terms[-1].group(0)]
        listed = _TIER_LIST.search(norm)
        if listed:
            limits = _listed_quantities(listed.group(1))
            awards = _listed_quantities(listed.group(2))
            head = [m for m in _BASE_TERM.finditer(norm[: listed.start()])]
            if head:
                base = _BASE_OF[head[-1].group(0)]
            if len(limits) == len(awards) >= 2 and all(limits) and all(awards):
                pairs = [(q[1], w[1]) for q, w in zip(limits, awards, strict=True)]
                kind = limits[0][0]
                spans.append((a, b))
                break
        for line in norm.split("\n"):
            steps = list(_TIER_STEP.finditer(line))
            if len(steps) >= 2:
                for step in steps:
                    q, w = _quantity(step.group(1) or step.group(2)), _quantity(step.group(3))
                    if q and w and w[0] == "money":
                        pairs.append((q[1], w[1]))
                        kind = q[0]
                spans.append((a, b))
                continue
            below = _TIER_BELOW.match(line.strip())
            if below and not pairs:
                q, w = _quantity(below.group(1)), _quantity(below.group(2))
                if q and w and w[0] == "money":
                    pairs.append((Decimal(-1), w[1]))  # its floor is the conditions' lower bound
                    kind = q[0]
                    spans.append((a, b))
                continue
            m = _TIER_PAIR.match(line.strip())
            named = list(_BASE_TERM.finditer(line))
            if not m and named:
                # "产值增长达到15%且营业收入在5000万元（含）至2亿元之间的，奖励30万元": the tier starts at its base
                m = _TIER_PAIR.match(line[named[-1].end() :])
            if m:
                q, w = _quantity(m.group(1)), _quantity(m.group(2))
                if q and w and w[0] == "money":
                    pairs.append((q[1], w[1]))
                    kind = q[0]
                    spans.append((a, b))
                    tier_bases.update(_BASE_OF[t.group(0)] for t in named[-1:])
    if len(tier_bases) > 1:
        return None  # "营业收入1亿元以上的奖励50万元；研发费用1000万元以上的奖励30万元": awards for different figures
    if [p[0] for p in pairs] == sorted({p[0] for p in pairs}, reverse=True):
        pairs.reverse()  # "1000万元以上的，奖励100万元；500万元以上不足1000万元的…": the tiers said from the top
    if base is None or len(pairs) < 2 or [p[0] for p in pairs] != sorted({p[0] for p in pairs}):
        return None
    if _UNIT_OF_FIELD.get(base) != kind:
        return None
    rule = {
        "kind": "tiers",
        "base": base,
        "tiers": [{"gte": None if q < 0 else _number(q), "amount_wan": _number(w)} for q, w in pairs],
    }
    return rule, spans


# Tiers on a growth rate: "增长率达到15%的奖励30万元，达到30%的奖励60万元", "营业收入增长15%、30%、50%以上的分别给予…".
# No support rule takes a growth base; the lowest tier is still the condition.
_GROWTH_WORD = re.compile(r"增长率|增速|增幅|增长")
_GROWTH_STEP = re.compile(
    rf"(\d+(?:\.\d+)?)\s*%\s*(?:\(含\))?\s*(?:及以上|以上)?\s*的?\s*(?:企业)?\s*[,，:：]?\s*(?:给予|奖励|补贴|资助|补助|一次性)+\s*{_MONEY}"
)
_GROWTH_LIST = re.compile(r"((?:\d+(?:\.\d+)?\s*%?\s*[、,，和及]\s*)+\d+(?:\.\d+)?\s*%)[^。;；]{0,8}?分别")
_GROWTH_TIER_WHY = "按增长率分档的奖励，金额规则无法表达，未生成金额规则"


def _growth_tiers(text: str) -> tuple[str, list[int | float], str] | None:
    """(growth field, the tiers' limits, the sentence) of awards tiered on revenue or tax growth, None for none."""
    # "增长20%以上的，奖励50万元；增长30%以上的，…" is one sentence of tiers
    for sentence in re.split(r"[。\n]", normalise(text)):
        listed = _GROWTH_LIST.search(sentence)
        steps = list(_GROWTH_STEP.finditer(sentence))
        if listed:
            limits = [Decimal(x) for x in re.findall(r"\d+(?:\.\d+)?", listed.group(1))]
            first = listed.start()
        elif len(steps) >= 2:
            limits = [Decimal(m.group(1)) for m in steps]
            first = steps[0].start()
        else:
            continue
        if len(limits) < 2 or limits != sorted(set(limits)) or not _GROWTH_WORD.search(sentence[:first]):
            continue
        figures = [
            t for t in _TERMS.finditer(sentence[:first]) if _FIELD_OF_TERM.get(t.group(0)) in _GROWTH_OF
        ]
        if not figures or not _GROWTH_WORD.search(sentence[figures[-1].end() : first]):
            continue
        tiers = [_number(x / 100) for x in limits]
        return _GROWTH_OF[_FIELD_OF_TERM[figures[-1].group(0)]], tiers, sentence.strip()
    return None


_NAME_COLUMN = re.compile(
    r"^(?:序号|编号|项目|项目名称|事项|事项名称|支持事项|申报事项|名称|类别|类型|档次|档位|奖项|奖励类型|支持类型|政策名称)$"
)
_CONDITION_COLUMN = re.compile(r"条件|对象|要求|门槛|申报主体|适用范围")


def _name_columns(cells: list[str]) -> set[int]:
    """The columns of a table header that only name the item (项目, 事项, 档次), when another column holds its
    conditions (支持条件, 申报对象); empty for any other row."""
    if any(re.search(r"\d", c) for c in cells) or not any(_CONDITION_COLUMN.search(c) for c in cells):
        return set()
    return {i for i, c in enumerate(cells) if _NAME_COLUMN.match(c.replace(" ", ""))}


def _table_cells(clause: str) -> list[str] | None:
    """The cells of a table row ("|研发补贴|研发费用500万元以上|30万元|"), None for prose."""
    if clause.count("|") < 2:
        return None
    return [c.strip() for c in clause.strip().strip("|").split("|")]


# "奖励仅限…的企业", "本项补贴限…的企业申报", "仅支持…的企业": the award narrowed to some firms
_ONLY_FOR = (
    r"(?:本项|本|该项|该|此项|上述|以上)?(?:奖励|政策|资助|补贴|扶持|措施|项目|支持|补助|奖补|贴息)?"
    r"(?:仅限|只限|限于|仅面向|只面向|仅适用于|只适用于|仅支持|只支持|限(?!额|期|时|制|定|于|上企业|下企业|上单位))(?:于)?"
)
# "申请企业须为…", "申报单位应当…": a requirement said outright, under whatever heading
# a bound said in brackets inside a material: "（营业收入须达到1000万元以上）", "（从业人员应不少于20人）"
_MATERIAL_BOUND = re.compile(r"\(([^()]{0,20}?(?:须|需|应当|应|必须)[^()]{0,20}?\d[^()]{0,12})\)")
_STATED_REQUIREMENT = re.compile(
    # "注：申报企业上年末从业人员须不少于20人" — a note under the award states one too; what a firm must do once
    # paid ("获得奖励后须在本区经营满5年") binds the future, not who may apply
    r"^(?:(?:注|备注|说明|特别说明|另)\s*\d?\s*[:：]?\s*)?(?:申请|申报)(?:企业|单位|主体|人)"
    r"(?:(?!获|后|资金|承诺|拨付|验收|完成)[^,，;；。]){0,16}?(?:还)?(?:须|需|应|应当|必须)(?:为|是|属于|具备|满足|符合)?|"
    # an answer narrowing who may apply: "本项奖励仅限制造业企业", "不能，本政策只面向小微企业"
    rf"^(?:(?:不能|不可以|不行|可以|能|是的)\s*[,，]\s*)?{_ONLY_FOR}|"
    # "企业上年度营业收入须达到1亿元方可享受": what the award waits for is a requirement
    r"^[^。;；]{2,60}?(?:方可|方能|才可|才能)(?:享受|申报|申请|获得|领取)"
)


def _stated_from(clause: str) -> int | None:
    """Where a requirement said outright starts in a clause: at its start, or after a comma ("每家补贴10万元，本项补贴
    限…的企业申报"); None for none."""
    if _STATED_REQUIREMENT.match(clause.strip()):
        return 0
    for comma in re.finditer(r"[,，]", clause):
        rest = clause[comma.end() :].strip()
        if re.match(_ONLY_FOR, rest):
            return comma.end()
    return None


# a requirement inside the support prose: "上年度营业收入1亿元以上的，给予30万元奖励"
_SUPPORT_REQUIREMENT = re.compile(
    r"^(?P<head>[^。;；]{4,80}?)的(?:[^,，。;；的]{0,16}?(?:企业|单位)\s*[,，]?|\s*[,，])\s*(?:可)?(?:给予|奖励|补贴|资助|每|按(?:其|照)?(?:上年度|上一年度)?)"
)


def _support_requirements(
    text: str, sections: list[_Section], region: str | None, skip: list[tuple[int, int]]
) -> tuple[list[_Found], list[list[_Found]]]:
    """Rows stated as the condition of an award, or in a table row of 支持内容, outside the condition sections."""
    out: list[_Found] = []
    items: list[list[_Found]] = []
    for section in sections:
        for a, b in _clauses(text, section.start, section.end):
            if any(x <= a < y for x, y in skip):
                continue
            clause = normalise(text[a:b])
            cells = _table_cells(clause)
            if cells and len(cells) >= 3 and re.search(_MONEY, cells[-1]):
                heads = cells[1:-1]
            else:
                m = _SUPPORT_REQUIREMENT.match(clause.strip())
                if not m or re.search(r"部分|分别|按|、\s*\d", m.group("head")):
                    continue
                heads = [clause.strip()[: m.end()]]
            item = []
            for head in heads:
                for f in _read_clause(head, text[a:b].strip(), region):
                    f.start, f.end, f.confidence = a, b, 0.7
                    item.append(f)
            out += item
            if item:
                items.append(item)
    split = _paid_items(items) or (_item_branches(items) if len(items) >= 2 else None)
    if split:
        # one table row (or one "…的，给予N万元") per 事项, each for its own title or figures: one is enough
        return split[0], split[1]
    return out, []


def _bounds(rows: list[_Found]) -> bool:
    lo = hi = None
    for f in rows:
        op, v = f.condition["op"], Decimal(str(f.condition["value"]))
        if op in ("gte", "gt") and (lo is None or v > lo or (v == lo and op == "gt")):
            lo = v
        if op in ("lte", "lt") and (hi is None or v < hi or (v == hi and op == "lt")):
            hi = v
    if lo is None or hi is None:
        return True
    # lo == hi from 以上 and 以下 is the sign of two alternatives read as one conjunction, not a real bound
    return lo < hi


def _clashing(rows: list[_Found]) -> set[int]:
    """Return the indices of rows that cannot hold together (so no firm would pass)."""
    bad: set[int] = set()
    by_field: dict[str, list[int]] = {}
    for i, f in enumerate(rows):
        c = f.condition
        name = c.get("field") or c["not"].get("field")
        by_field.setdefault(name, []).append(i)
    for name, idx in by_field.items():
        if name in _NUMERIC_FIELDS:
            numeric = [i for i in idx if rows[i].condition.get("op") in ("gte", "gt", "lte", "lt")]
            if not _bounds([rows[i] for i in numeric]):
                bad.update(numeric)
            continue
        for x, i in enumerate(idx):
            for j in idx[x + 1 :]:
                if _pair_clash(rows[i].condition, rows[j].condition):
                    bad.update((i, j))
    return bad


def _overlap(xs: list[str], ys: list[str]) -> bool:
    return any(x.startswith(y) or y.startswith(x) for x in xs for y in ys)


def _pair_clash(a: dict[str, Any], b: dict[str, Any]) -> bool:
    for c, d in ((a, b), (b, a)):
        if (
            "not" in c
            and "field" in d
            and d["op"] == "prefix_in"
            and c["not"]["op"] == "prefix_in"
            and all(any(x.startswith(y) for y in c["not"]["value"]) for x in d["value"])
        ):
            return True
    if "not" in a or "not" in b:
        return False
    ops = {a["op"], b["op"]}
    va, vb = a["value"], b["value"]
    if ops == {"eq"}:
        return va != vb
    if ops == {"eq", "ne"}:
        return va == vb
    if ops == {"eq", "in"}:
        single, many = (va, vb) if a["op"] == "eq" else (vb, va)
        return single not in many
    if ops == {"in"}:
        return not set(va) & set(vb)
    if ops == {"eq", "not_in"}:
        single, many = (va, vb) if a["op"] == "eq" else (vb, va)
        return single in many
    if ops == {"in", "not_in"}:
        yes, no = (va, vb) if a["op"] == "in" else (vb, va)
        return set(yes) <= set(no)
    if ops == {"prefix_in"}:
        return not _overlap(va, vb)
    if ops == {"prefix_in", "not_in"}:
        return False
    if ops in ({"contains_any", "not_contains_any"}, {"contains_all", "not_contains_any"}):
        yes, no = (va, vb) if a["op"] != "not_contains_any" else (vb, va)
        return (
            (set(yes) <= set(no))
            if "contains_any" in ops and a["op"] != "contains_all" and b["op"] != "contains_all"
            else bool(set(yes) & set(no))
        )
    return False


def _implied_dropped(found: list[_Found]) -> list[_Found]:
    """Drop a "not X" row that a positive row on the same field already implies (in 中小微 ⇒ not 大型)."""
    keep = []
    for f in found:
        c = f.condition
        if c.get("op") in ("ne", "not_in"):
            banned = c["value"] if c["op"] == "not_in" else [c["value"]]
            if any(
                g.condition.get("field") == c["field"]
                and g.condition.get("op") in ("eq", "in")
                and not set(g.condition["value"] if g.condition["op"] == "in" else [g.condition["value"]])
                & set(banned)
                for g in found
            ):
                continue
        banned_here = _excluded_classes(c)
        if banned_here and any(
            g is not f
            and (other := _excluded_classes(g.condition))
            and banned_here <= other
            and (banned_here != other or found.index(g) < found.index(f))
            for g in found
        ):
            continue  # "不含房地产企业" beside "从事房地产开发经营的不在支持范围": the narrower exclusion says nothing more
        keep.append(f)
    return keep


def _excluded_classes(c: dict[str, Any]) -> set[str]:
    """The industry classes an industry exclusion row shuts out (empty for any other row)."""
    if c.get("field") == "industry_code" and c.get("op") == "not_in":
        return set(c["value"])
    inner = c.get("not", {})
    if inner.get("field") == "industry_code" and inner.get("op") == "prefix_in":
        return {code for prefix in inner["value"] for code in _classes_under(prefix)}
    return set()


def _field_rank(f: _Found) -> int:
    name = f.condition.get("field") or f.condition["not"].get("field")
    return _FIELD_ORDER.index(name) if name in _FIELD_ORDER else len(_FIELD_ORDER)


# Fields the reader proposes (in the tree) that enterprise records do not carry yet: a flat row on them would make
# every firm "unknown" and drop text-only policies from ranking and delivery until the profile gains the field.
PROFILE_PENDING_FIELDS = frozenset(
    {
        "tax_district",
        "operating_district",
        "revenue_growth",
        "tax_paid_growth",
        "revenue_wan_prev",
        "approved_groups",
    }
)


def _flat(tree: dict[str, Any]) -> dict[str, Any]:
    """The plain rows of a tree that portal.conditions accepts and enterprise records can answer today."""
    from portal import conditions as rules  # pure module; imported here to keep the reader importable alone

    def usable(node: dict[str, Any]) -> bool:
        # nor does any record carry a loan (贷款担保方式, 期限): it is known only on the financing request judged
        return not any(
            row["field"] in PROFILE_PENDING_FIELDS or row["field"] in rules.LOAN_FIELDS
            for row in rules.leaves(node)
        )

    if not rules.validate(tree) and all(usable(n) for n in tree["all"]):
        return tree
    # an any group on fields records carry stays: dropping it would admit firms the policy shuts out
    rows = [n for n in tree["all"] if not rules.validate({"all": [n]}) and usable(n)]
    return {"all": rows}


# "第二条 本细则所称扩产增效企业，是指在宝安区注册、…的规模以上工业企业": a definition of whom the policy is for,
# binding where the conditions refer to it ("符合第二条规定", "属于本细则所称…") or the policy is about that term
_DEFINITION = re.compile(
    r"本(?:实施细则|细则|办法|措施|通知|政策|规定|指南|方案|条例)?(?:所称|所指|中所称|所述)的?\s*"
    r"(?P<term>[^,，;；。:：\s]{2,20}?)\s*[,，]?\s*(?:是指|系指|指)\s*(?P<body>[^。;；]+)"
)
_ARTICLE_NO = r"([一二三四五六七八九十百]{1,4}|\d{1,3})"
_REFERS_TO_ARTICLE = re.compile(
    r"(?:符合|满足|属于|具备)\s*(?:本(?:实施细则|细则|办法|措施|规定))?第\s*" + _ARTICLE_NO + r"\s*条"
)
_TERM_SUFFIX = re.compile(r"(?:企业|单位|机构|主体|项目|公司)$")


def _refers_to(clause: str, articles: set[int | str]) -> bool:
    """Whether a clause points to one of the definitions applied (by its article's number or its term)."""
    ref = _REFERS_TO_ARTICLE.search(clause)
    return bool(ref and _article_number(ref.group(1)) in articles) or any(
        isinstance(t, str) and t in clause for t in articles
    )


def _article_number(numeral: str) -> int:
    """The number of an article ("二" or "2")."""
    return int(numeral) if numeral.isdigit() else int(cn_number(numeral))


def _defined_requirements(
    text: str, sections: list[_Section], read: list[_Section], title: str, region: str | None
) -> tuple[list[_Found], list[tuple[str, int, int, str]], set[int | str]]:
    """Rows of the definitions outside the read sections that bind (referred to, or the policy's subject), the
    definitions that bind but say nothing readable, and the articles (their numbers, else the terms) so applied."""
    said = "\n".join(normalise(text[s.start : s.end]) for s in read)
    referred = {_article_number(m.group(1)) for m in _REFERS_TO_ARTICLE.finditer(said)}
    rows: list[_Found] = []
    unread: list[tuple[str, int, int, str]] = []
    applied: set[int | str] = set()
    for section in sections:
        if section in read or section.kind in ("materials", "process", "exclusion"):
            continue
        for a, b in _clauses(text, section.start, section.end):
            clause = normalise(text[a:b])
            m = _DEFINITION.search(clause)
            if not m:
                continue
            article = re.match(r"\s*第\s*" + _ARTICLE_NO + r"\s*条", normalise(text[section.start : a + 1]))
            number = _article_number(article.group(1)) if article else None
            term = m.group("term")
            core = _TERM_SUFFIX.sub("", term) or term
            binds = (
                number in referred
                or re.search(r"所称\s*" + re.escape(term), said)
                or re.search(r"(?:符合|属于|为|是|经认定的)\s*" + re.escape(term), said)
                or (len(_TERM_SUFFIX.sub("", term)) >= 2 and core in normalise(title))
            )
            if not binds:
                continue
            applied.add(term)
            if number is not None:
                applied.add(number)
            source = text[a:b].strip()
            got = _read_clause(m.group("body"), source, region)
            for f in got:
                f.start, f.end, f.confidence = a, b, 0.8
            rows += got
            if not got:
                unread.append((source, a, b, "定义条款未能识别"))
    return rows, unread, applied


_GRANTED = re.compile(r"经(?:本次)?(?:认定|评定|评审|认证)(?:的|后的|为)|认定后的|获得认定的")


def _title_applied_for(found: _Found, title: str, text: str) -> bool:
    """Whether a row is the title the notice grants: "经认定的总部企业，给予…" in a 总部企业认定 notice."""
    cond = found.condition
    if cond.get("field") != "qualifications" or cond.get("op") != "contains_any":
        return False
    if not _GRANTED.search(normalise(found.source)):
        return False
    names = [str(v).replace('"', "") for v in cond["value"]]
    plain = normalise(text).replace('"', "")
    heading = normalise(title).replace('"', "")
    # the notice grants it ("申请认定总部企业", "总部企业认定和扶持"), not rewards a title won elsewhere (认定奖励)
    return all(
        f"申请认定{n}" in plain
        or f"{n}认定申报" in plain + heading
        or re.search(re.escape(n) + r"认定(?!奖励|资助|补贴|补助|后补助)", heading)
        for n in names
    )


def read_policy(text: str, title: str = "", vocabulary: Iterable[Any] | None = None) -> Reading:
    """Read a policy's text (and title) and propose its conditions, targets, support and 秒批 status."""
    # the vocabulary in force (reference.vocabulary(): the admins' table once loaded, else the seed) unless given
    token = _VOCABULARY.set(_term_pairs(reference.vocabulary() if vocabulary is None else vocabulary))
    try:
        return _read_policy(text, title)
    finally:
        _VOCABULARY.reset(token)


_PER_UNIT_WHY = "按单位计算的支持标准（计数对象不是企业档案字段），未生成金额规则"


def _locate(prepared: str, sentence: str) -> tuple[int, int]:
    """Offsets in the text of a sentence given in normalised form (-1, -1 when it cannot be found)."""
    pos = 0
    for piece in re.split(r"(?<=[。;；\n])", prepared):
        start, pos = pos, pos + len(piece)
        if sentence and sentence in normalise(piece):
            return start, pos
    return -1, -1


def _read_policy(text: str, title: str) -> Reading:
    prepared = text.translate(_FULLWIDTH)
    sections = _sections(prepared)
    region = _region_district(prepared, title)
    condition_sections, object_sections = _eligibility_spans(prepared, sections)
    collected = _collect(prepared, condition_sections, region)
    collected.unread += _unplaced(prepared, condition_sections + object_sections, region)
    found = collected.rows
    if object_sections:
        # 支持对象 prose adds only what the 申报条件 leave unsaid (a field they do not mention at all)
        from_objects = _collect(prepared, object_sections, region)
        said = {f.condition.get("field") for f in found} | {
            f.condition.get("field") for g in collected.groups for br in g for f in br
        }
        found += [f for f in from_objects.rows if f.condition.get("field") not in said]
        if not collected.groups:
            collected.groups = from_objects.groups
        collected.unread += from_objects.unread
    support_sections = [s for s in sections if s.kind == "support"]
    tier_text_sections = support_sections or [s for s in sections if s.kind not in ("materials", "process")]
    tiered = None
    tier_spans: list[tuple[int, int]] = []
    for s in tier_text_sections:
        got = _tiers(prepared[s.start : s.end], region or "")
        if got:
            tiered = got[0]
            tier_spans = [(s.start + a, s.start + b) for a, b in got[1]]
            break
    outside_unread: list[tuple[str, int, int, str]] = []
    if condition_sections or object_sections:
        outside = [s for s in sections if s.kind in ("support", "other") and s not in condition_sections]
        required, item_branches = _support_requirements(prepared, outside, region, tier_spans)
        found += required
        if item_branches:
            collected.groups.append(item_branches)
        # "二、其他要求：已获得本区同类奖励的企业不得重复申报" — an exclusion binds wherever it stands
        for s in sections:
            if s.kind == "materials":
                # "三、申报材料：…\n注：申报企业上年度营业收入须不低于200万元": a note under the list still binds
                for a, b in _clauses(prepared, s.start, s.end):
                    clause = normalise(prepared[a:b]).strip()
                    if re.match(
                        r"(?:注|备注|说明|特别说明)\s*\d?\s*[:：]", clause
                    ) and _STATED_REQUIREMENT.match(clause):
                        for f in _read_clause(clause, prepared[a:b].strip(), region):
                            f.start, f.end, f.confidence = a, b, 0.7
                            found.append(f)
                    for note in _MATERIAL_BOUND.finditer(clause):
                        # "审计报告（营业收入须达到1000万元以上）": the bracket bounds what the document must show
                        for f in _read_clause(note.group(1), prepared[a:b].strip(), region):
                            if f.condition["field"] in _NUMERIC_FIELDS:
                                f.start, f.end, f.confidence = a, b, 0.7
                                found.append(f)
                continue
            if s in condition_sections or s in object_sections:
                continue
            # the items of "以下企业不予受理：" / "有下列情形之一的，不予支持：" are excluded too
            listed_until = -1
            for a, b in _clauses(prepared, s.start, s.end):
                clause = normalise(prepared[a:b])
                if s.kind != "process" or _LOAN_WORD.search(s.heading):
                    # "二、贷款要求：以知识产权质押方式取得、期限不少于6个月的贷款" bounds the loan paid on
                    for f in _read_loan(clause, prepared[a:b].strip()):
                        f.start, f.end, f.confidence = a, b, 0.7
                        found.append(f)
                stated = _stated_from(clause)
                if s.kind in ("process", "other", "support") and stated is not None:
                    # "六、其他规定：申请企业须为规模以上服务业企业，且…" states a requirement wherever it stands
                    for f in _read_clause(clause[stated:], prepared[a:b].strip(), region):
                        f.start, f.end, f.confidence = a, b, 0.7
                        found.append(f)
                    continue
                listed = a < listed_until
                lead = re.search(r"[:：]", clause)
                if not listed and lead and _EXCLUSION.search(clause[: lead.start()]):
                    line_end = prepared.find("\n", a)
                    if clause[lead.end() :].strip():
                        listed_until = line_end if line_end != -1 else s.end
                    else:
                        listed_until = _list_end(prepared, b, s.end)
                        continue
                    clause, listed = clause[lead.end() :], True
                # "三、其他：同一企业同一事项只兑付一次" limits the firm to this policy's support once, wherever it stands
                if listed or _EXCLUSION.search(clause) or _ONCE_ONLY.search(clause):
                    got = _read_exclusion(clause, prepared[a:b].strip(), region)
                    for f in got:
                        if f.condition.get("field") not in _PLACE_FIELDS:
                            f.start, f.end = a, b
                            found.append(f)
                    source = prepared[a:b].strip()
                    outside_unread += [(source, a, b, why) for why in _compliance_gaps(clause)]
                    if listed and not got and s.kind != "process":
                        # a list under 申报程序 ("材料不全的，不予受理") is procedure, not whom the policy shuts out
                        outside_unread.append((source, a, b, "排除条款未能识别"))
    if condition_sections or object_sections:
        defined, defined_unread, articles = _defined_requirements(
            prepared, sections, condition_sections + object_sections, title, region
        )
        found += defined
        outside_unread += defined_unread
        # "（一）符合第二条规定；", "经认定的科技型企业" are read now: the definition they point to gave the rows
        collected.unread = [u for u in collected.unread if not _refers_to(normalise(u[0]), articles)]
    if tiered and tiered["tiers"][0]["gte"] is None:
        # the bottom tier ("1亿元以下的，奖励10万元") starts where the applicant's lower bound does, else at 0
        floors = [
            f.condition["value"]
            for f in found
            if f.condition.get("field") == tiered["base"] and f.condition.get("op") in ("gte", "gt")
        ]
        floors = [v for v in floors if v < tiered["tiers"][1]["gte"]]
        tiered["tiers"][0]["gte"] = max(floors) if floors else 0
    if tiered:
        limits = {t["gte"] for t in tiered["tiers"]}
        lowest = tiered["tiers"][0]["gte"]
        base = tiered["base"]
        # the tiers belong to the support rule: only the lowest is a condition
        found = [
            f
            for f in found
            if not (
                f.condition.get("field") in (base, "revenue_wan_prev") and f.condition.get("value") in limits
            )
        ]
        a, b = tier_spans[0]
        source = prepared[a:b].strip()
        # "首次达到1亿元、5亿元、10亿元的分别奖励…": which tier is new this year is the award's business (the labelled
        # reading keeps the lowest tier only); the official is told the year before was not checked
        first = any(_FIRST_CROSSING.search(normalise(prepared[x:y])) for x, y in tier_spans)
        note = "“首次”达到分档：上一年度未达到该档未生成条件，请审核时核对" if first else ""
        # "营业收入不低于5亿元，或纳税总额不低于5000万元" then tiers on 纳税总额: the base is one side of an
        # alternative the applicant meets either way, so its floor is no requirement of its own
        if not any(f.condition.get("field") == base for g in collected.groups for br in g for f in br):
            found.append(_Found(_cond(base, "gte", lowest), source, a, b, 0.8, "tier", note))
    growth_tiers = (
        None if tiered else _growth_tiers("\n".join(prepared[s.start : s.end] for s in tier_text_sections))
    )
    if growth_tiers:
        field, limits, sentence = growth_tiers
        a, b = _locate(prepared, sentence)
        # the tiers are the award's (no rule computes them): only the lowest tier is a condition
        found = [
            f for f in found if not (f.condition.get("field") == field and f.condition.get("value") in limits)
        ]
        lowest = limits[0]
        found.append(
            _Found(_cond(field, "gte", lowest), prepared[a:b].strip() or sentence, a, b, 0.8, "tier")
        )
    found = _registered_elsewhere(found, collected.groups)
    found, unity_unread = _resolve_unity(found, collected.groups, region)
    found = _dedupe(found)
    if any(f.condition.get("field") == "street" for f in found) and not any(
        f.condition.get("field") == "registered_district" for f in found
    ):
        street = next(f for f in found if f.condition.get("field") == "street")
        # a street names its district: "福永街道" is in 宝安区 (one district for all the streets named, else none)
        named = street.condition["value"] if street.condition["op"] == "in" else [street.condition["value"]]
        districts = {_streets()[1].get(name) for name in named}
        if len(districts) == 1 and None not in districts:
            found.insert(0, _Found(_cond("registered_district", "eq", districts.pop()), street.source))
    # "获得本措施资助的企业，应承诺…" names the award's recipients: a prior award is a condition only when excluded
    found = [
        f
        for f in found
        if not (f.condition.get("field") == "approved_groups" and f.condition.get("op") == "contains_any")
    ]
    found = [f for f in found if not _title_applied_for(f, title, prepared)]
    found = _implied_dropped(found)
    found.sort(key=_field_rank)
    unread_spans = list(collected.unread) + outside_unread + unity_unread + _stacked_bounds(found)
    for f in [f for f in found if f.note == _FUNDED_NOTE]:
        # an approximate exclusion of the very title required elsewhere: the funding it meant is reported instead
        if any(found[i] is f for i in _clashing(found)):
            found.remove(f)
            unread_spans.append((f.source, f.start, f.end, _FUNDED_NOTE.split("，此")[0] + "，未生成条件"))
    clash = _clashing(found)
    for i in sorted(clash):
        f = found[i]
        unread_spans.append((f.source, f.start, f.end, "条件互相矛盾，未采用"))
    found = [f for i, f in enumerate(found) if i not in clash]
    nodes: list[dict[str, Any]] = [f.condition for f in found]
    evidence = list(found)
    for group in collected.groups:
        branches = []
        for br in (br for br in group if br):
            # a branch no firm meeting the common rows can satisfy is dropped, never proposed
            if any(i >= len(found) for i in _clashing(found + br)):
                unread_spans += [(f.source, f.start, f.end, "备选条件与其他条件矛盾，未采用") for f in br[:1]]
            else:
                branches.append(br)
        if len(branches) == 1:
            nodes += [f.condition for f in branches[0]]
        elif branches:
            nodes.append(
                {
                    "any": [
                        br[0].condition if len(br) == 1 else {"all": [f.condition for f in br]}
                        for br in branches
                    ]
                }
            )
        evidence += [f for br in branches for f in br]
    tree = {"all": nodes}
    for f in evidence:
        if f.note and all(u[3] != f.note for u in unread_spans):
            unread_spans.append((f.source, f.start, f.end, f.note))
    conditions = [f.condition for f in found if "field" in f.condition]
    support_text = (
        "\n".join(prepared[s.start : s.end] for s in support_sections)
        if support_sections
        else "\n".join(prepared[s.start : s.end] for s in sections if s.kind not in ("materials", "process"))
    )
    whole = normalise(prepared)
    heads_named = bool(_EMPLOYEE_TERM.search(whole)) and not _NEW_PEOPLE.search(whole)
    support, per_unit = (tiered, []) if tiered else _read_support(support_text, heads_named)
    if growth_tiers:
        support, per_unit = None, [(growth_tiers[2], _GROWTH_TIER_WHY)]
    for sentence, why in per_unit:
        a, b = _locate(prepared, sentence)
        unread_spans.append((prepared[a:b].strip() if a >= 0 else sentence, a, b, why))
    computable = support is not None and support["kind"] in ("fixed", "ratio", "per_unit")
    if computable and support["kind"] == "ratio" and support.get("rate") is None:
        computable = False
    marked = bool(_INSTANT_MARKERS.search(title + prepared)) and not re.search(
        r"不适用(?:秒批|免申即享)", prepared
    )
    instant = computable and marked
    flat = _flat(tree)
    if flat is not tree:
        # the editor pairs conditions["all"][i] with evidence[i]: the rows it shows come first, in its order
        shown = [f for row in flat["all"] for f in evidence if f.condition is row]
        evidence = shown + [f for f in evidence if all(f is not g for g in shown)]
    return Reading(
        conditions=flat,
        targets=_targets(conditions, prepared, title, object_sections),
        support=support,
        instant=instant,
        evidence=tuple(
            Evidence(f.condition, f.source, f.start, f.end, f.confidence, f.role) for f in evidence
        ),
        unread=tuple(u[0] for u in unread_spans),
        tree=tree,
        unread_spans=tuple(unread_spans),
    )


def propose_conditions(text: str) -> list[dict[str, Any]]:
    """Return the proposed condition rows for a policy text (the {"all": [...]} list)."""
    return read_policy(text).conditions["all"]


# ---------------------------------------------------------------------------------------------------------------
# jieba

_DICT_LOADED = False


def user_dict_path() -> str:
    """Return the path of the jieba user dictionary shipped in portal/data."""
    return str(resources.files("portal").joinpath("data", "jieba_dict.txt"))


def load_user_dict() -> None:
    """Load the portal's jieba user dictionary (qualification, industry and policy words) once per process."""
    global _DICT_LOADED
    if _DICT_LOADED:
        return
    import jieba  # imported here: reading conditions needs no tokenizer, only search and ranking do

    jieba.load_userdict(user_dict_path())
    _DICT_LOADED = True
