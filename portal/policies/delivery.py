"""Delivering a published policy to its audience's inboxes, and the policy's funnel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select

from portal.extensions import db
from portal.models import Notification, User
from portal.policies.audience import DELIVERY_BATCH, audience_of
from portal.policies.models import (
    DeliveryJob,
    JobStatus,
    Policy,
)
from portal.services import ServiceError, notify_many
from portal.timeutil import utcnow

# ---------------------------------------------------------------- delivery


def queue_delivery(policy: Policy, *, actor: User | None) -> DeliveryJob:
    """Queue another push run of a published policy (after a revision: new qualifiers only)."""
    job = DeliveryJob(policy=policy, status=JobStatus.QUEUED, created_by_id=actor and actor.id)
    db.session.add(job)
    db.session.flush()
    return job


PUSH_PREFIX = "policy:"


def dedupe_key(policy: Policy) -> str:
    """The key that makes a policy's push reach each enterprise once, whatever its revisions."""
    return f"{PUSH_PREFIX}{policy.id}"


def is_push() -> ColumnElement[bool]:
    """A message that is a precise push of a policy (not a decision, an offer or a deadline reminder about it)."""
    return Notification.dedupe_key.startswith(PUSH_PREFIX)


def _message(policy: Policy, amount: Decimal | None) -> str:
    parts = [f"根据贵企业画像，贵企业符合《{policy.title}》的申报条件。"]
    if amount is not None:
        parts.append(f"预计可获支持 {amount:,.2f} 万元。")
    if policy.instant:
        parts.append("本事项为秒批事项，可一键申请。")
    if policy.deadline:
        parts.append(f"申报截止日期：{policy.deadline.isoformat()}。")
    return "".join(parts)


def deliver(
    policy: Policy,
    *,
    on: date,
    job: DeliveryJob | None = None,
    chunk: int = DELIVERY_BATCH,
    after_chunk: Callable[[DeliveryJob, int], None] | None = None,
) -> DeliveryJob:
    """Push a published open policy to every qualifying enterprise that has not muted its category, once each.

    The audience comes at once from the database (audience.audience_of); notifications are then inserted `chunk`
    qualifying enterprises at a time. Safe to re-run: the dedupe key skips enterprises already pushed.
    Flushes after each chunk and calls after_chunk(job, scanned) so the owner of the unit of work may commit
    progress; job.done counts the candidates up to the last enterprise handled, and ends at job.total.
    """
    import numpy as np

    if not policy.is_open(on):
        raise ServiceError("只有已发布且未过申报截止日期的政策可以推送。")
    if job is None:
        job = queue_delivery(policy, actor=None)
    key = dedupe_key(policy)
    counted = select(func.count(Notification.id)).where(Notification.dedupe_key == key)
    before = db.session.scalar(counted) or 0
    job.status, job.started_at, job.error = JobStatus.RUNNING, utcnow(), ""
    audience = audience_of(policy, on=on)
    hits, candidates = audience.ids, np.asarray(audience.candidates, dtype=np.int64)
    job.total, job.done, job.matched, job.muted = len(candidates), 0, 0, 0
    link = f"/policies/{policy.id}"
    title = f"政策直达：{policy.title}"[:200]
    bodies: dict[Any, str] = {}  # one message per distinct amount
    step = max(int(chunk), 1)
    for start in range(0, len(hits), step):
        part = slice(start, start + step)
        rows = []
        for eid, is_muted, amount in zip(
            hits[part], audience.muted[part], audience.amounts[part], strict=True
        ):
            job.matched += 1
            if is_muted:
                job.muted += 1
                continue
            body = bodies.get(amount)
            if body is None:
                body = bodies[amount] = _message(policy, amount)
            rows.append(
                {
                    "enterprise_id": eid,
                    "category": policy.category,
                    "title": title,
                    "body": body,
                    "link": link,
                    "policy_id": policy.id,
                    "dedupe_key": key,
                }
            )
        notify_many(rows)
        last = start + step >= len(hits)
        done = len(candidates) if last else int(np.searchsorted(candidates, hits[start + step - 1])) + 1
        scanned, job.done = done - job.done, done
        db.session.flush()
        if after_chunk:
            after_chunk(job, scanned)
    if job.done < job.total:  # no one qualifies: the candidates were still all looked at
        scanned, job.done = job.total - job.done, job.total
        db.session.flush()
        if after_chunk:
            after_chunk(job, scanned)
    job.pushed = (db.session.scalar(counted) or 0) - before
    job.status, job.finished_at = JobStatus.DONE, utcnow()
    db.session.flush()
    return job


def latest_job(policy: Policy) -> DeliveryJob | None:
    """The most recent delivery run of a policy."""
    return db.session.scalar(
        select(DeliveryJob).where(DeliveryJob.policy_id == policy.id).order_by(DeliveryJob.id.desc()).limit(1)
    )


# ---------------------------------------------------------------- funnel


def funnel(policy: Policy) -> dict[str, int | None]:
    """pushed → read → applied → approved for one policy (applied/approved None until approvals exist)."""
    key = dedupe_key(policy)
    pushed, read = db.session.execute(
        select(func.count(Notification.id), func.count(Notification.read_at)).where(
            Notification.dedupe_key == key
        )
    ).one()
    applied, approved = _application_counts(policy)
    return {"pushed": pushed, "read": read, "applied": applied, "approved": approved}


APPROVED_STATUSES = ("approved", "paid")  # paid money was approved first


def _application_counts(policy: Policy) -> tuple[int | None, int | None]:
    """Seam to approvals: (applications, approved applications) of the policy."""
    # Imported here: approvals builds on policies; this funnel count is the one place policies looks downstream.
    from portal.approvals.models import Application

    applied, approved = db.session.execute(
        select(
            func.count(Application.id),
            func.count(Application.id).filter(Application.status.in_(APPROVED_STATUSES)),
        ).where(Application.policy_id == policy.id)
    ).one()
    return applied, approved
