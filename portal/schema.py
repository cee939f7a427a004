"""JSON Schema of the exchange format (v1 and v2), generated from the field registry (pure module, no Flask).

docs/schema/enterprise.schema.json and docs/schema/policy.schema.json are this module's output
(`python -m portal.schema docs/schema`); a test checks that the files are current and that the example files
validate, so the published schema cannot drift from what the import accepts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from portal import conditions as cond
from portal import reference

# Policy test cases (portal/policies/cases.py runs them): the outcomes a case may expect, how many a policy
# holds, and what a case's partial profile may hold (record fields, figures by year, portal records, loan fields)
CASE_EXPECTS = {cond.PASS: "符合", cond.FAIL: "不符合", cond.UNKNOWN: "无法判定"}
MAX_CASES = 50
CASE_PROFILE_KEYS = frozenset(
    (*cond.RECORD_FIELDS, "industry_code", "figures", "approved_groups", "qualifications", *cond.LOAN_FIELDS)
) | frozenset(cond.previous_field(name) for name in cond.YEAR_FIELDS)
EXPECTS, PROFILE_KEYS = CASE_EXPECTS, CASE_PROFILE_KEYS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://example.invalid/portal/schema/"  # no public host: the id only names the document
VERSIONS = (1, 2)
# what v2 adds to v1 (documented in docs/IMPORT.md; a v1 line is a valid v2 line)
V2_ENTERPRISE_KEYS = (
    "version",
    "tax_district",
    "operating_district",
    "figures",
    "qualifications_since",
    "qualification_until",
)
V2_POLICY_KEYS = ("version", "group", "tests", "effective_from", "effective_until")

_MONEY = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": int(cond.MAX_MONEY)},
        {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
    ],
    "description": "万元，0 到 1 亿，至多两位小数；JSON 数字或数字文本",
}


def _qualification_words() -> list[str]:
    """The seed vocabulary's names and aliases (imports map an alias to its name; admins may add more)."""
    return [w for t in reference.seed_vocabulary() for w in (t.name, *t.aliases)]


def _record_value(name: str, spec: cond.FieldSpec) -> dict[str, Any]:
    """The schema of one record field's value (null means "not in this line")."""
    if spec.money:
        out: dict[str, Any] = dict(_MONEY)
    elif spec.kind == "number":
        low, high = spec.bounds
        out = {"type": "integer", "minimum": low, "maximum": high}
    elif spec.kind == "text":
        out = {"type": "string", "maxLength": spec.bounds[1]}
    elif spec.kind == "district":
        out = {"type": "string", "minLength": 1, "description": "部署区域数据中的区名（默认深圳市各区）"}
    elif spec.kind == "industry":
        out = {"type": "string", "pattern": "^[A-T][0-9]{4}$", "description": "GB/T 4754-2017 小类代码"}
    elif spec.kind == "date":
        out = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD"}
    elif spec.kind == "qualifications":
        out = {"type": "array", "items": {"enum": _qualification_words()}}
    elif spec.kind == "bool":
        out = {"type": "boolean"}
    else:  # a new kind must say how it is exchanged
        raise ValueError(f"no schema for field kind {spec.kind} ({name})")
    title = f"{spec.label}（{spec.unit}）" if spec.unit else spec.label
    return {"title": title, "anyOf": [out, {"type": "null"}]}


def enterprise_schema() -> dict[str, Any]:
    """The schema of one enterprise line (formats v1 and v2)."""
    figures = {
        "type": "object",
        "additionalProperties": False,
        "properties": {n: _record_value(n, cond.RECORD_FIELDS[n]) for n in cond.YEAR_FIELDS},
    }
    properties: dict[str, Any] = {
        "version": {"enum": list(VERSIONS), "description": "格式版本；缺省为 1"},
        "uscc": {
            "title": "统一社会信用代码",
            "type": "string",
            "pattern": f"^[{reference.USCC_CHARSET}]{{18}}$",
        },
    }
    properties |= {n: _record_value(n, s) for n, s in cond.RECORD_FIELDS.items()}
    properties["figures"] = {
        "title": "历年经营数据（v2）",
        "description": '按年份：{"2025": {"revenue_wan": 5230}}；最近一年即单项字段的值',
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": "^[0-9]{4}$"},
        "additionalProperties": figures,
    }
    day_of = {
        "type": "object",
        "additionalProperties": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    }
    properties["qualifications_since"] = day_of | {
        "title": "资质获得日期（v2）",
        "description": '{"资质": "YYYY-MM-DD"}：按词表的有效期（月）算出到期日；须在 qualifications 中',
    }
    properties["qualification_until"] = day_of | {
        "title": "资质有效期至（v2）",
        "description": '{"资质": "YYYY-MM-DD"}：该日之后不再计入条件；优先于获得日期',
    }
    return {
        "$schema": DRAFT,
        "$id": BASE_ID + "enterprise.schema.json",
        "title": "企业数据：JSON Lines 的一行（交换格式 v1/v2）",
        "type": "object",
        "required": ["uscc"],
        "additionalProperties": False,
        "properties": properties,
    }


def _condition_value(spec: cond.FieldSpec, many: bool) -> dict[str, Any]:
    kind = spec.kind
    if kind in ("number", "years", "ratio"):
        one: dict[str, Any] = {"type": "number"}
        if kind == "ratio":
            low, high = spec.bounds or (0, 1)
            one |= {"minimum": low, "maximum": high}
    elif kind == "bool":
        one = {"type": "boolean"}
    elif kind == "size_class":
        one = {"enum": list(reference.SIZE_CLASSES)}
    elif kind == "qualifications":
        one = {"enum": [t.name for t in reference.seed_vocabulary()]}
    elif kind == "collateral":
        one = {"enum": list(reference.COLLATERAL_KINDS)}
    else:
        one = {"type": "string", "minLength": 1}
    return {"type": "array", "minItems": 1, "items": one} if many else one


def _rows() -> list[dict[str, Any]]:
    """One row schema per field and list-ness of its operators (ops, value type and keys from the registry)."""
    out = []
    for name, spec in cond.FIELDS.items():
        for many in (False, True):
            ops = [op for op in spec.ops if cond.OPS[op].many == many]
            if not ops:
                continue
            properties: dict[str, Any] = {
                "field": {"const": name, "title": spec.label},
                "op": {"enum": ops},
                "value": _condition_value(spec, many),
            }
            if spec.kind == "groups":
                properties["within_years"] = {"type": "number", "exclusiveMinimum": 0, "maximum": 100}
            out.append(
                {
                    "type": "object",
                    "required": ["field", "op", "value"],
                    "additionalProperties": False,
                    "properties": properties,
                }
            )
    return out


def _support() -> dict[str, Any]:
    number = {"type": "number", "minimum": 0}
    types = {
        "amount_wan": number,
        "rate": number,
        "cap_wan": {"anyOf": [number, {"type": "null"}]},
        "over_wan": {"anyOf": [number, {"type": "null"}]},
        "increase": {"type": "boolean"},
        "base": {"enum": list(cond.SUPPORT_BASES)},
        "tiers": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["gte", "amount_wan"],
                "additionalProperties": False,
                "properties": {"gte": number, "amount_wan": number},
            },
        },
    }
    kinds = []
    for kind, (required, optional) in cond.SUPPORT_KEYS.items():
        kinds.append(
            {
                "type": "object",
                "required": ["kind", *required],
                "additionalProperties": False,
                "properties": {"kind": {"const": kind}} | {k: types[k] for k in (*required, *optional)},
            }
        )
    return {"oneOf": [*kinds, {"type": "null"}]}


def policy_schema() -> dict[str, Any]:
    """The schema of one policy line (formats v1 and v2)."""
    text = {"type": "string"}
    day = {"anyOf": [{"type": "string", "pattern": r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"}, {"type": "null"}]}
    policy = {
        "type": "object",
        "required": ["id", "title", "category", "criteria"],
        "additionalProperties": False,
        "properties": {
            "version": {"enum": list(VERSIONS)},
            "id": {"type": "string", "minLength": 1, "maxLength": 40},
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "issuer": {"type": "string", "maxLength": 100},
            "doc_no": {"type": "string", "maxLength": 100},
            "region": {"type": "string"},
            "category": {"enum": list(reference.POLICY_CATEGORIES)},
            "group": {"type": "string", "maxLength": 40, "description": "支持类别（v2）：@own（本类）所指"},
            "published": day,
            "deadline": day,
            "text": text | {"maxLength": 20000},
            "criteria": {"$ref": "#/$defs/node"},
            "targets": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "industries": {"type": "array", "items": {"type": "string"}},
                    "qualifications": {"type": "array", "items": {"enum": _qualification_words()}},
                },
            },
            "support": {"$ref": "#/$defs/support"},
            "instant": {"type": "boolean"},
            "budget_wan": {"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]},
            "effective_from": day | {"description": "条件与支持标准的适用起始日（v2）"},
            "effective_until": day | {"description": "条件与支持标准的适用截止日（v2）"},
            "tests": {
                "type": "array",
                "maxItems": MAX_CASES,
                "description": "测试用例（v2）：示例企业及预期结果，发布前须全部通过",
                "items": {"$ref": "#/$defs/case"},
            },
        },
    }
    item = policy | {"required": ["id", "title", "criteria"], "description": "申报事项：未写的键取自所属文件"}
    inherited = {k: policy["properties"][k] for k in ("issuer", "doc_no", "region", "category", "published",
                                                      "deadline", "text", "group")}  # fmt: skip
    document = {
        "type": "object",
        "description": "政策文件（v2）：一份文件含多个申报事项",
        "required": ["version", "id", "title", "items"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": 2},
            "id": {"type": "string", "minLength": 1, "maxLength": 40},
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            **inherited,
            "items": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"$ref": "#/$defs/item"}},
        },
    }
    return {
        "$schema": DRAFT,
        "$id": BASE_ID + "policy.schema.json",
        "title": "政策：JSON Lines 的一行（交换格式 v1/v2；v2 另可为含 items 的政策文件）",
        "oneOf": [{"$ref": "#/$defs/policy"}, {"$ref": "#/$defs/document"}],
        "$defs": {
            "case": {
                "type": "object",
                "required": ["profile", "expect"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "maxLength": 60},
                    "profile": {
                        "type": "object",
                        "description": "企业的部分数据（与企业导入同名的字段，可含 figures、approved_groups、贷款字段）",
                        "propertyNames": {"enum": sorted(PROFILE_KEYS)},
                    },
                    "expect": {"enum": list(EXPECTS)},
                    "amount_wan": {
                        "type": "number",
                        "minimum": 0,
                        "description": "预期金额（万元），仅用于 pass",
                    },
                },
            },
            "node": {
                "oneOf": [
                    {"$ref": "#/$defs/row"},
                    {
                        "type": "object",
                        "required": ["all"],
                        "additionalProperties": False,
                        "properties": {"all": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
                    },
                    {
                        "type": "object",
                        "required": ["any"],
                        "additionalProperties": False,
                        "properties": {
                            "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/node"}}
                        },
                    },
                    {
                        "type": "object",
                        "required": ["not"],
                        "additionalProperties": False,
                        "properties": {"not": {"$ref": "#/$defs/node"}},
                    },
                ]
            },
            "row": {"oneOf": _rows()},
            "support": _support(),
            "policy": policy,
            "item": item,
            "document": document,
        },
    }


SCHEMAS = {"enterprise.schema.json": enterprise_schema, "policy.schema.json": policy_schema}


def render(build: Any) -> str:
    """A schema as the file holds it (stable key order, Chinese unescaped)."""
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


def main(folder: str) -> None:
    """Write every schema file into folder."""
    for name, build in SCHEMAS.items():
        Path(folder, name).write_text(render(build), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/schema")
