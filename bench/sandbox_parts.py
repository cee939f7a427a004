"""Where the sandbox's time goes at district scale: each statement of the page against the floor of one scan.

    .venv/bin/python bench/sandbox_parts.py [--db baoan] [--policies 20] [--seed 3]

On the database bench/scale_db.py fills (1,000,000 firms), for --policies published policies drawn at random:
times audience.sandbox (the candidate count and the grouped audience, with its cost) and the near misses
(audience.outcome_patterns, one grouped scan of every firm), as the sandbox page runs them, and in the same run
the floor: `SELECT count(*) FROM enterprises WHERE credit_ok` (one parallel scan with the cheapest filter), and
the same scan on one core. Prints medians and each part's ratio to the floor. Results: bench/results/sandbox_parts.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main() -> None:
    """Time the parts and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="baoan")
    parser.add_argument("--policies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "sandbox_parts.json"))
    args = parser.parse_args()
    os.environ["PORTAL_DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"
    os.environ.setdefault("PORTAL_SECRET_KEY", "bench-sandbox-parts")

    from sqlalchemy import select, text

    from portal import create_app
    from portal.extensions import db
    from portal.policies import audience, scenarios
    from portal.policies.models import Policy, PolicyStatus
    from portal.timeutil import today

    app = create_app()
    with app.app_context():
        ids = db.session.scalars(select(Policy.id).where(Policy.status == PolicyStatus.PUBLISHED)).all()
        random.seed(args.seed)
        chosen = random.sample(list(ids), min(args.policies, len(ids)))
        on = today()
        parts: dict[str, list[float]] = {
            "floor_parallel": [],
            "floor_one_core": [],
            "sandbox": [],
            "near": [],
        }
        for policy_id in chosen:
            policy = db.session.get(Policy, policy_id)
            for name, setting in (("floor_parallel", None), ("floor_one_core", "0")):
                if setting is not None:
                    db.session.execute(text(f"SET LOCAL max_parallel_workers_per_gather = {setting}"))
                start = time.perf_counter()
                db.session.execute(text("SELECT count(*) FROM enterprises WHERE credit_ok")).scalar()
                parts[name].append(time.perf_counter() - start)
                db.session.rollback()
            start = time.perf_counter()
            audience.sandbox(policy, on=on)
            parts["sandbox"].append(time.perf_counter() - start)
            db.session.rollback()
            start = time.perf_counter()
            scenarios.near_misses(policy, on=on)
            parts["near"].append(time.perf_counter() - start)
            db.session.rollback()
        page = [s + n for s, n in zip(parts["sandbox"], parts["near"], strict=True)]
        floor = statistics.median(parts["floor_parallel"])
        result = {
            "policies": len(chosen),
            "load_average": os.getloadavg(),
            **{f"{k}_p50_ms": _ms(statistics.median(v)) for k, v in parts.items()},
            "page_p50_ms": _ms(statistics.median(page)),
            "page_p90_ms": _ms(sorted(page)[int(0.9 * (len(page) - 1))]),
            "page_over_floor": round(statistics.median(page) / floor, 1),
        }
    print(json.dumps(result, indent=1))
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
