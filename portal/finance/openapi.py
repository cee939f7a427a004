"""The OpenAPI 3 document of the banks' API (/api/v1/openapi.json), written by hand to match portal/finance/api.py."""

from __future__ import annotations

_DECIMAL = {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
_NUMBER_IN = {
    "oneOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*-?\d+(\.\d+)?\s*$"}],
    "description": "数字或数字字符串（按十进制精确解析）",
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


def _json(ref: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


_REQUEST_ID = {
    "name": "request_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}
_COMMON = {
    "401": _error("缺少或无效的令牌（已吊销的令牌亦然）"),
    "403": _error("该需求曾推送给本行，但授权已撤回/到期、答复期限已过或本行已结束处理"),
    "404": _error("该融资需求不存在或从未推送给本行"),
}
_WRITE = _COMMON | {"422": _error("请求体无效（未知字段、类型错误、超出范围）或当前状态不允许该操作")}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "亲清虚拟园区 · 银行融资撮合接口",
        "version": "1.0.0",
        "description": (
            "金融机构通过本接口拉取推送给本行的融资需求、查看企业授权范围内的数据（每次查看均记录并向企业公开）、"
            "提交报价或婉拒、登记放款。金额单位为万元，利率为年利率（%）。输出中的金额与利率为十进制字符串；"
            "时间为 ISO 8601（北京时间）。"
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": {
        "/feed": {
            "get": {
                "summary": "本行待处理的融资需求列表（不含企业数据）",
                "operationId": "listFeed",
                "responses": {
                    "200": {
                        "description": "推送给本行、仍在答复期限或报价中的需求",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["items"],
                                    "properties": {
                                        "items": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Summary"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "401": _COMMON["401"],
                },
            }
        },
        "/requests/{request_id}": {
            "get": {
                "summary": "查看一条融资需求及企业授权的数据（记录查看日志）",
                "operationId": "readRequest",
                "parameters": [_REQUEST_ID],
                "responses": {"200": _json("#/components/schemas/Detail", "需求详情")} | _COMMON,
            }
        },
        "/requests/{request_id}/offer": {
            "post": {
                "summary": "提交报价（每家银行每条需求一次）",
                "operationId": "postOffer",
                "parameters": [_REQUEST_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OfferIn"}}},
                },
                "responses": {"201": _json("#/components/schemas/Offer", "报价已提交")} | _WRITE,
            }
        },
        "/requests/{request_id}/decline": {
            "post": {
                "summary": "婉拒并说明理由",
                "operationId": "postDecline",
                "parameters": [_REQUEST_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeclineIn"}}},
                },
                "responses": {
                    "200": {
                        "description": "已婉拒",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "request_id": {"type": "integer"},
                                        "route_status": {"type": "string", "enum": ["declined"]},
                                        "reason": {"type": "string"},
                                    },
                                }
                            }
                        },
                    }
                }
                | _WRITE,
            }
        },
        "/requests/{request_id}/disbursement": {
            "post": {
                "summary": "登记放款（仅限企业已接受报价的银行，金额不超过报价）",
                "operationId": "postDisbursement",
                "parameters": [_REQUEST_ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/DisbursementIn"}}
                    },
                },
                "responses": {"201": _json("#/components/schemas/Disbursement", "放款已登记")} | _WRITE,
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "本文档",
                "operationId": "openapi",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3 文档", "content": {"application/json": {}}}},
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
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "status", "message"],
                "properties": {
                    "error": {"type": "string"},
                    "status": {"type": "integer"},
                    "message": {"type": "string", "description": "中文说明"},
                    "errors": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "逐字段的问题（422）",
                    },
                },
            },
            "Summary": {
                "type": "object",
                "properties": {
                    "request_id": {"type": "integer"},
                    "route_status": {"type": "string", "enum": ["pending", "offered"]},
                    "routed_at": {"type": "string", "format": "date-time"},
                    "deadline_at": {
                        "type": "string",
                        "format": "date-time",
                        "description": "逾期未答复即转给其他银行",
                    },
                    "amount_wan": _DECIMAL,
                    "term_months": {"type": "integer"},
                    "purpose": {"type": "string"},
                    "collateral": {"type": "string"},
                    "max_rate": _DECIMAL,
                    "product_id": {"type": "integer", "description": "本行最匹配的产品"},
                    "score": {"type": "number", "minimum": 0, "maximum": 1},
                    "fit": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "匹配说明（列表中不含企业数据）",
                    },
                },
            },
            "Detail": {
                "allOf": [
                    {"$ref": "#/components/schemas/Summary"},
                    {
                        "type": "object",
                        "properties": {
                            "request_status": {"type": "string", "enum": ["open", "accepted", "disbursed"]},
                            "consented_groups": {
                                "type": "array",
                                "items": {"type": "string", "enum": ["基本信息", "经营财务", "资质信用"]},
                            },
                            "profile": {
                                "type": "object",
                                "description": "按授权的数据类别分组的企业数据：类别 → {字段: 值}",
                                "additionalProperties": {"type": "object"},
                            },
                            "offer": {"nullable": True, "allOf": [{"$ref": "#/components/schemas/Offer"}]},
                        },
                    },
                ]
            },
            "OfferIn": {
                "type": "object",
                "additionalProperties": False,
                "required": ["amount_wan", "rate", "term_months", "valid_until"],
                "properties": {
                    "amount_wan": _NUMBER_IN
                    | {"description": "授信金额（万元），大于 0、不超过申请金额，最多两位小数"},
                    "rate": _NUMBER_IN | {"description": "年利率（%），0.01–24，最多三位小数"},
                    "term_months": {"type": "integer", "minimum": 1, "maximum": 360},
                    "conditions": {"type": "string", "maxLength": 2000, "description": "放款条件"},
                    "valid_until": {"type": "string", "format": "date", "description": "今天起 90 天内"},
                },
            },
            "Offer": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "status": {"type": "string", "enum": ["open", "accepted", "withdrawn", "closed"]},
                    "amount_wan": _DECIMAL,
                    "rate": _DECIMAL,
                    "term_months": {"type": "integer"},
                    "conditions": {"type": "string"},
                    "valid_until": {"type": "string", "format": "date"},
                },
            },
            "DeclineIn": {
                "type": "object",
                "additionalProperties": False,
                "required": ["reason"],
                "properties": {"reason": {"type": "string", "minLength": 4, "maxLength": 500}},
            },
            "DisbursementIn": {
                "type": "object",
                "additionalProperties": False,
                "required": ["amount_wan", "disbursed_on"],
                "properties": {
                    "amount_wan": _NUMBER_IN | {"description": "放款金额（万元），大于 0、不超过报价金额"},
                    "disbursed_on": {
                        "type": "string",
                        "format": "date",
                        "description": "不早于接受报价之日，不晚于今天",
                    },
                },
            },
            "Disbursement": {
                "type": "object",
                "properties": {
                    "request_id": {"type": "integer"},
                    "offer_id": {"type": "integer"},
                    "amount_wan": _DECIMAL,
                    "disbursed_on": {"type": "string", "format": "date"},
                },
            },
        },
    },
}
