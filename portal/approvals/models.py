"""Approvals: applications with their state machine, the append-only decision log, attachments, grant offers."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from portal import transitions
from portal.dbguard import guard_on_create
from portal.labels import LabelledEnum
from portal.models import Base, Enterprise, Money, Role, User
from portal.policies.models import Policy, PolicyRevision
from portal.services import ServiceError
from portal.timeutil import utcnow


class Status(LabelledEnum):
    """Where an application stands."""

    SUBMITTED = "submitted", "已提交"
    IN_REVIEW = "in_review", "待人工审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    APPEALED = "appealed", "申诉中"
    PAID = "paid", "已拨付"


STATUS_LABELS = Status.labels()

# The state machine, in one place: every status change goes through check_transition.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.REJECTED, Status.IN_REVIEW}),
    Status.IN_REVIEW: frozenset({Status.APPROVED, Status.REJECTED}),
    Status.REJECTED: frozenset({Status.APPEALED}),
    Status.APPEALED: frozenset({Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.PAID}),
    Status.PAID: frozenset(),
}
# Statuses an official decides from (the queue).
OPEN_STATUSES = (Status.IN_REVIEW, Status.APPEALED)
ENGINE_NAME = "规则引擎"


def check_transition(current: str, target: str) -> None:
    """Raise IllegalTransition unless the state machine allows current → target."""
    transitions.check(TRANSITIONS, Status(current), Status(target))


class AuditStatus(enum.StrEnum):
    """Post-audit of an automatic approval."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    PROBLEM = "problem"


AUDIT_LABELS = {
    AuditStatus.PENDING: "待抽查",
    AuditStatus.CONFIRMED: "抽查无误",
    AuditStatus.PROBLEM: "抽查发现问题",
}


class Application(Base):
    """One enterprise's application for one policy, decided on one policy revision."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("enterprise_id", "policy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("policy_revisions.id"))
    status: Mapped[str] = mapped_column(String(16), default=Status.SUBMITTED, index=True)
    # 万元: the approved amount once approved; the computed amount while waiting for an official.
    amount_wan: Mapped[Decimal | None] = mapped_column(Money)
    # apply (一键申领 or form) | grant (免申即享)
    source: Mapped[str] = mapped_column(String(10), default="apply")
    form_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    audit_status: Mapped[str | None] = mapped_column(String(10), index=True)
    audit_comment: Mapped[str] = mapped_column(Text, default="")
    audited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    audited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    enterprise: Mapped[Enterprise] = relationship()
    policy: Mapped[Policy] = relationship()
    revision: Mapped[PolicyRevision] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    audited_by: Mapped[User | None] = relationship(foreign_keys=[audited_by_id])
    records: Mapped[list[DecisionRecord]] = relationship(
        back_populates="application", order_by="DecisionRecord.id", passive_deletes="all"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="application", order_by="Attachment.id", passive_deletes="all"
    )

    @validates("status")
    def _check_status(self, _key: str, value: str) -> str:
        """Every status change passes the transition table; a new application starts as submitted."""
        if self.status is None:
            if value != Status.SUBMITTED:
                raise transitions.IllegalTransition("新申请只能从“已提交”状态开始")
        else:
            check_transition(self.status, value)
        return value

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return STATUS_LABELS[Status(self.status)]

    @property
    def audit_label(self) -> str:
        """The post-audit state in Chinese, or ''."""
        return AUDIT_LABELS[AuditStatus(self.audit_status)] if self.audit_status else ""

    def can_view(self, user: User) -> bool:
        """The applicant enterprise's users, officials and admins."""
        return user.role in (Role.OFFICIAL, Role.ADMIN) or (
            user.role == Role.ENTERPRISE and user.enterprise_id == self.enterprise_id
        )

    def can_decide(self, user: User) -> bool:
        """An official, on an open application nobody else has claimed."""
        return (
            user.role == Role.OFFICIAL
            and self.status in OPEN_STATUSES
            and self.claimed_by_id in (None, user.id)
        )

    def can_appeal(self, user: User) -> bool:
        """The applicant, on a rejection it has not appealed yet."""
        return (
            user.role == Role.ENTERPRISE
            and user.enterprise_id == self.enterprise_id
            and self.status == Status.REJECTED
            and not any(r.to_status == Status.APPEALED for r in self.records)
        )

    def can_audit(self, user: User) -> bool:
        """An official, on an approval flagged for post-audit and not yet checked."""
        return user.role == Role.OFFICIAL and self.audit_status == AuditStatus.PENDING


class DecisionRecord(Base):
    """One entry of the append-only audit log: who, when, from → to, why, and what the engine saw."""

    __tablename__ = "decision_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    # transition | claim | sample (drawn for post-audit by the daily job) | audit (the post-audit's result)
    kind: Mapped[str] = mapped_column(String(12), default="transition")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # NULL: the rules engine
    actor_name: Mapped[str] = mapped_column(String(100))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    amount_wan: Mapped[Decimal | None] = mapped_column(Money)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("policy_revisions.id"))
    # The period of application of that revision's conditions and support rule (None: open-ended)
    period_from: Mapped[date | None] = mapped_column(Date)
    period_until: Mapped[date | None] = mapped_column(Date)
    # Engine decisions: Result.as_dict() per condition, and {field: {"value", "source", "date"}} used.
    results: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    profile_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="records")
    actor: Mapped[User | None] = relationship()

    @property
    def from_label(self) -> str:
        """The previous status in Chinese ('—' at creation)."""
        return STATUS_LABELS[Status(self.from_status)] if self.from_status else "—"

    @property
    def to_label(self) -> str:
        """The new status in Chinese."""
        return STATUS_LABELS[Status(self.to_status)]


# An automatic (秒批) approval in the log: the rules engine's move to approved (what the dashboard counts and the
# post-audit draw samples). Samples and audits keep the status, so their to_status must not count here.
ENGINE_APPROVAL = and_(
    DecisionRecord.kind == "transition",
    DecisionRecord.actor_id.is_(None),
    DecisionRecord.to_status == Status.APPROVED,
)


class AppendOnlyError(ServiceError):
    """An attempt to change or remove an audit-log entry."""


def _refuse(*_args: Any) -> None:
    raise AppendOnlyError("审批记录只能追加，不能修改或删除。")


event.listen(DecisionRecord, "before_update", _refuse)
event.listen(DecisionRecord, "before_delete", _refuse)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    """ORM-enabled update()/delete() statements skip the mapper events above; refuse them here."""
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and mapper.class_ is DecisionRecord:
        _refuse()


# The database refuses too, whatever the client (PostgreSQL; created with the table and by migration 0003).
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION decision_records_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审批记录只能追加，不能修改或删除 (decision_records is append-only)';
END;
$$ LANGUAGE plpgsql
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER decision_records_append_only BEFORE UPDATE OR DELETE ON decision_records
FOR EACH ROW EXECUTE FUNCTION decision_records_append_only()
"""
for _statement in (APPEND_ONLY_FUNCTION, APPEND_ONLY_TRIGGER):
    event.listen(DecisionRecord.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
guard_on_create(DecisionRecord.__table__)  # and TRUNCATE (migration 0007)


class Attachment(Base):
    """A file attached to an application, stored under UPLOAD_FOLDER with a random name."""

    __tablename__ = "application_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="attachments")

    def can_view(self, user: User) -> bool:
        """Whoever may see the application: the owner enterprise and officials."""
        return user.role != Role.ADMIN and self.application.can_view(user)


class OfferStatus(enum.StrEnum):
    """A 免申即享 offer's answer."""

    OFFERED = "offered"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


OFFER_LABELS = {
    OfferStatus.OFFERED: "待确认",
    OfferStatus.CONFIRMED: "已确认领取",
    OfferStatus.DECLINED: "已放弃",
}


class GrantOffer(Base):
    """免申即享: an official offers an instant policy to an enterprise whose verified data qualifies."""

    __tablename__ = "grant_offers"
    __table_args__ = (UniqueConstraint("enterprise_id", "policy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("policy_revisions.id"))
    amount_wan: Mapped[Decimal | None] = mapped_column(Money)  # what the data qualified for when offered
    status: Mapped[str] = mapped_column(String(10), default=OfferStatus.OFFERED, index=True)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    enterprise: Mapped[Enterprise] = relationship()
    policy: Mapped[Policy] = relationship()
    application: Mapped[Application | None] = relationship()

    @property
    def status_label(self) -> str:
        """The answer in Chinese."""
        return OFFER_LABELS[OfferStatus(self.status)]

    def can_answer(self, user: User) -> bool:
        """Only the offered enterprise's users, while the offer is open."""
        return (
            user.role == Role.ENTERPRISE
            and user.enterprise_id == self.enterprise_id
            and self.status == OfferStatus.OFFERED
        )
