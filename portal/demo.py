"""The demo data set: enterprises, banks, parks and one account of each role, then each capability's own."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from sqlalchemy import select

from portal import demo_data, identity, services
from portal.extensions import db
from portal.models import Bank, DailyVisits, Enterprise, Role, User

# Demo logins, also listed in README.md. Demo only: `make run` is for trying the portal out.
DEMO_ACCOUNTS = (
    # Passwords follow the rules (staff ≥ 12 characters, none containing the username).
    ("admin", "demo-keeper-2026", Role.ADMIN, "系统管理员"),
    ("official", "demo-district-2026", Role.OFFICIAL, "区工业和信息化局 王科长"),
    ("bank", "demo-lender-2026", Role.BANK, "工商银行宝安支行 客户经理"),
    ("enterprise", "demo-firm-2026", Role.ENTERPRISE, ""),
)
DEMO_SELF_DECLARED = ("street", "business_scope", "description")
VISIT_DAYS = 365  # a year of daily visits before the demo day, so the dashboard's trend has twelve months


def seed(on: date) -> list[str]:
    """Write the demo data set; return a summary, one line each."""
    banks = [Bank(**record) for record in demo_data.bank_records()]
    db.session.add_all(banks)
    records = demo_data.enterprise_records()
    report = services.import_enterprises(
        (json.dumps(r, ensure_ascii=False) for r in records), source=demo_data.DEMO_SOURCE, on=on
    )
    if report.errors:  # the generator is ours: a bad row is a bug, not data
        raise RuntimeError(f"demo data rejected: {report.errors[:3]}")
    db.session.flush()
    users = {}
    for username, password, role, name in DEMO_ACCOUNTS:
        users[role] = services.create_user(
            username=username,
            password=password,
            role=role,
            display_name=name,
            bank_id=banks[0].id if role == Role.BANK else None,
        )
    # The demo enterprise account runs the first Bao'an high-tech manufacturer of the data set.
    firm = db.session.scalar(
        select(Enterprise)
        .where(Enterprise.registered_district == "宝安区", Enterprise.industry_code.startswith("C39"))
        .order_by(Enterprise.id)
    )
    # The demo account is confirmed as the district would confirm it: with an activation code it issued.
    users[Role.ENTERPRISE].claimed_uscc = firm.uscc
    (letter,) = identity.issue_codes([firm], actor=users[Role.OFFICIAL])
    identity.confirm(users[Role.ENTERPRISE], "activation_code", {"code": letter.code})
    # Part of the demo firm's profile is its own declaration, so a new user sees what editing the profile looks
    # like; only fields no demo policy's conditions read, so 一键申领 still decides at once.
    firm.verified = {k: v for k, v in (firm.verified or {}).items() if k not in DEMO_SELF_DECLARED}
    for record in demo_data.park_records():
        services.save_park(None, manager_id=users[Role.OFFICIAL].id, **record)
    db.session.flush()
    summary = [
        f"企业 {report.inserted} 家，银行 {len(banks)} 家，虚拟园区 {len(demo_data.park_records())} 个。",
        *(f"演示账号 {u} / {p}（{r}）" for u, p, r, _ in DEMO_ACCOUNTS),
    ]
    summary.append(f"平台访问量：过去一年 {_visits(on):,} 次。")
    summary += _seed_capabilities(on, users)
    return summary


def _visits(on: date) -> int:
    """Daily visit counts for the year before `on`: growing over the year, quieter at weekends."""
    rng = random.Random(on.toordinal())
    rows = []
    for back in range(VISIT_DAYS, 0, -1):
        day = on - timedelta(days=back)
        base = 1200 + 9 * (VISIT_DAYS - back)  # the platform grows from ~1,200 to ~4,500 visits a day
        weekend = 0.35 if day.weekday() >= 5 else 1.0
        rows.append({"day": day, "visits": int(base * weekend * rng.uniform(0.85, 1.15))})
    db.session.execute(DailyVisits.__table__.insert(), rows)
    return sum(r["visits"] for r in rows)


def _seed_capabilities(on: date, users: dict[str, User]) -> list[str]:
    """Each capability seeds its own demo data after the kernel's (approvals and finance use policies)."""
    from portal.approvals import demo as approvals_demo
    from portal.finance import demo as finance_demo
    from portal.policies import demo as policies_demo

    lines = []
    for module in (policies_demo, approvals_demo, finance_demo):
        lines += module.seed(on, users)
    return lines
