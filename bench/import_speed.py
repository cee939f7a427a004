"""Benchmark: import 100,000 enterprises (JSON Lines) through the real import service.

Measures the batched upsert used by `flask data import-enterprises` — a first import (all inserts) and a re-import
(all updates) — against a baseline measured in the same run: the straightforward ORM upsert (look up each row by
credit code, set attributes, flush per row) on a subset. Reports rows/s and the ratio.

    .venv/bin/python bench/import_speed.py [--rows 100000] [--baseline-rows 5000] [--database-url URL]

Without --database-url it uses a fresh SQLite file under bench/out/; with a PostgreSQL URL it resets that database's
public schema first (use a dedicated database such as bench_import).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app, reference, services  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Enterprise  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "bench" / "policy_match" / "dev" / "enterprises.jsonl"
OUT = Path(__file__).resolve().parent / "out"


def make_rows(count: int) -> list[str]:
    """`count` JSON lines: the dev enterprises repeated, each with a fresh valid credit code and name."""
    base = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for i in range(count):
        record = dict(base[i % len(base)])
        record["uscc"] = reference.make_uscc("440306", 10_000_000 + i)
        record["name"] = f"{record['name']}（{i}）"
        rows.append(json.dumps(record, ensure_ascii=False))
    return rows


def fresh_app(url: str):
    """An app on an empty schema at `url`."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.drop_all()
        db.create_all()
    return app


def timed_import(app, rows: list[str]) -> tuple[float, services.ImportReport]:
    """Seconds to import `rows` and commit, with the report."""
    with app.app_context():
        start = time.perf_counter()
        report = services.import_enterprises(rows, source="基准测试", on=date(2026, 11, 24))
        db.session.commit()
        return time.perf_counter() - start, report


def naive_import(app, rows: list[str]) -> float:
    """The straightforward baseline: parse, look up by code, set attributes, flush, one row at a time."""
    with app.app_context():
        start = time.perf_counter()
        for line in rows:
            uscc, values = services.parse_enterprise_row(json.loads(line))
            firm = db.session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
            if firm is None:
                firm = Enterprise(uscc=uscc, qualifications=[], verified={})
                db.session.add(firm)
            for name, value in values.items():
                setattr(firm, name, value)
            firm.verified = {name: {"source": "基准测试", "date": "2026-11-24"} for name in values}
            db.session.flush()
        db.session.commit()
        return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print rows/s and ratios."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3, help="baseline/batched subset repetitions (median)")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{OUT / 'import_bench.sqlite'}"
    rows = make_rows(args.rows)

    app = fresh_app(url)
    insert_s, report = timed_import(app, rows)
    assert report.ok and report.inserted == args.rows, report.errors[:3]
    update_s, report = timed_import(app, rows)
    assert report.ok and report.updated == args.rows

    subset = rows[: args.baseline_rows]
    naive, batched = [], []
    for _ in range(args.repeat):
        naive.append(naive_import(fresh_app(url), subset))
        batched.append(timed_import(fresh_app(url), subset)[0])
    naive_rate = args.baseline_rows / statistics.median(naive)
    batched_rate = args.baseline_rows / statistics.median(batched)

    print(f"database: {url.split(':')[0]}")
    print(f"import {args.rows:,} new rows: {insert_s:.1f} s ({args.rows / insert_s:,.0f} rows/s)")
    print(f"re-import {args.rows:,} rows (updates): {update_s:.1f} s ({args.rows / update_s:,.0f} rows/s)")
    print(
        f"subset of {args.baseline_rows:,} rows, median of {args.repeat}: batched {batched_rate:,.0f} rows/s, "
        f"row-by-row ORM baseline {naive_rate:,.0f} rows/s, ratio {batched_rate / naive_rate:.1f}x"
    )


if __name__ == "__main__":
    main()
