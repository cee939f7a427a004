"""The officials' jobs page (state, durations, failures, queue depth), a start-now button, and the CLI."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth import role_required
from portal.extensions import db
from portal.jobs import schedule, services
from portal.jobs.forms import MANUAL, RunJobForm
from portal.jobs.models import JobRun
from portal.models import Role
from portal.services import ServiceError
from portal.timeutil import utcnow

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates", cli_group="jobs")


def _form() -> RunJobForm:
    form = RunJobForm()
    form.name.choices = [(name, services.TASKS[name].label) for name in MANUAL]
    return form


@bp.route("/")
@role_required(Role.OFFICIAL, Role.ADMIN)
def index():
    """Every job's last run, the recent runs and failures, and RQ's queue."""
    if not JobRun.can_view(current_user):
        abort(403)
    return render_template(
        "jobs/index.html",
        overview=services.overview(),
        tasks=services.TASKS,
        schedule=schedule.SCHEDULE,
        form=_form(),
    )


@bp.route("/run", methods=["POST"])
@role_required(Role.OFFICIAL, Role.ADMIN)
def run():
    """Start one job now: queued on RQ, or run inline when there is no Redis."""
    form = _form()
    if not form.validate_on_submit():
        flash(
            "；".join(e for errors in form.errors.values() for e in errors) or "请求无效，请刷新后重试。",
            "danger",
        )
        return redirect(url_for("jobs.index")), 303
    try:
        run_id = services.enqueue(form.name.data)  # commits the run record itself
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("jobs.index")), 303
    run = db.session.get(JobRun, run_id)
    flash(f"已启动：{services.TASKS[run.name].label}（{run.status_label}）。", "success")
    return redirect(url_for("jobs.index")), 303


@bp.cli.command("run")
@click.argument("name", type=click.Choice(sorted(services.TASKS)))
@click.option("--parts", type=int, default=0, help="digest：分段数（默认 DIGEST_PARTS）")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="post_audit：抽取哪一天（默认前一日）",
)
def run_command(name: str, parts: int, day: datetime | None) -> None:
    """Run one job now (on RQ when PORTAL_REDIS_URL is set, else in this process)."""
    kwargs: dict = {"parts": parts} if name == "digest" and parts else {}
    if name == "post_audit" and day:
        kwargs["day"] = (
            day.date().isoformat()
        )  # a missed night is drawn by hand: the same draw as it would have
    run_id = services.enqueue(name, **kwargs)
    run = db.session.get(JobRun, run_id)
    click.echo(f"{name}: {run.status_label} {run.result if run.status == 'done' else run.error}")


@bp.cli.command("tick")
def tick_command() -> None:
    """Start every scheduled job that is due now (cron can call this when there is no RQ scheduler)."""
    started = services.tick(utcnow())
    click.echo("已启动：" + ("、".join(started) if started else "无"))


@bp.cli.command("schedule")
def schedule_command() -> None:
    """Plan the first scheduler tick on RQ (`make worker` runs this; a second call does not double the chain)."""
    from flask import current_app

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("未设置 PORTAL_REDIS_URL：没有 RQ 时请用 cron 调用 `flask jobs tick`。")
    planned = services.schedule_next(current_app._get_current_object(), services.TICK_SECONDS)
    click.echo("已安排调度" if planned else "调度已在运行")
