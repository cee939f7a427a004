"""Subscriptions and the daily digest: inbox messages grouped by saved search, and mail through SMTP."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from portal import reference
from portal.alerts.models import Subscription
from portal.extensions import db
from portal.models import Notification, Role, User
from portal.policies import catalog
from portal.policies.models import Policy
from portal.services import ServiceError
from portal.timeutil import utcnow

_SALT = "alerts-unsubscribe"
MAX_SUBSCRIPTIONS = 20  # per user: a digest is meant to be read


def save_subscription(user: User, *, query: str, category: str, email: str) -> tuple[Subscription, str]:
    """Save a search/category for the user; return it and a sentence saying which alerts it will send."""
    query, category, email = (query or "").strip(), (category or "").strip(), (email or "").strip()
    if not query and not category:
        raise ServiceError("请填写关键词或选择政策类别。")
    if len(query) > 100:
        raise ServiceError("关键词不能超过 100 个字。")
    if category and category not in reference.POLICY_CATEGORIES:
        raise ServiceError("政策类别不存在。")
    if email and (len(email) > 200 or "@" not in email.strip("@") or any(c.isspace() for c in email)):
        raise ServiceError("邮箱地址格式不正确。")
    if user.role != Role.ENTERPRISE and not email:
        raise ServiceError("工作人员没有站内消息箱，请填写接收提醒的邮箱。")
    existing = subscriptions_of(user)
    if len(existing) >= MAX_SUBSCRIPTIONS:
        raise ServiceError(f"最多保存 {MAX_SUBSCRIPTIONS} 个订阅。")
    if any(s.query == query and s.category == category for s in existing):
        raise ServiceError("已订阅相同的检索条件。")
    subscription = Subscription(
        user_id=user.id, query=query, category=category, email=email, last_sent_at=utcnow()
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription, describe(subscription, user)


def describe(subscription: Subscription, user: User) -> str:
    """What the subscription will send, in one sentence."""
    where = []
    if user.role == Role.ENTERPRISE:
        where.append("站内消息")
    if subscription.email:
        where.append(f"邮件（{subscription.email}）")
    return (
        f"已订阅{subscription.label}：每天汇总一次新发布或有更新的相关政策，发送到{'和'.join(where)}；"
        "没有新政策的日子不发送，每条提醒都附一键退订链接。"
    )


def subscriptions_of(user: User) -> list[Subscription]:
    """The user's active subscriptions, oldest first."""
    return list(
        db.session.scalars(
            select(Subscription)
            .where(Subscription.user_id == user.id, Subscription.active.is_(True))
            .order_by(Subscription.id)
        )
    )


def cancel(subscription: Subscription, *, actor: User | None) -> None:
    """Stop a subscription (actor None: by its signed unsubscribe link)."""
    if actor is not None and not subscription.can_edit(actor):
        raise ServiceError("无权退订他人的订阅。")
    subscription.active = False
    db.session.flush()


def unsubscribe_token(subscription: Subscription, secret: str) -> str:
    """A signed token naming the subscription, for the one-click unsubscribe link."""
    return URLSafeSerializer(secret, salt=_SALT).dumps(subscription.id)


def from_token(token: str, secret: str) -> Subscription | None:
    """The subscription a token names, or None when the token is forged or the subscription is gone."""
    try:
        subscription_id = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature:
        return None
    return db.session.get(Subscription, subscription_id) if isinstance(subscription_id, int) else None


def matching_changes(subscription: Subscription, *, on: date) -> list[Policy]:
    """Published policies matching the saved search that were published or changed since the last digest."""
    page = catalog.search_policies(
        subscription.user,
        on=on,
        query=subscription.query,
        category=subscription.category,
        open_state="",
        per_page=500,
    )
    since = subscription.last_sent_at or subscription.created_at
    return [p for p in page.items if p.updated_at and _aware(p.updated_at) > _aware(since)]


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for timestamptz columns; they were stored in UTC.

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class Digest:
    """One user's digest: policies per saved search, and the unsubscribe link of each."""

    user: User
    groups: list[tuple[Subscription, list[Policy], str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Policies in the digest (a policy matching two searches counts twice)."""
        return sum(len(items) for _, items, _ in self.groups)

    def text(self, base_url: str) -> str:
        """The digest as plain text, grouped by saved search."""
        lines = [f"{self.user.display_name}，您好！以下是您订阅的新发布或有更新的政策：", ""]
        for subscription, items, link in self.groups:
            lines.append(f"【{subscription.label}】{len(items)} 项")
            lines += [f"  · {p.title}（{p.issuer}）{base_url}/policies/{p.id}" for p in items]
            lines.append(f"  退订此项提醒：{base_url}{link}")
            lines.append("")
        return "\n".join(lines)


@dataclass
class DigestReport:
    """What a digest run did."""

    users: int = 0
    policies: int = 0
    inbox: int = 0
    mailed: int = 0
    mail_errors: list[str] = field(default_factory=list)


def run_digest(*, on: date, secret: str, base_url: str, smtp: Mapping[str, Any] | None) -> DigestReport:
    """Build each user's digest, write it to the inbox (enterprises), mail it (when an address and SMTP exist)."""
    report = DigestReport()
    digests: dict[int, Digest] = {}
    mail_to: dict[int, set[str]] = {}
    now = utcnow()
    for subscription in db.session.scalars(
        select(Subscription)
        .where(Subscription.active.is_(True))
        .order_by(Subscription.user_id, Subscription.id)
    ):
        if not subscription.user.active:
            continue
        items = matching_changes(subscription, on=on)
        subscription.last_sent_at = now
        if not items:
            continue
        link = f"/alerts/unsubscribe/{unsubscribe_token(subscription, secret)}"
        digest = digests.setdefault(subscription.user_id, Digest(subscription.user))
        digest.groups.append((subscription, items, link))
        if subscription.email:
            mail_to.setdefault(subscription.user_id, set()).add(subscription.email)
    for user_id, digest in digests.items():
        report.users += 1
        report.policies += digest.count
        user = digest.user
        if user.enterprise_id:
            # One inbox message per user per run; a rerun finds nothing new (last_sent_at moved on).
            db.session.add(
                Notification(
                    enterprise_id=user.enterprise_id,
                    category="订阅提醒",
                    title=f"订阅提醒：{digest.count} 项新发布或更新的政策（{on.isoformat()}）",
                    body=digest.text(base_url),
                    link="/alerts/",
                    dedupe_key=f"digest:{user_id}:{now:%Y%m%d%H%M%S%f}",
                )
            )
            report.inbox += 1
        for address in sorted(mail_to.get(user_id, ())):
            if not smtp or not smtp.get("host"):
                continue
            try:
                send_mail(
                    smtp,
                    address,
                    f"亲清虚拟园区 · 政策订阅提醒（{on.isoformat()}）",
                    digest.text(base_url),
                    unsubscribe=base_url + digest.groups[0][2],
                )
                report.mailed += 1
            except (OSError, smtplib.SMTPException) as exc:
                # A mail server outage must not lose the inbox messages: report it and go on.
                report.mail_errors.append(f"{address}: {type(exc).__name__}")
    db.session.flush()
    return report


def send_mail(smtp: Mapping[str, Any], to: str, subject: str, body: str, *, unsubscribe: str = "") -> None:
    """Send one plain-text message through the configured SMTP server."""
    message = EmailMessage()
    message["From"] = smtp.get("sender") or "noreply@localhost"
    message["To"] = to
    message["Subject"] = subject
    if unsubscribe:
        # Mail clients show their own unsubscribe link; it opens the confirmation page (one click there).
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message.set_content(body)
    with smtplib.SMTP(
        smtp["host"], int(smtp.get("port") or 25), timeout=float(smtp.get("timeout") or 10)
    ) as client:
        if smtp.get("starttls"):
            client.starttls()
        if smtp.get("username"):
            client.login(smtp["username"], smtp.get("password") or "")
        client.send_message(message)
