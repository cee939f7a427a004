"""Command line of the finance capability: thin click commands over its services."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.timeutil import CHINA

finance_cli = AppGroup("finance", help="融资相关命令。")


@finance_cli.command("expire-routes")
@click.option(
    "--now", "now_text", default=None, help="按此时刻处理（ISO 8601，无时区按北京时间），默认当前时间"
)
def expire_routes(now_text: str | None) -> None:
    """Take overdue requests from banks that did not answer and route them on; safe to re-run (e.g. from cron)."""
    from portal.finance import services

    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter("应为 ISO 8601 时间，如 2026-12-01T09:00", param_hint="--now") from None
        now = now if now.tzinfo else now.replace(tzinfo=CHINA)
    expired, routed = services.expire_routes(now=now)
    db.session.commit()
    click.echo(f"逾期收回 {expired} 条推送，重新推送 {routed} 条。")
