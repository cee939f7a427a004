"""Services of the shared kernel: accounts, profiles with provenance, the government data import, parks.

Services change state and flush; the caller (view, CLI command, test) commits once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import ARRAY, ColumnElement, Text, and_, cast, exists, func, insert, or_, select, true, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from portal import conditions, enterprise_schema, passwords, reference
from portal.extensions import db
from portal.idempotent import insert_ignoring_duplicates, insert_once, insert_or_add
from portal.jsonl import JsonlError, parse_lines
from portal.models import (
    MONEY_FIELDS,
    PROFILE_FIELDS,
    Bank,
    DailyVisits,
    DashboardSnapshot,
    Enterprise,
    EnterpriseFigures,
    Notification,
    Role,
    User,
    VirtualPark,
)
from portal.service_error import ServiceError  # also imported from here by older callers
from portal.timeutil import utcnow
from portal.vocabulary.services import refresh as refresh_vocabulary

FIELD_LABELS = enterprise_schema.FIELD_LABELS
MAX_MONEY = conditions.MAX_MONEY
IMPORT_BATCH = 2000


# ---------------------------------------------------------------- accounts


class AccountLocked(ServiceError):
    """Too many wrong passwords: the account refuses logins until the lock ends or an admin lifts it."""


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def authenticate(
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    max_failures: int = 5,
    lock_minutes: int = 15,
) -> User | None:
    """The active user with these credentials, or None; counts failures per account and locks after too many."""
    now = _now(now)
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        # An unknown name costs one hash check like a known one, so timing does not tell which names exist.
        check_password_hash(_dummy_hash(_hash_method()), password)
        return None
    matches = user.check_password(password)
    if user.locked(now):
        raise AccountLocked(_locked_message(user, now))
    if not user.active:
        return None
    if not matches:
        # Counted in the database with one atomic UPDATE: exact across workers and hosts, Redis or not.
        failures = db.session.scalar(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins)
        )
        if failures is not None and failures >= max_failures:
            db.session.execute(
                update(User)
                .where(User.id == user.id)
                .values(failed_logins=0, locked_until=now + timedelta(minutes=lock_minutes))
            )
        db.session.flush()
        db.session.expire(user)
        return None
    user.failed_logins = 0
    user.locked_until = None
    if not user.session_token:
        user.end_sessions()  # accounts from before session tokens get one at their first login
    db.session.flush()
    return user


def _locked_message(user: User, now: datetime) -> str:
    until = user.locked_until if user.locked_until.tzinfo else user.locked_until.replace(tzinfo=UTC)
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return f"密码错误次数过多，账号已临时锁定，请 {minutes} 分钟后再试，或联系管理员解锁。"


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"


def unlock_user(user: User, *, actor: User) -> None:
    """An admin lifts a login lock and clears the failure count."""
    if actor.role != Role.ADMIN:
        raise ServiceError("只有管理员可以解锁账号。")
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()


def set_active(user: User, active: bool, *, actor: User) -> None:
    """An admin deactivates (ending every session of the account) or reactivates an account."""
    if actor.role != Role.ADMIN:
        raise ServiceError("只有管理员可以停用或启用账号。")
    if user.id == actor.id and not active:
        raise ServiceError("不能停用自己的账号。")
    user.active = active
    if not active:
        user.end_sessions()
    db.session.flush()


def check_password_rules(password: str, *, username: str, role: str) -> None:
    """Refuse a password that is too short, common or contains the username (ServiceError)."""
    problem = passwords.problem(password, username=username, role=role)
    if problem:
        raise ServiceError(problem)


def change_password(user: User, *, current: str, new: str) -> None:
    """The user changes their password; every other session of the account ends."""
    if not user.check_password(current):
        raise ServiceError("当前密码不正确。")
    check_password_rules(new, username=user.username, role=user.role)
    user.set_password(new)
    user.end_sessions()
    db.session.flush()


def require_confirmed(actor: Any) -> None:
    """Refuse an enterprise account that has not proven it speaks for its enterprise."""
    if actor is not None and actor.role == Role.ENTERPRISE and not actor.is_confirmed:
        raise ServiceError(UNCONFIRMED_MESSAGE)


UNCONFIRMED_MESSAGE = "账号尚未认证：请先用区企业服务中心寄发的激活码完成企业认证。"


def create_user(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    bank_id: int | None = None,
    actor: User | None = None,
) -> User:
    """Create an account: by an admin (`actor`), or with no actor from the command line or self-registration."""
    if actor is not None and actor.role != Role.ADMIN:
        raise ServiceError("只有管理员可以创建账号。")
    if role not in {r.value for r in Role}:
        raise ServiceError(f"未知角色：{role}")
    if role == Role.BANK and not (bank_id and db.session.get(Bank, bank_id)):
        raise ServiceError("金融机构账号须选择所属银行。")
    check_password_rules(password, username=username, role=role)
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ServiceError(f"用户名 {username} 已被使用。")
    user = User(username=username, display_name=display_name or username, role=role)
    user.bank_id = bank_id if role == Role.BANK else None
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


REGISTERED_MESSAGE = (
    "注册成功。账号待认证：区企业服务中心会向企业注册地址寄送激活码，收到后在“企业认证”页输入即可查看"
    "已核验数据、申报政策和发布融资需求。"
)


def register_enterprise(*, uscc: str, name: str, username: str, password: str) -> User:
    """Self-registration: an unconfirmed account that names its credit code; nothing is bound or revealed yet.

    Whether the code is imported, unknown or already has an account, the outcome and the message are the same:
    the account is bound to the enterprise only when it proves it speaks for it (portal.identity.confirm).
    """
    uscc = uscc.strip().upper()
    problem = reference.uscc_problem(uscc)
    if problem:
        raise ServiceError(problem)
    user = create_user(username=username, password=password, role=Role.ENTERPRISE, display_name=name.strip())
    user.claimed_uscc = uscc
    db.session.flush()
    return user


# ---------------------------------------------------------------- profiles


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return sorted(a or []) == sorted(b or [])
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a is None) == (b is None) and (a is None or Decimal(a) == Decimal(b))
    return a == b


def _stored(field: str, value: Any) -> Any:
    """A value as the record stores it: money as a two-place Decimal."""
    return Decimal(value).quantize(Decimal("0.01")) if field in MONEY_FIELDS and value is not None else value


def update_profile(enterprise: Enterprise, changes: dict[str, Any]) -> list[str]:
    """Apply self-declared changes; refuse (changing nothing) if any would overwrite a verified field."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ServiceError("不能修改的字段：" + "、".join(sorted(unknown)))
    locked = [
        f for f, v in changes.items() if enterprise.is_verified(f) and not _same(getattr(enterprise, f), v)
    ]
    if locked:
        names = "、".join(FIELD_LABELS[f] for f in locked)
        raise ServiceError(f"{names} 为已核验的政府数据，不能在此修改；如有错误请联系数据来源部门更正。")
    changed = []
    for f, v in changes.items():
        v = _stored(f, v)
        if not _same(getattr(enterprise, f), v):
            setattr(enterprise, f, v)
            changed.append(f)
    db.session.flush()
    return changed


FIGURE_YEARS_BACK = 10  # how many past years an enterprise may declare figures for


def figure_years(enterprise: Enterprise, on: date) -> list[int]:
    """The years an enterprise may declare figures for on a day: last year back to its founding (newest first)."""
    first = on.year - FIGURE_YEARS_BACK
    if enterprise.founded:
        first = max(first, enterprise.founded.year)
    return list(range(on.year - 1, first - 1, -1))


def declare_figures(enterprise: Enterprise, year: int, values: Mapping[str, Any], *, on: date) -> list[str]:
    """Self-declare one year's figures (None clears a declared one); refuse, changing nothing, to overwrite a
    verified figure. The latest year's figures are also the profile's single fields."""
    years = figure_years(enterprise, on)
    if year not in years:
        raise ServiceError(f"年度应为 {min(years, default=on.year - 1)}–{on.year - 1} 年之间的已结束年度。")
    unknown = set(values) - set(conditions.YEAR_FIELDS)
    if unknown:
        raise ServiceError("不能申报的字段：" + "、".join(sorted(unknown)))
    values = {f: _stored(f, v) for f, v in values.items()}
    row = next((f for f in enterprise.figures if f.year == year), None)
    verified = (row.verified or {}) if row else {}
    locked = [f for f, v in values.items() if f in verified and not _same(getattr(row, f), v)]
    if locked:
        names = "、".join(FIELD_LABELS[f].removeprefix("上年度") for f in locked)
        raise ServiceError(
            f"{year} 年的{names}为已核验的政府数据，不能在此修改；如有错误请联系数据来源部门更正。"
        )
    if row is None:
        if all(v is None for v in values.values()):
            raise ServiceError(f"请至少填写 {year} 年的一项经营数据。")
        row = EnterpriseFigures(year=year, verified={})
        enterprise.figures.append(row)
    changed = [f for f, v in values.items() if not _same(getattr(row, f), v)]
    for f in changed:
        setattr(row, f, values[f])
    if year == max(f.year for f in enterprise.figures):
        # The single fields are the latest year's (as the import writes them). A verified mark there came
        # from an earlier year (this year's figure is not verified, or it was refused above), so it goes.
        marks = dict(enterprise.verified or {})
        for f, v in values.items():
            if f not in verified:
                marks.pop(f, None)
                setattr(enterprise, f, v)
        enterprise.verified = marks
    if not row.values() and not row.verified:
        enterprise.figures.remove(row)  # nothing left in the year
    enterprise.updated_at = utcnow()  # the audience sees the change (it detects changes by updated_at)
    db.session.flush()
    return changed


# ---------------------------------------------------------------- the government data import


@dataclass
class ImportReport:
    """What an import did: counts, and every bad line with its reason."""

    inserted: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no line was refused."""
        return not self.errors


# what the import accepts is the pydantic model of one line (portal.enterprise_schema), built from the registry
ROW_PARSERS = enterprise_schema.FIELD_CHECKS
FIGURE_PARSERS = enterprise_schema.FIGURE_CHECKS
FORMAT_VERSIONS = enterprise_schema.FORMAT_VERSIONS
HOLDING_KEYS = enterprise_schema.HOLDING_KEYS


def parse_enterprise_row(raw: Any) -> tuple[str, dict[str, Any]]:
    """Validate one SCHEMA.md record → (uscc, field values); ValueError names every problem."""
    return enterprise_schema.parse_row(raw)


def import_enterprises(lines: Iterable[str | bytes], *, source: str, on: date) -> ImportReport:
    """Upsert enterprises from JSON Lines; imported fields become verified (source, date). Bad lines are skipped whole."""
    refresh_vocabulary(force=True)  # names and aliases as the admins keep them now
    report = ImportReport()
    rows: dict[str, tuple[int, dict[str, Any]]] = {}
    bad_lines: list[JsonlError] = []
    for line_no, raw in parse_lines(lines, bad_lines):
        try:
            uscc, values = parse_enterprise_row(raw)
        except ValueError as exc:
            report.errors.append((line_no, str(exc)))
            continue
        if uscc in rows:
            report.errors.append((line_no, f"统一社会信用代码 {uscc} 与第 {rows[uscc][0]} 行重复"))
            continue
        rows[uscc] = (line_no, values)
    report.errors += [(bad.line_no, bad.message) for bad in bad_lines]
    stamp = {"source": source, "date": on.isoformat()}
    codes = list(rows)
    for start in range(0, len(codes), IMPORT_BATCH):
        batch = codes[start : start + IMPORT_BATCH]
        existing = {
            code: (eid, verified)
            for eid, code, verified in db.session.execute(
                select(Enterprise.id, Enterprise.uscc, Enterprise.verified).where(Enterprise.uscc.in_(batch))
            )
        }
        inserts, updates = [], []
        figures_of: dict[str, dict[int, dict[str, Any]]] = {}
        stored_latest = dict(
            db.session.execute(
                select(EnterpriseFigures.enterprise_id, func.max(EnterpriseFigures.year))
                .where(EnterpriseFigures.enterprise_id.in_([eid for eid, _ in existing.values()]))
                .group_by(EnterpriseFigures.enterprise_id)
            ).all()
        )
        for code in batch:
            line_no, values = rows[code]
            if "figures" in values:
                values = dict(values)
                figures_of[code] = figures = values.pop("figures")
                latest = max(figures)
                # the single fields are the latest year's: filled from this row's latest year unless the
                # enterprise already has a later one (an import of an old year must not roll them back)
                if latest >= stored_latest.get(existing.get(code, (None,))[0], latest):
                    values = {**figures[latest], **values}
            marks = {f: stamp for f in values if f != "qualification_until"}  # dates go with qualifications
            if code in existing:
                eid, verified = existing[code]
                updates.append({"id": eid, **values, "verified": {**(verified or {}), **marks}})
            elif "name" not in values:
                report.errors.append((line_no, "新企业缺少 name（企业名称）"))
            else:
                inserts.append({"uscc": code, "qualifications": [], **values, "verified": marks})
        if inserts:
            db.session.execute(insert(Enterprise), inserts)
        if updates:
            db.session.execute(update(Enterprise), updates)
        if figures_of:
            _save_figures(figures_of, stamp)
        report.inserted += len(inserts)
        report.updated += len(updates)
    report.errors.sort()
    db.session.flush()
    return report


def _save_figures(figures_of: dict[str, dict[int, dict[str, Any]]], stamp: dict[str, str]) -> None:
    """Upsert the imported years (their figures verified by the import's source); other years stay."""
    found = db.session.execute(
        select(Enterprise.uscc, Enterprise.id).where(Enterprise.uscc.in_(list(figures_of)))
    )
    ids = {code: eid for code, eid in found}
    have = {
        (eid, year): (fid, verified)
        for fid, eid, year, verified in db.session.execute(
            select(
                EnterpriseFigures.id,
                EnterpriseFigures.enterprise_id,
                EnterpriseFigures.year,
                EnterpriseFigures.verified,
            ).where(EnterpriseFigures.enterprise_id.in_(ids.values()))
        )
    }
    inserts, updates = [], []
    for code, years in figures_of.items():
        eid = ids[code]
        for year, values in years.items():
            marks = {f: stamp for f in values}
            if (eid, year) in have:
                fid, verified = have[(eid, year)]
                updates.append({"id": fid, **values, "verified": {**(verified or {}), **marks}})
            else:
                inserts.append({"enterprise_id": eid, "year": year, **values, "verified": marks})
    if inserts:
        db.session.execute(insert(EnterpriseFigures), inserts)
    if updates:
        db.session.execute(update(EnterpriseFigures), updates)


# ---------------------------------------------------------------- virtual parks


def save_park(
    park: VirtualPark | None,
    *,
    name: str,
    description: str,
    industry_prefixes: list[str],
    qualifications: list[str],
    manager_id: int | None,
) -> VirtualPark:
    """Create or change a virtual park after checking its prefixes and qualifications."""
    bad = [p for p in industry_prefixes if reference.industry(p) is None]
    if bad:
        raise ServiceError("不是 GB/T 4754-2017 代码前缀：" + "、".join(bad))
    if not industry_prefixes and not qualifications:
        raise ServiceError("请至少设定行业代码前缀或资质之一。")
    if manager_id and db.session.scalar(select(User.role).where(User.id == manager_id)) != Role.OFFICIAL:
        raise ServiceError("管理人员须为政府工作人员账号。")
    if park is None:
        park = VirtualPark()
        db.session.add(park)
    park.name, park.description = name.strip(), description.strip()
    park.industry_prefixes, park.qualifications = industry_prefixes, qualifications
    park.manager_id = manager_id or None
    db.session.flush()
    return park


def official_choices() -> list[tuple[int, str]]:
    """(id, name) of every official, for a park's manager list."""
    return [
        (u.id, u.display_name or u.username)
        for u in db.session.scalars(select(User).where(User.role == Role.OFFICIAL).order_by(User.id))
    ]


def bank_choices() -> list[tuple[int, str]]:
    """(id, name) of every bank, for a bank account's bank."""
    return [tuple(row) for row in db.session.execute(select(Bank.id, Bank.name).order_by(Bank.id))]


def accounts() -> list[User]:
    """Every account, by role then username (the admins' list)."""
    return list(db.session.scalars(select(User).order_by(User.role, User.username)))


def count_visit(day: date) -> None:
    """Add one visit to the day's counter in its own short transaction (never blocks the request's work)."""
    with db.engine.begin() as conn:
        insert_or_add(conn, DailyVisits.__table__, {"day": day, "visits": 1}, keys=["day"], add="visits")


def park_member_clause(park: VirtualPark) -> ColumnElement[bool]:
    """VirtualPark.admits as SQL (prefixes: any; qualifications: any), so the database counts and pages members.

    Loading every enterprise to test it in Python took 90 s per view at 1M firms; this is one indexed scan.
    """
    clauses = []
    if park.industry_prefixes:
        clauses.append(or_(*(Enterprise.industry_code.startswith(p) for p in park.industry_prefixes)))
    if park.qualifications:
        clauses.append(_has_any_qualification(list(park.qualifications)))
    return and_(true(), *clauses)


def _has_any_qualification(names: list[str]) -> ColumnElement[bool]:
    # A JSON null or an empty list has no qualification: both dialects answer false for it, as admits does.
    if db.engine.dialect.name == "postgresql":
        return cast(Enterprise.qualifications, JSONB).op("?|")(cast(names, ARRAY(Text)))
    values = func.json_each(Enterprise.qualifications).table_valued("value")
    return exists(select(1).select_from(values).where(values.c.value.in_(names)))


def park_members(park: VirtualPark, limit: int | None = None) -> list[Enterprise]:
    """The park's members by name (the first `limit` of them when given), their year figures loaded with them."""
    query = (
        select(Enterprise)
        .where(park_member_clause(park))
        .order_by(Enterprise.name, Enterprise.id)
        .options(selectinload(Enterprise.figures))
    )
    return list(db.session.scalars(query.limit(limit)))


def size_classes(enterprises: Iterable[Enterprise], on: date) -> dict[int, str | None]:
    """Each enterprise's size class on a day from its record and year figures (no per-firm query: a member list
    of 500 asked Enterprise.profile, two queries a firm, for a figure the record already decides)."""
    return {e.id: e.profile(on, portal_records=False)["size_class"] for e in enterprises}


def park_member_count(park: VirtualPark) -> int:
    """How many enterprises the park admits, counted by the database."""
    return db.session.scalar(select(func.count(Enterprise.id)).where(park_member_clause(park))) or 0


def park_member_counts(parks: Sequence[VirtualPark]) -> list[int]:
    """Each park's member count in one scan of the enterprises (COUNT … FILTER per park), not one query a park."""
    if not parks:
        return []
    row = db.session.execute(
        select(*(func.count(Enterprise.id).filter(park_member_clause(park)) for park in parks))
    ).one()
    return [count or 0 for count in row]


def park_definition(park: VirtualPark) -> list:
    """What decides a park's members: a member count stored in a dashboard snapshot holds while this is unchanged."""
    return [sorted(park.industry_prefixes or []), sorted(park.qualifications or [])]


STALE_WITH_WORKER = 86400  # seconds: how old a snapshot pages show while a worker is meant to refresh it


def snapshot_max_age(config: Mapping[str, Any]) -> float:
    """How old a dashboard snapshot the pages may show: DASHBOARD_MAX_AGE, or a day when jobs run on RQ.

    With a worker (REDIS_URL set) the scheduled job refreshes the snapshot every 5 minutes and the pages show when
    it was computed, so no viewer waits for a district scan (38 s at 1M firms); without one (the embedded
    default, a small district) a stale snapshot is recomputed by the view that finds it."""
    return STALE_WITH_WORKER if config.get("REDIS_URL") else config["DASHBOARD_MAX_AGE"]


def latest_snapshot(now: datetime, max_age: float) -> DashboardSnapshot | None:
    """The newest dashboard snapshot when it was computed at most max_age seconds before now, else None."""
    latest = db.session.scalar(
        select(DashboardSnapshot).order_by(DashboardSnapshot.computed_at.desc()).limit(1)
    )
    if latest is None:
        return None
    computed = latest.computed_at if latest.computed_at.tzinfo else latest.computed_at.replace(tzinfo=UTC)
    return latest if computed <= now <= computed + timedelta(seconds=max_age) else None


def parks_with_member_counts(
    now: datetime | None = None, max_age: float = 0, park_id: int | None = None
) -> list[tuple[VirtualPark, int]]:
    """Every park (or just park_id) with its member count.

    Given `now`, a count from a dashboard snapshot younger than max_age seconds is reused while the park's
    definition is unchanged (the district scan costs nothing per view); a new or edited park, and every park
    without a fresh snapshot, is counted now, all of them in one scan (parks are few, enterprises many)."""
    query = select(VirtualPark).order_by(VirtualPark.id)
    if park_id is not None:
        query = query.where(VirtualPark.id == park_id)
    parks = db.session.scalars(query).all()
    snapshot = latest_snapshot(now, max_age) if now is not None else None
    # The snapshot's "parks" rows are written by portal.dashboard.services.refresh: {park_id, definition, members}.
    stored = {
        p["park_id"]: p for p in (snapshot.figures.get("parks", []) if snapshot else []) if "definition" in p
    }
    known = {
        park.id: stored[park.id]["members"]
        for park in parks
        if park.id in stored and stored[park.id]["definition"] == park_definition(park)
    }
    missing = [park for park in parks if park.id not in known]
    known |= dict(zip((p.id for p in missing), park_member_counts(missing), strict=True))
    return [(park, known[park.id]) for park in parks]


def counts() -> dict[str, int]:
    """Headline counts for the home pages."""
    return {
        "enterprises": db.session.scalar(select(func.count(Enterprise.id))) or 0,
        "parks": db.session.scalar(select(func.count(VirtualPark.id))) or 0,
        "users": db.session.scalar(select(func.count(User.id))) or 0,
    }


# ---------------------------------------------------------------- inbox


NOTIFICATION_KEYS = ("enterprise_id", "dedupe_key")


def notify_many(rows: list[dict[str, Any]]) -> None:
    """Put many keyed messages in inboxes in one statement, each at most once per (enterprise, dedupe_key)."""
    # The unique (enterprise_id, dedupe_key) decides: a run racing this one cannot send twice.
    insert_ignoring_duplicates(Notification.__table__, rows, keys=NOTIFICATION_KEYS)


def notify(
    enterprise_id: int,
    *,
    category: str,
    title: str,
    body: str = "",
    link: str = "",
    policy_id: int | None = None,
    dedupe_key: str | None = None,
    at: datetime | None = None,
) -> Notification | None:
    """Put a message in an enterprise's inbox; with a dedupe_key, at most once (returns None if already sent).

    `at` dates the message when the event it reports happened (a service told its `now`); default: the insert."""
    if dedupe_key:
        # The unique (enterprise_id, dedupe_key) decides: two racing pushes cannot both insert.
        values = {"category": category, "title": title, "body": body, "link": link, "policy_id": policy_id}
        keys = {"enterprise_id": enterprise_id, "dedupe_key": dedupe_key}
        new_id = insert_once(Notification.__table__, values | keys, keys=NOTIFICATION_KEYS)
        return db.session.get(Notification, new_id) if new_id is not None else None
    note = Notification(
        enterprise_id=enterprise_id,
        category=category,
        title=title,
        body=body,
        link=link,
        policy_id=policy_id,
        dedupe_key=dedupe_key,
    )
    if at is not None:
        note.created_at = at
    db.session.add(note)
    db.session.flush()
    return note
