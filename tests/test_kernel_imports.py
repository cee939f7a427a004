"""The shared kernel (portal/*.py) imports no capability at module level: features depend on it, not back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[1] / "portal"
FEATURES = ("policies", "approvals", "finance", "alerts", "exports", "dashboard")
# The factory may: it wires the blueprints and the hooks.
ALLOWED = {"__init__.py"}


def _feature_imports(path: Path) -> list[str]:
    """Module-level imports of a feature package in one file (imports inside functions are lazy wiring)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [n for n in names if n.split(".")[:2][-1] in FEATURES and n.startswith("portal.")]
    return found


@pytest.mark.parametrize(
    "path", sorted(p for p in PORTAL.glob("*.py") if p.name not in ALLOWED), ids=lambda p: p.name
)
def test_kernel_module_imports_no_feature(path):
    assert _feature_imports(path) == []


def test_the_check_sees_a_feature_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from portal.approvals.models import Application\nfrom portal import models\n")
    assert _feature_imports(probe) == ["portal.approvals.models", "portal.approvals.models.Application"]
