"""Forms of the subscriptions page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from portal import reference


class SubscriptionForm(FlaskForm):
    """A saved search: keywords and/or a category, and an optional e-mail address."""

    query = StringField(
        "关键词", validators=[Optional(), Length(max=100, message="关键词不能超过 100 个字。")]
    )
    category = SelectField(
        "政策类别", choices=[("", "全部类别")] + [(c, c) for c in reference.POLICY_CATEGORIES]
    )
    email = StringField(
        "同时发送到邮箱（选填）",
        validators=[Optional(), Length(max=200, message="邮箱地址不能超过 200 个字符。")],
    )


class ConfirmForm(FlaskForm):
    """A bare form: the CSRF token of a confirmation button."""
