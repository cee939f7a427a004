"""Pure checks of vocabulary entries and of qualification holdings (no Flask, no database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from portal import reference
from portal.reference import Term

MAX_MONTHS = 600


def check_term(name: str, aliases: Iterable[str], validity_months: Any, others: Iterable[Term]) -> list[str]:
    """Every problem of a new or changed term against the other terms, in Chinese; [] when fine."""
    problems = []
    if not name or len(name) > 40:
        problems.append("名称应为 1–40 字")
    aliases = list(aliases)
    if any(not a or len(a) > 40 for a in aliases):
        problems.append("别名每个应为 1–40 字")
    if name in aliases:
        problems.append("别名不能与名称相同")
    if validity_months is not None and (
        isinstance(validity_months, bool)
        or not isinstance(validity_months, int)
        or not 1 <= validity_months <= MAX_MONTHS
    ):
        problems.append(f"有效期应为 1–{MAX_MONTHS} 个月，或留空表示长期有效")
    taken = {}
    for other in others:
        for word in (other.name, *other.aliases):
            taken[word] = other.name
    clashes = [w for w in (name, *aliases) if w in taken]
    if clashes:
        problems.append("与已有词条重复：" + "、".join(f"{w}（{taken[w]}）" for w in clashes))
    return problems


def holdings(names: Iterable[str], since: Mapping[str, Any], until: Mapping[str, Any]) -> dict[str, Any]:
    """Map held names and aliases to the vocabulary and work out each holding's last day.

    Returns {"qualifications": [names], "qualification_until": {name: date}}; raises ValueError naming the
    names that are not in the vocabulary. An explicit end date wins over the validity in months.
    """
    held, unknown = [], []
    for raw in names:
        name = reference.canonical_qualification(raw)
        if name is None:
            unknown.append(raw)
        elif name not in held:
            held.append(name)
    for raw in (*since, *until):
        if reference.canonical_qualification(raw) is None and raw not in unknown:
            unknown.append(raw)
    if unknown:
        raise ValueError("未知资质（不在资质与标签词表中）：" + "、".join(unknown))
    ends: dict[str, date] = {}
    for raw, day in since.items():
        end = reference.holding_until(reference.canonical_qualification(raw), _day(day))
        if end is not None:
            ends[reference.canonical_qualification(raw)] = end
    for raw, day in until.items():
        ends[reference.canonical_qualification(raw)] = _day(day)
    order = {n: i for i, n in enumerate(reference.qualification_names())}
    held.sort(key=order.__getitem__)
    return {"qualifications": held, "qualification_until": {n: ends[n] for n in held if n in ends}}


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"日期 {value!r} 应为 YYYY-MM-DD") from None
