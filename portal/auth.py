"""Login, logout, registration, enterprise confirmation and password change; user_loader, role_required, safe next."""

from __future__ import annotations

import hmac
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal import identity, services
from portal.actions import commit_or_refuse
from portal.extensions import db, limiter, login_manager
from portal.forms import ActivateForm, ActivationCodesForm, LoginForm, PasswordChangeForm, RegisterForm
from portal.models import Role, User
from portal.timeutil import utcnow

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(session_ref: str) -> User | None:
    """Flask-Login's loader: the active user whose id and current session token the cookie carries."""
    user_id, _, token = session_ref.partition(":")
    if not user_id.isascii() or not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not user.session_token or not token:
        return None
    # A new token (logout, password change, deactivation) ends every session that carries the old one.
    return user if hmac.compare_digest(user.session_token, token) else None


def role_required(*roles: str):
    """Route decorator: logged in, holding one of the roles (else 403); an unconfirmed enterprise goes to confirm."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            if not current_user.is_confirmed:
                # One check for every enterprise page: an unproven account sees no verified figure and can
                # apply, request financing or confirm an offer nowhere; it is sent to prove itself.
                if request.method != "GET":
                    abort(403)
                flash(services.UNCONFIRMED_MESSAGE, "warning")
                return redirect(url_for("auth.activate"))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site is a safe redirect target (no scheme, host, '//' or backslash)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _activate_limit() -> str:
    return current_app.config["ACTIVATE_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message="登录尝试过于频繁，请稍后再试。")
def login():
    """Log in with username and password; go to a safe `next` or home."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.username.data,
                form.password.data,
                now=utcnow(),
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
            )
        except services.AccountLocked as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return render_template("auth/login.html", form=form), 429
        # The failure count (or its reset) is this request's one write.
        db.session.commit()
        if user is None:
            flash("用户名或密码错误，或账号已停用。", "danger")
        else:
            login_user(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out everywhere (POST with CSRF token): a copied session cookie stops working too."""
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"], error_message="注册过于频繁，请稍后再试。")
def register():
    """An enterprise registers an unconfirmed account with its credit code; it proves itself afterwards."""
    if current_user.is_authenticated:
        # Registering while logged in used to switch the session to the new account without a word.
        flash("您已登录。如需注册新的企业账号，请先退出登录。", "warning")
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_enterprise(
                uscc=form.uscc.data,
                name=form.name.data,
                username=form.username.data,
                password=form.password.data,
            )
        except services.ServiceError as exc:
            db.session.rollback()
            # Only the username or the password can be refused here, never the credit code's standing.
            target = form.password if "密码" in str(exc) else form.username
            target.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(user)
            flash(services.REGISTERED_MESSAGE, "success")
            return redirect(url_for("auth.activate"))
    return render_template("auth/register.html", form=form)


@bp.route("/activate", methods=["GET", "POST"])
@login_required
@limiter.limit(_activate_limit, methods=["POST"], error_message="尝试过于频繁，请稍后再试。")
def activate():
    """An unconfirmed enterprise account enters the activation code the district mailed to the enterprise."""
    if current_user.role != Role.ENTERPRISE:
        abort(403)
    if current_user.is_confirmed:
        return redirect(url_for("main.home"))
    form = ActivateForm()
    if form.validate_on_submit():
        try:
            identity.confirm(
                current_user._get_current_object(), "activation_code", {"code": form.code.data}, now=utcnow()
            )
        except identity.IdentityError as exc:
            db.session.rollback()
            form.code.errors.append(str(exc))
        else:
            db.session.commit()
            flash("企业认证成功，已关联企业的核验数据。", "success")
            return redirect(url_for("main.profile"))
    return render_template("auth/activate.html", form=form, providers=identity.providers())


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's password; every other session of the account ends, this one continues."""
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        done = commit_or_refuse(
            lambda: services.change_password(user, current=form.current.data, new=form.password.data) or True,
            "密码已修改，其他设备上的登录已失效。",
        )
        if done:
            login_user(user)  # the session now carries the new token
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)


@bp.route("/admin/activation-codes", methods=["GET", "POST"])
@role_required(Role.OFFICIAL, Role.ADMIN)
def activation_codes():
    """Officials and admins issue one-time activation codes for enterprises, to be mailed to them."""
    form = ActivationCodesForm()
    issued, missing = [], []
    if form.validate_on_submit():
        issued, missing = identity.issue_codes_for(
            form.usccs.data.split(), actor=current_user, now=utcnow(), valid_days=form.valid_days.data
        )
        db.session.commit()
        flash(f"已生成 {len(issued)} 个激活码；本页关闭后不再显示，请立即打印或导出寄送。", "success")
    return render_template(
        "auth/activation_codes.html",
        form=form,
        issued=issued,
        missing=missing,
        pending=identity.pending_accounts(),
    )
