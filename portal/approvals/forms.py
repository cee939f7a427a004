"""Forms of the approvals capability."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from portal.approvals.models import STATUS_LABELS
from portal.forms import MONEY_RANGE, MoneyField, WholeNumberField, registry_field


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token (一键申领, claim, confirm, decline, pay)."""


class ApplyForm(FlaskForm):
    """An application for a non-instant policy, prefilled from the profile, with attachments."""

    contact_name = StringField("联系人", validators=[DataRequired(message="请填写联系人。"), Length(max=50)])
    contact_phone = StringField(
        "联系电话",
        validators=[
            DataRequired(message="请填写联系电话。"),
            Regexp(r"^[0-9+\- ]{7,20}$", message="请填写有效的电话号码。"),
        ],
    )
    employees = registry_field("employees")
    revenue_wan = registry_field("revenue_wan")
    rd_expense_wan = registry_field("rd_expense_wan")
    tax_paid_wan = registry_field("tax_paid_wan")
    statement = TextAreaField(
        "申请说明", validators=[DataRequired(message="请填写申请说明。"), Length(max=4000)]
    )
    attachments = MultipleFileField("申请材料（PDF、JPG、PNG）")


class DecideForm(FlaskForm):
    """An official's decision on an application."""

    action = RadioField(
        "审核结论",
        choices=[("approve", "通过"), ("reject", "不予通过")],
        validators=[DataRequired(message="请选择审核结论。")],
    )
    amount = MoneyField("核定金额（万元）", places=2, validators=[Optional(), MONEY_RANGE])
    comment = TextAreaField("审核意见（不予通过时必填）", validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        """All errors at once: approving needs an amount, rejecting a reason (the service checks both again)."""
        ok = super().validate(extra_validators)
        if self.action.data == "approve" and not self.amount.errors and not (self.amount.data or 0) > 0:
            self.amount.errors = [*self.amount.errors, "通过时请填写核定金额（万元，大于 0）。"]
        if self.action.data == "reject" and not (self.comment.data or "").strip():
            self.comment.errors = [*self.comment.errors, "不予通过时须填写审核意见。"]
        return ok and not self.amount.errors and not self.comment.errors


class AppealForm(FlaskForm):
    """The enterprise's appeal of a rejection."""

    reason = TextAreaField(
        "申诉理由", validators=[DataRequired(message="请填写申诉理由。"), Length(max=2000)]
    )


class AuditForm(FlaskForm):
    """The result of a post-audit."""

    result = RadioField(
        "抽查结论",
        choices=[("confirmed", "确认无误"), ("problem", "发现问题")],
        validators=[DataRequired(message="请选择抽查结论。")],
    )
    comment = TextAreaField("说明（发现问题时必填）", validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        """All errors at once: a problem found needs a description (the service checks it again)."""
        ok = super().validate(extra_validators)
        if self.result.data == "problem" and not (self.comment.data or "").strip():
            self.comment.errors = [*self.comment.errors, "发现问题时须填写说明。"]
        return ok and not self.comment.errors


class QueueFilterForm(FlaskForm):
    """Filters of the officials' queue (GET, no CSRF)."""

    class Meta:
        csrf = False

    policy = SelectField("政策", coerce=int, choices=[(0, "全部政策")], validators=[Optional()])
    status = SelectField(
        "状态",
        choices=[("", "待处理（审核中、申诉中）")] + [(s.value, label) for s, label in STATUS_LABELS.items()],
        validators=[Optional()],
    )
    age = WholeNumberField("等待天数不少于", validators=[Optional(), NumberRange(min=0, max=3650)])
