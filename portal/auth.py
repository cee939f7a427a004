"""Login, logout and enterprise self-registration; the user loader, role_required and the safe-next check."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal import services
from portal.extensions import db, limiter, login_manager
from portal.forms import LoginForm, RegisterForm
from portal.models import User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the active user with this id."""
    user = db.session.get(User, int(user_id))
    return user if user and user.active else None


def role_required(*roles: str):
    """Route decorator: the user must be logged in and hold one of the roles (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
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


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message="登录尝试过于频繁，请稍后再试。")
def login():
    """Log in with username and password; go to a safe `next` or home."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
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
    """Log out (POST with CSRF token, so a link on another site cannot log a user out)."""
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    """An enterprise registers itself with its unified social credit code."""
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
            form.uscc.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(user)
            flash("注册成功，请完善企业画像。", "success")
            return redirect(url_for("main.profile"))
    return render_template("auth/register.html", form=form)
