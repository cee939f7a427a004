"""Security headers on every response, and templates the Content-Security-Policy does not break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.models import Role

PORTAL = Path(__file__).resolve().parent.parent / "portal"
# What a CSP without 'unsafe-inline' refuses: inline <script> code, on* handlers, style attributes, javascript: URLs.
INLINE = re.compile(
    r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I
)


def _assert_headers(response, where) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, where
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp, where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where


def test_headers_on_pages_errors_static_and_api(client, auth, create_user):
    auth.login(create_user(Role.OFFICIAL))
    for path in (
        "/",
        "/policies/",
        "/dashboard",
        "/healthz",
        "/nowhere",
        "/static/portal.css",
        "/api/v1/feed",
    ):
        _assert_headers(client.get(path), path)
    _assert_headers(client.delete("/login"), "405")
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_no_inline_script_handler_or_style_in_templates():
    offenders = [
        f"{path.relative_to(PORTAL)}: {match.group(0)}"
        for path in PORTAL.rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("path", ["/", "/dashboard", "/policies/", "/admin/users", "/parks"])
def test_rendered_pages_have_no_inline_code(client, auth, create_user, path):
    auth.login(create_user(Role.ADMIN))
    response = client.get(path)
    assert response.status_code == 200
    assert INLINE.findall(response.get_data(as_text=True)) == []


def test_behind_tls_sends_hsts_and_secure_cookies(make_app, create_user):
    username = create_user(Role.OFFICIAL).username
    client = make_app(BEHIND_TLS=True).test_client()
    response = client.post("/login", data={"username": username, "password": "correct-horse-9"})
    assert response.status_code == 302
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c for c in cookies)


def test_without_tls_cookies_are_not_secure(client, create_user):
    user = create_user(Role.OFFICIAL)
    response = client.post("/login", data={"username": user.username, "password": "correct-horse-9"})
    assert all("Secure" not in c for c in response.headers.getlist("Set-Cookie"))
