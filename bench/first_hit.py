"""First hits after `make run` prints its address: every main page of every role, and 为我推荐/search per session.

    .venv/bin/python bench/first_hit.py [--port 0] [--sessions 6] [--repeat 3] [--limit 1.0] [--no-warm-up]

It runs `make run` (gunicorn as the Makefile starts it) on a fresh instance folder (SQLite demo data), waits for
"Serving on", then at once
1. opens --sessions new enterprise sessions (new connections, spread over the workers) and times each one's
   first /policies/recommend and /policies/?q=研发 — the pages that used to pay for warming up (issue 9 bug 9);
2. for each role (anonymous, enterprise, official, bank, admin) logs in once and times the first request to
   every page its navigation bar links to, plus the first detail page each of those lists (a policy, an
   application, a financing request) and the pages that take a query (search, 政策问答), then --repeat more
   requests to the same page: the table gives the first hit, the median of the repeats and their ratio.
Fails (exit 1) if any first hit is slower than --limit seconds, or any page answers other than 200.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.demo import DEMO_ACCOUNTS  # noqa: E402  (the demo passwords, in one place)

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
NAV = re.compile(r"<nav\b.*?</nav>", re.S)
HREF = re.compile(r'href="(/[^"#]*)"')
# Detail pages: the first link of each kind found on a role's main pages is timed too.
DETAILS = (
    re.compile(r"^/policies/\d+$"),
    re.compile(r"^/approvals/\d+$"),
    re.compile(r"^/finance/requests/\d+$"),
    re.compile(r"^/finance/bank/requests/\d+$"),
    re.compile(r"^/parks/\d+$"),
)
QUERIES = {  # pages whose work starts with a query (the catalog needs a login: none for anonymous)
    "enterprise": [
        "/policies/?q=" + urllib.parse.quote("新办企业"),
        "/ask/?q=" + urllib.parse.quote("研发费用能补多少？"),
    ],
    "official": ["/policies/?q=" + urllib.parse.quote("高新技术企业认定")],
}
SKIP = re.compile(r"^/(static/|logout|favicon)|\.(csv|xlsx)(\?|$)")
PASSWORDS = {username: password for username, password, _, _ in DEMO_ACCOUNTS}


class Session:
    """A cookie jar and its opener: one browser, as the server sees it (a new connection per request)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, str, float]:
        """(status, final path, body, seconds) of one GET, redirects followed."""
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                body = response.read().decode("utf-8", "replace")
                status, url = response.status, response.url
        except urllib.error.HTTPError as exc:
            body, status, url = exc.read().decode("utf-8", "replace"), exc.code, exc.url
        except TimeoutError:
            body, status, url = "", 504, self.base + path  # reported in the table, not a crash
        return status, urllib.parse.urlsplit(url).path, body, time.perf_counter() - started

    def login(self, username: str) -> float:
        """Log in through the form; seconds the POST took. Raises if the login did not take."""
        _, _, page, _ = self.get("/login")
        data = {
            "username": username,
            "password": PASSWORDS[username],
            "csrf_token": TOKEN.search(page).group(1),
        }
        started = time.perf_counter()
        with self.opener.open(
            self.base + "/login", data=urllib.parse.urlencode(data).encode(), timeout=120
        ) as r:
            r.read()
            landed = urllib.parse.urlsplit(r.url).path
        if landed == "/login":
            raise RuntimeError(f"the demo login of {username} failed")
        return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _per_session(base: str, sessions: int) -> list[tuple[str, float]]:
    """Phase 1: first 为我推荐 and first search of fresh enterprise sessions."""
    hits = []
    for n in range(sessions):
        session = Session(base)
        seconds = {"login": session.login("enterprise")}
        for name, path in (
            ("recommend", "/policies/recommend"),
            ("search", "/policies/?q=" + urllib.parse.quote("研发")),
        ):
            status, landed, _, seconds[name] = session.get(path)
            if status != 200 or landed == "/login":
                raise RuntimeError(f"{path}: {status} at {landed}")
            hits.append((name, seconds[name]))
        print(f"session {n + 1}: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in seconds.items()))
    return hits


def _role_pages(session: Session, role: str) -> list[str]:
    """The pages the role's navigation bar links to, home first, then its query pages."""
    _, _, home, _ = session.get("/")
    nav = NAV.search(home)
    links = ["/"] + [h for h in HREF.findall(nav.group(0) if nav else home) if not SKIP.search(h)]
    return list(dict.fromkeys(links + QUERIES.get(role, [])))


def _time_page(session: Session, path: str, repeat: int) -> tuple[int, str, float, float, str]:
    """(status, landed, first seconds, median of the repeats, body of the first) for one page."""
    status, landed, body, first = session.get(path)
    again = [session.get(path)[3] for _ in range(repeat)]
    return status, landed, first, statistics.median(again) if again else float("nan"), body


def _every_page(base: str, repeat: int) -> list[tuple[str, str, int, float, float]]:
    """Phase 2: per role, the first and the repeated hit of every main page and one detail page of each kind."""
    rows = []
    for role in ("anonymous", "enterprise", "official", "bank", "admin"):
        session = Session(base)
        if role != "anonymous":
            session.login(role)
        pages = _role_pages(session, role)
        seen_kinds: set[int] = set()
        queue = list(pages)
        while queue:
            path = queue.pop(0)
            status, landed, first, warm, body = _time_page(session, path, repeat)
            if landed == "/login" and path != "/login":
                status = 401  # redirected to the login page: not the page asked for
            rows.append((role, path, status, first, warm))
            # As it goes (stderr): a run cut short still shows what it measured.
            print(
                f"  {role} {urllib.parse.unquote(path)} {status} first {first * 1000:.0f} ms, warm {warm * 1000:.0f} ms",
                file=sys.stderr,
                flush=True,
            )
            for href in HREF.findall(body):
                for kind, pattern in enumerate(DETAILS):
                    if kind not in seen_kinds and pattern.match(href) and href not in pages:
                        seen_kinds.add(kind)
                        queue.append(href)
    return rows


def main() -> int:
    """Start the server, time the first hits, stop the server; print the table and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3, help="warm requests per page after the first")
    parser.add_argument("--limit", type=float, default=1.0)
    parser.add_argument(
        "--no-warm-up", action="store_true", help="PORTAL_WARM_UP=0, to show what warming saves"
    )
    args = parser.parse_args()
    port = args.port or _free_port()
    # A SIGTERM (e.g. from `timeout`) still runs the finally below, which stops the server's process group.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))

    instance = Path(tempfile.mkdtemp(prefix="portal-first-hit-"))
    (instance / "secret_key").write_text(secrets.token_hex(32))
    env = os.environ | {
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_RATELIMIT_ENABLED": "false",
        "PORTAL_WARM_UP": "0" if args.no_warm_up else "1",
        "PROMETHEUS_MULTIPROC_DIR": str(instance / "metrics"),
    }
    server = subprocess.Popen(
        # -o: a shared (symlinked) virtualenv has no .installed stamp; do not try to rebuild it.
        ["make", "--no-print-directory", "-o", ".venv/.installed", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    started = time.perf_counter()
    try:
        for line in server.stdout:
            if "Serving on" in line:
                break
            if "warm-up" in line:
                print("server:", line.strip()[-160:])
        else:
            print("server exited before serving", file=sys.stderr)
            return 2
        print(f"server ready {time.perf_counter() - started:.1f} s after `make run`")
        base = f"http://127.0.0.1:{port}"
        hits = _per_session(base, args.sessions)
        rows = _every_page(base, args.repeat)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    print()
    print(f"| role | page | status | first hit | warm (median of {args.repeat}) | first / warm |")
    print("|---|---|---|---:|---:|---:|")
    for role, path, status, first, warm in rows:
        print(
            f"| {role} | `{urllib.parse.unquote(path)}` | {status} | {first * 1000:.0f} ms | {warm * 1000:.0f} ms "
            f"| {first / warm:.1f} |"
        )
    firsts = [first for *_, first, _ in rows]
    bad = [(role, path, status) for role, path, status, *_ in rows if status != 200]
    worst_page = max(rows, key=lambda r: r[3])
    worst_session = max(seconds for _, seconds in hits)
    print()
    print(
        f"{len(rows)} pages: median first hit {statistics.median(firsts) * 1000:.0f} ms, "
        f"worst {worst_page[3] * 1000:.0f} ms ({worst_page[0]} {urllib.parse.unquote(worst_page[1])}); "
        f"worst first recommend/search of {args.sessions} fresh sessions {worst_session * 1000:.0f} ms"
    )
    slow = worst_page[3] > args.limit or worst_session > args.limit
    print(f"limit {args.limit * 1000:.0f} ms: {'SLOW' if slow else 'ok'}; pages not 200: {bad or 'none'}")
    return 1 if slow or bad else 0


if __name__ == "__main__":
    sys.exit(main())
