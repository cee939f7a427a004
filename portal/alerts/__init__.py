"""Subscriptions and alerts: saved searches, the daily digest (inbox and SMTP), one-click unsubscribe."""

from portal.alerts import models  # noqa: F401  (register the tables)
from portal.alerts.views import bp

__all__ = ["bp"]
