"""Policy content, policy and document lines as pydantic models (portal.policies.schemas): one set of limits for
the editor form and the import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from portal.policies import catalog, schemas
from portal.policies.forms import PolicyForm

LINE = {"id": "S-1", "title": "宝安区测试政策", "category": "其他", "criteria": {"all": []}}
FORM = {"title": "宝安区测试政策", "category": "其他", "region": "宝安区", "support_base": "rd_expense_wan"}


def _form_errors(app, **fields):
    with app.test_request_context():
        form = PolicyForm(formdata=MultiDict(FORM | fields), meta={"csrf": False})
        form.validate()
        return form.errors


@pytest.mark.parametrize(
    ("field", "key", "limit"),
    [
        ("title", "title", schemas.TITLE_MAX),
        ("issuer", "issuer", schemas.ISSUER_MAX),
        ("doc_no", "doc_no", schemas.DOC_NO_MAX),
        ("group", "group", schemas.GROUP_MAX),
        ("text", "text", schemas.TEXT_MAX),
    ],
)
def test_form_and_import_refuse_the_same_over_long_text(app, field, key, limit):
    """One character over the schema's limit: the editor's field error and the import's line error."""
    assert field not in _form_errors(app, **{field: "字" * limit})
    catalog.parse_policy_row(LINE | {key: "字" * limit})
    assert field in _form_errors(app, **{field: "字" * (limit + 1)})
    with pytest.raises(ValueError, match=f"{key} 长度超过 {limit} 字"):
        catalog.parse_policy_row(LINE | {key: "字" * (limit + 1)})


def test_form_and_import_refuse_the_same_budget(app):
    top = schemas.MAX_BUDGET
    assert "budget_wan" not in _form_errors(app, budget_wan=str(top))
    assert catalog.parse_policy_row(LINE | {"budget_wan": str(top)})[1]["budget_wan"] == Decimal(top)
    assert "budget_wan" in _form_errors(app, budget_wan=str(top + 1))
    with pytest.raises(ValueError, match="budget_wan 应在 0 到 1 亿（万元）之间"):
        catalog.parse_policy_row(LINE | {"budget_wan": str(top + 1)})


def test_the_code_limit_is_the_form_s_too(app):
    assert "code" in _form_errors(app, code="P" * (schemas.CODE_MAX + 1))
    with pytest.raises(ValueError, match=f"id 应为 1–{schemas.CODE_MAX} 字的政策编号"):
        catalog.parse_policy_row(LINE | {"id": "P" * (schemas.CODE_MAX + 1)})


def test_content_checks_across_fields_read_the_fields_before():
    """deadline against published, @own against group, instant against support, the period's two ends."""
    own = {"all": [{"field": "approved_groups", "op": "not_contains_any", "value": ["@own"]}]}
    raw = {
        "title": "t",
        "category": "其他",
        "published_on": "2026-02-01",
        "deadline": "2026-01-01",
        "conditions": own,
        "instant": True,
        "effective_from": "2026-03-01",
        "effective_until": "2026-02-01",
    }
    with pytest.raises(ValueError) as caught:
        schemas.normalize_content(raw)
    assert str(caught.value).split("；") == [
        "deadline 不能早于发布日期",
        "criteria 用了“本类”（@own），请填写政策的支持类别 group（如 研发费用补贴）",
        "instant 秒批事项须有可计算的支持金额（定额或按比例），贷款贴息不能秒批",
        "effective_until 有效期止不能早于有效期起",
    ]


def test_the_condition_language_still_checks_criteria():
    bad = LINE | {"criteria": {"all": [{"field": "nope", "op": "eq", "value": 1}]}}
    with pytest.raises(ValueError, match="^criteria "):
        catalog.parse_policy_row(bad)


def test_content_keeps_every_field_in_order():
    content = schemas.normalize_content({"title": " t ", "category": "其他", "budget_wan": "100.005"})
    assert list(content) == list(schemas.PolicyContent.model_fields)
    assert (
        content["title"] == "t"
        and content["region"] == "宝安区"
        and content["budget_wan"] == Decimal("100.00")
    )
    assert content["conditions"] == {"all": []} and content["tests"] == [] and content["instant"] is False


def test_a_line_that_is_not_an_object_is_a_line_error():
    with pytest.raises(ValueError, match="^应为 JSON 对象$"):
        catalog.parse_policy_row([1, 2])


def test_a_document_line_names_each_of_its_bad_keys():
    doc = {
        "id": "D-1",
        "version": 2,
        "category": "其他",
        "title": "字" * (schemas.TITLE_MAX + 1),
        "issuer": "字" * (schemas.ISSUER_MAX + 1),
        "extra": 1,
        "items": [{"id": "P-1", "title": "一", "criteria": {"all": []}}],
    }
    with pytest.raises(ValueError) as caught:
        catalog.parse_document_row(doc)
    assert str(caught.value).split("；") == [
        "文件的未知字段：extra",
        f"title 长度超过 {schemas.TITLE_MAX} 字",
        f"issuer 长度超过 {schemas.ISSUER_MAX} 字",
        f"第1项：issuer 长度超过 {schemas.ISSUER_MAX} 字",
    ]
