"""Background job runs (state, duration, error) and the nightly digest's results, both in the database."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.labels import LabelledEnum
from portal.models import Base, Role, User
from portal.timeutil import utcnow


class RunStatus(LabelledEnum):
    """Where a job run stands."""

    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class JobRun(Base):
    """One run of a background job (or of one part of a split job), written by whoever runs it."""

    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_name_id", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    part: Mapped[str] = mapped_column(String(40), default="")  # e.g. the enterprise id range "1-500000"
    status: Mapped[str] = mapped_column(String(10), default=RunStatus.QUEUED, index=True)
    where: Mapped[str] = mapped_column(String(10), default="inline")  # inline | rq
    enqueued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seconds: Mapped[float | None] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return RunStatus.label_of(self.status)

    @staticmethod
    def can_view(user: User) -> bool:
        """Officials and admins watch the background work."""
        return user.role in (Role.OFFICIAL, Role.ADMIN)


class DigestEntry(Base):
    """One enterprise's top policies of one night's digest (policy ids, best first)."""

    __tablename__ = "digest_entries"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), primary_key=True)
    policy_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    run_id: Mapped[int | None] = mapped_column(Integer)
