"""Browser tests: the app served on a free port with demo data, driven by Debian's Chromium through Playwright.

Skipped with a reason when /usr/bin/chromium or Playwright is missing (never `playwright install`: no download).
A failing test leaves a screenshot in tests/browser/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SHOTS = HERE / "screenshots"
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the dev requirements pin it
    sync_playwright = None

if sync_playwright is None or not Path(CHROMIUM).exists():
    pytestmark = pytest.mark.skip(reason=f"browser tests need Playwright and Chromium at {CHROMIUM}")


def pytest_collection_modifyitems(config, items):
    """Skip every browser test with a reason when the browser is absent."""
    if sync_playwright is None or not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"browser tests need Playwright and Chromium at {CHROMIUM}")
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a free port, on a temporary SQLite database migrated and seeded with the demo data."""
    tmp = tmp_path_factory.mktemp("browser")
    env = os.environ | {
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp / 'portal.sqlite'}",
        "PORTAL_SECRET_KEY": "browser-test-secret",
        "PORTAL_INSTANCE_PATH": str(tmp / "instance"),
        "PORTAL_UPLOAD_FOLDER": str(tmp / "uploads"),
        "PORTAL_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        "PORTAL_RATELIMIT_ENABLED": "false",
    }
    flask = [sys.executable, "-m", "flask", "--app", "portal"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        flask + ["run", "--port", str(port), "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the app server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the test item (for the screenshot on failure)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, live_server, request, helpers):
    """A fresh browser context and page; JavaScript errors are collected; a screenshot is kept on failure."""
    # bypass_csp: axe-core is injected by the test; the app's own pages must not need it.
    context = browser.new_context(base_url=live_server, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.js_errors = []
    page.helpers = helpers
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def helpers():
    """The journey helpers: login(page, username, password) and axe_violations(page)."""

    class Helpers:
        login = staticmethod(login)
        axe_violations = staticmethod(axe_violations)

    return Helpers


def demo_login(page, username: str, password: str | None = None) -> None:
    """Log in as a demo account (or with `password`), afresh: one page may play several roles in turn."""
    from portal.demo import DEMO_ACCOUNTS

    page.context.clear_cookies()
    login(page, username, password or {u: p for u, p, _, _ in DEMO_ACCOUNTS}[username])
    assert "/login" not in page.url, f"the login of {username} failed"


def assert_accessible(page) -> None:
    """The current page has no serious or critical WCAG 2.1 A/AA violation."""
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: " + "; ".join(violations)


def login(page, username: str, password: str) -> None:
    """Log in through the form, as a user would."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the current page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
