"""Policy documents (若干措施, 申报指南) and the support items they hold: create, edit, add, remove and order items.

An item is a Policy with a document and a number; its content (conditions, support rule, budget, deadline) is
edited in the policy editor like any other policy. What lives here is the document itself and its item list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import User
from portal.policies import schemas
from portal.policies.models import Policy, PolicyDocument
from portal.services import ServiceError

# each field checked as a v2 document line is in the import (the same checks, named by the editor's labels)
_CHECKS = {
    "code": schemas.text_check("文件编号", schemas.CODE_MAX),
    "title": schemas.text_check("文件标题", schemas.TITLE_MAX, required=True),
    "issuer": schemas.text_check("发文单位", schemas.ISSUER_MAX),
    "doc_no": schemas.text_check("文号", schemas.DOC_NO_MAX),
    "published_on": schemas.day_check("发布日期"),
    "valid_until": schemas.day_check("有效期至"),
    "text": schemas.text_check("文件正文", schemas.TEXT_MAX),
}
FIELDS = tuple(_CHECKS)


def can_edit(user: User) -> bool:
    """Documents are written by whoever writes policies (officials and admins)."""
    return Policy().can_edit(user)


def _require_editor(actor: User) -> None:
    if not can_edit(actor):
        raise ServiceError("只有政府工作人员和管理员可以编辑政策文件。")


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The document's fields, validated; ServiceError names every problem."""
    problems, out = [], {}
    for name, check in _CHECKS.items():
        try:
            out[name] = check(fields.get(name))
        except ValueError as exc:
            problems.append(str(exc))
    if out.get("published_on") and out.get("valid_until") and out["valid_until"] < out["published_on"]:
        problems.append("有效期至 不能早于发布日期")
    if problems:
        raise ServiceError("；".join(problems) + "。")
    out["code"] = out["code"] or None
    return out


def save_document(
    document: PolicyDocument | None, fields: Mapping[str, Any], *, actor: User
) -> PolicyDocument:
    """Create a document or change its title, issuer, number, dates and text; its items keep their own content."""
    _require_editor(actor)
    values = _clean(fields)
    taken = values["code"] and db.session.scalar(
        select(PolicyDocument.id).where(
            PolicyDocument.code == values["code"], PolicyDocument.id != (document and document.id)
        )
    )
    if taken:
        raise ServiceError(f"文件编号 {values['code']} 已被使用。")
    document = document or PolicyDocument()
    for name, value in values.items():
        setattr(document, name, value)
    db.session.add(document)
    db.session.flush()
    return document


def add_item(document: PolicyDocument, policy: Policy, *, actor: User) -> None:
    """Make a policy the document's last item (a policy belongs to at most one document)."""
    _require_editor(actor)
    if policy.document_id == document.id:
        return
    if policy.document_id is not None:
        raise ServiceError(f"「{policy.title}」已属于政策文件《{policy.document.title}》，请先从该文件移出。")
    last = db.session.scalar(select(func.max(Policy.item_no)).where(Policy.document_id == document.id))
    policy.document = document
    policy.item_no = (last or 0) + 1
    db.session.flush()


def remove_item(document: PolicyDocument, policy: Policy, *, actor: User) -> None:
    """Take an item out of the document (it stays a policy on its own) and renumber the rest."""
    _require_editor(actor)
    if policy.document_id != document.id:
        raise ServiceError("该政策不是本文件的申报事项。")
    policy.document_id, policy.item_no = None, None
    db.session.flush()
    db.session.expire(document, ["items"])
    _renumber(document.items)


def move_item(document: PolicyDocument, policy: Policy, step: int, *, actor: User) -> None:
    """Move an item one place up (step -1) or down (step +1) in the document's order."""
    _require_editor(actor)
    items = list(document.items)
    if policy not in items:
        raise ServiceError("该政策不是本文件的申报事项。")
    at = items.index(policy)
    to = at + (1 if step > 0 else -1)
    if 0 <= to < len(items):
        items[at], items[to] = items[to], items[at]
        _renumber(items)


def _renumber(items: list[Policy]) -> None:
    for number, item in enumerate(items, 1):
        item.item_no = number
    db.session.flush()


def documents() -> list[tuple[PolicyDocument, int]]:
    """Every document, newest first, with its number of items (one query)."""
    count = select(func.count(Policy.id)).where(Policy.document_id == PolicyDocument.id).scalar_subquery()
    rows = db.session.execute(
        select(PolicyDocument, count).order_by(PolicyDocument.published_on.desc(), PolicyDocument.id.desc())
    )
    return [(document, n) for document, n in rows]


def lone_policies(limit: int = 500) -> list[Policy]:
    """Policies in no document, newest first: the ones an official can add to a document."""
    return list(
        db.session.scalars(
            select(Policy).where(Policy.document_id.is_(None)).order_by(Policy.id.desc()).limit(limit)
        )
    )


def item_defaults(document: PolicyDocument) -> dict[str, Any]:
    """What a new item of the document starts with in the editor: the document's issuer, number, date and text."""
    return {
        "issuer": document.issuer,
        "doc_no": document.doc_no,
        "published_on": document.published_on,
        "text": document.text,
    }
