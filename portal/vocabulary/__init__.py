"""The qualification and tag vocabulary (资质与标签词表) admins keep. Its blueprint lives in views.

This file imports nothing, so that the pure module (terms) loads without Flask.
"""
