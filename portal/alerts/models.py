"""Saved searches: a user's query and/or category, and when its last digest was sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models import Base, User
from portal.timeutil import utcnow


class Subscription(Base):
    """A saved search or category; new or changed matching policies reach the user in a daily digest."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    query: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(20), default="")
    # Where the digest is also mailed (empty: inbox only; officials have no inbox, so they need one).
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Policies changed after this moment are "new" for the next digest.
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    def can_edit(self, user: User) -> bool:
        """Only the subscriber manages a subscription."""
        return user.id == self.user_id

    @property
    def label(self) -> str:
        """The saved search in words, e.g. "关键词“研发” · 类别“科技创新”"."""
        parts = []
        if self.query:
            parts.append(f"关键词“{self.query}”")
        if self.category:
            parts.append(f"类别“{self.category}”")
        return " · ".join(parts) or "全部政策"
