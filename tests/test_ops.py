"""Readiness, request ids, JSON logs, Prometheus metrics and the worker warm-up (portal/ops.py)."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from portal import ops
from portal.policies import recommendations

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except RedisConnectionError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


def test_readyz_without_redis_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "not configured"}


def test_readyz_is_503_when_the_database_is_unreachable(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert response.json["database"].startswith("unreachable")


def test_readyz_is_503_when_configured_redis_does_not_answer(make_app):
    # Port 1 on loopback refuses at once: a real refused connection, not a mock.
    response = make_app(REDIS_URL="redis://127.0.0.1:1/0").test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "ok"
    assert response.json["redis"].startswith("unreachable")


@needs_redis
def test_readyz_with_live_redis(make_app):
    response = make_app(REDIS_URL=REDIS_URL).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["redis"] == "ok"


def test_request_id_is_generated_or_echoed_when_plain(client):
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32 and int(generated, 16) >= 0
    assert client.get("/healthz").headers["X-Request-ID"] != generated
    assert (
        client.get("/healthz", headers={"X-Request-ID": "lb-42.a_b"}).headers["X-Request-ID"] == "lb-42.a_b"
    )
    # A header with a line break or spaces could forge log lines: it is replaced, not echoed.
    replaced = client.get("/healthz", headers={"X-Request-ID": "x y\tz"}).headers["X-Request-ID"]
    assert replaced != "x y\tz" and len(replaced) == 32


def test_access_log_line_is_json_with_the_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.request")
    response = client.get("/login", headers={"X-Request-ID": "trace-7"})
    assert response.status_code == 200
    (record,) = [r for r in caplog.records if r.name == "portal.request"]
    with client.application.test_request_context():
        entry = json.loads(ops.JsonFormatter().format(record))
    assert entry["request_id"] == "trace-7"
    assert entry["endpoint"] == "auth.login"
    assert entry["status"] == 200
    assert entry["message"] == "GET /login 200"
    assert entry["level"] == "INFO" and entry["ms"] >= 0


def test_json_formatter_takes_the_request_id_of_the_current_request(app):
    record = logging.LogRecord("portal.x", logging.WARNING, __file__, 1, "预算不足 %s", ("P-1",), None)
    with app.test_request_context(headers={"X-Request-ID": "abc"}):
        app.preprocess_request()
        entry = json.loads(ops.JsonFormatter().format(record))
    assert entry["request_id"] == "abc"
    assert entry["message"] == "预算不足 P-1"
    entry = json.loads(ops.JsonFormatter().format(record))  # outside a request: no id, still a line
    assert entry["request_id"] is None


def _sample(text: str, name: str, **labels) -> float | None:
    for line in text.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_count_requests_by_endpoint(client):
    before = _sample(
        client.get("/metrics").text, "portal_requests_total", endpoint="auth.login", status="200"
    )
    client.get("/login")
    client.get("/login")
    text = client.get("/metrics").text
    after = _sample(text, "portal_requests_total", endpoint="auth.login", status="200")
    assert after == (before or 0) + 2
    assert _sample(text, "portal_request_duration_seconds_count", endpoint="auth.login", method="GET") >= 2
    assert "portal_queue_up" in text


def test_metrics_refused_to_other_addresses(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 404


def test_metrics_report_queue_down_when_redis_refuses(make_app):
    text = make_app(REDIS_URL="redis://127.0.0.1:1/0").test_client().get("/metrics").text
    assert _sample(text, "portal_queue_up", queue="portal") == 0.0


@needs_redis
def test_metrics_report_queue_depth_from_redis(make_app):
    from rq import Queue

    name = f"test-ops-{uuid.uuid4().hex[:8]}"
    queue = Queue(name, connection=Redis.from_url(REDIS_URL))
    try:
        queue.enqueue("portal.ops.request_id")
        queue.enqueue("portal.ops.request_id")
        text = make_app(REDIS_URL=REDIS_URL, RQ_QUEUE=name).test_client().get("/metrics").text
        assert _sample(text, "portal_queue_up", queue=name) == 1.0
        assert _sample(text, "portal_queue_depth", queue=name) == 2.0
    finally:
        queue.empty()
        queue.delete(delete_jobs=True)


def test_health_probes_do_not_count_as_visits(client):
    client.get("/readyz")
    client.get("/metrics")
    with client.session_transaction() as session:
        # A counted page would mark the session (visit_seen first, visit_day when the cookie comes back).
        assert "visit_day" not in session and "visit_seen" not in session


def test_warm_up_builds_the_index_and_loads_the_dictionary(app, create_enterprise):
    recommendations.reset_index()
    spent = ops.warm_up(app)
    assert set(spent) == {"jieba", "policy_index"}
    assert recommendations._cache.index is not None
    from portal.policies import catalog

    assert catalog._dict_ready is True


def test_job_durations_are_observed_even_when_the_job_fails(app):
    from prometheus_client import REGISTRY

    from portal.policies import jobs

    labels = {"job": "delivery", "outcome": "error"}
    before = REGISTRY.get_sample_value("portal_job_duration_seconds_count", labels) or 0
    with pytest.raises(LookupError):
        jobs.run(987654)
    assert REGISTRY.get_sample_value("portal_job_duration_seconds_count", labels) == before + 1
