"""The served OpenAPI document is valid OpenAPI 3 and says what the API and the services accept: one source."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sqlalchemy import func, select

from portal.extensions import db
from portal.finance import schemas, services
from portal.finance.models import FinancingOffer
from portal.services import ServiceError
from portal.timeutil import today


def _served(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def _body_validator(doc: dict, name: str) -> Draft202012Validator:
    """A JSON Schema validator for one documented request body, its $refs resolved inside the document."""
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": doc["components"]})


def test_served_document_validates_as_openapi_3(client):
    doc = _served(client)
    assert doc["openapi"].startswith("3.1")
    validate(doc)  # raises OpenAPIValidationError on any structural mistake


def test_every_operation_documents_its_errors_with_the_error_schema(client):
    doc = _served(client)
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert "400" in codes, (method, path)
            if path != "/openapi.json":
                assert {"401", "413"} <= codes, (method, path)
            if method == "post":
                assert {"403", "404", "422"} <= codes, (method, path)


@pytest.fixture
def offer_case(world, token_for):
    """A routed request, its bank's route and token header."""
    request = world.post()
    route = services.bank_route(request.id, world.bank_ids[0])
    return request, route, world.bank_user(world.bank_ids[0]), token_for(world.bank_user(world.bank_ids[0]))


def _offer_body(**changes) -> dict:
    return {
        "amount_wan": 400,
        "rate": "3.65",
        "term_months": 24,
        "valid_until": today().isoformat(),
    } | changes


def _service_refuses(route, bank, body: dict) -> str | None:
    """The service's refusal of these terms (None if it accepts them); nothing is kept either way."""
    try:
        services.make_offer(
            route,
            actor=bank,
            amount_wan=Decimal(str(body["amount_wan"])),
            rate=Decimal(body["rate"]),
            term_months=body["term_months"],
            conditions_text="",
            valid_until=schemas.check_day(body["valid_until"], "报价有效期"),
        )
    except ServiceError as exc:
        return str(exc)
    finally:
        db.session.rollback()
    return None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_wan": 0}, "amount_wan"),
        ({"amount_wan": -1}, "amount_wan"),
        ({"amount_wan": 2000000}, "amount_wan"),
        ({"rate": 0}, "rate"),
        ({"rate": 25}, "rate"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 361}, "term_months"),
    ],
)
def test_document_api_and_service_refuse_the_same_numbers(client, offer_case, change, field):
    request, route, bank, headers = offer_case
    body = _offer_body(**change)
    doc = _served(client)
    assert not _body_validator(doc, "OfferIn").is_valid(body)  # the document refuses it
    response = client.post(f"/api/v1/requests/{request.id}/offer", json=body, headers=headers)
    assert response.status_code == 422 and field in response.json["errors"]  # the API refuses it
    assert _service_refuses(route, bank, body)  # and so does the service the web form calls
    assert db.session.scalar(select(func.count()).select_from(FinancingOffer)) == 0


def test_document_api_and_service_agree_on_the_offer_dates(client, offer_case):
    request, route, bank, headers = offer_case
    doc = _served(client)
    valid_until = doc["components"]["schemas"]["OfferIn"]["properties"]["valid_until"]
    # The window the document states is the one the API and the service check with, on the same day.
    assert valid_until["formatMinimum"] == today().isoformat()
    assert (
        valid_until["formatMaximum"] == (today() + timedelta(days=schemas.OFFER_VALID_MAX_DAYS)).isoformat()
    )
    for days, accepted in ((-1, False), (schemas.OFFER_VALID_MAX_DAYS + 1, False), (0, True)):
        body = _offer_body(valid_until=(today() + timedelta(days=days)).isoformat())
        assert (_service_refuses(route, bank, body) is None) is accepted, days
        response = client.post(f"/api/v1/requests/{request.id}/offer", json=body, headers=headers)
        assert (response.status_code == 201) is accepted, (days, response.json)
        if not accepted:
            assert "valid_until" in response.json["errors"] and "报价有效期" in response.json["message"]


def test_document_and_api_agree_on_an_amount_just_above_zero(client, offer_case):
    request, _, _, headers = offer_case
    body = _offer_body(amount_wan=0.01)
    assert _body_validator(_served(client), "OfferIn").is_valid(body)
    response = client.post(f"/api/v1/requests/{request.id}/offer", json=body, headers=headers)
    assert response.status_code == 201 and response.json["amount_wan"] == "0.01"


def test_disbursement_date_window_in_the_document(client):
    props = _served(client)["components"]["schemas"]["DisbursementIn"]["properties"]
    assert props["disbursed_on"]["formatMaximum"] == today().isoformat()
    assert "formatMinimum" not in props["disbursed_on"]  # the acceptance day is per request: the service's


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("１００", "半角"),
        ("1e3", "应为数字"),
        ("sNaN", "有限数"),
        (True, "应为数字"),
        (Decimal("100.001"), "最多保留 2 位小数"),
        (Decimal("0"), "应在 0.01 到"),
    ],
)
def test_the_money_check_is_one_function(value, message):
    with pytest.raises(schemas.InputError, match=message):
        schemas.check_money(value, "融资金额")


def test_a_date_window_needs_today_in_the_context():
    with pytest.raises(TypeError):
        schemas.OfferIn.model_validate(_offer_body())


@pytest.mark.parametrize("module", ["portal.finance.schemas", "portal.finance.openapi"])
def test_schemas_and_document_are_pure(module):
    probe = f"import importlib, json, sys\nimportlib.import_module({module!r})\nprint(json.dumps(sorted(sys.modules)))\n"
    loaded = json.loads(
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    )
    assert module in loaded and not [
        m for m in loaded if m.split(".")[0] in ("flask", "sqlalchemy", "werkzeug")
    ]
