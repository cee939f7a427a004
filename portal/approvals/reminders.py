"""Deadline reminders: an open policy closing soon is brought once to each qualifying enterprise that has not
applied, through its inbox (the daily `deadline_reminders` job; the caller commits).

Approvals owns this because "has not applied" is its question; who qualifies is the one audience service's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, func, select

from portal.approvals.models import Application
from portal.extensions import db
from portal.models import Enterprise, Notification
from portal.policies.audience import DELIVERY_BATCH, muted_category, qualifying
from portal.policies.models import Policy
from portal.services import notify_many


@dataclass
class ReminderReport:
    """One run: policies closing soon, reminders put in inboxes, and the enterprises passed over and why."""

    policies: int = 0
    sent: int = 0
    muted: int = 0  # qualifying, not applied, but opted out of the policy's category
    already: int = 0  # reminded of this policy before (by an earlier run)

    def as_dict(self) -> dict[str, Any]:
        """The figures for the job's result."""
        return {"policies": self.policies, "sent": self.sent, "muted": self.muted, "already": self.already}


def dedupe_key(policy_id: int) -> str:
    """The key that makes a policy's deadline reminder reach each enterprise once, ever."""
    return f"deadline:{policy_id}"


def closing_policies(on: date, days: int) -> list[Policy]:
    """Open policies in effect on `on` whose application deadline is at most `days` days away, soonest first."""
    query = (
        select(Policy)
        .where(Policy.open_on(on), Policy.deadline.is_not(None), Policy.deadline <= on + timedelta(days=days))
        .order_by(Policy.deadline, Policy.id)
    )
    # the period rule applies as to applying: a policy whose rules do not apply today cannot be applied for
    return [p for p in db.session.scalars(query) if p.in_effect(on)]


def _message(policy: Policy, on: date) -> tuple[str, str]:
    left = (policy.deadline - on).days
    when = "今天截止" if left == 0 else f"还剩 {left} 天"
    title = f"申报即将截止（{when}）：{policy.title}"[:200]
    body = (
        f"《{policy.title}》的申报将于 {policy.deadline.isoformat()} 截止。"
        "根据贵企业画像，贵企业符合申报条件且尚未申请，请在截止日期前完成申报。"
    )
    if policy.instant:
        body += "本事项为秒批事项，可一键申请。"
    return title, body


def remind_policy(policy: Policy, on: date, report: ReminderReport) -> None:
    """Remind the policy's qualifying enterprises that have not applied and not muted its category, once each."""
    key = dedupe_key(policy.id)
    applied = exists().where(Application.policy_id == policy.id, Application.enterprise_id == Enterprise.id)
    reminded = exists().where(Notification.enterprise_id == Enterprise.id, Notification.dedupe_key == key)
    query = (
        select(Enterprise.id, muted_category(policy.category), reminded)
        .where(qualifying(policy.criteria, on=on), ~applied)
        .order_by(Enterprise.id)
    )
    to_remind = []
    for enterprise_id, is_muted, was_reminded in db.session.execute(query):
        if is_muted:
            report.muted += 1
        elif was_reminded:
            report.already += 1
        else:
            to_remind.append(enterprise_id)
    if not to_remind:
        return
    title, body = _message(policy, on)
    counted = select(func.count(Notification.id)).where(Notification.dedupe_key == key)
    before = db.session.scalar(counted) or 0
    common = {
        "category": policy.category,
        "title": title,
        "body": body,
        "link": f"/policies/{policy.id}",
        "policy_id": policy.id,
        "dedupe_key": key,
    }
    for start in range(0, len(to_remind), DELIVERY_BATCH):
        notify_many([common | {"enterprise_id": e} for e in to_remind[start : start + DELIVERY_BATCH]])
    sent = (db.session.scalar(counted) or 0) - before
    report.sent += sent
    report.already += len(to_remind) - sent  # reminded by a concurrent run meanwhile


def remind_deadlines(on: date, *, days: int) -> ReminderReport:
    """Remind every policy closing within `days` days of `on` (see remind_policy); safe to re-run. Flushes."""
    report = ReminderReport()
    for policy in closing_policies(on, days):
        report.policies += 1
        remind_policy(policy, on, report)
    db.session.flush()
    return report
