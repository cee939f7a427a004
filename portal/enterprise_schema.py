"""One enterprise line of the exchange format (v1 and v2) as a pydantic v2 model, built from the field registry.

Pure module (pydantic, no Flask, no database). Every record field's check comes from its entry in
conditions.RECORD_FIELDS (kind, money, bounds), so a field added to the registry is imported without an edit
here; money is a Decimal of two places, never a float. portal.schema publishes the same format as JSON Schema
for the systems that send it; this model is what the import runs (portal.services.import_enterprises).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, create_model

from portal import conditions, reference
from portal.timeutil import today
from portal.validation import UNKNOWN, checked, problems
from portal.vocabulary import terms

FORMAT_VERSIONS = (1, 2)
# v2: when each qualification was granted (its validity in months then applies) or its last day
HOLDING_KEYS = ("qualifications_since", "qualification_until")
FIRST_YEAR = 1949  # figures by year start with the People's Republic's first statistics
CENT = Decimal("0.01")
# Labels of the record fields, from the field registry (conditions.RECORD_FIELDS).
FIELD_LABELS = {"uscc": "统一社会信用代码"} | {n: spec.label for n, spec in conditions.RECORD_FIELDS.items()}


# ---------------------------------------------------------------- the checks of one value (ValueError, Chinese)


def _wan_words(amount: Decimal) -> str:
    """An amount in 万元 as the messages write it: 100000000 → "1 亿"."""
    return f"{amount / 10**8:f} 亿" if amount and amount % 10**8 == 0 else f"{amount:f}"


def money_check(low: Decimal, high: Decimal) -> Callable[[Any], Decimal]:
    """An amount in 万元 within [low, high] with at most two places (a JSON number or number text)."""

    def check(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("应为数字")
        try:
            amount = conditions.to_decimal(value)  # a JSON number means the decimal it is written as
        except ValueError:
            raise ValueError("应为数字") from None
        if amount < low or amount > high:
            raise ValueError(f"应为 {low} 到 {_wan_words(high)}（万元）之间的数")
        if amount != amount.quantize(CENT):
            raise ValueError("最多两位小数（万元）")
        return amount.quantize(CENT)

    return check


def text_check(limit: int) -> Callable[[Any], str]:
    """Text of at most `limit` characters, stripped."""

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("应为文本")
        if len(value) > limit:
            raise ValueError(f"长度超过 {limit} 字")
        return value.strip()

    return check


def whole_check(low: int, high: int) -> Callable[[Any], int]:
    """A whole number within [low, high] (a bool or a float is refused)."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError("应为非负整数")
        return value

    return check


def check_district(value: Any) -> str:
    """A district of the deployment's region."""
    region = reference.region()
    if value not in region.districts:
        raise ValueError(f"不是{region.name}的区：{value!r}")
    return value


def check_industry(value: Any) -> str:
    """A GB/T 4754-2017 class code (C3976)."""
    if not isinstance(value, str) or not reference.is_industry_class(value):
        raise ValueError(f"不是 GB/T 4754-2017 小类代码：{value!r}")
    return value


def check_founded(value: Any) -> date:
    """A YYYY-MM-DD date no later than today (China's today, not the server's local date)."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError("应为 YYYY-MM-DD 日期") from None
    if day > today():
        raise ValueError("不能晚于今天")
    return day


def check_qualifications(value: Any) -> list[str]:
    """Qualification names or aliases → the vocabulary's names, in its order."""
    if not isinstance(value, list) or not all(isinstance(q, str) for q in value):
        raise ValueError("应为资质名称列表")
    return terms.holdings(value, {}, {})["qualifications"]


def check_credit(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ValueError("应为 true 或 false")
    return value


def field_check(spec: conditions.FieldSpec) -> Callable[[Any], Any]:
    """The import's check of one record field, from its registry entry (kind, money, bounds)."""
    if spec.money:
        return money_check(*spec.bounds)
    if spec.kind == "number":
        return whole_check(*spec.bounds)
    if spec.kind == "text":
        return text_check(spec.bounds[1])
    return {
        "district": check_district,
        "industry": check_industry,
        "date": check_founded,
        "qualifications": check_qualifications,
        "bool": check_credit,
    }[spec.kind]


FIELD_CHECKS: dict[str, Callable[[Any], Any]] = {
    n: field_check(s) for n, s in conditions.RECORD_FIELDS.items()
}
# figures by year (exchange format v2): {"2025": {"revenue_wan": 5230, "employees": 130}}
FIGURE_CHECKS = {name: FIELD_CHECKS[name] for name in conditions.YEAR_FIELDS}
_TYPES = {"district": str, "industry": str, "date": date, "qualifications": list[str], "bool": bool}


def _value_type(spec: conditions.FieldSpec) -> Any:
    if spec.money:
        return Decimal
    return {"number": int, "text": str}.get(spec.kind) or _TYPES[spec.kind]


def check_name(value: Any) -> str:
    """The firm's name: registry-bounded text that is not blank."""
    name = FIELD_CHECKS["name"](value)
    if not name:
        raise ValueError("不能为空")
    return name


def check_uscc(value: Any) -> str:
    """A unified social credit code with a valid check character."""
    problem = reference.uscc_problem(value) if isinstance(value, str) else "缺少统一社会信用代码"
    if problem:
        raise ValueError(problem)
    return value


def check_version(value: Any) -> int:
    """The exchange format version of the line: 1 or 2."""
    if value not in FORMAT_VERSIONS:
        raise ValueError(f"不支持的格式版本 {value!r}（可选：1、2）")
    return value


def check_figures(value: Any) -> dict[int, dict[str, Any]]:
    """Figures by year {"2025": {"revenue_wan": 5230}} → {2025: {"revenue_wan": Decimal("5230.00")}}."""
    if not isinstance(value, dict) or not value:
        raise ValueError('应为按年份的对象，如 {"2025": {"revenue_wan": 5230}}')
    out: dict[int, dict[str, Any]] = {}
    this_year = today().year
    for year, figures in value.items():
        if not (isinstance(year, str) and year.isdigit() and FIRST_YEAR <= int(year) <= this_year):
            raise ValueError(f"年份 {year!r} 应为 {FIRST_YEAR} 到 {this_year} 之间的四位数")
        if not isinstance(figures, dict):
            raise ValueError(f"{year} 年应为对象")
        unknown = sorted(set(figures) - set(FIGURE_CHECKS))
        if unknown:
            raise ValueError(f"{year} 年未知字段：{'、'.join(unknown)}")
        out[int(year)] = {}
        for name, raw in figures.items():
            if raw is not None:
                try:
                    out[int(year)][name] = FIGURE_CHECKS[name](raw)
                except ValueError as exc:
                    raise ValueError(f"{year} 年 {name}：{exc}") from None
    return out


def check_holding_dates(until: Any, info: ValidationInfo) -> dict[str, str] | None:
    """qualifications_since / qualification_until of a v2 line → {name: last day it counts}; None when absent.

    Runs after qualifications (info.data holds it when it was valid): a dated qualification must be held.
    """
    since = info.data.get("qualifications_since")
    if not (since or until):
        return None
    since, until = since or {}, until or {}
    if not isinstance(since, Mapping) or not isinstance(until, Mapping):
        raise ValueError('应为 {"资质名称": "YYYY-MM-DD"} 形式的对象')
    held = info.data.get("qualifications")
    if held is None:
        raise ValueError("须与 qualifications 一同提供")
    mapped = terms.holdings(held, since, until)
    dated = [reference.canonical_qualification(q) for q in (*since, *until)]
    missing = list(dict.fromkeys(q for q in dated if q not in mapped["qualifications"]))
    if missing:
        raise ValueError("日期对应的资质不在 qualifications 中：" + "、".join(missing))
    return {q: day.isoformat() for q, day in mapped["qualification_until"].items()}


# ---------------------------------------------------------------- the model of one line


def _record_fields() -> dict[str, Any]:
    """Each registry field as a model field: its value type, its check, absent (None) by default."""
    fields: dict[str, Any] = {}
    for name, spec in conditions.RECORD_FIELDS.items():
        check = check_name if name == "name" else FIELD_CHECKS[name]
        fields[name] = (Annotated[_value_type(spec) | None, checked(check)], None)
    return fields


EnterpriseRow: type[BaseModel] = create_model(
    "EnterpriseRow",
    __config__=ConfigDict(extra="forbid"),
    __doc__="One enterprise line (SCHEMA.md); a field left out or null is not in the line.",
    uscc=(Annotated[str, checked(check_uscc, none=False)], ...),
    version=(Annotated[int, checked(check_version, none=False)], 1),
    figures=(Annotated[dict[int, dict[str, Any]] | None, checked(check_figures)], None),
    **_record_fields(),
    qualifications_since=(Any, None),  # read with qualification_until, below
    # validated even when absent: qualifications_since alone also dates the holdings
    qualification_until=(
        Annotated[dict[str, str] | None, checked(check_holding_dates, with_info=True, none=False)],
        Field(default=None, validate_default=True),
    ),
)

_HOLDINGS_PREFIX = "qualifications_since / qualification_until（资质有效期）："
PREFIXES = (
    {"uscc": "uscc：", "version": "version：", "figures": "figures（历年经营数据）："}
    | {name: f"{name}（{label}）：" for name, label in FIELD_LABELS.items() if name != "uscc"}
    | dict.fromkeys(HOLDING_KEYS, _HOLDINGS_PREFIX)
)
# the order a line's problems are listed in: the code, the version, unknown keys, then the fields in turn
ORDER = ("uscc", "version", UNKNOWN, "figures", *conditions.RECORD_FIELDS, *HOLDING_KEYS)
_NOT_VALUES = frozenset({"uscc", "version", "qualifications_since"})


def parse_row(raw: Any) -> tuple[str, dict[str, Any]]:
    """Validate one SCHEMA.md record → (uscc, field values); ValueError names every problem."""
    if not isinstance(raw, dict):
        raise ValueError("应为 JSON 对象")
    try:
        row = EnterpriseRow.model_validate(raw)
    except ValidationError as exc:
        found = problems(exc, order=ORDER, prefixes=PREFIXES, missing={"uscc": "uscc：缺少统一社会信用代码"})
        raise ValueError("；".join(found)) from None
    values = {k: v for k, v in row.__dict__.items() if v is not None and k not in _NOT_VALUES}
    return row.uscc, values  # type: ignore[attr-defined]
