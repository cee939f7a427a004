"""The approvals capability. Its blueprint lives in portal.approvals.views; create_app registers it.

This file imports nothing, so that the pure module (rules) loads without Flask.
"""
