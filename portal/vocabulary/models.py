"""The vocabulary's table: one row per qualification or tag, with its aliases, issuing body and validity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, Role, User
from portal.reference import Term
from portal.timeutil import utcnow


class QualificationTerm(Base):
    """A qualification or tag enterprises hold and conditions name (e.g. 瞪羚企业, alias 瞪羚)."""

    __tablename__ = "qualification_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    issuer: Mapped[str] = mapped_column(String(100), default="")
    validity_months: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the order forms list them in
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def term(self) -> Term:
        """The pure value the evaluators use."""
        return Term(self.name, tuple(self.aliases or ()), self.issuer or "", self.validity_months)

    def can_edit(self, user: User) -> bool:
        """Admins keep the vocabulary."""
        return user.role == Role.ADMIN
