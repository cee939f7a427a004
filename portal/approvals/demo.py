"""Demo data of the approvals capability, written after the kernel's and the policies' demo data."""

from __future__ import annotations

import random
from datetime import date

from flask import current_app
from sqlalchemy import select

from portal.approvals import rules, services
from portal.approvals.models import Status
from portal.conditions import criteria_of
from portal.extensions import db
from portal.models import Enterprise, Role, User
from portal.policies.models import Policy, PolicyStatus
from portal.services import ServiceError

OTHER_APPLICANTS = 12


class _DemoRng(random.Random):
    """Deterministic draws, the first one flagging its approval so the post-audit list is not empty."""

    def __init__(self, seed: int):
        super().__init__(seed)
        self._first = True

    def random(self) -> float:
        """0.0 once, then ordinary draws."""
        if self._first:
            self._first = False
            return 0.0
        return super().random()


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
    rng = _DemoRng(on.toordinal())
    firm_user, official = users[Role.ENTERPRISE], users[Role.OFFICIAL]
    firm = db.session.get(Enterprise, firm_user.enterprise_id)
    by_outcome: dict[str, list[Policy]] = {}
    for policy in instant:
        by_outcome.setdefault(_outcome(firm, policy, on), []).append(policy)
    # The demo enterprise: one approval, one rejection it has appealed, one more rejection to appeal itself.
    for policy in by_outcome.get(rules.APPROVE, [])[:1] + by_outcome.get(rules.REJECT, [])[:2]:
        services.apply_instant(firm, policy, actor=firm_user, on=on, rng=rng)
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
            services.apply_instant(enterprise, instant[index % len(instant)], actor=None, on=on, rng=rng)
    db.session.flush()
    total = len(services.applications_of(firm.id)) + len(others)
    return [
        f"审批演示数据：申请 {total} 件，待人工审核 {services.open_count()} 件，"
        f"待事后抽查 {services.audit_count()} 件（审批人：{official.display_name}）。"
    ]
