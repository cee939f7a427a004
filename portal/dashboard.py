"""The district's figures: the four headline numbers over time, per virtual park, and budgets.

Read-only queries across the capabilities; officials and admins see them on /dashboard.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal import services
from portal.approvals.models import Application, DecisionRecord, Status
from portal.extensions import db
from portal.finance.models import Disbursement, FinancingRequest
from portal.models import DailyVisits, Enterprise, Notification, VirtualPark
from portal.policies.models import Policy, PolicyStatus
from portal.timeutil import local


def count_visit(day: date) -> None:
    """Add one visit to the day's counter in its own short transaction (never blocks the request's work)."""
    with db.engine.begin() as conn:
        bumped = conn.execute(
            update(DailyVisits).where(DailyVisits.day == day).values(visits=DailyVisits.visits + 1)
        ).rowcount
        if not bumped:
            try:
                with conn.begin_nested():
                    conn.execute(DailyVisits.__table__.insert().values(day=day, visits=1))
            except IntegrityError:  # another request created the day first
                conn.execute(
                    update(DailyVisits).where(DailyVisits.day == day).values(visits=DailyVisits.visits + 1)
                )


@dataclass
class Headline:
    """One headline figure: a count, an optional amount (万元), and counts per month."""

    label: str
    count: int
    amount_wan: Decimal | None
    by_month: dict[str, int]


def _months(moments) -> dict[str, int]:
    counts = Counter(
        local(m).strftime("%Y-%m") if hasattr(m, "hour") else m.strftime("%Y-%m") for m in moments
    )
    return dict(sorted(counts.items()))


def headlines() -> list[Headline]:
    """Visits, precise pushes, instant approvals (count, amount) and financing deals (count, amount)."""
    visits = db.session.execute(select(DailyVisits.day, DailyVisits.visits)).all()
    by_month: dict[str, int] = defaultdict(int)
    for day, count in visits:
        by_month[day.strftime("%Y-%m")] += count
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
        Headline("平台访问量", sum(c for _, c in visits), None, dict(sorted(by_month.items()))),
        Headline("政策精准推送", len(pushes), None, _months(pushes)),
        Headline(
            "惠企资金秒批",
            len(instant),
            sum((a or 0 for _, a in instant), Decimal("0")),
            _months(m for m, _ in instant),
        ),
        Headline(
            "政银企融资撮合",
            len(deals),
            sum((a for _, a in deals), Decimal("0")),
            _months(d for d, _ in deals),
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
    for park in db.session.scalars(select(VirtualPark).order_by(VirtualPark.id)):
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
                services.park_member_count(park),
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


def month_axis(on: date, count: int = 12) -> list[str]:
    """The `count` months ending with on's month, oldest first ("2026-01" …), so quiet months show as zero."""
    year, month = on.year, on.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def trend(figures: list[Headline], on: date, count: int = 12) -> dict:
    """Each headline's monthly counts on one shared month axis (data older than the axis is left out)."""
    months = month_axis(on, count)
    # Data before the window (or a stray future month) widens the axis rather than disappearing.
    seen = sorted({m for h in figures for m in h.by_month})
    if seen:
        months = sorted(set(months) | {m for m in seen if m >= months[0]})
    return {
        "months": months,
        "series": [{"label": h.label, "data": [h.by_month.get(m, 0) for m in months]} for h in figures],
    }
