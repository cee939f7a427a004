"""Visit every page of every role on a running portal and report p50/p95 per page.

    .venv/bin/python bench/crawl.py [--db baoan] [--port 5077] [--repeat 20] [--out bench/results/crawl.json]

Starts the portal as `make run` does (gunicorn with gunicorn.conf.py, PORTAL_DATABASE_URL to the database filled
by bench/scale_db.py; workers and threads from gunicorn.conf.py unless WEB_CONCURRENCY / WEB_THREADS are set),
logs in as the four demo accounts (a bank API token is created first for the JSON API), then per page: one first
visit, then --repeat timed visits, one at a time (latency, not throughput). Ids in URLs (a policy, an application,
a park, a financing request, a message) are taken from the database so the pages show real, full records.
It is served as a deployment at this scale runs: with PORTAL_REDIS_URL set (jobs on RQ), so the pages read the
dashboard snapshot the scheduled job keeps fresh; the job is run once before the server starts (`flask jobs run
dashboard`, 38 s at 1M firms) and no worker runs during the measurement (its refresh every 5 minutes would be one
core for those seconds). Pass --url to crawl a portal that is already running. Prints a table; target: every p95 ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACCOUNTS = {
    "enterprise": ("enterprise", "demo-firm-2026"),
    "official": ("official", "demo-district-2026"),
    "bank": ("bank", "demo-lender-2026"),
    "admin": ("admin", "demo-keeper-2026"),
}


def pct(xs: list[float], q: float) -> float:
    """The q-quantile of xs (nearest rank), in the unit of xs."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * len(xs)) - 1))]


def ids(db: str) -> dict:
    """Record ids the crawl visits: a synthetic policy, the demo enterprise's records, a big park, …."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db}") as conn:

        def one(sql: str, *args):
            row = conn.execute(sql, args).fetchone()
            return row[0] if row else None

        firm = one("SELECT enterprise_id FROM users WHERE username = 'enterprise'")
        bank = one("SELECT bank_id FROM users WHERE username = 'bank'")
        return {
            "policy": one("SELECT max(id) FROM policies WHERE status = 'published'"),
            "draft": one("SELECT min(id) FROM policies WHERE status = 'draft'")
            or one("SELECT max(id) FROM policies"),
            "instant": one("SELECT max(id) FROM policies WHERE instant AND status = 'published'"),
            "busy_policy": one(
                "SELECT policy_id FROM applications WHERE status = 'in_review' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
            ),
            "application": one("SELECT max(id) FROM applications"),
            "my_application": one("SELECT max(id) FROM applications WHERE enterprise_id = %s", firm),
            "park": one("SELECT min(id) FROM virtual_parks"),
            "parks": [r[0] for r in conn.execute("SELECT id FROM virtual_parks ORDER BY id").fetchall()],
            "note": one("SELECT max(id) FROM notifications WHERE enterprise_id = %s", firm),
            "my_request": one("SELECT max(id) FROM financing_requests WHERE enterprise_id = %s", firm),
            "bank_request": one(
                "SELECT max(request_id) FROM financing_routes WHERE bank_id = %s AND status = 'offered'",
                bank,
            ),
            "bank": bank,
        }


def api_token(url: str) -> str:
    """A fresh API token for the demo bank, written through the finance service (as the tokens page does)."""
    from sqlalchemy import select

    from portal import create_app
    from portal.extensions import db
    from portal.finance import services
    from portal.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        bank_user = db.session.scalar(select(User).where(User.username == "bank"))
        _token, plain = services.create_token(actor=bank_user, name=f"crawl {time.time():.0f}")
        db.session.commit()
    return plain


def pages(k: dict) -> dict[str, list[tuple[str, str]]]:
    """(label, path) per role: every page of the role, with the filters and deep pages that cost the most."""
    p, busy = k["policy"], k["busy_policy"] or k["policy"]
    common = [
        ("home", "/"),
        ("catalog", "/policies/"),
        ("catalog page 100", "/policies/?page=100"),
        ("search 研发", "/policies/?q=研发"),
        ("search 研发 page 20", "/policies/?q=研发&page=20"),
        ("search 专精特新 奖励", "/policies/?q=专精特新+奖励"),
        ("catalog category", "/policies/?category=资金奖励"),
        ("policy detail", f"/policies/{p}"),
        ("parks", "/parks"),
    ]
    parks = [(f"park {i}", f"/parks/{pid}") for i, pid in enumerate(k["parks"][:3], 1)]
    return {
        "enterprise": [
            *common,
            ("为我推荐", "/policies/recommend"),
            ("inbox", "/policies/inbox"),
            ("inbox page 100", "/policies/inbox?page=100"),
            ("message", f"/policies/inbox/{k['note']}"),
            ("settings", "/policies/settings"),
            ("my applications", "/approvals/"),
            ("my application", f"/approvals/{k['my_application']}"),
            ("apply form", f"/approvals/apply/{k['instant']}/form"),
            ("financing requests", "/finance/requests"),
            ("financing request", f"/finance/requests/{k['my_request']}"),
            ("new financing request", "/finance/requests/new"),
            ("profile", "/profile"),
            ("alerts", "/alerts/"),
            ("recap", "/exports/recap"),
        ],
        "official": [
            *common,
            ("dashboard", "/dashboard"),
            ("queue", "/approvals/queue"),
            ("queue in review", "/approvals/queue?status=in_review"),
            ("queue approved", "/approvals/queue?status=approved"),
            ("queue one policy", f"/approvals/queue?policy={busy}"),
            ("queue waiting ≥ 30 d", "/approvals/queue?age=30"),
            ("queue page 50", "/approvals/queue?status=approved&page=50"),
            ("application", f"/approvals/{k['application']}"),
            ("audits", "/approvals/audits"),
            ("grants", "/approvals/grants"),
            *parks,
            ("sandbox", f"/policies/{p}/sandbox"),
            ("edit policy", f"/policies/{p}/edit"),
            ("revisions", f"/policies/{p}/revisions"),
            ("new policy", "/policies/new"),
            ("scorecards", "/finance/scorecards"),
        ],
        "bank": [
            ("home", "/"),
            ("bank feed", "/finance/bank/feed"),
            ("bank feed page 50", "/finance/bank/feed?page=50"),
            ("bank request", f"/finance/bank/requests/{k['bank_request']}"),
            ("products", "/finance/bank/products"),
            ("tokens", "/finance/bank/tokens"),
            ("parks", "/parks"),
        ],
        "admin": [
            ("home", "/"),
            ("dashboard", "/dashboard"),
            ("users", "/admin/users"),
            ("activation codes", "/admin/activation-codes"),
            ("import", "/admin/import"),
            ("parks", "/parks"),
            ("park edit", f"/admin/parks/{k['park']}/edit"),
        ],
        "api": [
            ("api feed", "/api/v1/feed"),
            ("api feed since", "/api/v1/feed?limit=100"),
            ("api request", f"/api/v1/requests/{k['bank_request']}"),
            ("openapi", "/api/v1/openapi.json"),
        ],
    }


def login(base: str, role: str) -> requests.Session:
    """A session logged in as the role's demo account (CSRF token read from the form)."""
    session = requests.Session()
    form = session.get(f"{base}/login", timeout=60).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    user, password = ACCOUNTS[role]
    answer = session.post(
        f"{base}/login",
        data={"csrf_token": token, "username": user, "password": password},
        timeout=60,
        allow_redirects=False,
    )
    assert answer.status_code in (302, 303), f"login {role}: {answer.status_code}"
    return session


def start(db: str, port: int) -> subprocess.Popen:
    """gunicorn as `make run` starts it, against the scale database; wait until it serves."""
    database = f"postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
    # The scheduled job's work, done once before serving (inline: no REDIS_URL for this one command).
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "portal", "jobs", "run", "dashboard"],
        cwd=ROOT,
        env={**os.environ, "PORTAL_DATABASE_URL": database},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": database,
        "PORTAL_REDIS_URL": os.environ.get("PORTAL_REDIS_URL", "redis://127.0.0.1:6379/8"),
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "PORTAL_SECRET_KEY": os.environ.get("PORTAL_SECRET_KEY", "crawl-" + os.urandom(16).hex()),
        # The crawl logs in four times a run and repeats: the per-address throttle must not lock it out.
        "PORTAL_LOGIN_RATE_LIMIT": json.dumps("1000 per minute"),
    }
    log = open(ROOT / "instance" / f"crawl-{port}.log", "w")  # noqa: SIM115  (lives as long as the server)
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py", "portal:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(600):
        if proc.poll() is not None:  # first: another server on the port would answer /readyz for us
            raise SystemExit(f"gunicorn exited, see instance/crawl-{port}.log")
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not become ready")


def crawl(base: str, plan: dict, repeat: int, token: str) -> list[dict]:
    """First visit and `repeat` timed visits per page; a non-2xx answer is reported, not timed away."""
    rows = []
    for role, entries in plan.items():
        if role == "api":
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
        else:
            session = login(base, role)
        for label, path in entries:
            times, status = [], None
            for k in range(repeat + 1):
                started = time.perf_counter()
                answer = session.get(base + path, timeout=120, allow_redirects=False)
                spent = (time.perf_counter() - started) * 1000
                status = answer.status_code
                if k == 0:
                    first = spent
                else:
                    times.append(spent)
            row = {
                "role": role,
                "page": label,
                "path": path,
                "status": status,
                "first_ms": round(first, 1),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(pct(times, 0.95), 1),
            }
            rows.append(row)
            flag = (
                ""
                if row["p95_ms"] <= 500 and status < 400
                else "  <-- over 500 ms"
                if status < 400
                else "  <-- HTTP"
            )
            print(
                f"| {role:10} | {label:22} | {status} | {row['first_ms']:8.1f} | {row['p50_ms']:8.1f} | "
                f"{row['p95_ms']:8.1f} |{flag}",
                flush=True,
            )
    return rows


def main() -> None:
    """Start the portal (unless --url), crawl, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="baoan")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--url", help="a running portal (its database must be --db)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", help="comma-separated roles")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "crawl.json"))
    args = parser.parse_args()
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"
    plan = pages(ids(args.db))
    if args.only:
        plan = {r: v for r, v in plan.items() if r in args.only.split(",")}
    token = api_token(url)
    if not args.port:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    proc = None if args.url else start(args.db, args.port)
    base = args.url or f"http://127.0.0.1:{args.port}"
    try:
        print("| role | page | status | first ms | p50 ms | p95 ms |\n|---|---|---|---|---|---|")
        rows = crawl(base, plan, args.repeat, token)
    finally:
        if proc:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
    over = [r for r in rows if r["p95_ms"] > 500 or r["status"] >= 400]
    print(f"{len(rows)} pages, {len(over)} over 500 ms p95 or failing")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"db": args.db, "repeat": args.repeat, "pages": rows}, indent=1))


if __name__ == "__main__":
    main()
