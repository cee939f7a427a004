"""The finance capability; create_app registers both blueprints: the pages (bp) and the banks' JSON API (api_bp)."""

from portal.finance import models  # noqa: F401  (register the tables)
from portal.finance.api import api_bp
from portal.finance.views import bp

__all__ = ["api_bp", "bp"]
