"""The request edge: what every request must pass before a view runs, and what every response carries.

- Input: NUL bytes, lone surrogates, control characters in URLs and headers, JSON nested too deep or holding
  NaN/Infinity, and numbers written with non-ASCII digits are refused with 400 and a Chinese message, for every
  route at once (portal.inputcheck says what is refused).
- Ids in URLs use the `id` converter, bounded to the database's integer range, so a huge id is a 404 rather
  than an integer overflow in the driver.
- Body size: one limit per route (IMPORT_MAX_BYTES for the data import, UPLOAD_MAX_BYTES for attachments,
  MAX_CONTENT_LENGTH for the rest).
- Security headers on every response (CSP own origin only, no framing, nosniff, Referrer-Policy; HSTS behind TLS).
"""

from __future__ import annotations

import json

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter

from portal import inputcheck

# PostgreSQL `integer`: every primary key is one.
MAX_ID = 2**31 - 1
MAX_PAGE = 10_000

# Endpoints whose request body may be larger than MAX_CONTENT_LENGTH, and the setting that bounds each.
BODY_LIMITS = {
    "main.data_import": lambda config: config["IMPORT_MAX_BYTES"],
    "approvals.apply_form": lambda config: config["UPLOAD_MAX_BYTES"] * config["UPLOAD_MAX_FILES"],
}
FORM_FIELDS_ALLOWANCE = 64 * 1024  # room for the form's other fields and multipart framing
# Headers a view or extension reads; a control character in one could reach a log line or a redirect.
CHECKED_HEADERS = (
    "Host",
    "Authorization",
    "Referer",
    "Origin",
    "User-Agent",
    "X-Forwarded-For",
    "Content-Type",
)


class IdConverter(IntegerConverter):
    """A record id in a URL: 1 to the largest PostgreSQL integer; anything else does not match (404)."""

    def __init__(self, map, **kwargs):
        super().__init__(map, min=1, max=MAX_ID, **kwargs)


def page_number() -> int:
    """The `?page=` argument: 1 when absent, 400 when it is not a whole number from 1 to MAX_PAGE."""
    raw = request.args.get("page", "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        abort(400, description=f"页码应为 1 到 {MAX_PAGE} 之间的整数。")
    return int(raw)


def _refuse(where: str, problem: str):
    abort(400, description=f"请求被拒绝：{where}{problem}。")


def check_input():
    """Refuse bad text anywhere in the request (query, form, file names, JSON body, headers) with 400."""
    body_limit = BODY_LIMITS.get(request.endpoint or "")
    if body_limit:
        # The per-route limit replaces MAX_CONTENT_LENGTH for this request; werkzeug answers 413 above it.
        request.max_content_length = body_limit(current_app.config) + FORM_FIELDS_ALLOWANCE
    for name in CHECKED_HEADERS:
        value = request.headers.get(name)
        if value and (problem := inputcheck.text_problem(value, single_line=True)):
            _refuse(f"请求头 {name} ", problem)
    for name, value in request.args.items(multi=True):
        problem = inputcheck.text_problem(name, single_line=True) or inputcheck.text_problem(
            value, single_line=True
        )
        if problem:
            _refuse(f"查询参数 {name[:30]!r} ", problem)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json:
        raw = request.get_data(cache=True)
        try:
            value = json.loads(raw, parse_constant=inputcheck.refuse_constant)
        except RecursionError:
            _refuse("JSON 请求体", f"嵌套层级超过 {inputcheck.MAX_JSON_DEPTH} 层")
        except inputcheck.NotFiniteError:
            _refuse("JSON 请求体", "数字必须是有限数（不接受 NaN、Infinity）")
        except ValueError:
            return  # not JSON at all: the view answers that with its own message
        if problem := inputcheck.value_problem(value):
            _refuse("JSON 请求体", problem)
        return
    for name, value in request.form.items(multi=True):
        problem = inputcheck.text_problem(name, single_line=True) or inputcheck.text_problem(value)
        if problem:
            _refuse(f"表单字段 {name[:30]!r} ", problem)
    for name, upload in request.files.items(multi=True):
        if upload.filename and (problem := inputcheck.text_problem(upload.filename, single_line=True)):
            _refuse(f"上传文件名（{name[:30]}）", problem)


def content_security_policy() -> str:
    """The CSP: scripts, styles, images and forms from the portal's own origin only; no framing."""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )


def security_headers(response):
    """Add the security headers to every response (HSTS only when the deployment says it is behind TLS)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("BEHIND_TLS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    """Register the id converter, the input check (first of all before_request hooks) and the headers."""
    app.url_map.converters["id"] = IdConverter
    # First in line, so no other hook (visit counter, API token lookup) reads unchecked input.
    app.before_request_funcs.setdefault(None, []).insert(0, check_input)
    app.after_request(security_headers)
    if app.config.get("BEHIND_TLS"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
