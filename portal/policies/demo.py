"""Demo data of the policies capability, written after the kernel's (enterprises, banks, parks, accounts).

The policies live in data/demo_policies.jsonl (SCHEMA.md format, written for this project, plus a "status"
key for the two drafts and the one withdrawn policy). Published ones get revision 1 and are pushed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from sqlalchemy import bindparam, func, select, update

from portal.extensions import db
from portal.jsonl import read_jsonl
from portal.models import Notification, Role, User
from portal.policies import catalog, delivery
from portal.policies.models import Policy, PolicyStatus
from portal.timeutil import CHINA, utcnow


def demo_policies_path() -> str:
    """The demo policy file shipped with the package."""
    return str(resources.files("portal.policies").joinpath("data", "demo_policies.jsonl"))


def seed(on: date, users: dict[str, User]) -> list[str]:
    """Write the demo policies, publish and push them; return summary lines."""
    official = users[Role.OFFICIAL]
    counts = {PolicyStatus.PUBLISHED: 0, PolicyStatus.DRAFT: 0, PolicyStatus.EXPIRED: 0}
    instant = 0
    for _, raw in read_jsonl(demo_policies_path()):
        status = raw.pop("status", PolicyStatus.PUBLISHED)
        code, content = catalog.parse_policy_row(raw)
        if content["deadline"] and content["deadline"] < on:
            # a demo seeded after a deadline would show a closed catalog: keep it open to the end of that year
            content["deadline"] = date(on.year, 12, 31)
        policy, _ = catalog.save_policy(None, content | {"code": code}, actor=official)
        counts[status] += 1
        if status == PolicyStatus.DRAFT:
            continue
        instant += policy.instant
        job = catalog.publish(policy, actor=official, on=on)
        delivery.deliver(policy, on=on, job=job)
        if status == PolicyStatus.EXPIRED:
            catalog.expire(policy, actor=official)
    # Some firms have opened their messages, so the funnels show reads; the demo account's stay unread.
    own = users[Role.ENTERPRISE].enterprise_id
    db.session.execute(
        update(Notification)
        .where(
            Notification.policy_id.is_not(None), Notification.enterprise_id != own, Notification.id % 5 < 2
        )
        .values(read_at=Notification.created_at)
    )
    db.session.flush()
    _date_pushes(on, own)
    pushed = db.session.scalar(select(func.count(Notification.id)).where(Notification.policy_id.is_not(None)))
    return [
        f"政策 {sum(counts.values())} 项：已发布 {counts[PolicyStatus.PUBLISHED]}（秒批 {instant}），"
        f"草稿 {counts[PolicyStatus.DRAFT]}，已下架 {counts[PolicyStatus.EXPIRED]}；精准推送 {pushed} 条。"
    ]


def _date_pushes(on: date, own: int | None) -> None:
    """Date each push in the fortnight after its policy was published (not all on the seeding day), so the
    dashboard's monthly pushes follow the policies' own dates; a read follows its push by a day."""
    now = utcnow()
    published = dict(db.session.execute(select(Policy.id, Policy.published_on)).tuples().all())
    rows = []
    for note_id, policy_id, enterprise_id, read_at in db.session.execute(
        select(
            Notification.id, Notification.policy_id, Notification.enterprise_id, Notification.read_at
        ).where(Notification.policy_id.is_not(None))
    ):
        day = published.get(policy_id) or on
        moment = datetime.combine(day + timedelta(days=note_id % 14), time(9), CHINA).astimezone(UTC)
        if enterprise_id == own or moment > now:  # the demo account's messages arrive today, unread
            continue
        rows.append(
            {"key": note_id, "at": moment, "read": min(moment + timedelta(days=1), now) if read_at else None}
        )
    if rows:
        db.session.connection().execute(
            update(Notification.__table__)
            .where(Notification.__table__.c.id == bindparam("key"))
            .values(created_at=bindparam("at"), read_at=bindparam("read")),
            rows,
        )
