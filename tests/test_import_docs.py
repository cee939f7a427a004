"""Issue 9 bug 7: the import formats are documented in the project (docs/IMPORT.md), linked from the admin import
page, and the example files a user can download import cleanly. The document must name every key the code
accepts, so it cannot silently fall behind."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from portal import services
from portal.conditions import FIELDS, OPS, SUPPORT_BASES
from portal.extensions import db
from portal.policies import catalog
from portal.timeutil import today

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "IMPORT.md"
EXAMPLES = ROOT / "portal" / "static" / "examples"


def _keys_in_doc() -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", DOC.read_text(encoding="utf-8")))


def test_the_document_names_every_accepted_key():
    documented = _keys_in_doc()
    enterprise_keys = {"uscc", *services.ROW_PARSERS}
    policy_keys = {
        "id", "title", "issuer", "doc_no", "region", "published", "deadline", "category",
        "text", "criteria", "targets", "support", "instant", "budget_wan",
    }  # fmt: skip
    missing = (enterprise_keys | policy_keys | set(FIELDS) | set(OPS) | set(SUPPORT_BASES)) - documented
    missing |= {
        k for k in ("fixed", "ratio", "interest", "amount_wan", "rate", "cap_wan") if k not in documented
    }
    assert not missing, f"docs/IMPORT.md does not mention: {sorted(missing)}"
    # parse_policy_row refuses any key outside its list: the list above must be the code's own
    bad = {"id": "X-1", "title": "t", "category": "其他", "criteria": {"all": []}, "surprise": 1}
    with pytest.raises(ValueError, match="未知字段：surprise"):
        catalog.parse_policy_row(bad)
    catalog.parse_policy_row({k: v for k, v in bad.items() if k != "surprise"})


def test_example_enterprises_import_cleanly(app):
    data = (EXAMPLES / "enterprises.jsonl").read_bytes()
    report = services.import_enterprises(io.BytesIO(data), source="示例", on=today())
    db.session.commit()
    assert report.errors == [] and report.inserted == len(data.splitlines()) >= 3


def test_example_policies_import_cleanly(app, tmp_path):
    report = catalog.import_policies(EXAMPLES / "policies.jsonl", actor=None, on=today())
    assert report.errors == [] and report.inserted == 3
    kinds = {
        json.loads(line)["support"]["kind"] for line in (EXAMPLES / "policies.jsonl").open(encoding="utf-8")
    }
    assert kinds == {"fixed", "ratio", "interest"}  # every support kind has an example


def test_the_import_page_links_the_format_and_examples(client, auth, create_user):
    auth.login(create_user("admin"))
    page = client.get("/admin/import").text
    assert "SCHEMA.md" not in page  # before: cited a file the project does not contain
    assert 'href="/admin/import/format"' in page
    for name in ("enterprises.jsonl", "policies.jsonl"):
        assert f'href="/static/examples/{name}" download' in page
        assert client.get(f"/static/examples/{name}").status_code == 200
    doc = client.get("/admin/import/format")
    assert doc.status_code == 200 and "# Import formats" in doc.text and doc.mimetype == "text/markdown"


def test_only_admins_read_the_format_page(client, auth, create_user):
    auth.login(create_user("enterprise"))
    assert client.get("/admin/import/format").status_code == 403
