"""Pages of the policies capability: catalog, detail, revisions, recommendations, editor, sandbox, inbox."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import conditions as cond
from portal import inbox as kernel_inbox
from portal import reference, services
from portal.actions import commit_or_refuse
from portal.auth import role_required
from portal.edge import page_number
from portal.extensions import db
from portal.models import Enterprise, Notification, Role
from portal.policies import audience, delivery, documents, jobs, recommendations, scenarios, whatif, wording
from portal.policies import catalog as policy_catalog
from portal.policies.forms import (
    ActionForm,
    CompareForm,
    DocumentForm,
    ItemForm,
    MuteForm,
    PolicyForm,
    SweepForm,
)
from portal.policies.models import DeliveryJob, Policy, PolicyDocument, PolicyStatus
from portal.timeutil import today

bp = Blueprint("policies", __name__, url_prefix="/policies", template_folder="templates")

STAFF = (Role.OFFICIAL, Role.ADMIN)
EVERYONE = (Role.ENTERPRISE, Role.OFFICIAL, Role.BANK, Role.ADMIN)


_MARK_TAIL = re.compile(r"\s*[✓✗?]\s*$")


@bp.app_template_filter("unmarked")
def unmarked(sentence: str) -> str:
    """A result sentence without its trailing ✓/✗/? (the page shows the mark in front)."""
    return _MARK_TAIL.sub("", sentence)


@bp.app_template_filter("field_label")
def field_label(name: str) -> str:
    """A condition field's Chinese label."""
    spec = cond.FIELDS.get(name)
    return spec.label if spec else name


@bp.app_template_filter("missing_inputs")
def missing_inputs(results) -> list[str]:
    """What the enterprise should fill in for unknown results: the missing data's names, once each."""
    names: list[str] = []
    for result in results:
        text = unmarked(result.sentence)
        if text.startswith("缺少数据："):
            names += text.removeprefix("缺少数据：").split("、")
        else:
            names.append(text)
    return list(dict.fromkeys(names))


@bp.app_context_processor
def _inject() -> dict:
    """The navbar's unread count, evaluated only when a template asks for it."""

    def unread() -> int:
        if not current_user.is_authenticated or current_user.role != Role.ENTERPRISE:
            return 0
        return kernel_inbox.unread_count(current_user.enterprise_id)

    return {
        "policy_unread_count": unread,
        "describe_support": cond.describe_support,
        "condition_sentence": wording.condition_sentence,
        "group_heads": cond.GROUP_HEADS,
        "value_choices": _value_choices,
    }


def _value_choices() -> dict[str, list[str]]:
    """What the condition editor suggests for a row's value, by field: the vocabulary's names and aliases, places."""
    region = reference.region()
    names = [n for t in reference.vocabulary() for n in (t.name, *t.aliases)]
    return {
        "qualifications": names,
        **{name: list(region.districts) for name in cond.DISTRICT_FIELDS},
        "street": list(region.all_streets()),
    }


def _policy(policy_id: int) -> Policy:
    """A policy the current user may see; a draft is private to staff, so others get 404."""
    policy = db.get_or_404(Policy, policy_id)
    if not policy.can_view(current_user):
        abort(404)
    return policy


def _editable(policy_id: int) -> Policy:
    policy = _policy(policy_id)
    if not policy.can_edit(current_user):
        abort(403)
    return policy


def _own_enterprise() -> Enterprise:
    enterprise = db.session.get(Enterprise, current_user.enterprise_id or 0)
    if enterprise is None or not enterprise.can_view(current_user):
        abort(404)
    return enterprise


# ---------------------------------------------------------------- catalog and detail


@bp.route("/")
@role_required(*EVERYONE)
def catalog():
    """The catalog with Chinese full-text search and filters."""
    args = request.args
    result = policy_catalog.search_policies(
        current_user,
        on=today(),
        query=args.get("q", "")[:100],
        category=args.get("category", ""),
        region=args.get("region", ""),
        status=args.get("status", ""),
        open_state=args.get("open", ""),
        page=page_number(),
    )
    return render_template(
        "policies/catalog.html",
        result=result,
        args=args,
        categories=reference.POLICY_CATEGORIES,
        regions=policy_catalog.REGIONS,
        statuses=PolicyStatus,
        today=today(),
        staff=current_user.role in STAFF,
    )


@bp.route("/<id:policy_id>")
@role_required(*EVERYONE)
def detail(policy_id: int):
    """A policy: text, conditions as sentences, support; the enterprise's own check; staff figures."""
    policy = _policy(policy_id)
    on = today()
    card = None
    if current_user.role == Role.ENTERPRISE and current_user.enterprise_id:
        card = recommendations.explain(policy, _own_enterprise(), on=on)
    staff = policy.can_edit(current_user)
    return render_template(
        "policies/detail.html",
        policy=policy,
        card=card,
        rows=cond.top_nodes(policy.conditions),
        fields=cond.FIELDS,
        ops=cond.OPS,
        staff=staff,
        funnel=delivery.funnel(policy) if staff else None,
        case_results=policy_catalog.case_outcomes(policy, on) if staff else [],
        job=delivery.latest_job(policy) if staff else None,
        action=ActionForm(),
        today=on,
    )


@bp.route("/<id:policy_id>/revisions")
@bp.route("/<id:policy_id>/revisions/<id:number>")
@role_required(*EVERYONE)
def revisions(policy_id: int, number: int | None = None):
    """Every revision of a policy; one revision's full snapshot."""
    policy = _policy(policy_id)
    shown = None
    if number is not None:
        shown = next((r for r in policy.revisions if r.number == number), None)
        if shown is None:
            abort(404)
    return render_template(
        "policies/revisions.html",
        policy=policy,
        shown=shown,
        periods=policy_catalog.revision_periods(policy.revisions),
        fields=cond.FIELDS,
        ops=cond.OPS,
    )


# ---------------------------------------------------------------- recommendations


@bp.route("/recommend")
@role_required(Role.ENTERPRISE)
def recommend():
    """为我推荐: policies the enterprise qualifies for (targeted first), almost qualifies for, or lacks data for."""
    enterprise = _own_enterprise()
    found = recommendations.recommend_for(enterprise, on=today())
    return render_template(
        "policies/recommend.html",
        enterprise=enterprise,
        found=found,
        today=today(),
        loan_fields=cond.LOAN_FIELDS,
    )


# ---------------------------------------------------------------- officials: edit, publish, sandbox


def _found_fields(reading) -> dict:
    """The editor fields the reader found (support rule, targets, 秒批): only these replace what was typed."""
    found = {}
    support = reading.support
    if support and support.get("kind") in policy_catalog.SUPPORT_KINDS:
        shown = PolicyForm.data_of({"support": support})
        keys = {"fixed": ("support_amount",), "ratio": ("support_base", "support_rate", "support_cap")}.get(
            support["kind"], ("support_rate", "support_cap")
        )
        found["support_kind"] = support["kind"]
        found.update({k: shown[k] for k in keys if shown[k] not in (None, "")})
    if reading.targets.get("industries"):
        found["target_industries"] = " ".join(reading.targets["industries"])
    if reading.targets.get("qualifications"):
        found["target_qualifications"] = list(reading.targets["qualifications"])
    if reading.instant:
        found["instant"] = True
    return found


def _evidence_by_row(proposed, evidence) -> list[str]:
    """The source text of each editor row, in the editor's row order (a row the reader has no span for: "")."""
    spans = list(evidence)
    shown = []
    for row in cond.leaves(proposed):
        match = next((e for e in spans if e.condition == row), None)
        if match is not None:
            spans.remove(match)
        shown.append(match.source if match else "")
    return shown


def _found_anything(reading) -> bool:
    """Whether the reader found anything at all to propose."""
    return bool(
        reading.tree.get("all") or reading.support or reading.instant or any(reading.targets.values())
    )


def _proposal_form(form: PolicyForm) -> tuple[PolicyForm, list[str], object]:
    """A new form with the posted content and the rows read from the text; nothing is stored."""
    reading = recommendations.propose(form.text.data or "", form.title.data or "")
    data = {k: v for k, v in form.data.items() if k not in ("rows", "csrf_token", "save", "recognize")}
    data.update(_found_fields(reading))
    # The whole tree the reader proposes, not only the rows exchange-format records can answer today
    # (text_conditions.PROFILE_PENDING_FIELDS): the official decides on every requirement the text states.
    proposed = reading.tree or reading.conditions
    data.update(PolicyForm.conditions_data(proposed))
    fresh = PolicyForm(formdata=None, data=data)
    evidence = _evidence_by_row(proposed, reading.evidence)
    fresh.pad_rows(2)
    return fresh, evidence, reading


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<id:policy_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit(policy_id: int | None = None):
    """Create or edit a policy with condition rows; "从正文识别条件" proposes rows without saving."""
    policy = _editable(policy_id) if policy_id else None
    # a new item of a document (?document=<id>): it starts with the document's issuer, number, date and text
    document = (
        _document(request.args.get("document", type=int))
        if policy is None and "document" in request.args
        else None
    )
    if request.method == "GET":
        if policy:
            data = PolicyForm.data_of(policy.content(), policy.code, policy.budget_wan)
        else:
            data = documents.item_defaults(document) if document else {}
        form = PolicyForm(formdata=None, data=data)
        form.pad_rows(3 if policy and cond.leaves(policy.conditions) else 5)
        return render_template(
            "policies/edit.html", form=form, policy=policy, document=document, evidence=[], reading=None
        )
    form = PolicyForm()
    if form.recognize.data:
        if not (form.text.data or "").strip():
            flash("政策正文为空，无法识别条件：请先填写或粘贴政策正文。", "warning")
            return render_template(
                "policies/edit.html", form=form, policy=policy, document=document, evidence=[], reading=None
            ), 400
        fresh, evidence, reading = _proposal_form(form)
        if _found_anything(reading):
            flash(
                "已从正文识别出建议内容（申报条件、支持方式与比例、上限、重点支持对象、秒批），已填入下方，"
                "请核对后保存；保存前不会修改政策。",
                "info",
            )
        else:
            flash("未能从正文识别出可机器核验的条件或支持标准，请人工填写。", "warning")
        return render_template(
            "policies/edit.html",
            form=fresh,
            policy=policy,
            document=document,
            evidence=evidence,
            reading=reading,
        )
    content = form.content() if form.validate_on_submit() else None
    if content is None:
        return render_template(
            "policies/edit.html", form=form, policy=policy, document=document, evidence=[], reading=None
        ), 400
    try:
        policy, revised = policy_catalog.save_policy(policy, content, actor=current_user)
        if document:
            documents.add_item(document, policy, actor=current_user)
    except services.ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return render_template(
            "policies/edit.html", form=form, policy=policy, document=document, evidence=[], reading=None
        ), 400
    job = delivery.queue_delivery(policy, actor=current_user) if revised and policy.is_open(today()) else None
    db.session.commit()
    if revised:
        flash(f"已保存为第 {policy.revision_no} 版；此前各版本仍可查阅。", "success")
    else:
        flash("政策已保存。", "success")
    _flash_failing_cases(policy)
    if job:
        _start(job)
    return redirect(url_for("policies.detail", policy_id=policy.id))


def _flash_failing_cases(policy: Policy) -> None:
    """Tell the official which test cases the saved content fails, with the explanation of each."""
    bad = [o for o in policy_catalog.case_outcomes(policy, today()) if not o.ok]
    for outcome in bad:
        flash(
            f"测试用例未通过（发布前须全部通过）：{outcome.summary()}。{'；'.join(outcome.sentences)}",
            "warning",
        )


def _start(job: DeliveryJob) -> None:
    """Run or enqueue a committed delivery job and tell the official what happened."""
    outcome = jobs.dispatch(job)
    if outcome == "queued":
        flash("精准推送已进入后台队列，可在本页查看进度。", "info")
    elif outcome == "done":
        flash(f"精准推送完成：新推送 {job.pushed} 家企业。", "success")
    else:
        flash(f"精准推送未完成：{job.error}", "danger")


@bp.route("/<id:policy_id>/publish", methods=["POST"])
@role_required(*STAFF)
def publish(policy_id: int):
    """Publish (or re-push) a policy; delivery runs in the background when a queue is configured."""
    policy = _editable(policy_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    job = commit_or_refuse(
        lambda: policy_catalog.publish(policy, actor=current_user, on=today()), "政策已发布。"
    )
    if job is not None:
        _start(job)
    return redirect(url_for("policies.detail", policy_id=policy_id))


@bp.route("/<id:policy_id>/expire", methods=["POST"])
@role_required(*STAFF)
def expire(policy_id: int):
    """Take a policy off the open catalog."""
    policy = _editable(policy_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    commit_or_refuse(lambda: policy_catalog.expire(policy, actor=current_user), "政策已下架。")
    return redirect(url_for("policies.detail", policy_id=policy_id))


@bp.route("/<id:policy_id>/sandbox", methods=["GET", "POST"])
@role_required(*STAFF)
def sandbox(policy_id: int):
    """政策沙盘: reach and cost today, plus what-if (one threshold swept, near misses, another draft compared)."""
    policy = _editable(policy_id)
    on = today()
    report = audience.sandbox(policy, on=on)
    found = whatif.thresholds(policy.conditions)
    sweep_form = SweepForm(prefix="sweep")
    sweep_form.threshold.choices = [(t.key, wording.condition_sentence(t.row)) for t in found]
    compare_form = CompareForm(prefix="compare")
    compare_form.other.choices = [
        (str(p.id), f"{p.title}（{p.status_label}）") for p in scenarios.comparable(policy)
    ]
    swept = compared = other = None
    status = 200
    try:
        if sweep_form.sweep.data:
            if sweep_form.validate_on_submit():
                swept = scenarios.sweep(
                    policy, sweep_form.threshold.data, sweep_form.start.data, sweep_form.stop.data,
                    sweep_form.points.data, on=on,
                )  # fmt: skip
            else:
                status = 400
        elif found:
            # The form starts on the first threshold, half to five times its value; the sweep itself waits for
            # 测算, since each point is one audience query (bench/whatif.py: 10 points ≈ 10 sandbox calls).
            start, stop = scenarios.defaults(found[0])
            sweep_form.process(data={"threshold": found[0].key, "start": start, "stop": stop, "points": "10"})
        if compare_form.compare.data:
            if compare_form.validate_on_submit():
                other = _editable(int(compare_form.other.data))
                compared = scenarios.compare(policy, other, on=on)
            else:
                status = 400
    except whatif.WhatIfError as exc:
        flash(str(exc), "danger")
        status = 400
    near = scenarios.near_misses(policy, on=on)
    return render_template(
        "policies/sandbox.html", policy=policy, report=report, today=on, sweep_form=sweep_form,
        compare_form=compare_form, swept=swept, near=near, compared=compared, other=other,
    ), status  # fmt: skip


@bp.route("/jobs/<id:job_id>")
@role_required(*STAFF)
def job_status(job_id: int):
    """A delivery job's progress as JSON (the policy page polls it)."""
    job = db.get_or_404(DeliveryJob, job_id)
    if not job.policy.can_edit(current_user):
        abort(403)
    return {
        "id": job.id,
        "status": job.status,
        "label": job.status_label,
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "matched": job.matched,
        "pushed": job.pushed,
        "muted": job.muted,
        "error": job.error,
    }


# ---------------------------------------------------------------- inbox and settings


@bp.route("/inbox")
@role_required(Role.ENTERPRISE)
def inbox():
    """The enterprise's messages (pushed policies and others), newest first."""
    enterprise = _own_enterprise()
    page = page_number()
    notes, total = kernel_inbox.inbox(enterprise.id, page=page)
    return render_template("policies/inbox.html", notes=notes, total=total, page=page, action=ActionForm())


@bp.route("/inbox/<id:note_id>")
@role_required(Role.ENTERPRISE)
def message(note_id: int):
    """Open one message: the read receipt is recorded; another enterprise's message does not exist (404)."""
    note = db.session.get(Notification, note_id)
    if note is None or not note.can_view(current_user):
        abort(404)
    kernel_inbox.open_notification(note, actor=current_user)
    db.session.commit()
    policy = db.session.get(Policy, note.policy_id) if note.policy_id else None
    return render_template("policies/message.html", note=note, policy=policy)


@bp.route("/inbox/read-all", methods=["POST"])
@role_required(Role.ENTERPRISE)
def read_all():
    """Mark every message read."""
    enterprise = _own_enterprise()
    if not ActionForm().validate_on_submit():
        abort(400)
    count = kernel_inbox.mark_all_read(enterprise.id, actor=current_user)
    db.session.commit()
    flash(f"已将 {count} 条消息标为已读。", "success")
    return redirect(url_for("policies.inbox"))


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def settings():
    """Per-category opt-out of policy pushes."""
    enterprise = _own_enterprise()
    form = MuteForm(data={"muted": enterprise.muted_categories or []} if request.method == "GET" else None)
    if form.validate_on_submit():
        muted = commit_or_refuse(
            lambda: kernel_inbox.set_muted_categories(enterprise, form.muted.data or [], actor=current_user),
            "推送设置已保存。",
        )
        if muted is not None:
            return redirect(url_for("policies.settings"))
    return render_template("policies/settings.html", form=form)


# ---------------------------------------------------------------- policy documents and their items


def _document(document_id: int | None) -> PolicyDocument:
    """A document for staff to edit (documents are listed to staff only; items are public on their own)."""
    document = db.get_or_404(PolicyDocument, document_id or 0)
    if not documents.can_edit(current_user):
        abort(403)
    return document


@bp.route("/documents")
@role_required(*STAFF)
def document_list():
    """Every policy document with its number of items."""
    return render_template("policies/documents.html", rows=documents.documents())


@bp.route("/documents/new", methods=["GET", "POST"])
@bp.route("/documents/<id:document_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def document_edit(document_id: int | None = None):
    """Create a policy document or edit its title, issuer, number, dates and text."""
    document = _document(document_id) if document_id else None
    form = DocumentForm(obj=document)
    if form.validate_on_submit():
        fields = {name: form[name].data for name in documents.FIELDS}
        saved = commit_or_refuse(
            lambda: documents.save_document(document, fields, actor=current_user),
            "政策文件已保存。",
            form=form,
        )
        if saved is not None:
            return redirect(url_for("policies.document_detail", document_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("policies/document_edit.html", form=form, document=document), status


@bp.route("/documents/<id:document_id>")
@role_required(*STAFF)
def document_detail(document_id: int):
    """A document, its items in order, and the forms to add, remove and order them."""
    document = _document(document_id)
    form = ItemForm(policies=documents.lone_policies())
    return render_template("policies/document.html", document=document, form=form, action=ActionForm())


@bp.route("/documents/<id:document_id>/items", methods=["POST"])
@role_required(*STAFF)
def document_add_item(document_id: int):
    """Add an existing policy to the document as its last item."""
    document = _document(document_id)
    form = ItemForm(policies=documents.lone_policies())
    if not form.validate_on_submit():
        flash("请选择要加入的政策：" + "；".join(form.policy_id.errors or ["表单已过期，请重试"]), "danger")
        return redirect(url_for("policies.document_detail", document_id=document.id))
    policy = _editable(int(form.policy_id.data))
    commit_or_refuse(
        lambda: documents.add_item(document, policy, actor=current_user), f"已加入「{policy.title}」。"
    )
    return redirect(url_for("policies.document_detail", document_id=document.id))


@bp.route("/documents/<id:document_id>/items/<id:policy_id>/<any(remove, up, down):move>", methods=["POST"])
@role_required(*STAFF)
def document_move_item(document_id: int, policy_id: int, move: str):
    """Remove an item from the document, or move it one place up or down."""
    document, policy = _document(document_id), _editable(policy_id)
    if ActionForm().validate_on_submit():
        if move == "remove":
            commit_or_refuse(
                lambda: documents.remove_item(document, policy, actor=current_user),
                f"已将「{policy.title}」移出本文件（政策本身保留）。",
            )
        else:
            step = -1 if move == "up" else 1
            commit_or_refuse(lambda: documents.move_item(document, policy, step, actor=current_user))
    else:
        flash("表单已过期，请刷新页面后重试。", "danger")
    return redirect(url_for("policies.document_detail", document_id=document.id))
