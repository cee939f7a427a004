"""The finance capability; its blueprint is registered by create_app."""

from portal.finance.views import bp

__all__ = ["bp"]
