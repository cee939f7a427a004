"""The nightly digest split into RQ jobs by enterprise ranges, run by 1 and by 2 worker processes.

    .venv/bin/python bench/digest_split.py [--db baoan_digest] [--scale 0.1] [--parts 8] [--skip-fill]

Fills --db with bench/scale_db.py at --scale (0.1: 100,000 enterprises × 1,000 policies), then twice: enqueues
the `digest` job (portal.jobs: one digest_part job per enterprise id range, results into digest_entries) on a
private RQ queue in Redis db 14, starts N `rq worker` processes (N = 1, then 2) in burst mode and times from the
enqueue until every part is recorded done. Prints seconds, firms per second, and a linear projection to a
province (10,000,000 firms × 50,000 policies: work per firm grows about linearly with the policy count in the
digest's bitset step, so firms × policies scale; the projection says so and is no measurement).
The two workers share this 2-core box with PostgreSQL (and other users): 2 workers on 2 machines would do better.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REDIS = "redis://127.0.0.1:6379/14"
QUEUE = "portal-digest-bench"


def run(url: str, workers: int, parts: int) -> dict:
    """Enqueue the digest plan, run `workers` burst workers, wait for every part; return the figures."""
    from redis import Redis
    from sqlalchemy import func, select

    from portal import create_app
    from portal.extensions import db
    from portal.jobs import services
    from portal.jobs.models import JobRun, RunStatus

    Redis.from_url(REDIS).flushdb()
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": REDIS, "RQ_QUEUE": QUEUE}
    )
    env = os.environ | {
        "PORTAL_DATABASE_URL": url,
        "PORTAL_SECRET_KEY": "bench",
        "PORTAL_REDIS_URL": REDIS,
        "PORTAL_RQ_QUEUE": QUEUE,
        "PORTAL_DB_STATEMENT_TIMEOUT": "600",
    }
    with app.app_context():
        started = time.perf_counter()
        # The plan itself runs here (it only enqueues the parts): burst workers started on a queue holding just
        # the plan could find it empty and leave before the parts exist.
        plan = services.TASKS["digest"].fn(parts=parts)
        db.session.commit()
        procs = [
            subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "rq"), "worker", "--burst", "--url", REDIS, QUEUE],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for _ in range(workers)
        ]
        for proc in procs:
            proc.wait(timeout=3600)
        wall = time.perf_counter() - started
        db.session.expire_all()
        part_ids = plan.get("runs", [])
        part_runs = db.session.scalars(select(JobRun).where(JobRun.id.in_(part_ids))).all()
        done = [r for r in part_runs if r.status == RunStatus.DONE]
        firms = sum(r.result.get("firms", 0) for r in done)
        entries = db.session.scalar(select(func.count()).select_from(services.DigestEntry))
        return {
            "workers": workers,
            "parts": len(part_ids),
            "parts_done": len(done),
            "firms": firms,
            "digest_entries": entries,
            "wall_s": round(wall, 1),
            "part_seconds": sorted(r.seconds for r in done),
            "firms_per_s": round(firms / wall, 0) if wall else None,
        }


def main() -> None:
    """Fill (unless --skip-fill), run with 1 and 2 workers, print and save, with the projection."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="baoan_digest")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--parts", type=int, default=8)
    parser.add_argument("--skip-fill", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "digest_split.json"))
    args = parser.parse_args()
    assert args.db != "test"
    if not args.skip_fill:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "scale_db.py"),
                "--db",
                args.db,
                "--scale",
                str(args.scale),
            ],
            check=True,
        )
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"
    results = [run(url, 1, args.parts), run(url, 2, args.parts)]
    one, two = results
    policies = int(10_000 * args.scale)
    per_pair = one["wall_s"] / (one["firms"] * policies) if one["firms"] else 0
    projection = {
        "province_firms": 10_000_000,
        "province_policies": 50_000,
        "one_worker_hours": round(per_pair * 10_000_000 * 50_000 / 3600, 1),
        "note": "linear in firms × policies from the 1-worker run; divide by the worker count for N machines",
    }
    out = {
        "scale": args.scale,
        "policies": policies,
        "runs": results,
        "speed_up_2_vs_1": None,
        "projection": projection,
    }
    if two["wall_s"]:
        out["speed_up_2_vs_1"] = round(one["wall_s"] / two["wall_s"], 2)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
