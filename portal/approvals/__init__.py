"""The approvals capability; its blueprint is registered by create_app."""

from portal.approvals import models  # noqa: F401  (register the tables)
from portal.approvals.views import bp

__all__ = ["bp"]
