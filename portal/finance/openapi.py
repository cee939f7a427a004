"""The OpenAPI 3.1 document of the banks' API (/api/v1/openapi.json), generated from portal.finance.schemas.

openapi-pydantic builds and checks the document's structure (typed OpenAPI objects) and turns each pydantic
model into a component schema, so the bodies documented here are the models the API validates with. Pure
module: no Flask import; the document is built once, on first use.
"""

from __future__ import annotations

import copy
from datetime import date
from functools import cache, lru_cache
from typing import Any

from openapi_pydantic import OpenAPI
from openapi_pydantic.util import PydanticSchema, construct_open_api_with_schema_class

from portal.finance.schemas import (
    FEED_PAGE_MAX,
    ID_MAX,
    DeclineIn,
    DeclineOut,
    DetailOut,
    DisbursementIn,
    DisbursementOut,
    ErrorOut,
    FeedOut,
    OfferIn,
    OfferOut,
    day_windows,
)

INPUTS = (OfferIn, DeclineIn, DisbursementIn)

DESCRIPTION = (
    "金融机构通过本接口拉取推送给本行的融资需求、查看企业授权范围内的数据（每次查看均记录并向企业公开）、"
    "提交报价或婉拒、登记放款。金额单位为万元，利率为年利率（%）。输出中的金额与利率为十进制字符串；"
    "时间为 ISO 8601（北京时间）。请求体的取值范围与门户网页、服务层为同一份定义（portal/finance/schemas.py）；"
    "与日期相关的范围（报价有效期、放款日期）以北京时间的“今天”计算，写在各字段的说明中。"
)

_REQUEST_ID = {
    "name": "request_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
}

# Keyset paging of the feed: ?limit= rows (at most FEED_PAGE_MAX), ?before= the previous page's next_before.
_FEED_PAGE = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": FEED_PAGE_MAX, "default": FEED_PAGE_MAX},
    },
    {
        "name": "before",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
    },
]


def _json(model: type, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": PydanticSchema(schema_class=model)}},
    }


def _error(description: str) -> dict[str, Any]:
    return _json(ErrorOut, description)


_EDGE = {
    "400": _error("请求被拒绝：文本含 NUL、孤立代理项等无效字符，或 JSON 嵌套过深"),
    "401": _error("缺少或无效的令牌（已吊销的令牌、已停用账号的令牌亦然）"),
    "413": _error("请求体超过大小限制"),
}
_READ = _EDGE | {
    "403": _error("该需求曾推送给本行，但授权已撤回/到期、答复期限已过或本行已结束处理"),
    "404": _error("该融资需求不存在或从未推送给本行"),
}
_WRITE = _READ | {"422": _error("请求体无效（未知字段、类型错误、超出范围）或当前状态不允许该操作")}


def _post(
    summary: str, operation_id: str, body: type, ok: str, answer: type, answered: str
) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "operationId": operation_id,
            "parameters": [_REQUEST_ID],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": PydanticSchema(schema_class=body)}},
            },
            "responses": {ok: _json(answer, answered)} | _WRITE,
        }
    }


def _skeleton() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "亲清虚拟园区 · 银行融资撮合接口", "version": "1.1.0", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/feed": {
                "get": {
                    "summary": "本行待处理的融资需求列表（不含企业数据）",
                    "operationId": "listFeed",
                    "parameters": _FEED_PAGE,
                    "responses": {"200": _json(FeedOut, "推送给本行、仍在答复期限或报价中的需求")}
                    | _EDGE
                    | {"422": _error("查询参数 limit 或 before 不是范围内的整数")},
                }
            },
            "/requests/{request_id}": {
                "get": {
                    "summary": "查看一条融资需求及企业授权的数据（记录查看日志）",
                    "operationId": "readRequest",
                    "parameters": [_REQUEST_ID],
                    "responses": {"200": _json(DetailOut, "需求详情")} | _READ,
                }
            },
            "/requests/{request_id}/offer": _post(
                "提交报价（每家银行每条需求一次；撤回后可重新报价）",
                "postOffer",
                OfferIn,
                "201",
                OfferOut,
                "报价已提交",
            ),
            "/requests/{request_id}/decline": _post(
                "婉拒并说明理由", "postDecline", DeclineIn, "200", DeclineOut, "已婉拒"
            ),
            "/requests/{request_id}/disbursement": _post(
                "登记放款（仅限企业已接受报价的银行，金额不超过报价）",
                "postDisbursement",
                DisbursementIn,
                "201",
                DisbursementOut,
                "放款已登记",
            ),
            "/openapi.json": {
                "get": {
                    "summary": "本文档",
                    "operationId": "openapi",
                    "security": [],
                    "responses": {
                        "200": {"description": "OpenAPI 3.1 文档", "content": {"application/json": {}}},
                        "400": _EDGE["400"],
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "银行工作人员在“接口令牌”页面创建的令牌，只显示一次；吊销后立即失效。",
                }
            }
        },
    }


@cache
def _static() -> dict[str, Any]:
    api = construct_open_api_with_schema_class(OpenAPI.model_validate(_skeleton()))
    return api.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_unset=True)


@lru_cache(maxsize=2)
def document(today: date) -> dict[str, Any]:
    """The OpenAPI document as JSON-able data, with the date windows that hold on `today` (Asia/Shanghai).

    JSON Schema has no "not before today": the windows are written as formatMinimum/formatMaximum (the
    keywords Ajv and other validators use for dates), worked out by the same function the API checks with.
    """
    doc = copy.deepcopy(_static())
    for model in INPUTS:
        properties = doc["components"]["schemas"][model.__name__]["properties"]
        for name, window in day_windows(model).items():
            low, high = window.bounds(today)
            if low is not None:
                properties[name]["formatMinimum"] = low.isoformat()
            if high is not None:
                properties[name]["formatMaximum"] = high.isoformat()
    return doc
