"""Checks every piece of client text must pass before any code sees it. Pure module: no Flask import.

The request edge (portal.edge) and the JSON Lines reader (portal.jsonl) both use these, so a NUL byte, a lone
surrogate, a control character in a URL, JSON nested too deep, or a number written with non-ASCII digits or as
NaN/Infinity is refused the same way everywhere, with a Chinese message, before a database driver or Decimal
comparison can turn it into a 500.
"""

from __future__ import annotations

import math
import re
from typing import Any

MAX_JSON_DEPTH = 32

# NUL is refused by PostgreSQL text columns; lone surrogates cannot be encoded to UTF-8 by any driver.
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
# A URL value or header has no business holding control characters (CR/LF would split a redirect header).
_BAD_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")
# Text that reads as a number: Python's int()/Decimal() accept any Unicode digit, so "１００" or "٣" would pass.
_NUMBERISH = re.compile(r"\s*[+-]?(?:\d[\d,_]*)?(?:\.\d*)?(?:[eE][+-]?\d+)?\s*")
_NOT_FINITE = re.compile(r"\s*[+-]?(?:s?nan\d*|inf(?:inity)?)\s*", re.IGNORECASE)


def text_problem(value: str, *, single_line: bool = False, numbers: bool = True) -> str | None:
    """Why a piece of client text is refused (in Chinese), or None; `numbers` also refuses NaN and １００."""
    if (_BAD_LINE if single_line else _BAD_TEXT).search(value):
        return "包含不允许的控制字符或无效字符（如 NUL、孤立代理项或换行）"
    if not numbers:
        return None
    if _NOT_FINITE.fullmatch(value):
        return "数字必须是有限数（不接受 NaN、Infinity）"
    if not value.isascii() and any(ch.isdigit() for ch in value) and _NUMBERISH.fullmatch(value):
        return "数字请使用半角阿拉伯数字（0–9）"
    return None


def value_problem(value: Any, *, depth: int = 0) -> str | None:
    """Why a parsed JSON value (or one of its keys and strings) is refused, or None.

    Number-looking strings are left to the typed parser of each field (the API names the field in its 422).
    """
    if depth > MAX_JSON_DEPTH:
        return f"嵌套层级超过 {MAX_JSON_DEPTH} 层"
    if isinstance(value, str):
        return text_problem(value, numbers=False)
    if isinstance(value, float) and not math.isfinite(value):
        return "数字必须是有限数（不接受 NaN、Infinity）"
    if isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem(key, numbers=False) or value_problem(item, depth=depth + 1)
            if problem:
                return problem
    elif isinstance(value, list):
        for item in value:
            problem = value_problem(item, depth=depth + 1)
            if problem:
                return problem
    return None


class NotFiniteError(ValueError):
    """A NaN or Infinity literal in JSON text (Python's json module accepts them; JSON does not)."""


def refuse_constant(name: str) -> Any:
    """json.loads parse_constant hook: NaN and Infinity are not JSON numbers."""
    raise NotFiniteError(f"{name} 不是有限数")
