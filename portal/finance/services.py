"""Finance services: products, requests and consent, routing, offers, accept, disbursement, tokens, scorecards.

Services change state and flush; the caller (view, API, CLI command, test) commits once. They take the acting
user — or, on the API, the bank's token — as `actor=`, and the clock as `now=` (UTC; default: utcnow()).
Every change to a request's routes or offers first locks the request row (SELECT … FOR UPDATE on PostgreSQL),
and state moves by conditional UPDATE … WHERE status = …, so racing accepts and withdrawals end consistently.
"""

from __future__ import annotations

import hashlib
import secrets
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import String, cast, func, or_, select, update
from sqlalchemy.orm import contains_eager, joinedload

from portal import conditions
from portal.extensions import db
from portal.finance import matching
from portal.finance.matching import COLLATERAL_KINDS, FIELD_GROUPS, KIND_COLLATERAL, LOAN_KINDS
from portal.finance.models import (
    ENGAGED,
    OFFER_TRANSITIONS,
    REQUEST_TRANSITIONS,
    ROUTE_TRANSITIONS,
    BankApiToken,
    BankNotice,
    Disbursement,
    FinanceEvent,
    FinancingOffer,
    FinancingRequest,
    FinancingRoute,
    LoanProduct,
    OfferStatus,
    ProfileView,
    RequestStatus,
    RouteStatus,
)
from portal.finance.schemas import (
    CONDITIONS_MAX_CHARS,
    MAX_LOAN_WAN,
    PURPOSE_MAX_CHARS,
    PURPOSE_MIN_CHARS,
    REASON_MAX_CHARS,
    REASON_MIN_CHARS,
    InputError,
    check_day,
    check_money,
    check_rate,
    check_term,
    check_text,
    consent_window,
    offer_window,
)
from portal.models import Bank, Enterprise, Role, User
from portal.services import FIELD_LABELS, ServiceError, notify, require_confirmed
from portal.timeutil import local, utcnow
from portal.transitions import move

CATEGORY = "融资服务"
VISIT_WINDOW = timedelta(minutes=30)  # views of one request by one user within this time are one visit
T = TypeVar("T")


def _now(now: datetime | None) -> datetime:
    return (now or utcnow()).astimezone(UTC)


def _today(now: datetime) -> date:
    return local(now).date()


def _who(actor: Any) -> dict[str, int | None]:
    """The log columns of an actor: a user, or a bank's API token."""
    if isinstance(actor, BankApiToken):
        return {"user_id": None, "token_id": actor.id}
    return {"user_id": getattr(actor, "id", None), "token_id": None}


def _event(request_id: int, action: str, *, actor: Any = None, bank_id: int | None = None, **detail) -> None:
    db.session.add(
        FinanceEvent(
            request_id=request_id,
            action=action,
            bank_id=bank_id,
            detail={k: str(v) if isinstance(v, Decimal | date) else v for k, v in detail.items()},
            **_who(actor),
        )
    )


def _tell_bank(bank_id: int, request_id: int, title: str, body: str = "") -> None:
    db.session.add(BankNotice(bank_id=bank_id, request_id=request_id, title=title, body=body))


def _checked(label: str, check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one of the schemas' checks (the limits live there, once) and refuse in Chinese, naming the field."""
    try:
        return check(*args, **kwargs)
    except InputError as exc:
        message = str(exc)
        raise ServiceError((message if message.startswith(label) else label + message) + "。") from None


def _text(value: Any, label: str, *, low: int, high: int) -> str:
    return _checked(label, check_text, value, label, low=low, high=high)


def _money(value: Any, label: str, high: Decimal = MAX_LOAN_WAN) -> Decimal:
    return _checked(f"{label}（万元）", check_money, value, label, high)


def _rate(value: Any, label: str) -> Decimal:
    return _checked(f"{label}（%）", check_rate, value, label)


def _term(value: Any, label: str) -> int:
    return _checked(f"{label}（月）", check_term, value, label)


def _day(value: Any, label: str, low: date, high: date) -> date:
    return _checked(label, check_day, value, label, low=low, high=high)


def _bank_of(actor: Any) -> int:
    if getattr(actor, "role", None) != Role.BANK or not actor.bank_id:
        raise ServiceError("只有金融机构账号可以办理。")
    return actor.bank_id


def _lock(request: FinancingRequest) -> FinancingRequest:
    """Re-read the request under a row lock, so changes to its routes and offers happen one at a time."""
    locked = db.session.scalar(
        select(FinancingRequest)
        .where(FinancingRequest.id == request.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert locked is not None
    return locked


# ---------------------------------------------------------------- products


def save_product(
    product: LoanProduct | None,
    *,
    actor: Any,
    name: str,
    kind: str,
    amount_min_wan: Any,
    amount_max_wan: Any,
    term_min_months: Any,
    term_max_months: Any,
    rate_min: Any,
    rate_max: Any,
    conditions_data: Any,
    description: str = "",
    active: bool = True,
) -> LoanProduct:
    """Create or change one of the actor's bank's loan products after checking every range and the conditions."""
    bank_id = _bank_of(actor)
    if product is not None and not product.can_manage(actor):
        raise ServiceError("只能修改本行的产品。")
    name = _text(name, "产品名称", low=1, high=100)
    if kind not in LOAN_KINDS:
        raise ServiceError(f"产品类型应为：{'、'.join(LOAN_KINDS)}。")
    amount_min, amount_max = _money(amount_min_wan, "最低额度"), _money(amount_max_wan, "最高额度")
    term_min, term_max = _term(term_min_months, "最短期限"), _term(term_max_months, "最长期限")
    low, high = _rate(rate_min, "最低年利率"), _rate(rate_max, "最高年利率")
    if amount_min > amount_max or term_min > term_max or low > high:
        raise ServiceError("额度、期限、利率的下限不能高于上限。")
    try:
        normalized = conditions.normalize(conditions_data)
    except conditions.ConditionError as exc:
        raise ServiceError("准入条件有误：" + "；".join(exc.messages)) from None
    if product is None:
        product = LoanProduct(bank_id=bank_id)
        db.session.add(product)
    product.name, product.kind, product.conditions = name, kind, normalized
    product.amount_min_wan, product.amount_max_wan = amount_min, amount_max
    product.term_min_months, product.term_max_months = term_min, term_max
    product.rate_min, product.rate_max = low, high
    product.description = _text(description or "", "产品说明", low=0, high=2000)
    product.active = bool(active)
    db.session.flush()
    return product


def bank_products(bank_id: int) -> list[LoanProduct]:
    """A bank's products, active first."""
    query = select(LoanProduct).where(LoanProduct.bank_id == bank_id)
    return list(db.session.scalars(query.order_by(LoanProduct.active.desc(), LoanProduct.id)))


# ---------------------------------------------------------------- requests and consent


def create_request(
    *,
    actor: Any,
    amount_wan: Any,
    term_months: Any,
    purpose: str,
    collateral: str,
    max_rate: Any,
    consent_bank_ids: list[int] | None,
    consent_groups: list[str],
    consent_until: date,
    now: datetime | None = None,
) -> FinancingRequest:
    """An enterprise posts a request with its consent; it is routed at once to the best-fitting banks."""
    now = _now(now)
    if getattr(actor, "role", None) != Role.ENTERPRISE or not actor.enterprise_id:
        raise ServiceError("只有企业账号可以发布融资需求。")
    require_confirmed(actor)
    if collateral not in COLLATERAL_KINDS:
        raise ServiceError(f"担保方式应为：{'、'.join(COLLATERAL_KINDS)}。")
    groups = list(consent_groups or [])
    if not groups or any(g not in FIELD_GROUPS for g in groups):
        raise ServiceError(f"请至少授权一类企业数据（可选：{'、'.join(FIELD_GROUPS)}）。")
    if consent_bank_ids is not None:
        ids = sorted(set(consent_bank_ids))
        known = set(db.session.scalars(select(Bank.id).where(Bank.id.in_(ids)))) if ids else set()
        if not ids or known != set(ids):
            raise ServiceError("请选择授权的银行（至少一家，且须为平台合作银行）。")
        consent_bank_ids = ids
    today = _today(now)
    request = FinancingRequest(
        enterprise_id=actor.enterprise_id,
        created_by_id=actor.id,
        amount_wan=_money(amount_wan, "融资金额"),
        term_months=_term(term_months, "融资期限"),
        purpose=_text(purpose, "资金用途", low=PURPOSE_MIN_CHARS, high=PURPOSE_MAX_CHARS),
        collateral=collateral,
        max_rate=_rate(max_rate, "可接受最高年利率"),
        status=RequestStatus.OPEN,
        consent_bank_ids=consent_bank_ids,
        consent_groups=[g for g in FIELD_GROUPS if g in groups],
        revoked_bank_ids=[],
        consent_until=_day(consent_until, "授权截止日期", *consent_window(today)),
        created_at=now,
    )
    db.session.add(request)
    db.session.flush()
    _event(request.id, "created", actor=actor, amount_wan=request.amount_wan)
    route_request(request, now=now)
    return request


_TERMS = (
    LoanProduct.id,
    LoanProduct.bank_id,
    LoanProduct.name,
    LoanProduct.kind,
    LoanProduct.amount_min_wan,
    LoanProduct.amount_max_wan,
    LoanProduct.term_min_months,
    LoanProduct.term_max_months,
    LoanProduct.rate_min,
    LoanProduct.rate_max,
    LoanProduct.conditions,
)


def _candidates(request: FinancingRequest, skip: set[int]) -> list[matching.Product]:
    """Active products whose ranges could fit: SQL narrows on the plain columns, matching decides.

    Plain column rows, not ORM objects: thousands of candidates would otherwise fill the identity map.
    """
    kinds = [k for k, suits in KIND_COLLATERAL.items() if suits is None or request.collateral in suits]
    query = select(*_TERMS).where(
        LoanProduct.active.is_(True),
        LoanProduct.kind.in_(kinds),
        LoanProduct.amount_min_wan <= request.amount_wan,
        LoanProduct.term_min_months <= request.term_months,
        LoanProduct.rate_min <= request.max_rate,
    )
    if skip:
        query = query.where(LoanProduct.bank_id.not_in(skip))
    return [matching.Product(*row) for row in db.session.execute(query)]


def ask_of(request: FinancingRequest) -> matching.Ask:
    """The matching view of a request."""
    return matching.Ask(request.amount_wan, request.term_months, request.max_rate, request.collateral)


def route_request(request: FinancingRequest, *, now: datetime | None = None) -> list[FinancingRoute]:
    """Fill the request's free slots with the next best-fitting consented banks, each with a deadline."""
    now = _now(now)
    today = _today(now)
    if request.status != RequestStatus.OPEN or request.consent_revoked_at or today > request.consent_until:
        return []
    held = list(
        db.session.execute(
            select(FinancingRoute.bank_id, FinancingRoute.status).where(
                FinancingRoute.request_id == request.id
            )
        )
    )
    slots = current_app.config["ROUTE_MAX_BANKS"] - sum(1 for _, status in held if status in ENGAGED)
    if slots <= 0:
        return []
    skip = {bank_id for bank_id, _ in held} | set(request.revoked_bank_ids or ())
    profile = request.enterprise.profile(today)
    ask = ask_of(request)
    ranked = matching.rank(ask, _candidates(request, skip), profile)
    chosen = matching.pick_banks(ranked, skip=skip, allowed=request.consent_bank_ids, slots=slots)
    due = matching.deadline(now, current_app.config["ROUTE_DEADLINE_WORKING_DAYS"])
    routes = []
    for fit in chosen:
        reasons = matching.explain(ask, fit.product, profile)
        route = FinancingRoute(
            request_id=request.id,
            bank_id=fit.product.bank_id,
            product_id=fit.product.id,
            score=Decimal(str(fit.score)),
            explanation=[{"text": r.text, "groups": list(r.groups)} for r in reasons],
            status=RouteStatus.PENDING,
            routed_at=now,
            deadline_at=due,
        )
        db.session.add(route)
        routes.append(route)
        _tell_bank(
            fit.product.bank_id,
            request.id,
            f"新的融资需求：{request.amount_wan:,} 万元，{request.term_months} 个月",
            f"请于 {local(due):%Y-%m-%d %H:%M} 前答复，逾期将转给其他银行。",
        )
        _event(request.id, "routed", bank_id=fit.product.bank_id, product_id=fit.product.id, score=fit.score)
    db.session.flush()
    return routes


def _close_routes(request: FinancingRequest, *, keep_bank_id: int | None, status: str, title: str) -> None:
    """End every engaged route but the kept bank's, and tell each bank."""
    closing = db.session.scalars(
        select(FinancingRoute).where(
            FinancingRoute.request_id == request.id,
            FinancingRoute.status.in_(ENGAGED),
            FinancingRoute.bank_id != (keep_bank_id or 0),
        )
    ).all()
    for route in closing:
        route.status = status
        _tell_bank(route.bank_id, request.id, title)
    db.session.execute(
        update(FinancingOffer)
        .where(
            FinancingOffer.request_id == request.id,
            FinancingOffer.status == OfferStatus.OPEN,
            FinancingOffer.bank_id != (keep_bank_id or 0),
        )
        .values(status=OfferStatus.CLOSED)
    )


def withdraw_request(
    request: FinancingRequest, *, actor: Any, now: datetime | None = None
) -> FinancingRequest:
    """The enterprise withdraws an open request: every bank loses it and every open offer closes."""
    now = _now(now)
    if not request.can_view(actor):
        raise ServiceError("只能撤回本企业的融资需求。")
    request = _lock(request)
    if request.status != RequestStatus.OPEN:
        raise ServiceError(f"该融资需求{request.status_label}，不能撤回。")
    request.status = RequestStatus.WITHDRAWN
    _close_routes(
        request, keep_bank_id=None, status=RouteStatus.CLOSED, title=f"融资需求 #{request.id} 已由企业撤回"
    )
    _event(request.id, "withdrawn", actor=actor)
    db.session.flush()
    return request


def revoke_consent(
    request: FinancingRequest, *, actor: Any, bank_id: int | None = None, now: datetime | None = None
) -> FinancingRequest:
    """Revoke one bank's consent, or everyone's: access ends at once. Revoking everyone's ends an open request."""
    now = _now(now)
    if not request.can_view(actor):
        raise ServiceError("只能管理本企业的授权。")
    request = _lock(request)
    if request.consent_revoked_at is not None:
        raise ServiceError("授权已全部撤销。")
    if request.status == RequestStatus.ACCEPTED:
        # Revoking the accepted bank would strand the deal: accepted, the bank locked out, nothing to withdraw.
        accepted = db.session.get(FinancingOffer, request.accepted_offer_id or 0)
        if accepted is not None and bank_id in (None, accepted.bank_id):
            raise ServiceError(
                f"已接受{accepted.bank.short_name or accepted.bank.name}的报价，放款登记前不能撤销对该行的授权；"
                "请待银行登记放款后再撤销，或先撤销接受（需求将重新进入撮合）。"
            )
    title = f"企业已撤回对融资需求 #{request.id} 的数据授权"
    if bank_id is None:
        request.consent_revoked_at = now
        if request.status == RequestStatus.OPEN:
            request.status = RequestStatus.WITHDRAWN
        _close_routes(request, keep_bank_id=None, status=RouteStatus.REVOKED, title=title)
        _event(request.id, "consent_revoked", actor=actor)
        db.session.flush()
        return request
    if bank_id in (request.revoked_bank_ids or ()):
        raise ServiceError("已撤销对该银行的授权。")
    request.revoked_bank_ids = [*(request.revoked_bank_ids or []), bank_id]
    route = db.session.scalar(
        select(FinancingRoute).where(
            FinancingRoute.request_id == request.id, FinancingRoute.bank_id == bank_id
        )
    )
    if route is not None and route.status in ENGAGED:
        route.status = RouteStatus.REVOKED
        _tell_bank(bank_id, request.id, title)
        db.session.execute(
            update(FinancingOffer)
            .where(
                FinancingOffer.request_id == request.id,
                FinancingOffer.bank_id == bank_id,
                FinancingOffer.status == OfferStatus.OPEN,
            )
            .values(status=OfferStatus.CLOSED)
        )
    _event(request.id, "consent_revoked", actor=actor, bank_id=bank_id)
    db.session.flush()
    route_request(request, now=now)
    return request


def enterprise_requests(enterprise_id: int) -> list[FinancingRequest]:
    """An enterprise's requests, newest first."""
    query = select(FinancingRequest).where(FinancingRequest.enterprise_id == enterprise_id)
    return list(db.session.scalars(query.order_by(FinancingRequest.id.desc())))


def view_log(request: FinancingRequest) -> list[ProfileView]:
    """Every bank view of the request's data, newest first (the enterprise reads this)."""
    query = select(ProfileView).where(ProfileView.request_id == request.id)
    return list(db.session.scalars(query.order_by(ProfileView.id.desc())))


# ---------------------------------------------------------------- the bank's side


def bank_route(request_id: int, bank_id: int) -> FinancingRoute | None:
    """The bank's route of a request, if the request was ever routed to it (with the request and enterprise)."""
    return db.session.scalar(
        select(FinancingRoute)
        .where(FinancingRoute.request_id == request_id, FinancingRoute.bank_id == bank_id)
        .options(joinedload(FinancingRoute.request).joinedload(FinancingRequest.enterprise))
    )


def bank_feed(
    bank_id: int, *, now: datetime | None = None, limit: int | None = None, before: int | None = None
) -> list[FinancingRoute]:
    """The bank's current work: engaged routes within their deadline and not yet disbursed, newest first.

    With `limit`, one page by keyset (routes with id < `before`): a bank holding tens of thousands of routes
    gets the newest page in a few small queries instead of loading them all."""
    now = _now(now)
    query = (
        select(FinancingRoute)
        .join(FinancingRoute.request)
        .options(contains_eager(FinancingRoute.request))
        .where(FinancingRoute.bank_id == bank_id, FinancingRoute.status.in_(ENGAGED))
        .order_by(FinancingRoute.id.desc())
    )
    today = _today(now)
    if limit is not None:
        # What SQL can say of the rules below, so a page never walks a long run of lapsed routes; the JSON
        # consent lists (per-bank grants and revocations) are still checked in Python.
        query = query.where(
            FinancingRequest.consent_revoked_at.is_(None),
            FinancingRequest.consent_until >= today,
            FinancingRequest.status != RequestStatus.DISBURSED,
            or_(FinancingRoute.status != RouteStatus.PENDING, FinancingRoute.deadline_at > now),
        )

    def current(r: FinancingRoute) -> bool:
        return (
            r.request.consents_to(bank_id, today)
            and not r.done
            and not (r.status == RouteStatus.PENDING and now >= local(r.deadline_at))
        )

    if limit is None:
        return [r for r in db.session.scalars(query) if current(r)]
    out: list[FinancingRoute] = []
    batch = max(2 * limit, 100)  # rows filtered out in Python (consent, deadline) are skipped batch by batch
    while True:
        page = query.where(FinancingRoute.id < before) if before else query
        rows = db.session.scalars(page.limit(batch)).all()
        for r in rows:
            if current(r):
                out.append(r)
                if len(out) == limit:
                    return out
        if len(rows) < batch:
            return out
        before = rows[-1].id


def bank_history(
    bank_id: int, *, now: datetime | None = None, limit: int = 50
) -> list[tuple[FinancingRoute, bool]]:
    """The bank's finished requests (declined, withdrawn, closed, expired, disbursed), newest first,
    each with whether the bank may still open it read-only."""
    now = _now(now)
    query = (
        select(FinancingRoute)
        .join(FinancingRoute.request)
        .options(contains_eager(FinancingRoute.request))
        .where(
            FinancingRoute.bank_id == bank_id,
            or_(FinancingRoute.status.not_in(ENGAGED), FinancingRequest.status == RequestStatus.DISBURSED),
        )
        .order_by(FinancingRoute.id.desc())
        .limit(limit)
    )
    return [(r, r.read_problem(None, now, bank_id=bank_id) is None) for r in db.session.scalars(query)]


@dataclass
class BankView:
    """What a bank sees of a routed request: the terms, the consented profile fields and the fit explanation."""

    route: FinancingRoute
    request: FinancingRequest
    groups: list[str]
    fields: dict[str, list[tuple[str, str, Any]]]  # group → [(field, label, value)], values JSON-able
    reasons: list[str]
    offer: FinancingOffer | None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(Decimal(value.numerator) / Decimal(value.denominator))[:8]
    if isinstance(value, Decimal | date):
        return str(value)
    return list(value) if isinstance(value, tuple) else value


def visible_reasons(route: FinancingRoute, groups: list[str] | None) -> list[str]:
    """The fit explanation with sentences about profile groups outside `groups` summarised (None: none shown)."""
    shown = []
    for reason in route.explanation:
        # Routes explained before "groups" existed stored one "group".
        needed = reason.get("groups") or ([reason["group"]] if reason.get("group") else [])
        if all(group in (groups or ()) for group in needed):
            shown.append(reason["text"])
        elif groups is not None:
            # Not even pass or fail: the line would tell the bank something about data it may not see.
            shown.append(f"一项{'、'.join(needed)}类准入条件：未授权（企业未授权查看该类数据）")
    return shown


def view_request(route: FinancingRoute, *, actor: Any, channel: str, now: datetime | None = None) -> BankView:
    """Show the bank the consented part of the profile, and log the view (who, what, when)."""
    now = _now(now)
    problem = route.read_problem(actor, now)
    if problem:
        raise ServiceError(problem)
    request = route.request
    groups = list(request.consent_groups)
    profile = request.enterprise.profile(_today(now))
    labels = FIELD_LABELS | conditions.INPUT_LABELS
    fields = {g: [(f, labels.get(f, f), _jsonable(profile.get(f))) for f in FIELD_GROUPS[g]] for g in groups}
    offer = db.session.scalar(
        select(FinancingOffer).where(
            FinancingOffer.request_id == request.id, FinancingOffer.bank_id == route.bank_id
        )
    )
    who = _who(actor)
    last = db.session.scalar(
        select(ProfileView)
        .where(
            ProfileView.request_id == request.id,
            ProfileView.bank_id == route.bank_id,
            ProfileView.channel == channel,
            ProfileView.user_id == who["user_id"] if who["user_id"] else ProfileView.user_id.is_(None),
            ProfileView.token_id == who["token_id"] if who["token_id"] else ProfileView.token_id.is_(None),
        )
        .order_by(ProfileView.id.desc())
        .limit(1)
    )
    # One visit is one entry: the page reloads after each answer (offer, decline, errors), which is not a new
    # look at the data. A later look, or one at other field groups, is logged again.
    if last is None or last.groups != groups or now - local(last.viewed_at) >= VISIT_WINDOW:
        db.session.add(
            ProfileView(
                request_id=request.id,
                enterprise_id=request.enterprise_id,
                bank_id=route.bank_id,
                channel=channel,
                groups=groups,
                viewed_at=now,
                **who,
            )
        )
    db.session.flush()
    return BankView(route, request, groups, fields, visible_reasons(route, groups), offer)


def _engaged_route(
    route: FinancingRoute, actor: Any, now: datetime, *, reoffer: bool = False
) -> FinancingRequest:
    """Lock the route's request and check the actor may still act on it; with `reoffer`, a bank that withdrew
    its offer (say, a mistyped rate) may act again while the request is open."""
    request = _lock(route.request)
    db.session.refresh(route)
    again = reoffer and route.status == RouteStatus.WITHDRAWN
    problem = route.read_problem(actor, now) if again else route.access_problem(actor, now)
    if problem:
        raise ServiceError(problem)
    if request.status != RequestStatus.OPEN:
        raise ServiceError(f"该融资需求{request.status_label}，不能再{'报价' if again else '答复'}。")
    return request


def make_offer(
    route: FinancingRoute,
    *,
    actor: Any,
    amount_wan: Any,
    rate: Any,
    term_months: Any,
    conditions_text: str,
    valid_until: date,
    now: datetime | None = None,
) -> FinancingOffer:
    """The routed bank answers with an offer (one per bank and request)."""
    now = _now(now)
    request = _engaged_route(route, actor, now, reoffer=True)
    if route.status not in (RouteStatus.PENDING, RouteStatus.WITHDRAWN):
        raise ServiceError("本行已答复该融资需求。")
    today = _today(now)
    terms = {
        "amount_wan": _money(amount_wan, "授信金额", high=request.amount_wan),
        "rate": _rate(rate, "年利率"),
        "term_months": _term(term_months, "贷款期限"),
        "conditions_text": _text(conditions_text or "", "放款条件", low=0, high=CONDITIONS_MAX_CHARS),
        "valid_until": _day(valid_until, "报价有效期", *offer_window(today)),
        "status": OfferStatus.OPEN,
        "created_by_id": _who(actor)["user_id"],
        "created_at": now,
        "decided_at": None,
    }
    # One offer row per bank and request: a new offer after a withdrawal replaces the withdrawn terms (the
    # event log keeps both).
    offer = db.session.scalar(
        select(FinancingOffer).where(
            FinancingOffer.request_id == request.id, FinancingOffer.bank_id == route.bank_id
        )
    )
    if offer is None:
        offer = FinancingOffer(request_id=request.id, route_id=route.id, bank_id=route.bank_id, **terms)
        db.session.add(offer)
    else:
        for name, value in terms.items():
            setattr(offer, name, value)
    route.status, route.responded_at = RouteStatus.OFFERED, now
    _event(
        request.id,
        "offered",
        actor=actor,
        bank_id=route.bank_id,
        amount_wan=offer.amount_wan,
        rate=offer.rate,
    )
    notify(
        request.enterprise_id,
        category=CATEGORY,
        title=f"{route.bank.short_name or route.bank.name}对您的融资需求给出报价",
        body=f"{offer.amount_wan:,} 万元，年利率 {offer.rate}%，{offer.term_months} 个月，有效期至 {offer.valid_until}。",
        link=f"/finance/requests/{request.id}",
        at=now,
    )
    db.session.flush()
    return offer


def decline(route: FinancingRoute, *, actor: Any, reason: str, now: datetime | None = None) -> FinancingRoute:
    """The routed bank declines with a reason; the freed slot goes to the next fitting bank."""
    now = _now(now)
    request = _engaged_route(route, actor, now)
    if route.status != RouteStatus.PENDING:
        raise ServiceError("本行已答复该融资需求。")
    route.decline_reason = _text(reason, "婉拒理由", low=REASON_MIN_CHARS, high=REASON_MAX_CHARS)
    route.status, route.responded_at = RouteStatus.DECLINED, now
    _event(request.id, "declined", actor=actor, bank_id=route.bank_id, reason=route.decline_reason)
    db.session.flush()
    route_request(request, now=now)
    return route


def withdraw_offer(offer: FinancingOffer, *, actor: Any, now: datetime | None = None) -> FinancingOffer:
    """The bank withdraws its open offer (not once accepted); the slot goes to the next fitting bank."""
    now = _now(now)
    if _bank_of(actor) != offer.bank_id:
        raise ServiceError("只能撤回本行的报价。")
    request = _lock(offer.request)
    changed = move(
        FinancingOffer,
        offer.id,
        table=OFFER_TRANSITIONS,
        current=OfferStatus.OPEN,
        target=OfferStatus.WITHDRAWN,
        decided_at=now,
    )
    if not changed:
        raise ServiceError("该报价已被接受或已失效，不能撤回。")
    db.session.refresh(offer)
    db.session.execute(
        update(FinancingRoute).where(FinancingRoute.id == offer.route_id).values(status=RouteStatus.WITHDRAWN)
    )
    _event(request.id, "offer_withdrawn", actor=actor, bank_id=offer.bank_id, offer_id=offer.id)
    notify(
        request.enterprise_id,
        category=CATEGORY,
        title=f"{offer.bank.short_name or offer.bank.name}撤回了报价",
        link=f"/finance/requests/{request.id}",
        at=now,
    )
    db.session.flush()
    route_request(request, now=now)
    return offer


def accept_offer(offer: FinancingOffer, *, actor: Any, now: datetime | None = None) -> FinancingOffer:
    """The enterprise accepts exactly one offer; the others close and their banks are told.

    The request moves open → accepted by one conditional UPDATE: of two racing accepts only one changes a row.
    Then the offer moves open → accepted the same way, so an accept racing the bank's withdrawal fails cleanly
    (the caller rolls back, which reopens the request).
    """
    now = _now(now)
    request = offer.request
    if not request.can_view(actor):
        raise ServiceError("只能接受本企业融资需求的报价。")
    if offer.valid_until < _today(now):
        raise ServiceError("该报价已过有效期。")
    if not request.consents_to(offer.bank_id, _today(now)):
        raise ServiceError("已撤销对该银行的授权，不能接受其报价。")
    claimed = move(
        FinancingRequest,
        request.id,
        table=REQUEST_TRANSITIONS,
        current=RequestStatus.OPEN,
        target=RequestStatus.ACCEPTED,
        accepted_offer_id=offer.id,
        updated_at=now,
    )
    if not claimed:
        raise ServiceError("该融资需求已接受其他报价或已撤回。")
    taken = move(
        FinancingOffer,
        offer.id,
        table=OFFER_TRANSITIONS,
        current=OfferStatus.OPEN,
        target=OfferStatus.ACCEPTED,
        decided_at=now,
    )
    if not taken:
        raise ServiceError("该报价已被银行撤回或已失效。")
    db.session.refresh(request)
    db.session.refresh(offer)
    _close_routes(
        request,
        keep_bank_id=offer.bank_id,
        status=RouteStatus.CLOSED,
        title=f"融资需求 #{request.id} 已由企业选定其他银行的报价，对本行自动关闭",
    )
    _tell_bank(offer.bank_id, request.id, f"企业已接受本行对融资需求 #{request.id} 的报价，请办理放款并登记")
    _event(
        request.id,
        "accepted",
        actor=actor,
        bank_id=offer.bank_id,
        offer_id=offer.id,
        amount_wan=offer.amount_wan,
    )
    db.session.flush()
    return offer


def undo_acceptance(
    request: FinancingRequest, *, actor: Any, now: datetime | None = None
) -> FinancingRequest:
    """The enterprise takes back its acceptance before the payout is recorded: the request is open again.

    The accepted offer returns to open; the offers the acceptance closed reopen where they are still valid
    and the bank still has consent; free slots go to the next fitting banks. Racing the bank's disbursement,
    both lock the request and move it out of "accepted" by a conditional UPDATE, so exactly one wins.
    """
    now = _now(now)
    if not request.can_view(actor):
        raise ServiceError("只能撤销本企业融资需求的接受。")
    request = _lock(request)
    offer = db.session.get(FinancingOffer, request.accepted_offer_id or 0)
    if request.status != RequestStatus.ACCEPTED or offer is None:
        raise ServiceError(f"该融资需求{request.status_label}，没有可撤销的接受（银行登记放款后不能撤销）。")
    reopened = move(
        FinancingRequest,
        request.id,
        table=REQUEST_TRANSITIONS,
        current=RequestStatus.ACCEPTED,
        target=RequestStatus.OPEN,
        accepted_offer_id=None,
        updated_at=now,
    )
    if not reopened:
        raise ServiceError("该融资需求已登记放款或已撤销接受。")
    move(
        FinancingOffer,
        offer.id,
        table=OFFER_TRANSITIONS,
        current=OfferStatus.ACCEPTED,
        target=OfferStatus.OPEN,
        decided_at=None,
    )
    today = _today(now)
    _tell_bank(
        offer.bank_id,
        request.id,
        f"企业已撤销接受本行对融资需求 #{request.id} 的报价，无需放款",
        "需求重新进入撮合，本行报价恢复为有效；企业可能再次接受本行或其他银行的报价。",
    )
    # After an acceptance every closed offer of the request was closed by it: revoking consent or withdrawing
    # the request is refused while accepted, and a revoked bank's route is "revoked", not "closed".
    closed = db.session.scalars(
        select(FinancingOffer).where(
            FinancingOffer.request_id == request.id, FinancingOffer.status == OfferStatus.CLOSED
        )
    ).all()
    revived = []
    for other in closed:
        if other.valid_until < today or not request.consents_to(other.bank_id, today):
            continue
        if not move(
            FinancingRoute,
            other.route_id,
            table=ROUTE_TRANSITIONS,
            current=RouteStatus.CLOSED,
            target=RouteStatus.OFFERED,
        ):
            continue  # the route moved otherwise: its offer stays closed
        move(
            FinancingOffer,
            other.id,
            table=OFFER_TRANSITIONS,
            current=OfferStatus.CLOSED,
            target=OfferStatus.OPEN,
        )
        revived.append(other.id)
        _tell_bank(
            other.bank_id,
            request.id,
            f"融资需求 #{request.id} 重新开放：企业撤销了对其他银行报价的接受，本行报价恢复有效",
        )
    db.session.expire_all()  # the conditional UPDATEs bypassed the session: re-read before routing
    request = _lock(request)
    _event(
        request.id,
        "acceptance_undone",
        actor=actor,
        bank_id=offer.bank_id,
        offer_id=offer.id,
        reopened_offer_ids=revived,
    )
    db.session.flush()
    route_request(request, now=now)
    return request


def record_disbursement(
    route: FinancingRoute, *, actor: Any, amount_wan: Any, disbursed_on: date, now: datetime | None = None
) -> Disbursement:
    """The accepted bank records the payout (amount no more than its offer); the deal is done."""
    now = _now(now)
    request = _lock(route.request)
    problem = route.access_problem(actor, now)
    if problem:
        raise ServiceError(problem)
    offer = db.session.get(FinancingOffer, request.accepted_offer_id or 0)
    if request.status != RequestStatus.ACCEPTED or offer is None or offer.bank_id != route.bank_id:
        raise ServiceError("只有被企业接受报价的银行可以登记放款，且只能登记一次。")
    accepted_on = _today(local(offer.decided_at) or now)
    disbursement = Disbursement(
        request_id=request.id,
        offer_id=offer.id,
        bank_id=offer.bank_id,
        amount_wan=_money(amount_wan, "放款金额", high=offer.amount_wan),
        disbursed_on=_day(disbursed_on, "放款日期", low=accepted_on, high=_today(now)),
        recorded_by_id=_who(actor)["user_id"],
        created_at=now,
    )
    changed = move(
        FinancingRequest,
        request.id,
        table=REQUEST_TRANSITIONS,
        current=RequestStatus.ACCEPTED,
        target=RequestStatus.DISBURSED,
        updated_at=now,
    )
    if not changed:
        raise ServiceError("该融资需求已登记放款。")
    db.session.add(disbursement)
    db.session.refresh(request)
    _event(request.id, "disbursed", actor=actor, bank_id=offer.bank_id, amount_wan=disbursement.amount_wan)
    notify(
        request.enterprise_id,
        category=CATEGORY,
        title=f"{offer.bank.short_name or offer.bank.name}已放款 {disbursement.amount_wan:,} 万元",
        link=f"/finance/requests/{request.id}",
        at=now,
    )
    db.session.flush()
    return disbursement


def expire_routes(*, now: datetime | None = None) -> tuple[int, int]:
    """Take requests from banks that let the deadline pass and route them on; safe to re-run. → (expired, routed)."""
    now = _now(now)
    overdue = db.session.scalars(
        select(FinancingRoute)
        .where(FinancingRoute.status == RouteStatus.PENDING, FinancingRoute.deadline_at <= now)
        .order_by(FinancingRoute.id)
    ).all()
    expired = routed = 0
    for route in overdue:
        request = _lock(route.request)
        changed = move(
            FinancingRoute,
            route.id,
            table=ROUTE_TRANSITIONS,
            current=RouteStatus.PENDING,
            target=RouteStatus.EXPIRED,
        )
        if not changed:  # answered meanwhile
            continue
        expired += 1
        _tell_bank(route.bank_id, request.id, f"融资需求 #{request.id} 逾期未答复，已转给其他银行")
        _event(request.id, "expired", bank_id=route.bank_id)
        db.session.flush()
        routed += len(route_request(request, now=now))
    db.session.flush()
    return expired, routed


def remind_routes(*, within: timedelta, now: datetime | None = None) -> tuple[int, int]:
    """Tell each bank whose answer to a routed request falls due within `within` that it does, once per route
    (the request's log keeps a `reminded` event); safe to re-run. → (reminded, already reminded)."""
    now = _now(now)
    due_soon = db.session.scalars(
        select(FinancingRoute)
        .where(
            FinancingRoute.status == RouteStatus.PENDING,
            FinancingRoute.deadline_at > now,
            FinancingRoute.deadline_at <= now + within,
        )
        .order_by(FinancingRoute.id)
    ).all()
    reminded = already = 0
    for route in due_soon:
        # under the request's row lock, so two runs at once cannot both find no reminder and both send one
        request = _lock(route.request)
        db.session.refresh(route)
        if route.status != RouteStatus.PENDING or not request.consents_to(route.bank_id, _today(now)):
            continue  # answered, closed or no longer consented meanwhile: nothing to remind of
        told = select(FinanceEvent.id).where(
            FinanceEvent.request_id == request.id,
            FinanceEvent.bank_id == route.bank_id,
            FinanceEvent.action == "reminded",
        )
        if db.session.scalar(told.limit(1)) is not None:
            already += 1
            continue
        _tell_bank(
            route.bank_id,
            request.id,
            f"融资需求 #{request.id} 即将到答复期限：{local(route.deadline_at):%Y-%m-%d %H:%M}",
            "请在期限前报价或婉拒，逾期未答复将转给其他银行。",
        )
        _event(
            request.id, "reminded", bank_id=route.bank_id, deadline_at=local(route.deadline_at).isoformat()
        )
        reminded += 1
        db.session.flush()
    return reminded, already


def bank_notices(bank_id: int, limit: int = 20) -> list[BankNotice]:
    """A bank's latest notices."""
    query = (
        select(BankNotice).where(BankNotice.bank_id == bank_id).order_by(BankNotice.id.desc()).limit(limit)
    )
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- comparing offers


@dataclass(frozen=True)
class Subsidy:
    """The best interest-subsidy (贴息) policy an enterprise qualifies for."""

    policy_id: int
    title: str
    share: Decimal  # share of the interest the policy pays, 0–1
    cap_wan: Decimal | None


def interest_subsidy(
    enterprise: Enterprise, on: date, loan: FinancingRequest | None = None
) -> Subsidy | None:
    """The published interest-subsidy policy with the highest share whose conditions hold for the enterprise.

    With a loan, its rows on the loan (collateral, purpose, amount, term) are decided on that loan; without
    one they are unknown, so a policy that asks about the loan is never applied blindly.
    """
    from portal.policies.audience import decide_for  # owned by the policies package; read only
    from portal.policies.models import Policy

    query = select(Policy).where(
        Policy.open_on(on),
        cast(Policy.support, String).contains("interest"),  # narrows in SQL; the kind is checked below
    )

    bound = None
    if loan is not None:  # the loan's rows are decided on this request's values
        bound = conditions.with_loan(
            {},
            collateral=loan.collateral,
            purpose=loan.purpose,
            amount_wan=loan.amount_wan,
            term_months=loan.term_months,
        )
    offered = []
    for policy in db.session.scalars(query):
        support = policy.support or {}
        share = support.get("rate")
        if support.get("kind") != "interest" or isinstance(share, bool) or not isinstance(share, int | float):
            continue
        if 0 < share <= 1:
            offered.append(policy)
    outcomes = decide_for(enterprise.id, {p.id: p.criteria for p in offered}, on=on, bound=bound)
    best = None
    for policy in offered:
        if outcomes.get(policy.id) != conditions.PASS:
            continue
        support = policy.support
        share = support["rate"]
        cap = support.get("cap_wan")
        found = Subsidy(
            policy.id, policy.title, Decimal(str(share)), None if cap is None else Decimal(str(cap))
        )
        if best is None or found.share > best.share:
            best = found
    return best


@dataclass(frozen=True)
class OfferRow:
    """An offer as the enterprise compares it: rate, net rate after the subsidy, first-year interest."""

    offer: FinancingOffer
    net_rate: Decimal
    first_year_interest_wan: Decimal
    subsidy_wan: Decimal | None
    expired: bool


def compare_offers(
    request: FinancingRequest, *, now: datetime | None = None
) -> tuple[list[OfferRow], Subsidy | None]:
    """The request's offers side by side, lowest net rate first, with the subsidy they were computed with."""
    today = _today(_now(now))
    subsidy = interest_subsidy(request.enterprise, today, request)  # only what this loan qualifies for
    rows = []
    for offer in request.offers:
        share = subsidy.share if subsidy else Decimal(0)
        net = (offer.rate * (1 - share)).quantize(Decimal("0.001"))
        interest = (offer.amount_wan * offer.rate / 100).quantize(Decimal("0.01"))
        paid = None
        if subsidy:
            paid = (interest * share).quantize(Decimal("0.01"))
            if subsidy.cap_wan is not None:
                paid = min(paid, subsidy.cap_wan)
        rows.append(OfferRow(offer, net, interest, paid, offer.valid_until < today))
    rows.sort(key=lambda r: (r.offer.status != OfferStatus.OPEN, r.net_rate, r.offer.id))
    return rows, subsidy


# ---------------------------------------------------------------- API tokens


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, actor: Any, name: str) -> tuple[BankApiToken, str]:
    """A new API token for the actor's bank; the plain token is returned once and stored only as its SHA-256."""
    bank_id = _bank_of(actor)
    plain = "qq_" + secrets.token_urlsafe(32)
    token = BankApiToken(
        bank_id=bank_id,
        name=_text(name, "令牌名称", low=1, high=100),
        token_hash=_digest(plain),
        prefix=plain[:10],
        created_by_id=actor.id,
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke_token(token: BankApiToken, *, actor: Any, now: datetime | None = None) -> BankApiToken:
    """Revoke a token of the actor's bank; it stops working at once."""
    if not token.can_manage(actor):
        raise ServiceError("只能吊销本行的令牌。")
    if token.revoked_at is None:
        token.revoked_at = _now(now)
    db.session.flush()
    return token


def bank_tokens(bank_id: int) -> list[BankApiToken]:
    """A bank's tokens, newest first."""
    query = select(BankApiToken).where(BankApiToken.bank_id == bank_id).order_by(BankApiToken.id.desc())
    return list(db.session.scalars(query))


def token_bearer(plain: str) -> BankApiToken | None:
    """The live token with this value, or None."""
    if not plain or len(plain) > 200:
        return None
    # A token dies with its creator's account: deactivating the user must cut off the bank's system too.
    return db.session.scalar(
        select(BankApiToken)
        .join(User, User.id == BankApiToken.created_by_id)
        .where(BankApiToken.token_hash == _digest(plain), BankApiToken.revoked_at.is_(None), User.active)
    )


# ---------------------------------------------------------------- scorecards


@dataclass(frozen=True)
class Scorecard:
    """How a bank serves enterprises: received, answered, time to answer, accepted, disbursed."""

    bank: Bank
    received: int
    answered: int
    expired: int
    response_rate: float | None  # answered / (answered + expired)
    median_hours: float | None
    offers: int
    accepted: int
    disbursed_wan: Decimal


def _route_stats() -> dict[int, tuple[int, int, int, float | None]]:
    """Per bank: routes received, answered, expired, and the median hours to answer.

    PostgreSQL aggregates in SQL (percentile_cont, the same midpoint rule as statistics.median), so the page
    reads a few rows however many requests the district routes; SQLite, without percentiles, reads the rows."""
    expired = func.count().filter(FinancingRoute.status == RouteStatus.EXPIRED)
    if db.session.get_bind().dialect.name == "postgresql":
        hours = func.extract("epoch", FinancingRoute.responded_at - FinancingRoute.routed_at) / 3600
        rows = db.session.execute(
            select(
                FinancingRoute.bank_id,
                func.count(),
                func.count(FinancingRoute.responded_at),
                expired,
                func.percentile_cont(0.5).within_group(hours),
            ).group_by(FinancingRoute.bank_id)
        )
        return {bank_id: (n, answered, gone, median) for bank_id, n, answered, gone, median in rows}
    times: dict[int, list] = {}
    for bank_id, status, routed_at, responded_at in db.session.execute(
        select(
            FinancingRoute.bank_id,
            FinancingRoute.status,
            FinancingRoute.routed_at,
            FinancingRoute.responded_at,
        )
    ):
        times.setdefault(bank_id, []).append((status, routed_at, responded_at))
    out = {}
    for bank_id, mine in times.items():
        spent = [
            (local(done) - local(start)).total_seconds() / 3600 for _, start, done in mine if done is not None
        ]
        gone = sum(1 for status, _, _ in mine if status == RouteStatus.EXPIRED)
        out[bank_id] = (len(mine), len(spent), gone, statistics.median(spent) if spent else None)
    return out


def scorecards() -> list[Scorecard]:
    """One scorecard per bank, best response rate first."""
    stats = _route_stats()
    offers = dict(
        db.session.execute(
            select(FinancingOffer.bank_id, func.count()).group_by(FinancingOffer.bank_id)
        ).all()
    )
    accepted = dict(
        db.session.execute(
            select(FinancingOffer.bank_id, func.count())
            .where(FinancingOffer.status == OfferStatus.ACCEPTED)
            .group_by(FinancingOffer.bank_id)
        ).all()
    )
    disbursed = dict(
        db.session.execute(
            select(Disbursement.bank_id, func.sum(Disbursement.amount_wan)).group_by(Disbursement.bank_id)
        ).all()
    )
    cards = []
    for bank in db.session.scalars(select(Bank).order_by(Bank.id)):
        received, answered, expired, median_hours = stats.get(bank.id, (0, 0, 0, None))
        decided = answered + expired
        cards.append(
            Scorecard(
                bank=bank,
                received=received,
                answered=answered,
                expired=expired,
                response_rate=answered / decided if decided else None,
                median_hours=None if median_hours is None else round(float(median_hours), 1),
                offers=offers.get(bank.id, 0),
                accepted=accepted.get(bank.id, 0),
                disbursed_wan=Decimal(disbursed.get(bank.id) or 0).quantize(Decimal("0.01")),
            )
        )
    cards.sort(key=lambda c: (c.response_rate is None, -(c.response_rate or 0), c.bank.id))
    return cards
