"""The banks' JSON API under /api/v1, authenticated by per-bank tokens (Authorization: Bearer …).

CSRF-exempt because a token, not a cookie, authenticates. Bodies are validated by the pydantic models of
portal.finance.schemas (the same limits the services and the OpenAPI document use): unknown fields, wrong types
and out-of-range values are refused with 422 and a Chinese message naming each field. Responses are serialised
through the documented output models. Errors from abort() are rendered as JSON by portal.errors.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, g, jsonify, request
from werkzeug.http import HTTP_STATUS_CODES

from portal.extensions import csrf, db
from portal.finance import schemas, services
from portal.finance.models import FinancingOffer, FinancingRoute
from portal.finance.openapi import document
from portal.services import ServiceError
from portal.timeutil import local, today, utcnow

api_bp = Blueprint("finance_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)

TOKEN_TOUCH_EVERY = timedelta(minutes=5)  # how stale last_used_at may get: avoids a write on every call


def _problem(status: int, message: str, errors: dict[str, str] | None = None):
    """A JSON error shaped like portal.errors' ({error, status, message}), with per-field errors when given."""
    body = {"error": HTTP_STATUS_CODES.get(status, "Error"), "status": status, "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    return response


@api_bp.before_request
def authenticate():
    """Every endpoint but the OpenAPI document needs a live token of a bank."""
    if request.endpoint == "finance_api.openapi":
        return None
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    token = services.token_bearer(value.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        response = _problem(
            401, "缺少或无效的访问令牌：请在请求头中提供 Authorization: Bearer <令牌>，令牌须未被吊销。"
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="qinqing-portal"'
        return response
    now = utcnow()
    if token.last_used_at is None or now - local(token.last_used_at) > TOKEN_TOUCH_EVERY:
        token.last_used_at = now
        db.session.commit()
    g.api_token = token
    return None


# ---------------------------------------------------------------- strict body parsing


def _body(model: type[schemas.InputModel]) -> Any:
    """The JSON body validated by its pydantic model; abort with 422 naming every bad field."""
    parsed, errors = schemas.parse(model, request.get_json(silent=True), today=today())
    if "body" in errors:
        abort(_problem(422, "请求体应为 JSON 对象（Content-Type: application/json）。"))
    if errors:
        detail = "；".join(f"{k}：{v}" for k, v in errors.items())
        abort(_problem(422, f"提交的数据无效：{detail}。", errors))
    return parsed


def _route(request_id: int) -> FinancingRoute:
    """The token's bank's route of the request: 404 if never routed to it, 403 once access is lost."""
    route = services.bank_route(request_id, g.api_token.bank_id)
    if route is None:
        abort(404, "该融资需求不存在或未推送给本行。")
    problem = route.access_problem(g.api_token, utcnow())
    if problem:
        abort(403, problem)
    return route


def _refused(exc: ServiceError):
    db.session.rollback()
    return _problem(422, str(exc))


# ---------------------------------------------------------------- serialisation


def _summary_fields(route: FinancingRoute) -> dict[str, Any]:
    req = route.request
    return {
        "request_id": req.id,
        "route_status": route.status,
        "routed_at": local(route.routed_at),
        "deadline_at": local(route.deadline_at),
        "amount_wan": req.amount_wan,
        "term_months": req.term_months,
        "purpose": req.purpose,
        "collateral": req.collateral,
        "max_rate": req.max_rate,
        "product_id": route.product_id,
        "score": float(route.score),
        "fit": services.visible_reasons(route, None),
    }


def _offer(offer: FinancingOffer | None) -> schemas.OfferOut | None:
    if offer is None:
        return None
    return schemas.OfferOut(
        id=offer.id,
        status=offer.status,
        amount_wan=offer.amount_wan,
        rate=offer.rate,
        term_months=offer.term_months,
        conditions=offer.conditions_text,
        valid_until=offer.valid_until,
    )


def _json(model: schemas.OutputModel, status: int = 200):
    """A response body serialised by its documented model."""
    return model.model_dump(mode="json"), status


# ---------------------------------------------------------------- endpoints


@api_bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(document(today()))


def _page_argument(name: str, most: int) -> int | None:
    """A paging query argument: absent (None) or a whole number 1..most, else 422 (never a database error)."""
    raw = request.args.get(name)
    if raw is None:
        return None
    value = int(raw) if raw.isascii() and raw.isdigit() else 0
    if not 1 <= value <= most:
        message = f"应为 1 至 {most} 的整数"
        abort(_problem(422, f"查询参数无效：{name}：{message}。", {name: message}))
    return value


@api_bp.get("/feed")
def feed():
    """Requests routed to the token's bank that it may still act on (no profile data: see /requests/{id})."""
    limit = _page_argument("limit", schemas.FEED_PAGE_MAX) or schemas.FEED_PAGE_MAX
    routes = services.bank_feed(
        g.api_token.bank_id, limit=limit, before=_page_argument("before", schemas.ID_MAX)
    )
    # Keyset paging: pass next_before as ?before= for the next (older) page; null on the last one.
    items = [schemas.SummaryOut(**_summary_fields(r)) for r in routes]
    return _json(schemas.FeedOut(items=items, next_before=routes[-1].id if len(routes) == limit else None))


@api_bp.get("/requests/<id:request_id>")
def read_request(request_id: int):
    """One routed request with the consented profile data; the read is logged for the enterprise."""
    view = services.view_request(_route(request_id), actor=g.api_token, channel="api")
    db.session.commit()
    return _json(
        schemas.DetailOut(
            **_summary_fields(view.route)
            | {
                "request_status": view.request.status,
                "consented_groups": view.groups,
                "profile": {g: {name: value for name, _, value in rows} for g, rows in view.fields.items()},
                "fit": view.reasons,
                "offer": _offer(view.offer),
            }
        )
    )


@api_bp.post("/requests/<id:request_id>/offer")
def post_offer(request_id: int):
    """Answer with an offer."""
    route = _route(request_id)
    body = _body(schemas.OfferIn)
    try:
        offer = services.make_offer(
            route,
            actor=g.api_token,
            amount_wan=body.amount_wan,
            rate=body.rate,
            term_months=body.term_months,
            conditions_text=body.conditions,
            valid_until=body.valid_until,
        )
    except ServiceError as exc:
        return _refused(exc)
    db.session.commit()
    return _json(_offer(offer), 201)


@api_bp.post("/requests/<id:request_id>/decline")
def post_decline(request_id: int):
    """Decline with a reason."""
    route = _route(request_id)
    body = _body(schemas.DeclineIn)
    try:
        services.decline(route, actor=g.api_token, reason=body.reason)
    except ServiceError as exc:
        return _refused(exc)
    db.session.commit()
    return _json(
        schemas.DeclineOut(request_id=request_id, route_status=route.status, reason=route.decline_reason)
    )


@api_bp.post("/requests/<id:request_id>/disbursement")
def post_disbursement(request_id: int):
    """Record the payout of the bank's accepted offer."""
    route = _route(request_id)
    body = _body(schemas.DisbursementIn)
    try:
        done = services.record_disbursement(
            route, actor=g.api_token, amount_wan=body.amount_wan, disbursed_on=body.disbursed_on
        )
    except ServiceError as exc:
        return _refused(exc)
    db.session.commit()
    return _json(
        schemas.DisbursementOut(
            request_id=request_id,
            offer_id=done.offer_id,
            amount_wan=done.amount_wan,
            disbursed_on=done.disbursed_on,
        ),
        201,
    )
