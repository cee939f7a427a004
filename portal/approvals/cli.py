"""Command line of the approvals capability: thin click commands over its services."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.approvals import rules
from portal.jsonl import JsonlError, read_jsonl

approvals_cli = AppGroup("approvals", help="审批相关命令。")


@approvals_cli.command("decide-plan")
@click.option(
    "--policies", "policies_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True
)
@click.option(
    "--enterprises",
    "enterprises_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
)
@click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="基准日 YYYY-MM-DD"
)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
def decide_plan(policies_path: Path, enterprises_path: Path, as_of, out_path: Path) -> None:
    """Write the 秒批 decision of every enterprise × instant policy as TSV (all data treated as verified)."""
    try:
        policies = [obj for _, obj in read_jsonl(policies_path)]
        enterprises = (obj for _, obj in read_jsonl(enterprises_path))
        day: date = as_of.date()
        counts: dict[str, int] = {}
        with out_path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
            writer.writerow(["enterprise_uscc", "policy_id", "decision", "amount_wan"])
            for row in rules.decide_plan(policies, enterprises, day):
                writer.writerow(row)
                counts[row[2]] = counts.get(row[2], 0) + 1
    except JsonlError as exc:
        raise click.ClickException(str(exc)) from None
    summary = "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
    click.echo(f"已写入 {out_path}：{summary or '无秒批政策'}。")
