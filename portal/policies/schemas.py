"""Policy content, a policy line (v1/v2) and a document line (v2) as pydantic v2 models; their limits live here, once.

Pure module (pydantic, no Flask, no database). The catalog validates what the editor saves and what the import
reads with these models (catalog.normalize_content, parse_policy_row, parse_document_row), and the editor form
takes its lengths and bounds from the constants below, so the form and the import refuse the same things.
Condition trees and support rules are the condition language's (portal.conditions): the validators call it.
Messages are Chinese and name the key as the exchange format spells it (docs/IMPORT.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo

from portal import conditions as cond
from portal import reference
from portal.policies import cases
from portal.validation import UNKNOWN, checked, problems

TITLE_MAX = 200
ISSUER_MAX = 100
DOC_NO_MAX = 100
TEXT_MAX = 20000
GROUP_MAX = 40  # the support group (不重复享受的支持类别)
CODE_MAX = 40  # a policy's or a document's code (id in the exchange format)
MIN_BUDGET, MAX_BUDGET = Decimal(0), Decimal("100000000")  # 万元: 1 万亿元, above any district's budget
MAX_ITEMS = 100  # items of one document
FORMAT_VERSIONS = (1, 2)
DEFAULT_REGION = "宝安区"
REGIONS: tuple[str, ...] = (
    DEFAULT_REGION,
    "深圳市",
    "广东省",
    *(d for d in reference.DISTRICTS if d != DEFAULT_REGION),
)
CENT = Decimal("0.01")


# ---------------------------------------------------------------- the checks of one value (ValueError, Chinese)


def text_check(key: str, limit: int, *, required: bool = False) -> Callable[[Any], str]:
    """Text of at most `limit` characters after stripping (null is empty); `required` refuses it empty."""

    def check(value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError(f"{key} 应为文本")
        value = value.strip()
        if required and not value:
            raise ValueError(f"{key} 不能为空")
        if len(value) > limit:
            raise ValueError(f"{key} 长度超过 {limit} 字")
        return value

    return check


def read_day(value: Any, key: str) -> date | None:
    """A date, or YYYY-MM-DD text; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} 应为 YYYY-MM-DD 日期") from None


def day_check(key: str) -> Callable[[Any], date | None]:
    """A date field named `key` in the messages."""
    return lambda value: read_day(value, key)


def check_budget(value: Any) -> Decimal | None:
    """A budget in 万元 within [MIN_BUDGET, MAX_BUDGET], kept to two places; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("budget_wan 应为数字")
    try:
        amount = cond.to_decimal(value)
    except ValueError:
        raise ValueError("budget_wan 应为数字") from None
    if amount < MIN_BUDGET or amount > MAX_BUDGET:
        raise ValueError("budget_wan 应在 0 到 1 亿（万元）之间")
    return amount.quantize(CENT)


def normalize_targets(targets: Any) -> dict[str, list[str]]:
    """Validate targets {"industries": [prefix], "qualifications": [name]}; raise ValueError naming each problem."""
    if targets is None:
        return {"industries": [], "qualifications": []}
    if not isinstance(targets, Mapping):
        raise ValueError("targets 应为对象")
    found = [f"targets 多余的键 {k}" for k in targets if k not in ("industries", "qualifications")]
    industries = targets.get("industries") or []
    quals = targets.get("qualifications") or []
    if not isinstance(industries, list) or not all(isinstance(i, str) for i in industries):
        found.append("targets.industries 应为行业代码列表")
        industries = []
    if not isinstance(quals, list) or not all(isinstance(q, str) for q in quals):
        found.append("targets.qualifications 应为资质列表")
        quals = []
    bad = [i for i in industries if i not in reference.industry_prefixes()]
    if bad:
        found.append("targets.industries 不是 GB/T 4754-2017 代码或前缀：" + "、".join(bad))
    known = [reference.canonical_qualification(q) for q in quals]
    unknown = [q for q, name in zip(quals, known, strict=True) if name is None]
    if unknown:
        found.append("targets.qualifications 未知资质（不在资质与标签词表中）：" + "、".join(unknown))
    quals = [name for name in known if name]
    if found:
        raise ValueError("；".join(found))
    return {"industries": list(dict.fromkeys(industries)), "qualifications": list(dict.fromkeys(quals))}


def check_region(value: Any) -> str:
    """One of REGIONS; empty means the district's own (宝安区)."""
    region = value or DEFAULT_REGION
    if region not in REGIONS:
        raise ValueError(f"region 未知的地区：{region}")
    return region


def check_category(value: Any) -> str:
    """One of the policy categories."""
    if value not in reference.POLICY_CATEGORIES:
        raise ValueError(f"category 未知的类别：{value!r}（可选：{'、'.join(reference.POLICY_CATEGORIES)}）")
    return value


def end_check(key: str, start: str, message: str) -> Callable[[Any, ValidationInfo], date | None]:
    """A date field named `key` that may not fall before the field `start` (checked before it, when valid)."""

    def check(value: Any, info: ValidationInfo) -> date | None:
        end = read_day(value, key)
        begin = info.data.get(start)
        if begin and end and end < begin:
            raise ValueError(f"{key} {message}")
        return end

    return check


check_deadline = end_check("deadline", "published_on", "不能早于发布日期")
check_effective_until = end_check("effective_until", "effective_from", "有效期止不能早于有效期起")


def check_conditions(value: Any, info: ValidationInfo) -> dict:
    """A condition tree (the condition language's own check); @own needs the policy's support group."""
    try:
        tree = cond.normalize(value or {"all": []})
    except cond.ConditionError as exc:
        raise ValueError("；".join(f"criteria {m}" for m in exc.messages)) from None
    if cond.uses_own_group(tree) and not info.data.get("group"):
        raise ValueError("criteria 用了“本类”（@own），请填写政策的支持类别 group（如 研发费用补贴）")
    return tree


def check_support(value: Any) -> dict[str, Any]:
    """A support rule (the condition language's own check), its null keys dropped."""
    found = cond.validate_support(value)
    if found:
        raise ValueError("；".join(f"support {m}" for m in found))
    return {k: v for k, v in value.items() if v is not None}


def check_instant(value: Any, info: ValidationInfo) -> bool:
    """true or false; an instant (秒批) policy needs an amount it can compute (fixed or ratio support)."""
    if not isinstance(value, bool):
        raise ValueError("instant 应为 true 或 false")
    if value and "support" in info.data:  # support absent from data: its own problem is reported already
        support = info.data["support"]
        if not support or support.get("kind") == "interest":
            raise ValueError("instant 秒批事项须有可计算的支持金额（定额或按比例），贷款贴息不能秒批")
    return value


def code_check(what: str) -> Callable[[Any], str]:
    """A code of 1 to CODE_MAX characters, stripped (what: 政策 or 文件)."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > CODE_MAX:
            raise ValueError(f"id 应为 1–{CODE_MAX} 字的{what}编号")
        return value.strip()

    return check


def check_version(value: Any) -> int:
    """The exchange format version of a policy line: 1 or 2 (v2 adds group, within_years and newer fields)."""
    if value not in FORMAT_VERSIONS:
        raise ValueError(f"version：不支持的格式版本 {value!r}（可选：1、2）")
    return value


def check_document_version(value: Any) -> int:
    """A document line is format v2."""
    if value != 2:
        raise ValueError("version：含 items 的政策文件须为格式版本 2")
    return value


def check_items(value: Any) -> list:
    """1 to MAX_ITEMS items (each checked as a policy line by parse_document_row)."""
    if not isinstance(value, list) or not value or len(value) > MAX_ITEMS:
        raise ValueError(f"items 应为 1–{MAX_ITEMS} 个申报事项的列表")
    return value


# ---------------------------------------------------------------- the models


def _always(default: Any) -> Any:
    """A field whose check runs when it is left out too (its default is a value to check)."""
    return Field(default=default, validate_default=True)


class PolicyContent(BaseModel):
    """What a policy says (Policy.CONTENT_FIELDS and budget_wan), in the catalog's field names.

    Fields are checked in this order; a check across fields reads the ones before it (info.data), which hold
    only the fields that passed.
    """

    model_config = ConfigDict(extra="ignore")

    title: Annotated[str, checked(text_check("title", TITLE_MAX, required=True), none=False)] = _always("")
    issuer: Annotated[str, checked(text_check("issuer", ISSUER_MAX), none=False)] = ""
    doc_no: Annotated[str, checked(text_check("doc_no", DOC_NO_MAX), none=False)] = ""
    text: Annotated[str, checked(text_check("text", TEXT_MAX), none=False)] = ""
    region: Annotated[str, checked(check_region, none=False)] = DEFAULT_REGION
    category: Annotated[str, checked(check_category, none=False)] = _always(None)
    published_on: Annotated[date | None, checked(day_check("published"))] = None
    deadline: Annotated[date | None, checked(check_deadline, with_info=True)] = None
    group: Annotated[str, checked(text_check("group", GROUP_MAX), none=False)] = ""
    conditions: Annotated[dict, checked(check_conditions, with_info=True, none=False)] = _always(None)
    targets: Annotated[dict[str, list[str]], checked(normalize_targets, none=False)] = _always(None)
    support: Annotated[dict[str, Any] | None, checked(check_support)] = None
    instant: Annotated[bool, checked(check_instant, with_info=True, none=False)] = False
    budget_wan: Annotated[Decimal | None, checked(check_budget)] = None
    tests: Annotated[list[dict[str, Any]], checked(cases.normalize_cases, none=False)] = _always(None)
    effective_from: Annotated[date | None, checked(day_check("effective_from"))] = None
    effective_until: Annotated[date | None, checked(check_effective_until, with_info=True)] = None


class PolicyRow(BaseModel):
    """One policy line of the exchange format (v1, v2): the line's own keys; its content is a PolicyContent."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, checked(code_check("政策"), none=False)]
    version: Annotated[int, checked(check_version, none=False)] = 1
    criteria: Any
    published: Any = None
    # the content keys, checked by PolicyContent (published and criteria are its published_on and conditions)
    title: Any = None
    issuer: Any = None
    doc_no: Any = None
    region: Any = None
    deadline: Any = None
    category: Any = None
    text: Any = None
    targets: Any = None
    support: Any = None
    instant: Any = None
    budget_wan: Any = None
    group: Any = None
    tests: Any = None
    effective_from: Any = None
    effective_until: Any = None


# what a document line's items take from the document unless they say otherwise
DOCUMENT_INHERITED = (
    "issuer",
    "doc_no",
    "region",
    "published",
    "deadline",
    "category",
    "text",
    "group",
    "version",
)


class DocumentRow(BaseModel):
    """One document line (v2): a policy document whose items are policy lines."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, checked(code_check("文件"), none=False)]
    version: Annotated[int, checked(check_document_version, none=False)]
    title: Annotated[str, checked(text_check("title", TITLE_MAX, required=True), none=False)] = _always("")
    issuer: Annotated[str, checked(text_check("issuer", ISSUER_MAX), none=False)] = ""
    doc_no: Annotated[str, checked(text_check("doc_no", DOC_NO_MAX), none=False)] = ""
    text: Annotated[str, checked(text_check("text", TEXT_MAX), none=False)] = ""
    published: Annotated[date | None, checked(day_check("published"))] = None
    deadline: Annotated[date | None, checked(day_check("deadline"))] = None
    items: Annotated[list, checked(check_items, none=False)] = _always(None)
    # inherited by the items, checked there
    region: Any = None
    category: Any = None
    group: Any = None


POLICY_ROW_KEYS = frozenset(PolicyRow.model_fields)
DOCUMENT_KEYS = frozenset(DocumentRow.model_fields)
_ROW_ONLY = ("id", "published", "criteria", "version")


def _fields(model: BaseModel) -> dict[str, Any]:
    """A validated model's values as they are (model_dump would copy and re-serialise them)."""
    return {name: getattr(model, name) for name in type(model).model_fields}


def normalize_content(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate policy content (CONTENT_FIELDS + budget_wan); raise ValueError listing every problem."""
    try:
        return _fields(PolicyContent.model_validate(raw))
    except ValidationError as exc:
        raise ValueError("；".join(problems(exc, order=(), prefixes={}, missing={}))) from None


def parse_policy_row(raw: Any) -> tuple[str, dict[str, Any]]:
    """Validate one SCHEMA.md policy → (code, content for save_policy); ValueError names every problem."""
    if not isinstance(raw, dict):
        raise ValueError("应为 JSON 对象")
    found: list[str] = []
    code = ""
    try:
        code = PolicyRow.model_validate(raw).id
    except ValidationError as exc:
        missing = {"id": "id 应为 1–40 字的政策编号", "criteria": "缺少 criteria"}
        found += problems(exc, order=(UNKNOWN, "version", "id", "criteria"), prefixes={}, missing=missing)
    content = {k: v for k, v in raw.items() if k not in _ROW_ONLY}
    content |= {"published_on": raw.get("published"), "conditions": raw.get("criteria")}
    try:
        content = normalize_content(content)
    except ValueError as exc:
        found.append(str(exc))
    if found:
        raise ValueError("；".join(found))
    return code, content


def parse_document_row(raw: Any) -> tuple[str, dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """Validate one v2 document line {"id", "title", …, "items": [policy, …]} → (code, document, items).

    Each item is a policy line; it takes the document's issuer, number, region, dates, category, text and group
    unless it gives its own. ValueError names every problem, item by item.
    """
    if not isinstance(raw, dict):
        raise ValueError("应为 JSON 对象")
    found: list[str] = []
    document: dict[str, Any] = {}
    code, items = "", []
    try:
        row = DocumentRow.model_validate(raw)
    except ValidationError as exc:
        order = (
            UNKNOWN,
            "version",
            "id",
            *(n for n in DocumentRow.model_fields if n not in ("id", "version")),
        )
        missing = {
            "id": f"id 应为 1–{CODE_MAX} 字的文件编号",
            "version": "version：含 items 的政策文件须为格式版本 2",
        }
        found += problems(exc, order=order, prefixes={}, missing=missing, unknown="文件的未知字段：")
        try:  # the items are still read one by one when the document's own keys are wrong
            items = check_items(raw.get("items"))
        except ValueError:
            items = []
    else:
        code, items = row.id, row.items
        document = {
            "title": row.title,
            "issuer": row.issuer,
            "doc_no": row.doc_no,
            "text": row.text,
            "published_on": row.published,
            "valid_until": row.deadline,
        }
    parsed: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            found.append(f"第{i}项应为对象")
            continue
        merged = {k: raw[k] for k in DOCUMENT_INHERITED if k in raw and k not in item} | item
        try:
            parsed.append(parse_policy_row(merged))
        except ValueError as exc:
            found.append(f"第{i}项：{exc}")
    codes = [c for c, _ in parsed]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        found.append("事项编号重复：" + "、".join(repeated))
    if found:
        raise ValueError("；".join(found))
    return code, document, parsed
