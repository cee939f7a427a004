"""Where the team's shared benchmark lives, and a marker that skips tests when a clone has none beside it.

PORTAL_SHARED_DIR points elsewhere (CI sets it when the shared folder is not a sibling of the clone).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("PORTAL_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
DEV = SHARED / "bench" / "policy_match" / "dev"

# A user's fresh clone has no ../shared: those tests skip there with this reason; CI, which has it, runs them.
needs_dev_set = pytest.mark.skipif(
    not (DEV / "policies.jsonl").exists(), reason=f"the shared benchmark is not checked out at {DEV}"
)
