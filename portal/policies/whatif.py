"""What-if for the policy sandbox: sweep one threshold, count near misses, compare two drafts (pure, no Flask).

Who qualifies is not decided here: the caller passes `reach(conditions)` (how many firms, what it costs) and
`members(conditions)` (which firms), answered by the audience service. This module only rewrites the condition
tree and does the set arithmetic, so it works the same whichever engine answers "who qualifies?".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from portal import conditions as cond

MAX_POINTS = 41  # points of one sweep: each is one audience query, so the page stays quick at 1M firms
SWEEP_OPS = ("gte", "gt", "lte", "lt")
SWEEP_KINDS = ("number", "ratio", "years")
CENT = Decimal("0.01")


class WhatIfError(ValueError):
    """A what-if request that cannot be answered; the message is for the official, in Chinese."""


@dataclass(frozen=True)
class Reach:
    """A draft's reach: qualifying firms and the computable cost in 万元 (as the sandbox reports them)."""

    total: int
    cost_wan: Decimal
    uncomputed: int = 0


@dataclass(frozen=True)
class Threshold:
    """A numeric row of a condition tree that can be swept; `path` indexes it from the root."""

    path: tuple[int, ...]
    field: str
    op: str
    value: Any
    label: str
    unit: str
    kind: str

    @property
    def row(self) -> dict:
        """The row itself, as a condition document holds it."""
        return {"field": self.field, "op": self.op, "value": self.value}

    @property
    def key(self) -> str:
        """The path as text for a form choice ("0", "2.1")."""
        return ".".join(map(str, self.path))

    @property
    def shown_value(self) -> Decimal:
        """The threshold in the unit the official types (a ratio in per cent)."""
        return to_shown(self.kind, self.value)


def to_shown(kind: str, value: Any) -> Decimal:
    """A stored value in the unit shown to officials: a ratio (0.03) as per cent (3)."""
    number = (Decimal(str(value)) * (100 if kind == "ratio" else 1)).normalize()
    # normalize() writes 200 as 2E+2; a whole number keeps its digits
    return number.quantize(Decimal(1)) if number.as_tuple().exponent > 0 else number


def from_shown(kind: str, shown: Decimal) -> int | float:
    """A typed value back to the stored form (per cent → ratio); whole numbers stay ints, as normalize keeps them."""
    value = shown / 100 if kind == "ratio" else shown
    return int(value) if value == value.to_integral_value() else float(value)


def _walk(node: Any, path: tuple[int, ...]) -> Iterator[tuple[tuple[int, ...], Mapping]]:
    if cond.is_group(node):
        for i, child in enumerate(cond.children(node)):
            yield from _walk(child, (*path, i))
    elif isinstance(node, Mapping) and node:
        yield path, node


def thresholds(conditions: Mapping | None) -> list[Threshold]:
    """Every sweepable row (a figure of the enterprise compared with ≥ > ≤ <), in reading order."""
    found = []
    for path, row in _walk(conditions or {"all": []}, ()):
        spec = cond.FIELDS.get(row.get("field"))
        if spec is None or spec.source not in ("own", "verified", "derived") or spec.kind not in SWEEP_KINDS:
            continue
        if row.get("op") in SWEEP_OPS:
            found.append(
                Threshold(path, row["field"], row["op"], row["value"], spec.label, spec.unit, spec.kind)
            )
    return found


def find_threshold(conditions: Mapping | None, key: str) -> Threshold:
    """The sweepable row named by its path key; WhatIfError when the draft has none there."""
    for found in thresholds(conditions):
        if found.key == key:
            return found
    raise WhatIfError("所选条件不存在或不是可调整的数值门槛，请重新选择。")


def _replace(node: Any, path: tuple[int, ...], value: Any) -> Any:
    if not path:
        return {**node, "value": value}
    kind = cond.group_kind(node)
    if kind == "not":
        return {"not": _replace(node["not"], path[1:], value)}
    items = list(node[kind])
    items[path[0]] = _replace(items[path[0]], path[1:], value)
    return {kind: items}


def with_value(conditions: Mapping, threshold: Threshold, value: Any) -> dict:
    """A copy of the tree with the threshold's row set to value; the original is left untouched."""
    return _replace(conditions, threshold.path, value)


def sweep_values(start: Any, stop: Any, points: Any) -> list[Decimal]:
    """Evenly spaced values from start to stop inclusive, to two places; WhatIfError on bad input."""
    try:
        first, last, count = Decimal(str(start)), Decimal(str(stop)), int(points)
    except (InvalidOperation, ValueError, TypeError):
        raise WhatIfError("起点、终点和测算点数须为数字。") from None
    if not (first.is_finite() and last.is_finite()):
        raise WhatIfError("起点、终点和测算点数须为数字。")
    if not 2 <= count <= MAX_POINTS:
        raise WhatIfError(f"测算点数须在 2 到 {MAX_POINTS} 之间。")
    if first < 0 or last < 0:
        raise WhatIfError("门槛不能为负数。")
    if first == last:
        raise WhatIfError("起点与终点相同，无从比较：请给出一个区间。")
    step = (last - first) / (count - 1)
    values = [(first + step * i).quantize(CENT) for i in range(count - 1)] + [last.quantize(CENT)]
    return list(dict.fromkeys(values))  # a tiny range rounds equal neighbours to one value


@dataclass(frozen=True)
class SweepPoint:
    """One value of the swept threshold and the draft's reach with it."""

    value: Decimal  # in the shown unit
    reach: Reach
    current: bool  # the draft's own value


def sweep(
    conditions: Mapping, threshold: Threshold, values: list[Decimal], reach: Callable[[dict], Reach]
) -> list[SweepPoint]:
    """The draft's reach and cost with the threshold at each value (values in the shown unit).

    The draft's own value is added when it lies inside the range, so the table always shows where it stands.
    """
    current = threshold.shown_value.quantize(CENT)
    if values and min(values) <= current <= max(values) and current not in values:
        values = sorted([*values, current])
    return [
        SweepPoint(v, reach(with_value(conditions, threshold, from_shown(threshold.kind, v))), v == current)
        for v in values
    ]


@dataclass(frozen=True)
class NearMiss:
    """A top-level condition and the firms that meet every other condition but not this one."""

    index: int
    node: Any
    count: int


@dataclass(frozen=True)
class NearMisses:
    """Firms missing the draft by exactly one top-level condition, counted per condition."""

    qualifying: int
    rows: list[NearMiss]

    @property
    def total(self) -> int:
        """Firms that miss by exactly one condition (each misses one, so the per-row sets are disjoint)."""
        return sum(r.count for r in self.rows)


def without(conditions: Mapping, index: int) -> dict:
    """The tree with the root's index-th condition left out (the root read as "all", as top_nodes does)."""
    nodes = cond.top_nodes(conditions)
    return {"all": nodes[:index] + nodes[index + 1 :]}


def near_misses(conditions: Mapping, patterns: Mapping[tuple[bool, ...], int]) -> NearMisses:
    """For each top-level condition: firms passing all the others and not this one (failed or undecidable).

    `patterns` counts the firms by which top-level conditions they pass (one bool per condition, in order), so
    one grouped scan answers every row (portal.policies.audience.outcome_patterns)."""
    nodes = cond.top_nodes(conditions)
    everything = tuple(True for _ in nodes)
    rows = [
        NearMiss(i, node, patterns.get(everything[:i] + (False,) + everything[i + 1 :], 0))
        for i, node in enumerate(nodes)
    ]
    return NearMisses(patterns.get(everything, 0), rows)


@dataclass(frozen=True)
class Comparison:
    """Two drafts side by side: each one's reach and cost, and how their audiences overlap."""

    first: Reach
    second: Reach
    both: int
    only_first: int
    only_second: int

    @property
    def overlap_share(self) -> float | None:
        """Firms in both as a share of the firms in either (Jaccard), None when neither reaches anyone."""
        either = self.both + self.only_first + self.only_second
        return self.both / either if either else None


def compare(first: Reach, second: Reach, first_ids: set[int], second_ids: set[int]) -> Comparison:
    """Side-by-side figures of two drafts from their reach and their member sets."""
    both = len(first_ids & second_ids)
    return Comparison(first, second, both, len(first_ids) - both, len(second_ids) - both)
