"""Policies: the catalog entry (current content, status, budget) and its immutable revisions."""

from __future__ import annotations

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
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.conditions import bind_own
from portal.labels import LabelledEnum
from portal.models import Base, Money, Role, User
from portal.timeutil import utcnow


class PolicyStatus(LabelledEnum):
    """Life of a policy in the catalog."""

    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    EXPIRED = "expired", "已过期"


STATUS_LABELS = PolicyStatus.labels()

# The content fields of a policy (SCHEMA.md); a revision stores a snapshot of exactly these.
CONTENT_FIELDS = (
    "title",
    "issuer",
    "doc_no",
    "region",
    "published_on",
    "deadline",
    "category",
    "group",
    "text",
    "conditions",
    "targets",
    "support",
    "instant",
    "tests",
    "effective_from",
    "effective_until",
)
DATE_FIELDS = ("published_on", "deadline", "effective_from", "effective_until")
# A revision that changes these starts a new period of application (effective_from … effective_until).
RULE_FIELDS = ("conditions", "support")


class PolicyDocument(Base):
    """A policy document (e.g. 若干措施) that holds several support items (申报事项); each item is a Policy."""

    __tablename__ = "policy_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)  # external id of the document
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(100), default="")
    doc_no: Mapped[str] = mapped_column(String(100), default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    items: Mapped[list[Policy]] = relationship(back_populates="document", order_by="Policy.item_no")


class Policy(Base):
    """A support policy. Columns hold the current revision's content; `revision_no` names it."""

    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)  # external id, e.g. "D-001"
    status: Mapped[str] = mapped_column(String(16), default=PolicyStatus.DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(100), default="")
    doc_no: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(20), default="宝安区")
    published_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(20), index=True)
    # 类别 of support for "不重复享受" rules (approved_groups, "@own"), e.g. 研发费用补贴; "" when none
    group: Mapped[str] = mapped_column("policy_group", String(40), default="", server_default="")
    text: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=lambda: {"all": []})
    targets: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=lambda: {"industries": [], "qualifications": []}
    )
    support: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    instant: Mapped[bool] = mapped_column(Boolean, default=False)
    # Example enterprises with the expected outcome (portal/policies/cases.py); run on every save.
    tests: Mapped[list[dict[str, Any]]] = mapped_column("test_cases", JSON, default=list, server_default="[]")
    # The period the conditions and support rule apply in (None: open-ended); a rule change starts a new one.
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)
    # Budget in 万元 (None: no cap); `budget_spent_wan` only moves by an atomic conditional UPDATE.
    budget_wan: Mapped[Decimal | None] = mapped_column(Money)
    budget_spent_wan: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    revision_no: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # jieba tokens of title and text, space-delimited on both sides, for whole-token LIKE search.
    search_terms: Mapped[str] = mapped_column(Text, default="")

    # the document this item belongs to (None: a policy of its own) and its place in it
    document_id: Mapped[int | None] = mapped_column(ForeignKey("policy_documents.id"), index=True)
    item_no: Mapped[int | None] = mapped_column(Integer)

    created_by: Mapped[User | None] = relationship()
    document: Mapped[PolicyDocument | None] = relationship(back_populates="items")
    revisions: Mapped[list[PolicyRevision]] = relationship(
        back_populates="policy", order_by="PolicyRevision.number", cascade="all, delete-orphan"
    )

    @property
    def criteria(self) -> dict[str, Any]:
        """The conditions with "@own" bound to this policy's group: what evaluators should be given."""
        return bind_own(self.conditions, self.group)

    def content(self) -> dict[str, Any]:
        """The content fields as JSON-able data (what a revision snapshots)."""
        data = {name: getattr(self, name) for name in CONTENT_FIELDS}
        for name in DATE_FIELDS:
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return PolicyStatus.label_of(self.status)

    @hybrid_method
    def open_on(self, day: date) -> bool:
        """Published and not past its deadline on that day (the one rule, in Python and, on the class, in SQL)."""
        return self.status == PolicyStatus.PUBLISHED and (self.deadline is None or day <= self.deadline)

    @open_on.expression
    def open_on(cls, day: date):  # noqa: N805  (a hybrid's SQL side receives the class)
        """The same rule as a SQL condition: Policy.open_on(day) in a where()."""
        return and_(cls.status == PolicyStatus.PUBLISHED, or_(cls.deadline.is_(None), cls.deadline >= day))

    def in_effect(self, day: date) -> bool:
        """The conditions and support rule apply on that day (inside effective_from … effective_until)."""
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_until is None or day <= self.effective_until
        )

    def is_open(self, on: date) -> bool:
        """Published and not past its deadline on that day (open_on under its older name)."""
        return self.open_on(on)

    @property
    def budget_left_wan(self) -> Decimal | None:
        """Budget not yet spent, in 万元 (None: no cap)."""
        return None if self.budget_wan is None else self.budget_wan - (self.budget_spent_wan or 0)

    def can_view(self, user: User) -> bool:
        """Published and expired policies are public to every account; drafts only to officials and admins."""
        return self.status != PolicyStatus.DRAFT or self.can_edit(user)

    def can_edit(self, user: User) -> bool:
        """Officials and admins write policies."""
        return user.role in (Role.OFFICIAL, Role.ADMIN)


class PolicyRevision(Base):
    """An immutable snapshot of a policy's content; decisions record the revision they used."""

    __tablename__ = "policy_revisions"
    __table_args__ = (UniqueConstraint("policy_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    policy: Mapped[Policy] = relationship(back_populates="revisions")


class JobStatus(LabelledEnum):
    """Life of a background delivery job."""

    QUEUED = "queued", "排队中"
    RUNNING = "running", "推送中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


JOB_STATUS_LABELS = JobStatus.labels()


class DeliveryJob(Base):
    """One run of a policy's precise push: progress for the official, counts for the funnel."""

    __tablename__ = "delivery_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)  # enterprises to scan
    done: Mapped[int] = mapped_column(Integer, default=0)  # enterprises scanned so far
    matched: Mapped[int] = mapped_column(Integer, default=0)  # qualifying enterprises seen
    pushed: Mapped[int] = mapped_column(Integer, default=0)  # new notifications written by this run
    muted: Mapped[int] = mapped_column(Integer, default=0)  # qualifying but opted out of the category
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    policy: Mapped[Policy] = relationship()

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return JobStatus.label_of(self.status)

    @property
    def percent(self) -> int:
        """Progress as a whole percentage."""
        return 100 if self.status == JobStatus.DONE else (100 * self.done // self.total if self.total else 0)
