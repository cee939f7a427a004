"""秒批 capacity: open-loop arrivals at rising rates against the real HTTP endpoint, with pgbench as the anchor.

    .venv/bin/python bench/instant_capacity.py [--rates 10,20,40,60,80,120,160] [--step-seconds 8]

Creates (drops first) its own database `bench_capacity`, migrates it, seeds instant policies and one verified
enterprise account per client (bench/approvals_http.py's seed: policy 1's budget covers half the clients),
starts gunicorn as `make run` does (gunicorn.conf.py), logs every client in, then for each rate R sends
一键申领 POSTs at R per second on a fixed schedule for --step-seconds (open loop: an arrival does not wait for
the previous answer; its latency counts from its scheduled time, so queueing shows). Each arrival is a fresh
(enterprise, policy) pair. The capacity is the highest rate held with p99 ≤ 100 ms and no error.
In the same run: pgbench -i (scale 10) in a scratch database and tpcb-like with 16 clients for --pgbench-seconds,
the physical anchor of "updates, inserts, a commit". Ratio = capacity ÷ pgbench tps (target ≥ 0.25).
Afterwards: no budget overspent, spent = sum approved, no duplicate (enterprise, policy).
The load generator runs on the same 2 cores as the server and PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import approvals_http as ah  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PLAIN = "postgresql://postgres@127.0.0.1:5432"


def pgbench(seconds: int) -> float:
    """tpcb-like tps with 16 clients on a scratch database initialised at scale 10."""
    with psycopg.connect(PLAIN + "/postgres", autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "bench_pgbench" WITH (FORCE)')
        conn.execute('CREATE DATABASE "bench_pgbench"')
    base = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(
        ["pgbench", *base, "-i", "-s", "10", "-q", "bench_pgbench"], check=True, capture_output=True
    )
    out = subprocess.run(
        ["pgbench", *base, "-c", "16", "-j", "2", "-T", str(seconds), "-b", "tpcb-like", "bench_pgbench"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with psycopg.connect(PLAIN + "/postgres", autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "bench_pgbench" WITH (FORCE)')
    return float(re.search(r"tps = ([0-9.]+)", out).group(1))


def start(url: str, port: int) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py (as `make run`), on the benchmark database."""
    env = os.environ | {
        "PORTAL_DATABASE_URL": url,
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "PORTAL_SECRET_KEY": os.urandom(16).hex(),
        "PORTAL_RATELIMIT_ENABLED": "false",  # all clients log in from one address
        "PORTAL_LOG_FORMAT": "text",
    }
    log = open(ROOT / "instance" / "instant_capacity.log", "w")  # noqa: SIM115  (lives as long as the server)
    proc = subprocess.Popen(
        [str(ah.VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py", "portal:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited, see instance/instant_capacity.log")
        try:
            if ah.Client(port).request("GET", "/healthz")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def step(idle: queue.Queue, pairs, tokens: list[str], rate: float, seconds: float, pool) -> dict:
    """Open-loop arrivals at `rate`/s for `seconds`; latency from each arrival's scheduled time."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def one(scheduled: float) -> None:
        index, client = idle.get()  # a free logged-in client; waiting here is queueing, and is counted
        try:
            try:
                enterprise_index, policy_id = next(pairs[index])
            except StopIteration:
                with lock:
                    errors[0] += 1
                return
            status, _, _ = client.request(
                "POST", f"/approvals/apply/{policy_id}", {"csrf_token": tokens[enterprise_index]}
            )
            done = time.perf_counter()
            with lock:
                latencies.append(done - scheduled)
                errors[0] += status != 302
        finally:
            idle.put((index, client))

    began = time.perf_counter()
    count = int(rate * seconds)
    futures = []
    for k in range(count):
        scheduled = began + k / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(one, scheduled))
    for future in futures:
        future.result()
    wall = time.perf_counter() - began
    xs = sorted(latencies)
    return {
        "rate": rate,
        "sent": count,
        "errors": errors[0],
        "achieved_per_s": round(len(xs) / wall, 1),
        "p50_ms": round(statistics.median(xs) * 1000, 1) if xs else None,
        "p99_ms": round(xs[min(len(xs) - 1, int(0.99 * len(xs)))] * 1000, 1) if xs else None,
    }


def main() -> None:
    """pgbench, then the rate steps, then the checks; print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="10,20,40,60,80,120,160,240")
    parser.add_argument("--step-seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--policies", type=int, default=240)
    parser.add_argument("--pgbench-seconds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "instant_capacity.json")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]

    tps = pgbench(args.pgbench_seconds)
    print(f"pgbench tpcb-like, 16 clients, {args.pgbench_seconds} s: {tps:.0f} tps", flush=True)

    url = ah.recreate_database(SERVER, "bench_capacity")
    env = os.environ | {"PORTAL_DATABASE_URL": url, "PORTAL_SECRET_KEY": "seed"}
    subprocess.run([str(ah.VENV_BIN / "flask"), "--app", "portal", "db", "upgrade"], env=env, check=True, cwd=ROOT,
                   capture_output=True)  # fmt: skip
    ah.seed(url, args.clients, args.policies, budget_short=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start(url, port)
    steps = []
    try:
        clients = [ah.Client(port) for _ in range(args.clients)]
        tokens = [c.login(f"bench{i}") for i, c in enumerate(clients)]
        # Client i applies for policy 1 first (the budget race), then walks the others from its own offset.
        pairs = [
            iter([(i, 1)] + [(i, (i * 7 + s) % (args.policies - 1) + 2) for s in range(1, args.policies)])
            for i in range(args.clients)
        ]
        idle: queue.Queue = queue.Queue()
        for i, c in enumerate(clients):
            idle.put((i, c))
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            for rate in rates:
                result = step(idle, pairs, tokens, rate, args.step_seconds, pool)
                steps.append(result)
                print(json.dumps(result), flush=True)
                if result["p99_ms"] is None or result["p99_ms"] > 1000:
                    break  # far past saturation: the next rates only queue more
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        overspent = conn.execute(
            "SELECT count(*) FROM policies WHERE budget_wan IS NOT NULL AND budget_spent_wan > budget_wan"
        ).fetchone()[0]
        mismatched = conn.execute(
            """SELECT count(*) FROM policies p WHERE budget_spent_wan <> (SELECT coalesce(sum(amount_wan), 0)
               FROM applications a WHERE a.policy_id = p.id AND a.status = 'approved')"""
        ).fetchone()[0]
        duplicates = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM applications GROUP BY enterprise_id, policy_id HAVING count(*) > 1) d"
        ).fetchone()[0]
        by_status = dict(conn.execute("SELECT status, count(*) FROM applications GROUP BY status").fetchall())
    held = [s for s in steps if s["errors"] == 0 and s["p99_ms"] is not None and s["p99_ms"] <= 100]
    capacity = max((s["achieved_per_s"] for s in held), default=0.0)
    result = {
        "pgbench_tps": round(tps, 1),
        "steps": steps,
        "capacity_per_s": capacity,
        "ratio_to_pgbench": round(capacity / tps, 3) if tps else None,
        "applications": by_status,
        "budget_overspent_policies": overspent,
        "budget_mismatched_policies": mismatched,
        "duplicate_applications": duplicates,
        "gunicorn": "gunicorn.conf.py defaults (WEB_CONCURRENCY / WEB_THREADS if set)",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "steps"}, ensure_ascii=False))
    if overspent or mismatched or duplicates:
        raise SystemExit("budget or uniqueness violated")


if __name__ == "__main__":
    main()
