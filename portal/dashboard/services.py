"""The dashboard's queries: read-only figures across the capabilities (policies, approvals, finance).

Officials and admins see them on /dashboard; the arithmetic on the rows read is in portal.dashboard.figures.
The headline, park, funnel and bank figures (each a scan of the district's records) are pre-aggregated into a
DashboardSnapshot (refresh, a scheduled job) that the page reads while it is fresh; the focused policy's funnel
and burn-down (one policy's rows) are read per view.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import DateTime, func, select
from sqlalchemy.orm import load_only

from portal import services
from portal.approvals.models import ENGINE_APPROVAL, Application, DecisionRecord, Status
from portal.dashboard.figures import Headline, month_axis
from portal.extensions import db
from portal.finance.models import Disbursement, FinancingOffer, FinancingRequest, FinancingRoute
from portal.models import Bank, DailyVisits, DashboardSnapshot, Enterprise, Notification, VirtualPark
from portal.policies.delivery import APPROVED_STATUSES, dedupe_key, funnel, is_push
from portal.policies.models import Policy, PolicyStatus
from portal.timeutil import CHINA, local

CENT = Decimal("0.01")


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
    months = {row[0]: row[1] for row in rows if row[0]}
    total = sum(row[1] for row in rows)
    money = None if amount is None else sum((Decimal(row[2]) for row in rows), Decimal("0")).quantize(CENT)
    return total, money, dict(sorted(months.items()))


def headlines() -> list[Headline]:
    """Visits, precise pushes, instant approvals (count, amount) and financing deals (count, amount)."""
    visits = db.session.execute(select(DailyVisits.day, DailyVisits.visits)).all()
    visits_by_month: dict[str, int] = defaultdict(int)
    for day, count in visits:
        visits_by_month[day.strftime("%Y-%m")] += count
    pushes, _, push_months = _by_month(Notification.created_at, is_push())
    instant, instant_wan, instant_months = _by_month(
        DecisionRecord.created_at,
        ENGINE_APPROVAL,
        amount=DecisionRecord.amount_wan,
    )
    deals, deals_wan, deal_months = _by_month(Disbursement.disbursed_on, amount=Disbursement.amount_wan)
    return [
        Headline("平台访问量", sum(c for _, c in visits), None, dict(sorted(visits_by_month.items()))),
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
    parks = db.session.scalars(select(VirtualPark).order_by(VirtualPark.id)).all()
    for park, count in zip(parks, services.park_member_counts(parks), strict=True):
        members = select(Enterprise.id).where(services.park_member_clause(park))
        pushes = db.session.scalar(
            select(func.count(Notification.id)).where(is_push(), Notification.enterprise_id.in_(members))
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


# ---------------------------------------------------------------- per policy: funnel and budget burn-down


@dataclass
class Funnel:
    """One policy's precise-push funnel: pushed → read → applied → approved."""

    policy: Policy
    pushed: int
    read: int
    applied: int
    approved: int

    @property
    def stages(self) -> list[tuple[str, int]]:
        """The four stages in order, with their Chinese names."""
        return [
            ("已推送", self.pushed),
            ("已阅读", self.read),
            ("已申请", self.applied),
            ("已获批", self.approved),
        ]


def funnel_of(policy: Policy) -> Funnel:
    """One policy's funnel, counted as the push itself counts it (delivery.funnel)."""
    counts = funnel(policy)
    return Funnel(policy, counts["pushed"], counts["read"], counts["applied"] or 0, counts["approved"] or 0)


def funnels(limit: int = 20) -> list[Funnel]:
    """The funnels of the most pushed published or expired policies, in three grouped queries (10,000 policies
    must not mean 20,000 queries); the same counts as delivery.funnel gives one policy."""
    pushes = {
        key: (pushed, read)
        for key, pushed, read in db.session.execute(
            select(Notification.dedupe_key, func.count(Notification.id), func.count(Notification.read_at))
            .where(is_push())
            .group_by(Notification.dedupe_key)
        )
    }
    applications = {
        policy_id: (applied, approved)
        for policy_id, applied, approved in db.session.execute(
            select(
                Application.policy_id,
                func.count(Application.id),
                func.count(Application.id).filter(Application.status.in_(APPROVED_STATUSES)),
            ).group_by(Application.policy_id)
        )
    }
    rows = []
    # Only the columns a funnel row shows: 10,000 policies' full texts are not read for a table of 20.
    shown = load_only(Policy.id, Policy.code, Policy.title, Policy.status)
    for policy in db.session.scalars(
        select(Policy).options(shown).where(Policy.status != PolicyStatus.DRAFT)
    ):
        pushed, read = pushes.get(dedupe_key(policy), (0, 0))
        applied, approved = applications.get(policy.id, (0, 0))
        rows.append(Funnel(policy, pushed, read, applied, approved))
    rows.sort(key=lambda f: (-f.pushed, -f.applied, f.policy.id))
    return rows[:limit]


def focus_policy(policy_id: int | None) -> Policy | None:
    """The policy whose funnel and burn-down are drawn: the one asked for (published or expired), else the
    budgeted one that has spent most, else None; a draft or unknown id is None (nothing to show)."""
    if policy_id is not None:
        policy = db.session.get(Policy, policy_id)
        return policy if policy is not None and policy.status != PolicyStatus.DRAFT else None
    spent = budgets()
    return spent[0] if spent else None


@dataclass
class BurnDown:
    """A policy's budget month by month: spent in the month and left at its end (万元)."""

    policy: Policy
    months: list[str]
    spent: list[Decimal]
    left: list[Decimal]


def burn_down(policy: Policy, on: date, count: int = 12) -> BurnDown:
    """Approved amounts of the policy per month (decision records) and the budget left after each month.

    Spending before the window is taken off the opening balance, so the last month's figure is what is left now.
    """
    months = month_axis(on, count)
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    for moment, amount in db.session.execute(
        select(DecisionRecord.created_at, DecisionRecord.amount_wan)
        .join(Application, Application.id == DecisionRecord.application_id)
        .where(
            Application.policy_id == policy.id,
            DecisionRecord.to_status == Status.APPROVED,
            DecisionRecord.amount_wan.is_not(None),
        )
    ):
        by_month[local(moment).strftime("%Y-%m")] += amount
    before = sum((a for m, a in by_month.items() if m < months[0]), Decimal("0"))
    left = (policy.budget_wan or Decimal("0")) - before
    spent, remaining = [], []
    for month in months:
        used = by_month.get(month, Decimal("0"))
        left -= used
        spent.append(used.quantize(Decimal("0.01")))
        remaining.append(left.quantize(Decimal("0.01")))
    return BurnDown(policy, months, spent, remaining)


# ---------------------------------------------------------------- banks: routed → first offer


@dataclass
class BankResponse:
    """How fast a bank answers with an offer: routes received, routes offered on, median hours to the first offer."""

    bank: Bank
    routed: int
    offered: int
    median_hours: float | None


def bank_response_times() -> list[BankResponse]:
    """Per bank: the median time from a request being routed to it to its first offer on that route."""
    first_offer = (
        select(FinancingOffer.route_id, func.min(FinancingOffer.created_at).label("at"))
        .group_by(FinancingOffer.route_id)
        .subquery()
    )
    hours: dict[int, list[float]] = defaultdict(list)
    routed: Counter = Counter()
    for bank_id, routed_at, offered_at in db.session.execute(
        select(FinancingRoute.bank_id, FinancingRoute.routed_at, first_offer.c.at).outerjoin(
            first_offer, first_offer.c.route_id == FinancingRoute.id
        )
    ):
        routed[bank_id] += 1
        if offered_at is not None:
            hours[bank_id].append((local(offered_at) - local(routed_at)).total_seconds() / 3600)
    return [
        BankResponse(
            bank,
            routed[bank.id],
            len(hours[bank.id]),
            round(statistics.median(hours[bank.id]), 1) if hours[bank.id] else None,
        )
        for bank in db.session.scalars(select(Bank).order_by(Bank.id))
    ]


# ---------------------------------------------------------------- pre-aggregated figures


@dataclass
class Figures:
    """What /dashboard shows from the district's records, and when it was computed."""

    headlines: list[Headline]
    parks: list[ParkFigures]
    funnels: list[Funnel]
    banks: list[BankResponse]
    computed_at: datetime
    seconds: float


def refresh(now: datetime) -> DashboardSnapshot:
    """Compute the headline and park figures and store them as a new snapshot (flush; the caller commits).

    At district scale this reads every notification, application and route once (seconds), which is why it runs as a
    scheduled job (portal.jobs) and the page reads the stored result."""
    started = time.perf_counter()
    heads, parks, pushed, banks = headlines(), park_figures(), funnels(), bank_response_times()
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
        # park_id, definition and members are also read by services.parks_with_member_counts (the parks pages).
        "parks": [
            {
                "park_id": p.park.id,
                "definition": services.park_definition(p.park),
                "members": p.members,
                "pushes": p.pushes,
                "approved": p.approved,
                "approved_wan": str(p.approved_wan),
                "disbursed_wan": str(p.disbursed_wan),
            }
            for p in parks
        ],
        "funnels": [
            {
                "policy_id": f.policy.id,
                "pushed": f.pushed,
                "read": f.read,
                "applied": f.applied,
                "approved": f.approved,
            }
            for f in pushed
        ],
        "banks": [
            {"bank_id": b.bank.id, "routed": b.routed, "offered": b.offered, "median_hours": b.median_hours}
            for b in banks
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


SNAPSHOT_KEYS = {"headlines", "parks", "funnels", "banks"}  # what a snapshot must hold for the page


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
    shown = load_only(Policy.id, Policy.code, Policy.title, Policy.status)
    wanted = [f["policy_id"] for f in data["funnels"]]
    policies = {
        p.id: p for p in db.session.scalars(select(Policy).options(shown).where(Policy.id.in_(wanted)))
    }
    pushed = [
        Funnel(policies[f["policy_id"]], f["pushed"], f["read"], f["applied"], f["approved"])
        for f in data["funnels"]
        if f["policy_id"] in policies
    ]
    banks = {b.id: b for b in db.session.scalars(select(Bank).order_by(Bank.id))}
    responses = [
        BankResponse(banks[b["bank_id"]], b["routed"], b["offered"], b["median_hours"])
        for b in data["banks"]
        if b["bank_id"] in banks
    ]
    computed = snapshot.computed_at
    computed = computed if computed.tzinfo else computed.replace(tzinfo=UTC)  # SQLite returns naive UTC
    return Figures(heads, parks, pushed, responses, computed, snapshot.seconds)


def figures(now: datetime, max_age: float) -> Figures:
    """The latest snapshot when younger than max_age seconds, else a fresh one computed now (flush)."""
    latest = services.latest_snapshot(now, max_age)
    # None yet, stale, or written by an older release (without every figure the page shows): compute one now.
    if latest is None or not latest.figures.keys() >= SNAPSHOT_KEYS:
        latest = refresh(now)
    return _figures_of(latest)
