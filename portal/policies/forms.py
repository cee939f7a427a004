"""Forms of the policies capability: the policy editor with condition rows, and the push settings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal import conditions as cond
from portal import reference
from portal.forms import CheckboxesField, MoneyField, parse_number, parse_ratio
from portal.policies.catalog import SUPPORT_KINDS
from portal.policies.schemas import (
    CODE_MAX,
    DOC_NO_MAX,
    GROUP_MAX,
    ISSUER_MAX,
    MAX_BUDGET,
    MIN_BUDGET,
    REGIONS,
    TEXT_MAX,
    TITLE_MAX,
)

_SPLIT = re.compile(r"[、,，;；\s]+")
_ROW_PREFIX = re.compile(r"^第\d+条条件：")
_TRUE = {"是", "true", "1", "良好", "信用良好", "无失信"}
_FALSE = {"否", "false", "0", "有失信", "失信"}
EDITOR_GROUPS = 3  # the row editor's groups; deeper trees go through the JSON box
OWN_WORDS = ("本类", "@own")
SUPPORT_BASE_LABELS = {base: cond.INPUT_LABELS[base] for base in cond.SUPPORT_BASES}


def _number(text: str, kind: str) -> int | float | Decimal:
    if kind == "ratio" or text.endswith(("%", "％")):  # "3%", "3" and 0.03 all mean 3 %: one ratio parser
        value = parse_ratio(text, negative=True)
        if value is None:
            raise ValueError("请填写比例（可写 5% 或 0.05）")
        return value
    try:
        value = parse_number(text)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(f"“{text}”不是数字")
    return value


def _item(text: str, kind: str) -> Any:
    if kind in ("number", "years", "ratio"):
        return _number(text, kind)
    if kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("信用状况请填“是”或“否”")
    if kind == "groups":  # 本类 is the policy's own group
        return cond.OWN_GROUP if text in OWN_WORDS else text
    if kind == "qualifications":  # an alias the vocabulary knows is stored as its name, as the import does
        return reference.canonical_qualification(text) or text
    return text.upper() if kind == "industry" else text


def row_condition(name: str, op: str, text: str) -> dict[str, Any]:
    """One editor row (field, op, typed value) → a condition; lists are split on 、 , ; or spaces."""
    spec = cond.FIELDS[name]
    text = text.strip()
    if cond.OPS[op].many:
        value: Any = [_item(t, spec.kind) for t in _SPLIT.split(text) if t]
    else:
        value = _item(text, spec.kind)
    return {"field": name, "op": op, "value": value}


def value_text(name: str, value: Any) -> str:
    """A condition value as the editor shows it (lists joined with 、, ratios as percentages)."""
    kind = cond.FIELDS[name].kind if name in cond.FIELDS else "text"
    if isinstance(value, list | tuple):
        return "、".join(value_text(name, v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == "groups" and value == cond.OWN_GROUP:
        return "本类"
    if kind == "ratio":
        return f"{(Decimal(str(value)) * 100).normalize():f}%"
    return str(value)


def parse_rate(text: str | None, *, per_head: bool = False) -> Decimal | None:
    """A support rate typed as 5% or 0.05 (both mean five per cent); per head it is 万元 per person as typed."""
    return parse_ratio(text, per_head=per_head)


def rate_text(support: dict[str, Any]) -> str:
    """A support rate as the editor shows it: a percentage, or 万元 per person for a per-head rule."""
    rate = support.get("rate")
    if rate is None:
        return ""
    if support.get("base") == "employees":
        return f"{Decimal(str(rate)).normalize():f}"
    return f"{(Decimal(str(rate)) * 100).normalize():f}%"


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else value or None


def _simple(support: Mapping[str, Any]) -> bool:
    """Whether the form's plain fields can hold the rule (fixed, plain ratio, interest)."""
    extra = {k for k in support if k not in ("kind", "amount_wan", "base", "rate", "cap_wan")}
    return not support or (support.get("kind") in ("fixed", "ratio", "interest") and not extra)


class ConditionRowForm(Form):
    """One condition row of the editor (a sub-form: the parent form carries the CSRF token)."""

    field = SelectField("字段", choices=[(k, f.label) for k, f in cond.FIELDS.items()])
    op = SelectField("运算", choices=[(k, o.label) for k, o in cond.OPS.items()])
    value = StringField("取值", validators=[Optional(), Length(max=2000)])
    group = SelectField(
        "所属组",
        choices=[("", "直接条件")] + [(str(g), f"组{g}") for g in range(1, EDITOR_GROUPS + 1)],
        default="",
    )


GROUP_KINDS = {"any": "满足组内任一项", "all": "同时满足组内各项", "not": "组内各项均不得满足"}


def _grouped(
    content_conditions: Any,
) -> tuple[list[tuple[str, dict]], dict[str, str], dict[str, str]] | None:
    """A tree as editor rows (group number, row), group kinds and each group's parent group ("" for the top);
    None when it needs more groups than the editor has, or keys it has no column for."""
    rows: list[tuple[str, dict]] = []
    kinds: dict[str, str] = {}
    parents: dict[str, str] = {}
    if any(set(r) - {"field", "op", "value"} for r in cond.leaves(content_conditions)):
        return None  # rows carry a key the row editor has no column for (within_years): edit as JSON

    def place(node: Mapping, parent: str) -> bool:
        kind = cond.group_kind(node)
        members = cond.children(node)
        if kind == "not" and len(members) == 1 and cond.is_group(members[0]):
            if cond.group_kind(members[0]) != "all":
                return False
            members = cond.children(members[0])
        if len(kinds) >= EDITOR_GROUPS:
            return False
        g = str(len(kinds) + 1)
        kinds[g], parents[g] = kind, parent
        rows.extend((g, m) for m in members if not cond.is_group(m))
        return all(place(m, g) for m in members if cond.is_group(m))

    for node in cond.top_nodes(content_conditions or {"all": []}):
        if not cond.is_group(node):
            rows.append(("", node))
        elif not place(node, ""):
            return None
    return rows, kinds, parents


def read_rows(entries: FieldList, with_groups: bool = False) -> list | None:
    """The condition rows of an editor (blank rows skipped), or None after putting each problem on its row.

    with_groups=True gives (group number, row) pairs for the officials' editor, whose rows may sit in a group.

    Rows are numbered as the table shows them (blank rows included): validating the non-blank rows as one list
    would number them without the blanks."""
    rows: list[dict[str, Any]] = []
    summary: list[str] = []
    for number, entry in enumerate(entries, 1):
        sub = entry.form
        if not (sub.value.data or "").strip():
            continue  # a blank row is not a condition
        if sub.op.data not in cond.FIELDS[sub.field.data].ops:
            allowed = "、".join(cond.OPS[o].label for o in cond.FIELDS[sub.field.data].ops)
            message = f"“{cond.FIELDS[sub.field.data].label}”不能用此运算（可选：{allowed}）"
            sub.op.errors = [*sub.op.errors, message]
            summary.append(f"第{number}行：{message}")
            continue
        try:
            row = row_condition(sub.field.data, sub.op.data, sub.value.data)
        except ValueError as exc:
            sub.value.errors = [*sub.value.errors, str(exc)]
            summary.append(f"第{number}行：{exc}")
            continue
        problems = [_ROW_PREFIX.sub("", p) for p in cond.validate({"all": [row]})]
        if problems:
            sub.value.errors = [*sub.value.errors, *problems]
            summary += [f"第{number}行：{p}" for p in problems]
            continue
        rows.append((sub.group.data or "", row) if with_groups else row)
    if summary:
        entries.errors = summary
        return None
    return rows


def rows_data(conditions: Any) -> list[dict[str, str]] | None:
    """Editor rows for a flat conditions document ({"all": [rows]}); None when rows cannot show it."""
    if not isinstance(conditions, dict) or set(conditions) - {"all"}:
        return None
    rows = conditions.get("all") or []
    if not all(
        isinstance(r, dict) and {"field", "op", "value"} <= set(r) and r["field"] in cond.FIELDS for r in rows
    ):
        return None
    return [{"field": r["field"], "op": r["op"], "value": value_text(r["field"], r["value"])} for r in rows]


class PolicyForm(FlaskForm):
    """An official's policy editor: content, support, targets, budget and condition rows."""

    code = StringField("政策编号（可选）", validators=[Optional(), Length(max=CODE_MAX)])
    title = StringField("标题", validators=[DataRequired(message="请输入标题。"), Length(max=TITLE_MAX)])
    issuer = StringField("发文单位", validators=[Optional(), Length(max=ISSUER_MAX)])
    doc_no = StringField("文号", validators=[Optional(), Length(max=DOC_NO_MAX)])
    region = SelectField("地区", choices=[(r, r) for r in REGIONS])
    category = SelectField("类别", choices=[(c, c) for c in reference.POLICY_CATEGORIES])
    group = StringField(
        "支持类别（不重复享受，如 研发费用补贴；可空）", validators=[Optional(), Length(max=GROUP_MAX)]
    )
    published_on = DateField("发布日期", validators=[Optional()])
    deadline = DateField("申报截止日期", validators=[Optional()])
    text = TextAreaField("政策正文", validators=[Optional(), Length(max=TEXT_MAX)], render_kw={"rows": 14})
    instant = BooleanField("秒批事项（条件全部可机器核验、金额可计算）")
    budget_wan = MoneyField(
        "预算（万元，留空为不设上限）",
        places=2,
        validators=[Optional(), NumberRange(min=MIN_BUDGET, max=MAX_BUDGET)],
    )
    support_kind = SelectField("支持方式", choices=[("", "—（无）")] + list(SUPPORT_KINDS.items()))
    support_amount = MoneyField("定额（万元）", validators=[Optional(), NumberRange(min=0)])
    support_base = SelectField("计算基数", choices=list(SUPPORT_BASE_LABELS.items()))
    support_rate = StringField(
        "比例",
        validators=[Optional(), Length(max=20)],
        description="10% 写 10% 或 0.1 均可；按人数时写每人万元数",
    )
    support_cap = MoneyField("上限（万元，可空）", validators=[Optional(), NumberRange(min=0)])
    support_json = TextAreaField(
        "支持方式（JSON，高级：分档 tiers、按单位 per_unit、超过部分 over_wan、增量 increase；填写后以此为准）",
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 4},
    )
    target_industries = StringField("重点支持行业（代码前缀，空格分隔，如 C39 I65）", validators=[Optional()])
    target_qualifications = CheckboxesField(
        "重点支持资质", choices=[(q, q) for q in reference.QUALIFICATIONS]
    )
    rows = FieldList(FormField(ConditionRowForm), label="条件", min_entries=0)
    group1_kind = SelectField("组1", choices=list(GROUP_KINDS.items()), default="any")
    group2_kind = SelectField("组2", choices=list(GROUP_KINDS.items()), default="any")
    group3_kind = SelectField("组3", choices=list(GROUP_KINDS.items()), default="any")
    # where a group sits: among the direct conditions, or inside an earlier group (组2 inside 组1: any of [row, 组2])
    group2_parent = SelectField("组2 所在", choices=[("", "直接条件"), ("1", "组1 之内")], default="")
    group3_parent = SelectField(
        "组3 所在", choices=[("", "直接条件"), ("1", "组1 之内"), ("2", "组2 之内")], default=""
    )
    conditions_json = TextAreaField(
        "条件（JSON，高级：可嵌套 all/any/not 至 3 层；填写后以此为准，忽略上方各行）",
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 6},
    )
    effective_from = DateField("条件与支持标准适用起始日（可空）", validators=[Optional()])
    effective_until = DateField("适用截止日（可空）", validators=[Optional()])
    tests_json = TextAreaField(
        "测试用例（JSON 列表：示例企业 profile 与预期 expect 为 pass/fail/unknown，可填预期金额 amount_wan）",
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 5},
    )
    save = SubmitField("保存")
    recognize = SubmitField("从正文识别条件")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the vocabulary is the admins' (portal/vocabulary): read when the form is built, not at import
        self.target_qualifications.choices = [(q, q) for q in reference.qualification_names()]

    # ---------------------------------------------------------------- to and from a policy

    @staticmethod
    def data_of(content: dict[str, Any], code: str | None = None, budget_wan: Any = None) -> dict[str, Any]:
        """Form data for policy content (Policy.content() shape)."""
        support = content.get("support") or {}
        targets = content.get("targets") or {}
        return {
            "code": code or "",
            "title": content.get("title"),
            "issuer": content.get("issuer"),
            "doc_no": content.get("doc_no"),
            "region": content.get("region") or "宝安区",
            "category": content.get("category"),
            "group": content.get("group") or "",
            "published_on": _date(content.get("published_on")),
            "deadline": _date(content.get("deadline")),
            "text": content.get("text"),
            "instant": bool(content.get("instant")),
            "budget_wan": budget_wan,
            "support_kind": support.get("kind", "") if _simple(support) else "",
            "support_json": "" if _simple(support) else json.dumps(support, ensure_ascii=False),
            "support_amount": support.get("amount_wan"),
            "support_base": support.get("base", "rd_expense_wan"),
            "support_rate": rate_text(support),
            "support_cap": support.get("cap_wan"),
            "target_industries": " ".join(targets.get("industries") or []),
            "target_qualifications": list(targets.get("qualifications") or []),
            "effective_from": _date(content.get("effective_from")),
            "effective_until": _date(content.get("effective_until")),
            "tests_json": json.dumps(content["tests"], ensure_ascii=False, indent=1)
            if content.get("tests")
            else "",
        } | PolicyForm.conditions_data(content.get("conditions"))

    @staticmethod
    def conditions_data(conditions: Any) -> dict[str, Any]:
        """Form data for a conditions tree: editor rows with group kinds, or the JSON box when it is deeper."""
        grouped = _grouped(conditions)
        if grouped is None:  # deeper than the row editor: edit the whole tree as JSON
            return {"rows": [], "conditions_json": json.dumps(conditions, ensure_ascii=False, indent=2)}
        rows, kinds, parents = grouped
        return (
            {
                "rows": [
                    {
                        "field": r["field"],
                        "op": r["op"],
                        "value": value_text(r["field"], r["value"]),
                        "group": g,
                    }
                    for g, r in rows
                ],
            }
            | {f"group{g}_kind": kind for g, kind in kinds.items()}
            | {f"group{g}_parent": parent for g, parent in parents.items()}
        )

    def _tree(self, rows: list[tuple[str, dict]]) -> dict[str, Any]:
        """Editor rows with their group numbers → {"all": [direct rows..., groups...]}; a group set inside an
        earlier one is a member of it (any of [row, all of [row, row]]: depth up to the editor's three groups)."""

        def parent(g: int) -> str:
            field = getattr(self, f"group{g}_parent", None)  # 组1 sits among the direct conditions
            chosen = (field.data if field else "") or ""
            return chosen if chosen.isdigit() and int(chosen) < g else ""  # only an earlier group: no cycle

        def group(g: int) -> dict[str, Any] | None:
            members = [r for gg, r in rows if gg == str(g)]
            members += [n for k in range(g + 1, EDITOR_GROUPS + 1) if parent(k) == str(g) and (n := group(k))]
            if not members:
                return None
            kind = getattr(self, f"group{g}_kind").data or "any"
            if kind == "not":
                return {"not": members[0] if len(members) == 1 else {"all": members}}
            return {kind: members}

        top = [r for g, r in rows if not g]
        top += [n for g in range(1, EDITOR_GROUPS + 1) if not parent(g) and (n := group(g))]
        return {"all": top}

    def pad_rows(self, blanks: int = 3) -> None:
        """Add empty rows to fill in."""
        for _ in range(blanks):
            self.rows.append_entry({"field": "registered_district", "op": "eq", "value": ""})

    def _support(self) -> dict[str, Any] | None:
        if (self.support_json.data or "").strip():
            try:
                support = json.loads(self.support_json.data)
            except ValueError:
                self.support_kind.errors = [
                    *self.support_kind.errors,
                    "支持方式 JSON 格式有误，请检查括号和引号。",
                ]
                return None
            problems = cond.validate_support(support)
            if problems:
                self.support_kind.errors = [*self.support_kind.errors, *problems]
            return support
        kind = self.support_kind.data
        if not kind:
            return None
        support: dict[str, Any] = {"kind": kind}
        if kind == "fixed":
            support["amount_wan"] = self.support_amount.data
        else:
            if kind == "ratio":
                support["base"] = self.support_base.data
            try:
                support["rate"] = parse_rate(
                    self.support_rate.data, per_head=support.get("base") == "employees"
                )
            except ValueError as exc:
                self.support_rate.errors = [*self.support_rate.errors, str(exc)]
                support["rate"] = 0  # reported on the field; not "missing"
            if self.support_cap.data is not None:
                support["cap_wan"] = self.support_cap.data
        missing = [k for k, v in support.items() if v is None]
        if missing:
            self.support_kind.errors = [*self.support_kind.errors, "请填写该支持方式所需的金额或比例。"]
        return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in support.items()}

    def content(self) -> dict[str, Any] | None:
        """The submitted content for services.save_policy, or None after marking the rows in error."""
        pairs = read_rows(self.rows, with_groups=True)
        ok = pairs is not None
        tree = self._tree(pairs or [])
        if (self.conditions_json.data or "").strip():
            try:
                tree = json.loads(self.conditions_json.data)
            except ValueError:
                self.conditions_json.errors = [
                    *self.conditions_json.errors,
                    "条件 JSON 格式有误，请检查括号和引号。",
                ]
                ok = False
            else:
                problems = cond.validate(tree)
                if problems:
                    self.conditions_json.errors = [*self.conditions_json.errors, *problems]
                    ok = False
        elif ok:
            problems = cond.validate(tree)
            if problems:
                self.rows.errors = problems
                ok = False
        support = self._support()
        if self.support_kind.errors or self.support_rate.errors:
            ok = False
        tests: Any = []
        if (self.tests_json.data or "").strip():
            try:
                tests = json.loads(self.tests_json.data)
            except ValueError:
                self.tests_json.errors = [
                    *self.tests_json.errors,
                    "测试用例 JSON 格式有误，请检查括号和引号。",
                ]
                ok = False
        if not ok:
            return None
        return {
            "code": self.code.data,
            "title": self.title.data,
            "issuer": self.issuer.data or "",
            "doc_no": self.doc_no.data or "",
            "region": self.region.data,
            "category": self.category.data,
            "group": (self.group.data or "").strip(),
            "published_on": self.published_on.data,
            "deadline": self.deadline.data,
            "text": self.text.data or "",
            "instant": bool(self.instant.data),
            "budget_wan": self.budget_wan.data,
            "support": support,
            "targets": {
                "industries": (self.target_industries.data or "").upper().split(),
                "qualifications": self.target_qualifications.data or [],
            },
            "conditions": tree,
            "tests": tests,
            "effective_from": self.effective_from.data,
            "effective_until": self.effective_until.data,
        }


class MuteForm(FlaskForm):
    """The categories an enterprise does not want pushed."""

    muted = SelectMultipleField(
        "不接收以下类别的政策推送",
        choices=[(c, c) for c in reference.POLICY_CATEGORIES],
        validators=[Optional()],
    )


class ActionForm(FlaskForm):
    """An empty form: a POST button with its CSRF token (publish, expire, mark read)."""


class ChoiceField(SelectField):
    """A single choice that refuses values outside its choices in Chinese (WTForms says it in English)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "SelectField"  # rendered by _form.html's field() as the select it is

    def pre_validate(self, form) -> None:
        """Refuse a value that is not one of the choices."""
        if self.data not in {value for value, _ in self.choices}:
            raise ValidationError("不是有效的选择，请从列表中选择。")


class SweepForm(FlaskForm):
    """What-if: move one threshold of the draft across a range (the choices are the draft's numeric rows)."""

    threshold = ChoiceField("调整的条件", choices=[])
    start = MoneyField("起点", validators=[InputRequired(message="请填写起点。")])
    stop = MoneyField("终点", validators=[InputRequired(message="请填写终点。")])
    points = ChoiceField(
        "测算点数", choices=[(str(n), f"{n} 个点") for n in (5, 10, 19, 28, 37)], default="10"
    )
    sweep = SubmitField("测算")


class CompareForm(FlaskForm):
    """Compare this draft with another policy the official may edit."""

    other = ChoiceField("对比的政策", choices=[])
    compare = SubmitField("对比")


class DocumentForm(FlaskForm):
    """A policy document's own fields (its items are edited one by one in the policy editor)."""

    title = StringField(
        "文件标题", validators=[DataRequired(message="请输入文件标题。"), Length(max=TITLE_MAX)]
    )
    issuer = StringField("发文单位", validators=[Optional(), Length(max=ISSUER_MAX)])
    doc_no = StringField("文号", validators=[Optional(), Length(max=DOC_NO_MAX)])
    code = StringField("文件编号（可选）", validators=[Optional(), Length(max=CODE_MAX)])
    published_on = DateField("发布日期", validators=[Optional()])
    valid_until = DateField("有效期至", validators=[Optional()])
    text = TextAreaField("文件正文", validators=[Optional(), Length(max=TEXT_MAX)], render_kw={"rows": 12})

    def validate_valid_until(self, field) -> None:
        """A document cannot end before it is published."""
        if field.data and self.published_on.data and field.data < self.published_on.data:
            raise ValidationError("有效期至不能早于发布日期。")


class ItemForm(FlaskForm):
    """Add an existing policy (one in no document) to a document as its next item."""

    policy_id = ChoiceField("加入已有政策", choices=[])

    def __init__(self, *args, policies: Iterable[Any] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.policy_id.choices = [(str(p.id), f"{p.title}（{p.status_label}）") for p in policies]
