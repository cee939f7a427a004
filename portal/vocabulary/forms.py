"""The vocabulary's form: one term."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.vocabulary.terms import MAX_MONTHS

_SPLIT = re.compile(r"[、,，;；\s]+")


class TermForm(FlaskForm):
    """Name (fixed once saved), aliases, issuing body and validity in months."""

    name = StringField("名称", validators=[DataRequired(message="请输入名称。"), Length(max=40)])
    aliases = StringField("别名（以 、 或空格分隔）", validators=[Optional(), Length(max=400)])
    issuer = StringField("认定机构", validators=[Optional(), Length(max=100)])
    validity_months = IntegerField(
        "有效期（月，留空为长期有效）",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_MONTHS, message=f"有效期应为 1–{MAX_MONTHS} 个月。"),
        ],
    )
    save = SubmitField("保存")

    def data_for_service(self) -> dict:
        """The submitted term for services.save_term."""
        return {
            "name": self.name.data,
            "aliases": [a for a in _SPLIT.split(self.aliases.data or "") if a],
            "issuer": self.issuer.data or "",
            "validity_months": self.validity_months.data,
        }
