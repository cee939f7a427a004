"""The enterprise's inbox: unread counts, pages, read marks, muted categories."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import reference
from portal.extensions import db
from portal.models import Enterprise, Notification, User
from portal.services import ServiceError
from portal.timeutil import utcnow

# ---------------------------------------------------------------- inbox and opt-out


def unread_count(enterprise_id: int | None) -> int:
    """Unread messages in an enterprise's inbox."""
    if not enterprise_id:
        return 0
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.enterprise_id == enterprise_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def inbox(enterprise_id: int, *, page: int = 1, per_page: int = 30) -> tuple[list[Notification], int]:
    """An enterprise's messages, newest first, with the total count."""
    where = Notification.enterprise_id == enterprise_id
    total = db.session.scalar(select(func.count(Notification.id)).where(where)) or 0
    notes = db.session.scalars(
        select(Notification)
        .where(where)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return list(notes), total


def open_notification(note: Notification, *, actor: User) -> Notification:
    """The read receipt: the first time the enterprise's own user opens a message, read_at is set."""
    if not note.can_view(actor):
        raise ServiceError("无权查看该消息。")
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()
    return note


def mark_all_read(enterprise_id: int, *, actor: User) -> int:
    """Mark every unread message of the actor's enterprise read; return how many."""
    if actor.enterprise_id != enterprise_id:
        raise ServiceError("无权操作该收件箱。")
    from sqlalchemy import update

    result = db.session.execute(
        update(Notification)
        .where(Notification.enterprise_id == enterprise_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.flush()
    return result.rowcount or 0


def set_muted_categories(enterprise: Enterprise, categories: list[str], *, actor: User) -> list[str]:
    """Choose the policy categories the enterprise does not want pushed (messages already sent stay)."""
    if not enterprise.can_view(actor) or actor.enterprise_id != enterprise.id:
        raise ServiceError("只能设置本企业的推送偏好。")
    unknown = [c for c in categories if c not in reference.POLICY_CATEGORIES]
    if unknown:
        raise ServiceError("未知的政策类别：" + "、".join(unknown))
    enterprise.muted_categories = [c for c in reference.POLICY_CATEGORIES if c in categories]
    db.session.flush()
    return enterprise.muted_categories
