"""The condition language compiled to SQL: one WHERE expression over the enterprises table per conditions tree.

The expression has the pure evaluator's three outcomes as SQL's own three truth values: TRUE is pass, FALSE is
fail, NULL is unknown. SQL's AND / OR / NOT on NULL are Kleene's, exactly as `conditions.combine` and "not"
treat unknown, so a group compiles to and_ / or_ / not_ of its children and only rows need care: a row is NULL
exactly when the field (or an input of a derived field) is missing, and never otherwise.

Exactness: comparisons never round. Figures stored with two decimals (money, 万元) or none (employees) are
compared with the condition's exact value moved to the nearest representable threshold (x ≥ 2000.005 is
x ≥ 2000.01), so even SQLite's REAL storage compares exactly; years since founding become a founding-date
threshold found with `reference.years_since` itself; the R&D ratio is cross-multiplied in integers (cents);
the size class is the 300号 table written as a CASE over the sectors' code prefixes.

Pure: SQLAlchemy Core only, no Flask; the table and the dialect name are passed in.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    Integer,
    Numeric,
    Text,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from portal import conditions as cond
from portal import reference

SCALES = {"employees": 1, "revenue_wan": 100, "assets_wan": 100, "rd_expense_wan": 100, "tax_paid_wan": 100}
SCALES |= {cond.previous_field(n): s for n, s in SCALES.items()}
_CHINA_OFFSET = timedelta(hours=8)  # China Standard Time has no daylight saving: a local day starts 16:00 UTC
_SME_KEYS = {"employees": "employees", "revenue": "revenue_wan", "assets": "assets_wan"}
_FLIP = {"gte": "lte", "gt": "lt", "lte": "gte", "lt": "gt", "eq": "eq", "ne": "ne"}
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "gte": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "lte": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}


def unknown() -> ColumnElement[bool]:
    """SQL's NULL as a boolean: the unknown outcome."""
    return cast(null(), Boolean)


def _constant(status: str) -> ColumnElement[bool]:
    return {cond.PASS: true(), cond.FAIL: false()}.get(status, unknown())


def _known(known: ColumnElement[bool], test: ColumnElement[bool]) -> ColumnElement[bool]:
    """test where known holds, NULL (unknown) elsewhere, also where known itself is NULL."""
    return case((known, test), else_=unknown())


# ---------------------------------------------------------------- figures by year


def _figures(table: Any) -> Any:
    return table.metadata.tables["enterprise_figures"]


def _year_figure(table: Any, name: str, back: int) -> Any:
    """The figure of the enterprise's latest year (back=0) or the year before it (back=1), as derive reads them."""
    f = _figures(table)
    years = f.alias("figure_years")
    # correlate explicitly: the nested subquery's enterprise is the outermost query's row
    latest = (
        select(func.max(years.c.year))
        .where(years.c.enterprise_id == table.c.id)
        .correlate(table)
        .scalar_subquery()
    )
    return (
        select(f.c[name])
        .where(f.c.enterprise_id == table.c.id, f.c.year == latest - back)
        .correlate(table)
        .scalar_subquery()
    )


def figure(table: Any, name: str) -> Any:
    """A profile figure as derive gives it: the record's column, else the latest year's (revenue_wan_prev: the year
    before the latest). COALESCE evaluates the subquery only for rows whose column is NULL."""
    if name in cond.YEAR_FIELDS:
        return func.coalesce(table.c[name], _year_figure(table, name, 0))
    base = name.removesuffix("_prev")
    return _year_figure(table, base, 1)


# ---------------------------------------------------------------- numbers


def _literal_of(name: str, k: int) -> Any:
    """The threshold k / scale as the column's own kind of value (an int, or a two-place Decimal)."""
    scale = SCALES[name]
    return int(k) if scale == 1 else literal(Decimal(int(k)).scaleb(-2), Numeric(30, 2))


def _number(column: Any, name: str, op: str, value: Fraction) -> ColumnElement[bool]:
    """column op value, exact, for a column holding multiples of 1 / SCALES[name]."""
    t = value * SCALES[name]
    low, high = math.floor(t), math.ceil(t)
    at = _literal_of
    if op == "gte":
        return column >= at(name, high)
    if op == "gt":
        return column > at(name, low)
    if op == "lte":
        return column <= at(name, low)
    if op == "lt":
        return column < at(name, high)
    if t.denominator == 1:
        return column == at(name, low) if op == "eq" else column != at(name, low)
    # no stored figure equals a value between two cents: eq is false and ne true, yet unknown where missing
    inside = and_(column > at(name, low), column < at(name, high))
    return inside if op == "eq" else not_(inside)


def _cents(column: Any, dialect: str) -> Any:
    """A two-place figure as an exact integer-valued number of cents (SQLite stores REAL, PostgreSQL numeric)."""
    if dialect == "postgresql":
        return column * 100
    return cast(func.round(column * 100), Integer)


def _int(k: int, dialect: str) -> Any:
    # PostgreSQL multiplies numeric by numeric without overflow; SQLite by 64-bit integers
    return literal(k, Numeric(60, 0)) if dialect == "postgresql" else literal(k, Integer)


def _rd_ratio(table: Any, op: str, value: Fraction, dialect: str) -> ColumnElement[bool]:
    """rd_expense / revenue op value, cross-multiplied (a zero revenue is a ratio of 0, as derive says)."""
    rd, revenue = figure(table, "rd_expense_wan"), figure(table, "revenue_wan")
    left = _cents(rd, dialect) * _int(value.denominator, dialect)
    right = _cents(revenue, dialect) * _int(value.numerator, dialect)
    zero = _COMPARE[op](Fraction(0), value)
    return case(
        (or_(rd.is_(None), revenue.is_(None)), unknown()),
        (revenue > 0, _COMPARE[op](left, right)),
        (revenue < 0, _COMPARE[_FLIP[op]](left, right)),
        else_=true() if zero else false(),
    )


def _growth(table: Any, name: str, op: str, value: Fraction, dialect: str) -> ColumnElement[bool]:
    """(current − previous) / previous op value, cross-multiplied; unknown when either is missing or previous is 0."""
    current_name, previous_name = cond.GROWTH_FIELDS[name]
    current, previous = figure(table, current_name), figure(table, previous_name)
    left = (_cents(current, dialect) - _cents(previous, dialect)) * _int(value.denominator, dialect)
    right = _cents(previous, dialect) * _int(value.numerator, dialect)
    return case(
        (or_(current.is_(None), previous.is_(None), previous == 0), unknown()),
        (previous > 0, _COMPARE[op](left, right)),
        else_=_COMPARE[_FLIP[op]](left, right),
    )


def _last_true(test: Callable[[int], bool], lo: int, hi: int) -> int:
    """The largest ordinal in [lo, hi] where test holds, for a test true up to some point then false; lo - 1 if none."""
    if not test(lo):
        return lo - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if test(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _years(table: Any, op: str, value: Fraction, as_of: date) -> ColumnElement[bool]:
    """years_since_founded op value as a founding-date threshold: the years fall as the founding date moves on."""
    founded = table.c.founded
    if op == "eq":
        inner = and_(_years(table, "gte", value, as_of), _years(table, "lte", value, as_of))
        return _known(founded <= as_of, inner)
    if op == "ne":
        return not_(_years(table, "eq", value, as_of))
    lo, hi = date(1, 1, 1).toordinal(), as_of.toordinal()
    compare = _COMPARE[op]

    def years(d: int) -> Fraction:
        return reference.years_since(date.fromordinal(d), as_of)

    if op in ("gte", "gt"):  # holds for the earliest foundings, up to a last date
        last = _last_true(lambda d: compare(years(d), value), lo, hi)
        test = false() if last < lo else founded <= date.fromordinal(last)
    else:  # holds from a first date on
        last = _last_true(lambda d: not compare(years(d), value), lo, hi)
        test = true() if last < lo else founded > date.fromordinal(last)
    # a founding date after as_of is a data error that derive leaves unknown
    return _known(founded <= as_of, test)


# ---------------------------------------------------------------- size class


def _meets(inputs: Mapping[str, Any], thresholds: Mapping[str, Any]) -> ColumnElement[bool]:
    return and_(*(inputs[_SME_KEYS[k]] >= int(reference.exact(v)) for k, v in thresholds.items()))


def _class_in(inputs: Mapping[str, Any], sector: str) -> ColumnElement[str]:
    """The 300号 class within one sector; NULL when an indicator the sector uses is missing."""
    rules = reference._sme()["industries"][sector]
    needed = [inputs[_SME_KEYS[k]].is_(None) for k in rules["sme_upper"]]
    return case(
        (or_(*needed), null()),
        (_meets(inputs, rules["sme_upper"]), "大型"),
        (_meets(inputs, rules["medium"]), "中型"),
        (_meets(inputs, rules["small"]), "小型"),
        else_="微型",
    )


@cache
def _known_codes() -> str:
    """Every GB/T 4754-2017 code (any level) as the keys of a JSON object."""
    return json.dumps(dict.fromkeys(sorted(reference._industries()), 1), ensure_ascii=False)


def size_class(table: Any, dialect: str) -> ColumnElement[str]:
    """reference.size_class as a SQL expression: 大型 / 中型 / 小型 / 微型, NULL when not classifiable.

    As reference.sme_industry: a known GB/T code (one lookup) takes the sector of its longest prefix in
    the 300号 mapping. The indicators are the profile's (a column left empty takes the latest year's figure).
    """
    columns = {n: table.c[n] for n in _SME_KEYS.values()}
    fast = _size_of(table.c.industry_code, columns, dialect)
    if dialect == "postgresql":
        # each indicator's fallback read once per row in one subquery: the ~100 comparisons each holding
        # its own subquery made PostgreSQL JIT-compile the plan (21 s for 3,000 firms)
        inputs = select(*(figure(table, n).label(n) for n in columns)).correlate(table).subquery("indicators")
        filled = (
            select(_size_of(table.c.industry_code, {n: inputs.c[n] for n in columns}, dialect))
            .select_from(inputs)
            .correlate(table)
            .scalar_subquery()
        )
    else:
        filled = _size_of(table.c.industry_code, {n: figure(table, n) for n in columns}, dialect)
    return case((and_(*(c.is_not(None) for c in columns.values())), fast), else_=filled)


def _size_of(code: Any, inputs: Mapping[str, Any], dialect: str) -> ColumnElement[str]:
    """The size class of an industry code and indicator expressions ({employees, revenue_wan, assets_wan})."""
    if dialect == "postgresql":
        # a key lookup in one constant jsonb object: PostgreSQL 15 hashes only the first "= ANY" of a WHERE
        # it walks, so a list of codes nested in a row's IN took 29 s at 1M firms instead of 0.6 s
        valid = cast(literal(_known_codes()), _jsonb()).op("?")(code)
    else:
        valid = code.in_(sorted(reference._industries()))
    mapping = reference._sme()["mapping"]

    def sector(key: str | None) -> Any:
        return _class_in(inputs, mapping[key]) if key and mapping[key] else null()

    # a simple CASE per prefix length evaluates substr once: the section letter, then (where the mapping
    # splits a section) the 5- and 3-character keys, longest first, else the section's own sector
    sections = {}
    for letter in sorted({k[0] for k in mapping}):
        inner = sector(letter if letter in mapping else None)
        for n in (3, 5):
            keys = sorted(k for k in mapping if len(k) == n and k[0] == letter)
            if keys:
                inner = case({k: sector(k) for k in keys}, value=func.substr(code, 1, n), else_=inner)
        sections[letter] = inner
    return case((valid, case(sections, value=func.substr(code, 1, 1), else_=null())), else_=null())


# ---------------------------------------------------------------- JSON lists


def _json_null(column: Any, dialect: str) -> ColumnElement[bool]:
    """The list is missing: SQL NULL or a JSON null (both read back as None)."""
    # json_typeof reads the first token of the text; jsonb_typeof would parse the whole list on every row
    kind = func.json_typeof(column) if dialect == "postgresql" else func.json_type(column)
    return or_(column.is_(None), kind == "null")


def _jsonb() -> Any:
    from sqlalchemy.dialects.postgresql import JSONB

    return JSONB


def holds_any(column: Any, names: list[str], dialect: str) -> ColumnElement[bool]:
    """The JSON list holds one of names (false for a JSON null or an empty list)."""
    if dialect == "postgresql":
        # most lists are empty: their text answers without parsing the JSON (a NULL column stays NULL)
        test = cast(column, _jsonb()).op("?|")(cast(list(names), ARRAY(Text)))
        return case((cast(column, Text) == "[]", false()), else_=test)
    values = func.json_each(column).table_valued("value")
    return exists(select(1).select_from(values).where(values.c.value.in_(list(names))))


def _holds_all(column: Any, names: list[str], dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        test = cast(column, _jsonb()).op("?&")(cast(list(names), ARRAY(Text)))
        return case((cast(column, Text) == "[]", false()), else_=test)
    values = func.json_each(column).table_valued("value")
    found = select(func.count(values.c.value.distinct())).where(values.c.value.in_(list(names)))
    return found.scalar_subquery() == len(set(names))


def _current(table: Any, name: str, as_of: date, dialect: str) -> ColumnElement[bool]:
    """The enterprise holds `name` and the holding has not ended before as_of (reference.current_qualifications)."""
    until = table.c.qualification_until
    if dialect == "postgresql":
        end = until[name].as_string()
    else:  # SQLite's json_extract paths miss keys stored \u-escaped (as json.dumps writes them); json_each reads them
        pairs = func.json_each(until).table_valued("key", "value")
        end = select(pairs.c.value).where(pairs.c.key == name).scalar_subquery()
    counts = or_(end.is_(None), end == "", end >= as_of.isoformat())
    return and_(holds_any(table.c.qualifications, [name], dialect), counts)


def _qualifications(table: Any, op: str, names: list[str], dialect: str, as_of: date) -> ColumnElement[bool]:
    column, until = table.c.qualifications, table.c.qualification_until
    test = {
        "contains_any": lambda: holds_any(column, names, dialect),
        "contains_all": lambda: _holds_all(column, names, dialect),
        "not_contains_any": lambda: not_(holds_any(column, names, dialect)),
    }[op]()
    # with end dates, each name counts only while its holding lasts; most records have none (the fast test)
    current = [_current(table, n, as_of, dialect) for n in names]
    dated = {
        "contains_any": lambda: or_(*current),
        "contains_all": lambda: and_(*current),
        "not_contains_any": lambda: not_(or_(*current)),
    }[op]()
    undated = or_(until.is_(None), _json_null(until, dialect), cast(until, Text) == "{}")
    return case((_json_null(column, dialect), unknown()), (undated, test), else_=dated)


# ---------------------------------------------------------------- the portal's records


def _day_start_utc(day: date) -> datetime:
    """The UTC moment a China Standard Time day begins (decided_at is stored in UTC)."""
    return datetime.combine(day, time(), UTC) - _CHINA_OFFSET


def _approved_groups(table: Any, op: str, row: Mapping, as_of: date) -> ColumnElement[bool]:
    """An approved or paid application of a policy in the groups, decided by as_of (and within N years)."""
    groups = list(row["value"])
    if cond.OWN_GROUP in groups:  # "@own" not bound to the policy's group: nothing to decide on
        return unknown()
    tables = table.metadata.tables
    apps, policies = tables["applications"], tables["policies"]
    decided = apps.c.decided_at
    window = [decided < _day_start_utc(as_of + timedelta(days=1))]
    if row.get("within_years") is not None:
        within = reference.exact(row["within_years"])
        lo, hi = date(1, 1, 1).toordinal(), as_of.toordinal()
        # years_since falls as the approval day moves on: the last day still too old, then the first that counts
        old = _last_true(lambda d: reference.years_since(date.fromordinal(d), as_of) > within, lo, hi)
        if old >= lo:
            window.append(decided >= _day_start_utc(date.fromordinal(old + 1)))
    held = exists(
        select(1)
        .select_from(apps.join(policies, policies.c.id == apps.c.policy_id))
        .where(
            apps.c.enterprise_id == table.c.id,
            apps.c.status.in_(("approved", "paid")),
            policies.c.policy_group.in_(groups),
            policies.c.policy_group != "",
            decided.is_not(None),
            *window,
        )
    )
    return held if op == "contains_any" else not_(held)


# ---------------------------------------------------------------- rows and trees


def _choice(column: Any, op: str, value: Any) -> ColumnElement[bool]:
    if op == "eq":
        return column == value
    if op == "ne":
        return column != value
    if op == "in":
        return column.in_(list(value))
    if op == "not_in":
        return column.not_in(list(value))
    # prefix_in: substr, not LIKE, which SQLite compares without case and which gives % and _ a meaning
    return or_(*(func.substr(column, 1, len(p)) == p for p in value))


def compile_row(row: Mapping, table: Any, *, as_of: date, dialect: str, bound: Mapping | None = None) -> Any:
    """One row as a SQL boolean: TRUE pass, FALSE fail, NULL unknown (the evaluator's _status, in SQL)."""
    name, op, value = row["field"], row["op"], row["value"]
    spec = cond.FIELDS[name]
    if spec.source == "loan":  # the loan being judged: decided here on the bound values, or unknown
        return _constant(cond.matcher({"all": [row]})(dict(bound or {})))
    numeric = spec.kind in ("number", "years", "ratio")
    exact = reference.exact(value) if numeric and not cond.OPS[op].many else None
    if spec.kind == "years":
        return _years(table, op, exact, as_of)
    if spec.kind == "ratio" and name in cond.GROWTH_FIELDS:
        return _growth(table, name, op, exact, dialect)
    if spec.kind == "ratio":
        return _rd_ratio(table, op, exact, dialect)
    if spec.kind == "number":
        return _number(figure(table, name), name, op, exact)
    if spec.kind == "qualifications":
        return _qualifications(table, op, list(value), dialect, as_of)
    if spec.kind == "groups":
        return _approved_groups(table, op, row, as_of)
    if spec.kind == "size_class":
        return _choice(size_class(table, dialect), op, value)
    if spec.kind == "bool":
        return _choice(table.c[name], op, bool(value))
    return _choice(table.c[name], op, value)


def compile_tree(
    conditions: Mapping | None, table: Any, *, as_of: date, dialect: str, bound: Mapping | None = None
) -> ColumnElement[bool]:
    """A conditions document as one SQL boolean over `table` (TRUE pass, FALSE fail, NULL unknown).

    `bound` holds the values of loan rows (conditions.with_loan's keys); without it they are unknown.
    An empty document passes, as conditions.matcher says.
    """
    if not conditions:
        return true()

    def node(n: Mapping) -> Any:
        if not cond.is_group(n):
            return compile_row(n, table, as_of=as_of, dialect=dialect, bound=bound)
        kind = cond.group_kind(n)
        parts = [node(c) for c in cond.children(n)]
        if kind == "not":
            return not_(parts[0])
        if not parts:  # an empty all passes, an empty any fails (combine over nothing)
            return true() if kind == "all" else false()
        return and_(*parts) if kind == "all" else or_(*parts)

    return node(conditions)


def prefilter(conditions: Mapping | None, table: Any, *, dialect: str) -> list[ColumnElement[bool]]:
    """Necessary conditions of a pass that an index can answer, to AND into a WHERE (never into outcome()).

    A qualification row of the root "all" passes only if the list holds the names, which PostgreSQL answers
    from the GIN index on (qualifications::jsonb) instead of parsing every enterprise's list.
    """
    if not conditions or dialect != "postgresql":
        return []
    rows = cond.top_nodes(conditions) if cond.is_group(conditions) else [conditions]
    column = cast(table.c.qualifications, _jsonb())
    out = []
    for row in rows:
        if cond.is_group(row) or row.get("field") != "qualifications":
            continue
        names = cast(list(row["value"]), ARRAY(Text))
        if row["op"] == "contains_any":
            out.append(column.op("?|")(names))
        elif row["op"] == "contains_all":
            out.append(column.op("?&")(names))
    return out


def support_amount(support: Mapping | None, table: Any, *, dialect: str) -> Any:
    """conditions.support_amount as a PostgreSQL numeric expression (NULL where the base figure is missing).

    numeric arithmetic is exact and round(x, 2) rounds half away from zero, as conditions._half_up does.
    None when SQL cannot say: SQLite (REAL), "increase" rules (the previous year is not stored), interest.
    """
    support = support or {}
    kind = support.get("kind")
    if (
        dialect != "postgresql"
        or kind not in ("fixed", "ratio", "tiers", "per_unit")
        or support.get("increase")
    ):
        return None

    def number(x: Any) -> Any:
        return literal(cond.to_decimal(x), Numeric(60, 20))

    if kind == "fixed":
        return func.round(number(support["amount_wan"]), 2)
    base = figure(table, support["base"])
    if kind == "tiers":
        ordered = sorted(support["tiers"], key=lambda t: -reference.exact(t["gte"]))
        branches = [(base >= number(t["gte"]), number(t["amount_wan"])) for t in ordered]
        return func.round(case((base.is_(None), null()), *branches, else_=number(0)), 2)
    if kind == "per_unit":
        amount = number(support["amount_wan"]) * base
    else:
        counted = base
        if support.get("over_wan") is not None:  # only the part above the threshold counts
            counted = func.greatest(base - number(support["over_wan"]), number(0))
        amount = counted * number(support["rate"])
    if support.get("cap_wan") is not None:
        amount = func.least(amount, number(support["cap_wan"]))
    # LEAST and GREATEST skip NULLs: a missing base would otherwise be paid the cap
    return case((base.is_(None), null()), else_=func.round(amount, 2))


def outcome(expression: ColumnElement[bool]) -> ColumnElement[str]:
    """'pass' / 'fail' / 'unknown' of a compiled expression, for reports and the differential tests."""
    return case((expression, cond.PASS), (not_(expression), cond.FAIL), else_=cond.UNKNOWN)
