"""The policy catalog: validate content, index search terms, create/revise/publish/expire, import, search."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from os import PathLike
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from portal import conditions as cond
from portal.extensions import db
from portal.jsonl import read_jsonl
from portal.models import User
from portal.policies import cases, schemas
from portal.policies.models import (
    CONTENT_FIELDS,
    RULE_FIELDS,
    DeliveryJob,
    JobStatus,
    Policy,
    PolicyDocument,
    PolicyRevision,
    PolicyStatus,
)
from portal.policies.recommendations import _index_changed, reset_index
from portal.services import ImportReport, ServiceError
from portal.timeutil import today, utcnow
from portal.vocabulary import services as vocabulary

SUPPORT_KINDS = {"fixed": "定额奖励", "ratio": "按比例资助", "interest": "贷款贴息"}

# what content, a policy line and a document line may hold: the pydantic models in portal.policies.schemas
REGIONS = schemas.REGIONS
normalize_content = schemas.normalize_content
normalize_targets = schemas.normalize_targets
parse_policy_row = schemas.parse_policy_row
parse_document_row = schemas.parse_document_row


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
                from portal.policies.text_conditions import load_user_dict

                load_user_dict()
                _dict_ready = True
    return jieba


def index_terms(title: str, text: str) -> str:
    """The search terms of a policy: jieba search-mode tokens of title and text, ' tok1 tok2 … '."""
    tokens = {t.lower() for t in _jieba().cut_for_search(f"{title}\n{text}", HMM=False) if _WORD.search(t)}
    return " " + " ".join(sorted(tokens)) + " "


def query_tokens(query: str) -> list[str]:
    """The words of a search query (jieba precise mode). Runs of single characters are joined back into one
    word rather than dropped: "新办企业" cuts into 新/办/企业, and 新办 is the distinctive part of it."""
    words: list[str] = []
    for chunk in query.split():
        run = ""
        for token in [*_jieba().lcut(chunk, HMM=False), ""]:  # "" ends the last run
            if len(token) == 1 and _WORD.search(token):
                run += token
                continue
            words += [run, token if _WORD.search(token) else ""]
            run = ""
    return list(dict.fromkeys(w.lower() for w in words if w))


def _set_content(policy: Policy, content: Mapping[str, Any]) -> None:
    for name in (*CONTENT_FIELDS, "budget_wan"):
        if name in content:
            setattr(policy, name, content[name])
    policy.search_terms = index_terms(policy.title, policy.text)


# ---------------------------------------------------------------- catalog: create, revise, publish, expire


def _revise(policy: Policy, actor: User | None) -> PolicyRevision:
    policy.revision_no = (policy.revision_no or 0) + 1
    revision = PolicyRevision(
        number=policy.revision_no, content=policy.content(), created_by_id=actor and actor.id
    )
    policy.revisions.append(revision)
    return revision


def case_outcomes(policy: Policy, on: date) -> list[cases.CaseOutcome]:
    """Run the policy's test cases on its current conditions and support rule."""
    return cases.run_cases(policy.criteria, policy.support, policy.tests or [], on)


def _failing_message(content: Mapping[str, Any], group: str, on: date) -> str:
    """Why content may not be published: its failing test cases, each with the explanation ("" when none)."""
    outcomes = cases.run_cases(
        cond.bind_own(content.get("conditions") or {"all": []}, group),
        content.get("support"),
        content.get("tests") or [],
        on,
    )
    bad = cases.failing(outcomes)
    if not bad:
        return ""
    lines = [f"{o.summary()}：{'；'.join(o.sentences)}" for o in bad]
    return f"有 {len(bad)} 个测试用例未通过，不能发布：" + " ｜ ".join(lines)


def _new_period(policy: Policy, before: Mapping[str, Any] | None, on: date) -> None:
    """A revision that changes the conditions or the support rule starts a new period of application.

    The new period starts on the date the official set when it is later than the old start, else today; the
    previous revision's period ends the day before (its snapshot keeps its own dates).
    """
    if before is None or all(policy.content()[k] == before.get(k) for k in RULE_FIELDS):
        return
    old_from = schemas.read_day(before.get("effective_from"), "effective_from")
    chosen = policy.effective_from
    if chosen is None or chosen < on or (old_from is not None and chosen <= old_from):
        policy.effective_from = on


def revision_periods(revisions: list[PolicyRevision]) -> dict[int, tuple[date | None, date | None]]:
    """Each revision's period of application by number: (from, until), None for open-ended.

    A revision's snapshot keeps the dates it was saved with; its period ends the day before a later revision
    starts a new one (a different effective_from), so the page can show where one period stops.
    """
    ordered = sorted(revisions, key=lambda r: r.number)

    def day(revision: PolicyRevision, key: str) -> date | None:
        value = revision.content.get(key)  # a snapshot writes its dates as ISO text (Policy.content)
        return date.fromisoformat(value) if isinstance(value, str) and value else value or None

    periods = {}
    for i, revision in enumerate(ordered):
        start, until = day(revision, "effective_from"), day(revision, "effective_until")
        following = (day(r, "effective_from") for r in ordered[i + 1 :])
        new_start = next((d for d in following if d != start and d is not None), None)
        if new_start is not None:
            ends = new_start - timedelta(days=1)
            until = ends if until is None else min(until, ends)
        periods[revision.number] = (start, until)
    return periods


def save_policy(
    policy: Policy | None, raw: Mapping[str, Any], *, actor: User, on: date | None = None
) -> tuple[Policy, bool]:
    """Create a draft or change a policy; a published policy whose content changes gets a new revision.

    Returns (policy, revised). Raises ServiceError with every problem of the content, and, for a published
    policy, when one of its test cases fails.
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
    on = on or today()
    if policy.status != PolicyStatus.DRAFT:
        if content.get("effective_from") is None and policy.effective_from is not None:
            # a period, once started, is not unset by a form that leaves the date empty
            content = {**content, "effective_from": policy.effective_from}
        # a published policy's content is what decisions use: refuse a change its own test cases reject
        refusal = _failing_message(content, content.get("group", policy.group), on)
        if refusal:
            raise ServiceError(refusal)
    _set_content(policy, content)
    revised = False
    if policy.status != PolicyStatus.DRAFT and policy.content() != before:
        _new_period(policy, before, on)
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
    refusal = _failing_message(policy.content(), policy.group, on)
    if refusal:
        raise ServiceError(refusal)
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


def _place_items(
    documents: dict[str, tuple[dict[str, Any], list[str]]], policies: Mapping[str, Policy]
) -> None:
    """Create or update each imported document and make the policies its items, in the file's order."""
    stored = {
        d.code: d
        for d in db.session.scalars(select(PolicyDocument).where(PolicyDocument.code.in_(list(documents))))
    }
    for code, (fields, item_codes) in documents.items():
        document = stored.get(code) or PolicyDocument(code=code)
        for name, value in fields.items():
            setattr(document, name, value)
        db.session.add(document)
        for number, item_code in enumerate(item_codes, 1):
            policies[item_code].document = document
            policies[item_code].item_no = number


def import_policies(path: str | PathLike, *, actor: User | None, on: date) -> ImportReport:
    """Load SCHEMA.md policies from JSON Lines, published with revision 1; any bad line and nothing is written.

    A policy whose id is already in the catalog is revised when its content differs, else left alone.
    """
    vocabulary.refresh(force=True)  # conditions are checked against the vocabulary as the admins keep it now
    report = ImportReport()
    bad: list = []
    rows: dict[str, tuple[int, dict[str, Any]]] = {}
    documents: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for line_no, raw in read_jsonl(path, errors=bad):
        try:
            if isinstance(raw, dict) and "items" in raw:  # a document with several items (v2)
                doc_code, document, items = parse_document_row(raw)
                if doc_code in documents:
                    raise ValueError(f"文件编号 {doc_code} 重复")
            else:
                doc_code, document, items = None, None, [parse_policy_row(raw)]
        except ValueError as exc:
            report.errors.append((line_no, str(exc)))
            continue
        line_problems = []
        for code, content in items:
            if code in rows:
                line_problems.append(f"政策编号 {code} 与第 {rows[code][0]} 行重复")
            refusal = _failing_message(content, content.get("group", ""), on)
            if refusal:  # an import publishes: the same rule as the editor's publish
                line_problems.append(f"{code}：{refusal}" if doc_code else refusal)
        if line_problems:
            report.errors.append((line_no, "；".join(line_problems)))
            continue
        rows |= {code: (line_no, content) for code, content in items}
        if doc_code:
            documents[doc_code] = (document, [code for code, _ in items])
    report.errors += [(e.line_no, e.message) for e in bad]
    report.errors.sort()
    if report.errors:
        return report
    existing = {p.code: p for p in db.session.scalars(select(Policy).where(Policy.code.in_(list(rows))))}
    imported: dict[str, Policy] = {}
    for code, (_, content) in rows.items():
        policy = imported[code] = existing.get(code)
        if policy is None:
            policy = Policy(
                code=code, status=PolicyStatus.PUBLISHED, revision_no=0, created_by_id=actor and actor.id
            )
            _set_content(policy, content)
            policy.published_on = policy.published_on or on
            policy.published_at = utcnow()
            db.session.add(policy)
            _revise(policy, actor)
            imported[code] = policy
            report.inserted += 1
            continue
        before = policy.content()
        _set_content(policy, content)
        if policy.content() != before or policy.status != PolicyStatus.PUBLISHED:
            policy.status = PolicyStatus.PUBLISHED
            policy.updated_at = utcnow()
            _revise(policy, actor)
            report.updated += 1
    _place_items(documents, imported)
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
    phrase: str = ""  # the whole query as typed (spaces removed): ranked first when found verbatim
    partial: bool = False  # no policy holds every word: these hold some of them, best first

    @property
    def pages(self) -> int:
        """Number of pages."""
        return max(1, -(-self.total // self.per_page))

    @property
    def groups(self) -> list[tuple[PolicyDocument | None, list[Policy]]]:
        """The page's items under their document (in the order the first of each came), lone policies alone."""
        out: list[tuple[PolicyDocument | None, list[Policy]]] = []
        where: dict[int, list[Policy]] = {}
        for policy in self.items:
            if policy.document_id is None:
                out.append((None, [policy]))
            elif policy.document_id in where:
                where[policy.document_id].append(policy)
            else:
                where[policy.document_id] = [policy]
                out.append((policy.document, where[policy.document_id]))
        for members in where.values():  # inside a document, its own order (第一条, 第二条, …)
            members.sort(key=lambda p: p.item_no or 0)
        return out


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
        stmt = stmt.where(Policy.open_on(on))
    elif open_state == "closed":
        stmt = stmt.where(or_(Policy.deadline < on, Policy.status == PolicyStatus.EXPIRED))
    words = query_tokens(query) if query.strip() else []
    phrase = "".join(query.split()).lower()

    def has(word: str):
        return or_(
            Policy.search_terms.contains(f" {word} ", autoescape=True),
            Policy.title.contains(word, autoescape=True),
            Policy.text.contains(word, autoescape=True),
        )

    base, partial = stmt, False
    stmt = base.where(*[has(w) for w in words]) if words else base
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    if not total and len(words) > 1 and len(query.split()) == 1:
        # No policy holds every word the one typed phrase was cut into (高新技术企业认定 → 高新技术企业 + 认定):
        # show those holding its distinctive words, ranked by how much they hold. Words the user separated
        # with spaces stay all required.
        distinctive = [w for w in words if w not in _GENERIC_WORDS] or words
        stmt, partial = base.where(or_(*[has(w) for w in distinctive])), True
        total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = [Policy.published_on.desc().nulls_last(), Policy.id.desc()]
    if words:
        # Rank by the whole query: verbatim in the title, then in the text, then each word in the title and
        # anywhere, a longer (more distinctive) word weighing more.
        whole = 4 * len(phrase)
        score = (
            case((Policy.title.contains(phrase, autoescape=True), 2 * whole), else_=0)
            + case((Policy.text.contains(phrase, autoescape=True), whole), else_=0)
            + sum(
                case((Policy.title.contains(w, autoescape=True), 2 * len(w)), else_=0)
                + case((has(w), len(w)), else_=0)
                for w in words
            )
        )
        order.insert(0, score.desc())
    page = max(1, page)
    page_stmt = stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page)
    items = db.session.scalars(page_stmt.options(selectinload(Policy.document))).all()
    return CatalogPage(list(items), total, page, per_page, words, phrase=query.strip(), partial=partial)


# Words nearly every policy holds: they rank but do not on their own select a policy in a partial match.
_GENERIC_WORDS = frozenset(
    {"企业", "公司", "政策", "项目", "申报", "深圳", "深圳市", "宝安", "宝安区", "支持"}
)
