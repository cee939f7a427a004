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
@click.password_option(help="初始密码（企业至少 8 位，其他账号至少 12 位；不能是常见密码或包含用户名）")
def create_user(username: str, role: str, display_name: str, bank_id: int | None, password: str) -> None:
    """Create an account (officials, bank staff and admins); the password rules are the service's."""
    try:
        user = services.create_user(
            username=username, password=password, role=role, display_name=display_name, bank_id=bank_id
        )
    except services.ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"已创建账号 {user.username}（{user.role_label}）。")


@users_cli.command("activation-codes")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--uscc", "usccs", multiple=True, help="统一社会信用代码（可重复）")
@click.option(
    "--from-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="每行一个统一社会信用代码的文件",
)
@click.option("--days", type=click.IntRange(1, 365), default=60, show_default=True, help="有效天数")
def activation_codes(out: Path, usccs: tuple[str, ...], from_file: Path | None, days: int) -> None:
    """Issue one-time activation codes and write them (CSV: uscc,name,code,expires) for the mail merge."""
    import csv

    from portal import identity
    from portal.timeutil import local

    wanted = list(usccs) + (from_file.read_text(encoding="utf-8").split() if from_file else [])
    if not wanted:
        raise click.UsageError("请用 --uscc 或 --from-file 指定企业。")
    if out.exists():
        # Codes are shown once; never overwrite a letter file that may not have been mailed yet.
        raise click.ClickException(f"{out} 已存在，请换一个文件名。")
    issued, missing = identity.issue_codes_for(wanted, actor=None, valid_days=days)
    with out.open("x", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["uscc", "name", "code", "expires"])
        for c in issued:
            writer.writerow([c.uscc, c.name, c.code, local(c.expires_at).strftime("%Y-%m-%d %H:%M")])
    out.chmod(0o600)
    db.session.commit()
    for uscc in missing:
        click.echo(f"未找到企业，也无人以此代码注册：{uscc}", err=True)
    click.echo(f"已生成 {len(issued)} 个激活码，写入 {out}。")


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


def init_app(app: Flask) -> None:
    """Register the commands on the app."""
    from portal.approvals.cli import approvals_cli
    from portal.finance.cli import finance_cli
    from portal.policies.cli import policies_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(data_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(policies_cli)
    app.cli.add_command(approvals_cli)
    app.cli.add_command(finance_cli)
