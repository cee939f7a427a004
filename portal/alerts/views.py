"""Pages of subscriptions: save a search, list and cancel them, and the one-click unsubscribe link."""

from __future__ import annotations

import click
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.actions import commit_or_refuse
from portal.alerts import services
from portal.alerts.forms import ConfirmForm, SubscriptionForm
from portal.alerts.models import Subscription
from portal.extensions import db
from portal.timeutil import today

bp = Blueprint("alerts", __name__, url_prefix="/alerts", template_folder="templates", cli_group="alerts")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """The user's saved searches, and the form that saves one (it says what alerts it will send)."""
    form = SubscriptionForm()
    if request.method == "GET":
        form.query.data = form.query.data or request.args.get("q", "")
        form.category.data = form.category.data or request.args.get("category", "")
    if form.validate_on_submit():
        saved = commit_or_refuse(
            lambda: services.save_subscription(
                current_user, query=form.query.data, category=form.category.data, email=form.email.data
            ),
            lambda result: result[1],
        )
        if saved is not None:
            return redirect(url_for("alerts.index"))
    status = 400 if request.method == "POST" else 200
    items = [(s, services.describe(s, current_user)) for s in services.subscriptions_of(current_user)]
    return render_template("alerts/index.html", form=form, items=items, confirm=ConfirmForm()), status


@bp.route("/<id:subscription_id>/cancel", methods=["POST"])
@login_required
def cancel(subscription_id: int):
    """Cancel one of the user's own subscriptions."""
    subscription = db.get_or_404(Subscription, subscription_id)
    if not subscription.can_edit(current_user):
        abort(404)  # another user's saved search: its existence is private
    commit_or_refuse(lambda: services.cancel(subscription, actor=current_user), "已退订。")
    return redirect(url_for("alerts.index"))


@bp.route("/unsubscribe/<token>", methods=["GET"])
def unsubscribe_page(token: str):
    """The link in every alert: it confirms what will stop (a GET never changes anything)."""
    subscription = services.from_token(token, current_app.config["SECRET_KEY"])
    if subscription is None:
        return render_template("alerts/unsubscribe.html", subscription=None, token=token), 404
    return render_template("alerts/unsubscribe.html", subscription=subscription, token=token)


@bp.route("/unsubscribe/<token>", methods=["POST"])
def unsubscribe(token: str):
    """One click on the confirmation page: the signed token names the subscription; no login needed.

    The form carries a CSRF token like every other form (the house rule), on top of the signed link.
    """
    subscription = services.from_token(token, current_app.config["SECRET_KEY"])
    if subscription is None:
        return render_template("alerts/unsubscribe.html", subscription=None, token=token), 404
    services.cancel(subscription, actor=None)
    db.session.commit()
    return render_template("alerts/unsubscribe.html", subscription=subscription, token=token, done=True)


def smtp_settings() -> dict:
    """The SMTP settings from the config (SMTP_HOST empty: no mail, inbox only)."""
    config = current_app.config
    return {
        "host": config.get("SMTP_HOST"),
        "port": config.get("SMTP_PORT", 25),
        "sender": config.get("SMTP_SENDER"),
        "username": config.get("SMTP_USERNAME"),
        "password": config.get("SMTP_PASSWORD"),
        "starttls": config.get("SMTP_STARTTLS", False),
        "timeout": config.get("SMTP_TIMEOUT", 10),
    }


@bp.cli.command("digest")
def digest_command() -> None:
    """Send today's digest of new or changed policies to every subscriber (inbox, and mail when configured)."""
    report = services.run_digest(
        on=today(),
        secret=current_app.config["SECRET_KEY"],
        base_url=current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/"),
        smtp=smtp_settings(),
    )
    db.session.commit()
    click.echo(
        f"订阅提醒：{report.users} 位用户，{report.policies} 项政策；站内消息 {report.inbox} 条，"
        f"邮件 {report.mailed} 封，邮件失败 {len(report.mail_errors)} 封。"
    )
    for error in report.mail_errors:
        click.echo(f"  邮件失败 {error}", err=True)
