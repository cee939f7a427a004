"""The dashboard's queries: read-only figures across the capabilities (policies, approvals, finance).

Officials and admins see them on /dashboard; the arithmetic on the rows read is in portal.dashboard.figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from portal import services
from portal.approvals.models import Application, DecisionRecord, Status
from portal.dashboard.figures import Headline, by_month
from portal.extensions import db
from portal.finance.models import Disbursement, FinancingRequest
from portal.models import DailyVisits, Enterprise, Notification, VirtualPark
from portal.policies.models import Policy, PolicyStatus


def headlines() -> list[Headline]:
    """Visits, precise pushes, instant approvals (count, amount) and financing deals (count, amount)."""
    visits = db.session.execute(select(DailyVisits.day, DailyVisits.visits)).all()
    visits_by_month: dict[str, int] = defaultdict(int)
    for day, count in visits:
        visits_by_month[day.strftime("%Y-%m")] += count
    pushes = db.session.scalars(
        select(Notification.created_at).where(Notification.policy_id.is_not(None))
    ).all()
    instant = db.session.execute(
        select(DecisionRecord.created_at, DecisionRecord.amount_wan).where(
            DecisionRecord.actor_id.is_(None), DecisionRecord.to_status == Status.APPROVED
        )
    ).all()
    deals = db.session.execute(select(Disbursement.disbursed_on, Disbursement.amount_wan)).all()
    return [
        Headline("平台访问量", sum(c for _, c in visits), None, dict(sorted(visits_by_month.items()))),
        Headline("政策精准推送", len(pushes), None, by_month(pushes)),
        Headline(
            "惠企资金秒批",
            len(instant),
            sum((a or 0 for _, a in instant), Decimal("0")),
            by_month(m for m, _ in instant),
        ),
        Headline(
            "政银企融资撮合",
            len(deals),
            sum((a for _, a in deals), Decimal("0")),
            by_month(d for d, _ in deals),
        ),
    ]


@dataclass
class ParkFigures:
    """A virtual park's figures."""

    park: VirtualPark
    members: int
    pushes: int
    approved: int
    approved_wan: Decimal
    disbursed_wan: Decimal


def park_figures() -> list[ParkFigures]:
    """Per virtual park: members, pushes they received, approvals and amounts, loans disbursed to them.

    Each figure is one aggregate over the park's members in SQL, so no enterprise row is loaded into Python.
    """
    rows = []
    parks = db.session.scalars(select(VirtualPark).order_by(VirtualPark.id)).all()
    for park, count in zip(parks, services.park_member_counts(parks), strict=True):
        members = select(Enterprise.id).where(services.park_member_clause(park))
        pushes = db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.policy_id.is_not(None), Notification.enterprise_id.in_(members)
            )
        )
        approved, approved_wan = db.session.execute(
            select(func.count(Application.id), func.coalesce(func.sum(Application.amount_wan), 0)).where(
                Application.status.in_((Status.APPROVED, Status.PAID)), Application.enterprise_id.in_(members)
            )
        ).one()
        disbursed = db.session.scalar(
            select(func.coalesce(func.sum(Disbursement.amount_wan), 0))
            .join(FinancingRequest, FinancingRequest.id == Disbursement.request_id)
            .where(FinancingRequest.enterprise_id.in_(members))
        )
        rows.append(
            ParkFigures(
                park,
                count,
                pushes or 0,
                approved or 0,
                Decimal(approved_wan).quantize(Decimal("0.01")),
                Decimal(disbursed).quantize(Decimal("0.01")),
            )
        )
    return rows


def budgets() -> list[Policy]:
    """Published and expired policies with a budget, most spent first (a draft has spent nothing: not shown)."""
    return list(
        db.session.scalars(
            select(Policy)
            .where(Policy.budget_wan.is_not(None), Policy.status != PolicyStatus.DRAFT)
            .order_by(Policy.budget_spent_wan.desc())
        )
    )
