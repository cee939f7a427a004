"""Services of the policies capability: catalog, revisions, import, search, recommendations, sandbox, precise push.

Services change state and flush, never commit; the caller (view, CLI command, background job, test) commits.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
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
    """Forget the built index and the enterprise table (tests, or after a bulk import in another process)."""
    _cache.reset()
    reset_population()


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


_LOAD_BATCH = 20000  # rows per fetch of the streamed load (a server-side cursor on PostgreSQL)
_TEXT_FIELDS = ("registered_district", "street", "industry_code")
_PUSHED_DOWN = {  # conditions the old row scan pushed into SQL: the "candidates" a report counts
    "registered_district": ("eq", "in"),
    "street": ("eq", "in"),
    "industry_code": ("eq", "in", "prefix_in"),
    "credit_ok": ("eq",),
}


@dataclass
class _Population:
    """The enterprises of the database as one recommender table, plus what the sandbox and the push read."""

    key: tuple  # (database url, count, latest updated_at, largest id)
    on: date  # the day years_since_founded was derived for
    table: Any  # recommender.EnterpriseTable, rows in enterprise id order
    ids: Any  # int64 enterprise ids, ascending
    founded: Any  # datetime64[D], NaT where unknown (re-deriving the years on another day)
    muted: Any  # uint64, bit i = muted muted_vocab[i]
    muted_vocab: list[str]


class _PopulationCache:
    """One process-wide population table, built on first use (never at startup) and kept current."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.population: _Population | None = None

    def reset(self) -> None:
        with self.lock:
            self.population = None


_population_cache = _PopulationCache()


def _vocab_mask(text: str | None, vocab: list[str], where: dict[str, int], memo: dict) -> int | None:
    """A JSON list of names (its text) as a bit mask over vocab, extended on the fly; null is None (unknown).

    Parsed once per distinct text: a million rows hold a few hundred distinct lists.
    """
    hit = memo.get(text, memo)
    if hit is memo:
        values = None if text is None else json.loads(text)
        hit = None if values is None else 0
        for name in values or ():
            if name not in where:
                where[name] = len(vocab)
                vocab.append(name)
            hit |= 1 << where[name]
        if len(vocab) > 64:
            raise ServiceError("资质或退订类别超过 64 种，无法按位存储。")
        memo[text] = hit
    return hit


def _cents(values: list, exact_cents: bool) -> tuple[Any, Any]:
    """Money as (int64 cents, known); Numeric(14, 2) values are whole cents, never floats."""
    import numpy as np

    known = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    if exact_cents:  # the database already multiplied by 100 and cast to bigint
        return np.fromiter((v or 0 for v in values), dtype=np.int64, count=len(values)), known
    out = np.zeros(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if v is not None:
            c = cond.to_decimal(v) * 100
            if c != c.to_integral_value():
                raise ServiceError(f"金额 {v} 不是整分，无法精确计算。")
            out[i] = int(c)
    return out, known


def _load(on: date, where: list, qual_vocab: list[str], muted_vocab: list[str]):
    """Stream enterprises (one Core SELECT of plain columns, id order) into a recommender table.

    Returns (table, ids, founded, muted bits, muted_vocab); the vocabularies passed in are only extended,
    so bits of an earlier load stay valid.
    """
    import numpy as np
    from sqlalchemy import BigInteger, Text, cast

    from portal.policies.recommender import EnterpriseTable

    on_postgres = db.session.get_bind().dialect.name == "postgresql"
    money = [
        getattr(Enterprise, name) for name in ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan")
    ]
    if (
        on_postgres
    ):  # numeric(14, 2) * 100 is a whole number: PostgreSQL sends exact integers, no Decimal parsing
        money = [cast(m * 100, BigInteger) for m in money]
    stmt = (
        select(
            Enterprise.id,
            Enterprise.registered_district,
            Enterprise.street,
            Enterprise.industry_code,
            Enterprise.founded,
            Enterprise.employees,
            *money,
            cast(Enterprise.qualifications, Text),  # JSON as text: parsed once per distinct list
            Enterprise.credit_ok,
            cast(Enterprise.muted_categories, Text),
        )
        .where(*where)
        .order_by(Enterprise.id)
        .execution_options(yield_per=_LOAD_BATCH)
    )
    parts: list[list] = [[] for _ in range(13)]
    for rows in db.session.connection().execute(stmt).partitions():  # Core rows, no ORM processing
        for k, column in enumerate(zip(*rows, strict=True)):
            parts[k].extend(column)
    (ids, district, street, industry, founded, employees, revenue, assets, rd, tax, quals, credit, muted) = (
        parts
    )
    n = len(ids)
    known: dict[str, Any] = {}
    columns: dict[str, Any] = {}
    for name, values in zip(_TEXT_FIELDS, (district, street, industry), strict=True):
        known[name] = np.fromiter((v is not None for v in values), dtype=bool, count=n)
        columns[name] = np.array(["" if v is None else v for v in values], dtype=str if n else "U1")
    founded_days = np.array(founded, dtype="datetime64[D]") if n else np.zeros(0, dtype="datetime64[D]")
    known["founded"] = ~np.isnat(founded_days)
    columns["founded"] = founded_days
    known["employees"] = np.fromiter((v is not None for v in employees), dtype=bool, count=n)
    columns["employees"] = np.fromiter((v or 0 for v in employees), dtype=np.int64, count=n)
    for name, values in zip(
        ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan"),
        (revenue, assets, rd, tax),
        strict=True,
    ):
        cents, known[name] = _cents(values, on_postgres)
        columns[name] = (cents, 100)
    qual_vocab, where_q, memo_q = list(qual_vocab), {q: i for i, q in enumerate(qual_vocab)}, {}
    masks = [_vocab_mask(v, qual_vocab, where_q, memo_q) for v in quals]
    known["qualifications"] = np.fromiter((m is not None for m in masks), dtype=bool, count=n)
    columns["qualifications"] = np.fromiter((m or 0 for m in masks), dtype=np.uint64, count=n)
    known["credit_ok"] = np.fromiter((v is not None for v in credit), dtype=bool, count=n)
    columns["credit_ok"] = np.fromiter((bool(v) for v in credit), dtype=bool, count=n)
    muted_vocab, where_m, memo_m = list(muted_vocab), {c: i for i, c in enumerate(muted_vocab)}, {}
    muted_bits = np.fromiter(
        (_vocab_mask(v, muted_vocab, where_m, memo_m) or 0 for v in muted), dtype=np.uint64, count=n
    )
    table = EnterpriseTable.from_columns(
        [str(i) for i in ids], columns, on, known=known, qual_vocab=qual_vocab
    )
    return table, np.array(ids, dtype=np.int64), founded_days, muted_bits, muted_vocab


def _fresh_population(key: tuple, on: date) -> _Population:
    table, ids, founded, muted, muted_vocab = _load(
        on, [], list(reference.QUALIFICATIONS), list(reference.POLICY_CATEGORIES)
    )
    return _Population(key, on, table, ids, founded, muted, muted_vocab)


def _refreshed(pop: _Population, key: tuple, on: date) -> _Population | None:
    """The population with the rows changed since it was built patched in; None when a rebuild is needed."""
    import numpy as np

    latest = pop.key[2]
    changed = [Enterprise.id > int(pop.ids[-1])] if len(pop.ids) else [Enterprise.id > 0]
    if latest is not None:
        changed = [or_(Enterprise.updated_at >= latest, *changed)]
    table, ids, founded, muted, muted_vocab = _load(on, changed, list(pop.table.qual_vocab), pop.muted_vocab)
    at = np.searchsorted(pop.ids, ids)
    present = at < len(pop.ids)
    present[present] = pop.ids[at[present]] == ids[present]
    fresh = ~present
    if len(pop.ids) and fresh.any() and ids[fresh].min() <= pop.ids[-1]:
        return None  # a new row inside the id range: rebuild rather than shift every column
    at[fresh] = len(pop.ids) + np.arange(int(fresh.sum()))
    n = len(pop.ids) + int(fresh.sum())
    if n != key[1]:
        return None  # rows were deleted
    base = pop.table.with_years(pop.founded, ~np.isnat(pop.founded), on) if pop.on != on else pop.table

    def grown(a: Any, new: Any) -> Any:
        out = np.concatenate([a, new[fresh]])
        out[at[present]] = new[present]
        return out

    return _Population(
        key, on, base.patched(at, table), grown(pop.ids, ids), grown(pop.founded, founded),
        grown(pop.muted, muted), muted_vocab,
    )  # fmt: skip


def _population(on: date) -> _Population:
    """The cached population, current with the database (a fingerprint query) and derived for day `on`."""
    import numpy as np

    count, latest, top = db.session.execute(
        select(func.count(Enterprise.id), func.max(Enterprise.updated_at), func.max(Enterprise.id))
    ).one()
    key = (str(db.session.get_bind().url), count, latest, top)
    cache = _population_cache
    with cache.lock:
        pop = cache.population
        if pop is not None and pop.key == key:
            if pop.on != on:  # a new day moves only the years since founding
                table = pop.table.with_years(pop.founded, ~np.isnat(pop.founded), on)
                pop = cache.population = _Population(
                    key, on, table, pop.ids, pop.founded, pop.muted, pop.muted_vocab
                )
            return pop
        fresh = None
        if pop is not None and pop.key[0] == key[0] and count >= len(pop.ids) // 2:
            fresh = _refreshed(pop, key, on)
        cache.population = fresh or _fresh_population(key, on)
        return cache.population


def reset_population() -> None:
    """Forget the cached enterprise table (tests, or to free its memory)."""
    _population_cache.reset()


def _audience_rows(pop: _Population, policy: Policy, conditions: Mapping) -> Any:
    """Table rows (ascending, so ascending enterprise ids) of the enterprises meeting every condition."""
    from portal.policies.recommender import audience

    draft = {"id": str(policy.id or 0), "criteria": conditions, "targets": None, "support": None}
    return audience(draft, pop.table)


def _candidate_rows(pop: _Population, policy: Policy, conditions: Mapping) -> Any:
    """Rows meeting the text-valued conditions alone: what a scan would have had to read (the progress length)."""
    # only rows of the root "all" narrow the audience; a row inside an any/not group need not hold
    top = conditions.get("all", []) if cond.is_group(conditions) else []
    rows = [r for r in top if not cond.is_group(r) and r["op"] in _PUSHED_DOWN.get(r["field"], ())]
    return _audience_rows(pop, policy, {"all": rows})


def _support_cents(support: Mapping | None, table: Any, rows: Any) -> tuple[Any, Any]:
    """Each row's conditions.support_amount in cents (Python ints) and whether it is computable, vectorised.

    Exact: rate × base (a rational) is capped and rounded half-up to cents with integer arithmetic only.
    """
    import numpy as np

    n = len(rows)
    if not support or support.get("kind") not in ("fixed", "ratio", "tiers", "per_unit"):
        return np.zeros(n, dtype=object), np.zeros(n, dtype=bool)
    if support["kind"] == "fixed":
        cents = int(cond.support_amount(support, {}).scaleb(2))
        return np.full(n, cents, dtype=object), np.ones(n, dtype=bool)
    if support["kind"] != "ratio" or support.get("increase") or support.get("over_wan") is not None:
        return _support_cents_by_value(support, table, rows)
    num, den, known = table.numbers[support["base"]]
    x = num[rows].astype(object) * reference.exact(support["rate"]).numerator
    y = (den[rows] if den.shape[0] > 1 else np.broadcast_to(den, (n,))).astype(object)
    y = y * reference.exact(support["rate"]).denominator
    if support.get("cap_wan") is not None:
        cap = reference.exact(support["cap_wan"])
        over = x * cap.denominator > y * cap.numerator
        x, y = np.where(over, cap.numerator, x), np.where(over, cap.denominator, y)
    sign = np.where(x < 0, -1, 1)
    cents = sign * ((200 * np.abs(x) + y) // (2 * y))  # floor(|x / y| * 100 + 1/2), as conditions._half_up
    return cents, known[rows]


def _support_cents_by_value(support: Mapping, table: Any, rows: Any) -> tuple[Any, Any]:
    """Cents from conditions.support_amount itself, once per distinct base figure (tiers, per unit, over part).

    The previous year's figure is not in the table, so an "increase" rule is left to review (not computable).
    """
    import numpy as np

    n = len(rows)
    cents = np.zeros(n, dtype=object)
    if support.get("increase"):
        return cents, np.zeros(n, dtype=bool)
    num, den, known = table.numbers[support["base"]]
    dens = den[rows] if den.shape[0] > 1 else np.broadcast_to(den, (n,))
    computed: dict[tuple[int, int], int] = {}
    for k, (a, b) in enumerate(zip(num[rows].tolist(), dens.tolist(), strict=True)):
        hit = computed.get((a, b))
        if hit is None:
            amount = cond.support_amount(support, {support["base"]: Fraction(int(a), int(b))})
            hit = computed[(a, b)] = int(amount.scaleb(2))
        cents[k] = hit
    return cents, known[rows]


def _money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2).quantize(Decimal("0.01"))


def _street_label(district: Any, street: Any) -> str:
    return f"{district or '未填区'} {street or '未填街道'}"


@dataclass
class Sandbox:
    """Who a policy would reach on a day, and what it would cost."""

    total: int = 0  # qualifying enterprises
    scanned: int = 0  # candidates (enterprises the text-valued conditions alone already admit)
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


def _muted_rows(pop: _Population, category: str | None, rows: Any) -> Any:
    import numpy as np

    if category not in pop.muted_vocab:
        return np.zeros(len(rows), dtype=bool)
    return (pop.muted[rows] >> np.uint64(pop.muted_vocab.index(category))) & np.uint64(1) == 1


def _counts(codes: Any, values: list, label: Callable[[Any], str]) -> Counter:
    """Count rows per code (-1 = missing) and name each code with label(value or None)."""
    import numpy as np

    out: Counter = Counter()
    found, counts = np.unique(codes, return_counts=True)
    for c, k in zip(found.tolist(), counts.tolist(), strict=True):
        out[label(values[c] if c >= 0 else None)] += k
    return out


def sandbox(policy: Policy, *, on: date, chunk: int = DELIVERY_BATCH) -> Sandbox:
    """Reach of a (draft) policy: qualifying enterprises by street, size class and virtual park; budget it takes.

    Runs in the official's request: the audience comes from the cached enterprise table (vectorised, exact),
    and only the qualifying rows are aggregated. `chunk` is kept for callers; the table needs no paging.
    """
    import numpy as np

    parks = db.session.scalars(select(VirtualPark).order_by(VirtualPark.name)).all()
    report = Sandbox(budget_wan=policy.budget_wan)
    conditions = policy.conditions or {"all": []}
    pop = _population(on)
    table = pop.table
    hits = _audience_rows(pop, policy, conditions)
    report.scanned = len(_candidate_rows(pop, policy, conditions))
    report.total = len(hits)
    report.muted = int(np.count_nonzero(_muted_rows(pop, policy.category, hits)))
    dcodes, dvalues = table.categories["registered_district"]
    scodes, svalues = table.categories["street"]
    pairs, counts = np.unique(
        np.stack([dcodes[hits], scodes[hits]], axis=1).reshape(-1, 2), axis=0, return_counts=True
    )
    for (d, s), k in zip(pairs.tolist(), counts.tolist(), strict=True):
        report.by_street[_street_label(dvalues[d] if d >= 0 else None, svalues[s] if s >= 0 else None)] += k
    codes, values = table.categories["size_class"]
    report.by_size = _counts(codes[hits], values, lambda v: v or "无法划型")
    icodes, ivalues = table.categories["industry_code"]
    where = {q: i for i, q in enumerate(table.qual_vocab)}
    for park in parks:
        # VirtualPark.admits, once per distinct industry code and as a bit test on the qualifications
        by_code = np.array([park.admits(v, park.qualifications) for v in ivalues] + [False], dtype=bool)
        ok = by_code[icodes[hits]] if park.industry_prefixes else np.ones(len(hits), dtype=bool)
        if park.qualifications:
            mask = sum(1 << where[q] for q in set(park.qualifications) if q in where)
            ok &= (table.qual_bits[hits] & np.uint64(mask)) != 0
        if admitted := int(np.count_nonzero(ok)):
            report.by_park[park.name] += admitted
    cents, computable = _support_cents(policy.support, table, hits)
    report.uncomputed = int(np.count_nonzero(~computable))
    report.cost_wan = _money(sum(cents[computable].tolist()))
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

    The audience comes at once from the cached enterprise table; notifications are then inserted `chunk`
    qualifying enterprises at a time. Safe to re-run: the dedupe key skips enterprises already pushed.
    Flushes after each chunk and calls after_chunk(job, scanned) so the owner of the unit of work may commit
    progress; job.done counts the candidates up to the last enterprise handled, and ends at job.total.
    """
    import numpy as np

    if not policy.is_open(on):
        raise ServiceError("只有已发布且未过申报截止日期的政策可以推送。")
    if job is None:
        job = queue_delivery(policy, actor=None)
    key = dedupe_key(policy)
    counted = select(func.count(Notification.id)).where(Notification.dedupe_key == key)
    before = db.session.scalar(counted) or 0
    job.status, job.started_at, job.error = JobStatus.RUNNING, utcnow(), ""
    conditions = policy.conditions or {"all": []}
    pop = _population(on)
    hits = _audience_rows(pop, policy, conditions)
    candidates = _candidate_rows(pop, policy, conditions)
    muted = _muted_rows(pop, policy.category, hits)
    cents, computable = _support_cents(policy.support, pop.table, hits)
    job.total, job.done, job.matched, job.muted = len(candidates), 0, 0, 0
    link = f"/policies/{policy.id}"
    title = f"政策直达：{policy.title}"[:200]
    bodies: dict[Any, str] = {}  # one message per distinct amount
    step = max(int(chunk), 1)
    for start in range(0, len(hits), step):
        part = slice(start, start + step)
        rows = []
        for eid, is_muted, c, ok in zip(
            pop.ids[hits[part]].tolist(), muted[part].tolist(), cents[part].tolist(), computable[part].tolist(),
            strict=True,
        ):  # fmt: skip
            job.matched += 1
            if is_muted:
                job.muted += 1
                continue
            amount = c if ok else None
            body = bodies.get(amount)
            if body is None:
                body = bodies[amount] = _message(policy, None if amount is None else _money(amount))
            rows.append(
                {
                    "enterprise_id": eid,
                    "category": policy.category,
                    "title": title,
                    "body": body,
                    "link": link,
                    "policy_id": policy.id,
                    "dedupe_key": key,
                }
            )
        _insert_ignoring_duplicates(rows)
        last = start + step >= len(hits)
        done = len(candidates) if last else int(np.searchsorted(candidates, hits[start + step - 1])) + 1
        scanned, job.done = done - job.done, done
        db.session.flush()
        if after_chunk:
            after_chunk(job, scanned)
    if job.done < job.total:  # no one qualifies: the candidates were still all looked at
        scanned, job.done = job.total - job.done, job.total
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
    if cond.is_group(row):  # a group reads as its head and its members: "满足以下任一项：A；B"
        inner = "；".join(
            f"「{condition_sentence(c)}」" if cond.is_group(c) else condition_sentence(c)
            for c in cond.children(row)
        )
        return f"{cond.GROUP_HEADS[cond.group_kind(row)]}：{inner}"
    spec = cond.FIELDS.get(row.get("field"))
    if spec is None:
        return str(dict(row))
    if spec.kind == "bool":
        wanted = bool(row["value"]) == (row["op"] == "eq")
        return f"{spec.label}：{reference.CREDIT[wanted]}"
    return f"{spec.label} {_OP_WORDS.get(row['op'], row['op'])} {_value_words(spec, row['value'])}"
