"""Operations seams: readiness, request ids, JSON logs, Prometheus metrics and the worker warm-up.

Metrics use prometheus_client; under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before the app is
imported so every worker writes its samples to files that /metrics merges.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, abort, current_app, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import text

from portal.extensions import db

bp = Blueprint("ops", __name__)
log = logging.getLogger("portal.request")

REQUEST_SECONDS = Histogram(
    "portal_request_duration_seconds",
    "Time to answer a request, by endpoint.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0),
)
REQUESTS = Counter(
    "portal_requests_total", "Requests answered, by endpoint and status.", ["endpoint", "status"]
)
JOB_SECONDS = Histogram(
    "portal_job_duration_seconds",
    "Time a background job ran, by job and outcome.",
    ["job", "outcome"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
)

# A caller's id is echoed only if it is short and plain, so it cannot inject into logs or headers.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_QUIET = {"ops.metrics", "ops.readyz", "main.healthz", "static"}


def init_app(app: Flask) -> None:
    """Register the blueprint, the request-id/latency hooks and (when LOG_FORMAT is json) the JSON log format."""
    app.register_blueprint(bp)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    if app.config.get("LOG_FORMAT") == "json":
        use_json_logs()


# ---------------------------------------------------------------- request id, latency, access log


def request_id() -> str | None:
    """The current request's id (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


def _start_request() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    started = g.pop("request_started", None)
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    endpoint = request.endpoint or "unmatched"  # one label for every 404 keeps the series bounded
    REQUEST_SECONDS.labels(endpoint, request.method).observe(seconds)
    REQUESTS.labels(endpoint, str(response.status_code)).inc()
    if endpoint not in _QUIET:
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={"endpoint": endpoint, "status": response.status_code, "ms": round(seconds * 1000, 1)},
        )
    return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any extra fields."""

    _fields = ("endpoint", "status", "ms", "job")

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line."""
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id(),
            "pid": record.process,
        }
        entry.update({name: getattr(record, name) for name in self._fields if hasattr(record, name)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def use_json_logs(level: int = logging.INFO) -> None:
    """Send the root logger to stderr as JSON lines (idempotent)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    root.setLevel(level)


# ---------------------------------------------------------------- readiness and metrics


@bp.route("/readyz")
def readyz():
    """Readiness: the database answers and, when REDIS_URL is configured, Redis answers too."""
    checks, ready = {}, True
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready"
        db.session.rollback()
        checks["database"], ready = f"unreachable: {type(exc).__name__}", False
    url = current_app.config.get("REDIS_URL")
    if url:
        try:
            _redis(url).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # connection refused, timeout, auth: all mean the queue is unusable
            checks["redis"], ready = f"unreachable: {type(exc).__name__}", False
    else:
        checks["redis"] = "not configured"
    return {"status": "ok" if ready else "error", **checks}, 200 if ready else 503


def _redis(url: str):
    from redis import Redis

    # A short timeout: a readiness probe must answer before the balancer's own timeout.
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


@bp.route("/metrics")
def metrics():
    """Prometheus exposition; answered only to the addresses in METRICS_ALLOW (loopback by default)."""
    if request.remote_addr not in current_app.config.get("METRICS_ALLOW", ("127.0.0.1", "::1")):
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    queues = CollectorRegistry()
    queues.register(_QueueCollector(current_app.config.get("REDIS_URL"), current_app.config.get("RQ_QUEUE")))
    return Response(generate_latest(registry) + generate_latest(queues), mimetype=CONTENT_TYPE_LATEST)


class _QueueCollector:
    """RQ queue depth and failed-job count, read from Redis at scrape time (so every worker reports the same)."""

    def __init__(self, url: str | None, name: str | None) -> None:
        self.url, self.name = url, name or "portal"

    def collect(self):
        """Yield portal_queue_up, portal_queue_depth and portal_queue_failed."""
        up = GaugeMetricFamily("portal_queue_up", "1 when the job queue's Redis answers.", labels=["queue"])
        if not self.url:
            yield up
            return
        try:
            from rq import Queue

            queue = Queue(self.name, connection=_redis(self.url))
            depth, failed = queue.count, queue.failed_job_registry.count
        except Exception:  # Redis down: report it as a value instead of failing the scrape
            up.add_metric([self.name], 0)
            yield up
            return
        up.add_metric([self.name], 1)
        yield up
        depth_family = GaugeMetricFamily("portal_queue_depth", "Jobs waiting in the queue.", labels=["queue"])
        depth_family.add_metric([self.name], depth)
        yield depth_family
        failed_family = GaugeMetricFamily(
            "portal_queue_failed", "Jobs in the failed registry.", labels=["queue"]
        )
        failed_family.add_metric([self.name], failed)
        yield failed_family


# ---------------------------------------------------------------- warm-up


def warm_up(app: Flask) -> dict[str, float]:
    """Load what the first search/recommendation would otherwise pay for; return seconds per step."""
    from portal.policies import catalog, recommendations

    spent = {}
    started = time.perf_counter()
    catalog.query_tokens("研发补贴")  # loads jieba's dictionary and the portal's domain words
    spent["jieba"] = time.perf_counter() - started
    started = time.perf_counter()
    with app.app_context():
        try:
            recommendations.policy_index()
        finally:
            db.session.remove()
            # The master must not hand open connections to forked workers.
            db.engine.dispose()
    spent["policy_index"] = time.perf_counter() - started
    return spent
