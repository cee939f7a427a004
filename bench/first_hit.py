"""First hits after `make run` prints its address: login, 为我推荐 and search, each on fresh sessions.

    .venv/bin/python bench/first_hit.py [--port 5091] [--sessions 6] [--no-warm-up]

It runs `make run` on a fresh instance folder (SQLite demo data), waits for "Serving on", then at once opens
--sessions new sessions (spread over the workers) and times each one's first /policies/recommend and
/policies/?q=研发. Fails (exit 1) if any first hit is slower than --limit seconds (1.0).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _session(base: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path: str) -> tuple[int, str, float]:
        started = time.perf_counter()
        with opener.open(base + path, timeout=60) as response:
            body = response.read().decode()
            return response.status, body, time.perf_counter() - started

    def login(username: str, password: str) -> float:
        _, page, _ = get("/login")
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrf_token": TOKEN.search(page).group(1)}
        ).encode()
        started = time.perf_counter()
        with opener.open(base + "/login", data=data, timeout=60) as response:
            response.read()
        return time.perf_counter() - started

    return get, login


def main() -> int:
    """Start the server, time the first hits, stop the server; print one line per hit and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5091)
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--limit", type=float, default=1.0)
    parser.add_argument(
        "--no-warm-up", action="store_true", help="PORTAL_WARM_UP=0, to show what warming saves"
    )
    args = parser.parse_args()

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
        ["make", "--no-print-directory", "-o", ".venv/.installed", "run", f"PORT={args.port}"],
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
        base = f"http://127.0.0.1:{args.port}"
        worst = 0.0
        for n in range(args.sessions):
            get, login = _session(base)
            seconds = {"login": login("enterprise", "demo-enterprise-2026")}
            status, _, seconds["recommend"] = get("/policies/recommend")
            assert status == 200, status
            status, body, seconds["search"] = get("/policies/?q=" + urllib.parse.quote("研发"))
            assert status == 200, status
            worst = max(worst, seconds["recommend"], seconds["search"])
            print(f"session {n + 1}: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in seconds.items()))
        verdict = "ok" if worst <= args.limit else "SLOW"
        print(
            f"worst first recommend/search: {worst * 1000:.0f} ms (limit {args.limit * 1000:.0f} ms) {verdict}"
        )
        return 0 if worst <= args.limit else 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
