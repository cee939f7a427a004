"""Issue 9: banks type loan product conditions in the officials' row editor instead of raw JSON, and a wrong
operator names the valid ones."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from portal.extensions import db
from portal.finance.models import LoanProduct
from tests.finance.test_forms import _product_form


def _form(**overrides) -> dict:
    rows = {
        "rows-0-field": "revenue_wan",
        "rows-0-op": "gte",
        "rows-0-value": "500",
        "rows-1-field": "rd_ratio",
        "rows-1-op": "gte",
        "rows-1-value": "3%",
        "rows-2-field": "qualifications",
        "rows-2-op": "contains_any",
        "rows-2-value": "",  # blank: ignored
    }
    return _product_form(conditions="", **rows) | overrides


def test_bank_writes_conditions_as_rows(world, login):
    client = login(world.bank_users[0])
    page = client.get("/finance/bank/products/new").text
    assert page.count('class="condition-row"') >= 3 and 'name="rows-0-field"' in page
    assert client.post("/finance/bank/products/new", data=_form()).status_code == 302
    product = db.session.scalar(select(LoanProduct).where(LoanProduct.name == "专精特新贷"))
    assert product.conditions == {
        "all": [
            {"field": "revenue_wan", "op": "gte", "value": 500},
            {"field": "rd_ratio", "op": "gte", "value": 0.03},
        ]
    }
    page = client.get(f"/finance/bank/products/{product.id}/edit").text
    assert '<option selected value="rd_ratio">' in page and 'value="3%"' in page


def test_bad_row_is_marked_on_its_row_with_the_valid_operators(world, login):
    before = db.session.scalar(select(func.count(LoanProduct.id)))
    client = login(world.bank_users[0])
    response = client.post(
        "/finance/bank/products/new",
        data=_form(
            **{
                "rows-0-value": "",
                "rows-1-field": "qualifications",
                "rows-1-op": "gte",
                "rows-1-value": "上市企业",
            }
        ),
    )
    assert response.status_code == 400
    assert "第2行：“资质”不能用此运算（可选：持有其中任一项、持有全部、不持有其中任何一项）" in response.text
    assert 'id="row-2" aria-invalid="true"' in response.text
    assert db.session.scalar(select(func.count(LoanProduct.id))) == before


def test_json_with_an_unknown_operator_lists_the_valid_ones(world, login):
    client = login(world.bank_users[0])
    raw = json.dumps({"all": [{"field": "revenue_wan", "op": ">=", "value": 500}]})
    response = client.post("/finance/bank/products/new", data=_form(conditions=raw))
    assert response.status_code == 400
    assert "未知运算 &gt;=" in response.text and "可用的运算：eq、ne、in" in response.text
