"""Read JSON Lines files with line numbers, for importers and offline commands. Pure module."""

from __future__ import annotations

import json
from collections.abc import Iterator
from os import PathLike
from typing import Any


class JsonlError(ValueError):
    """A line that is not a JSON object; .line_no says which."""

    def __init__(self, line_no: int, message: str):
        super().__init__(f"第{line_no}行：{message}")
        self.line_no = line_no
        self.message = message


def read_jsonl(
    path: str | PathLike, errors: list[JsonlError] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line_no, object) per non-blank line; bad lines raise JsonlError, or are appended to `errors`."""
    with open(path, encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line.rstrip("\r\n"))
                problem = None if isinstance(obj, dict) else "应为 JSON 对象"
            except json.JSONDecodeError as exc:
                problem = f"不是合法的 JSON（第{exc.colno}列：{exc.msg}）"
            if problem is None:
                yield line_no, obj
            elif errors is None:
                raise JsonlError(line_no, problem)
            else:
                errors.append(JsonlError(line_no, problem))
