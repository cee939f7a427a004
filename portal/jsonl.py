"""Read JSON Lines files with line numbers, for importers and offline commands. Pure module."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from os import PathLike
from typing import Any

from portal import inputcheck


class JsonlError(ValueError):
    """A line that is not a JSON object; .line_no says which."""

    def __init__(self, line_no: int, message: str):
        super().__init__(f"第{line_no}行：{message}")
        self.line_no = line_no
        self.message = message


def parse_lines(
    lines: Iterable[str | bytes], errors: list[JsonlError] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line_no, object) per non-blank line of text or bytes (an upload); bad lines raise or go to `errors`."""
    for line_no, line in enumerate(lines, 1):
        problem = None
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                line, problem = "", "不是 UTF-8 编码"
        line = line.removeprefix("\ufeff") if line_no == 1 else line
        if problem is None:
            if not line.strip():
                continue
            try:
                obj = json.loads(line.rstrip("\r\n"), parse_constant=inputcheck.refuse_constant)
                # A NUL or lone surrogate would fail the database write of the whole file: a line error instead.
                problem = inputcheck.value_problem(obj) if isinstance(obj, dict) else "应为 JSON 对象"
            except json.JSONDecodeError as exc:
                problem = f"不是合法的 JSON（第{exc.colno}列：{exc.msg}）"
            except RecursionError:
                problem = f"嵌套层级过深（超过 {inputcheck.MAX_JSON_DEPTH} 层）"
            except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
                problem = f"不是合法的 JSON（{exc}）"
        if problem is None:
            yield line_no, obj
        elif errors is None:
            raise JsonlError(line_no, problem)
        else:
            errors.append(JsonlError(line_no, problem))


def read_jsonl(
    path: str | PathLike, errors: list[JsonlError] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line_no, object) per non-blank line of a file; bad lines raise JsonlError, or are appended to `errors`."""
    with open(path, encoding="utf-8-sig") as fh:
        yield from parse_lines(fh, errors)
