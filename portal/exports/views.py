"""Download pages: officials export the queue, decisions, a funnel and a reach; enterprises their own records."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from portal.approvals.forms import QueueFilterForm
from portal.approvals.models import STATUS_LABELS
from portal.approvals.services import policy_choices
from portal.auth import role_required
from portal.exports import services
from portal.exports.tables import FORMATS, MIME, Table, render
from portal.extensions import db
from portal.models import Enterprise, Role
from portal.policies import recommendations
from portal.policies.models import Policy
from portal.timeutil import today

bp = Blueprint("exports", __name__, url_prefix="/exports", template_folder="templates")
_STATUSES = {s.value for s in STATUS_LABELS}


def _download(table: Table, fmt: str, stem: str) -> Response:
    """The table as an attachment named <stem>-<day>.<fmt> (RFC 5987 for the Chinese name)."""
    if fmt not in FORMATS:
        abort(404)
    name = f"{stem}-{today().isoformat()}.{fmt}"
    response = Response(render(table, fmt), mimetype=MIME[fmt])
    response.headers["Content-Disposition"] = (
        f"attachment; filename=export.{fmt}; filename*=UTF-8''{quote(name)}"
    )
    return response


def _bad_filter(message: str) -> Response:
    return Response(message, status=400, mimetype="text/plain; charset=utf-8")


def _staff_policy(policy_id: int) -> Policy:
    policy = db.get_or_404(Policy, policy_id)
    if not policy.can_view(current_user):
        abort(404)
    return policy


@bp.route("/queue.<fmt>")
@role_required(Role.OFFICIAL)
def queue(fmt: str):
    """The review queue as CSV or XLSX, with the queue page's filters (policy, status, waiting days)."""
    form = QueueFilterForm(request.args)
    form.policy.choices = [(0, "全部政策")] + policy_choices(request.args.get("policy", type=int))
    if not form.validate():
        return _bad_filter(
            "筛选条件有误：" + "；".join(f"{form[k].label.text}{v[0]}" for k, v in form.errors.items())
        )
    table = services.queue_table(
        policy_id=form.policy.data or None, status=form.status.data or None, min_age_days=form.age.data
    )
    return _download(table, fmt, "审核队列")


@bp.route("/applications.<fmt>")
@role_required(Role.OFFICIAL, Role.ADMIN)
def decisions(fmt: str):
    """Every application with its decision, optionally one policy's or one status's."""
    status = request.args.get("status") or None
    policy_id = request.args.get("policy", type=int) or None
    if status and status not in _STATUSES:
        return _bad_filter("筛选条件有误：未知的申请状态。")
    if policy_id and db.session.get(Policy, policy_id) is None:
        return _bad_filter("筛选条件有误：政策不存在。")
    return _download(services.decisions_table(policy_id=policy_id, status=status), fmt, "申请及审批结果")


@bp.route("/policies/<id:policy_id>/funnel.<fmt>")
@role_required(Role.OFFICIAL, Role.ADMIN)
def funnel(policy_id: int, fmt: str):
    """A policy's funnel (pushed → read → applied → approved)."""
    return _download(services.funnel_table(_staff_policy(policy_id)), fmt, "政策转化漏斗")


@bp.route("/policies/<id:policy_id>/reach.<fmt>")
@role_required(Role.OFFICIAL)
def reach(policy_id: int, fmt: str):
    """A draft's (or published policy's) reach and cost, as the sandbox computes it today."""
    return _download(services.reach_table(_staff_policy(policy_id), on=today()), fmt, "政策覆盖测算")


def _own_enterprise() -> Enterprise:
    enterprise = db.session.get(Enterprise, current_user.enterprise_id or 0)
    if enterprise is None or not enterprise.can_view(current_user):
        abort(404)
    return enterprise


@bp.route("/mine.<fmt>")
@role_required(Role.ENTERPRISE)
def mine(fmt: str):
    """The enterprise's own applications."""
    return _download(services.enterprise_applications_table(_own_enterprise().id), fmt, "我的申请")


@bp.route("/recap")
@role_required(Role.ENTERPRISE)
def recap():
    """A printable one-page recap of the enterprise's matches, each with its reasons."""
    enterprise = _own_enterprise()
    found = recommendations.recommend_for(enterprise, on=today(), top=10)
    return render_template("exports/recap.html", enterprise=enterprise, found=found, today=today())
