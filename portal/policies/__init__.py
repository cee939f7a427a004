"""The policies capability. Its blueprint lives in portal.policies.views; create_app registers it.

This file imports nothing, so that the pure module (recommender, text_conditions) loads without Flask.
"""
