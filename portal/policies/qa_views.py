"""The 政策问答 page: a question in the user's own words, answered with passages, eligibility and links."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from portal.extensions import db
from portal.models import Enterprise, Role
from portal.policies import qa
from portal.timeutil import today

bp = Blueprint("qa", __name__, url_prefix="/ask")

EXAMPLES = ("研发费用能补多少？", "小巨人奖励要什么条件", "稳岗补贴怎么办理", "参加展会补贴需要哪些材料")


@bp.route("/")
@login_required
def ask():
    """Answer the question in ?q= (GET: a search, it changes nothing)."""
    question = request.args.get("q", "").strip()
    error = None
    if len(question) > qa.MAX_QUESTION:
        error, question = f"问题不能超过 {qa.MAX_QUESTION} 个字。", ""
    enterprise = None
    if current_user.role == Role.ENTERPRISE:
        enterprise = db.session.get(Enterprise, current_user.enterprise_id or 0)
        if enterprise is not None and not enterprise.can_view(current_user):
            enterprise = None
    answers = qa.answer(question, enterprise=enterprise, on=today()) if question else []
    status = 400 if error else 200
    return render_template(
        "policies/ask.html", question=question, answers=answers, error=error, examples=EXAMPLES
    ), status
