"""Forms of the shared kernel: login, registration, profile, accounts, parks and data import."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal import conditions, reference, timeutil
from portal.models import ROLE_LABELS, Role


def _blank_to_none(value):
    return value.strip() or None if isinstance(value, str) else value


def _code(value):
    return value.strip().upper() or None if isinstance(value, str) else value


_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
MONEY_MAX = Decimal(10) ** 12  # Numeric(14, 2): twelve digits before the point
RATE_MAX = Decimal(1000)  # Numeric(6, 3)
INTEGER_MAX = 2**31 - 1  # PostgreSQL integer


def parse_number(raw: str | None, *, whole: bool = False, below: Decimal | int | None = None):
    """Typed text → Decimal (or int when whole), ASCII digits only; None when blank; ValueError in Chinese.

    WTForms' own parsers accept sNaN, Infinity and any Unicode digit (１００, ٣), and int() has no upper bound."""
    text = (raw or "").strip()
    if not text:
        return None
    if not (_INTEGER_TEXT if whole else _DECIMAL_TEXT).fullmatch(text):
        kind = "整数（请用半角阿拉伯数字）" if whole else "小数（请用半角阿拉伯数字，如 1200.50）"
        raise ValueError(f"不是有效的{kind}。")
    value = int(text) if whole else Decimal(text)
    if below is not None and abs(value) >= below:
        limit = below - 1 if whole else below
        raise ValueError(f"数值过大（应{'不超过' if whole else '小于'} {limit:,}）。")
    return value


def parse_ratio(raw: str | None, *, per_head: bool = False, negative: bool = False) -> Decimal | None:
    """A 比例 typed as 5%, 5％, 0.05 or 5 (a bare number above 1 is a percentage): the fraction, e.g. 0.05.

    Every ratio the portal asks for (support rates, condition rows on R&D ratio or growth) reads through here,
    so "5%" and 0.05 mean the same everywhere. Per head (万元 per person) the number is taken as typed;
    `negative` allows a fall (a growth row "不低于 -10%")."""
    text = (raw or "").strip().replace("％", "%")
    if not text:
        return None
    percent = text.endswith("%")
    number = text.removesuffix("%").strip()
    if not _DECIMAL_TEXT.fullmatch(number):
        raise ValueError(f"“{text}”不是数字（可写 5% 或 0.05）")
    value = Decimal(number)
    if value < 0 and not negative:
        raise ValueError("比例不能为负数")
    if percent or (value > 1 and not per_head):
        value /= 100
    return value


class _StopWhenUnreadable:
    """A number that could not be read is reported once: no range message after "不是有效的…" for the same text."""

    def pre_validate(self, form) -> None:
        """Stop the validation chain when the typed text was refused."""
        if self.process_errors:
            raise StopValidation()
        super().pre_validate(form)


class MoneyField(_StopWhenUnreadable, DecimalField):
    """A decimal typed with ASCII digits only (no NaN, Infinity or １００), below the column's maximum."""

    def __init__(
        self,
        label=None,
        validators=None,
        places=2,
        max_value: Decimal = MONEY_MAX,
        percent_sign: bool = False,
        **kwargs,
    ):
        super().__init__(label, validators, places=places, **kwargs)
        self.max_value = max_value
        self.percent_sign = percent_sign

    def process_formdata(self, valuelist):
        """Parse the typed text strictly (parse_number); a rate in per cent may carry its % sign ("4.5%")."""
        if valuelist:
            self.data = None
            text = valuelist[0]
            if self.percent_sign:
                text = text.strip().replace("％", "%").removesuffix("%")
            self.data = parse_number(text, below=self.max_value)


class WholeNumberField(_StopWhenUnreadable, IntegerField):
    """An integer typed with ASCII digits only, within the database's integer range."""

    def __init__(self, label=None, validators=None, max_value: int = INTEGER_MAX, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_value = max_value

    def process_formdata(self, valuelist):
        """Parse the typed text strictly (parse_number)."""
        if valuelist:
            self.data = None
            self.data = parse_number(valuelist[0], whole=True, below=self.max_value + 1)


EARLIEST_FOUNDING = date(1900, 1, 1)


def founding_date_valid(form, field) -> None:
    """A founding date is from 1900 to today (the one bound every profile-like form uses)."""
    bounds = f"成立日期应在 {EARLIEST_FOUNDING.isoformat()} 到今天之间。"
    if field.data and field.data > timeutil.today():
        # A future date would make 成立年限 negative (shown as "—"): say which day "today" is.
        raise ValidationError(f"成立日期不能晚于今天（{timeutil.today().isoformat()}）；{bounds}")
    if field.data and field.data < EARLIEST_FOUNDING:
        raise ValidationError(bounds)


USERNAME = Regexp(r"^[A-Za-z0-9_.-]{3,64}$", message="用户名为 3–64 位字母、数字、下划线、点或连字符。")
MONEY_RANGE = NumberRange(min=0, max=int(conditions.MAX_MONEY), message="金额应在 0 到 1 亿万元之间。")


def registry_field(name: str, label: str | None = None):
    """A form field for a registry number (money or count): label, unit and bounds from conditions.FIELDS."""
    spec = conditions.FIELDS[name]
    text = f"{label or spec.label}（{spec.unit}）"
    if spec.money:
        return MoneyField(text, places=2, validators=[Optional(), MONEY_RANGE])
    low, high = spec.bounds
    noun = "人数" if spec.unit == "人" else spec.label
    message = (
        f"{noun}应为非负整数（不超过 {high:,}）。"
        if low == 0
        else f"{noun}应为 {low} 到 {high:,} 之间的整数。"
    )
    return WholeNumberField(text, validators=[Optional(), NumberRange(min=low, max=high, message=message)])


def _district_field(name: str):
    return SelectField(
        conditions.FIELDS[name].label, choices=[("", "—")], validators=[Optional()], filters=[_blank_to_none]
    )


def _uscc_valid(form, field) -> None:
    problem = reference.uscc_problem((field.data or "").strip().upper())
    if problem:
        raise ValidationError(problem)


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (no Ctrl-click); held choices stay visible when disabled."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """Refuse values outside the choices, in Chinese (WTForms has no translation for this message)."""
        if self.validate_choice and self.data:
            known = {value for value, _ in self.choices}
            unknown = [str(v) for v in self.data if v not in known]
            if unknown:
                raise ValidationError(f"不是有效的选择：{'、'.join(unknown)}。")


def _industry_valid(form, field) -> None:
    if field.data and not reference.is_industry_class(field.data):
        raise ValidationError("行业代码须为 GB/T 4754-2017 小类代码（门类字母加 4 位数字，如 C3841）。")


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("用户名", validators=[DataRequired(message="请输入用户名。"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码。"), Length(max=128)])


class RegisterForm(FlaskForm):
    """An enterprise's self-registration."""

    uscc = StringField(
        "统一社会信用代码", validators=[DataRequired(message="请输入统一社会信用代码。"), _uscc_valid]
    )
    name = StringField("企业名称", validators=[DataRequired(message="请输入企业名称。"), Length(max=200)])
    username = StringField("用户名", validators=[DataRequired(message="请输入用户名。"), USERNAME])
    password = PasswordField(
        "密码",
        validators=[DataRequired(message="请输入密码。"), Length(min=8, max=128, message="密码至少 8 位。")],
    )
    confirm = PasswordField("确认密码", validators=[EqualTo("password", message="两次输入的密码不一致。")])


class ProfileForm(FlaskForm):
    """The self-declared part of an enterprise profile; verified fields are disabled by the view."""

    name = StringField("企业名称", validators=[DataRequired(message="请输入企业名称。"), Length(max=200)])
    registered_district = _district_field("registered_district")
    tax_district = _district_field("tax_district")
    operating_district = _district_field("operating_district")
    street = SelectField("街道", choices=[("", "—")], validators=[Optional()], filters=[_blank_to_none])
    industry_code = StringField(
        "行业代码（GB/T 4754-2017）", validators=[Optional(), _industry_valid], filters=[_code]
    )
    founded = DateField("成立日期", validators=[Optional(), founding_date_valid])
    employees = registry_field("employees")
    revenue_wan = registry_field("revenue_wan")
    assets_wan = registry_field("assets_wan")
    rd_expense_wan = registry_field("rd_expense_wan")
    tax_paid_wan = registry_field("tax_paid_wan")
    qualifications = CheckboxesField("资质", choices=[], validators=[Optional()])
    credit_ok = BooleanField("无失信记录")
    business_scope = TextAreaField("经营范围", validators=[Optional(), Length(max=2000)])
    description = TextAreaField("企业简介", validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = reference.region()  # the deployment's places (REGION setting)
        for name in conditions.DISTRICT_FIELDS:
            if name in self:
                self[name].choices = [("", "—")] + [(d, d) for d in region.districts]
        self.street.choices = [("", "—")] + [(s, s) for s in region.all_streets()]
        self.qualifications.choices = [(q, q) for q in reference.qualification_names()]


class UserCreateForm(FlaskForm):
    """An admin creates an official, bank or admin account."""

    username = StringField("用户名", validators=[DataRequired(message="请输入用户名。"), USERNAME])
    display_name = StringField("姓名/名称", validators=[Optional(), Length(max=100)])
    role = SelectField(
        "角色", choices=[(r.value, ROLE_LABELS[r]) for r in (Role.OFFICIAL, Role.BANK, Role.ADMIN)]
    )
    bank_id = SelectField("所属银行（金融机构账号必填）", coerce=int, choices=[(0, "—")])
    password = PasswordField(
        "初始密码",
        validators=[DataRequired(message="请输入密码。"), Length(min=8, max=128, message="密码至少 8 位。")],
    )


class ParkForm(FlaskForm):
    """A virtual park's definition."""

    name = StringField("园区名称", validators=[DataRequired(message="请输入园区名称。"), Length(max=100)])
    description = TextAreaField("简介", validators=[Optional(), Length(max=2000)])
    industry_prefixes = StringField(
        "行业代码前缀（空格分隔，如 C39 I65）", validators=[Optional(), Length(max=500)]
    )
    qualifications = CheckboxesField("资质（持有任一即可）", choices=[], validators=[Optional()])
    manager_id = SelectField("管理人员", coerce=int, choices=[(0, "—")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.qualifications.choices = [(q, q) for q in reference.qualification_names()]


class ImportForm(FlaskForm):
    """Upload of a government data feed (JSON Lines)."""

    source = StringField("数据来源", validators=[DataRequired(message="请填写数据来源。"), Length(max=100)])
    file = FileField("JSONL 文件", validators=[FileRequired(message="请选择文件。")])


class ActivateForm(FlaskForm):
    """An enterprise account enters its one-time activation code."""

    code = StringField(
        "激活码",
        validators=[DataRequired(message="请输入激活码。"), Length(max=40, message="激活码格式不正确。")],
    )


class ActivationCodesForm(FlaskForm):
    """An official issues activation codes for credit codes (one per line)."""

    usccs = TextAreaField(
        "统一社会信用代码（每行一个）",
        validators=[DataRequired(message="请输入统一社会信用代码。"), Length(max=19 * 2000)],
    )
    valid_days = WholeNumberField(
        "有效天数",
        default=60,
        validators=[
            DataRequired(message="请输入有效天数。"),
            NumberRange(min=1, max=365, message="有效天数为 1–365。"),
        ],
    )


class PasswordChangeForm(FlaskForm):
    """A user changes their password."""

    current = PasswordField(
        "当前密码", validators=[DataRequired(message="请输入当前密码。"), Length(max=128)]
    )
    password = PasswordField(
        "新密码",
        validators=[
            DataRequired(message="请输入新密码。"),
            Length(min=8, max=128, message="密码至少 8 位。"),
        ],
    )
    confirm = PasswordField("确认新密码", validators=[EqualTo("password", message="两次输入的密码不一致。")])


class FiguresForm(FlaskForm):
    """One year of the enterprise's own figures (营业收入, 纳税, 研发费用, 从业人员, 资产), declared by year.

    The year's range is the service's rule (portal.services.figure_years): it refuses a year outside it."""

    year = HiddenField()  # chosen on the page with a GET switch, so the figures shown are that year's

    def year_number(self) -> int:
        """The chosen year, or 0 when the client sent something that is not a year."""
        raw = (self.year.data or "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else 0


# the year figures' fields come from the registry: "营业收入（万元）", "从业人员（人）", bounds included
for _name in conditions.YEAR_FIELDS:
    setattr(FiguresForm, _name, registry_field(_name, conditions.FIELDS[_name].label.removeprefix("上年度")))
