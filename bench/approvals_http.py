"""秒批 over HTTP: gunicorn on PostgreSQL, N concurrent logged-in enterprises applying vs /healthz, same run.

    .venv/bin/python bench/approvals_http.py [--clients 50] [--seconds 10] [--workers 4] [--threads 4]

Creates (drops first) its own database, migrates it with `flask db upgrade`, seeds instant policies and one
verified enterprise account per client, starts gunicorn, then runs two phases with the same clients:
/healthz (the trivial endpoint: one SELECT 1) and 一键申领 (POST with the CSRF token, logged-in session,
each client its own enterprise, a different policy each time). Reports p50/p99 latency, requests/s, approvals/s,
the ratio approvals/s ÷ healthz requests/s, and checks in the database that no budget was overspent.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
PASSWORD = "bench-password-2026"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def recreate_database(server: str, name: str) -> str:
    """Drop and create the benchmark database; return its SQLAlchemy URL."""
    with psycopg.connect(
        f"{server.replace('postgresql+psycopg', 'postgresql')}/postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def seed(url: str, clients: int, policies: int, budget_short: bool) -> None:
    """Instant policies (fixed 1 万元; policy 1's budget covers half the clients) and one account per client."""
    from portal import create_app, reference
    from portal.extensions import db
    from portal.models import Enterprise, Role, User
    from portal.policies.models import Policy, PolicyRevision, PolicyStatus

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "seed"})
    verified = {"source": "压测数据", "date": "2026-06-01"}
    with app.app_context():
        for index in range(policies):
            budget = Decimal(clients // 2) if budget_short and index == 0 else Decimal(10 * clients)
            policy = Policy(
                code=f"B-{index:04d}",
                status=PolicyStatus.PUBLISHED,
                title=f"压测秒批事项{index}",
                category="资金奖励",
                published_on=date(2026, 1, 1),
                conditions={
                    "all": [
                        {"field": "registered_district", "op": "eq", "value": "宝安区"},
                        {"field": "rd_ratio", "op": "gte", "value": 0.03},
                        {"field": "credit_ok", "op": "eq", "value": True},
                    ]
                },
                support={"kind": "fixed", "amount_wan": 1},
                instant=True,
                budget_wan=budget,
                budget_spent_wan=Decimal(0),
                revision_no=1,
            )
            db.session.add(policy)
            db.session.flush()
            db.session.add(PolicyRevision(policy_id=policy.id, number=1, content=policy.content()))
        for index in range(clients):
            enterprise = Enterprise(
                uscc=reference.make_uscc("440306", 500000 + index),
                name=f"压测企业{index}",
                registered_district="宝安区",
                industry_code="C3982",
                founded=date(2018, 5, 12),
                employees=120,
                revenue_wan=Decimal("5230.00"),
                rd_expense_wan=Decimal("310.00"),
                qualifications=[],
                credit_ok=True,
                verified=dict.fromkeys(
                    ("registered_district", "rd_expense_wan", "revenue_wan", "credit_ok"), verified
                ),
            )
            db.session.add(enterprise)
            db.session.flush()
            user = User(username=f"bench{index}", role=Role.ENTERPRISE, enterprise_id=enterprise.id)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        db.engine.dispose()


class Client:
    """One logged-in browser: its own connection and cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, float]:
        """Send one request (reconnecting when the server closed the connection); return status, body, seconds."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            if header.lower() == "connection" and value.lower() == "close":
                self.conn.close()
        return response.status, text, elapsed

    def login(self, username: str) -> str:
        """Log in through the form; return a CSRF token for later POSTs."""
        _, page, _ = self.request("GET", "/login")
        token = TOKEN.search(page).group(1)
        status, _, _ = self.request(
            "POST", "/login", {"username": username, "password": PASSWORD, "csrf_token": token}
        )
        if status != 302:
            raise SystemExit(f"login of {username} failed: HTTP {status}")
        _, page, _ = self.request("GET", "/approvals/")
        return TOKEN.search(page).group(1)


def run_phase(
    clients: list[Client], seconds: float, work, think: float = 0.0
) -> tuple[list[float], int, float]:
    """Run `work(client_index, client)` in a loop on every client for `seconds` (pausing `think` seconds between
    requests, as a person would); return latencies, errors, wall time."""
    latencies: list[list[float]] = [[] for _ in clients]
    errors = [0] * len(clients)
    start = threading.Barrier(len(clients) + 1)
    deadline = [0.0]

    def loop(index: int) -> None:
        start.wait()
        while time.perf_counter() < deadline[0]:
            outcome = work(index, clients[index])
            if outcome is None:
                return  # nothing left to do for this client
            ok, elapsed = outcome
            latencies[index].append(elapsed)
            errors[index] += not ok
            if think:
                time.sleep(think * (0.5 + random.random()))  # jitter keeps clients from marching in step

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    cpu_before = _own_cpu()
    start.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    LOAD_CPU.append((_own_cpu() - cpu_before) / wall)
    return [x for row in latencies for x in row], sum(errors), wall


# The load generator's own CPU (cores busy) per phase: on a 2-core box it competes with the server.
LOAD_CPU: list[float] = []


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def summary(name: str, latencies: list[float], errors: int, wall: float) -> dict:
    """p50/p99 in ms and requests per second."""
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "phase": name,
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / wall, 1),
        "wall_s": round(wall, 2),
        "p50_ms": round(cuts[49] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "load_generator_cores": round(LOAD_CPU[-1], 2) if LOAD_CPU else None,
    }


def main() -> None:
    """Set up, run both phases, check the database, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (gthread)")
    parser.add_argument("--policies", type=int, default=400, help="instant policies (one application each)")
    parser.add_argument(
        "--think-ms", type=float, default=200, help="pause between a client's paced applications"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_approvals")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "approvals_http.json")
    args = parser.parse_args()

    url = recreate_database(args.server, args.database)
    upload = tempfile.mkdtemp(prefix="bench-approvals-")
    env = os.environ | {
        "PORTAL_SQLALCHEMY_DATABASE_URI": url,
        "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PORTAL_RATELIMIT_ENABLED": "false",  # 50 logins from one address would hit the login limit
        "PORTAL_UPLOAD_FOLDER": upload,
        "PORTAL_POST_AUDIT_SHARE": "0.05",
    }
    subprocess.run([str(VENV_BIN / "flask"), "--app", "portal", "db", "upgrade"], env=env, check=True, cwd=ROOT,
                   capture_output=True)  # fmt: skip
    sys.path.insert(0, str(ROOT))
    seed(url, args.clients, args.policies, budget_short=True)

    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", str(args.workers), "-k", "gthread", "--threads", str(args.threads),
         "-b", f"127.0.0.1:{args.port}", "--log-level", "warning", "portal:create_app()"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                if Client(args.port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        clients = [Client(args.port) for _ in range(args.clients)]
        tokens = [client.login(f"bench{i}") for i, client in enumerate(clients)]
        next_policy = [0] * len(clients)

        def healthz(index: int, client: Client):
            status, _, elapsed = client.request("GET", "/healthz")
            return status == 200, elapsed

        def apply(index: int, client: Client):
            # Everyone first races for policy 1, whose budget covers half of them; then each client walks
            # the other policies from its own starting point, as real traffic spreads over items.
            step = next_policy[index]
            if step >= args.policies:
                return None
            next_policy[index] += 1
            policy_id = 1 if step == 0 else (index * 7 + step) % (args.policies - 1) + 2
            status, _, elapsed = client.request(
                "POST", f"/approvals/apply/{policy_id}", {"csrf_token": tokens[index]}
            )
            return status == 302, elapsed

        run_phase(clients, 1.0, healthz)  # warm-up: imports, connection pools
        health = summary("healthz", *run_phase(clients, args.seconds, healthz))
        applied = summary("apply", *run_phase(clients, args.seconds, apply))
        paced = summary("apply_paced", *run_phase(clients, args.seconds, apply, args.think_ms / 1000))
    finally:
        server.terminate()
        server.wait(timeout=30)

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        by_status = dict(conn.execute("SELECT status, count(*) FROM applications GROUP BY status").fetchall())
        overspent = conn.execute(
            "SELECT count(*) FROM policies WHERE budget_wan IS NOT NULL AND budget_spent_wan > budget_wan"
        ).fetchone()[0]
        mismatched = conn.execute(
            """SELECT count(*) FROM policies p WHERE budget_spent_wan <> (SELECT coalesce(sum(amount_wan), 0)
               FROM applications a WHERE a.policy_id = p.id AND a.status = 'approved')"""
        ).fetchone()[0]
        first = dict(
            conn.execute("SELECT status, count(*) FROM applications WHERE policy_id = 1 GROUP BY status")
        )
        duplicates = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM applications GROUP BY enterprise_id, policy_id HAVING count(*) > 1) d"
        ).fetchone()[0]
    # Only policy 1 (the first request of each client, in the saturated phase) can send anyone to review.
    approvals_per_s = round(
        (applied["requests"] - applied["errors"] - by_status.get("in_review", 0)) / applied["wall_s"], 1
    )
    result = {
        "clients": args.clients,
        "seconds": args.seconds,
        "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
        "cpus": os.cpu_count(),
        "healthz": health,
        "apply": applied,
        "apply_paced": paced | {"think_ms": args.think_ms},
        "applications": by_status,
        "approvals_per_s": approvals_per_s,
        "ratio_approvals_to_healthz": round(approvals_per_s / health["rps"], 3),
        "budget_overspent_policies": overspent,
        "budget_mismatched_policies": mismatched,
        "duplicate_applications": duplicates,
        "policy_1_race": first,  # budget for clients/2: that many approved, the rest in review
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if overspent or mismatched or duplicates or first.get("approved") != args.clients // 2:
        raise SystemExit("budget or uniqueness violated")


if __name__ == "__main__":
    main()
