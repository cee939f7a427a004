"""What the pydantic models of imported lines share: a plain check as a validator, and errors as Chinese problems.

Pure module (pydantic, no Flask). The import models (portal.enterprise_schema, portal.policies.schemas) validate
each field with a plain function that raises ValueError with a Chinese message — the same functions a service
can call on its own. `checked` turns such a function into a pydantic validator; `problems` turns the
ValidationError of a line back into the list of those messages, each prefixed with its field, in the order the
line's problems have always been listed (one line, one message naming every problem).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import PlainValidator, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

ERROR_TYPE = "import_input"  # the type of every error a check raised (its message is already Chinese)
UNKNOWN = "*"  # the place of the unknown-keys problem in a model's `order`


def checked(check: Callable[..., Any], *, with_info: bool = False, none: bool = True) -> PlainValidator:
    """A pydantic validator running `check`; its ValueError becomes the field's error with the same message.

    null means "not in this line" (None is kept without a check) unless `none=False`; `with_info` passes the
    ValidationInfo, whose `data` holds the fields validated before this one (for checks across fields).
    """

    def validate(value: Any, info: ValidationInfo) -> Any:
        if value is None and none:
            return None
        try:
            return check(value, info) if with_info else check(value)
        except ValueError as exc:
            raise PydanticCustomError(ERROR_TYPE, str(exc)) from None

    return PlainValidator(validate)


def problems(
    exc: ValidationError,
    *,
    order: Sequence[str],
    prefixes: Mapping[str, str],
    missing: Mapping[str, str],
    unknown: str = "未知字段：",
) -> list[str]:
    """The Chinese problems of a line: each field's message after its prefix, the unknown keys as one problem.

    `order` lists the fields (and UNKNOWN) in the order problems are reported; `missing` is the problem of a
    required field left out. A pydantic error no check raised (none is expected) is reported as 取值无效.
    """
    rank = {name: i for i, name in enumerate(order)}
    found: list[tuple[int, str]] = []
    extra: list[str] = []
    for error in exc.errors(include_url=False):
        name = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "extra_forbidden":
            extra.append(name)
            continue
        if error["type"] == "missing":
            message = missing.get(name, f"{prefixes.get(name, '')}必填")
        else:
            message = prefixes.get(name, "") + (error["msg"] if error["type"] == ERROR_TYPE else "取值无效")
        found.append((rank.get(name, len(rank)), message))
    if extra:
        found.append((rank.get(UNKNOWN, -1), unknown + "、".join(sorted(extra))))
    found.sort(key=lambda item: item[0])  # stable: a field's own problems keep their order
    return [message for _, message in found]
