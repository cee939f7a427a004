"""The finance capability. create_app registers its pages (portal.finance.views.bp) and the banks' JSON API
(portal.finance.api.api_bp).

This file imports nothing, so that the pure module (matching) loads without Flask.
"""
