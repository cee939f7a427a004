"""Error pages (Chinese HTML) and JSON errors under /api/; the 500 handler rolls the session back."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db

MESSAGES = {
    400: "请求有误。",
    401: "需要登录或有效的访问令牌。",
    403: "您没有权限访问此页面。",
    404: "页面不存在，或您无权查看。",
    405: "不支持该请求方法。",
    413: "上传的文件过大。",
    422: "提交的数据无效。",
    429: "请求过于频繁，请稍后再试。",
    500: "服务器内部错误，请稍后再试。",
}
CSRF_MESSAGE = "表单安全令牌缺失或已过期，请刷新页面后重新提交。"


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(exc: HTTPException):
    """Render an HTTP error as a Chinese page, or as JSON under /api/."""
    code = exc.code or 500
    if code >= 500:
        db.session.rollback()
    # Our own aborts may carry a specific message; werkzeug's English defaults are replaced.
    custom = exc.description if exc.description and exc.description != type(exc).description else None
    if isinstance(exc, CSRFError):
        custom = CSRF_MESSAGE  # Flask-WTF's reasons are English ("The CSRF token is missing.")
    message = custom or MESSAGES.get(code, exc.name)
    # Keep the exception's own headers: Allow on 405, WWW-Authenticate on 401.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if _wants_json():
        return jsonify(error=exc.name, status=code, message=message), code, headers
    return render_template("error.html", code=code, message=message), code, headers


def handle_unexpected(exc: Exception):
    """Any uncaught exception: roll back, log, answer 500."""
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.testing:
        # In tests an exception should fail loudly instead of turning into a page.
        app.register_error_handler(Exception, handle_unexpected)
