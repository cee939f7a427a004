"""Demo data of the approvals capability, written after the kernel's and the policies' demo data."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import insert, select

from portal.approvals import rules, services
from portal.approvals.models import Application, DecisionRecord, Status
from portal.conditions import criteria_of
from portal.extensions import db
from portal.models import Enterprise, Role, User
from portal.policies.models import Policy, PolicyStatus
from portal.services import ServiceError
from portal.timeutil import CHINA, utcnow

OTHER_APPLICANTS = 12
HISTORY_APPLICANTS = 150  # firms with a past 秒批 approval, spread over the year before the demo day
HISTORY_DAYS = 360
HISTORY_BUDGET_SHARE = Decimal("0.6")


def _open_policies(on: date) -> list[Policy]:
    policies = db.session.scalars(
        select(Policy).where(Policy.status == PolicyStatus.PUBLISHED).order_by(Policy.id)
    ).all()
    usable = []
    for policy in policies:
        try:
            services.current_revision(policy)
        except ServiceError:
            continue
        if policy.is_open(on):
            usable.append(policy)
    return usable


def _outcome(enterprise: Enterprise, policy: Policy, on: date) -> str:
    content = services.current_revision(policy).content
    return rules.decide(
        criteria_of(content), content["support"] or {}, enterprise.profile(on), enterprise.is_verified
    ).outcome


def seed(on: date, users: dict[str, User]) -> list[str]:
    """Applications in every state for the demo enterprise and others, so the officials' queue is not empty."""
    policies = _open_policies(on)
    instant = [p for p in policies if p.instant]
    other = [p for p in policies if not p.instant]
    if not instant:
        return ["审批演示数据：没有已发布的秒批政策，跳过。"]
    firm_user, official = users[Role.ENTERPRISE], users[Role.OFFICIAL]
    firm = db.session.get(Enterprise, firm_user.enterprise_id)
    by_outcome: dict[str, list[Policy]] = {}
    for policy in instant:
        by_outcome.setdefault(_outcome(firm, policy, on), []).append(policy)
    # The demo enterprise: one approval, one rejection it has appealed, one more rejection to appeal itself.
    for policy in by_outcome.get(rules.APPROVE, [])[:1] + by_outcome.get(rules.REJECT, [])[:2]:
        services.apply_instant(firm, policy, actor=firm_user, on=on)
    appealable = [a for a in services.applications_of(firm.id) if a.status == Status.REJECTED]
    if appealable:
        services.appeal(appealable[-1], actor=firm_user, reason="我司研发费用已于近期更新，请工作人员复核。")
    if other:
        services.apply_with_form(
            firm,
            other[0],
            actor=firm_user,
            form_data={
                "contact_name": "王敏",
                "contact_phone": "0755-27000000",
                "statement": "申请支持（演示）",
            },
            uploads=[],
            upload_folder=current_app.config["UPLOAD_FOLDER"],
            max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
            on=on,
        )
    # Other enterprises (the demo has no accounts for them) apply too: 秒批 items and, every third, a form.
    others = db.session.scalars(
        select(Enterprise).where(Enterprise.id != firm.id).order_by(Enterprise.id).limit(OTHER_APPLICANTS)
    ).all()
    for index, enterprise in enumerate(others):
        if other and index % 3 == 0:
            services.apply_with_form(
                enterprise,
                other[index % len(other)],
                actor=None,
                form_data={
                    "contact_name": "王敏",
                    "contact_phone": "0755-27000000",
                    "statement": "演示申请",
                },
                uploads=[],
                upload_folder=current_app.config["UPLOAD_FOLDER"],
                max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
                on=on,
            )
        else:
            services.apply_instant(enterprise, instant[index % len(instant)], actor=None, on=on)
    db.session.flush()
    past = _history(on, instant, skip={firm.id, *(e.id for e in others)})
    _sample(on)
    total = len(services.applications_of(firm.id)) + len(others)
    return [
        f"审批演示数据：申请 {total} 件，待人工审核 {services.open_count()} 件，"
        f"待事后抽查 {services.audit_count()} 件（审批人：{official.display_name}）；"
        f"过去一年的秒批获批 {past} 件。"
    ]


def _moment(day: date, rng: random.Random) -> datetime:
    """A working-hours moment of a day in Shanghai, as the UTC timestamp the database stores."""
    local = datetime.combine(day, time(9 + rng.randrange(9), rng.randrange(60)), CHINA)
    return local.astimezone(UTC)


def _first_approval(
    enterprise: Enterprise, instant: list[Policy], revisions: dict, on: date, rng: random.Random, start: int
):
    """The first 秒批 policy (tried round from `start`) that approves the firm on a past day, budget reserved."""
    for step in range(len(instant)):
        policy = instant[(start + step) % len(instant)]
        opened = max(policy.published_on or on, on - timedelta(days=HISTORY_DAYS))
        if opened >= on:
            continue
        # Later months get more approvals (the platform grows): a square root skews the draw towards `on`.
        day = opened + timedelta(days=int((on - opened).days * rng.random() ** 0.5))
        day = min(day, on - timedelta(days=1))
        revision = revisions[policy.id]
        content = revision.content
        profile = enterprise.profile(day)
        decision = rules.decide(
            criteria_of(content), content["support"] or {}, profile, enterprise.is_verified
        )
        if decision.outcome != rules.APPROVE:
            continue
        # The past may use up to HISTORY_BUDGET_SHARE of a budget: today's one-click applications still get money.
        if policy.budget_wan is not None and (
            policy.budget_spent_wan + decision.amount > policy.budget_wan * HISTORY_BUDGET_SHARE
        ):
            continue
        if services.reserve_budget(policy, decision.amount):
            return policy, revision, day, decision, profile
    return None


def _history(on: date, instant: list[Policy], skip: set[int]) -> int:
    """Past 秒批 approvals over the year before `on`, so the dashboard's months and burn-downs mean something.

    Decided by the same rules engine on the profile as of that day, with the budget reserved through the same
    conditional UPDATE; the rows are written dated when they happened (the decision log is insert-only, so a
    record cannot be back-dated after the fact). Only approvals: a rejection from months ago shows nothing new.
    """
    rng = random.Random(on.toordinal() + 1)
    firms = db.session.scalars(
        select(Enterprise).where(Enterprise.id.not_in(skip)).order_by(Enterprise.id)
    ).all()
    revisions = {p.id: services.current_revision(p) for p in instant}
    written = 0
    for index, enterprise in enumerate(firms):
        if written >= HISTORY_APPLICANTS:
            break
        found = _first_approval(enterprise, instant, revisions, on, rng, start=index)
        if found is None:
            continue
        policy, revision, day, decision, profile = found
        conditions, support = criteria_of(revision.content), revision.content["support"] or {}
        at = _moment(day, rng)
        new_id = db.session.execute(
            insert(Application.__table__).values(
                enterprise_id=enterprise.id, policy_id=policy.id, revision_id=revision.id, source="apply",
                status=Status.APPROVED, amount_wan=decision.amount, form_data={}, created_at=at,
                updated_at=at, decided_at=at, audit_comment="",
            )
        ).inserted_primary_key[0]  # fmt: skip
        evidence = {
            "results": [r.as_dict() for r in decision.results],
            "profile_snapshot": rules.snapshot(conditions, support, profile, enterprise.verified or {}),
        }
        common = {
            "application_id": new_id,
            "kind": "transition",
            "revision_id": revision.id,
            "created_at": at,
        }
        db.session.execute(
            insert(DecisionRecord.__table__),
            [
                common | {"actor_id": None, "actor_name": enterprise.name[:100], "from_status": None,
                          "to_status": Status.SUBMITTED, "reason": "企业一键申领", "amount_wan": None,
                          "results": None, "profile_snapshot": None},
                common | {"actor_id": None, "actor_name": services.ENGINE_NAME, "from_status": Status.SUBMITTED,
                          "to_status": Status.APPROVED, "reason": "；".join(decision.reasons),
                          "amount_wan": decision.amount, **evidence},
            ],
        )  # fmt: skip
        written += 1
    db.session.flush()
    return written


def _sample(on: date) -> None:
    """The daily post-audit draw over every demo day (the year of history and `on`), as the job would have run it
    at 01:00 the day after; the demo's own days cannot wait for the job, or its post-audit list would be empty."""
    config = current_app.config
    now = utcnow()
    for back in range(HISTORY_DAYS, -1, -1):
        day = on - timedelta(days=back)
        run_at = datetime.combine(day + timedelta(days=1), time(1), CHINA).astimezone(UTC)
        services.sample_for_audit(
            day, key=config["SECRET_KEY"], share=float(config["POST_AUDIT_SHARE"]), at=min(run_at, now)
        )
