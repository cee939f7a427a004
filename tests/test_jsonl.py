"""JSON Lines reading with line numbers."""

import pytest

from portal.jsonl import JsonlError, read_jsonl


def test_read_jsonl_reports_bad_lines(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('\ufeff{"a": 1}\n\n[1, 2]\n{"a": \n{"b": 2}\n', encoding="utf-8")
    errors = []
    assert list(read_jsonl(path, errors)) == [(1, {"a": 1}), (5, {"b": 2})]
    assert [(e.line_no, str(e)) for e in errors] == [
        (3, "第3行：应为 JSON 对象"),
        (4, "第4行：不是合法的 JSON（第7列：Expecting value）"),
    ]
    with pytest.raises(JsonlError, match="第3行"):
        list(read_jsonl(path))
