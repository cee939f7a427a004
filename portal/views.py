"""Pages of the shared kernel: home per role, enterprise profile, virtual parks, admin accounts and imports."""

from __future__ import annotations

import io
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from portal import conditions, services
from portal.actions import commit_or_refuse
from portal.auth import role_required
from portal.extensions import db
from portal.forms import FiguresForm, ImportForm, ParkForm, ProfileForm, UserCreateForm
from portal.models import PROFILE_FIELDS, Enterprise, Role, User, VirtualPark
from portal.timeutil import local, today, utcnow

bp = Blueprint("main", __name__)
# app.extensions key of the enterprise home's overview: a callable (enterprise, on=date) -> overview.
ENTERPRISE_OVERVIEW = "portal.enterprise_overview"


@bp.app_template_filter("money")
def money_filter(value) -> str:
    """万元 with thousands separators and two places; '—' when unknown."""
    return "—" if value is None else f"{Decimal(value):,.2f}"


@bp.app_template_filter("percent")
def percent_filter(value) -> str:
    """A ratio as a percentage with two places."""
    return "—" if value is None else f"{float(value) * 100:.2f}%"


@bp.app_template_filter("years")
def years_filter(value) -> str:
    """Years since founding, cut (not rounded) to two places: the rule the explanations use, so 23.949 years is
    23.94 on the profile and in "成立年限 23.94 年" alike (rounding up could show 满 a year not yet reached)."""
    if value is None:
        return "—"
    exact = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    return f"{Decimal(math.floor(exact * 100)).scaleb(-2):.2f} 年"


@bp.app_template_filter("localtime")
def localtime_filter(value) -> str:
    """A stored UTC timestamp shown in China Standard Time."""
    moment = local(value)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


@bp.route("/favicon.ico")
def favicon():
    """The site icon at the address browsers ask for by default."""
    return current_app.send_static_file("favicon.ico")


# Endpoints that answer without the database (static files, liveness, metrics): no per-request hook may query it,
# so that a database that hangs leaves them working.
NO_DATABASE_ENDPOINTS = (None, "static", "main.healthz", "main.favicon", "ops.readyz", "ops.metrics")


@bp.before_app_request
def count_visit():
    """Count one visit per browser session per day (pages only; a client must return the session cookie)."""
    if (
        request.method != "GET"
        or request.endpoint in NO_DATABASE_ENDPOINTS
        or request.path.startswith("/api/")
    ):
        return
    day = today()
    if session.get("visit_day") == day.isoformat():
        return
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        # A client that sends no cookie would count on every request (scripts, crawlers): mark the session and
        # count when the browser comes back with it, on its next page.
        session["visit_seen"] = True
        return
    session["visit_day"] = day.isoformat()
    services.count_visit(day)


@bp.route("/")
def home():
    """Landing page: the role's own home, or an introduction for visitors."""
    if not current_user.is_authenticated:
        return render_template("index.html", counts=services.counts())
    overview = None
    if current_user.role == Role.ENTERPRISE and current_user.enterprise_id:
        enterprise = _own_enterprise()
        # The capabilities' figures come through the hook create_app wires (the kernel imports no feature).
        overview_of = current_app.extensions.get(ENTERPRISE_OVERVIEW)
        overview = overview_of(enterprise, on=today()) if overview_of else None
    return render_template("home.html", counts=services.counts(), overview=overview)


@bp.route("/healthz")
def healthz():
    """Database reachability, for load balancers and monitoring."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not reachable"
        db.session.rollback()
        return {"status": "error", "database": "unreachable", "detail": type(exc).__name__}, 503
    return {"status": "ok", "database": "ok"}


# ---------------------------------------------------------------- enterprise profile


def _own_enterprise() -> Enterprise:
    enterprise = db.session.get(Enterprise, current_user.enterprise_id or 0)
    if enterprise is None or not enterprise.can_view(current_user):
        abort(404)
    return enterprise


@bp.route("/profile", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def profile():
    """The enterprise edits its self-declared fields; verified fields are shown, locked."""
    enterprise = _own_enterprise()
    form = ProfileForm(obj=enterprise)
    for name in enterprise.verified or {}:
        if name in form:
            form[name].render_kw = {"disabled": True}
    if form.validate_on_submit():
        # A verified field is only considered when the client sent it (a crafted POST): then it is refused.
        changes = {
            name: form[name].data
            for name in PROFILE_FIELDS
            if not enterprise.is_verified(name) or name in request.form
        }
        changed = commit_or_refuse(lambda: services.update_profile(enterprise, changes), "企业画像已保存。")
        if changed is None:
            return _profile_page(form, enterprise, 400)
        return redirect(url_for("main.profile"))
    # A refused submission is a 400 with the form's messages, like every other bad input.
    status = 400 if request.method == "POST" else 200
    return _profile_page(form, enterprise, status)


# the columns of the figures-by-year table, from the field registry ("营业收入（万元）")
YEAR_COLUMNS = [
    (name, f"{conditions.FIELDS[name].label.removeprefix('上年度')}（{conditions.FIELDS[name].unit}）")
    for name in conditions.YEAR_FIELDS
]


@bp.route("/profile/figures", methods=["POST"])
@role_required(Role.ENTERPRISE)
def profile_figures():
    """The enterprise declares one year's figures (revenue, tax, R&D, employees, assets)."""
    enterprise = _own_enterprise()
    form = FiguresForm(prefix="figures")
    if form.validate_on_submit():
        year = form.year_number()
        # a verified figure is disabled on the page: only considered when the client sent it (then refused)
        values = {name: form[name].data for name in conditions.YEAR_FIELDS if form[name].name in request.form}
        done = commit_or_refuse(
            lambda: services.declare_figures(enterprise, year, values, on=today()),
            f"{year} 年经营数据已保存。",
            form=form,
        )
        if done is not None:
            return redirect(url_for("main.profile", year=year, _anchor="figures"))
    return _profile_page(ProfileForm(obj=enterprise), enterprise, 400, figures_form=form)


def _figures_form(enterprise: Enterprise, year: int | None) -> FiguresForm:
    """The figures form for a year (default last year), filled with what that year holds; verified ones locked."""
    years = services.figure_years(enterprise, today())
    year = year if year in years else (years[0] if years else None)
    held = next((f for f in enterprise.figures if f.year == year), None)
    data = {name: getattr(held, name) for name in conditions.YEAR_FIELDS} if held else {}
    form = FiguresForm(formdata=None, data={"year": str(year)} | data, prefix="figures")
    for name in (held.verified or {}) if held else ():
        if name in form:
            form[name].render_kw = {"disabled": True}
    return form


def _profile_page(
    form: ProfileForm, enterprise: Enterprise, status: int, figures_form: FiguresForm | None = None
):
    figures_form = figures_form or _figures_form(enterprise, request.args.get("year", type=int))
    return (
        render_template(
            "profile.html",
            form=form,
            figures_form=figures_form,
            figure_years=services.figure_years(enterprise, today()),
            enterprise=enterprise,
            as_of=today(),
            year_fields=YEAR_COLUMNS,
        ),
        status,
    )


# ---------------------------------------------------------------- virtual parks


@bp.route("/parks")
@login_required
def parks():
    """All virtual parks with their member counts."""
    rows = services.parks_with_member_counts(utcnow(), services.snapshot_max_age(current_app.config))
    return render_template("parks.html", rows=rows)


PARK_PAGE = 500  # members listed on a park page; a district park can hold tens of thousands


@bp.route("/parks/<id:park_id>")
@role_required(Role.OFFICIAL, Role.ADMIN)
def park(park_id: int):
    """A park's definition and members (member details are for officials and admins)."""
    park = db.get_or_404(VirtualPark, park_id)
    members = services.park_members(park, limit=PARK_PAGE)
    return render_template(
        "park.html",
        park=park,
        members=members,
        size_classes=services.size_classes(members, today()),
        total=services.parks_with_member_counts(
            utcnow(), services.snapshot_max_age(current_app.config), park.id
        )[0][1],
    )


@bp.route("/admin/parks/new", methods=["GET", "POST"])
@bp.route("/admin/parks/<id:park_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def park_edit(park_id: int | None = None):
    """Admins define virtual parks."""
    park = db.get_or_404(VirtualPark, park_id) if park_id else None
    form = ParkForm(obj=park)
    if park and request.method == "GET":
        form.industry_prefixes.data = " ".join(park.industry_prefixes)
    form.manager_id.choices = [(0, "—")] + services.official_choices()
    if form.validate_on_submit():
        saved = commit_or_refuse(
            lambda: services.save_park(
                park,
                name=form.name.data,
                description=form.description.data or "",
                industry_prefixes=(form.industry_prefixes.data or "").upper().split(),
                qualifications=form.qualifications.data or [],
                manager_id=form.manager_id.data or None,
            ),
            "虚拟园区已保存。",
        )
        if saved is not None:
            return redirect(url_for("main.park", park_id=saved.id))
    return render_template("park_edit.html", form=form, park=park)


# ---------------------------------------------------------------- admin: accounts and imports


@bp.route("/admin/users", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users():
    """Admins list accounts and create officials, bank staff and admins."""
    form = UserCreateForm()
    form.bank_id.choices = [(0, "—")] + services.bank_choices()
    if form.validate_on_submit():
        created = commit_or_refuse(
            lambda: services.create_user(
                username=form.username.data,
                password=form.password.data,
                role=form.role.data,
                display_name=form.display_name.data or "",
                bank_id=form.bank_id.data or None,
                actor=current_user,
            ),
            "账号已创建。",
        )
        if created is not None:
            return redirect(url_for("main.users"))
    return render_template("users.html", form=form, accounts=services.accounts(), now=utcnow())


@bp.route("/admin/users/<id:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def user_toggle(user_id: int):
    """Deactivate or reactivate an account (an admin cannot lock themselves out)."""
    user = db.get_or_404(User, user_id)
    commit_or_refuse(
        lambda: services.set_active(user, not user.active, actor=current_user),
        lambda _: f"账号 {user.username} 已{'启用' if user.active else '停用'}。",
    )
    return redirect(url_for("main.users"))


@bp.route("/admin/users/<id:user_id>/unlock", methods=["POST"])
@role_required(Role.ADMIN)
def user_unlock(user_id: int):
    """An admin lifts a login lock."""
    user = db.get_or_404(User, user_id)
    commit_or_refuse(lambda: services.unlock_user(user, actor=current_user), f"账号 {user.username} 已解锁。")
    return redirect(url_for("main.users"))


@bp.route("/admin/import/format")
@role_required(Role.ADMIN)
def import_format():
    """The import formats (docs/IMPORT.md) as plain text, so the page's link works without a checkout."""
    path = Path(current_app.root_path).parent / "docs" / "IMPORT.md"
    if not path.is_file():
        abort(404)
    return current_app.response_class(path.read_text(encoding="utf-8"), mimetype="text/markdown")


@bp.route("/admin/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def data_import():
    """Admins upload a government data feed (JSON Lines); every bad line is reported, none half-written."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        data = form.file.data.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
        if len(data) > current_app.config["IMPORT_MAX_BYTES"]:
            flash("文件过大。", "danger")
        else:
            report = services.import_enterprises(
                io.BytesIO(data), source=form.source.data.strip(), on=today()
            )
            db.session.commit()
            flash(
                f"导入完成：新增 {report.inserted} 家，更新 {report.updated} 家，问题行 {len(report.errors)} 行。",
                "success" if report.ok else "warning",
            )
    return render_template("import.html", form=form, report=report)
