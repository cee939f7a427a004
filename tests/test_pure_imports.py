"""The pure modules import without Flask, SQLAlchemy or any view (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PURE_MODULES = [
    "portal.conditions",
    "portal.reference",
    "portal.schema",
    "portal.timeutil",
    "portal.labels",
    "portal.approvals.rules",
    "portal.finance.matching",
    "portal.policies.recommender",
    "portal.policies.text_conditions",
    "portal.policies.whatif",
    "portal.dashboard.figures",
    "portal.policies.cases",
    "portal.jobs.schedule",
    "portal.validation",
    "portal.service_error",
    "portal.enterprise_schema",
    "portal.policies.schemas",
]
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "wtforms", "werkzeug")


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_without_flask(module):
    """A fresh interpreter that imports only the pure module has no web or database package loaded."""
    probe = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert module in loaded
    leaked = sorted(name for name in loaded if name.split(".")[0] in FORBIDDEN or name.endswith(".views"))
    assert leaked == [], f"{module} pulls in {leaked}"


def test_probe_detects_a_module_that_loads_flask():
    """The probe itself can fail: the app factory's module does load Flask once create_app runs."""
    probe = "import json, sys\nfrom portal import create_app\ncreate_app({'TESTING': True, 'SECRET_KEY': 'x'})\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "flask" in json.loads(out)
