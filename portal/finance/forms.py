"""Forms of the finance capability. They check types; the services check ranges and business rules with the
checks of portal.finance.schemas, whose text limits the forms show too (one definition for web and API)."""

from __future__ import annotations

import json

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal import conditions
from portal.finance.matching import COLLATERAL_KINDS, FIELD_GROUPS, LOAN_KINDS
from portal.finance.schemas import (
    CONDITIONS_MAX_CHARS,
    PURPOSE_MAX_CHARS,
    PURPOSE_MIN_CHARS,
    REASON_MAX_CHARS,
)
from portal.forms import RATE_MAX, CheckboxesField, MoneyField, WholeNumberField
from portal.policies.forms import ConditionRowForm, read_rows, rows_data

REQUIRED = InputRequired(message="此项必填。")


class _Form(FlaskForm):
    """WTForms' own Chinese messages ("不是有效的小数。") for values that do not parse."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form):
            """Use WTForms' bundled translations rather than Flask-WTF's (which need Flask-Babel)."""
            return DefaultMeta.get_translations(self, form)


def _json_conditions(form, field) -> None:
    field.parsed = None
    if not (field.data or "").strip():
        return  # the row editor holds the conditions
    try:
        field.parsed = json.loads(field.data)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）。"
        ) from None
    problems = (
        conditions.validate(field.parsed) if isinstance(field.parsed, dict) and "all" in field.parsed else []
    )
    if any("未知运算" in p for p in problems):
        # "未知运算 >=" alone does not say what to write instead
        raise ValidationError("；".join(problems) + f"（可用的运算：{'、'.join(conditions.OPS)}）")


class ProductForm(_Form):
    """A bank's loan product."""

    name = StringField("产品名称", validators=[DataRequired(message="请输入产品名称。"), Length(max=100)])
    kind = SelectField("产品类型", choices=[(k, k) for k in LOAN_KINDS])
    amount_min_wan = MoneyField("最低额度（万元）", places=2, validators=[REQUIRED])
    amount_max_wan = MoneyField("最高额度（万元）", places=2, validators=[REQUIRED])
    term_min_months = WholeNumberField("最短期限（月）", validators=[REQUIRED])
    term_max_months = WholeNumberField("最长期限（月）", validators=[REQUIRED])
    rate_min = MoneyField(
        "最低年利率（%）", places=3, validators=[REQUIRED], max_value=RATE_MAX, percent_sign=True
    )
    rate_max = MoneyField(
        "最高年利率（%）", places=3, validators=[REQUIRED], max_value=RATE_MAX, percent_sign=True
    )
    rows = FieldList(FormField(ConditionRowForm), label="条件", min_entries=0)
    conditions = TextAreaField(
        "高级：准入条件 JSON（填写后以此为准，上方条件行不计）", validators=[Optional(), _json_conditions]
    )

    def conditions_data(self) -> dict | None:
        """The product's conditions: the JSON when given, else the rows; None after marking the rows in error."""
        parsed = getattr(self.conditions, "parsed", None)  # Optional() skips the parser on an empty field
        if parsed is not None:
            return parsed
        rows = read_rows(self.rows)
        return None if rows is None else {"all": rows}

    def fill_rows(self, current: dict | None, blanks: int = 3) -> None:
        """Show a product's conditions as rows (JSON when rows cannot show them), with blank rows to fill in."""
        rows = rows_data(current or {"all": []})
        if rows is None:
            self.conditions.data = json.dumps(current, ensure_ascii=False, indent=2)
            rows = []
        for row in rows:
            self.rows.append_entry(row)
        for _ in range(blanks):
            self.rows.append_entry({"field": "revenue_wan", "op": "gte", "value": ""})

    description = TextAreaField("产品说明", validators=[Optional(), Length(max=2000)])
    active = BooleanField("上架（参与撮合）", default=True)


class RequestForm(_Form):
    """An enterprise's financing request and its consent."""

    amount_wan = MoneyField("融资金额（万元）", places=2, validators=[REQUIRED])
    term_months = WholeNumberField("融资期限（月）", validators=[REQUIRED])
    purpose = TextAreaField(
        f"资金用途（{PURPOSE_MIN_CHARS}–{PURPOSE_MAX_CHARS} 字）",
        validators=[
            DataRequired(message="请填写资金用途。"),
            Length(
                min=PURPOSE_MIN_CHARS,
                max=PURPOSE_MAX_CHARS,
                message=f"资金用途应为 {PURPOSE_MIN_CHARS} 到 {PURPOSE_MAX_CHARS} 字，请写明用途（如“购置生产设备”）。",
            ),
        ],
        render_kw={"minlength": PURPOSE_MIN_CHARS, "maxlength": PURPOSE_MAX_CHARS},
    )
    collateral = SelectField("担保方式", choices=[(c, c) for c in COLLATERAL_KINDS])
    max_rate = MoneyField(
        "可接受最高年利率（%）", places=3, validators=[REQUIRED], max_value=RATE_MAX, percent_sign=True
    )
    consent_scope = RadioField(
        "授权银行",
        choices=[("matched", "撮合推送到的所有银行"), ("chosen", "仅限下列银行")],
        default="matched",
    )
    consent_bank_ids = CheckboxesField("选择银行", coerce=int, choices=[], validate_choice=True)
    consent_groups = CheckboxesField(
        "银行可查看的企业数据", choices=[(g, g) for g in FIELD_GROUPS], default=list(FIELD_GROUPS)
    )
    consent_until = DateField("授权截止日期", validators=[REQUIRED])

    def validate_consent_bank_ids(self, field) -> None:
        """Chosen banks are required when the scope is "chosen"."""
        if self.consent_scope.data == "chosen" and not field.data:
            raise ValidationError("请至少选择一家银行。")


class OfferForm(_Form):
    """A bank's offer."""

    amount_wan = MoneyField("授信金额（万元）", places=2, validators=[REQUIRED])
    rate = MoneyField("年利率（%）", places=3, validators=[REQUIRED], max_value=RATE_MAX, percent_sign=True)
    term_months = WholeNumberField("贷款期限（月）", validators=[REQUIRED])
    conditions_text = TextAreaField("放款条件", validators=[Optional(), Length(max=CONDITIONS_MAX_CHARS)])
    valid_until = DateField("报价有效期至", validators=[REQUIRED])
    above_max_rate = BooleanField("我已知晓报价年利率高于企业可接受的最高年利率，仍要报价")
    # The request's acceptable rate, set by the view: an offer above it needs the box ticked.
    max_rate = None

    def validate_above_max_rate(self, field) -> None:
        """Warn (and hold the offer) when the rate is above what the enterprise said it accepts."""
        rate = self.rate.data
        if self.max_rate is not None and rate is not None and rate > self.max_rate and not field.data:
            raise ValidationError(
                f"报价年利率 {rate}% 高于企业可接受的 {self.max_rate}%，企业很可能不会接受；确认仍要报价请勾选此项。"
            )


class DeclineForm(_Form):
    """A bank's reasoned decline."""

    reason = TextAreaField(
        "婉拒理由", validators=[DataRequired(message="请填写婉拒理由。"), Length(max=REASON_MAX_CHARS)]
    )


class DisbursementForm(_Form):
    """The accepted bank's payout record."""

    amount_wan = MoneyField("放款金额（万元）", places=2, validators=[REQUIRED])
    disbursed_on = DateField("放款日期", validators=[REQUIRED])


class TokenForm(_Form):
    """A new API token."""

    name = StringField(
        "令牌用途",
        validators=[DataRequired(message="请填写令牌用途。"), Length(max=100)],
        default="信贷系统对接",
    )
