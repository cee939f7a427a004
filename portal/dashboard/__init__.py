"""The district dashboard (the four headline figures over time, per virtual park, budgets) and the enterprise home.

A package of its own that may read every capability's tables, so the kernel imports none of them. Its blueprint
lives in portal.dashboard.views; create_app registers it. This file imports nothing, so that the pure module
(figures) loads without Flask.
"""
