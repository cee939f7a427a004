"""Command line of the policies capability: thin click commands over its services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

policies_cli = AppGroup("policies", help="政策相关命令。")

_IN = click.Path(exists=True, dir_okay=False, path_type=Path)
_OUT = click.Path(dir_okay=False, writable=True, path_type=Path)


def _load(policies_path: Path, enterprises_path: Path, text_only: bool, as_of: date | None):
    """Read both JSON Lines files into a PolicyIndex and an EnterpriseTable; report bad lines on stderr."""
    from portal.conditions import derive
    from portal.jsonl import read_jsonl
    from portal.policies.recommender import EnterpriseTable, PolicyIndex
    from portal.timeutil import today

    as_of = as_of or today()
    errors: list = []
    policies = [p for _, p in read_jsonl(policies_path, errors)]
    for e in errors:
        click.echo(f"{policies_path}:{e.line_no}: {e.message}", err=True)
    errors = []
    profiles = []
    for line_no, record in read_jsonl(enterprises_path, errors):
        try:
            profiles.append(derive(record, as_of))
        except (TypeError, ValueError) as exc:
            click.echo(f"{enterprises_path}:{line_no}: {exc}", err=True)
    for e in errors:
        click.echo(f"{enterprises_path}:{e.line_no}: {e.message}", err=True)
    index = PolicyIndex(policies, text_only=text_only)
    return index, EnterpriseTable.from_profiles(profiles)


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("日期格式应为 YYYY-MM-DD。") from None


_common = [
    click.option("--policies", "policies_path", type=_IN, required=True, help="政策 JSON Lines 文件"),
    click.option("--enterprises", "enterprises_path", type=_IN, required=True, help="企业 JSON Lines 文件"),
    click.option("--out", type=_OUT, required=True, help="输出 TSV 文件"),
    click.option("--text-only", is_flag=True, help="忽略已编码的条件和对象，从政策原文读取"),
    click.option("--as-of", callback=_as_of, default=None, help="计算日期（默认今天，北京时间）"),
]


def _with_common(f):
    for option in reversed(_common):
        f = option(f)
    return f


@policies_cli.command("rank", with_appcontext=False)  # offline: no database, no app needed
@_with_common
@click.option("--top", type=click.IntRange(1, 1000), default=20, show_default=True, help="每家企业推荐条数")
def rank(
    policies_path: Path, enterprises_path: Path, out: Path, text_only: bool, as_of: date | None, top: int
):
    """Rank the policies every enterprise qualifies for; write enterprise_uscc, policy_id, rank, score."""
    from portal.policies.recommender import rank_rows

    index, table = _load(policies_path, enterprises_path, text_only, as_of)
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write("enterprise_uscc\tpolicy_id\trank\tscore\n")
        for uscc, policy_id, k, score in rank_rows(index, table, top):
            fh.write(f"{uscc}\t{policy_id}\t{k}\t{score:.6f}\n")
            n += 1
    click.echo(f"已为 {len(table)} 家企业写出 {n} 条推荐：{out}", err=True)


@policies_cli.command("deliver-plan", with_appcontext=False)
@_with_common
def deliver_plan(policies_path: Path, enterprises_path: Path, out: Path, text_only: bool, as_of: date | None):
    """Plan the push of every policy to the enterprises it fits; write policy_id, enterprise_uscc."""
    from portal.policies.recommender import delivery_rows

    index, table = _load(policies_path, enterprises_path, text_only, as_of)
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write("policy_id\tenterprise_uscc\n")
        for policy_id, uscc in delivery_rows(index, table):
            fh.write(f"{policy_id}\t{uscc}\n")
            n += 1
    click.echo(f"{len(index)} 项政策共 {n} 条推送：{out}", err=True)


# ---------------------------------------------------------------- database commands (import, deliver)


@policies_cli.command("import")
@click.argument("path", type=_IN)
def import_policies(path: Path) -> None:
    """Load SCHEMA.md policies (published, revision 1); any bad line is reported and nothing is written."""
    import sys

    from portal.extensions import db
    from portal.policies import catalog
    from portal.timeutil import today

    report = catalog.import_policies(path, actor=None, on=today())
    if report.errors:
        db.session.rollback()
        for line_no, reason in report.errors:
            click.echo(f"{path}:{line_no}: {reason}", err=True)
        click.echo(f"问题行 {len(report.errors)} 行，未写入任何政策。", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"新增 {report.inserted} 项，修订 {report.updated} 项。")


@policies_cli.command("deliver")
@click.argument("policy", required=False)
@click.option("--all", "every", is_flag=True, help="推送所有已发布且未截止的政策")
def deliver(policy: str | None, every: bool) -> None:
    """Push published policies to every qualifying enterprise, with a progress bar; safe to re-run."""
    from sqlalchemy import or_, select

    from portal import services
    from portal.extensions import db
    from portal.policies import delivery
    from portal.policies.models import Policy
    from portal.timeutil import today

    if bool(policy) == every:
        raise click.UsageError("请指定一项政策（id 或编号），或使用 --all。")
    on = today()
    if every:
        targets = db.session.scalars(select(Policy).where(Policy.open_on(on)).order_by(Policy.id)).all()
    else:
        found = db.session.scalar(
            select(Policy).where(
                or_(Policy.code == policy, Policy.id == (int(policy) if policy.isdigit() else -1))
            )
        )
        if found is None:
            raise click.ClickException(f"找不到政策 {policy}。")
        targets = [found]
    pushed = 0
    for item in targets:
        job = delivery.queue_delivery(item, actor=None)
        db.session.commit()
        with click.progressbar(length=job.total or 1, label=f"[{item.id}] {item.title[:24]}") as bar:

            def step(_job, scanned: int, bar=bar) -> None:
                db.session.commit()  # the command owns its unit of work: progress is committed per chunk
                bar.length = _job.total or 1
                bar.update(scanned)

            try:
                delivery.deliver(item, on=on, job=job, after_chunk=step)
            except services.ServiceError as exc:
                db.session.rollback()
                raise click.ClickException(str(exc)) from None
        db.session.commit()
        pushed += job.pushed
        click.echo(f"  符合 {job.matched} 家，新推送 {job.pushed} 家，退订未推送 {job.muted} 家。")
    click.echo(f"共 {len(targets)} 项政策，新推送 {pushed} 条。")
