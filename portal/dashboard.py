"""The district's figures: the four headline numbers over time, per virtual park, and budgets.

Read-only queries across the capabilities; officials and admins see them on /dashboard.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import DateTime, func, select, update
from sqlalchemy.exc import IntegrityError

from portal import services
from portal.approvals.models import Application, DecisionRecord, Status
from portal.extensions import db
from portal.finance.models import Disbursement, FinancingRequest
from portal.models import DailyVisits, DashboardSnapshot, Enterprise, Notification, VirtualPark
from portal.policies.models import Policy, PolicyStatus
from portal.timeutil import CHINA

CENT = Decimal("0.01")


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


def _month_of(column):
    """SQL for the China Standard Time month ("2026-06") of a stored UTC timestamp or a date column."""
    if db.engine.dialect.name == "postgresql":
        if isinstance(column.type, DateTime):
            column = func.timezone(CHINA.key, column)
        return func.to_char(column, "YYYY-MM")
    if isinstance(column.type, DateTime):  # SQLite keeps UTC text; China has had no DST since 1991
        return func.strftime("%Y-%m", column, "+8 hours")
    return func.strftime("%Y-%m", column)


def _by_month(column, *where, amount=None) -> tuple[int, Decimal | None, dict[str, int]]:
    """Count (and sum of amount) per month in SQL: the figures grow with months, not with rows."""
    month = _month_of(column).label("month")
    columns = [month, func.count()]
    if amount is not None:
        columns.append(func.coalesce(func.sum(amount), 0))
    rows = db.session.execute(select(*columns).where(*where).group_by(month)).all()
    by_month = {row[0]: row[1] for row in rows if row[0]}
    total = sum(row[1] for row in rows)
    money = None if amount is None else sum((Decimal(row[2]) for row in rows), Decimal("0")).quantize(CENT)
    return total, money, dict(sorted(by_month.items()))


def headlines() -> list[Headline]:
    """Visits, precise pushes, instant approvals (count, amount) and financing deals (count, amount)."""
    visits = db.session.execute(select(DailyVisits.day, DailyVisits.visits)).all()
    by_month: dict[str, int] = defaultdict(int)
    for day, count in visits:
        by_month[day.strftime("%Y-%m")] += count
    pushes, _, push_months = _by_month(Notification.created_at, Notification.policy_id.is_not(None))
    instant, instant_wan, instant_months = _by_month(
        DecisionRecord.created_at,
        DecisionRecord.actor_id.is_(None),
        DecisionRecord.to_status == Status.APPROVED,
        amount=DecisionRecord.amount_wan,
    )
    deals, deals_wan, deal_months = _by_month(Disbursement.disbursed_on, amount=Disbursement.amount_wan)
    return [
        Headline("平台访问量", sum(c for _, c in visits), None, dict(sorted(by_month.items()))),
        Headline("政策精准推送", pushes, None, push_months),
        Headline("惠企资金秒批", instant, instant_wan, instant_months),
        Headline("政银企融资撮合", deals, deals_wan, deal_months),
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


def budgets(limit: int = 20) -> list[Policy]:
    """Published and expired policies with a budget, most spent first (a draft has spent nothing: not shown).

    Only the first `limit`: a district publishes thousands of policies, and a chart of thousands of bars says
    nothing; the rest are on each policy's page."""
    return list(
        db.session.scalars(
            select(Policy)
            .where(Policy.budget_wan.is_not(None), Policy.status != PolicyStatus.DRAFT)
            .order_by(Policy.budget_spent_wan.desc(), Policy.id)
            .limit(limit)
        )
    )


# ---------------------------------------------------------------- pre-aggregated figures


@dataclass
class Figures:
    """What /dashboard shows from the district's records, and when it was computed."""

    headlines: list[Headline]
    parks: list[ParkFigures]
    computed_at: datetime
    seconds: float


def refresh(now: datetime) -> DashboardSnapshot:
    """Compute the headline and park figures and store them as a new snapshot (flush; the caller commits).

    At district scale this reads every notification and application once (seconds), which is why it runs as a
    scheduled job (portal.jobs) and the page reads the stored result."""
    started = time.perf_counter()
    heads, parks = headlines(), park_figures()
    figures = {
        "headlines": [
            {
                "label": h.label,
                "count": h.count,
                "amount_wan": None if h.amount_wan is None else str(h.amount_wan),
                "by_month": h.by_month,
            }
            for h in heads
        ],
        "parks": [
            {
                "park_id": p.park.id,
                "definition": _definition(p.park),
                "members": p.members,
                "pushes": p.pushes,
                "approved": p.approved,
                "approved_wan": str(p.approved_wan),
                "disbursed_wan": str(p.disbursed_wan),
            }
            for p in parks
        ],
    }
    snapshot = DashboardSnapshot(
        computed_at=now, seconds=round(time.perf_counter() - started, 3), figures=figures
    )
    db.session.add(snapshot)
    # Older snapshots are of no use; keep the table at a handful of rows.
    db.session.execute(
        DashboardSnapshot.__table__.delete().where(DashboardSnapshot.computed_at < now - timedelta(days=1))
    )
    db.session.flush()
    return snapshot


def _figures_of(snapshot: DashboardSnapshot) -> Figures:
    data = snapshot.figures
    heads = [
        Headline(
            h["label"],
            h["count"],
            None if h["amount_wan"] is None else Decimal(h["amount_wan"]),
            h["by_month"],
        )
        for h in data["headlines"]
    ]
    by_id = {p.id: p for p in db.session.scalars(select(VirtualPark).order_by(VirtualPark.id))}
    parks = [
        ParkFigures(
            by_id[p["park_id"]],
            p["members"],
            p["pushes"],
            p["approved"],
            Decimal(p["approved_wan"]),
            Decimal(p["disbursed_wan"]),
        )
        for p in data["parks"]
        if p["park_id"] in by_id  # a park deleted since is left out
    ]
    return Figures(heads, parks, _aware(snapshot.computed_at), snapshot.seconds)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive UTC


def _definition(park: VirtualPark) -> list:
    """What decides a park's members: a snapshot's count is only reused while this is unchanged."""
    return [sorted(park.industry_prefixes or []), sorted(park.qualifications or [])]


def _fresh(now: datetime, max_age: float) -> DashboardSnapshot | None:
    latest = db.session.scalar(
        select(DashboardSnapshot).order_by(DashboardSnapshot.computed_at.desc()).limit(1)
    )
    if latest is None:
        return None
    computed = _aware(latest.computed_at)
    return latest if computed <= now <= computed + timedelta(seconds=max_age) else None


def parks_with_member_counts(
    now: datetime, max_age: float, park_id: int | None = None
) -> list[tuple[VirtualPark, int]]:
    """Every park (or just park_id) with its member count: from a fresh snapshot while the park's definition
    is unchanged, else counted now (a new or edited park is right at once; the others cost nothing per view)."""
    snapshot = _fresh(now, max_age)
    known = {
        p["park_id"]: p for p in (snapshot.figures.get("parks", []) if snapshot else []) if "definition" in p
    }
    query = select(VirtualPark).order_by(VirtualPark.id)
    if park_id is not None:
        query = query.where(VirtualPark.id == park_id)
    rows = []
    for park in db.session.scalars(query):
        entry = known.get(park.id)
        if entry is not None and entry["definition"] == _definition(park):
            rows.append((park, entry["members"]))
        else:
            rows.append((park, services.park_member_count(park)))
    return rows


def figures(now: datetime, max_age: float) -> Figures:
    """The latest snapshot when younger than max_age seconds, else a fresh one computed now (flush)."""
    latest = _fresh(now, max_age)
    return _figures_of(latest if latest is not None else refresh(now))


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
