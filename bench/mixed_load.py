"""Mixed load: 50 simulated users of every role for a bounded time on loopback; p50/p95 per page and overall.

    .venv/bin/python bench/mixed_load.py [--db baoan] [--users 50] [--seconds 60] [--think 1,3]

Starts gunicorn as `make run` does (bench/crawl.py's start: gunicorn.conf.py, PORTAL_DATABASE_URL to --db),
runs locust headless (bench/locustfile.py) with --users users spawned at 10/s for --seconds, then reads
locust's CSV statistics. --think is each user's pause between pages (1–3 s: 50 users offer ≈ 25 requests/s, a
stress setting on 2 cores; 5–15 s is closer to a person reading a policy). Target: overall p95 ≤ 1 s. Results: bench/results/mixed_load.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import crawl  # noqa: E402


def main() -> None:
    """Start the portal, run locust, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="baoan")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", default="1,3", help="seconds between a user's pages: lo,hi")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "mixed_load.json"))
    args = parser.parse_args()
    ids = crawl.ids(args.db)
    token = crawl.api_token(f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = crawl.start(args.db, port)
    prefix = ROOT / "instance" / "mixed_load"
    try:
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "--only-summary",
                "-u", str(args.users), "-r", "10", "-t", f"{args.seconds}s",
                "--host", f"http://127.0.0.1:{port}",
                "--csv", str(prefix),
            ],
            env={**os.environ, "CRAWL_IDS": json.dumps(ids), "CRAWL_API_TOKEN": token, "THINK": args.think},
            check=False,
            timeout=args.seconds + 120,
        )  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))  # noqa: SIM115
    table = [
        {
            "page": r["Name"],
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50_ms": float(r["50%"]),
            "p95_ms": float(r["95%"]),
            "p99_ms": float(r["99%"]),
            "rps": round(float(r["Requests/s"]), 1),
        }
        for r in rows
    ]
    print("| page | requests | failures | p50 ms | p95 ms | p99 ms | req/s |\n|---|---|---|---|---|---|---|")
    for r in table:
        print(
            f"| {r['page']} | {r['requests']} | {r['failures']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
            f"{r['p99_ms']:.0f} | {r['rps']} |"
        )
    Path(args.out).write_text(
        json.dumps(
            {"users": args.users, "seconds": args.seconds, "think": args.think, "pages": table}, indent=1
        )
    )


if __name__ == "__main__":
    main()
