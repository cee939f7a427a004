"""The tables officials and enterprises download: review queue, decisions, a policy's funnel, a draft's reach."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.approvals import services as approvals
from portal.approvals.models import STATUS_LABELS, Application, Status
from portal.exports.tables import Table
from portal.extensions import db
from portal.policies import audience, delivery
from portal.policies.models import Policy
from portal.timeutil import local

EXPORT_LIMIT = 50_000  # rows per file: far above a district's applications, low enough to keep memory bounded

_APPLICATION_HEADERS = [
    "申请编号",
    "企业名称",
    "统一社会信用代码",
    "政策",
    "状态",
    "核定金额（万元）",
    "申请时间",
]


def _application_row(a: Application) -> list:
    """The columns of _APPLICATION_HEADERS for one application."""
    return [
        a.id,
        a.enterprise.name,
        a.enterprise.uscc,
        a.policy.title,
        a.status_label,
        a.amount_wan,
        local(a.created_at),
    ]


def _status_label(status: str) -> str:
    return STATUS_LABELS.get(Status(status), status)


def _policy_label(policy_id: int | None) -> str:
    policy = db.session.get(Policy, policy_id) if policy_id else None
    return policy.title if policy else "全部政策"


def queue_table(*, policy_id: int | None, status: str | None, min_age_days: int | None) -> Table:
    """The officials' review queue with the filters of the queue page."""
    items = approvals.queue(policy_id=policy_id, status=status, min_age_days=min_age_days, limit=EXPORT_LIMIT)
    table = Table(
        "审核队列",
        _APPLICATION_HEADERS + ["经办人"],
        filters=[
            ("政策", _policy_label(policy_id)),
            ("状态", _status_label(status) if status else "待处理（审核中、申诉中）"),
            ("等待天数不少于", str(min_age_days) if min_age_days else "不限"),
        ],
    )
    for a in items:
        table.rows.append([*_application_row(a), a.claimed_by.display_name if a.claimed_by else ""])
    return table


def decisions_table(*, policy_id: int | None, status: str | None) -> Table:
    """Every application with its decision: status, amount, when and why it was decided."""
    query = (
        select(Application)
        .options(
            selectinload(Application.enterprise),
            selectinload(Application.policy),
            selectinload(Application.records),
        )
        .order_by(Application.created_at, Application.id)
        .limit(EXPORT_LIMIT)
    )
    if policy_id:
        query = query.where(Application.policy_id == policy_id)
    if status:
        query = query.where(Application.status == status)
    table = Table(
        "申请及审批结果",
        _APPLICATION_HEADERS + ["办结时间", "决定人", "决定理由"],
        filters=[
            ("政策", _policy_label(policy_id)),
            ("状态", _status_label(status) if status else "全部状态"),
        ],
    )
    for a in db.session.scalars(query):
        # the decision is the last status change (claims, post-audit samples and audits come after it)
        last = next((r for r in reversed(a.records) if r.kind == "transition"), None)
        table.rows.append(
            [
                *_application_row(a),
                local(a.decided_at),
                last.actor_name if last else "",
                last.reason if last else "",
            ]
        )
    return table


def funnel_table(policy: Policy) -> Table:
    """A policy's funnel: pushed → read → applied → approved, each with its share of the pushed."""
    funnel = delivery.funnel(policy)
    pushed = funnel["pushed"] or 0
    table = Table("政策转化漏斗", ["环节", "企业数", "占推送比例"], filters=[("政策", policy.title)])
    for key, label in (
        ("pushed", "已推送"),
        ("read", "已阅读"),
        ("applied", "已申请"),
        ("approved", "已通过"),
    ):
        count = funnel[key]
        share = f"{count / pushed * 100:.2f}%" if pushed and count is not None else ""
        table.rows.append([label, "" if count is None else count, share])
    return table


def reach_table(policy: Policy, *, on: date) -> Table:
    """A (draft) policy's reach from the sandbox: totals, then qualifying firms by street, size and park."""
    report = audience.sandbox(policy, on=on)
    table = Table(
        "政策覆盖测算",
        ["维度", "分组", "企业数"],
        filters=[("政策", policy.title), ("测算日期", on.isoformat())],
    )
    table.rows += [
        ["合计", "符合条件企业", report.total],
        ["合计", "其中已退订该类别", report.muted],
        ["合计", "无法测算金额的企业", report.uncomputed],
        ["合计", "所需资金（万元）", report.cost_wan],
        ["合计", "预算（万元）", report.budget_wan if report.budget_wan is not None else "未设上限"],
    ]
    for dimension, counts in (
        ("街道", report.by_street),
        ("规模", report.by_size),
        ("虚拟园区", report.by_park),
    ):
        for name, count in counts.most_common():
            table.rows.append([dimension, name, count])
    return table


def enterprise_applications_table(enterprise_id: int) -> Table:
    """An enterprise's own applications with their states, amounts and dates."""
    table = Table(
        "我的申请",
        ["申请编号", "政策", "状态", "核定金额（万元）", "申请时间", "办结时间"],
        filters=[("范围", "本企业全部申请")],
    )
    for a in approvals.applications_of(enterprise_id):
        table.rows.append(
            [a.id, a.policy.title, a.status_label, a.amount_wan, local(a.created_at), local(a.decided_at)]
        )
    return table
