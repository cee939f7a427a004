"""The government data import: upsert by credit code, provenance, line-numbered errors, nothing half-written."""

import io
import json
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from portal import services
from portal.extensions import db
from portal.models import Enterprise
from tests.conftest import make_uscc

GOOD = {
    "uscc": make_uscc(7001),
    "name": "深圳市华测电子有限公司",
    "registered_district": "宝安区",
    "street": "福永街道",
    "industry_code": "C3976",
    "founded": "2015-03-01",
    "employees": 88,
    "revenue_wan": 3200.5,
    "assets_wan": 2100.0,
    "rd_expense_wan": 150.25,
    "tax_paid_wan": 90.0,
    "qualifications": ["国家高新技术企业"],
    "credit_ok": True,
    "business_scope": "一般经营项目是：光电子器件研发与销售。",
    "description": "主营激光器件。",
}


def _wrong_check(code: str) -> str:
    return code[:-1] + ("1" if code[-1] == "0" else "0")


def _lines(*rows):
    return [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]


def test_import_inserts_and_marks_verified(app):
    report = services.import_enterprises(_lines(GOOD), source="市场监督管理局", on=date(2026, 11, 24))
    db.session.commit()
    assert (report.inserted, report.updated, report.errors) == (1, 0, [])
    firm = db.session.scalar(select(Enterprise).where(Enterprise.uscc == GOOD["uscc"]))
    assert firm.revenue_wan == Decimal("3200.50") and firm.rd_expense_wan == Decimal("150.25")
    assert firm.founded == date(2015, 3, 1)
    assert firm.verified["revenue_wan"] == {"source": "市场监督管理局", "date": "2026-11-24"}


def test_import_upserts_and_keeps_other_provenance(app, create_enterprise):
    firm = create_enterprise(uscc=GOOD["uscc"], verified=("employees",))
    row = {"uscc": GOOD["uscc"], "revenue_wan": 9999.0}
    report = services.import_enterprises(_lines(row), source="税务局", on=date(2026, 11, 24))
    db.session.commit()
    assert (report.inserted, report.updated) == (0, 1)
    db.session.refresh(firm)
    assert firm.revenue_wan == Decimal("9999.00") and firm.employees == 120
    assert firm.verified["revenue_wan"]["source"] == "税务局"
    assert firm.verified["employees"]["source"] == "测试数据源"


def test_bad_rows_are_named_and_none_written(app):
    rows = _lines(
        GOOD,
        "{not json",
        GOOD | {"uscc": _wrong_check(make_uscc(7002))},
        GOOD | {"uscc": make_uscc(7003), "revenue_wan": -1},
        GOOD | {"uscc": make_uscc(7004), "industry_code": "C9999", "employees": "many"},
        GOOD | {"uscc": make_uscc(7005), "qualifications": ["不存在的资质"], "surprise": 1},
        GOOD | {"uscc": make_uscc(7006), "revenue_wan": 1.234},
        GOOD,  # duplicate of line 1
        "",
        GOOD | {"uscc": make_uscc(7007)},
    )
    report = services.import_enterprises(rows, source="测试", on=date(2026, 11, 24))
    db.session.commit()
    lines = [line for line, _ in report.errors]
    assert lines == [2, 3, 4, 5, 6, 7, 8]
    reasons = dict(report.errors)
    assert "JSON" in reasons[2]
    assert "校验码" in reasons[3]
    assert "revenue_wan" in reasons[4]
    assert "industry_code" in reasons[5] and "employees" in reasons[5]
    assert "未知资质" in reasons[6] and "surprise" in reasons[6]
    assert "两位小数" in reasons[7]
    assert "第 1 行重复" in reasons[8]
    assert report.inserted == 2
    assert db.session.scalar(select(func.count(Enterprise.id))) == 2


def test_cli_import_reports_lines(runner, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(_lines(GOOD, GOOD | {"uscc": "123"})) + "\n", encoding="utf-8")
    result = runner.invoke(args=["data", "import-enterprises", str(path), "--source", "市场监督管理局"])
    assert result.exit_code == 1
    assert f"{path}:2:" in result.output and "新增 1" in result.output
    assert db.session.scalar(select(func.count(Enterprise.id))) == 1


def test_admin_upload_page(client, auth, create_user):
    auth.login(create_user("admin"))
    data = "\n".join(_lines(GOOD, "[1, 2]")).encode()
    response = client.post(
        "/admin/import",
        data={"source": "市场监督管理局", "file": (io.BytesIO(data), "feed.jsonl")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "新增 1 家" in page and "应为 JSON 对象" in page
    assert db.session.scalar(select(func.count(Enterprise.id))) == 1


def test_upload_that_is_not_utf8_names_the_line(app):
    lines = [json.dumps(GOOD, ensure_ascii=False).encode(), "企业".encode("gbk")]
    report = services.import_enterprises(lines, source="测试", on=date(2026, 11, 24))
    db.session.commit()
    assert report.errors == [(2, "不是 UTF-8 编码")] and report.inserted == 1


def test_lines_with_nul_deep_nesting_or_nan_are_line_errors(app):
    lines = [
        json.dumps(GOOD, ensure_ascii=False),
        json.dumps(GOOD | {"uscc": make_uscc(7002), "name": "深圳\x00有限公司"}),
        '{"uscc": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps(GOOD | {"uscc": make_uscc(7003), "description": "\ud800"}),
        '{"uscc": "x", "revenue_wan": NaN}',
        json.dumps(GOOD | {"uscc": make_uscc(7004), "revenue_wan": "１００"}, ensure_ascii=False),
    ]
    report = services.import_enterprises(lines, source="测试", on=date(2026, 11, 24))
    db.session.commit()
    assert report.inserted == 1
    problems = dict(report.errors)
    assert set(problems) == {2, 3, 4, 5, 6}
    assert "控制字符" in problems[2] and "嵌套层级" in problems[3] and "孤立代理项" in problems[4]
    assert "NaN" in problems[5] and "应为数字" in problems[6]
    assert db.session.scalar(select(func.count(Enterprise.id))) == 1


def test_import_route_takes_files_above_max_content_length(make_app, create_user):
    """One limit per route: the import takes up to IMPORT_MAX_BYTES although other routes stop at 2 MB."""
    username = create_user("admin").username
    client = make_app(MAX_CONTENT_LENGTH=64 * 1024, IMPORT_MAX_BYTES=512 * 1024).test_client()
    client.post("/login", data={"username": username, "password": "correct-horse-9"})
    filler = (json.dumps(GOOD, ensure_ascii=False) + "\n").encode() * (300 * 1024 // 600)
    assert 64 * 1024 < len(filler) < 512 * 1024
    response = client.post(
        "/admin/import",
        data={"source": "测试", "file": (io.BytesIO(filler), "feed.jsonl")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "导入完成" in response.get_data(as_text=True)
    too_big = filler * 3
    response = client.post(
        "/admin/import",
        data={"source": "测试", "file": (io.BytesIO(too_big), "feed.jsonl")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "上传的文件过大" in response.get_data(as_text=True)
    # Any other form stops at MAX_CONTENT_LENGTH.
    response = client.post("/admin/parks/new", data={"name": "x" * 100_000})
    assert response.status_code == 413
