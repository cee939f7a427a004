"""The enterprise import line as a pydantic model built from the field registry (portal.enterprise_schema)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from portal import conditions as cond
from portal import enterprise_schema, services
from portal.service_error import ServiceError
from tests.conftest import make_uscc

ON = date(2026, 11, 24)
LINE = {"uscc": make_uscc(8001), "name": "深圳市八方科技有限公司", "industry_code": "C3976"}
BOUNDED = [(n, s) for n, s in cond.RECORD_FIELDS.items() if s.bounds and not s.money]


def test_the_model_has_one_field_for_each_registry_field():
    """A field added to the registry is a field of the import line, with nothing else to edit."""
    expected = {"uscc", "version", "figures", *cond.RECORD_FIELDS, *enterprise_schema.HOLDING_KEYS}
    assert set(enterprise_schema.EnterpriseRow.model_fields) == expected
    assert services.ROW_PARSERS is enterprise_schema.FIELD_CHECKS


@pytest.mark.parametrize(("name", "spec"), BOUNDED, ids=[n for n, _ in BOUNDED])
def test_registry_bounds_hold_on_the_line(name, spec):
    """Each bounded number and text field takes its registry maximum and refuses one more."""
    high = spec.bounds[1]
    at, over = (high, high + 1) if spec.kind == "number" else ("字" * high, "字" * (high + 1))
    _, values = enterprise_schema.parse_row(LINE | {name: at})
    assert values[name] == at
    with pytest.raises(ValueError, match=rf"^{name}（{spec.label}）："):
        enterprise_schema.parse_row(LINE | {name: over})


def test_a_registry_bound_is_enforced_by_the_import(app):
    """Through import_enterprises: the line over the registry's bound is a numbered error, the other loads."""
    most = cond.FIELDS["employees"].bounds[1]
    lines = [
        json.dumps(LINE | {"employees": most}, ensure_ascii=False),
        json.dumps(LINE | {"uscc": make_uscc(8002), "employees": most + 1}, ensure_ascii=False),
    ]
    report = services.import_enterprises(lines, source="测试", on=ON)
    assert report.inserted == 1
    assert report.errors == [(2, "employees（从业人员）：应为非负整数")]


@pytest.mark.parametrize(
    ("given", "kept"),
    [(3200.5, "3200.50"), (0.1, "0.10"), ("12", "12.00"), (100000000, "100000000.00"), (0, "0.00")],
)
def test_money_is_a_decimal_of_two_places(given, kept):
    """A JSON number means the decimal it is written as: never a float in the values."""
    _, values = enterprise_schema.parse_row(LINE | {"revenue_wan": given})
    assert type(values["revenue_wan"]) is Decimal and str(values["revenue_wan"]) == kept


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (1.234, "最多两位小数（万元）"),
        (-1, "应为 0 到 1 亿（万元）之间的数"),
        (100000000.01, "应为 0 到 1 亿（万元）之间的数"),
        (True, "应为数字"),
        ("abc", "应为数字"),
    ],
)
def test_money_refusals_keep_their_messages(given, message):
    with pytest.raises(ValueError) as caught:
        enterprise_schema.parse_row(LINE | {"assets_wan": given})
    assert str(caught.value) == f"assets_wan（资产总额）：{message}"


def test_every_problem_of_a_line_in_one_message_in_the_old_order():
    """The code, the version, unknown keys (one problem, sorted), then the fields in the registry's order."""
    raw = {"uscc": "123", "version": 9, "zeta": 1, "alpha": 2, "revenue_wan": -1, "employees": "x"}
    with pytest.raises(ValueError) as caught:
        enterprise_schema.parse_row(raw)
    problems = str(caught.value).split("；")
    assert problems[0].startswith("uscc：") and problems[1].startswith("version：不支持的格式版本 9")
    assert problems[2] == "未知字段：alpha、zeta"
    assert problems[3:] == [
        "employees（从业人员）：应为非负整数",
        "revenue_wan（上年度营业收入）：应为 0 到 1 亿（万元）之间的数",
    ]


def test_null_means_not_in_the_line_and_missing_code_is_named():
    _, values = enterprise_schema.parse_row(LINE | {"street": None, "figures": None})
    assert "street" not in values and "figures" not in values
    with pytest.raises(ValueError, match="^uscc：缺少统一社会信用代码$"):
        enterprise_schema.parse_row({"name": "x"})
    with pytest.raises(ValueError, match="^应为 JSON 对象$"):
        enterprise_schema.parse_row([1])


def test_holding_dates_need_the_qualifications_of_the_same_line():
    held = ["国家高新技术企业"]
    _, values = enterprise_schema.parse_row(
        LINE | {"qualifications": held, "qualification_until": {"国家高新技术企业": "2027-01-01"}}
    )
    assert values["qualification_until"] == {"国家高新技术企业": "2027-01-01"}
    with pytest.raises(ValueError, match="须与 qualifications 一同提供"):
        enterprise_schema.parse_row(LINE | {"qualifications_since": {"国家高新技术企业": "2024-01-01"}})


def test_service_error_lives_in_its_own_module_and_no_service_cycle():
    """portal.services re-exports ServiceError; vocabulary.services no longer imports portal.services."""
    assert services.ServiceError is ServiceError
    probe = "import sys\nimport portal.vocabulary.services\nprint('portal.services' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_finance_models_do_not_re_export_matching():
    from portal.finance import models

    assert not {"LOAN_KINDS", "COLLATERAL_KINDS", "FIELD_GROUPS"} & set(vars(models))
