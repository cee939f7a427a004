"""schemathesis against the served OpenAPI document of the bank API, with a real bank token, bounded in time.

Each operation gets a few dozen generated requests (bodies valid and invalid by the document), sent twice: as
generated, and aimed at a request really routed to the token's bank, so the bodies reach the services and not
only the 404 of an unknown id. Every response must be no server error, carry a documented status code and
match the documented schema.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from portal.extensions import db
from portal.finance import services
from portal.finance.openapi import _skeleton as openapi_skeleton
from portal.timeutil import today

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def fuzz_target(app, world, token_for):
    """The app's OpenAPI document, a bank token, and two live requests of that bank (one with its offer
    accepted, so disbursements reach the service too)."""
    bank = world.bank_user(world.bank_ids[0])
    routed = world.post()
    accepted = world.post()
    offer = services.make_offer(
        services.bank_route(accepted.id, bank.bank_id),
        actor=bank,
        amount_wan=Decimal(400),
        rate=Decimal("3.6"),
        term_months=24,
        conditions_text="",
        valid_until=today() + timedelta(days=10),
    )
    services.accept_offer(offer, actor=world.enterprise_user)
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema, token_for(bank), (routed.id, accepted.id)


# Every documented operation with valid data; those that take input also with data the document refuses
# (an operation with no parameter and no body has nothing to make invalid).
CASES = [
    (method.upper(), path, mode)
    for path, item in openapi_skeleton()["paths"].items()
    for method, operation in item.items()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or "parameters" in operation or "requestBody" in operation
]


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_bank_api_conforms_to_its_document(fuzz_target, method, path, mode):
    schema, headers, live_ids = fuzz_target
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,  # a first request warms caches; the bound is the example count
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same cases every run: a failure in CI reproduces here
        database=None,
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)
        if "request_id" in (case.path_parameters or {}):
            for request_id in live_ids:
                case.path_parameters = {**case.path_parameters, "request_id": request_id}
                if mode is GenerationMode.POSITIVE and isinstance(case.body, dict):
                    # The generator cannot read "not before today" (formatMinimum): give the dates a day
                    # the API accepts, so valid bodies also reach the success responses.
                    for name in ("valid_until", "disbursed_on"):
                        if name in case.body:
                            case.body = {**case.body, name: today().isoformat()}
                case.call_and_validate(headers=headers, checks=CHECKS)

    run()
