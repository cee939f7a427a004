"""Who qualifies for a policy, answered by the database: the one audience service, and the official's sandbox.

Sandbox, precise push, 免申即享 and the 贴息 lookup all ask here. The conditions tree is compiled to one SQL
boolean (portal.audience_sql, the pure evaluator's three outcomes as TRUE / FALSE / NULL), so no web worker
keeps a copy of the enterprises and no answer is older than the last commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, false, func, literal, literal_column, null, select, text
from sqlalchemy.sql.elements import ColumnElement

from portal import audience_sql
from portal import conditions as cond
from portal.extensions import db
from portal.models import Enterprise, VirtualPark
from portal.policies.models import Policy

DELIVERY_BATCH = 2000  # enterprises scanned (and notifications inserted) per flush

_TABLE = Enterprise.__table__
_PUSHED_DOWN = {  # rows that narrow the candidates a push walks through (its progress length)
    "registered_district": ("eq", "in"),
    "street": ("eq", "in"),
    "industry_code": ("eq", "in", "prefix_in"),
    "credit_ok": ("eq",),
}
_PER_FIRM = ("ratio", "tiers", "per_unit")  # support kinds whose amount depends on a profile figure


def qualifying(
    conditions: Mapping | None, *, on: date, bound: Mapping[str, Any] | None = None
) -> ColumnElement[bool]:
    """The WHERE clause of the enterprises whose profile passes the conditions on that day.

    `bound` gives loan rows their values (conditions.with_loan); without it those rows are unknown.
    """
    dialect = db.session.get_bind().dialect.name
    tree = audience_sql.compile_tree(conditions, _TABLE, as_of=on, dialect=dialect, bound=bound)
    return and_(tree, *audience_sql.prefilter(conditions, _TABLE, dialect=dialect))


def _plain_plans() -> None:
    """PostgreSQL: no JIT for this transaction. A compiled tree is a large expression whose estimated cost
    made PostgreSQL spend ~0.7 s compiling it to machine code for a scan that then took about as long (and
    ~20 s with the size class's correlated figure subqueries, which run only where a column is empty)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def muted_category(category: str | None) -> ColumnElement[bool]:
    """The enterprise opted out of messages of this category (never unknown): pushes and reminders both ask."""
    if not category:
        return false()
    dialect = db.session.get_bind().dialect.name
    return func.coalesce(audience_sql.holds_any(Enterprise.muted_categories, [category], dialect), false())


def _candidates(conditions: Mapping, on: date) -> ColumnElement[bool]:
    """Rows meeting the text-valued conditions of the root "all" alone (what a scan would have had to read)."""
    top = conditions.get("all", []) if cond.is_group(conditions) else []
    rows = [r for r in top if not cond.is_group(r) and r["op"] in _PUSHED_DOWN.get(r["field"], ())]
    return qualifying({"all": rows}, on=on)


def eligible_enterprise_ids(policy: Policy, *, on: date) -> list[int]:
    """Ids of the enterprises whose profile meets the policy's conditions on that day, ascending (the one answer
    to "who qualifies?"; opt-outs are not applied: delivery and the sandbox count those separately)."""
    _plain_plans()
    query = select(Enterprise.id).where(qualifying(policy.criteria, on=on)).order_by(Enterprise.id)
    return list(db.session.scalars(query))


def decide_for(
    enterprise_id: int, documents: Mapping[Any, Mapping | None], *, on: date, bound: Mapping | None = None
) -> dict[Any, str]:
    """One enterprise against many conditions documents: key → pass / fail / unknown.

    One firm is decided by the pure evaluator on its profile, the semantics the SQL compiler is pinned to pair
    for pair: compiling every document into one SELECT grows with the catalogue (766 贴息 policies at district
    scale made 82,000 bind parameters and ran into the statement timeout), while the profile is one load.
    """
    if not documents:
        return {}
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        return {}
    profile = enterprise.profile(on) | dict(bound or {})
    return {key: cond.matcher(document or {})(profile) for key, document in documents.items()}


# ---------------------------------------------------------------- amounts


class Amounts:
    """conditions.support_amount per distinct base figure (a district holds far fewer figures than firms)."""

    def __init__(self, support: Mapping | None):
        self.support = support or {}
        self.kind = self.support.get("kind")
        # the figure as the profile has it (the column, else the latest year's)
        self.base = audience_sql.figure(_TABLE, self.support["base"]) if self.kind in _PER_FIRM else None
        # an "increase" rule pays on the growth over the previous year's figure (from the year figures)
        increase = self.base is not None and self.support.get("increase")
        self.previous_name = cond.previous_field(self.support["base"]) if increase else None
        self.previous = audience_sql.figure(_TABLE, self.previous_name) if increase else null()
        self.memo: dict[Any, Decimal | None] = {}

    def of(self, figure: Any = None, previous: Any = None) -> Decimal | None:
        """The amount for an enterprise whose base figure is `figure` (and previous year's `previous`)."""
        if self.kind == "fixed":
            return cond.support_amount(self.support, {})
        if self.base is None or figure is None:
            return None
        key = (figure, previous)
        if key not in self.memo:
            profile = {self.support["base"]: figure}
            if self.previous_name:
                profile[self.previous_name] = previous
            self.memo[key] = cond.support_amount(self.support, profile)
        return self.memo[key]


# ---------------------------------------------------------------- sandbox


def _street_label(district: Any, street: Any) -> str:
    return f"{district or '未填区'} {street or '未填街道'}"


@dataclass
class Sandbox:
    """Who a policy would reach on a day, and what it would cost."""

    total: int = 0  # qualifying enterprises
    scanned: int = 0  # candidates (enterprises the text-valued conditions alone already admit)
    muted: int = 0  # of them, opted out of the category (not pushed, may still apply)
    by_street: Counter = field(default_factory=Counter)
    by_size: Counter = field(default_factory=Counter)
    by_park: Counter = field(default_factory=Counter)
    cost_wan: Decimal = Decimal("0.00")  # sum of computable amounts
    uncomputed: int = 0  # qualifying enterprises whose amount cannot be computed (interest, missing base)
    budget_wan: Decimal | None = None

    @property
    def over_budget(self) -> bool:
        """True when the computable amounts already exceed the budget."""
        return self.budget_wan is not None and self.cost_wan > self.budget_wan

    @property
    def budget_share(self) -> float | None:
        """Cost as a share of the budget."""
        return float(self.cost_wan / self.budget_wan) if self.budget_wan else None


def park_rule(park: VirtualPark) -> dict:
    """VirtualPark.admits as a conditions document (prefixes: any; qualifications: any; unknown is not admitted)."""
    rows = []
    if park.industry_prefixes:
        rows.append({"field": "industry_code", "op": "prefix_in", "value": list(park.industry_prefixes)})
    if park.qualifications:
        rows.append({"field": "qualifications", "op": "contains_any", "value": list(park.qualifications)})
    return {"all": rows}


def sandbox(policy: Policy, *, on: date) -> Sandbox:
    """Reach of a (draft) policy: qualifying enterprises by street, size class and virtual park; budget it takes.

    A count of the candidates; one grouped query of the audience by street, size, parks and opt-out; a third,
    only for amounts that depend on a figure, groups the audience by that figure.
    """
    dialect = db.session.get_bind().dialect.name
    _plain_plans()
    parks = db.session.scalars(select(VirtualPark).order_by(VirtualPark.name)).all()
    report = Sandbox(budget_wan=policy.budget_wan)
    conditions = policy.criteria or {"all": []}
    where = qualifying(conditions, on=on)
    report.scanned = db.session.scalar(select(func.count()).where(_candidates(conditions, on))) or 0
    t = _TABLE.c
    muted = muted_category(policy.category)

    def flag(test: ColumnElement[bool]) -> Any:
        return case((func.coalesce(test, false()), literal(1)), else_=literal(0))

    # the WHERE decides each enterprise once; the grouped columns are computed for the audience only
    groups = [
        t.registered_district,
        t.street,
        audience_sql.size_class(_TABLE, dialect),
        flag(muted),
        *(flag(audience_sql.compile_tree(park_rule(p), _TABLE, as_of=on, dialect=dialect)) for p in parks),
    ]
    # by position: PostgreSQL would not see two renderings of one expression (own parameters) as the same
    positions = [literal_column(str(k + 1)) for k in range(len(groups))]
    # PostgreSQL sums the amounts in the same scan; elsewhere a second query groups by the base figure
    amount = audience_sql.support_amount(policy.support, _TABLE, dialect=dialect)
    sums = [func.sum(amount), func.count(amount)] if amount is not None else [literal(0), literal(0)]
    query = select(*groups, *sums, func.count()).where(where).group_by(*positions)
    summed, cost = amount is not None, Decimal(0)
    for row in db.session.execute(query):
        n = row[-1]
        if summed:
            cost += row[-3] or 0
            report.uncomputed += n - row[-2]
        report.total += n
        report.muted += n if row[3] else 0
        report.by_street[_street_label(row[0], row[1])] += n
        report.by_size[row[2] or "无法划型"] += n
        for k, park in enumerate(parks):
            if row[4 + k]:
                report.by_park[park.name] += n
    amounts = Amounts(policy.support)
    if summed:
        pass  # summed by the database above
    elif amounts.base is not None and report.total:
        by_figure = (
            select(amounts.base, amounts.previous, func.count())
            .where(where)
            .group_by(literal_column("1"), literal_column("2"))
        )
        for figure, previous, n in db.session.execute(by_figure):
            amount = amounts.of(figure, previous)
            if amount is None:
                report.uncomputed += n
            else:
                cost += amount * n
    elif amounts.kind == "fixed":
        cost = amounts.of() * report.total
    else:
        report.uncomputed = report.total
    report.cost_wan = cost.quantize(Decimal("0.01"))
    return report


def outcome_patterns(policy: Policy, *, on: date) -> Counter:
    """Enterprises counted by which of the policy's top-level conditions they pass (a tuple of bools in order;
    unknown is not a pass), in one grouped scan: what the what-if's near misses read."""
    dialect = db.session.get_bind().dialect.name
    _plain_plans()
    nodes = cond.top_nodes(policy.criteria or {"all": []})
    flags = [
        func.coalesce(audience_sql.compile_tree({"all": [n]}, _TABLE, as_of=on, dialect=dialect), false())
        for n in nodes
    ]
    positions = [literal_column(str(k + 1)) for k in range(len(flags))]
    query = select(*flags, func.count()).select_from(_TABLE)
    if flags:
        query = query.group_by(*positions)
    return Counter({tuple(bool(f) for f in row[:-1]): row[-1] for row in db.session.execute(query)})


# ---------------------------------------------------------------- delivery


@dataclass
class Audience:
    """A push's audience in enterprise id order: who qualifies, who muted the category, and each amount."""

    candidates: list[int]  # ids the text-valued conditions admit (the progress length)
    ids: list[int]
    muted: list[bool]
    amounts: list[Decimal | None]


def audience_of(policy: Policy, *, on: date) -> Audience:
    """Everything a push needs about its audience, read in two queries."""
    _plain_plans()
    conditions = policy.criteria or {"all": []}
    amounts = Amounts(policy.support)
    figure = amounts.base if amounts.base is not None else literal(None)
    query = (
        select(Enterprise.id, muted_category(policy.category), figure, amounts.previous)
        .where(qualifying(conditions, on=on))
        .order_by(Enterprise.id)
    )
    rows = db.session.execute(query).all()
    candidates = select(Enterprise.id).where(_candidates(conditions, on)).order_by(Enterprise.id)
    return Audience(
        list(db.session.scalars(candidates)),
        [r[0] for r in rows],
        [bool(r[1]) for r in rows],
        [amounts.of(r[2], r[3]) for r in rows],
    )
