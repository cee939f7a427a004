"""Condition rows in Chinese sentences."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from portal import conditions as cond
from portal import reference

# ---------------------------------------------------------------- wording


_OP_WORDS = {
    "eq": "为",
    "ne": "不为",
    "in": "属于",
    "not_in": "不属于",
    "gte": "不低于",
    "gt": "超过",
    "lte": "不超过",
    "lt": "低于",
    "prefix_in": "属于",
    "contains_any": "持有以下任一项：",
    "contains_all": "同时持有：",
    "not_contains_any": "不持有以下任何一项：",
}


def _value_words(spec: cond.FieldSpec, value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(_value_words(spec, v) for v in value)
    if spec.kind == "bool":
        return reference.CREDIT[bool(value)]
    if spec.kind == "ratio":
        return f"{(Decimal(str(value)) * 100).normalize():f}%"
    if spec.kind in ("number", "years"):
        return f"{Decimal(str(value)).normalize():,f} {spec.unit}"
    if spec.kind == "industry":
        node = reference.industry(value)
        return f"{value} {node.name}" if node else str(value)
    return str(value)


def condition_sentence(row: Mapping[str, Any]) -> str:
    """One condition as a sentence without an enterprise, e.g. "上年度营业收入 不低于 2,000 万元"."""
    if cond.is_group(row):  # a group reads as its head and its members: "满足以下任一项：A；B"
        inner = "；".join(
            f"「{condition_sentence(c)}」" if cond.is_group(c) else condition_sentence(c)
            for c in cond.children(row)
        )
        return f"{cond.GROUP_HEADS[cond.group_kind(row)]}：{inner}"
    spec = cond.FIELDS.get(row.get("field"))
    if spec is None:
        return str(dict(row))
    if spec.kind == "bool":
        wanted = bool(row["value"]) == (row["op"] == "eq")
        return f"{spec.label}：{reference.CREDIT[wanted]}"
    if spec.kind == "groups":  # "近3年未获得过本类支持"
        within = row.get("within_years")
        period = f"近{Decimal(str(within)).normalize():f}年" if within is not None else "此前"
        names = "、".join("本类" if v == cond.OWN_GROUP else f"「{v}」类" for v in row["value"])
        verb = "未获得过" if row["op"] == "not_contains_any" else "获得过"
        return f"{period}{verb}{names}支持"
    return f"{spec.label} {_OP_WORDS.get(row['op'], row['op'])} {_value_words(spec, row['value'])}"
