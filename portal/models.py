"""The shared kernel: Base, User, Bank, Enterprise (with field provenance) and VirtualPark."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal import conditions, reference
from portal.timeutil import local, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention, so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Money columns: 万元 with two places, never floats.
Money = Numeric(14, 2)


class Role(enum.StrEnum):
    """The four kinds of account."""

    ENTERPRISE = "enterprise"
    OFFICIAL = "official"
    BANK = "bank"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.ENTERPRISE: "企业",
    Role.OFFICIAL: "政府工作人员",
    Role.BANK: "金融机构",
    Role.ADMIN: "管理员",
}


class User(UserMixin, Base):
    """A login: one role; an enterprise user belongs to an enterprise, a bank user to a bank."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Part of the session cookie; a new one (logout, password change, deactivation) ends every session.
    # Accounts made before sessions had tokens have none until their next login.
    session_token: Mapped[str | None] = mapped_column(String(64), default=lambda: secrets.token_hex(32))
    # Failed logins since the last success or lock; counted in the database so every worker and host agrees.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # An enterprise account names the credit code it registered with but is bound to the enterprise
    # (enterprise_id) only once it proved it speaks for it (confirmed_at, through an identity provider).
    claimed_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[str | None] = mapped_column(String(40))

    enterprise: Mapped[Enterprise | None] = relationship(foreign_keys=[enterprise_id])
    bank: Mapped[Bank | None] = relationship()

    def get_id(self) -> str:
        """The session's user reference: id and session token, so a new token invalidates old cookies."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Invalidate every session of this account (the next request with an old cookie is anonymous)."""
        self.session_token = secrets.token_hex(32)

    @property
    def is_confirmed(self) -> bool:
        """Staff accounts always; an enterprise account once it is bound to its enterprise."""
        return self.role != Role.ENTERPRISE or self.enterprise_id is not None

    def locked(self, now: datetime) -> bool:
        """True while a login lock is in force."""
        until = self.locked_until
        if until is None:
            return False
        if until.tzinfo is None:  # SQLite returns naive datetimes; they were stored as UTC
            until = until.replace(tzinfo=UTC)
        return until > now

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password, never the password."""
        # Tests set a cheap method: scrypt is deliberately slow and dominated the suite's time.
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        """Whether the account may log in."""
        return self.active

    @property
    def role_label(self) -> str:
        """The role in Chinese."""
        return ROLE_LABELS.get(Role(self.role), self.role)

    def has_role(self, *roles: str) -> bool:
        """True when the user holds one of the roles."""
        return self.role in roles


class Bank(Base):
    """A financial institution taking part in financing brokerage."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Profile fields an enterprise may declare itself: the record fields of the registry (conditions.RECORD_FIELDS).
PROFILE_FIELDS = tuple(conditions.RECORD_FIELDS)
MONEY_FIELDS = conditions.MONEY_FIELDS


class Enterprise(Base):
    """An enterprise's profile. `verified` maps a field to its government source; other fields are self-declared."""

    __tablename__ = "enterprises"
    # Park pages list members by name: walking this index stops after one page instead of sorting the district.
    __table_args__ = (
        Index("ix_enterprises_name_id", "name", "id"),
        # PostgreSQL: the audience service's qualification prefilter (audience_sql.prefilter) reads this index
        Index(
            "ix_enterprises_qualifications_gin",
            text("(CAST(qualifications AS JSONB))"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    registered_district: Mapped[str | None] = mapped_column(String(20), index=True)
    tax_district: Mapped[str | None] = mapped_column(String(20), index=True)
    operating_district: Mapped[str | None] = mapped_column(String(20), index=True)
    street: Mapped[str | None] = mapped_column(String(20), index=True)
    industry_code: Mapped[str | None] = mapped_column(String(5), index=True)
    founded: Mapped[date | None] = mapped_column(Date)
    employees: Mapped[int | None] = mapped_column(Integer)
    revenue_wan: Mapped[Decimal | None] = mapped_column(Money)
    assets_wan: Mapped[Decimal | None] = mapped_column(Money)
    rd_expense_wan: Mapped[Decimal | None] = mapped_column(Money)
    tax_paid_wan: Mapped[Decimal | None] = mapped_column(Money)
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {qualification: "YYYY-MM-DD"}: the last day a holding counts (its end date, or granted + validity months)
    qualification_until: Mapped[dict[str, str] | None] = mapped_column(JSON)
    credit_ok: Mapped[bool | None] = mapped_column(Boolean)
    business_scope: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # field -> {"source": "市场监管局", "date": "2026-11-24"}
    verified: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Policy categories the enterprise opted out of being pushed.
    muted_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Indexed: the audience cache detects changed profiles by max(updated_at).
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )

    figures: Mapped[list[EnterpriseFigures]] = relationship(
        order_by="EnterpriseFigures.year", cascade="all, delete-orphan", back_populates="enterprise"
    )

    def record(self) -> dict[str, Any]:
        """The profile as a SCHEMA.md record (the input of the condition language)."""
        return {field: getattr(self, field) for field in PROFILE_FIELDS} | {"uscc": self.uscc}

    def figures_by_year(self) -> dict[str, dict[str, Any]]:
        """Figures by year as the exchange format writes them: {"2025": {"revenue_wan": …}} (known values only)."""
        return {str(f.year): f.values() for f in self.figures}

    def approved_groups(self) -> dict[str, list[date]]:
        """{policy group: days (China time) its approved or paid applications were decided} from the portal's records."""
        session = object_session(self)
        tables = Base.metadata.tables
        if session is None or self.id is None or "applications" not in tables:
            return {}
        apps, policies = tables["applications"], tables["policies"]
        rows = session.execute(
            select(policies.c.policy_group, apps.c.decided_at)
            .join(policies, policies.c.id == apps.c.policy_id)
            .where(
                apps.c.enterprise_id == self.id,
                apps.c.status.in_(("approved", "paid")),
                policies.c.policy_group != "",
                apps.c.decided_at.is_not(None),
            )
        )
        out: dict[str, list[date]] = {}
        for group, decided in rows:
            out.setdefault(group, []).append(local(decided).date())
        return out

    def profile(self, as_of: date, *, portal_records: bool = True) -> dict[str, Any]:
        """The record with derived fields (years since founding, ratios, growth, size class, portal records) on a day.

        portal_records=False leaves out what the portal's own records say (approved groups: one query a firm),
        for lists that need only what the record and its figures decide (a park's members' size classes)."""
        extra = {
            "figures": self.figures_by_year(),
            "approved_groups": self.approved_groups() if portal_records else None,
            "qualification_until": self.qualification_until or {},
        }
        return conditions.derive(self.record() | extra, as_of)

    def is_verified(self, field: str) -> bool:
        """True when the field's value comes from an imported government source ("figures": every year's figure)."""
        if field == "figures":
            return bool(self.figures) and all(set(f.values()) <= set(f.verified or {}) for f in self.figures)
        return field in (self.verified or {})

    @property
    def industry_name(self) -> str:
        """The GB/T 4754-2017 name of the industry class, or ''."""
        found = reference.industry(self.industry_code) if self.industry_code else None
        return found.name if found else ""

    def can_view(self, user: User) -> bool:
        """Its own users, officials and admins may see the full profile."""
        return user.role in (Role.OFFICIAL, Role.ADMIN) or user.enterprise_id == self.id


class EnterpriseFigures(Base):
    """One year of an enterprise's figures, each with its own provenance; the latest year is the profile's."""

    __tablename__ = "enterprise_figures"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    revenue_wan: Mapped[Decimal | None] = mapped_column(Money)
    tax_paid_wan: Mapped[Decimal | None] = mapped_column(Money)
    rd_expense_wan: Mapped[Decimal | None] = mapped_column(Money)
    assets_wan: Mapped[Decimal | None] = mapped_column(Money)
    employees: Mapped[int | None] = mapped_column(Integer)
    # field -> {"source": "税务局", "date": "2026-03-31"}; a field not here is self-declared
    verified: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    enterprise: Mapped[Enterprise] = relationship(back_populates="figures")

    def values(self) -> dict[str, Any]:
        """The known figures of the year."""
        return {n: v for n in conditions.YEAR_FIELDS if (v := getattr(self, n)) is not None}


class VirtualPark(Base):
    """A virtual industrial park: enterprises grouped by industry-code prefixes and/or qualifications."""

    __tablename__ = "virtual_parks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    industry_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    manager: Mapped[User | None] = relationship()

    def admits(self, industry_code: str | None, qualifications: list[str] | None) -> bool:
        """Membership rule: every criterion the park sets must hold (prefixes: any; qualifications: any)."""
        if self.industry_prefixes and not (
            industry_code and any(industry_code.startswith(p) for p in self.industry_prefixes)
        ):
            return False
        return not self.qualifications or bool(set(self.qualifications) & set(qualifications or ()))


class Notification(Base):
    """A message in an enterprise's inbox. `dedupe_key` makes a push idempotent (one per key per enterprise)."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("enterprise_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    # A policy category (政策推送, opt-out per category) or 审批结果 / 融资服务.
    category: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("policies.id"), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def can_view(self, user: User) -> bool:
        """Only the enterprise's own users read its inbox."""
        return user.enterprise_id == self.enterprise_id


class DailyVisits(Base):
    """Visits per day (China Standard Time): one per browser session per day, for the district's headline figures."""

    __tablename__ = "daily_visits"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0)


class DashboardSnapshot(Base):
    """The district figures as computed at one moment (JSON), so /dashboard does not scan the district per view."""

    __tablename__ = "dashboard_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)  # what computing them cost
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


class ActivationCode(Base):
    """A one-time code the district issues to an enterprise to confirm an account; only its hash is stored."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    # SHA-256 of the code: codes are random 80-bit strings, so a fast hash is enough to make a leak useless.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    enterprise: Mapped[Enterprise] = relationship()


class RateLimitCounter(Base):
    """A fixed-window counter of the per-address limits when no Redis is configured (shared by every worker)."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    # Seconds since the epoch (limits' own clock) when the window ends.
    expires_at: Mapped[float] = mapped_column(Float, index=True)
