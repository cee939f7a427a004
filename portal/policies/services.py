"""Services of the policies capability: catalog, revisions, import, search, recommendations, sandbox, precise push.

Services change state and flush, never commit; the caller (view, CLI command, background job, test) commits.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from os import PathLike
from typing import Any

from sqlalchemy import func, or_, select

from portal import conditions as cond
from portal import reference
from portal.extensions import db
from portal.jsonl import read_jsonl
from portal.models import Enterprise, Notification, User, VirtualPark
from portal.policies.models import (
    CONTENT_FIELDS,
    DeliveryJob,
    JobStatus,
    Policy,
    PolicyRevision,
    PolicyStatus,
)
from portal.services import ImportReport, ServiceError
from portal.timeutil import utcnow

REGIONS: tuple[str, ...] = ("宝安区", "深圳市", "广东省", *(d for d in reference.DISTRICTS if d != "宝安区"))
SUPPORT_KINDS = {"fixed": "定额奖励", "ratio": "按比例资助", "interest": "贷款贴息"}
DELIVERY_BATCH = 2000  # enterprises scanned (and notifications inserted) per flush
MAX_BUDGET = Decimal("100000000")


# ---------------------------------------------------------------- validation of content


def _text(raw: Mapping, key: str, limit: int, required: bool = False) -> str:
    value = raw.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{key} 应为文本")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{key} 不能为空")
    if len(value) > limit:
        raise ValueError(f"{key} 长度超过 {limit} 字")
    return value


def _day(value: Any, key: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} 应为 YYYY-MM-DD 日期") from None


def _budget(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("budget_wan 应为数字")
    try:
        amount = cond.to_decimal(value)
    except ValueError:
        raise ValueError("budget_wan 应为数字") from None
    if amount < 0 or amount > MAX_BUDGET:
        raise ValueError("budget_wan 应在 0 到 1 亿（万元）之间")
    return amount.quantize(Decimal("0.01"))


def normalize_targets(targets: Any) -> dict[str, list[str]]:
    """Validate targets {"industries": [prefix], "qualifications": [name]}; raise ValueError naming each problem."""
    if targets is None:
        return {"industries": [], "qualifications": []}
    if not isinstance(targets, Mapping):
        raise ValueError("targets 应为对象")
    problems = [f"targets 多余的键 {k}" for k in targets if k not in ("industries", "qualifications")]
    industries = targets.get("industries") or []
    quals = targets.get("qualifications") or []
    if not isinstance(industries, list) or not all(isinstance(i, str) for i in industries):
        problems.append("targets.industries 应为行业代码列表")
        industries = []
    if not isinstance(quals, list) or not all(isinstance(q, str) for q in quals):
        problems.append("targets.qualifications 应为资质列表")
        quals = []
    bad = [i for i in industries if i not in reference.industry_prefixes()]
    if bad:
        problems.append("targets.industries 不是 GB/T 4754-2017 代码或前缀：" + "、".join(bad))
    unknown = [q for q in quals if q not in reference.QUALIFICATIONS]
    if unknown:
        problems.append("targets.qualifications 未知资质：" + "、".join(unknown))
    if problems:
        raise ValueError("；".join(problems))
    return {"industries": list(dict.fromkeys(industries)), "qualifications": list(dict.fromkeys(quals))}


def normalize_content(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate policy content (CONTENT_FIELDS + budget_wan); raise ValueError listing every problem."""
    problems: list[str] = []
    out: dict[str, Any] = {}

    def take(key: str, parse: Callable[[], Any]) -> None:
        try:
            out[key] = parse()
        except ValueError as exc:
            problems.append(str(exc))

    take("title", lambda: _text(raw, "title", 200, required=True))
    take("issuer", lambda: _text(raw, "issuer", 100))
    take("doc_no", lambda: _text(raw, "doc_no", 100))
    take("text", lambda: _text(raw, "text", 20000))
    region = raw.get("region") or "宝安区"
    if region not in REGIONS:
        problems.append(f"region 未知的地区：{region}")
    out["region"] = region
    category = raw.get("category")
    if category not in reference.POLICY_CATEGORIES:
        problems.append(
            f"category 未知的类别：{category!r}（可选：{'、'.join(reference.POLICY_CATEGORIES)}）"
        )
    out["category"] = category
    take("published_on", lambda: _day(raw.get("published_on"), "published"))
    take("deadline", lambda: _day(raw.get("deadline"), "deadline"))
    if out.get("published_on") and out.get("deadline") and out["deadline"] < out["published_on"]:
        problems.append("deadline 不能早于发布日期")
    try:
        out["conditions"] = cond.normalize(raw.get("conditions") or {"all": []})
    except cond.ConditionError as exc:
        problems += [f"criteria {m}" for m in exc.messages]
    take("targets", lambda: normalize_targets(raw.get("targets")))
    support = raw.get("support")
    if support is not None:
        support_problems = cond.validate_support(support)
        problems += [f"support {m}" for m in support_problems]
        if not support_problems:
            support = {k: v for k, v in support.items() if v is not None}
    out["support"] = support
    instant = raw.get("instant", False)
    if not isinstance(instant, bool):
        problems.append("instant 应为 true 或 false")
    elif instant and (not support or support.get("kind") == "interest"):
        problems.append("instant 秒批事项须有可计算的支持金额（定额或按比例），贷款贴息不能秒批")
    out["instant"] = instant is True
    take("budget_wan", lambda: _budget(raw.get("budget_wan")))
    if problems:
        raise ValueError("；".join(problems))
    return out


# ---------------------------------------------------------------- search terms


_WORD = re.compile(r"\w")
_dict_lock = threading.Lock()
_dict_ready = False


def _jieba():
    """jieba with the portal's domain dictionary loaded once per process."""
    global _dict_ready
    import jieba

    if not _dict_ready:
        with _dict_lock:
            if not _dict_ready:
                jieba.setLogLevel(60)
                try:
                    from portal.policies.text_conditions import load_user_dict
                except ImportError:  # the domain dictionary only sharpens the cut
                    load_user_dict = None
                if load_user_dict is not None:
                    load_user_dict()
                _dict_ready = True
    return jieba


def index_terms(title: str, text: str) -> str:
    """The search terms of a policy: jieba search-mode tokens of title and text, ' tok1 tok2 … '."""
    tokens = {t.lower() for t in _jieba().cut_for_search(f"{title}\n{text}", HMM=False) if _WORD.search(t)}
    return " " + " ".join(sorted(tokens)) + " "


def query_tokens(query: str) -> list[str]:
    """The words of a search query (jieba precise mode); single characters only when nothing longer is left."""
    tokens = [t.lower() for t in _jieba().lcut(query.strip(), HMM=False) if _WORD.search(t)]
    longer = [t for t in tokens if len(t) > 1]
    return list(dict.fromkeys(longer or tokens))


def _set_content(policy: Policy, content: Mapping[str, Any]) -> None:
    for name in (*CONTENT_FIELDS, "budget_wan"):
        if name in content:
            setattr(policy, name, content[name])
    policy.search_terms = index_terms(policy.title, policy.text)


# ---------------------------------------------------------------- the process-wide recommender index


class _IndexCache:
    """The recommender's PolicyIndex of published policies, built lazily once per process.

    It is refreshed incrementally: publish/revise/expire in this process update it directly, and a cheap
    fingerprint query (count of published policies, latest change) catches changes made by other processes.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index = None
        self.key: tuple | None = None  # (database url, fingerprint)
        self.seen: Any = None  # latest updated_at folded into the index

    def reset(self) -> None:
        with self.lock:
            self.index, self.key, self.seen = None, None, None


_cache = _IndexCache()


def _index_record(policy: Policy) -> dict[str, Any]:
    """A published policy as the recommender reads it (SCHEMA.md names)."""
    return {
        "id": str(policy.id),
        "title": policy.title,
        "text": policy.text,
        "criteria": policy.conditions or {"all": []},
        "targets": policy.targets or {"industries": [], "qualifications": []},
        "support": policy.support,
        "deadline": policy.deadline,
        "category": policy.category,
    }


def _fingerprint() -> tuple:
    count, latest = db.session.execute(
        select(
            func.count(Policy.id).filter(Policy.status == PolicyStatus.PUBLISHED), func.max(Policy.updated_at)
        )
    ).one()
    return str(db.engine.url), count, latest


def policy_index():
    """The recommender index of published policies, current with the database."""
    from portal.policies.recommender import PolicyIndex

    key = _fingerprint()
    with _cache.lock:
        if _cache.index is not None and _cache.key == key:
            return _cache.index
        if _cache.index is not None and _cache.key[0] == key[0] and _cache.seen is not None:
            for policy in db.session.scalars(select(Policy).where(Policy.updated_at > _cache.seen)):
                _fold(_cache.index, policy)
            if len(_cache.index) == key[1]:
                _cache.key, _cache.seen = key, key[2]
                return _cache.index
        published = db.session.scalars(select(Policy).where(Policy.status == PolicyStatus.PUBLISHED))
        _cache.index = PolicyIndex([_index_record(p) for p in published])
        _cache.key, _cache.seen = key, key[2]
        return _cache.index


def _fold(index, policy: Policy) -> None:
    if policy.status == PolicyStatus.PUBLISHED:
        index.add_or_replace(_index_record(policy))
    else:
        index.remove(str(policy.id))


def _index_changed(policy: Policy) -> None:
    """Apply one policy's change to the built index (if any) without a rebuild."""
    with _cache.lock:
        if _cache.index is not None:
            _fold(_cache.index, policy)


def reset_index() -> None:
    """Forget the built index (tests, or after a bulk import in another process)."""
    _cache.reset()


# ---------------------------------------------------------------- catalog: create, revise, publish, expire


def _revise(policy: Policy, actor: User | None) -> PolicyRevision:
    policy.revision_no = (policy.revision_no or 0) + 1
    revision = PolicyRevision(
        number=policy.revision_no, content=policy.content(), created_by_id=actor and actor.id
    )
    policy.revisions.append(revision)
    return revision


def save_policy(policy: Policy | None, raw: Mapping[str, Any], *, actor: User) -> tuple[Policy, bool]:
    """Create a draft or change a policy; a published policy whose content changes gets a new revision.

    Returns (policy, revised). Raises ServiceError with every problem of the content.
    """
    if not (policy or Policy()).can_edit(actor):
        raise ServiceError("只有政府工作人员和管理员可以编辑政策。")
    try:
        content = normalize_content(raw)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None
    code = (raw.get("code") or "").strip() or None
    if code and db.session.scalar(
        select(Policy.id).where(Policy.code == code, Policy.id != (policy and policy.id))
    ):
        raise ServiceError(f"政策编号 {code} 已被使用。")
    if policy is None:
        policy = Policy(status=PolicyStatus.DRAFT, created_by_id=actor.id, revision_no=0, code=code)
        db.session.add(policy)
    elif code:
        policy.code = code
    before = policy.content() if policy.id else None
    _set_content(policy, content)
    revised = False
    if policy.status != PolicyStatus.DRAFT and policy.content() != before:
        _revise(policy, actor)
        revised = True
    policy.updated_at = utcnow()
    db.session.flush()
    if revised:
        _index_changed(policy)
    return policy, revised


def publish(policy: Policy, *, actor: User, on: date) -> DeliveryJob:
    """Publish a draft (revision 1) or an expired policy; queue the precise push (a re-publish pushes no duplicates)."""
    if not policy.can_edit(actor):
        raise ServiceError("只有政府工作人员和管理员可以发布政策。")
    if policy.deadline and policy.deadline < on:
        raise ServiceError("申报截止日期已过，不能发布；请先修改截止日期。")
    if policy.status != PolicyStatus.PUBLISHED:
        policy.status = PolicyStatus.PUBLISHED
        policy.published_at = utcnow()
        policy.published_on = policy.published_on or on
        if policy.revision_no == 0:
            _revise(policy, actor)
        policy.updated_at = utcnow()
    job = DeliveryJob(policy=policy, status=JobStatus.QUEUED, created_by_id=actor.id)
    db.session.add(job)
    db.session.flush()
    _index_changed(policy)
    return job


def queue_delivery(policy: Policy, *, actor: User | None) -> DeliveryJob:
    """Queue another push run of a published policy (after a revision: new qualifiers only)."""
    job = DeliveryJob(policy=policy, status=JobStatus.QUEUED, created_by_id=actor and actor.id)
    db.session.add(job)
    db.session.flush()
    return job


def expire(policy: Policy, *, actor: User) -> None:
    """Take a policy off the open catalog (已过期); its revisions, pushes and decisions stay."""
    if not policy.can_edit(actor):
        raise ServiceError("只有政府工作人员和管理员可以下架政策。")
    if policy.status != PolicyStatus.PUBLISHED:
        raise ServiceError("只有已发布的政策可以下架。")
    policy.status = PolicyStatus.EXPIRED
    policy.updated_at = utcnow()
    db.session.flush()
    _index_changed(policy)


# ---------------------------------------------------------------- import


def parse_policy_row(raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Validate one SCHEMA.md policy → (code, content for save_policy); ValueError names every problem."""
    allowed = {
        "id", "title", "issuer", "doc_no", "region", "published", "deadline", "category",
        "text", "criteria", "targets", "support", "instant", "budget_wan",
    }  # fmt: skip
    problems = []
    unknown = sorted(set(raw) - allowed)
    if unknown:
        problems.append("未知字段：" + "、".join(unknown))
    code = raw.get("id")
    if not isinstance(code, str) or not code.strip() or len(code) > 40:
        problems.append("id 应为 1–40 字的政策编号")
    if "criteria" not in raw:
        problems.append("缺少 criteria")
    content = {k: v for k, v in raw.items() if k not in ("id", "published", "criteria")}
    content |= {"published_on": raw.get("published"), "conditions": raw.get("criteria")}
    try:
        content = normalize_content(content)
    except ValueError as exc:
        problems.append(str(exc))
    if problems:
        raise ValueError("；".join(problems))
    return code.strip(), content


def import_policies(path: str | PathLike, *, actor: User | None, on: date) -> ImportReport:
    """Load SCHEMA.md policies from JSON Lines, published with revision 1; any bad line and nothing is written.

    A policy whose id is already in the catalog is revised when its content differs, else left alone.
    """
    report = ImportReport()
    bad: list = []
    rows: dict[str, tuple[int, dict[str, Any]]] = {}
    for line_no, raw in read_jsonl(path, errors=bad):
        try:
            code, content = parse_policy_row(raw)
        except ValueError as exc:
            report.errors.append((line_no, str(exc)))
            continue
        if code in rows:
            report.errors.append((line_no, f"政策编号 {code} 与第 {rows[code][0]} 行重复"))
            continue
        rows[code] = (line_no, content)
    report.errors += [(e.line_no, e.message) for e in bad]
    report.errors.sort()
    if report.errors:
        return report
    existing = {p.code: p for p in db.session.scalars(select(Policy).where(Policy.code.in_(list(rows))))}
    for code, (_, content) in rows.items():
        policy = existing.get(code)
        if policy is None:
            policy = Policy(
                code=code, status=PolicyStatus.PUBLISHED, revision_no=0, created_by_id=actor and actor.id
            )
            _set_content(policy, content)
            policy.published_on = policy.published_on or on
            policy.published_at = utcnow()
            db.session.add(policy)
            _revise(policy, actor)
            report.inserted += 1
            continue
        before = policy.content()
        _set_content(policy, content)
        if policy.content() != before or policy.status != PolicyStatus.PUBLISHED:
            policy.status = PolicyStatus.PUBLISHED
            policy.updated_at = utcnow()
            _revise(policy, actor)
            report.updated += 1
    db.session.flush()
    reset_index()  # many policies at once: the next reader rebuilds
    return report


# ---------------------------------------------------------------- catalog search


@dataclass
class CatalogPage:
    """One page of catalog results."""

    items: list[Policy]
    total: int
    page: int
    per_page: int
    words: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of pages."""
        return max(1, -(-self.total // self.per_page))


def search_policies(
    user: User,
    *,
    on: date,
    query: str = "",
    category: str = "",
    region: str = "",
    status: str = "",
    open_state: str = "",
    page: int = 1,
    per_page: int = 20,
) -> CatalogPage:
    """The catalog as the user may see it, filtered; every query word must be a token of the policy or in its title."""
    stmt = select(Policy)
    if Policy().can_edit(user):
        if status:
            stmt = stmt.where(Policy.status == status)
    else:
        stmt = stmt.where(
            Policy.status == (status if status == PolicyStatus.EXPIRED else PolicyStatus.PUBLISHED)
        )
    if category:
        stmt = stmt.where(Policy.category == category)
    if region:
        stmt = stmt.where(Policy.region == region)
    if open_state == "open":
        stmt = stmt.where(
            Policy.status == PolicyStatus.PUBLISHED, or_(Policy.deadline.is_(None), Policy.deadline >= on)
        )
    elif open_state == "closed":
        stmt = stmt.where(or_(Policy.deadline < on, Policy.status == PolicyStatus.EXPIRED))
    words = query_tokens(query) if query.strip() else []
    for word in words:
        stmt = stmt.where(
            or_(
                Policy.search_terms.contains(f" {word} ", autoescape=True),
                Policy.title.contains(word, autoescape=True),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    items = db.session.scalars(
        stmt.order_by(Policy.published_on.desc().nulls_last(), Policy.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return CatalogPage(list(items), total, page, per_page, words)


# ---------------------------------------------------------------- recommendations


@dataclass
class Card:
    """A policy as shown to one enterprise: every condition's result, the estimated amount, what is missing."""

    policy: Policy
    results: list[cond.Result]
    amount: Decimal | None = None
    targeted: bool = False
    missing: list[cond.Result] = field(default_factory=list)


@dataclass
class Recommendations:
    """The enterprise's page: eligible (targeted first), almost eligible, and those that need more data."""

    eligible: list[Card]
    almost: list[Card]
    unknown: list[Card]


def recommend_for(enterprise: Enterprise, *, on: date, top: int = 20) -> Recommendations:
    """Rank the open published policies for an enterprise on a day, with an explanation per condition."""
    from portal.policies import recommender

    profile = enterprise.profile(on)
    found = recommender.recommend(policy_index(), profile, top, almost_top=10, open_on=on)
    ids = [int(i.policy_id) for i in found.ranked] + [int(a.policy_id) for a in found.almost]
    policies = {p.id: p for p in db.session.scalars(select(Policy).where(Policy.id.in_(ids)))} if ids else {}
    eligible = [
        Card(p, cond.evaluate(p.conditions, profile), item.amount, item.grade == 2)
        for item in found.ranked
        if (p := policies.get(int(item.policy_id)))
    ]
    almost = []
    for item in found.almost:
        p = policies.get(int(item.policy_id))
        if p:
            results = cond.evaluate(p.conditions, profile)
            almost.append(
                Card(p, results, None, item.grade == 2, [r for r in results if r.status == cond.FAIL])
            )
    return Recommendations(eligible, almost, _needs_data(profile, on))


def _needs_data(profile: Mapping[str, Any], on: date, limit: int = 10) -> list[Card]:
    """Open policies no condition fails but some cannot be decided: the profile lacks the data."""
    # The recommender leaves these out (unknown is not eligible); the enterprise should learn what to fill in.
    stmt = select(Policy).where(
        Policy.status == PolicyStatus.PUBLISHED, or_(Policy.deadline.is_(None), Policy.deadline >= on)
    )
    cards = []
    for policy in db.session.scalars(stmt.order_by(Policy.id)):
        if cond.matcher(policy.conditions)(profile) != cond.UNKNOWN:
            continue
        results = cond.evaluate(policy.conditions, profile)
        cards.append(Card(policy, results, missing=[r for r in results if r.status == cond.UNKNOWN]))
        if len(cards) >= limit:
            break
    return cards


def explain(policy: Policy, enterprise: Enterprise, *, on: date) -> Card:
    """One policy's conditions on an enterprise's profile, with the amount when eligible."""
    profile = enterprise.profile(on)
    results = cond.evaluate(policy.conditions, profile)
    ok = cond.verdict(results) == cond.PASS
    amount = cond.support_amount(policy.support, profile) if ok and policy.support else None
    return Card(policy, results, amount, missing=[r for r in results if r.status != cond.PASS])


def propose(text: str, title: str = ""):
    """What the text reader proposes for a policy text (conditions with evidence, targets, support, 秒批)."""
    from portal.policies.text_conditions import read_policy

    return read_policy(text, title=title)


# ---------------------------------------------------------------- audience: sandbox and delivery


_AUDIENCE_COLUMNS = (
    Enterprise.id,
    Enterprise.registered_district,
    Enterprise.street,
    Enterprise.industry_code,
    Enterprise.founded,
    Enterprise.employees,
    Enterprise.revenue_wan,
    Enterprise.assets_wan,
    Enterprise.rd_expense_wan,
    Enterprise.tax_paid_wan,
    Enterprise.qualifications,
    Enterprise.credit_ok,
    Enterprise.muted_categories,
)


def _narrowing(conditions: Mapping) -> list:
    """SQL filters implied by the text-valued conditions, so a scan reads only candidate rows.

    Only exact text comparisons are pushed down (district, street, industry, credit); numbers and derived
    fields stay with conditions.matcher, which decides every row. A NULL column is "unknown", never eligible,
    so filtering it out changes nothing.
    """
    columns = {
        "registered_district": Enterprise.registered_district,
        "street": Enterprise.street,
        "industry_code": Enterprise.industry_code,
    }
    filters = []
    for row in conditions.get("all", []):
        column, op, value = columns.get(row["field"]), row["op"], row["value"]
        if row["field"] == "credit_ok" and op == "eq":
            filters.append(Enterprise.credit_ok.is_(bool(value)))
        elif column is None:
            continue
        elif op == "eq":
            filters.append(column == value)
        elif op == "in":
            filters.append(column.in_(list(value)))
        elif op == "prefix_in":
            filters.append(or_(*(column.startswith(prefix, autoescape=True) for prefix in value)))
    return filters


def _candidates(conditions: Mapping) -> int:
    """How many enterprises a scan will read (the progress bar's length)."""
    return db.session.scalar(select(func.count(Enterprise.id)).where(*_narrowing(conditions))) or 0


def _scan(conditions: Mapping, on: date, chunk: int) -> Iterator[tuple[int, list[tuple[Any, dict]]]]:
    """Walk every enterprise in id order, chunk by chunk: yield (rows scanned, [(row, profile) that qualify])."""
    # Keyset pagination keeps each query cheap and survives commits between chunks (the job commits progress).
    match = cond.matcher(conditions)
    narrow = _narrowing(conditions)
    last = 0
    while True:
        rows = db.session.execute(
            select(*_AUDIENCE_COLUMNS)
            .where(Enterprise.id > last, *narrow)
            .order_by(Enterprise.id)
            .limit(chunk)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        hits = []
        for row in rows:
            profile = cond.derive(row._asdict(), on)
            if match(profile) == cond.PASS:
                hits.append((row, profile))
        yield len(rows), hits


@dataclass
class Sandbox:
    """Who a policy would reach on a day, and what it would cost."""

    total: int = 0  # qualifying enterprises
    scanned: int = 0  # candidates read (rows the text-valued conditions already exclude are not read)
    muted: int = 0  # of them, opted out of the category (not pushed, may still apply)
    by_street: Counter = field(default_factory=Counter)
    by_size: Counter = field(default_factory=Counter)
    by_park: Counter = field(default_factory=Counter)
    cost_wan: Decimal = Decimal("0.00")  # sum of computable amounts
    uncomputed: int = 0  # qualifying enterprises whose amount cannot be computed (interest, missing base)
    budget_wan: Decimal | None = None

    @property
    def over_budget(self) -> bool:
        """True when the computable amounts already exceed the budget."""
        return self.budget_wan is not None and self.cost_wan > self.budget_wan

    @property
    def budget_share(self) -> float | None:
        """Cost as a share of the budget."""
        return float(self.cost_wan / self.budget_wan) if self.budget_wan else None


def sandbox(policy: Policy, *, on: date, chunk: int = DELIVERY_BATCH) -> Sandbox:
    """Reach of a (draft) policy: qualifying enterprises by street, size class and virtual park; budget it takes."""
    parks = db.session.scalars(select(VirtualPark).order_by(VirtualPark.name)).all()
    report = Sandbox(budget_wan=policy.budget_wan)
    for scanned, hits in _scan(policy.conditions or {"all": []}, on, chunk):
        report.scanned += scanned
        for row, profile in hits:
            report.total += 1
            report.muted += policy.category in (row.muted_categories or ())
            report.by_street[f"{row.registered_district or '未填区'} {row.street or '未填街道'}"] += 1
            report.by_size[profile["size_class"] or "无法划型"] += 1
            for park in parks:
                if park.admits(row.industry_code, row.qualifications):
                    report.by_park[park.name] += 1
            amount = cond.support_amount(policy.support, profile) if policy.support else None
            if amount is None:
                report.uncomputed += 1
            else:
                report.cost_wan += amount
    return report


def dedupe_key(policy: Policy) -> str:
    """The key that makes a policy's push reach each enterprise once, whatever its revisions."""
    return f"policy:{policy.id}"


def _insert_ignoring_duplicates(rows: list[dict[str, Any]]) -> None:
    """Insert notifications in one statement; rows already present (enterprise_id, dedupe_key) are skipped."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # another database: the portable path, one existence check per row
        from portal.services import notify

        for row in rows:
            notify(row.pop("enterprise_id"), **row)
        return
    stmt = insert(Notification.__table__).on_conflict_do_nothing(
        index_elements=["enterprise_id", "dedupe_key"]
    )
    db.session.execute(stmt, rows)


def _message(policy: Policy, amount: Decimal | None) -> str:
    parts = [f"根据贵企业画像，贵企业符合《{policy.title}》的申报条件。"]
    if amount is not None:
        parts.append(f"预计可获支持 {amount:,.2f} 万元。")
    if policy.instant:
        parts.append("本事项为秒批事项，可一键申请。")
    if policy.deadline:
        parts.append(f"申报截止日期：{policy.deadline.isoformat()}。")
    return "".join(parts)


def deliver(
    policy: Policy,
    *,
    on: date,
    job: DeliveryJob | None = None,
    chunk: int = DELIVERY_BATCH,
    after_chunk: Callable[[DeliveryJob, int], None] | None = None,
) -> DeliveryJob:
    """Push a published open policy to every qualifying enterprise that has not muted its category, once each.

    Safe to re-run: the dedupe key skips enterprises already pushed. Flushes after each chunk and calls
    after_chunk(job, scanned) so the owner of the unit of work may commit progress.
    """
    if not policy.is_open(on):
        raise ServiceError("只有已发布且未过申报截止日期的政策可以推送。")
    if job is None:
        job = queue_delivery(policy, actor=None)
    key = dedupe_key(policy)
    counted = select(func.count(Notification.id)).where(Notification.dedupe_key == key)
    before = db.session.scalar(counted) or 0
    job.status, job.started_at, job.error = JobStatus.RUNNING, utcnow(), ""
    job.total = _candidates(policy.conditions or {"all": []})
    job.done = job.matched = job.muted = 0
    link = f"/policies/{policy.id}"
    for scanned, hits in _scan(policy.conditions or {"all": []}, on, chunk):
        rows = []
        for row, profile in hits:
            job.matched += 1
            if policy.category in (row.muted_categories or ()):
                job.muted += 1
                continue
            amount = cond.support_amount(policy.support, profile) if policy.support else None
            rows.append(
                {
                    "enterprise_id": row.id,
                    "category": policy.category,
                    "title": f"政策直达：{policy.title}"[:200],
                    "body": _message(policy, amount),
                    "link": link,
                    "policy_id": policy.id,
                    "dedupe_key": key,
                }
            )
        _insert_ignoring_duplicates(rows)
        job.done += scanned
        db.session.flush()
        if after_chunk:
            after_chunk(job, scanned)
    job.pushed = (db.session.scalar(counted) or 0) - before
    job.status, job.finished_at = JobStatus.DONE, utcnow()
    db.session.flush()
    return job


def latest_job(policy: Policy) -> DeliveryJob | None:
    """The most recent delivery run of a policy."""
    return db.session.scalar(
        select(DeliveryJob).where(DeliveryJob.policy_id == policy.id).order_by(DeliveryJob.id.desc()).limit(1)
    )


# ---------------------------------------------------------------- funnel


def funnel(policy: Policy) -> dict[str, int | None]:
    """pushed → read → applied → approved for one policy (applied/approved None until approvals exist)."""
    key = dedupe_key(policy)
    pushed, read = db.session.execute(
        select(func.count(Notification.id), func.count(Notification.read_at)).where(
            Notification.dedupe_key == key
        )
    ).one()
    applied, approved = _application_counts(policy)
    return {"pushed": pushed, "read": read, "applied": applied, "approved": approved}


APPROVED_STATUSES = ("approved", "paid")  # paid money was approved first


def _application_counts(policy: Policy) -> tuple[int | None, int | None]:
    """Seam to approvals: (applications, approved applications) of the policy, or (None, None) without them."""
    try:
        from portal.approvals.models import Application
    except ImportError:
        return None, None
    if not hasattr(Application, "policy_id") or not hasattr(Application, "status"):
        return None, None
    applied, approved = db.session.execute(
        select(
            func.count(Application.id),
            func.count(Application.id).filter(Application.status.in_(APPROVED_STATUSES)),
        ).where(Application.policy_id == policy.id)
    ).one()
    return applied, approved


# ---------------------------------------------------------------- inbox and opt-out


def unread_count(enterprise_id: int | None) -> int:
    """Unread messages in an enterprise's inbox."""
    if not enterprise_id:
        return 0
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.enterprise_id == enterprise_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def inbox(enterprise_id: int, *, page: int = 1, per_page: int = 30) -> tuple[list[Notification], int]:
    """An enterprise's messages, newest first, with the total count."""
    where = Notification.enterprise_id == enterprise_id
    total = db.session.scalar(select(func.count(Notification.id)).where(where)) or 0
    notes = db.session.scalars(
        select(Notification)
        .where(where)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return list(notes), total


def open_notification(note: Notification, *, actor: User) -> Notification:
    """The read receipt: the first time the enterprise's own user opens a message, read_at is set."""
    if not note.can_view(actor):
        raise ServiceError("无权查看该消息。")
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()
    return note


def mark_all_read(enterprise_id: int, *, actor: User) -> int:
    """Mark every unread message of the actor's enterprise read; return how many."""
    if actor.enterprise_id != enterprise_id:
        raise ServiceError("无权操作该收件箱。")
    from sqlalchemy import update

    result = db.session.execute(
        update(Notification)
        .where(Notification.enterprise_id == enterprise_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.flush()
    return result.rowcount or 0


def set_muted_categories(enterprise: Enterprise, categories: list[str], *, actor: User) -> list[str]:
    """Choose the policy categories the enterprise does not want pushed (messages already sent stay)."""
    if not enterprise.can_view(actor) or actor.enterprise_id != enterprise.id:
        raise ServiceError("只能设置本企业的推送偏好。")
    unknown = [c for c in categories if c not in reference.POLICY_CATEGORIES]
    if unknown:
        raise ServiceError("未知的政策类别：" + "、".join(unknown))
    enterprise.muted_categories = [c for c in reference.POLICY_CATEGORIES if c in categories]
    db.session.flush()
    return enterprise.muted_categories


# ---------------------------------------------------------------- wording


_OP_WORDS = {
    "eq": "为",
    "ne": "不为",
    "in": "属于",
    "not_in": "不属于",
    "gte": "不低于",
    "gt": "超过",
    "lte": "不超过",
    "lt": "低于",
    "prefix_in": "属于",
    "contains_any": "持有以下任一项：",
    "contains_all": "同时持有：",
    "not_contains_any": "不持有以下任何一项：",
}


def _value_words(spec: cond.FieldSpec, value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(_value_words(spec, v) for v in value)
    if spec.kind == "bool":
        return reference.CREDIT[bool(value)]
    if spec.kind == "ratio":
        return f"{(Decimal(str(value)) * 100).normalize():f}%"
    if spec.kind in ("number", "years"):
        return f"{Decimal(str(value)).normalize():,f} {spec.unit}"
    if spec.kind == "industry":
        node = reference.industry(value)
        return f"{value} {node.name}" if node else str(value)
    return str(value)


def condition_sentence(row: Mapping[str, Any]) -> str:
    """One condition as a sentence without an enterprise, e.g. "上年度营业收入 不低于 2,000 万元"."""
    spec = cond.FIELDS.get(row.get("field"))
    if spec is None:
        return str(dict(row))
    if spec.kind == "bool":
        wanted = bool(row["value"]) == (row["op"] == "eq")
        return f"{spec.label}：{reference.CREDIT[wanted]}"
    return f"{spec.label} {_OP_WORDS.get(row['op'], row['op'])} {_value_words(spec, row['value'])}"
