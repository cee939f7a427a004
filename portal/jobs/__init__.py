"""Background work: scheduled jobs on RQ (inline without Redis), their runs and the officials' jobs page.

Its blueprint lives in portal.jobs.views; create_app registers it. This file imports nothing, so that the pure
module (schedule) loads without Flask.
"""
