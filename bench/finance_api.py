"""The banks' feed API over HTTP: gunicorn on PostgreSQL, N concurrent token clients vs /healthz, same run.

    .venv/bin/python bench/finance_api.py [--clients 50] [--seconds 10] [--requests 50] [--workers 5] [--threads 2]

Creates (drops first) its own database `bench_finance`, migrates it with `flask db upgrade`, seeds the demo data
(`flask seed-demo`) plus one bank with a wide product and `--requests` financing requests routed to it (each from
its own enterprise, consent limited to that bank), and an API token; starts gunicorn (gthread) on the app with the
API blueprint, then runs three phases with the same keep-alive clients (Python threads, http.client):
/healthz (one SELECT 1), GET /api/v1/feed (the routed feed: token lookup, one query, JSON), and
GET /api/v1/requests/<id> (one request with consented data; writes the view log and commits).
Reports p50/p99 and requests/s per phase and the ratio feed ÷ healthz. Results: bench/results/finance_api.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from approvals_http import recreate_database, run_phase, summary  # noqa: E402  (shared HTTP harness)

VENV_BIN = ROOT / ".venv" / "bin"


def server():
    """The gunicorn app."""
    from portal import create_app

    return create_app()


def seed(url: str, requests: int) -> tuple[str, list[int]]:
    """A bench bank with one wide product, `requests` requests routed to it; → (token, request ids)."""
    from portal import create_app
    from portal.extensions import db
    from portal.finance import services
    from portal.models import Bank, Enterprise, Role, User
    from portal.timeutil import today

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "seed"})
    with app.app_context():
        bank = Bank(name="压测银行", short_name="压测银行")
        db.session.add(bank)
        db.session.flush()
        staff = User(username="bench-bank", display_name="压测银行 客户经理", role=Role.BANK, bank_id=bank.id)
        staff.set_password("bench-password-2026")
        db.session.add(staff)
        db.session.flush()
        services.save_product(
            None, actor=staff, name="压测信用贷", kind="信用贷", amount_min_wan=Decimal(1),
            amount_max_wan=Decimal(100000), term_min_months=1, term_max_months=360, rate_min=Decimal("3"),
            rate_max=Decimal("6"), conditions_data={"all": [{"field": "credit_ok", "op": "eq", "value": True}]},
        )  # fmt: skip
        firms = db.session.scalars(
            db.select(Enterprise)
            .where(Enterprise.credit_ok.is_(True))
            .order_by(Enterprise.id)
            .limit(requests)
        ).all()
        ids = []
        for i, firm in enumerate(firms):
            owner = User(
                username=f"bench-ent-{i}", role=Role.ENTERPRISE, enterprise_id=firm.id, display_name=firm.name
            )
            owner.set_password("bench-password-2026")
            db.session.add(owner)
            db.session.flush()
            request = services.create_request(
                actor=owner, amount_wan=Decimal(100 + 10 * i), term_months=24, purpose="补充流动资金（压测）",
                collateral="无（信用）", max_rate=Decimal("5"), consent_bank_ids=[bank.id],
                consent_groups=["基本信息", "经营财务", "资质信用"], consent_until=today() + timedelta(days=30),
            )  # fmt: skip
            assert [r.bank_id for r in request.routes] == [bank.id], "bench request was not routed"
            ids.append(request.id)
        _, plain = services.create_token(actor=staff, name="压测")
        db.session.commit()
        db.engine.dispose()
    return plain, ids


class TokenClient:
    """One bank system: a keep-alive connection and its bearer token."""

    def __init__(self, port: int, token: str):
        self.port, self.headers = port, {"Authorization": f"Bearer {token}"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str) -> tuple[int, bytes, float]:
        """GET a path (reconnecting once if the server closed the connection); → status, body, seconds."""
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request("GET", path, headers=self.headers)
                response = self.conn.getresponse()
                body = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        return response.status, body, time.perf_counter() - started


def main() -> None:
    """Set up, run the three phases, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--requests", type=int, default=50, help="requests routed to the bench bank (feed size)"
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=5817)
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    url = recreate_database(args.server, "bench_finance")
    env = os.environ | {"PORTAL_SQLALCHEMY_DATABASE_URI": url, "PORTAL_SECRET_KEY": "bench-finance"}
    flask = [str(VENV_BIN / "flask"), "--app", "portal"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*flask, "seed-demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    token, request_ids = seed(url, args.requests)

    gunicorn = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", str(args.workers), "-k", "gthread", "--threads", str(args.threads),
         "-b", f"127.0.0.1:{args.port}", "--pythonpath", str(ROOT), "--log-level", "warning",
         "finance_api:server()"],
        env=env | {"PYTHONPATH": str(ROOT / "bench")}, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                probe = TokenClient(args.port, token)
                if probe.get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        status, body, _ = TokenClient(args.port, token).get("/api/v1/feed")
        items = json.loads(body)["items"]
        assert status == 200 and len(items) == len(request_ids), (status, body[:200])
        clients = [TokenClient(args.port, token) for _ in range(args.clients)]

        def fetch(path_of):
            def work(index: int, client: TokenClient):
                status, _, elapsed = client.get(path_of(index))
                return status == 200, elapsed

            return work

        results = []
        for name, path_of in (
            ("/healthz", lambda i: "/healthz"),
            ("GET /api/v1/feed", lambda i: "/api/v1/feed"),
            ("GET /api/v1/requests/<id> (logged view)", lambda i: f"/api/v1/requests/{request_ids[i % len(request_ids)]}"),
        ):  # fmt: skip
            fetch(path_of)(0, clients[0])  # warm the workers' connection pools
            latencies, errors, wall = run_phase(clients, args.seconds, fetch(path_of))
            results.append(summary(name, latencies, errors, wall))
            print(json.dumps(results[-1], ensure_ascii=False))
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    ratio = results[1]["rps"] / results[0]["rps"]
    print(f"feed requests/s ÷ healthz requests/s = {ratio:.2f} (feed of {len(request_ids)} requests)")
    out = ROOT / "bench" / "results" / "finance_api.json"
    out.parent.mkdir(exist_ok=True)
    payload = {
        "clients": args.clients,
        "seconds": args.seconds,
        "feed_size": len(request_ids),
        "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
        "load_average": os.getloadavg(),
        "phases": results,
        "ratio_feed_to_healthz": round(ratio, 2),
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
