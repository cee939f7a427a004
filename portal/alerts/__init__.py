"""Subscriptions and alerts: saved searches, the daily digest (inbox and SMTP), one-click unsubscribe."""
