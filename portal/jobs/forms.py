"""The jobs page's one form: start a job now."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

# Jobs an official may start by hand (digest parts and deliveries are started by their parents).
MANUAL = ("dashboard", "expire_routes", "subscriptions", "digest", "deadline_reminders", "post_audit")


class RunJobForm(FlaskForm):
    """Start one scheduled job now (CSRF-protected POST)."""

    name = SelectField("任务", validators=[DataRequired(message="请选择任务")])
