"""Approvals: 秒批 and form applications, officials' decisions, appeals, budgets, 免申即享 and post-audit.

Services change state and flush; the caller (view, CLI command, test) commits once. The acting user is `actor`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from portal.approvals import rules
from portal.approvals.models import (
    ENGINE_APPROVAL,
    ENGINE_NAME,
    OPEN_STATUSES,
    Application,
    Attachment,
    AuditStatus,
    DecisionRecord,
    GrantOffer,
    OfferStatus,
    Status,
)
from portal.conditions import criteria_of
from portal.extensions import db
from portal.idempotent import add_once
from portal.models import Enterprise, User
from portal.policies.audience import qualifying
from portal.policies.models import Policy, PolicyRevision
from portal.services import ServiceError, notify, require_confirmed
from portal.timeutil import CHINA, today, utcnow

RESULT_CATEGORY = "审批结果"
BUDGET_SHORT = "政策预算余额不足以覆盖本次金额，已转人工审核"
CENT = Decimal("0.01")
# What an attachment may be, told by its first bytes (never by its name).
MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
# ---------------------------------------------------------------- helpers


def application_link(application_id: int) -> str:
    """The application page's path (no request needed: used from the CLI and demo too)."""
    return f"/approvals/{application_id}"


def current_revision(policy: Policy) -> PolicyRevision:
    """The policy revision a decision made now uses (the one the catalog shows)."""
    revision = db.session.scalar(
        select(PolicyRevision).where(
            PolicyRevision.policy_id == policy.id, PolicyRevision.number == policy.revision_no
        )
    )
    if revision is None:
        raise ServiceError("该政策尚无已发布的版本，暂不能申请。")
    return revision


def policy_with_revision(policy_id: int) -> tuple[Policy, PolicyRevision | None] | None:
    """The policy and its current revision in one query (None: no such policy; revision None: none published)."""
    row = db.session.execute(
        select(Policy, PolicyRevision)
        .outerjoin(
            PolicyRevision,
            (PolicyRevision.policy_id == Policy.id) & (PolicyRevision.number == Policy.revision_no),
        )
        .where(Policy.id == policy_id)
    ).first()
    return None if row is None else (row[0], row[1])


def _require_open(policy: Policy, on: date) -> None:
    if not policy.is_open(on):
        raise ServiceError("该政策未发布或已过申报截止日期，不能申请。")
    if not policy.in_effect(on):
        raise ServiceError("该政策的申报条件与支持标准在今天不适用（不在其有效期内），不能申请。")


def _name(actor: User | None) -> str:
    return (actor.display_name or actor.username) if actor else ENGINE_NAME


def _applicant_name(actor: User | None, enterprise: Enterprise) -> str:
    # Submissions without an account (demo data, imports) are the enterprise's own act, not the engine's.
    return _name(actor) if actor else enterprise.name


def _lock(record: Any) -> None:
    """Re-read a row under FOR UPDATE so two people cannot decide the same thing at once (no-op on SQLite)."""
    db.session.refresh(record, with_for_update=True)


def _log(
    application: Application,
    *,
    kind: str,
    actor: User | None,
    actor_name: str | None = None,
    from_status: str | None,
    to_status: str,
    reason: str,
    amount: Decimal | None = None,
    results: list[dict] | None = None,
    snapshot: dict | None = None,
) -> DecisionRecord:
    """Append one entry to the application's log."""
    record = DecisionRecord(
        application_id=application.id,
        kind=kind,
        actor_id=actor.id if actor else None,
        actor_name=(actor_name or _name(actor))[:100],
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        amount_wan=amount,
        revision_id=application.revision_id,
        **period_of(application.revision_id),
        results=results,
        profile_snapshot=snapshot,
    )
    db.session.add(record)
    return record


def period_of(revision_id: int | None) -> dict[str, date | None]:
    """The period of application (effective_from … effective_until) of the revision a decision used."""
    # the revision is nearly always in the identity map already (the decision was just made on it)
    revision = db.session.get(PolicyRevision, revision_id) if revision_id else None
    content = revision.content if revision else {}
    return {
        "period_from": _iso_day(content.get("effective_from")),
        "period_until": _iso_day(content.get("effective_until")),
    }


def _iso_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def move(
    application: Application,
    to: Status,
    *,
    actor: User | None,
    reason: str,
    actor_name: str | None = None,
    amount: Decimal | None = None,
    results: list[dict] | None = None,
    snapshot: dict | None = None,
) -> DecisionRecord:
    """Change an application's status (the model checks the transition table) and append the log entry."""
    before = application.status
    application.status = to  # raises IllegalTransition when the table forbids it
    if to in (Status.APPROVED, Status.REJECTED):
        application.decided_at = utcnow()
    record = _log(
        application,
        kind="transition",
        actor=actor,
        actor_name=actor_name,
        from_status=before,
        to_status=to,
        reason=reason,
        amount=amount,
        results=results,
        snapshot=snapshot,
    )
    if to in (Status.APPROVED, Status.REJECTED, Status.IN_REVIEW, Status.PAID):
        _notify_decision(application, reason)
    return record


def _notify_decision(application: Application, reason: str) -> None:
    policy = db.session.get(Policy, application.policy_id)
    title = f"「{policy.title}」的申请{application.status_label}"
    if application.status == Status.APPROVED and application.amount_wan is not None:
        title += f"，核定 {application.amount_wan} 万元"
    notify(
        application.enterprise_id,
        category=RESULT_CATEGORY,
        title=title[:200],
        body=reason,
        link=application_link(application.id),
        policy_id=application.policy_id,
    )


def find_application(enterprise_id: int, policy_id: int) -> Application | None:
    """The enterprise's application for the policy, if any."""
    return db.session.scalar(
        select(Application).where(
            Application.enterprise_id == enterprise_id, Application.policy_id == policy_id
        )
    )


def last_contact(enterprise_id: int) -> dict[str, str]:
    """The contact person and phone of the enterprise's latest application with a form ({} when none)."""
    for data in db.session.scalars(
        select(Application.form_data)
        .where(Application.enterprise_id == enterprise_id)
        .order_by(Application.id.desc())
        .limit(20)
    ):
        if data and data.get("contact_name"):
            return {"contact_name": data["contact_name"], "contact_phone": data.get("contact_phone") or ""}
    return {}


def _insert_once(values: dict[str, Any]) -> Application | None:
    """Insert a submitted application unless the enterprise already has one for the policy (then None).

    The unique key decides (no read-then-insert race, no duplicate-key error to catch).
    """
    return add_once(Application, values | {"status": Status.SUBMITTED}, keys=("enterprise_id", "policy_id"))


def _existing(enterprise_id: int, policy_id: int) -> Application:
    winner = find_application(enterprise_id, policy_id)
    if winner is None:  # the conflicting insert was rolled back meanwhile
        raise ServiceError("申请提交冲突，请重试。")
    return winner


def _get_or_create(
    enterprise: Enterprise,
    policy: Policy,
    revision: PolicyRevision,
    *,
    actor: User | None,
    source: str,
    reason: str,
    form_data: dict | None = None,
) -> tuple[Application, bool]:
    """One application per enterprise and policy: a double click or resubmission gets the existing one."""
    values = {
        "enterprise_id": enterprise.id,
        "policy_id": policy.id,
        "revision_id": revision.id,
        "source": source,
        "form_data": form_data or {},
    }
    application = _insert_once(values)
    if application is None:
        return _existing(enterprise.id, policy.id), False
    _log(
        application,
        kind="transition",
        actor=actor,
        actor_name=_applicant_name(actor, enterprise),
        from_status=None,
        to_status=Status.SUBMITTED,
        reason=reason,
    )
    return application, True


# ---------------------------------------------------------------- budget


def reserve_budget(policy: Policy, amount: Decimal) -> bool:
    """Add `amount` to the policy's spent budget only if the balance covers it (one atomic conditional UPDATE)."""
    table = Policy.__table__
    # SQLite keeps NUMERIC as binary floats: half a cent of slack keeps exact-cent comparisons exact there.
    slack = Decimal("0.005") if db.session.get_bind().dialect.name == "sqlite" else Decimal(0)
    result = db.session.execute(
        update(table)
        .where(
            table.c.id == policy.id,
            or_(
                table.c.budget_wan.is_(None), table.c.budget_wan - table.c.budget_spent_wan >= amount - slack
            ),
        )
        .values(budget_spent_wan=table.c.budget_spent_wan + amount)
    )
    db.session.expire(policy, ["budget_spent_wan", "updated_at"])
    return result.rowcount == 1


# ---------------------------------------------------------------- 秒批


def apply_instant(
    enterprise: Enterprise,
    policy: Policy,
    *,
    actor: User | None,
    revision: PolicyRevision | None = None,
    on: date | None = None,
    source: str = "apply",
    reason: str = "企业一键申领",
) -> tuple[Application, bool]:
    """一键申领: create the application and decide it now; a repeat returns the existing one (created=False).

    An approval is not flagged for post-audit here: the daily draw (sample_for_audit) samples the day's.
    `revision` may be passed when already loaded (policy_with_revision); it must be the policy's current one.
    """
    on = on or today()
    require_confirmed(actor)  # also covers confirming a 免申即享 offer, which applies through here
    if not policy.instant:
        raise ServiceError("该政策不是秒批事项，请填写申请表申报。")
    _require_open(policy, on)
    if revision is None or revision.policy_id != policy.id or revision.number != policy.revision_no:
        revision = current_revision(policy)
    # The rules decide on the revision's conditions and the profile as of `on` (pure, before any write).
    conditions, support = criteria_of(revision.content), revision.content["support"] or {}
    profile = enterprise.profile(on)
    decision = rules.decide(conditions, support, profile, enterprise.is_verified)
    application, created = _get_or_create(
        enterprise, policy, revision, actor=actor, source=source, reason=reason
    )
    if not created:
        return application, False
    reason_text = "；".join(decision.reasons)
    application.amount_wan = decision.amount
    amount = None
    if decision.outcome == rules.REJECT:
        status = Status.REJECTED
    elif decision.outcome == rules.APPROVE and reserve_budget(policy, decision.amount):
        status, amount = Status.APPROVED, decision.amount
    else:
        status = Status.IN_REVIEW
        if decision.outcome == rules.APPROVE:
            reason_text = f"{BUDGET_SHORT}（{reason_text}）"
    move(
        application,
        status,
        actor=None,
        reason=reason_text,
        amount=amount,
        results=[r.as_dict() for r in decision.results],
        snapshot=rules.snapshot(conditions, support, profile, enterprise.verified or {}),
    )
    return application, True


# ---------------------------------------------------------------- form applications and attachments


@dataclass(frozen=True)
class Upload:
    """An uploaded file as the service sees it: the name the user gave and a readable stream."""

    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class _Checked:
    filename: str
    data: bytes
    content_type: str
    suffix: str


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, suffix) of a PDF, JPEG or PNG told by its magic bytes; None for anything else."""
    for magic, content_type, suffix in MAGIC:
        if head.startswith(magic):
            return content_type, suffix
    return None


def _check_uploads(uploads: Iterable[Upload], max_bytes: int, max_files: int | None = None) -> list[_Checked]:
    uploads = list(uploads)
    if max_files is not None and len(uploads) > max_files:
        # Counted before any file is read: the request limit is files × size, so many small files get here.
        raise ServiceError(
            f"附件最多 {max_files} 份，本次选择了 {len(uploads)} 份，请合并或删减后再提交；未保存任何内容。"
        )
    checked = []
    limit_mb = max_bytes / 1024 / 1024
    for upload in uploads:
        name = (upload.filename or "附件").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        data = upload.stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ServiceError(f"附件“{name}”超过 {limit_mb:g} MB 的上限，未保存任何内容。")
        kind = sniff(data[:8])
        if kind is None:
            raise ServiceError(f"附件“{name}”不是 PDF、JPG 或 PNG 文件（按文件内容识别），未保存任何内容。")
        checked.append(_Checked(name, data, *kind))
    return checked


def apply_with_form(
    enterprise: Enterprise,
    policy: Policy,
    *,
    actor: User | None,
    form_data: dict[str, Any],
    uploads: Iterable[Upload],
    upload_folder: str,
    max_bytes: int,
    max_files: int | None = None,
    on: date | None = None,
) -> tuple[Application, bool]:
    """Apply with the form and attachments (checked first: a bad file stores nothing); goes to an official."""
    on = on or today()
    require_confirmed(actor)
    if policy.instant:
        raise ServiceError("该政策为秒批事项，请使用“一键申领”。")
    _require_open(policy, on)
    checked = _check_uploads(uploads, max_bytes, max_files)
    revision = current_revision(policy)
    application, created = _get_or_create(
        enterprise,
        policy,
        revision,
        actor=actor,
        source="apply",
        reason="企业提交申请表",
        form_data=form_data,
    )
    if not created:
        return application, False
    support = revision.content.get("support") or {}
    application.amount_wan = rules.amount_ceiling(support, enterprise.profile(on))
    folder = Path(upload_folder) / "approvals"
    folder.mkdir(parents=True, exist_ok=True)
    for item in checked:
        stored = secrets.token_hex(16) + item.suffix
        db.session.add(
            Attachment(
                application_id=application.id,
                original_name=item.filename,
                stored_name=stored,
                content_type=item.content_type,
                size=len(item.data),
                uploaded_by_id=actor.id if actor else None,
            )
        )
        (folder / stored).write_bytes(item.data)
    names = f"，附件 {len(checked)} 份" if checked else ""
    move(
        application,
        Status.IN_REVIEW,
        actor=actor,
        actor_name=_applicant_name(actor, enterprise),
        reason=f"申请表已提交{names}，等待工作人员审核",
    )
    db.session.flush()
    return application, True


def attachment_path(attachment: Attachment, upload_folder: str) -> Path:
    """Where an attachment's bytes are stored."""
    return Path(upload_folder) / "approvals" / attachment.stored_name


# ---------------------------------------------------------------- officials


def queue(
    *,
    policy_id: int | None = None,
    status: str | None = None,
    min_age_days: int | None = None,
    limit: int = 200,
) -> list[Application]:
    """Applications for officials, oldest first: open ones (in review, appealed) unless a status is chosen."""
    query = (
        select(Application)
        .options(selectinload(Application.enterprise), selectinload(Application.policy))
        .order_by(Application.created_at, Application.id)
        .limit(limit)
    )
    query = (
        query.where(Application.status == status)
        if status
        else query.where(Application.status.in_(OPEN_STATUSES))
    )
    if policy_id:
        query = query.where(Application.policy_id == policy_id)
    if min_age_days:
        query = query.where(Application.created_at <= utcnow() - timedelta(days=min_age_days))
    return list(db.session.scalars(query))


def open_count() -> int:
    """How many applications wait for an official."""
    return (
        db.session.scalar(select(func.count(Application.id)).where(Application.status.in_(OPEN_STATUSES)))
        or 0
    )


def policy_choices(selected: int | None = None, limit: int = 100) -> list[tuple[int, str]]:
    """(id, title) for the queue filter: the `limit` policies with the most open applications (what officials
    filter by), plus the selected one. A district has thousands of policies with applications; a list of all of
    them made the queue page slow and the menu unusable."""
    busiest = (
        select(Application.policy_id)
        .where(Application.status.in_(OPEN_STATUSES))
        .group_by(Application.policy_id)
        .order_by(func.count().desc(), Application.policy_id)
        .limit(limit)
    )
    ids = set(db.session.scalars(busiest))
    if selected:
        ids.add(selected)
    if not ids:
        return []
    query = select(Policy.id, Policy.title).where(Policy.id.in_(ids)).order_by(Policy.id)
    return [(pid, title) for pid, title in db.session.execute(query)]


def claim(application: Application, *, actor: User) -> bool:
    """An official takes an open application; nobody else may decide it then. False when already theirs."""
    _lock(application)
    if application.claimed_by_id == actor.id and application.can_decide(actor):
        return False  # a re-click: the claim stands, and the record says so once
    if not application.can_decide(actor):
        holder = f"已由 {_name(application.claimed_by)} 认领" if application.claimed_by_id else "已办结"
        raise ServiceError(f"该申请{holder}，不能认领。")
    application.claimed_by_id = actor.id
    application.claimed_at = utcnow()
    _log(
        application,
        kind="claim",
        actor=actor,
        from_status=application.status,
        to_status=application.status,
        reason="认领审核",
    )
    db.session.flush()
    return True


def decide(
    application: Application,
    *,
    actor: User,
    approve: bool,
    comment: str,
    amount: Decimal | None = None,
    on: date | None = None,
) -> None:
    """An official approves (amount within the policy's rule and the budget) or rejects with a comment."""
    _lock(application)
    if not application.can_decide(actor):
        raise ServiceError("该申请已由他人认领或已办结，不能审批。")
    comment = (comment or "").strip()
    if application.claimed_by_id is None:
        application.claimed_by_id, application.claimed_at = actor.id, utcnow()
    if not approve:
        if not comment:
            raise ServiceError("不予通过时须填写理由。")
        move(application, Status.REJECTED, actor=actor, reason=comment)
        db.session.flush()
        return
    support = application.revision.content.get("support") or {}
    ceiling = rules.amount_ceiling(support, application.enterprise.profile(on or today()))
    amount = ceiling if amount is None else amount
    if amount is None or amount <= 0:
        raise ServiceError("请填写核定金额（万元，大于 0）。")
    amount = amount.quantize(CENT, ROUND_HALF_UP)
    if ceiling is not None and amount > ceiling:
        raise ServiceError(f"核定金额不能超过政策规则允许的 {ceiling} 万元。")
    if not reserve_budget(application.policy, amount):
        raise ServiceError("政策预算余额不足以覆盖本次金额，不能批准。")
    application.amount_wan = amount
    move(application, Status.APPROVED, actor=actor, reason=comment or "审核通过", amount=amount)
    db.session.flush()


def mark_paid(application: Application, *, actor: User) -> bool:
    """Record that the approved amount has been paid out; False when it already was (a double click)."""
    _lock(application)
    if application.status == Status.PAID:
        return False
    move(application, Status.PAID, actor=actor, reason=f"资金 {application.amount_wan} 万元已拨付")
    db.session.flush()
    return True


# ---------------------------------------------------------------- appeals


def appeal(application: Application, *, actor: User, reason: str) -> None:
    """The enterprise appeals a rejection once; it goes back to the officials' queue."""
    _lock(application)
    if not application.can_appeal(actor):
        raise ServiceError("该申请当前不能申诉（仅限未通过且尚未申诉过的申请）。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写申诉理由。")
    application.claimed_by_id = application.claimed_at = None
    move(application, Status.APPEALED, actor=actor, reason=reason)
    db.session.flush()


# ---------------------------------------------------------------- post-audit


SAMPLER_NAME = "事后抽查抽样"


@dataclass
class SampleReport:
    """One day's post-audit draw: the engine approvals it looked at, those the draw picked, those newly queued."""

    day: date
    approvals: int = 0
    drawn: int = 0
    queued: int = 0  # newly put into the post-audit queue (a rerun of the day queues none)

    def as_dict(self) -> dict[str, Any]:
        """The figures for the job's result."""
        return {
            "day": self.day.isoformat(),
            "approvals": self.approvals,
            "drawn": self.drawn,
            "queued": self.queued,
        }


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC moments a China Standard Time day starts and ends (end excluded)."""
    start = datetime.combine(day, time(0), CHINA).astimezone(UTC)
    return start, start + timedelta(days=1)


def engine_approvals(day: date) -> list[int]:
    """Ids of the applications the rules engine approved on `day` (China time), from the decision log."""
    start, end = day_bounds(day)
    query = (
        select(DecisionRecord.application_id)
        .join(Application, Application.id == DecisionRecord.application_id)
        .where(
            ENGINE_APPROVAL,
            DecisionRecord.created_at >= start,
            DecisionRecord.created_at < end,
            # a 秒批 application is decided as it is created: its indexed creation time narrows the scan
            Application.created_at >= start - timedelta(days=1),
            Application.created_at < end,
        )
        .order_by(DecisionRecord.application_id)
    )
    return list(dict.fromkeys(db.session.scalars(query)))


def sample_for_audit(
    day: date, *, key: str | bytes, share: float, at: datetime | None = None
) -> SampleReport:
    """Draw `share` of the day's automatic approvals for post-audit (keyed hash: rules.drawn_for_audit) and put
    the drawn ones into the officials' post-audit queue, each with a `sample` entry in its log.

    Safe to re-run: the draw is the same, and only applications not yet flagged are queued (one conditional
    UPDATE decides, so two runs at once cannot both log). `at` dates the log entries (default: now)."""
    approvals = engine_approvals(day)
    drawn = rules.drawn_for_audit(approvals, key=key, day=day, share=share)
    report = SampleReport(day, approvals=len(approvals), drawn=len(drawn))
    if not drawn:
        return report
    queued = list(
        db.session.scalars(
            update(Application)
            .where(Application.id.in_(drawn), Application.audit_status.is_(None))
            .values(audit_status=AuditStatus.PENDING)
            .returning(Application.id)
        )
    )
    report.queued = len(queued)
    reason = f"{day.isoformat()} 的秒批通过件按 {share * 100:g}% 的比例随机抽取，本件抽中，待工作人员事后抽查"
    for application in db.session.scalars(select(Application).where(Application.id.in_(queued))):
        record = _log(
            application,
            kind="sample",
            actor=None,
            actor_name=SAMPLER_NAME,
            from_status=application.status,
            to_status=application.status,
            reason=reason,
        )
        if at is not None:
            record.created_at = at
    db.session.flush()
    return report


def audit_queue(limit: int = 200) -> list[Application]:
    """Automatic approvals flagged for post-audit and not yet checked, oldest first."""
    return list(
        db.session.scalars(
            select(Application)
            .options(selectinload(Application.enterprise), selectinload(Application.policy))
            .where(Application.audit_status == AuditStatus.PENDING)
            .order_by(Application.decided_at, Application.id)
            .limit(limit)
        )
    )


def audit_count() -> int:
    """How many flagged approvals wait for post-audit."""
    query = select(func.count(Application.id)).where(Application.audit_status == AuditStatus.PENDING)
    return db.session.scalar(query) or 0


def record_audit(application: Application, *, actor: User, confirmed: bool, comment: str) -> None:
    """Record the post-audit result: confirmed, or a problem with a comment."""
    _lock(application)
    if not application.can_audit(actor):
        raise ServiceError("该申请不在待抽查状态。")
    comment = (comment or "").strip()
    if not confirmed and not comment:
        raise ServiceError("发现问题时须填写说明。")
    application.audit_status = AuditStatus.CONFIRMED if confirmed else AuditStatus.PROBLEM
    application.audit_comment = comment
    application.audited_by_id, application.audited_at = actor.id, utcnow()
    verdict = "确认无误" if confirmed else "发现问题"
    _log(
        application,
        kind="audit",
        actor=actor,
        from_status=application.status,
        to_status=application.status,
        reason=f"事后抽查：{verdict}" + (f"。{comment}" if comment else ""),
    )
    db.session.flush()


# ---------------------------------------------------------------- 免申即享


@dataclass
class GrantCounts:
    """How a proactive grant stands."""

    offered: int = 0
    confirmed: int = 0
    declined: int = 0
    new: int = 0  # offers made by the latest start

    @property
    def total(self) -> int:
        """All offers made."""
        return self.offered + self.confirmed + self.declined


def grant_counts(policy_ids: Iterable[int] | None = None) -> dict[int, GrantCounts]:
    """Offers per policy by answer."""
    query = select(GrantOffer.policy_id, GrantOffer.status, func.count()).group_by(
        GrantOffer.policy_id, GrantOffer.status
    )
    if policy_ids is not None:
        query = query.where(GrantOffer.policy_id.in_(list(policy_ids)))
    counts: dict[int, GrantCounts] = {}
    for policy_id, status, n in db.session.execute(query):
        setattr(counts.setdefault(policy_id, GrantCounts()), status, n)
    return counts


def start_grant(policy: Policy, *, actor: User, on: date | None = None) -> GrantCounts:
    """Offer an instant policy to every enterprise whose verified data qualifies (once each); notify them."""
    on = on or today()
    if not policy.instant:
        raise ServiceError("只有秒批事项可以免申即享。")
    _require_open(policy, on)
    # Two officials (or one double click) starting at once: the second waits here, then finds every offer taken.
    _lock(policy)
    revision = current_revision(policy)
    amount_for = rules.grantable(criteria_of(revision.content), revision.content["support"] or {})
    taken = set(db.session.scalars(select(GrantOffer.enterprise_id).where(GrantOffer.policy_id == policy.id)))
    taken |= set(
        db.session.scalars(select(Application.enterprise_id).where(Application.policy_id == policy.id))
    )
    chosen: list[tuple[int, Decimal]] = []
    # the database names who qualifies on the profile; only those are loaded to check verified data and amount
    qualifiers = select(Enterprise).where(qualifying(revision.content["conditions"], on=on))
    for enterprise in db.session.scalars(qualifiers.order_by(Enterprise.id)):
        if enterprise.id in taken:
            continue
        amount = amount_for(enterprise.profile(on), enterprise.is_verified)
        if amount is not None:
            chosen.append((enterprise.id, amount))
    for enterprise_id, amount in chosen:
        db.session.add(
            GrantOffer(
                enterprise_id=enterprise_id,
                policy_id=policy.id,
                revision_id=revision.id,
                amount_wan=amount,
                offered_by_id=actor.id,
            )
        )
        notify(
            enterprise_id,
            category=RESULT_CATEGORY,
            title=f"免申即享：您可领取「{policy.title}」{amount} 万元"[:200],
            body="根据已核验的企业数据，贵企业符合该政策全部条件，无需申报，点击确认即可领取。",
            link="/approvals/",
            policy_id=policy.id,
            dedupe_key=f"grant-offer:{policy.id}",
        )
    db.session.flush()
    counts = grant_counts([policy.id]).get(policy.id, GrantCounts())
    counts.new = len(chosen)
    return counts


def _answerable(offer: GrantOffer, actor: User) -> None:
    _lock(offer)
    if not offer.can_answer(actor):
        raise ServiceError("该免申即享邀约已处理或不属于贵企业。")


def confirm_offer(offer: GrantOffer, *, actor: User, on: date | None = None) -> Application:
    """The enterprise confirms with one click: the same rules, budget and log as 一键申领."""
    _answerable(offer, actor)
    application, _ = apply_instant(
        offer.enterprise,
        offer.policy,
        actor=actor,
        on=on,
        source="grant",
        reason="企业确认领取（免申即享）",
    )
    offer.status, offer.responded_at, offer.application_id = OfferStatus.CONFIRMED, utcnow(), application.id
    db.session.flush()
    return application


def decline_offer(offer: GrantOffer, *, actor: User) -> None:
    """The enterprise declines; the answer is kept."""
    _answerable(offer, actor)
    offer.status, offer.responded_at = OfferStatus.DECLINED, utcnow()
    db.session.flush()


# ---------------------------------------------------------------- enterprise views


def applications_of(enterprise_id: int) -> list[Application]:
    """An enterprise's applications, newest first."""
    return list(
        db.session.scalars(
            select(Application)
            .options(selectinload(Application.policy))
            .where(Application.enterprise_id == enterprise_id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def open_offers(enterprise_id: int) -> list[GrantOffer]:
    """免申即享 offers waiting for the enterprise's answer."""
    return list(
        db.session.scalars(
            select(GrantOffer)
            .options(selectinload(GrantOffer.policy))
            .where(GrantOffer.enterprise_id == enterprise_id, GrantOffer.status == OfferStatus.OFFERED)
            .order_by(GrantOffer.created_at.desc())
        )
    )


def instant_policies(on: date | None = None, *, limit: int | None = None, offset: int = 0) -> list[Policy]:
    """Open 秒批 policies (for the enterprise home card and the grant page), a page of them with `limit`."""
    on = on or today()
    query = (
        select(Policy)
        .where(Policy.instant.is_(True), Policy.open_on(on))
        .order_by(Policy.id)
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def engine_record(application: Application) -> DecisionRecord | None:
    """The latest log entry that carries per-condition results (what the enterprise is shown)."""
    for record in reversed(application.records):
        if record.results is not None:
            return record
    return None
