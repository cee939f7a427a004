"""Finance: loan products, financing requests with consent, routes to banks, offers, disbursements,
the bank-view log, per-bank API tokens and bank notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.dbguard import guard_on_create
from portal.labels import LabelledEnum
from portal.models import Bank, Base, Enterprise, Money, Role, User
from portal.timeutil import local, utcnow

# Annual interest rates in percent, e.g. 3.45.
Rate = Numeric(6, 3)


class RequestStatus(LabelledEnum):
    """Life of a financing request."""

    OPEN = "open", "撮合中"
    ACCEPTED = "accepted", "已接受报价"
    DISBURSED = "disbursed", "已放款"
    WITHDRAWN = "withdrawn", "已撤回"


class RouteStatus(LabelledEnum):
    """A bank's hold on a request: pending → offered | declined | expired; or closed / revoked from outside."""

    PENDING = "pending", "待答复"
    OFFERED = "offered", "已报价"
    DECLINED = "declined", "已婉拒"
    EXPIRED = "expired", "逾期未答复"
    WITHDRAWN = "withdrawn", "报价已撤回"  # the bank withdrew its offer
    REVOKED = "revoked", "授权已撤销"  # the enterprise revoked this bank's consent
    CLOSED = "closed", "已关闭"  # the request was accepted elsewhere or withdrawn


class OfferStatus(LabelledEnum):
    """Life of an offer."""

    OPEN = "open", "有效"
    ACCEPTED = "accepted", "已接受"
    WITHDRAWN = "withdrawn", "已撤回"
    CLOSED = "closed", "已关闭"


REQUEST_LABELS = RequestStatus.labels()
ROUTE_LABELS = RouteStatus.labels()
OFFER_LABELS = OfferStatus.labels()

# The state machines, in one place (as approvals.models.TRANSITIONS): every conditional status UPDATE in the
# finance services goes through portal.transitions.move, which refuses a change these tables do not list.
REQUEST_TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.OPEN: frozenset({RequestStatus.ACCEPTED, RequestStatus.WITHDRAWN}),
    # accepted → open: the enterprise undoes its acceptance before the bank records the payout.
    RequestStatus.ACCEPTED: frozenset({RequestStatus.DISBURSED, RequestStatus.OPEN}),
    RequestStatus.DISBURSED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
}
ROUTE_TRANSITIONS: dict[RouteStatus, frozenset[RouteStatus]] = {
    RouteStatus.PENDING: frozenset(
        {
            RouteStatus.OFFERED,
            RouteStatus.DECLINED,
            RouteStatus.EXPIRED,
            RouteStatus.REVOKED,
            RouteStatus.CLOSED,
        }
    ),
    RouteStatus.OFFERED: frozenset({RouteStatus.WITHDRAWN, RouteStatus.REVOKED, RouteStatus.CLOSED}),
    RouteStatus.DECLINED: frozenset(),
    RouteStatus.EXPIRED: frozenset(),
    RouteStatus.WITHDRAWN: frozenset(),
    RouteStatus.REVOKED: frozenset(),
    # closed → offered: an offer closed by the acceptance is live again once the acceptance is undone.
    RouteStatus.CLOSED: frozenset({RouteStatus.OFFERED}),
}
OFFER_TRANSITIONS: dict[OfferStatus, frozenset[OfferStatus]] = {
    OfferStatus.OPEN: frozenset({OfferStatus.ACCEPTED, OfferStatus.WITHDRAWN, OfferStatus.CLOSED}),
    # Undoing an acceptance returns the accepted offer to open and reopens the offers it closed.
    OfferStatus.ACCEPTED: frozenset({OfferStatus.OPEN}),
    OfferStatus.WITHDRAWN: frozenset(),
    OfferStatus.CLOSED: frozenset({OfferStatus.OPEN}),
}
# A bank holds a slot of a request while it is engaged (awaiting its answer, or standing by its offer).
ENGAGED = (RouteStatus.PENDING, RouteStatus.OFFERED)
# The bank's own answers stay readable (read-only) while the consent holds: what it declined, what it withdrew.
READ_ONLY = (RouteStatus.DECLINED, RouteStatus.WITHDRAWN)
# How an offered route reads once the enterprise accepted that bank's offer (the route itself stays "offered").
ACCEPTED_ROUTE_LABELS = {"accepted": "报价已接受，待放款", "disbursed": "已放款"}


@dataclass(frozen=True)
class _BankStaff:
    """Any user of one bank, for asking what that bank may see without a user at hand (its history list)."""

    bank_id: int
    role: str = Role.BANK


def _is_bank_of(actor: Any, bank_id: int) -> bool:
    return getattr(actor, "role", None) == Role.BANK and actor.bank_id == bank_id


class LoanProduct(Base):
    """A bank's loan product: ranges of amount (万元), term (months) and annual rate (%), plus conditions."""

    __tablename__ = "loan_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    amount_min_wan: Mapped[Decimal] = mapped_column(Money)
    amount_max_wan: Mapped[Decimal] = mapped_column(Money)
    term_min_months: Mapped[int] = mapped_column(Integer)
    term_max_months: Mapped[int] = mapped_column(Integer)
    rate_min: Mapped[Decimal] = mapped_column(Rate)
    rate_max: Mapped[Decimal] = mapped_column(Rate)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=lambda: {"all": []})
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    bank: Mapped[Bank] = relationship()

    def can_manage(self, user: Any) -> bool:
        """Only the owning bank's staff change a product."""
        return _is_bank_of(user, self.bank_id)


class FinancingRequest(Base):
    """An enterprise's request for a loan, with its consent: which banks see which field groups, until when."""

    __tablename__ = "financing_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount_wan: Mapped[Decimal] = mapped_column(Money)
    term_months: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(Text)
    collateral: Mapped[str] = mapped_column(String(20))
    max_rate: Mapped[Decimal] = mapped_column(Rate)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.OPEN, index=True)
    # None: every bank the request is routed to; else only these bank ids.
    consent_bank_ids: Mapped[list[int] | None] = mapped_column(JSON)
    consent_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Banks whose consent the enterprise revoked one by one.
    revoked_bank_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    consent_until: Mapped[date] = mapped_column(Date)
    consent_revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_offer_id: Mapped[int | None] = mapped_column(ForeignKey("financing_offers.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    enterprise: Mapped[Enterprise] = relationship()
    routes: Mapped[list[FinancingRoute]] = relationship(
        back_populates="request", order_by="FinancingRoute.id", viewonly=True
    )
    offers: Mapped[list[FinancingOffer]] = relationship(
        back_populates="request",
        order_by="FinancingOffer.id",
        foreign_keys="FinancingOffer.request_id",
        viewonly=True,
    )

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return RequestStatus.label_of(self.status)

    def can_view(self, user: Any) -> bool:
        """The enterprise's own users see everything about their request."""
        return getattr(user, "role", None) == Role.ENTERPRISE and user.enterprise_id == self.enterprise_id

    def consents_to(self, bank_id: int, on: date) -> bool:
        """Whether the consent covers this bank on this (Asia/Shanghai) day."""
        if (
            self.consent_revoked_at is not None
            or on > self.consent_until
            or bank_id in (self.revoked_bank_ids or ())
        ):
            return False
        return self.consent_bank_ids is None or bank_id in self.consent_bank_ids


class FinancingRoute(Base):
    """A request routed to one bank, with the best-fitting product, the fit explanation and a deadline."""

    __tablename__ = "financing_routes"
    __table_args__ = (UniqueConstraint("request_id", "bank_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("financing_requests.id"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("loan_products.id"))
    score: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    # [{"text": sentence, "group": field group or null}] — sentences about the profile show only when consented.
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=RouteStatus.PENDING, index=True)
    routed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[FinancingRequest] = relationship(back_populates="routes")
    bank: Mapped[Bank] = relationship()
    product: Mapped[LoanProduct] = relationship()

    @property
    def accepted(self) -> bool:
        """Whether the enterprise accepted this bank's offer on the request."""
        request = self.request
        return self.status == RouteStatus.OFFERED and any(
            o.id == request.accepted_offer_id and o.bank_id == self.bank_id for o in request.offers
        )

    @property
    def status_label(self) -> str:
        """The status in Chinese; an accepted offer's route follows the request (待放款, 已放款)."""
        if self.accepted:
            return ACCEPTED_ROUTE_LABELS.get(self.request.status, RouteStatus.label_of(self.status))
        return RouteStatus.label_of(self.status)

    @property
    def done(self) -> bool:
        """Whether the bank has nothing more to do on the request (history rather than work)."""
        return self.status not in ENGAGED or self.request.status == "disbursed"

    def read_problem(self, user: Any, now: datetime, *, bank_id: int | None = None) -> str | None:
        """Why this bank user (or, given bank_id, any user of that bank) may not read the request; None when
        it may. Its declined or withdrawn answers stay readable, read-only."""
        if bank_id is not None:
            user = _BankStaff(bank_id)
        if self.status in READ_ONLY:
            if not _is_bank_of(user, self.bank_id):
                return "该融资需求未推送给本行。"
            if not self.request.consents_to(self.bank_id, local(now).date()):
                return "企业已撤回授权或授权已到期，本行不能再查看该融资需求。"
            return None
        return self.access_problem(user, now)

    def access_problem(self, user: Any, now: datetime) -> str | None:
        """Why this bank user (or token) may not see the request now, in Chinese; None when it may."""
        if not _is_bank_of(user, self.bank_id):
            return "该融资需求未推送给本行。"
        if not self.request.consents_to(self.bank_id, local(now).date()):
            return "企业已撤回授权或授权已到期，本行不能再查看该融资需求。"
        if self.status == RouteStatus.PENDING and now >= local(self.deadline_at):
            return "答复期限已过，该融资需求已转给其他银行。"
        if self.status not in ENGAGED:
            return f"该融资需求对本行已结束（{self.status_label}）。"
        return None

    def can_view(self, user: Any, now: datetime) -> bool:
        """Staff (or a token) of the routed bank, while engaged, within the deadline and the consent."""
        return self.access_problem(user, now) is None


class FinancingOffer(Base):
    """A bank's offer on a request; at most one per bank and request."""

    __tablename__ = "financing_offers"
    __table_args__ = (UniqueConstraint("request_id", "bank_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("financing_requests.id"), index=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("financing_routes.id"))
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    amount_wan: Mapped[Decimal] = mapped_column(Money)
    rate: Mapped[Decimal] = mapped_column(Rate)
    term_months: Mapped[int] = mapped_column(Integer)
    conditions_text: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=OfferStatus.OPEN, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    request: Mapped[FinancingRequest] = relationship(back_populates="offers", foreign_keys=[request_id])
    bank: Mapped[Bank] = relationship()

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return OfferStatus.label_of(self.status)


class Disbursement(Base):
    """The accepted bank's record of paying the loan out; one per request."""

    __tablename__ = "financing_disbursements"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("financing_requests.id"), unique=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("financing_offers.id"))
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    amount_wan: Mapped[Decimal] = mapped_column(Money)
    disbursed_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProfileView(Base):
    """Append-only: a bank (user or API token) looked at an enterprise's consented data."""

    __tablename__ = "financing_profile_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("financing_requests.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("bank_api_tokens.id"))
    channel: Mapped[str] = mapped_column(String(8))  # web | api
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    viewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    bank: Mapped[Bank] = relationship()
    user: Mapped[User | None] = relationship()
    token: Mapped[BankApiToken | None] = relationship()


class FinanceEvent(Base):
    """Append-only audit log of decisions on a request (routing, offers, accept, disbursement, consent)."""

    __tablename__ = "financing_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("financing_requests.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("bank_api_tokens.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BankApiToken(Base):
    """A per-bank API token; only its SHA-256 is stored (the token is high-entropy, so no slow hash is needed)."""

    __tablename__ = "bank_api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists so staff can tell tokens apart
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # A token acts for its bank, so permission checks written for bank users apply to it unchanged.
    role = Role.BANK

    def can_manage(self, user: Any) -> bool:
        """Staff of the token's bank create and revoke it."""
        return _is_bank_of(user, self.bank_id)


class BankNotice(Base):
    """A message to a bank's staff: a new routed request, an accepted or closed offer, a lost request."""

    __tablename__ = "bank_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("financing_requests.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The audit logs refuse UPDATE, DELETE and TRUNCATE in PostgreSQL itself (migration 0007; create_all in tests).
guard_on_create(ProfileView.__table__)
guard_on_create(FinanceEvent.__table__)
