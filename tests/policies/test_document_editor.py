"""The document editor: officials create a policy document, add new and existing items, order and remove them."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Role
from portal.policies.models import Policy, PolicyDocument

from .test_editor import _new_policy_data

DOCUMENT = {
    "title": "宝安区促进消费若干措施",
    "issuer": "深圳市宝安区商务局",
    "doc_no": "深宝商〔2026〕7号",
    "code": "DOC-2026-07",
    "published_on": "2026-03-01",
    "valid_until": "2026-12-31",
    "text": "第一条 限上零售企业增长奖励……第二条 限上餐饮企业增长奖励……",
}


def _document(client) -> PolicyDocument:
    response = client.post("/policies/documents/new", data=DOCUMENT)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(PolicyDocument).where(PolicyDocument.code == "DOC-2026-07"))


def test_an_official_creates_a_document_and_edits_it(client, auth, official):
    auth.login(official)
    document = _document(client)
    assert (document.title, document.doc_no, str(document.valid_until)) == (
        "宝安区促进消费若干措施",
        "深宝商〔2026〕7号",
        "2026-12-31",
    )
    response = client.post(
        f"/policies/documents/{document.id}/edit", data=DOCUMENT | {"title": "宝安区促消费措施"}
    )
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.title == "宝安区促消费措施"
    listing = client.get("/policies/documents").get_data(as_text=True)
    assert "宝安区促消费措施" in listing and "深宝商〔2026〕7号" in listing


def test_bad_document_fields_are_refused_beside_the_field_and_nothing_is_saved(client, auth, official):
    auth.login(official)
    response = client.post(
        "/policies/documents/new",
        data=DOCUMENT | {"title": "", "valid_until": "2026-01-01", "doc_no": "号" * 101},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请输入文件标题" in page and "有效期至不能早于发布日期" in page
    assert db.session.scalar(select(PolicyDocument)) is None


def test_a_document_code_is_unique(client, auth, official):
    auth.login(official)
    _document(client)
    response = client.post("/policies/documents/new", data=DOCUMENT | {"title": "另一份文件"})
    assert response.status_code == 400
    assert "文件编号 DOC-2026-07 已被使用" in response.get_data(as_text=True)
    assert db.session.scalar(select(PolicyDocument.id).where(PolicyDocument.title == "另一份文件")) is None


def test_a_new_item_starts_from_the_document_and_is_numbered_after_the_last(client, auth, official):
    auth.login(official)
    document = _document(client)
    page = client.get(f"/policies/new?document={document.id}").get_data(as_text=True)
    assert "新增政策文件《" in page and "深宝商〔2026〕7号" in page and "第一条 限上零售企业增长奖励" in page
    for title in ("限上零售企业增长奖励", "限上餐饮企业增长奖励"):
        response = client.post(f"/policies/new?document={document.id}", data=_new_policy_data(title=title))
        assert response.status_code == 302, response.get_data(as_text=True)
    items = db.session.scalars(
        select(Policy).where(Policy.document_id == document.id).order_by(Policy.item_no)
    )
    assert [(p.title, p.item_no) for p in items] == [("限上零售企业增长奖励", 1), ("限上餐饮企业增长奖励", 2)]
    detail = client.get(f"/policies/documents/{document.id}").get_data(as_text=True)
    assert "申报事项（2 项）" in detail and detail.index("限上零售") < detail.index("限上餐饮")


def test_items_are_added_moved_and_removed(client, auth, official, create_policy):
    auth.login(official)
    document = _document(client)
    first, second = create_policy(title="零售奖励"), create_policy(title="餐饮奖励")
    for policy in (first, second):
        assert (
            client.post(f"/policies/documents/{document.id}/items", data={"policy_id": policy.id}).status_code
            == 302
        )
    assert [p.title for p in _items(document)] == ["零售奖励", "餐饮奖励"]

    client.post(f"/policies/documents/{document.id}/items/{second.id}/up")
    assert [(p.title, p.item_no) for p in _items(document)] == [("餐饮奖励", 1), ("零售奖励", 2)]

    client.post(f"/policies/documents/{document.id}/items/{second.id}/remove")
    assert [(p.title, p.item_no) for p in _items(document)] == [("零售奖励", 1)]
    assert db.session.get(Policy, second.id).document_id is None  # the policy itself stays
    detail = client.get(f"/policies/{first.id}").get_data(as_text=True)
    assert "宝安区促进消费若干措施" in detail and "第 1 项" in detail


def test_a_policy_in_another_document_is_not_taken_over(client, auth, official, create_policy):
    auth.login(official)
    document = _document(client)
    other = PolicyDocument(title="另一份文件")
    policy = create_policy(title="已属其他文件的事项")
    policy.document, policy.item_no = other, 1
    db.session.add(other)
    db.session.commit()
    response = client.post(f"/policies/documents/{document.id}/items", data={"policy_id": policy.id})
    assert response.status_code == 302
    assert db.session.get(Policy, policy.id).document_id == other.id
    assert _items(document) == []


def test_only_staff_reach_the_document_editor(client, auth, create_user):
    document = PolicyDocument(title="宝安区若干措施")
    db.session.add(document)
    db.session.commit()
    for role in (Role.ENTERPRISE, Role.BANK):
        auth.login(create_user(role))
        for url in ("/policies/documents", f"/policies/documents/{document.id}", "/policies/documents/new"):
            assert client.get(url).status_code == 403, (role, url)
        assert client.post(f"/policies/documents/{document.id}/edit", data=DOCUMENT).status_code == 403
        auth.logout()
    db.session.refresh(document)
    assert document.title == "宝安区若干措施"


def _items(document: PolicyDocument) -> list[Policy]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Policy).where(Policy.document_id == document.id).order_by(Policy.item_no))
    )


def test_the_service_itself_refuses_a_non_staff_actor_and_names_every_bad_field(create_user):
    import pytest

    from portal.policies import documents
    from portal.services import ServiceError

    with pytest.raises(ServiceError, match="只有政府工作人员和管理员可以编辑政策文件"):
        documents.save_document(None, {"title": "宝安区若干措施"}, actor=create_user(Role.ENTERPRISE))
    with pytest.raises(
        ServiceError, match="文件标题 不能为空；文号 长度超过 100 字；有效期至 不能早于发布日期"
    ):
        documents.save_document(
            None,
            {"title": " ", "doc_no": "号" * 101, "published_on": "2026-03-01", "valid_until": "2026-01-01"},
            actor=create_user(Role.OFFICIAL),
        )
    assert db.session.scalar(select(PolicyDocument)) is None
