"""`flask policies import`: SCHEMA.md policies, bad lines with line numbers, nothing written on error."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from portal.extensions import db
from portal.policies import catalog
from portal.policies.models import Policy, PolicyRevision
from tests.shared_bench import DEV, needs_dev_set

GOOD = {
    "id": "T-001",
    "title": "宝安区专精特新中小企业奖励",
    "issuer": "深圳市宝安区工业和信息化局",
    "doc_no": "深宝工信〔2026〕9号",
    "region": "宝安区",
    "published": "2026-03-15",
    "deadline": "2026-12-31",
    "category": "资金奖励",
    "text": "一、支持对象\n专精特新中小企业。\n二、申报条件\n在宝安区注册。",
    "criteria": {
        "all": [
            {"field": "registered_district", "op": "eq", "value": "宝安区"},
            {"field": "rd_ratio", "op": "gte", "value": 0.030},
        ]
    },
    "targets": {"industries": ["C39"], "qualifications": ["专精特新中小企业"]},
    "support": {"kind": "fixed", "amount_wan": 20},
    "instant": True,
}


def _write(tmp_path, rows, name="policies.jsonl"):
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
        "utf-8",
    )
    return path


def test_import_publishes_with_revision_one(app, tmp_path, on):
    report = catalog.import_policies(_write(tmp_path, [GOOD, GOOD | {"id": "T-002"}]), actor=None, on=on)
    db.session.commit()
    assert report.ok and report.inserted == 2
    policy = db.session.scalar(select(Policy).where(Policy.code == "T-001"))
    assert policy.status == "published" and policy.revision_no == 1
    assert [r.number for r in policy.revisions] == [1]
    assert policy.revisions[0].content["title"] == GOOD["title"]
    assert policy.conditions["all"][1] == {"field": "rd_ratio", "op": "gte", "value": 0.03}  # normalised
    assert policy.published_on.isoformat() == "2026-03-15"


def test_bad_rows_are_reported_by_line_and_nothing_is_written(app, tmp_path, on):
    rows = [
        GOOD,
        "",  # blank lines are skipped but counted
        "{not json",
        GOOD
        | {"id": "T-009", "criteria": {"all": [{"field": "revenue_wan", "op": "prefix_in", "value": 1}]}},
        GOOD | {"id": "T-010", "support": {"kind": "gift"}},
        GOOD,  # duplicate id
        GOOD
        | {"id": "T-011", "category": "杂项", "instant": True, "support": {"kind": "interest", "rate": 0.5}},
    ]
    report = catalog.import_policies(_write(tmp_path, rows), actor=None, on=on)
    lines = [line for line, _ in report.errors]
    assert lines == [3, 4, 5, 6, 7]
    reasons = dict(report.errors)
    assert "JSON" in reasons[3]
    assert "revenue_wan" in reasons[4]
    assert "gift" in reasons[5]
    assert "第 1 行重复" in reasons[6]
    assert "category" in reasons[7] and "贷款贴息不能秒批" in reasons[7]
    db.session.commit()
    assert db.session.scalar(select(func.count(Policy.id))) == 0


def test_cli_import_reports_and_exits_nonzero(app, runner, tmp_path):
    path = _write(tmp_path, [GOOD, GOOD | {"id": "T-002", "criteria": {"any": []}}])
    result = runner.invoke(args=["policies", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2:" in result.output
    assert db.session.scalar(select(func.count(Policy.id))) == 0
    result = runner.invoke(args=["policies", "import", str(_write(tmp_path, [GOOD], "ok.jsonl"))])
    assert result.exit_code == 0, result.output
    assert "新增 1 项" in result.output


def test_reimport_is_idempotent_and_changes_make_a_revision(app, tmp_path, on):
    catalog.import_policies(_write(tmp_path, [GOOD]), actor=None, on=on)
    db.session.commit()
    again = catalog.import_policies(_write(tmp_path, [GOOD]), actor=None, on=on)
    assert again.inserted == again.updated == 0
    changed = catalog.import_policies(
        _write(tmp_path, [GOOD | {"title": "宝安区专精特新企业奖励（修订）"}]), actor=None, on=on
    )
    db.session.commit()
    assert changed.updated == 1
    assert db.session.scalar(select(func.count(PolicyRevision.id))) == 2


@needs_dev_set
def test_dev_set_imports_cleanly(app, on):
    report = catalog.import_policies(DEV / "policies.jsonl", actor=None, on=on)
    assert report.errors == [] and report.inserted == 100
