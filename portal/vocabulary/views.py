"""Admin pages of the vocabulary: the list with an add form, and one term's edit page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from portal import reference
from portal.actions import commit_or_refuse
from portal.auth import role_required
from portal.extensions import db
from portal.models import Role
from portal.views import NO_DATABASE_ENDPOINTS
from portal.vocabulary import services
from portal.vocabulary.forms import TermForm
from portal.vocabulary.models import QualificationTerm

bp = Blueprint("vocabulary", __name__, url_prefix="/admin/vocabulary", template_folder="templates")


@bp.before_app_request
def _current_vocabulary() -> None:
    """Keep this process's vocabulary in step with the table (a cheap check at most every 30 seconds)."""
    if request.endpoint in NO_DATABASE_ENDPOINTS:
        return
    services.refresh()


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def index():
    """The vocabulary in force, and a form to add a term."""
    form = TermForm()
    if form.validate_on_submit():
        saved = commit_or_refuse(
            lambda: services.save_term(None, form.data_for_service(), actor=current_user), "词条已添加。"
        )
        if saved is not None:
            return redirect(url_for("vocabulary.index"))
    stored = services.all_terms()
    rows = [t.term() for t in stored] or list(reference.vocabulary())
    ids = {t.name: t.id for t in stored}
    status = 400 if request.method == "POST" else 200
    return render_template("vocabulary/index.html", form=form, rows=rows, ids=ids, stored=bool(ids)), status


@bp.route("/<id:term_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(term_id: int):
    """Change a term's aliases, issuing body and validity."""
    term = db.get_or_404(QualificationTerm, term_id)
    form = TermForm(obj=term) if request.method == "GET" else TermForm()
    if request.method == "GET":
        form.aliases.data = "、".join(term.aliases or [])
    form.name.data = term.name  # a held name stays what it is
    if form.validate_on_submit():
        saved = commit_or_refuse(
            lambda: services.save_term(term, form.data_for_service(), actor=current_user), "词条已保存。"
        )
        if saved is not None:
            return redirect(url_for("vocabulary.index"))
    return render_template("vocabulary/edit.html", form=form, term=term)
