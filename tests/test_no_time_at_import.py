"""No clock is read at import time anywhere: not in the portal, not in a test's parametrize table.

A value worked out at import is stale by the time a test runs; a run crossing midnight in China then failed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLOCKS = {"today", "utcnow", "now", "days_ahead", "time", "monotonic"}


def _clock_calls_outside_functions(source: str) -> list[int]:
    """Line numbers of clock calls that run when the module is imported (outside any def or lambda)."""
    tree = ast.parse(source)
    found: list[int] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            # Decorators and default values run at import; the body does not.
            for expr in [*getattr(node, "decorator_list", []), *node.args.defaults, *node.args.kw_defaults]:
                if expr is not None:
                    visit(expr, in_function)
            for child in node.body if isinstance(node.body, list) else [node.body]:
                visit(child, True)
            return
        if not in_function and isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in CLOCKS:
                found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(tree, False)
    return found


def test_the_checker_sees_a_parametrize_table_and_a_default():
    """The checker can fail: it flags a clock in a decorator and in a default, not in a body."""
    source = (
        "@pytest.mark.parametrize('d', [days_ahead(91)])\ndef f(d, on=today()):\n    return datetime.now()\n"
    )
    assert _clock_calls_outside_functions(source) == [1, 2]


@pytest.mark.parametrize("folder", ["portal", "tests", "bench", "migrations"])
def test_no_clock_read_at_import(folder):
    """Every module under the folder reads the clock only when a function runs."""
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (lines := _clock_calls_outside_functions(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def _server_local_clock_calls(source: str) -> list[int]:
    """Line numbers of date.today(), datetime.today() and datetime.now() without a zone: the server's local time."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = getattr(node.func.value, "id", None)
            if (owner, node.func.attr) in {("date", "today"), ("datetime", "today")}:
                found.append(node.lineno)
            if (owner, node.func.attr) == ("datetime", "now") and not node.args and not node.keywords:
                found.append(node.lineno)
    return found


def test_the_local_clock_checker_can_fail():
    """It flags the server-local calls and lets a zoned now() through."""
    assert _server_local_clock_calls("date.today()\ndatetime.now()\ndatetime.now(UTC)\n") == [1, 2]


@pytest.mark.parametrize("folder", ["portal", "bench", "migrations"])
def test_no_server_local_date(folder):
    """Today is China's today (timeutil.today), never the server's local date."""
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (lines := _server_local_clock_calls(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
