"""The condition language shared by policies, approvals and finance: validate, derive a profile, evaluate, explain.

A conditions document is a node: a row {"field": F, "op": OP, "value": V} or a group {"all": [nodes]},
{"any": [nodes]}, {"not": node}, nested at most MAX_DEPTH groups deep; today's flat {"all": [rows]} is the
common case. Outcomes are three-valued (pass / fail / unknown). Every comparison is exact (Fraction/Decimal):
a JSON number means the decimal it is written as. Pure module, no Flask.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from portal import reference
from portal.reference import CREDIT, SIZE_CLASSES, exact

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
MARKS = {PASS: "✓", FAIL: "✗", UNKNOWN: "?"}


class ConditionError(ValueError):
    """Conditions that do not validate; .messages lists every problem in Chinese."""

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class OpSpec:
    label: str  # shown in the editor
    passed: str | None  # wording when the condition holds (None: the actual value says it all)
    failed: str
    many: bool  # the value is a list
    test: Callable[[Any, Any], bool]


OPS: dict[str, OpSpec] = {
    "eq": OpSpec("等于", None, "不是", False, operator.eq),
    "ne": OpSpec("不等于", "不是", "不得为", False, operator.ne),
    "in": OpSpec("属于其中之一", None, "不属于", True, lambda a, v: a in v),
    "not_in": OpSpec("不属于其中任何一项", "不属于", "不得为", True, lambda a, v: a not in v),
    "gte": OpSpec("不低于（≥，“以上”）", "不低于", "未达到", False, operator.ge),
    "gt": OpSpec("超过（>）", "超过", "未超过", False, operator.gt),
    "lte": OpSpec("不超过（≤，“以下”）", "不超过", "超过", False, operator.le),
    # A failed "below" says what was required: "5,230 万元，不低于 1,000 万元 ✗" read as if it passed.
    "lt": OpSpec("低于（<，“不满”）", "低于", "要求低于", False, operator.lt),
    "prefix_in": OpSpec("行业属于", "属于", "不属于", True, lambda a, v: a.startswith(v)),
    "contains_any": OpSpec("持有其中任一项", "持有", "未持有", True, lambda a, v: not set(a).isdisjoint(v)),
    "contains_all": OpSpec("持有全部", "持有", "未持有", True, lambda a, v: set(v) <= set(a)),
    "not_contains_any": OpSpec(
        "不持有其中任何一项", "未持有", "持有", True, lambda a, v: set(a).isdisjoint(v)
    ),
}

_CHOICE_OPS = ("eq", "ne", "in", "not_in")
_NUMBER_OPS = ("gte", "gt", "lte", "lt", "eq", "ne")
_SET_OPS = ("contains_any", "contains_all", "not_contains_any")


# Where a field's value comes from. own: a record field the enterprise declares and an import may verify;
# verified: a record field only an import sets; derived: computed by derive() from `inputs`; loan: the financing
# request being judged (with_loan); portal: the portal's own records (loaded beside the record, see derivation).
SOURCES = ("own", "verified", "derived", "loan", "portal")
RECORD_SOURCES = ("own", "verified")
MAX_MONEY = Decimal("100000000")  # 1 万亿元 in 万元: a record figure above is a data error


@dataclass(frozen=True)
class FieldSpec:
    """One profile field, declared once: what conditions, forms, the import, wording and the recommender use."""

    label: str
    kind: str  # text | district | industry | number | ratio | years | size_class | qualifications | bool | groups
    ops: tuple[str, ...]  # () for record fields no condition speaks about directly (name, founded, …)
    inputs: tuple[str, ...]  # the enterprise record fields the value rests on
    unit: str = ""
    words: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # op → (passed, failed) overrides
    source: str = "own"
    money: bool = False  # 万元 with two places (Decimal)
    bounds: tuple[Any, Any] | None = None  # inclusive range of a record number; (0, max length) for text
    derivation: str = ""  # derived and portal fields: how the value is computed (what a SQL compiler follows)

    @property
    def on_record(self) -> bool:
        """True for a column of the enterprise record (self-declared or imported)."""
        return self.source in RECORD_SOURCES


_MONEY_BOUNDS = (Decimal(0), MAX_MONEY)


def _own(
    name: str, label: str, kind: str, ops: tuple[str, ...], unit: str = "", *, bounds: Any = None
) -> FieldSpec:
    money = unit == "万元"
    return FieldSpec(label, kind, ops, (name,), unit, money=money, bounds=_MONEY_BOUNDS if money else bounds)


def _derived(
    label: str, kind: str, ops: tuple[str, ...], inputs: tuple[str, ...], how: str, **kw: Any
) -> FieldSpec:
    return FieldSpec(label, kind, ops, inputs, source="derived", derivation=how, **kw)


def _growth_spec(label: str, figure: str) -> FieldSpec:
    previous = f"{figure}_prev"  # previous_field(figure), defined with derive()
    how = f"({figure} − {previous}) / {previous}；任一缺失或上一年为 0 时为未知"
    return _derived(label, "ratio", _NUMBER_OPS, (figure, previous), how, unit="%", bounds=(-1, 100))


FIELDS: dict[str, FieldSpec] = {
    "registered_district": _own("registered_district", "注册所在区", "district", _CHOICE_OPS),
    "tax_district": _own("tax_district", "纳税所在区", "district", _CHOICE_OPS),
    "operating_district": _own("operating_district", "经营所在区", "district", _CHOICE_OPS),
    "street": _own("street", "所在街道", "text", _CHOICE_OPS, bounds=(0, 20)),
    "industry_code": _own("industry_code", "国民经济行业", "industry", (*_CHOICE_OPS, "prefix_in")),
    "years_since_founded": _derived(
        "成立年限",
        "years",
        _NUMBER_OPS,
        ("founded",),
        "founded 到评估日的整年数加不足一年的比例，按周年日计（reference.years_since）；founded 晚于评估日为未知",
        unit="年",
        words={"gte": ("已满", "不满"), "lt": ("不满", "要求不满"), "lte": ("不超过", "要求不超过")},
    ),
    "employees": _own("employees", "从业人员", "number", _NUMBER_OPS, "人", bounds=(0, 10_000_000)),
    "revenue_wan": _own("revenue_wan", "上年度营业收入", "number", _NUMBER_OPS, "万元"),
    "assets_wan": _own("assets_wan", "资产总额", "number", _NUMBER_OPS, "万元"),
    "rd_expense_wan": _own("rd_expense_wan", "上年度研发费用", "number", _NUMBER_OPS, "万元"),
    "tax_paid_wan": _own("tax_paid_wan", "上年度纳税总额", "number", _NUMBER_OPS, "万元"),
    "rd_ratio": _derived(
        "研发投入占营业收入比重",
        "ratio",
        _NUMBER_OPS,
        ("rd_expense_wan", "revenue_wan"),
        "rd_expense_wan / revenue_wan（精确分数）；revenue_wan 为 0 时为 0；任一缺失为未知",
        unit="%",
        bounds=(0, 1),
    ),
    "size_class": _derived(
        "企业规模",
        "size_class",
        _CHOICE_OPS,
        ("industry_code", "employees", "revenue_wan", "assets_wan"),
        "工信部联企业〔2011〕300号划型（reference.size_class）；行业不适用或指标缺失为未知",
    ),
    # figures by year (the record's "figures": {year: {field: value}}); the single fields are the latest year
    "revenue_wan_prev": _derived(
        "前一年度营业收入",
        "number",
        _NUMBER_OPS,
        ("figures",),
        "figures 中最近一年之前一年的 revenue_wan；无该年数据为未知",
        unit="万元",
        money=True,
    ),
    "revenue_growth": _growth_spec("营业收入增长率", "revenue_wan"),
    "tax_paid_growth": _growth_spec("纳税总额增长率", "tax_paid_wan"),
    "qualifications": _own("qualifications", "资质", "qualifications", _SET_OPS),
    "credit_ok": _own("credit_ok", "信用状况", "bool", ("eq", "ne")),
    # the portal's own records: approved applications by policy group, with the optional row key within_years
    "approved_groups": FieldSpec(
        "已获支持类别",
        "groups",
        ("contains_any", "not_contains_any"),
        ("approved_groups",),
        source="portal",
        derivation=(
            "applications 表中该企业状态为已批准的申请，按所申报政策的 group 归类，取每类最近一次批准日；"
            'within_years=N 时只算批准日距评估日不超过 N 年（按周年日）的；取值 "@own" 指本政策自己的 group'
        ),
    ),
    # the loan a 贴息 policy speaks about: known only when a financing request is judged (with_loan)
    "loan_collateral": FieldSpec(
        "贷款担保方式", "collateral", _CHOICE_OPS, ("loan_collateral",), source="loan"
    ),
    "loan_purpose": FieldSpec("贷款用途", "text", _CHOICE_OPS, ("loan_purpose",), source="loan"),
    "loan_amount_wan": FieldSpec(
        "贷款金额", "number", _NUMBER_OPS, ("loan_amount_wan",), "万元", source="loan", money=True
    ),
    "loan_term_months": FieldSpec(
        "贷款期限", "number", _NUMBER_OPS, ("loan_term_months",), "个月", source="loan"
    ),
}
# Record fields that no condition names directly (the record's identity, text and the founding date).
RECORD_ONLY: dict[str, FieldSpec] = {
    "name": FieldSpec("企业名称", "text", (), ("name",), bounds=(0, 200)),
    "founded": FieldSpec("成立日期", "date", (), ("founded",)),
    "business_scope": FieldSpec("经营范围", "text", (), ("business_scope",), bounds=(0, 2000)),
    "description": FieldSpec("企业简介", "text", (), ("description",), bounds=(0, 2000)),
}
LOAN_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.source == "loan")
# The record's columns, in form order: what profiles store, forms edit and the import accepts.
RECORD_FIELDS: dict[str, FieldSpec] = (
    {"name": RECORD_ONLY["name"], "founded": RECORD_ONLY["founded"]}
    | {n: s for n, s in FIELDS.items() if s.on_record}
    | {k: RECORD_ONLY[k] for k in ("business_scope", "description")}
)
MONEY_FIELDS = tuple(n for n, s in RECORD_FIELDS.items() if s.money)
DISTRICT_FIELDS = tuple(n for n, s in FIELDS.items() if s.kind == "district")


def with_loan(
    profile: Mapping[str, Any], *, collateral: str, purpose: str, amount_wan: Any, term_months: int
) -> dict:
    """The profile plus the loan being judged, so a 贴息 policy's loan rows can be decided."""
    return dict(profile) | {
        "loan_collateral": collateral,
        "loan_purpose": purpose,
        "loan_amount_wan": to_decimal(amount_wan),
        "loan_term_months": int(term_months),
    }


# labels of the record fields a derived value rests on, for "缺少数据" sentences
INPUT_LABELS: dict[str, str] = (
    {name: spec.label for name, spec in RECORD_ONLY.items()}
    | {name: spec.label for name, spec in FIELDS.items()}
    | {"figures": "历年经营数据", "tax_paid_wan_prev": "前一年度纳税总额"}
)

_MONEY = MONEY_FIELDS


# ------------------------------------------------------------------ validation


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | Decimal) and not isinstance(v, bool)


def _check_item(spec: FieldSpec, op: str, v: Any) -> str | None:
    """Return why one scalar value (or list item) is unacceptable for this field, or None."""
    kind = spec.kind
    if kind in ("number", "years", "ratio"):
        if not _is_number(v):
            return f"取值 {v!r} 应为数字"
        if not math.isfinite(v):
            return f"取值 {v} 不是有限数"
        low, high = spec.bounds or (0, 1)
        if kind == "ratio" and not low <= v <= high:
            return f"比重 {v} 应写成 {low} 到 {high} 之间的小数（如 3% 写 0.03）"
        return None
    if kind == "groups":
        return None if isinstance(v, str) and v.strip() and len(v) <= 40 else f"类别 {v!r} 应为 1–40 字的文本"
    if kind == "bool":
        return None if isinstance(v, bool) else f"取值 {v!r} 应为 true 或 false"
    if not isinstance(v, str) or not v:
        return f"取值 {v!r} 应为非空文本"
    if kind == "collateral" and v not in reference.COLLATERAL_KINDS:
        return f"未知的担保方式“{v}”（可选：{'、'.join(reference.COLLATERAL_KINDS)}）"
    if kind == "district" and v not in reference.region().districts:
        return f"未知的区“{v}”（可选：{'、'.join(reference.region().districts)}）"
    if kind == "size_class" and v not in SIZE_CLASSES:
        return f"未知的企业规模“{v}”（可选：{'、'.join(SIZE_CLASSES)}）"
    if kind == "qualifications" and v not in reference.qualification_names():
        return f"未知的资质“{v}”（不在资质与标签词表中）"
    if kind == "industry" and op == "prefix_in" and v not in reference.industry_prefixes():
        return f"“{v}”不是 GB/T 4754-2017 行业代码或其前缀（应带门类字母，如 C、C38、C384、C3841）"
    if kind == "industry" and op != "prefix_in" and not reference.is_industry_class(v):
        return f"“{v}”不是 GB/T 4754-2017 小类代码（应带门类字母，如 C3841）"
    return None


# a row's keys: within_years only on the portal's records ("近3年未获得过…")
ROW_KEYS = ("field", "op", "value", "within_years")
OWN_GROUP = "@own"  # in approved_groups values: the policy's own group (未获得过本类奖励)


def _row_problems(row: Any) -> list[str]:
    if not isinstance(row, Mapping):
        return ["应为包含 field、op、value 的对象"]
    problems = [f"缺少 {k}" for k in ("field", "op", "value") if k not in row]
    problems += [f"多余的键 {k}" for k in row if k not in ROW_KEYS]
    if problems:
        return problems
    name, op, value = row["field"], row["op"], row["value"]
    spec = FIELDS.get(name) if isinstance(name, str) else None
    if spec is None:
        return [f"未知字段 {name}"]
    if "within_years" in row:
        years = row["within_years"]
        if spec.kind != "groups":
            return [f"字段 {name}（{spec.label}）不能带 within_years"]
        if not _is_number(years) or not math.isfinite(years) or not 0 < years <= 100:
            return [f"within_years {years!r} 应为 0 到 100 之间的年数"]
    if op not in OPS:
        return [f"未知运算 {op}"]
    if op not in spec.ops:
        return [f"字段 {name}（{spec.label}）不支持运算 {op}"]
    if OPS[op].many:
        if not isinstance(value, list | tuple) or not value:
            return [f"运算 {op} 的取值应为非空列表"]
        return [p for p in (_check_item(spec, op, v) for v in value) if p]
    if isinstance(value, list | tuple | dict):
        return [f"运算 {op} 的取值应为单个值，不是列表"]
    problem = _check_item(spec, op, value)
    return [problem] if problem else []


GROUPS = ("all", "any", "not")
MAX_DEPTH = 3
GROUP_HEADS = {"all": "同时满足以下各项", "any": "满足以下任一项", "not": "不得满足"}
GROUP_STATES = {PASS: "已满足", FAIL: "未满足", UNKNOWN: "无法判定"}


def is_group(node: Any) -> bool:
    """Tell whether a node is a group ({"all": [...]}, {"any": [...]} or {"not": node}) rather than a row."""
    return isinstance(node, Mapping) and "field" not in node and any(k in node for k in GROUPS)


def group_kind(node: Mapping) -> str:
    """The group type of a group node: all | any | not."""
    return next(k for k in GROUPS if k in node)


def children(node: Mapping) -> list[Any]:
    """The child nodes of a group node (one for "not")."""
    kind = group_kind(node)
    return [node["not"]] if kind == "not" else list(node[kind] or [])


def top_nodes(conditions: Any) -> list[Any]:
    """The nodes whose results are listed for a document: the children of a root "all", else the root itself."""
    if conditions is None:
        return []
    if is_group(conditions) and group_kind(conditions) == "all":
        return children(conditions)
    return [conditions]


def leaves(conditions: Any) -> list[Mapping]:
    """Every row of a conditions document in reading order, however deeply grouped."""
    if conditions is None:
        return []
    if not is_group(conditions):
        return [conditions] if isinstance(conditions, Mapping) and conditions else []
    return [row for child in children(conditions) for row in leaves(child)]


def _node_problems(node: Any, path: tuple[int, ...], depth: int) -> list[str]:
    """Problems of one node; path numbers it (第2.1条条件) and depth counts the groups around it."""
    where = f"第{'.'.join(map(str, path))}条条件：" if path else ""
    if not is_group(node):
        return [f"{where}{p}" for p in _row_problems(node)]
    kind = group_kind(node)
    extra = [str(k) for k in node if k != kind]
    problems = [f"{where}一个组只能包含 all、any、not 之一，不能再包含 {'、'.join(extra)}"] if extra else []
    if depth > MAX_DEPTH:
        return [*problems, f"{where}条件组嵌套超过 {MAX_DEPTH} 层"]
    if kind == "not":
        if isinstance(node["not"], list | tuple):
            return [*problems, f"{where}not 应为单个条件或条件组，不是列表"]
        return problems + _node_problems(node["not"], path, depth + 1)
    items = node[kind]
    if not isinstance(items, list | tuple):
        return [*problems, f"{where}{kind} 应为条件列表"]
    if kind == "any" and not items:
        problems.append(f"{where}“满足以下任一项”至少要有一条条件")
    for i, child in enumerate(items, 1):
        problems += _node_problems(child, (*path, i), depth + 1)
    return problems


def validate(conditions: Any) -> list[str]:
    """Return every problem in the conditions as a Chinese message naming the row; [] when valid."""
    if not isinstance(conditions, Mapping):
        return ['条件应为 {"all": [...]} 形式的对象']
    if is_group(conditions):
        return _node_problems(conditions, (), 1)
    if not conditions:  # {} has no conditions, as {"all": []}
        return []
    if "field" in conditions:
        return _node_problems(conditions, (1,), 1)
    return ["条件只能是 all、any、not 组或单条条件，不能包含 " + "、".join(map(str, conditions))]


def _canonical(v: Any) -> Any:
    if not _is_number(v):
        return v
    f = exact(v)
    return f.numerator if f.denominator == 1 else float(v)


def _normal_node(node: Mapping) -> dict:
    if is_group(node):
        kind = group_kind(node)
        if kind == "not":
            return {"not": _normal_node(node["not"])}
        return {kind: [_normal_node(c) for c in node[kind]]}
    value = node["value"]
    if OPS[node["op"]].many:
        value = list(dict.fromkeys(_canonical(v) for v in value))
    out = {"field": node["field"], "op": node["op"], "value": _canonical(value)}
    if "within_years" in node:
        out["within_years"] = _canonical(node["within_years"])
    return out


def normalize(conditions: Any) -> dict:
    """Return the canonical JSON-able form (numbers plain, list values de-duplicated); raise ConditionError.

    A single row becomes {"all": [row]}, so every stored document is a group.
    """
    problems = validate(conditions)
    if problems:
        raise ConditionError(problems)
    if not is_group(conditions):
        conditions = {"all": [conditions] if conditions else []}
    return _normal_node(conditions)


# ------------------------------------------------------------------ profile


def to_decimal(x: Any) -> Decimal | None:
    """Return a money figure as an exact Decimal (a float means the decimal it prints as); None stays None."""
    if x is None:
        return None
    if isinstance(x, bool):
        raise ValueError("金额不能是布尔值")
    if isinstance(x, str) and not x.isascii():
        # Decimal() reads any Unicode digit ("１００", "٣"); a figure from a file or form uses ASCII digits.
        raise ValueError(f"金额 {x!r} 应使用半角阿拉伯数字")
    try:
        d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x.strip() if isinstance(x, str) else x)
    except (ArithmeticError, TypeError):
        raise ValueError(f"金额 {x!r} 不是数字") from None
    if not d.is_finite():
        raise ValueError(f"金额 {x} 不是有限数")
    return d


def _count(x: Any) -> int | Decimal | None:
    d = to_decimal(x)
    return int(d) if d is not None and d == d.to_integral_value() else d


# figures kept by year (the record's "figures": {"2025": {"revenue_wan": …}}); the single fields are the latest
YEAR_FIELDS = ("revenue_wan", "tax_paid_wan", "rd_expense_wan", "employees", "assets_wan")


def previous_field(base: str) -> str:
    """The profile key of a base figure's previous year (what "increase" rules subtract): revenue_wan_prev."""
    return f"{base}_prev"


def _growth_fields() -> dict[str, tuple[str, str]]:
    """The growth ratios of the registry: derived ratios over (figure, its previous year)."""
    return {
        name: spec.inputs
        for name, spec in FIELDS.items()
        if spec.source == "derived"
        and len(spec.inputs) == 2
        and spec.inputs[1] == previous_field(spec.inputs[0])
    }


# growth ratio → (figure, its previous year), e.g. revenue_growth → (revenue_wan, revenue_wan_prev)
GROWTH_FIELDS = _growth_fields()


def _by_year(figures: Any) -> dict[int, Mapping[str, Any]]:
    if not isinstance(figures, Mapping):
        return {}
    return {int(year): values for year, values in figures.items() if isinstance(values, Mapping)}


def _growth(current: Any, previous: Any) -> Fraction | None:
    if current is None or previous is None or previous == 0:
        return None  # a growth from nothing is not a number
    return (Fraction(current) - Fraction(previous)) / Fraction(previous)


def _approval_ages(approved: Any, as_of: date) -> dict[str, Fraction] | None:
    """{group: exact years since its latest approval on or before as_of} from {group: date or [dates]}."""
    if approved is None:
        return None
    ages: dict[str, Fraction] = {}
    for group, days in dict(approved).items():
        for day in days if isinstance(days, list | tuple) else [days]:
            day = date.fromisoformat(day) if isinstance(day, str) else day
            if day is not None and day <= as_of:
                age = reference.years_since(day, as_of)
                ages[group] = min(age, ages.get(group, age))
    return ages


def derive(record: Mapping[str, Any], as_of: date) -> dict[str, Any]:
    """Build the profile of an enterprise record: typed fields plus the derived ones (FIELDS with source derived).

    Year-keyed figures fill a single field the record leaves empty (the latest year) and give the previous
    year (revenue_wan_prev, tax_paid_wan_prev, …) and the growth ratios.
    """
    p = dict(record)
    years = _by_year(record.get("figures"))
    latest = max(years, default=None)
    for name in _MONEY:
        value = record.get(name)
        if value is None and latest is not None:
            value = years[latest].get(name)
        p[name] = to_decimal(value)
    employees = record.get("employees")
    if employees is None and latest is not None:
        employees = years[latest].get("employees")
    p["employees"] = _count(employees)
    before = years.get(latest - 1, {}) if latest is not None else {}
    for name in YEAR_FIELDS:
        previous = before.get(name, record.get(previous_field(name)))
        p[previous_field(name)] = _count(previous) if name == "employees" else to_decimal(previous)
    for name, (current, previous) in GROWTH_FIELDS.items():
        p[name] = _growth(p[current], p[previous])
    p["approved_groups"] = _approval_ages(record.get("approved_groups"), as_of)
    founded = record.get("founded")
    if isinstance(founded, str):
        founded = date.fromisoformat(founded) if founded.strip() else None
    p["founded"] = founded
    # a founding date after as_of is a data error: treat the age as unknown rather than guess
    p["years_since_founded"] = reference.years_since(founded, as_of) if founded and founded <= as_of else None
    rd, revenue = p["rd_expense_wan"], p["revenue_wan"]
    if rd is None or revenue is None:
        p["rd_ratio"] = None
    else:
        p["rd_ratio"] = Fraction(0) if revenue == 0 else Fraction(rd) / Fraction(revenue)
    code = record.get("industry_code")
    p["size_class"] = (
        reference.size_class(code, p["employees"], revenue, p["assets_wan"])
        if isinstance(code, str)
        else None
    )
    # a holding past its end date does not count on as_of (the vocabulary's validity, portal/reference.py)
    p["qualifications"] = reference.current_qualifications(
        record.get("qualifications"), record.get("qualification_until"), as_of
    )
    lapsed = set(record.get("qualifications") or ()) - set(p["qualifications"] or ())
    p["qualifications_lapsed"] = {
        q: str((record.get("qualification_until") or {})[q]) for q in sorted(lapsed)
    }
    credit = record.get("credit_ok")
    p["credit_ok"] = None if credit is None else bool(credit)
    return p


# ------------------------------------------------------------------ evaluation


def _prepare(spec: FieldSpec, op: str, value: Any, within: Any = None) -> Any:
    numeric = spec.kind in ("number", "years", "ratio")
    if spec.kind == "groups":
        return tuple(value), None if within is None else exact(within)
    if OPS[op].many:
        return tuple(value)
    return exact(value) if numeric else value


def held_groups(ages: Mapping[str, Any], within: Fraction | None) -> set[str]:
    """The groups approved within `within` years of the evaluation day (ever, when None)."""
    return {g for g, age in ages.items() if within is None or age <= within}


def _status(spec: FieldSpec, op: str, prepared: Any, actual: Any) -> str:
    if actual is None:
        return UNKNOWN
    if spec.kind == "groups":
        groups, within = prepared
        if OWN_GROUP in groups:  # "@own" not bound to a policy's group (bind_own): nothing to decide on
            return UNKNOWN
        return PASS if OPS[op].test(held_groups(actual, within), groups) else FAIL
    if spec.kind in ("number", "years", "ratio"):
        actual = exact(actual)
    return PASS if OPS[op].test(actual, prepared) else FAIL


def criteria_of(content: Mapping[str, Any]) -> Any:
    """A policy content's (or revision's) conditions with "@own" bound to its group."""
    return bind_own(content.get("conditions"), content.get("group"))


def uses_own_group(conditions: Any) -> bool:
    """True when an approved_groups row names "@own" (the policy's own group)."""
    return any(
        r.get("field") == "approved_groups" and OWN_GROUP in (r.get("value") or ())
        for r in leaves(conditions)
    )


def bind_own(conditions: Any, group: str | None) -> Any:
    """The conditions with "@own" in approved_groups rows replaced by the policy's group (unchanged without one)."""
    if not group or conditions is None or not isinstance(conditions, Mapping):
        return conditions
    if is_group(conditions):
        kind = group_kind(conditions)
        if kind == "not":
            return {"not": bind_own(conditions["not"], group)}
        return {kind: [bind_own(c, group) for c in conditions[kind] or []]}
    if conditions.get("field") == "approved_groups" and isinstance(conditions.get("value"), list | tuple):
        value = list(dict.fromkeys(group if v == OWN_GROUP else v for v in conditions["value"]))
        return dict(conditions) | {"value": value}
    return conditions


def _compile(node: Mapping) -> Callable[[Mapping], str]:
    """One node as profile → status, with the three-valued all/any/not logic."""
    if not is_group(node):
        name, op = node["field"], node["op"]
        spec = FIELDS[name]
        prepared = _prepare(spec, op, node["value"], node.get("within_years"))
        return lambda profile: _status(spec, op, prepared, profile.get(name))
    kind = group_kind(node)
    parts = [_compile(c) for c in children(node)]
    if kind == "not":
        inner = parts[0]
        return lambda profile: {PASS: FAIL, FAIL: PASS}.get(inner(profile), UNKNOWN)
    return lambda profile: combine(kind, (part(profile) for part in parts))


def combine(kind: str, statuses: Iterable[str]) -> str:
    """Combine child statuses of an all/any group (stops at the first deciding child)."""
    decided, other = (FAIL, PASS) if kind == "all" else (PASS, FAIL)
    outcome = other
    for status in statuses:
        if status == decided:
            return decided
        if status == UNKNOWN:
            outcome = UNKNOWN
    return outcome


def matcher(conditions: Mapping) -> Callable[[Mapping], str]:
    """Compile conditions once into profile → "pass"|"fail"|"unknown" (the bulk path: no sentences)."""
    if not conditions:
        return lambda profile: PASS
    return _compile(conditions)


def eligible(conditions: Mapping, profile: Mapping) -> bool:
    """Tell whether every condition passes on the profile (unknown counts as not eligible)."""
    return matcher(conditions)(profile) == PASS


@dataclass(frozen=True)
class Result:
    field: str
    op: str
    value: Any
    status: str  # pass | fail | unknown
    actual: Any
    sentence: str
    children: tuple[Result, ...] = ()  # a group's results (field is "" and op its kind)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-able copy (exact numbers as strings) to store with a decision."""
        return {
            "field": self.field,
            "op": self.op,
            "value": self.value,
            "status": self.status,
            "actual": _jsonable(self.actual),
            "sentence": self.sentence,
        } | ({"children": [c.as_dict() for c in self.children]} if self.children else {})


def _jsonable(x: Any) -> Any:
    if isinstance(x, Fraction | Decimal | date):
        return str(x)
    if isinstance(x, Mapping):  # approved_groups: {group: years since the latest approval}
        return {str(k): _jsonable(v) for k, v in x.items()}
    return list(x) if isinstance(x, tuple) else x


def _decimal_text(f: Fraction) -> str:
    """Exact decimal text with thousands separators when f has one, else 6 places truncated."""
    for places in range(0, 7):
        scaled = f * 10**places
        if scaled.denominator == 1:
            return format(Decimal(scaled.numerator).scaleb(-places), ",f")
    return _truncated(f, None, 6)


def _truncated(f: Fraction, near: Fraction | None, places: int = 2) -> str:
    """f cut (not rounded) to `places` decimals, more while that would misstate how f compares with `near`."""
    while True:
        cut = Fraction(math.floor(f * 10**places), 10**places)
        if near is None or places >= 6 or (cut > near) - (cut < near) == (f > near) - (f < near):
            return format(Decimal(cut.numerator * 10**places // cut.denominator).scaleb(-places), ",f")
        places += 1


def _number_text(spec: FieldSpec, x: Any, near: Fraction | None = None, is_actual: bool = False) -> str:
    f = exact(x)
    if spec.kind == "ratio":
        shown = (
            _truncated(f * 100, near * 100 if near is not None else None)
            if is_actual
            else _decimal_text(f * 100)
        )
        return f"{shown}%"
    if spec.kind == "years" and is_actual and f.denominator != 1:
        return f"{_truncated(f, near)} {spec.unit}"
    return f"{_decimal_text(f)} {spec.unit}"


def _item_text(spec: FieldSpec, v: Any) -> str:
    if spec.kind == "industry":
        node = reference.industry(v)
        return f"{v} {node.name}" if node else v
    if spec.kind == "bool":
        return CREDIT[bool(v)]
    return str(v)


def _missing_sentence(spec: FieldSpec, profile: Mapping) -> str:
    missing = [INPUT_LABELS.get(i, i) for i in spec.inputs if profile.get(i) is None]
    if missing:
        return f"缺少数据：{'、'.join(missing)} ?"
    return f"{spec.label}：无法判定（所属行业不适用中小企业划型） ?"


def _groups_sentence(op: str, value: Any, actual: Any, status: str, within: Any) -> str:
    """'近3年未获得过「研发费用补贴」类支持 ✓' and its siblings."""
    period = f"近{_decimal_text(exact(within))}年" if within is not None else "此前"
    names = "、".join(f"「{v}」" if v != OWN_GROUP else "本类" for v in value)
    if actual is None:
        return f"{period}获得支持情况：缺少数据 ?"
    if OWN_GROUP in value:
        return f"{period}是否获得过本类支持：政策未设类别，无法判定 ?"
    held = held_groups(actual, None if within is None else exact(within))
    got = [v for v in value if v in held]
    if op == "not_contains_any":
        if status == PASS:
            return f"{period}未获得过{names}类支持 ✓"
        return f"{period}已获得过{'、'.join(f'「{v}」' for v in got)}类支持，不得重复享受 ✗"
    if status == PASS:
        return f"{period}获得过{'、'.join(f'「{v}」' for v in got)}类支持 ✓"
    return f"{period}未获得过{names}类支持，要求获得过其中之一 ✗"


def _sentence(
    spec: FieldSpec, op: str, value: Any, actual: Any, status: str, profile: Mapping, within: Any = None
) -> str:
    if spec.kind == "groups":
        return _groups_sentence(op, value, actual, status, within)
    if status == UNKNOWN:
        return _missing_sentence(spec, profile)
    mark = MARKS[status]
    passed, failed = spec.words.get(op, (OPS[op].passed, OPS[op].failed))
    word = passed if status == PASS else failed
    if spec.kind == "qualifications":
        held = set(actual)
        shown = {
            ("contains_any", PASS): [v for v in value if v in held],
            ("not_contains_any", FAIL): [v for v in value if v in held],
            ("contains_all", FAIL): [v for v in value if v not in held],
        }.get((op, status), value)
        tail = "中的任何一项" if op == "contains_any" and status == FAIL and len(value) > 1 else ""
        lapsed = profile.get("qualifications_lapsed") or {}
        late = "、".join(f"{q} 已于 {lapsed[q]} 到期" for q in value if q in lapsed)
        tail += f"（{late}，不计）" if late else ""
        return f"{spec.label}：{word} {'、'.join(shown)}{tail} {mark}"
    if spec.kind == "bool":
        return f"{spec.label}：{CREDIT[bool(actual)]} {mark}"
    if spec.kind in ("number", "years", "ratio"):
        near = exact(value)
        return f"{spec.label} {_number_text(spec, actual, near, True)}，{word} {_number_text(spec, value)} {mark}"
    if op == "prefix_in" and status == PASS:
        value = [p for p in value if actual.startswith(p)]
    head = f"{spec.label} {_item_text(spec, actual)}"
    if word is None:
        return f"{head} {mark}"
    values = value if OPS[op].many else [value]
    return f"{head}，{word} {'、'.join(_item_text(spec, v) for v in values)} {mark}"


def _evaluate_node(node: Mapping, profile: Mapping) -> Result:
    if not is_group(node):
        name, op, value = node["field"], node["op"], node["value"]
        spec = FIELDS[name]
        actual = profile.get(name)
        within = node.get("within_years")
        status = _status(spec, op, _prepare(spec, op, value, within), actual)
        sentence = _sentence(spec, op, value, actual, status, profile, within)
        return Result(name, op, value, status, actual, sentence)
    kind = group_kind(node)
    parts = tuple(_evaluate_node(c, profile) for c in children(node))
    if kind == "not":
        status = {PASS: FAIL, FAIL: PASS}.get(parts[0].status, UNKNOWN)
    else:
        status = combine(kind, (r.status for r in parts))
    # a nested group's sentence is bracketed so that its rows do not read as the parent's
    inner = "；".join(f"「{r.sentence}」" if r.children else r.sentence for r in parts)
    sentence = f"{GROUP_HEADS[kind]}（{GROUP_STATES[status]} {MARKS[status]}）：{inner}"
    return Result("", kind, node.get(kind), status, None, sentence, parts)


def evaluate(conditions: Mapping, profile: Mapping) -> list[Result]:
    """Evaluate each top-level condition (row or group) on the profile, with a sentence a person understands.

    For a root "all" these are its children, so verdict() of the list is the document's outcome.
    """
    return [_evaluate_node(node, profile) for node in top_nodes(conditions)]


def verdict(results: Iterable[Result]) -> str:
    """Combine results: any fail → fail; else any unknown → unknown; else pass."""
    statuses = {r.status for r in results}
    return FAIL if FAIL in statuses else UNKNOWN if UNKNOWN in statuses else PASS


# ------------------------------------------------------------------ support


SUPPORT_BASES = ("revenue_wan", "rd_expense_wan", "tax_paid_wan", "employees", "assets_wan")
SUPPORT_KEYS = {  # kind → (required keys, optional keys)
    "fixed": (("amount_wan",), ()),
    "ratio": (("base", "rate"), ("cap_wan", "over_wan", "increase")),
    "tiers": (("base", "tiers"), ()),
    "per_unit": (("base", "amount_wan"), ("cap_wan",)),
    "interest": (("rate",), ("cap_wan",)),
}


def _nonnegative(v: Any) -> bool:
    return _is_number(v) and math.isfinite(v) and v >= 0


def validate_support(support: Any) -> list[str]:
    """Return every problem in a support rule (fixed / ratio / tiers / per_unit / interest) in Chinese; [] when valid."""
    if not isinstance(support, Mapping):
        return ["支持方式应为对象"]
    kind = support.get("kind")
    if kind not in SUPPORT_KEYS:
        return [f"未知的支持方式 {kind}（可选：{'、'.join(SUPPORT_KEYS)}）"]
    required, optional = SUPPORT_KEYS[kind]
    problems = [f"缺少 {k}" for k in required if k not in support]
    problems += [f"多余的键 {k}" for k in support if k not in ("kind", *required, *optional)]
    if "base" in required and support.get("base") not in (None, *SUPPORT_BASES):
        problems.append(f"不支持的计算基数 {support['base']}")
    for key in ("amount_wan", "rate", "cap_wan", "over_wan"):
        v = support.get(key)
        if (
            key in support
            and v is not None
            and not _nonnegative(v)
            or key in support
            and v is None
            and key in required
        ):
            problems.append(f"{key} 应为非负数")
    if "increase" in support and not isinstance(support["increase"], bool):
        problems.append("increase 应为 true 或 false")
    if kind == "tiers" and "tiers" in support:
        tiers = support["tiers"]
        if not isinstance(tiers, list | tuple) or not tiers:
            return [*problems, 'tiers 应为非空列表，如 [{"gte": 10000, "amount_wan": 50}]']
        for i, tier in enumerate(tiers, 1):
            if not isinstance(tier, Mapping) or set(tier) != {"gte", "amount_wan"}:
                problems.append(f"第{i}档应为包含 gte 和 amount_wan 的对象")
            elif not _nonnegative(tier["gte"]) or not _nonnegative(tier["amount_wan"]):
                problems.append(f"第{i}档的 gte 和 amount_wan 应为非负数")
    return problems


def _half_up(f: Fraction) -> Decimal:
    cents = math.floor(abs(f) * 100 + Fraction(1, 2))
    return Decimal(cents if f >= 0 else -cents).scaleb(-2)


@dataclass(frozen=True)
class Support:
    """An amount worked out from a support rule, with the base used and the tier reached (for the sentence)."""

    amount: Decimal | None  # 万元, 2 places half-up; None when not computable (interest, missing figure)
    base: Fraction | None = None  # the figure the rule applied to (after increase/over)
    tier: Mapping | None = None  # the tier reached, for tiers
    capped: bool = False


def _compute(support: Mapping, profile: Mapping) -> Support:
    kind = support.get("kind")
    if kind == "fixed":
        return Support(to_decimal(support["amount_wan"]).quantize(Decimal("0.01"), ROUND_HALF_UP))
    if kind not in ("ratio", "tiers", "per_unit"):
        return Support(None)
    raw = profile.get(support["base"])
    if raw is None:
        return Support(None)
    base = exact(raw)
    if kind == "tiers":
        reached = [t for t in support["tiers"] if base >= exact(t["gte"])]
        tier = max(reached, key=lambda t: exact(t["gte"]), default=None)
        amount = exact(tier["amount_wan"]) if tier else Fraction(0)
        return Support(_half_up(amount), base, tier)
    if kind == "per_unit":
        amount = exact(support["amount_wan"]) * base
    else:
        if support.get("increase"):
            previous = profile.get(previous_field(support["base"]))
            if previous is None:
                return Support(None)
            base = max(base - exact(previous), Fraction(0))
        if support.get("over_wan") is not None:  # only the part above the threshold counts
            base = max(base - exact(support["over_wan"]), Fraction(0))
        amount = exact(support["rate"]) * base
    cap = support.get("cap_wan")
    capped = cap is not None and amount > exact(cap)
    return Support(_half_up(exact(cap) if capped else amount), base, None, capped)


def support_amount(support: Mapping, profile: Mapping) -> Decimal | None:
    """Return the amount in 万元 (2 places, half-up) a profile would receive; None for interest or missing base."""
    return _compute(support, profile).amount


def explain_support(support: Mapping, profile: Mapping) -> str:
    """Say how the amount comes out for this profile, e.g. "营业收入 12,000 万元，达到 10,000 万元档：50.00 万元"."""
    got = _compute(support, profile)
    if got.amount is None:
        if support.get("kind") in ("ratio", "tiers", "per_unit"):
            missing = (
                support["base"] if profile.get(support["base"]) is None else previous_field(support["base"])
            )
            label = (
                INPUT_LABELS.get(missing) or f"{INPUT_LABELS.get(support['base'], support['base'])}（上一年）"
            )
            return f"{describe_support(support)}：缺少数据 {label}，金额待审核"
        return f"{describe_support(support)}：金额待审核"
    if support.get("kind") == "fixed":
        return f"{describe_support(support)}：{got.amount} 万元"
    label = INPUT_LABELS.get(support["base"], support["base"])
    unit = "人" if support["base"] == "employees" else "万元"
    figure = f"{label} {_decimal_text(got.base)} {unit}"
    if support["kind"] == "tiers":
        if got.tier is None:
            lowest = min(exact(t["gte"]) for t in support["tiers"])
            return f"{figure}，未达到最低一档（{_decimal_text(lowest)} {unit}）：0.00 万元"
        return f"{figure}，达到 {_decimal_text(exact(got.tier['gte']))} {unit}档：{got.amount} 万元"
    if support.get("increase") or support.get("over_wan") is not None:
        figure = f"{label}计奖部分 {_decimal_text(got.base)} {unit}"
    tail = "（已达上限）" if got.capped else ""
    return f"{figure}，{describe_support(support)}：{got.amount} 万元{tail}"


def describe_support(support: Mapping) -> str:
    """Describe a support rule in Chinese, e.g. "按上年度研发费用的 10% 给予资助，最高 200 万元"."""
    cap = support.get("cap_wan")
    tail = f"，最高 {_decimal_text(exact(cap))} 万元" if cap is not None else ""
    kind = support.get("kind")
    if kind == "fixed":
        return f"一次性奖励 {_decimal_text(exact(support['amount_wan']))} 万元"
    if kind == "tiers":
        unit = "人" if support["base"] == "employees" else "万元"
        steps = "、".join(
            f"达到 {_decimal_text(exact(t['gte']))} {unit}奖励 {_decimal_text(exact(t['amount_wan']))} 万元"
            for t in sorted(support["tiers"], key=lambda t: exact(t["gte"]))
        )
        return f"按{INPUT_LABELS[support['base']]}分档奖励：{steps}（就高不重复）"
    if kind == "per_unit":
        unit = "每人" if support["base"] == "employees" else "每单位"
        return f"按{INPUT_LABELS[support['base']]}{unit} {_decimal_text(exact(support['amount_wan']))} 万元给予补贴{tail}"
    rate = exact(support["rate"])
    if kind == "interest":
        return f"按贷款利息的 {_decimal_text(rate * 100)}% 贴息{tail}"
    if support["base"] == "employees":  # rate is 万元 per person: say it in 元 as the texts do
        return f"按从业人员每人 {_decimal_text(rate * 10000)} 元给予补贴{tail}"
    part = ""
    if support.get("increase"):
        part = "比上年增长部分"
    if support.get("over_wan") is not None:
        part += f"超过 {_decimal_text(exact(support['over_wan']))} 万元的部分"
    return f"按{INPUT_LABELS[support['base']]}{part}的 {_decimal_text(rate * 100)}% 给予资助{tail}"
