"""The baseline of bench/audience_sql.py: the per-worker cached enterprise table the portal used until the
SQL audience service replaced it (portal/policies/audience.py before that change, kept verbatim here so the
benchmark compares both in one run; no request uses it)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, or_, select

from portal import conditions as cond
from portal import reference
from portal.extensions import db
from portal.models import Enterprise, VirtualPark
from portal.policies.audience import (  # the report the SQL engine gives, compared field by field
    Sandbox,
    _street_label,
)
from portal.policies.models import (
    Policy,
)
from portal.services import ServiceError

DELIVERY_BATCH = 2000  # enterprises scanned (and notifications inserted) per flush

# ---------------------------------------------------------------- audience: sandbox and delivery


_LOAD_BATCH = 20000  # rows per fetch of the streamed load (a server-side cursor on PostgreSQL)
_TEXT_FIELDS = ("registered_district", "street", "industry_code")
_PUSHED_DOWN = {  # conditions the old row scan pushed into SQL: the "candidates" a report counts
    "registered_district": ("eq", "in"),
    "street": ("eq", "in"),
    "industry_code": ("eq", "in", "prefix_in"),
    "credit_ok": ("eq",),
}


@dataclass
class _Population:
    """The enterprises of the database as one recommender table, plus what the sandbox and the push read."""

    key: tuple  # (database url, count, latest updated_at, largest id)
    on: date  # the day years_since_founded was derived for
    table: Any  # recommender.EnterpriseTable, rows in enterprise id order
    ids: Any  # int64 enterprise ids, ascending
    founded: Any  # datetime64[D], NaT where unknown (re-deriving the years on another day)
    muted: Any  # uint64, bit i = muted muted_vocab[i]
    muted_vocab: list[str]


class _PopulationCache:
    """One process-wide population table, built on first use (never at startup) and kept current."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.population: _Population | None = None

    def reset(self) -> None:
        with self.lock:
            self.population = None


_population_cache = _PopulationCache()


def _vocab_mask(text: str | None, vocab: list[str], where: dict[str, int], memo: dict) -> int | None:
    """A JSON list of names (its text) as a bit mask over vocab, extended on the fly; null is None (unknown).

    Parsed once per distinct text: a million rows hold a few hundred distinct lists.
    """
    hit = memo.get(text, memo)
    if hit is memo:
        values = None if text is None else json.loads(text)
        hit = None if values is None else 0
        for name in values or ():
            if name not in where:
                where[name] = len(vocab)
                vocab.append(name)
            hit |= 1 << where[name]
        if len(vocab) > 64:
            raise ServiceError("资质或退订类别超过 64 种，无法按位存储。")
        memo[text] = hit
    return hit


def _cents(values: list, exact_cents: bool) -> tuple[Any, Any]:
    """Money as (int64 cents, known); Numeric(14, 2) values are whole cents, never floats."""
    import numpy as np

    known = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    if exact_cents:  # the database already multiplied by 100 and cast to bigint
        return np.fromiter((v or 0 for v in values), dtype=np.int64, count=len(values)), known
    out = np.zeros(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if v is not None:
            c = cond.to_decimal(v) * 100
            if c != c.to_integral_value():
                raise ServiceError(f"金额 {v} 不是整分，无法精确计算。")
            out[i] = int(c)
    return out, known


def _load(on: date, where: list, qual_vocab: list[str], muted_vocab: list[str]):
    """Stream enterprises (one Core SELECT of plain columns, id order) into a recommender table.

    Returns (table, ids, founded, muted bits, muted_vocab); the vocabularies passed in are only extended,
    so bits of an earlier load stay valid.
    """
    import numpy as np
    from sqlalchemy import BigInteger, Text, cast

    from portal.policies.recommender import EnterpriseTable

    on_postgres = db.session.get_bind().dialect.name == "postgresql"
    money = [
        getattr(Enterprise, name) for name in ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan")
    ]
    if (
        on_postgres
    ):  # numeric(14, 2) * 100 is a whole number: PostgreSQL sends exact integers, no Decimal parsing
        money = [cast(m * 100, BigInteger) for m in money]
    stmt = (
        select(
            Enterprise.id,
            Enterprise.registered_district,
            Enterprise.street,
            Enterprise.industry_code,
            Enterprise.founded,
            Enterprise.employees,
            *money,
            cast(Enterprise.qualifications, Text),  # JSON as text: parsed once per distinct list
            Enterprise.credit_ok,
            cast(Enterprise.muted_categories, Text),
        )
        .where(*where)
        .order_by(Enterprise.id)
        .execution_options(yield_per=_LOAD_BATCH)
    )
    parts: list[list] = [[] for _ in range(13)]
    for rows in db.session.connection().execute(stmt).partitions():  # Core rows, no ORM processing
        for k, column in enumerate(zip(*rows, strict=True)):
            parts[k].extend(column)
    (ids, district, street, industry, founded, employees, revenue, assets, rd, tax, quals, credit, muted) = (
        parts
    )
    n = len(ids)
    known: dict[str, Any] = {}
    columns: dict[str, Any] = {}
    for name, values in zip(_TEXT_FIELDS, (district, street, industry), strict=True):
        known[name] = np.fromiter((v is not None for v in values), dtype=bool, count=n)
        columns[name] = np.array(["" if v is None else v for v in values], dtype=str if n else "U1")
    founded_days = np.array(founded, dtype="datetime64[D]") if n else np.zeros(0, dtype="datetime64[D]")
    known["founded"] = ~np.isnat(founded_days)
    columns["founded"] = founded_days
    known["employees"] = np.fromiter((v is not None for v in employees), dtype=bool, count=n)
    columns["employees"] = np.fromiter((v or 0 for v in employees), dtype=np.int64, count=n)
    for name, values in zip(
        ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan"),
        (revenue, assets, rd, tax),
        strict=True,
    ):
        cents, known[name] = _cents(values, on_postgres)
        columns[name] = (cents, 100)
    qual_vocab, where_q, memo_q = list(qual_vocab), {q: i for i, q in enumerate(qual_vocab)}, {}
    masks = [_vocab_mask(v, qual_vocab, where_q, memo_q) for v in quals]
    known["qualifications"] = np.fromiter((m is not None for m in masks), dtype=bool, count=n)
    columns["qualifications"] = np.fromiter((m or 0 for m in masks), dtype=np.uint64, count=n)
    known["credit_ok"] = np.fromiter((v is not None for v in credit), dtype=bool, count=n)
    columns["credit_ok"] = np.fromiter((bool(v) for v in credit), dtype=bool, count=n)
    muted_vocab, where_m, memo_m = list(muted_vocab), {c: i for i, c in enumerate(muted_vocab)}, {}
    muted_bits = np.fromiter(
        (_vocab_mask(v, muted_vocab, where_m, memo_m) or 0 for v in muted), dtype=np.uint64, count=n
    )
    table = EnterpriseTable.from_columns(
        [str(i) for i in ids], columns, on, known=known, qual_vocab=qual_vocab
    )
    return table, np.array(ids, dtype=np.int64), founded_days, muted_bits, muted_vocab


def _fresh_population(key: tuple, on: date) -> _Population:
    table, ids, founded, muted, muted_vocab = _load(
        on, [], list(reference.QUALIFICATIONS), list(reference.POLICY_CATEGORIES)
    )
    return _Population(key, on, table, ids, founded, muted, muted_vocab)


def _refreshed(pop: _Population, key: tuple, on: date) -> _Population | None:
    """The population with the rows changed since it was built patched in; None when a rebuild is needed."""
    import numpy as np

    latest = pop.key[2]
    changed = [Enterprise.id > int(pop.ids[-1])] if len(pop.ids) else [Enterprise.id > 0]
    if latest is not None:
        changed = [or_(Enterprise.updated_at >= latest, *changed)]
    table, ids, founded, muted, muted_vocab = _load(on, changed, list(pop.table.qual_vocab), pop.muted_vocab)
    at = np.searchsorted(pop.ids, ids)
    present = at < len(pop.ids)
    present[present] = pop.ids[at[present]] == ids[present]
    fresh = ~present
    if len(pop.ids) and fresh.any() and ids[fresh].min() <= pop.ids[-1]:
        return None  # a new row inside the id range: rebuild rather than shift every column
    at[fresh] = len(pop.ids) + np.arange(int(fresh.sum()))
    n = len(pop.ids) + int(fresh.sum())
    if n != key[1]:
        return None  # rows were deleted
    base = pop.table.with_years(pop.founded, ~np.isnat(pop.founded), on) if pop.on != on else pop.table

    def grown(a: Any, new: Any) -> Any:
        out = np.concatenate([a, new[fresh]])
        out[at[present]] = new[present]
        return out

    return _Population(
        key, on, base.patched(at, table), grown(pop.ids, ids), grown(pop.founded, founded),
        grown(pop.muted, muted), muted_vocab,
    )  # fmt: skip


def _population(on: date) -> _Population:
    """The cached population, current with the database (a fingerprint query) and derived for day `on`."""
    import numpy as np

    count, latest, top = db.session.execute(
        select(func.count(Enterprise.id), func.max(Enterprise.updated_at), func.max(Enterprise.id))
    ).one()
    key = (str(db.session.get_bind().url), count, latest, top)
    cache = _population_cache
    with cache.lock:
        pop = cache.population
        if pop is not None and pop.key == key:
            if pop.on != on:  # a new day moves only the years since founding
                table = pop.table.with_years(pop.founded, ~np.isnat(pop.founded), on)
                pop = cache.population = _Population(
                    key, on, table, pop.ids, pop.founded, pop.muted, pop.muted_vocab
                )
            return pop
        fresh = None
        if pop is not None and pop.key[0] == key[0] and count >= len(pop.ids) // 2:
            fresh = _refreshed(pop, key, on)
        cache.population = fresh or _fresh_population(key, on)
        return cache.population


def reset_population() -> None:
    """Forget the cached enterprise table (tests, or to free its memory)."""
    _population_cache.reset()


def _audience_rows(pop: _Population, policy: Policy, conditions: Mapping) -> Any:
    """Table rows (ascending, so ascending enterprise ids) of the enterprises meeting every condition."""
    from portal.policies.recommender import audience

    draft = {"id": str(policy.id or 0), "criteria": conditions, "targets": None, "support": None}
    return audience(draft, pop.table)


def _candidate_rows(pop: _Population, policy: Policy, conditions: Mapping) -> Any:
    """Rows meeting the text-valued conditions alone: what a scan would have had to read (the progress length)."""
    # only rows of the root "all" narrow the audience; a row inside an any/not group need not hold
    top = conditions.get("all", []) if cond.is_group(conditions) else []
    rows = [r for r in top if not cond.is_group(r) and r["op"] in _PUSHED_DOWN.get(r["field"], ())]
    return _audience_rows(pop, policy, {"all": rows})


def _support_cents(support: Mapping | None, table: Any, rows: Any) -> tuple[Any, Any]:
    """Each row's conditions.support_amount in cents (Python ints) and whether it is computable, vectorised.

    Exact: rate × base (a rational) is capped and rounded half-up to cents with integer arithmetic only.
    """
    import numpy as np

    n = len(rows)
    if not support or support.get("kind") not in ("fixed", "ratio", "tiers", "per_unit"):
        return np.zeros(n, dtype=object), np.zeros(n, dtype=bool)
    if support["kind"] == "fixed":
        cents = int(cond.support_amount(support, {}).scaleb(2))
        return np.full(n, cents, dtype=object), np.ones(n, dtype=bool)
    if support["kind"] != "ratio" or support.get("increase") or support.get("over_wan") is not None:
        return _support_cents_by_value(support, table, rows)
    num, den, known = table.numbers[support["base"]]
    x = num[rows].astype(object) * reference.exact(support["rate"]).numerator
    y = (den[rows] if den.shape[0] > 1 else np.broadcast_to(den, (n,))).astype(object)
    y = y * reference.exact(support["rate"]).denominator
    if support.get("cap_wan") is not None:
        cap = reference.exact(support["cap_wan"])
        over = x * cap.denominator > y * cap.numerator
        x, y = np.where(over, cap.numerator, x), np.where(over, cap.denominator, y)
    sign = np.where(x < 0, -1, 1)
    cents = sign * ((200 * np.abs(x) + y) // (2 * y))  # floor(|x / y| * 100 + 1/2), as conditions._half_up
    return cents, known[rows]


def _support_cents_by_value(support: Mapping, table: Any, rows: Any) -> tuple[Any, Any]:
    """Cents from conditions.support_amount itself, once per distinct base figure (tiers, per unit, over part).

    The previous year's figure is not in the table, so an "increase" rule is left to review (not computable).
    """
    import numpy as np

    n = len(rows)
    cents = np.zeros(n, dtype=object)
    if support.get("increase"):
        return cents, np.zeros(n, dtype=bool)
    num, den, known = table.numbers[support["base"]]
    dens = den[rows] if den.shape[0] > 1 else np.broadcast_to(den, (n,))
    computed: dict[tuple[int, int], int] = {}
    for k, (a, b) in enumerate(zip(num[rows].tolist(), dens.tolist(), strict=True)):
        hit = computed.get((a, b))
        if hit is None:
            amount = cond.support_amount(support, {support["base"]: Fraction(int(a), int(b))})
            hit = computed[(a, b)] = int(amount.scaleb(2))
        cents[k] = hit
    return cents, known[rows]


def _money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2).quantize(Decimal("0.01"))


def _muted_rows(pop: _Population, category: str | None, rows: Any) -> Any:
    import numpy as np

    if category not in pop.muted_vocab:
        return np.zeros(len(rows), dtype=bool)
    return (pop.muted[rows] >> np.uint64(pop.muted_vocab.index(category))) & np.uint64(1) == 1


def _counts(codes: Any, values: list, label: Callable[[Any], str]) -> Counter:
    """Count rows per code (-1 = missing) and name each code with label(value or None)."""
    import numpy as np

    out: Counter = Counter()
    found, counts = np.unique(codes, return_counts=True)
    for c, k in zip(found.tolist(), counts.tolist(), strict=True):
        out[label(values[c] if c >= 0 else None)] += k
    return out


def sandbox_cached(policy: Policy, *, on: date) -> Sandbox:
    """Reach of a (draft) policy: qualifying enterprises by street, size class and virtual park; budget it takes.

    Runs in the official's request: the audience comes from the cached enterprise table (vectorised, exact),
    and only the qualifying rows are aggregated.
    """
    import numpy as np

    parks = db.session.scalars(select(VirtualPark).order_by(VirtualPark.name)).all()
    report = Sandbox(budget_wan=policy.budget_wan)
    conditions = policy.conditions or {"all": []}
    pop = _population(on)
    table = pop.table
    hits = _audience_rows(pop, policy, conditions)
    report.scanned = len(_candidate_rows(pop, policy, conditions))
    report.total = len(hits)
    report.muted = int(np.count_nonzero(_muted_rows(pop, policy.category, hits)))
    dcodes, dvalues = table.categories["registered_district"]
    scodes, svalues = table.categories["street"]
    pairs, counts = np.unique(
        np.stack([dcodes[hits], scodes[hits]], axis=1).reshape(-1, 2), axis=0, return_counts=True
    )
    for (d, s), k in zip(pairs.tolist(), counts.tolist(), strict=True):
        report.by_street[_street_label(dvalues[d] if d >= 0 else None, svalues[s] if s >= 0 else None)] += k
    codes, values = table.categories["size_class"]
    report.by_size = _counts(codes[hits], values, lambda v: v or "无法划型")
    icodes, ivalues = table.categories["industry_code"]
    where = {q: i for i, q in enumerate(table.qual_vocab)}
    for park in parks:
        # VirtualPark.admits, once per distinct industry code and as a bit test on the qualifications
        by_code = np.array([park.admits(v, park.qualifications) for v in ivalues] + [False], dtype=bool)
        ok = by_code[icodes[hits]] if park.industry_prefixes else np.ones(len(hits), dtype=bool)
        if park.qualifications:
            mask = sum(1 << where[q] for q in set(park.qualifications) if q in where)
            ok &= (table.qual_bits[hits] & np.uint64(mask)) != 0
        if admitted := int(np.count_nonzero(ok)):
            report.by_park[park.name] += admitted
    cents, computable = _support_cents(policy.support, table, hits)
    report.uncomputed = int(np.count_nonzero(~computable))
    report.cost_wan = _money(sum(cents[computable].tolist()))
    return report
