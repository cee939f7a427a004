"""gunicorn settings for the portal (`make run` uses them; PORTAL_BIND / WEB_CONCURRENCY / WEB_THREADS override).

preload_app loads the app once in the master; when_ready then warms jieba and the recommender index there and
freezes them out of the garbage collector, so every forked worker (also those recycled by max_requests) starts warm
and no user request pays the warm-up or a collection that re-scans it.
"""

import gc
import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:5000")
# 2 × cores + 1 is gunicorn's own advice for mixed I/O; the cap keeps per-worker memory bounded on big hosts.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("WEB_THREADS", 4))
worker_class = "gthread"
preload_app = True
# A request longer than this is a bug or a stuck query: the worker is killed and replaced.
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
# On HUP/TERM, workers finish their requests for up to this long before being killed.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (with jitter so they do not restart together) to bound slow leaks.
max_requests = 2000
max_requests_jitter = 200
# The request log is the app's own JSON line (with request id and endpoint); gunicorn logs only its events.
# The control socket's default path is one per user; several portals on one host would fight over it.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET") is None
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
accesslog = None
errorlog = "-"
loglevel = "info"

os.environ.setdefault("PORTAL_LOG_FORMAT", "json")
# Must be set before prometheus_client is imported (the app import, below, does that).
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"portal-metrics-{os.getuid()}")
)


def on_starting(server):
    """Start with an empty metrics folder: files of a previous run would be summed into this one's."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def when_ready(server):
    """Warm the preloaded app in the master before the first fork, then say where it serves."""
    from portal.ops import warm_up

    # PORTAL_WARM_UP=0 exists only so bench/first_hit.py can show what the warm-up saves.
    if os.environ.get("PORTAL_WARM_UP", "1") != "0":
        spent = warm_up(server.app.wsgi())
        server.log.info("warm-up: %s", ", ".join(f"{k} {v:.2f} s" for k, v in spent.items()))
    # The warm app (jieba's dictionary, the policy index: ~370k objects at 10k policies) lives as long as the
    # workers: keep it out of the collector, or every full collection in a worker re-scans it (≈ 300 ms, one
    # request's stall; bench/gc_pause.py) and touches its pages, copying them per worker.
    gc.freeze()
    for address in server.cfg.address:
        host, port = address if isinstance(address, tuple) else (address, "")
        server.log.info("Serving on http://%s:%s", host, port)


def post_fork(server, worker):
    """Forget the master's pooled connections in the child without closing the parent's sockets."""
    from portal.extensions import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the merged metrics."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
