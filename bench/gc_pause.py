"""The stall a full garbage collection puts on a request in a warm web worker, with and without gc.freeze().

    .venv/bin/python bench/gc_pause.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/baoan] [--runs 7]

Builds the app and warms it as gunicorn.conf.py's when_ready does (jieba, the policy index of every published
policy), then times gc.collect() --runs times (the baseline: what a worker pays whenever the collector reaches the
oldest generation), then gc.freeze() (what when_ready now does before forking) and times it again. Medians.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app  # noqa: E402
from portal.ops import warm_up  # noqa: E402


def _collect_ms(runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    """Warm the app, time full collections before and after freezing, and print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/baoan")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    spent = warm_up(app)
    tracked = len(gc.get_objects())
    before = _collect_ms(args.runs)
    gc.freeze()
    after = _collect_ms(args.runs)
    print(f"warm-up {', '.join(f'{k} {v:.1f} s' for k, v in spent.items())}; {tracked:,} tracked objects")
    print(
        f"full collection, median of {args.runs}: {before:.1f} ms before gc.freeze(), {after * 1000:.1f} µs after"
    )


if __name__ == "__main__":
    main()
