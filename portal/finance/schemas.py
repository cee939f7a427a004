"""Typed inputs and outputs of finance: the limits of every amount, rate, term, text and date live here, once.

Pure module (pydantic, no Flask). pydantic v2 was chosen over marshmallow because its models are typed Python
(checked by the type checker like the rest of the code), validation runs in compiled code, and it emits JSON
Schema out of the box, from which portal.finance.openapi builds the API document — so the document cannot drift
from what the API and the services accept.

Each check is a plain function (`check_decimal`, `check_int`, `check_text`, `check_day`) that raises
`InputError` with a Chinese message. The services call them directly (with bounds that depend on the record,
such as "no more than the amount asked"); the pydantic types below are built from the same functions and the
same constants, and their JSON Schema is written from those constants too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

MIN_MONEY_WAN = Decimal("0.01")
MAX_LOAN_WAN = Decimal("1000000")  # 100 亿元: beyond any single SME loan, so a typo rather than a need
MIN_RATE = Decimal("0.01")
MAX_RATE = Decimal("24")  # annual %, the old judicial ceiling for private lending: above it is a typo
MAX_TERM_MONTHS = 360
OFFER_VALID_MAX_DAYS = 90
CONSENT_MAX_DAYS = 366
CONDITIONS_MAX_CHARS = 2000
REASON_MIN_CHARS, REASON_MAX_CHARS = 4, 500
PURPOSE_MIN_CHARS, PURPOSE_MAX_CHARS = 4, 500
ID_MAX = 2**31 - 1  # PostgreSQL integer
FEED_PAGE_MAX = 200  # largest (and default) page of /api/v1/feed

# A number written as text: ASCII digits, an optional sign and decimals; no exponent, no "NaN".
_PLAIN_NUMBER = re.compile(r"\s*[+-]?\d+(?:\.\d+)?\s*")
_NOT_FINITE = re.compile(r"\s*[+-]?(?:s?nan\d*|inf(?:inity)?)\s*", re.IGNORECASE)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER_TEXT_PATTERN = r"^\s*[+-]?[0-9]+(\.[0-9]+)?\s*$"

NOT_A_NUMBER = "应为数字（或数字字符串）"
NOT_AN_INTEGER = "应为整数"
NOT_TEXT = "应为字符串"
NOT_A_DAY = "应为 YYYY-MM-DD 格式的日期"


class InputError(ValueError):
    """A value outside what finance accepts; the message is Chinese and names the field when the type fits."""


# ---------------------------------------------------------------- the checks, once


def check_decimal(value: Any, label: str, *, low: Decimal, high: Decimal, places: int) -> Decimal:
    """A Decimal within [low, high] with at most `places` decimals (numbers or plain ASCII number strings)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InputError(NOT_A_NUMBER)
    if isinstance(value, str):
        if _NOT_FINITE.fullmatch(value):
            raise InputError(f"{label}应为有限数（不接受 NaN、Infinity）")
        if not value.isascii():
            # Decimal() reads any Unicode digit ("１００", "٣"): money is typed in ASCII digits only.
            raise InputError("应为数字（半角阿拉伯数字）")
        if not _PLAIN_NUMBER.fullmatch(value):
            raise InputError(NOT_A_NUMBER)
    try:
        # str() first so that the float 0.1 becomes Decimal("0.1"), not 0.1000000000000000055…
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(NOT_A_NUMBER) from None
    if not number.is_finite():
        raise InputError(f"{label}应为有限数（不接受 NaN、Infinity）")
    if not low <= number <= high:
        raise InputError(f"{label}应在 {low} 到 {high} 之间")
    exact = number.quantize(Decimal(1).scaleb(-places))
    if number != exact:
        raise InputError(f"{label}最多保留 {places} 位小数")
    return exact


def check_int(value: Any, label: str, *, low: int, high: int) -> int:
    """An int within [low, high]; a bool, a float or a string is refused (the API says what it is)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(NOT_AN_INTEGER)
    if not low <= value <= high:
        raise InputError(f"{label}应为 {low} 到 {high} 之间的整数")
    return value


def check_text(value: Any, label: str, *, low: int, high: int) -> str:
    """Stripped text of low to high characters."""
    if not isinstance(value, str):
        raise InputError(NOT_TEXT)
    text = value.strip()
    if not low <= len(text) <= high:
        raise InputError(f"{label}应为 {low} 到 {high} 字" if low else f"{label}不能超过 {high} 字")
    return text


def check_day(value: Any, label: str, *, low: date | None = None, high: date | None = None) -> date:
    """A date (a date object, or YYYY-MM-DD text) within [low, high] where given."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value) and value.isascii():
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InputError(NOT_A_DAY) from None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InputError(NOT_A_DAY)
    if low is not None and high is not None and not low <= value <= high:
        raise InputError(f"{label}应在 {low} 到 {high} 之间")
    if low is not None and value < low:
        raise InputError(f"{label}不能早于 {low}")
    if high is not None and value > high:
        raise InputError(f"{label}不能晚于 {high}")
    return value


def check_money(value: Any, label: str, high: Decimal = MAX_LOAN_WAN) -> Decimal:
    """An amount in 万元: 0.01 up to `high`, two places."""
    return check_decimal(value, f"{label}（万元）", low=MIN_MONEY_WAN, high=high, places=2)


def check_rate(value: Any, label: str) -> Decimal:
    """An annual rate in %: 0.01 to 24, three places."""
    return check_decimal(value, f"{label}（%）", low=MIN_RATE, high=MAX_RATE, places=3)


def check_term(value: Any, label: str) -> int:
    """A term in months: 1 to 360."""
    return check_int(value, f"{label}（月）", low=1, high=MAX_TERM_MONTHS)


def offer_window(today: date) -> tuple[date, date]:
    """The days an offer may be valid until: today to 90 days ahead."""
    return today, today + timedelta(days=OFFER_VALID_MAX_DAYS)


def consent_window(today: date) -> tuple[date, date]:
    """The days a consent may run until: today to 366 days ahead."""
    return today, today + timedelta(days=CONSENT_MAX_DAYS)


# ---------------------------------------------------------------- pydantic types built from the checks


def _wrap(check: Callable[..., Any]) -> Callable[[Any, ValidationInfo], Any]:
    """A pydantic validator that runs one check and reports its Chinese message as the error."""

    def validate(value: Any, info: ValidationInfo) -> Any:
        try:
            return check(value, info)
        except InputError as exc:
            raise PydanticCustomError("finance_input", str(exc)) from None

    return validate


def _number_schema(low: Decimal, high: Decimal, places: int, label: str, note: str) -> dict[str, Any]:
    return {
        "title": label,
        "description": f"{label}：{low} 到 {high}，最多 {places} 位小数；{note}可写作数字或十进制数字字符串",
        "oneOf": [
            {"type": "number", "minimum": float(low), "maximum": float(high)},
            {"type": "string", "pattern": NUMBER_TEXT_PATTERN},
        ],
    }


def money_type(label: str, note: str = "") -> Any:
    """An amount in 万元 as an API field (the record-dependent upper bound is the service's)."""
    title = f"{label}（万元）"
    return Annotated[
        Decimal,
        BeforeValidator(_wrap(lambda v, _: check_money(v, label))),
        WithJsonSchema(_number_schema(MIN_MONEY_WAN, MAX_LOAN_WAN, 2, title, note)),
    ]


def rate_type(label: str) -> Any:
    """An annual rate in % as an API field."""
    title = f"{label}（%）"
    return Annotated[
        Decimal,
        BeforeValidator(_wrap(lambda v, _: check_rate(v, label))),
        WithJsonSchema(_number_schema(MIN_RATE, MAX_RATE, 3, title, "")),
    ]


def term_type(label: str) -> Any:
    """A term in months as an API field."""
    return Annotated[
        int,
        BeforeValidator(_wrap(lambda v, _: check_term(v, label))),
        WithJsonSchema(
            {"type": "integer", "minimum": 1, "maximum": MAX_TERM_MONTHS, "title": f"{label}（月）"}
        ),
    ]


def text_type(label: str, low: int, high: int) -> Any:
    """Text as an API field (stripped before its length is checked)."""
    schema: dict[str, Any] = {"type": "string", "maxLength": high, "title": label}
    if low:
        schema["minLength"] = low
    else:
        schema["type"] = ["string", "null"]  # an optional text may be sent as null (read as absent)
    return Annotated[
        str,
        BeforeValidator(_wrap(lambda v, _: check_text(v, label, low=low, high=high))),
        WithJsonSchema(schema),
    ]


Window = Callable[[date], tuple[date | None, date | None]]


@dataclass(frozen=True)
class DayWindow:
    """Field metadata: the days a date field accepts, worked out from today (the document shows them too)."""

    window: Window

    def bounds(self, today: date) -> tuple[date | None, date | None]:
        """(earliest, latest) accepted on this day; None where open."""
        return self.window(today)


def day_type(label: str, window: Window, description: str) -> Any:
    """A date as an API field, within a window worked out from the validation context's `today`."""

    def check(value: Any, info: ValidationInfo) -> date:
        today = (info.context or {}).get("today")
        if not isinstance(today, date):
            raise TypeError("validate() needs context={'today': date}")  # a programming error, not input
        low, high = window(today)
        return check_day(value, label, low=low, high=high)

    return Annotated[
        date,
        BeforeValidator(_wrap(check)),
        WithJsonSchema({"type": "string", "format": "date", "title": label, "description": description}),
        DayWindow(window),
    ]


def day_windows(model: type[BaseModel]) -> dict[str, DayWindow]:
    """The model's date fields that have a window, by field name."""
    return {
        name: meta
        for name, field in model.model_fields.items()
        for meta in field.metadata
        if isinstance(meta, DayWindow)
    }


class InputModel(BaseModel):
    """A request body: unknown fields are refused, nothing is coerced behind the checks' backs."""

    model_config = ConfigDict(extra="forbid", json_schema_mode="validation")


class OfferIn(InputModel):
    """A bank's offer on a routed request."""

    amount_wan: money_type("授信金额", "且不超过企业申请金额；")
    rate: rate_type("年利率")
    term_months: term_type("贷款期限")
    conditions: text_type("放款条件", 0, CONDITIONS_MAX_CHARS) = ""
    valid_until: day_type(
        "报价有效期",
        offer_window,
        f"报价有效期至：今天（北京时间）起 {OFFER_VALID_MAX_DAYS} 天内，不早于今天",
    )


class DeclineIn(InputModel):
    """A bank's reasoned decline."""

    reason: text_type("婉拒理由", REASON_MIN_CHARS, REASON_MAX_CHARS)


class DisbursementIn(InputModel):
    """The accepted bank's payout record."""

    amount_wan: money_type("放款金额", "且不超过所接受报价的金额；")
    disbursed_on: day_type(
        "放款日期", lambda today: (None, today), "放款日期：不早于企业接受报价之日，不晚于今天（北京时间）"
    )


ERROR_MESSAGES = {
    "missing": "必填",
    "extra_forbidden": "不支持的字段",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Each bad field of a body with its Chinese message (pydantic's own are English)."""
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        name = ".".join(str(part) for part in error["loc"]) or "body"
        message = ERROR_MESSAGES.get(error["type"]) or (
            error["msg"] if error["type"] == "finance_input" else "取值无效"
        )
        errors.setdefault(name, message)
    return errors


def parse(model: type[InputModel], data: Any, *, today: date) -> tuple[InputModel | None, dict[str, str]]:
    """Validate a parsed JSON body: (the model, {}) or (None, {field: message})."""
    if not isinstance(data, dict):
        return None, {"body": "请求体应为 JSON 对象"}
    # null means "not given": a required field is then missing, an optional one takes its default.
    given = {key: value for key, value in data.items() if value is not None}
    try:
        return model.model_validate(given, context={"today": today}), {}
    except ValidationError as exc:
        return None, field_errors(exc)


# ---------------------------------------------------------------- outputs (what the API answers)


class OutputModel(BaseModel):
    """A response body, documented as it is serialised (decimals as strings)."""

    model_config = ConfigDict(json_schema_mode="serialization")


Decimal2 = Annotated[Decimal, Field(description="十进制字符串")]
Reasons = Annotated[list[str], Field(description="匹配说明（未授权的数据类别只显示“未授权”）")]


class ErrorOut(OutputModel):
    """A JSON error: {error, status, message} with per-field problems on 422."""

    error: str
    status: int
    message: str = Field(description="中文说明")
    errors: dict[str, str] | None = Field(default=None, description="逐字段的问题（422）")


class OfferOut(OutputModel):
    """An offer as the bank sees it."""

    id: int
    status: str = Field(json_schema_extra={"enum": ["open", "accepted", "withdrawn", "closed"]})
    amount_wan: Decimal2
    rate: Decimal2
    term_months: int
    conditions: str
    valid_until: date


class SummaryOut(OutputModel):
    """A routed request in the bank's feed: terms and fit, no profile data."""

    request_id: int
    route_status: str = Field(
        json_schema_extra={
            "enum": ["pending", "offered", "declined", "expired", "withdrawn", "revoked", "closed"]
        }
    )
    routed_at: datetime | None
    deadline_at: datetime | None = Field(description="逾期未答复即转给其他银行")
    amount_wan: Decimal2
    term_months: int
    purpose: str
    collateral: str
    max_rate: Decimal2
    product_id: int = Field(description="本行最匹配的产品")
    score: float = Field(ge=0, le=1)
    fit: Reasons


class FeedOut(OutputModel):
    """The bank's feed, one keyset page, newest first."""

    items: list[SummaryOut]
    next_before: int | None = Field(
        default=None, description="下一页（更早）请以 ?before= 传入此值；最后一页为 null"
    )


class DetailOut(SummaryOut):
    """One routed request with the consented profile data."""

    request_status: str = Field(json_schema_extra={"enum": ["open", "accepted", "disbursed", "withdrawn"]})
    consented_groups: list[str]
    profile: dict[str, dict[str, Any]] = Field(
        description="按授权的数据类别分组的企业数据：类别 → {字段: 值}"
    )
    offer: OfferOut | None


class DeclineOut(OutputModel):
    """A recorded decline."""

    request_id: int
    route_status: str = Field(json_schema_extra={"enum": ["declined"]})
    reason: str


class DisbursementOut(OutputModel):
    """A recorded payout."""

    request_id: int
    offer_id: int
    amount_wan: Decimal2
    disbursed_on: date
