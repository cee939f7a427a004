"""Matching a financing request to loan products: fit, score, explain in Chinese, pick banks, set deadlines.

Pure module: no Flask, no database. A request fits a product when the product's conditions pass on the
enterprise's profile, the collateral suits the product kind, and the ranges overlap — the request stands for
"up to" its amount, term and rate, so a product fits when its minimum amount, minimum term and lowest rate do
not exceed them. Fits are scored on rate (lower is better), amount coverage and term coverage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from portal import conditions, reference
from portal.timeutil import CHINA, add_working_days

LOAN_KINDS = ("信用贷", "抵押贷", "担保贷", "知识产权质押贷", "供应链金融")
COLLATERAL_KINDS = reference.COLLATERAL_KINDS
# The collateral each kind of loan rests on; a credit loan needs none, so it suits every request.
KIND_COLLATERAL: dict[str, frozenset[str] | None] = {
    "信用贷": None,
    "抵押贷": frozenset({"房产抵押", "设备抵押"}),
    "担保贷": frozenset({"第三方担保"}),
    "知识产权质押贷": frozenset({"知识产权质押"}),
    "供应链金融": frozenset({"应收账款/订单"}),
}

# Profile field groups an enterprise grants to banks; every profile field belongs to exactly one group.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "基本信息": (
        "name",
        "uscc",
        "registered_district",
        "street",
        "industry_code",
        "founded",
        "years_since_founded",
        "size_class",
        "tax_district",
        "operating_district",
        "business_scope",
        "description",
    ),
    "经营财务": (
        "employees",
        "revenue_wan",
        "assets_wan",
        "rd_expense_wan",
        "tax_paid_wan",
        "rd_ratio",
        "revenue_growth",
        "revenue_wan_prev",
    ),
    "资质信用": ("qualifications", "credit_ok"),
}
GROUP_OF_FIELD = {name: group for group, names in FIELD_GROUPS.items() for name in names}
# A condition on data outside every group (a portal record, a field added later) is never consented.
UNSHARED_GROUP = "其他"


def groups_of_condition(field: str) -> tuple[str, ...]:
    """The groups a condition's sentence reveals: its field's group, else those of the fields it rests on."""
    if field in GROUP_OF_FIELD:
        return (GROUP_OF_FIELD[field],)
    spec = conditions.FIELDS.get(field)
    names = spec.inputs if spec else (field,)
    return tuple(sorted({GROUP_OF_FIELD.get(name, UNSHARED_GROUP) for name in names}))


# Score weights: the price of the loan matters most, then how much of the need it covers, then the term.
WEIGHTS = (0.5, 0.3, 0.2)


@dataclass(frozen=True)
class Product:
    """The terms of a loan product that matching needs."""

    id: int
    bank_id: int
    name: str
    kind: str
    amount_min: Decimal
    amount_max: Decimal
    term_min: int
    term_max: int
    rate_min: Decimal
    rate_max: Decimal
    conditions: Mapping[str, Any] = field(default_factory=lambda: {"all": []})


@dataclass(frozen=True)
class Ask:
    """What the enterprise asks for: up to this amount (万元), term (months) and annual rate (%)."""

    amount: Decimal
    term: int
    max_rate: Decimal
    collateral: str


@dataclass(frozen=True)
class Reason:
    """One sentence of a fit explanation; `groups` names the profile field groups it reveals (empty: none)."""

    text: str
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fit:
    """A product that fits, with its score in [0, 1]."""

    product: Product
    score: float


def _num(d: Decimal | int) -> str:
    """A number as people write it: thousands separators, no trailing zeros."""
    d = Decimal(d)
    return format(d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize(), ",f")


def _term_checks(ask: Ask, p: Product) -> tuple[bool, bool, bool, bool]:
    """Amount, term, rate and collateral: does each range overlap the request's?"""
    suits = KIND_COLLATERAL.get(p.kind)
    return (
        p.amount_min <= ask.amount,
        p.term_min <= ask.term,
        p.rate_min <= ask.max_rate,
        suits is None or ask.collateral in suits,
    )


def score(ask: Ask, p: Product) -> float:
    """Score a fitting product: rate headroom, share of the amount covered, share of the term covered."""
    rate = max(0.0, min(1.0, float((ask.max_rate - p.rate_min) / ask.max_rate))) if ask.max_rate > 0 else 0.0
    amount = float(min(p.amount_max, ask.amount) / ask.amount) if ask.amount > 0 else 0.0
    term = 1.0 if p.term_max >= ask.term else p.term_max / ask.term
    w_rate, w_amount, w_term = WEIGHTS
    return round(w_rate * rate + w_amount * amount + w_term * term, 4)


def rank(ask: Ask, products: Iterable[Product], profile: Mapping[str, Any]) -> list[Fit]:
    """Every product that fits, best first (score, then lower rate, then id for a stable order)."""
    fits = []
    for p in products:
        if all(_term_checks(ask, p)) and conditions.matcher(p.conditions)(profile) == conditions.PASS:
            fits.append(Fit(p, score(ask, p)))
    fits.sort(key=lambda f: (-f.score, f.product.rate_min, f.product.id))
    return fits


def explain(ask: Ask, p: Product, profile: Mapping[str, Any]) -> list[Reason]:
    """Explain in Chinese why the product fits the request (or not): terms first, then each condition."""
    amount_ok, term_ok, rate_ok, collateral_ok = _term_checks(ask, p)
    mark = {True: "✓", False: "✗"}
    if not amount_ok:
        amount = (
            f"额度 {_num(p.amount_min)}–{_num(p.amount_max)} 万元，起贷额高于申请的 {_num(ask.amount)} 万元 ✗"
        )
    elif p.amount_max >= ask.amount:
        amount = (
            f"额度 {_num(p.amount_min)}–{_num(p.amount_max)} 万元，可全额满足申请的 {_num(ask.amount)} 万元 ✓"
        )
    else:
        share = _num((p.amount_max * 100 / ask.amount).quantize(Decimal("0.1")))
        amount = f"额度最高 {_num(p.amount_max)} 万元，可满足申请金额 {_num(ask.amount)} 万元的 {share}% ✓"
    if not term_ok:
        term = f"期限 {p.term_min}–{p.term_max} 个月，最短期限长于申请的 {ask.term} 个月 ✗"
    elif p.term_max >= ask.term:
        term = f"期限 {p.term_min}–{p.term_max} 个月，覆盖申请的 {ask.term} 个月 ✓"
    else:
        term = f"期限最长 {p.term_max} 个月，短于申请的 {ask.term} 个月 ✓"
    rate = (
        f"年利率 {_num(p.rate_min)}%–{_num(p.rate_max)}%，最低利率"
        f"{'不高于' if rate_ok else '高于'}可接受的 {_num(ask.max_rate)}% {mark[rate_ok]}"
    )
    collateral = (
        f"担保方式“{ask.collateral}”{'适用' if collateral_ok else '不适用'}{p.kind} {mark[collateral_ok]}"
    )
    reasons = [
        Reason(f"产品：{p.name}（{p.kind}）"),
        Reason(amount),
        Reason(term),
        Reason(rate),
        Reason(collateral),
    ]
    results = conditions.evaluate(p.conditions, profile)
    if not results:
        reasons.append(Reason("产品未设准入条件 ✓"))
    reasons += [Reason(r.sentence, groups_of_condition(r.field)) for r in results]
    return reasons


def pick_banks(
    ranked: Iterable[Fit], *, skip: Iterable[int] = (), allowed: Iterable[int] | None = None, slots: int
) -> list[Fit]:
    """The best fit of each of the best-fitting banks, at most `slots`, leaving out `skip` and banks not allowed."""
    seen, chosen = set(skip), []
    allowed = None if allowed is None else set(allowed)
    for fit in ranked:
        bank = fit.product.bank_id
        if len(chosen) >= slots:
            break
        if bank in seen or (allowed is not None and bank not in allowed):
            continue
        seen.add(bank)
        chosen.append(fit)
    return chosen


def deadline(start: datetime, working_days: int) -> datetime:
    """The end (midnight, Asia/Shanghai) of the Nth working day after `start` (holidays and 调休 counted), in UTC."""
    day = add_working_days(start.astimezone(CHINA).date(), working_days)
    return datetime.combine(day + timedelta(days=1), time(0), CHINA).astimezone(UTC)
