"""The policies capability; its blueprint is registered by create_app."""

from portal.policies import models  # noqa: F401  (register the tables)
from portal.policies.views import bp

__all__ = ["bp"]
