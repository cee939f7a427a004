"""Pages of the approvals capability: applying, my applications, the officials' queue, post-audit, 免申即享."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from portal.actions import commit_or_refuse
from portal.approvals import rules, services
from portal.approvals.forms import ActionForm, AppealForm, ApplyForm, AuditForm, DecideForm, QueueFilterForm
from portal.approvals.models import Application, Attachment, AuditStatus, GrantOffer, Status
from portal.auth import role_required
from portal.edge import page_number
from portal.extensions import db
from portal.models import Enterprise, Role
from portal.policies.models import Policy
from portal.services import FIELD_LABELS, ServiceError
from portal.timeutil import today

bp = Blueprint("approvals", __name__, url_prefix="/approvals", template_folder="templates")


@bp.app_context_processor
def _summary():
    """Expose a lazy summary for the home cards (queried only when a card calls it)."""
    return {"approvals_summary": _home_summary, "own_application": _own_application}


def _own_application(policy_id: int):
    """The current enterprise's application for a policy, or None (one query per page, kept on g)."""
    if not current_user.is_authenticated or current_user.role != Role.ENTERPRISE:
        return None
    # Keyed by the request: an app context (and its g) may outlive one request, as in tests.
    cached = g.get("own_applications")
    if cached is None or cached[0] is not request._get_current_object():
        mine = {a.policy_id: a for a in services.applications_of(current_user.enterprise_id or 0)}
        cached = g.own_applications = (request._get_current_object(), mine)
    return cached[1].get(policy_id)


def _home_summary() -> dict:
    if current_user.role == Role.OFFICIAL:
        return {"open": services.open_count(), "audits": services.audit_count()}
    mine = services.applications_of(current_user.enterprise_id or 0)
    return {
        "applications": mine[:5],
        "offers": services.open_offers(current_user.enterprise_id or 0),
    }


def _own_enterprise() -> Enterprise:
    enterprise = db.session.get(Enterprise, current_user.enterprise_id or 0)
    if enterprise is None or not enterprise.can_view(current_user):
        abort(404)
    return enterprise


def _viewable(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    if not application.can_view(current_user):
        abort(404)  # another enterprise's application: its existence is private
    return application


# ---------------------------------------------------------------- enterprise


@bp.route("/")
@role_required(Role.ENTERPRISE)
def mine():
    """我的申请: the enterprise's applications and open 免申即享 offers."""
    enterprise = _own_enterprise()
    return render_template(
        "approvals/mine.html",
        applications=services.applications_of(enterprise.id),
        offers=services.open_offers(enterprise.id),
        action_form=ActionForm(),
    )


@bp.route("/apply/<id:policy_id>", methods=["POST"])
@role_required(Role.ENTERPRISE)
def apply_instant(policy_id: int):
    """一键申领: decided within the request; a repeat shows the existing application."""
    enterprise = _own_enterprise()
    found = services.policy_with_revision(policy_id)  # one query for the policy and its current revision
    if found is None:
        abort(404)
    policy, revision = found
    if not ActionForm().validate_on_submit():
        abort(400)

    def apply() -> tuple[int, bool]:
        application, created = services.apply_instant(
            enterprise, policy, actor=current_user, revision=revision
        )
        return application.id, created  # read before commit expires it: saves a query on the hot path

    applied = commit_or_refuse(apply)
    if applied is None:
        return redirect(request.referrer or url_for("approvals.mine"))
    application_id, created = applied
    if not created:
        flash("您已申请过该政策，以下是原申请。", "info")
    return redirect(url_for("approvals.detail", application_id=application_id))


@bp.route("/apply/<id:policy_id>/form", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def apply_form(policy_id: int):
    """The application form of a non-instant policy, prefilled from the profile, with attachments."""
    enterprise = _own_enterprise()
    policy = db.get_or_404(Policy, policy_id)
    existing = services.find_application(enterprise.id, policy.id)
    if existing is not None:
        flash("您已申请过该政策，以下是原申请。", "info")
        return redirect(url_for("approvals.detail", application_id=existing.id))
    form = ApplyForm(obj=enterprise)
    if request.method == "GET":
        # The contact is a person: reuse the one from the last application, never the company's name.
        for name, value in services.last_contact(enterprise.id).items():
            form[name].data = value
    if form.validate_on_submit():
        data = {name: form[name].data for name in ("contact_name", "contact_phone", "statement", "employees")}
        data |= {
            name: None if form[name].data is None else str(form[name].data)
            for name in ("revenue_wan", "rd_expense_wan", "tax_paid_wan")
        }
        uploads = [
            services.Upload(f.filename, f.stream) for f in form.attachments.data or [] if f and f.filename
        ]
        try:
            application, _ = services.apply_with_form(
                enterprise,
                policy,
                actor=current_user,
                form_data=data,
                uploads=uploads,
                upload_folder=current_app.config["UPLOAD_FOLDER"],
                max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
                max_files=current_app.config["UPLOAD_MAX_FILES"],
            )
        except ServiceError as exc:
            db.session.rollback()
            # Under the attachments when it is about them, else above the form: never a second banner.
            if str(exc).startswith("附件"):
                form.attachments.errors = [*form.attachments.errors, str(exc)]
            else:
                form.form_errors.append(str(exc))
            return render_template(
                "approvals/apply.html", form=form, policy=policy, enterprise=enterprise
            ), 400
        db.session.commit()
        flash("申请已提交，等待工作人员审核。", "success")
        return redirect(url_for("approvals.detail", application_id=application.id))
    status = 400 if request.method == "POST" else 200
    return render_template("approvals/apply.html", form=form, policy=policy, enterprise=enterprise), status


@bp.route("/<id:application_id>/appeal", methods=["POST"])
@role_required(Role.ENTERPRISE)
def appeal(application_id: int):
    """The enterprise appeals a rejection."""
    application = _viewable(application_id)
    if not application.can_appeal(current_user):
        abort(403)
    form = AppealForm()
    if _refused(
        form,
        lambda: services.appeal(application, actor=current_user, reason=form.reason.data),
        "申诉已提交，工作人员将重新审核。",
    ):
        return _render_detail(application, appeal_form=form, status=400)
    return redirect(url_for("approvals.detail", application_id=application.id))


@bp.route("/offers/<id:offer_id>/<any(confirm, decline):answer>", methods=["POST"])
@role_required(Role.ENTERPRISE)
def answer_offer(offer_id: int, answer: str):
    """免申即享: confirm with one click (decided like 一键申领) or decline."""
    offer = db.get_or_404(GrantOffer, offer_id)
    if offer.enterprise_id != current_user.enterprise_id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if answer == "confirm":
        application = commit_or_refuse(lambda: services.confirm_offer(offer, actor=current_user))
        if application is not None:
            return redirect(url_for("approvals.detail", application_id=application.id))
    else:
        commit_or_refuse(
            lambda: services.decline_offer(offer, actor=current_user),
            "已放弃该免申即享事项。",
            category="info",
        )
    return redirect(url_for("approvals.mine"))


# ---------------------------------------------------------------- both


@bp.route("/<id:application_id>")
@role_required(Role.ENTERPRISE, Role.OFFICIAL)
def detail(application_id: int):
    """The application: decision, per-condition explanation, log, attachments; officials also decide here."""
    return _render_detail(_viewable(application_id))


def _render_detail(application: Application, *, status: int = 200, **forms):
    """The detail page; a refused appeal, decision or audit comes back with its errors under its fields."""
    ceiling = None
    if current_user.role == Role.OFFICIAL:
        support = application.revision.content.get("support") or {}
        ceiling = rules.amount_ceiling(support, application.enterprise.profile(today()))
    amount = application.amount_wan if application.amount_wan is not None else ceiling
    return render_template(
        "approvals/detail.html",
        application=application,
        engine=services.engine_record(application),
        ceiling=ceiling,
        appeal_form=forms.get("appeal_form") or AppealForm(formdata=None),
        decide_form=forms.get("decide_form") or DecideForm(formdata=None, amount=amount),
        audit_form=forms.get("audit_form") or AuditForm(formdata=None),
        action_form=ActionForm(),
        field_labels=FIELD_LABELS,
    ), status


def _refused(form, action, success) -> bool:
    """Run the service call when the form is valid; True when the page must come back with errors (400)."""
    if not form.validate_on_submit():
        return True
    done = commit_or_refuse(lambda: action() or True, success, form=form)
    # A refusal about a field is now under it (re-render); any other was flashed as a banner (redirect).
    return done is None and any(form.errors.values())


@bp.route("/attachments/<id:attachment_id>")
@role_required(Role.ENTERPRISE, Role.OFFICIAL)
def attachment(attachment_id: int):
    """Download an attachment: only the owner enterprise and officials."""
    item = db.get_or_404(Attachment, attachment_id)
    if not item.can_view(current_user):
        abort(404)
    path = services.attachment_path(item, current_app.config["UPLOAD_FOLDER"])
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=item.content_type, as_attachment=True, download_name=item.original_name)


# ---------------------------------------------------------------- officials


@bp.route("/queue")
@role_required(Role.OFFICIAL)
def queue():
    """The officials' queue: applications the rules could not decide, form applications and appeals."""
    form = QueueFilterForm(request.args)
    form.policy.choices = [(0, "全部政策")] + services.policy_choices(request.args.get("policy", type=int))
    form.validate()
    items = services.queue(
        policy_id=None if form.policy.errors else form.policy.data or None,
        status=None if form.status.errors else form.status.data or None,
        min_age_days=None if form.age.errors else form.age.data,
    )
    return render_template("approvals/queue.html", form=form, items=items, action_form=ActionForm())


def _decidable(application_id: int) -> Application:
    application = _viewable(application_id)
    if not application.can_decide(current_user):
        abort(403)
    return application


@bp.route("/<id:application_id>/claim", methods=["POST"])
@role_required(Role.OFFICIAL)
def claim(application_id: int):
    """An official claims an open application."""
    application = _decidable(application_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    commit_or_refuse(
        lambda: services.claim(application, actor=current_user),
        lambda claimed: "已认领，请审核。" if claimed else "您已认领该申请，请审核。",
    )
    return redirect(url_for("approvals.detail", application_id=application.id))


@bp.route("/<id:application_id>/decide", methods=["POST"])
@role_required(Role.OFFICIAL)
def decide(application_id: int):
    """An official approves (with an amount) or rejects (with a comment)."""
    application = _decidable(application_id)
    form = DecideForm()
    if _refused(
        form,
        lambda: services.decide(
            application,
            actor=current_user,
            approve=form.action.data == "approve",
            amount=form.amount.data,
            comment=form.comment.data or "",
        ),
        lambda _: f"已审批：{application.status_label}。",
    ):
        return _render_detail(application, decide_form=form, status=400)
    return redirect(url_for("approvals.detail", application_id=application.id))


@bp.route("/<id:application_id>/pay", methods=["POST"])
@role_required(Role.OFFICIAL)
def pay(application_id: int):
    """Record the payment of an approved application."""
    application = _viewable(application_id)
    if application.status not in (Status.APPROVED, Status.PAID):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    commit_or_refuse(
        lambda: services.mark_paid(application, actor=current_user),
        lambda paid: "已登记拨付。" if paid else "该申请已登记拨付，无需重复操作。",
    )
    return redirect(url_for("approvals.detail", application_id=application.id))


@bp.route("/audits")
@role_required(Role.OFFICIAL)
def audits():
    """Automatic approvals flagged for post-audit."""
    return render_template("approvals/audits.html", items=services.audit_queue())


@bp.route("/<id:application_id>/audit", methods=["POST"])
@role_required(Role.OFFICIAL)
def audit(application_id: int):
    """Record a post-audit result."""
    application = _viewable(application_id)
    if application.audit_status != AuditStatus.PENDING:
        abort(403)
    form = AuditForm()
    if _refused(
        form,
        lambda: services.record_audit(
            application,
            actor=current_user,
            confirmed=form.result.data == "confirmed",
            comment=form.comment.data,
        ),
        "抽查结果已记录。",
    ):
        return _render_detail(application, audit_form=form, status=400)
    return redirect(url_for("approvals.detail", application_id=application.id))


GRANTS_PAGE = 50  # instant policies per page of 免申即享 (a district has thousands)


@bp.route("/grants")
@role_required(Role.OFFICIAL)
def grants():
    """免申即享: open instant policies with their offered / confirmed / declined counts."""
    page = page_number()
    policies = services.instant_policies(limit=GRANTS_PAGE, offset=(page - 1) * GRANTS_PAGE)
    return render_template(
        "approvals/grants.html",
        policies=policies,
        page=page,
        more=len(policies) == GRANTS_PAGE,
        counts=services.grant_counts([p.id for p in policies]),
        action_form=ActionForm(),
    )


@bp.route("/grants/<id:policy_id>", methods=["POST"])
@role_required(Role.OFFICIAL)
def start_grant(policy_id: int):
    """Offer an instant policy to every enterprise whose verified data qualifies."""
    policy = db.get_or_404(Policy, policy_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    commit_or_refuse(
        lambda: services.start_grant(policy, actor=current_user),
        lambda counts: f"已向 {counts.new} 家符合条件的企业发出免申即享邀约。",
    )
    return redirect(url_for("approvals.grants"))
