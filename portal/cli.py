"""Command line: thin click commands over services; each commits its own unit of work."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from portal import services
from portal.extensions import db
from portal.timeutil import today

users_cli = AppGroup("users", help="账号管理。")
data_cli = AppGroup("data", help="政府数据导入。")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["official", "bank", "admin", "enterprise"]), required=True)
@click.option("--name", "display_name", default="", help="显示名称")
@click.option("--bank-id", type=int, default=None, help="金融机构账号所属银行的 id")
@click.password_option(help="初始密码（至少 8 位）")
def create_user(username: str, role: str, display_name: str, bank_id: int | None, password: str) -> None:
    """Create an account (officials, bank staff and admins)."""
    if len(password) < 8:
        raise click.BadParameter("密码至少 8 位。", param_hint="--password")
    try:
        user = services.create_user(
            username=username, password=password, role=role, display_name=display_name, bank_id=bank_id
        )
    except services.ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"已创建账号 {user.username}（{user.role_label}）。")


@data_cli.command("import-enterprises")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="数据来源名称，例如 市场监督管理局")
def import_enterprises(path: Path, source: str) -> None:
    """Upsert enterprises from a JSON Lines file; report every bad line; write no bad line."""
    with path.open("rb") as fh:
        report = services.import_enterprises(fh, source=source, on=today())
    db.session.commit()
    for line_no, reason in report.errors:
        click.echo(f"{path}:{line_no}: {reason}", err=True)
    click.echo(f"新增 {report.inserted}，更新 {report.updated}，问题行 {len(report.errors)}。")
    if report.errors:
        sys.exit(1)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="只在数据库没有企业时写入")
def seed_demo(if_empty: bool) -> None:
    """Write the demo data set (enterprises, banks, parks, accounts, and each capability's demo data)."""
    from portal import demo

    if if_empty and services.counts()["enterprises"]:
        click.echo("数据库已有数据，跳过演示数据。")
        return
    summary = demo.seed(on=today())
    db.session.commit()
    for line in summary:
        click.echo(line)


@click.command("app-role")
@click.argument("role")
@click.option(
    "--password-env", help="environment variable holding the role's password (none: peer/trust auth)"
)
@click.option("--print-sql", is_flag=True, help="print the SQL instead of running it")
def app_role(role: str, password_env: str | None, print_sql: bool) -> None:
    """Create or refresh the PostgreSQL role the app connects as (run as the schema owner, after db upgrade)."""
    import os

    from sqlalchemy import text

    from portal.dbguard import app_role_statements

    password = os.environ.get(password_env) if password_env else None
    if password_env and not password:
        raise click.ClickException(f"环境变量 {password_env} 未设置。")
    statements = app_role_statements(role, password)
    if print_sql:
        click.echo(";\n".join(statements) + ";")
        return
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("应用角色只适用于 PostgreSQL。")
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    click.echo(f"角色 {role} 已就绪：非所有者、非超级用户；审计表不可修改、删除或清空。")


def init_app(app: Flask) -> None:
    """Register the commands on the app."""
    from portal.approvals.cli import approvals_cli
    from portal.finance.cli import finance_cli
    from portal.policies.cli import policies_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(data_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(app_role)
    app.cli.add_command(policies_cli)
    app.cli.add_command(approvals_cli)
    app.cli.add_command(finance_cli)
