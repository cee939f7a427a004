"""A policy document holds several items: the v2 document line, its items, and the catalog grouping them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from sqlalchemy import select

from portal import schema
from portal.extensions import db
from portal.policies import catalog
from portal.policies.models import Policy, PolicyDocument

RETAIL = {"all": [{"field": "industry_code", "op": "prefix_in", "value": ["F52"]}, {"field": "revenue_wan", "op": "gte", "value": 10000}]}  # fmt: skip
CATERING = {"all": [{"field": "industry_code", "op": "prefix_in", "value": ["H62"]}, {"field": "revenue_wan", "op": "gte", "value": 2000}]}  # fmt: skip
DOCUMENT = {
    "version": 2,
    "id": "DOC-2026-01",
    "title": "宝安区促进消费若干措施",
    "issuer": "深圳市宝安区商务局",
    "doc_no": "深宝商〔2026〕2号",
    "published": "2026-02-01",
    "category": "市场开拓",
    "text": "第一条 零售业……第二条 餐饮业……",
    "items": [
        {"id": "DOC-2026-01-1", "title": "限上零售企业增长奖励", "criteria": RETAIL, "support": {"kind": "fixed", "amount_wan": 20}},
        {"id": "DOC-2026-01-2", "title": "限上餐饮企业增长奖励", "criteria": CATERING, "support": {"kind": "fixed", "amount_wan": 10},
         "deadline": "2026-12-31"},
    ],
}  # fmt: skip


def _write(tmp_path: Path, *lines: dict) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    return path


def test_a_document_line_imports_as_a_document_with_its_items(app, official, on, tmp_path):
    jsonschema.validate(DOCUMENT, schema.policy_schema())
    report = catalog.import_policies(_write(tmp_path, DOCUMENT), actor=official, on=on)
    db.session.commit()
    assert report.errors == [] and report.inserted == 2
    document = db.session.scalar(select(PolicyDocument))
    assert (document.code, document.doc_no, str(document.published_on)) == (
        "DOC-2026-01",
        "深宝商〔2026〕2号",
        "2026-02-01",
    )
    retail, catering = document.items
    assert (retail.code, retail.item_no, catering.item_no) == ("DOC-2026-01-1", 1, 2)
    # items take the document's issuer, number, category and text unless they give their own
    assert (
        retail.issuer == "深圳市宝安区商务局"
        and retail.category == "市场开拓"
        and retail.text.startswith("第一条")
    )
    assert retail.deadline is None and str(catering.deadline) == "2026-12-31"
    again = catalog.import_policies(_write(tmp_path, DOCUMENT), actor=official, on=on)
    assert (again.inserted, again.updated) == (0, 0)
    assert db.session.scalar(select(PolicyDocument.id).where(PolicyDocument.id != document.id)) is None


def test_a_bad_item_refuses_the_whole_file_naming_the_item(app, official, on, tmp_path):
    bad = DOCUMENT | {"items": [DOCUMENT["items"][0], {"id": "X-2", "title": "缺条件"}]}
    report = catalog.import_policies(_write(tmp_path, bad), actor=official, on=on)
    assert report.errors[0][0] == 1 and "第2项：缺少 criteria" in report.errors[0][1]
    v1 = {k: v for k, v in DOCUMENT.items() if k != "version"}
    report = catalog.import_policies(_write(tmp_path, v1), actor=official, on=on)
    assert "含 items 的政策文件须为格式版本 2" in report.errors[0][1]
    assert db.session.scalar(select(Policy)) is None and db.session.scalar(select(PolicyDocument)) is None


def test_the_catalog_shows_items_under_their_document(client, auth, official, on, tmp_path, create_policy):
    catalog.import_policies(_write(tmp_path, DOCUMENT), actor=official, on=on)
    db.session.commit()
    lone = create_policy(title="单独发布的政策")
    auth.login(official)
    page = client.get("/policies/").get_data(as_text=True)
    head = page.index("宝安区促进消费若干措施")
    assert "共 2 个申报事项" in page
    assert (
        head
        < page.index("事项1</span> 限上零售企业增长奖励")
        < page.index("事项2</span> 限上餐饮企业增长奖励")
    )
    assert lone.title in page


def test_an_item_page_names_its_document_and_the_other_items(client, auth, official, on, tmp_path):
    catalog.import_policies(_write(tmp_path, DOCUMENT), actor=official, on=on)
    db.session.commit()
    retail = db.session.scalar(select(Policy).where(Policy.code == "DOC-2026-01-1"))
    auth.login(official)
    page = client.get(f"/policies/{retail.id}").get_data(as_text=True)
    document = db.session.scalar(select(PolicyDocument))
    # staff reach the document's own page (its editor) from the item
    link = f'<a href="/policies/documents/{document.id}">宝安区促进消费若干措施</a>'
    assert f"政策文件《{link}》深宝商〔2026〕2号 的第 1 项（共 2 项）" in page
    assert "限上餐饮企业增长奖励</a>" in page
