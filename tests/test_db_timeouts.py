"""A database that accepts connections and never answers: /healthz says 503 quickly, pages show the 500 page."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from portal.extensions import db


@pytest.fixture
def silent_database():
    """A TCP listener that accepts every connection and never sends a byte (a hung PostgreSQL)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"postgresql+psycopg://portal@127.0.0.1:{server.getsockname()[1]}/portal"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_healthz_answers_503_within_3_seconds(make_app, silent_database):
    client = make_app(SQLALCHEMY_DATABASE_URI=silent_database).test_client()
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and response.json["database"] == "unreachable"
    assert elapsed < 3, elapsed


def test_pages_show_the_500_page_and_static_files_still_serve(make_app, silent_database):
    client = make_app(SQLALCHEMY_DATABASE_URI=silent_database, TESTING=False).test_client()
    started = time.monotonic()
    response = client.get("/")
    assert response.status_code == 500 and "服务器内部错误" in response.get_data(as_text=True)
    assert time.monotonic() - started < 3
    from portal.vocabulary import services as vocabulary

    vocabulary._state["checked"] = float(
        "-inf"
    )  # the vocabulary's periodic check is due: it must skip static files
    assert client.get("/static/portal.css").status_code == 200


def test_timeouts_are_settings(make_app, silent_database):
    app = make_app(SQLALCHEMY_DATABASE_URI=silent_database, DB_CONNECT_TIMEOUT=5, DB_STATEMENT_TIMEOUT=1.5)
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"connect_timeout": 5, "options": "-c statement_timeout=1500"}
    assert options["pool_timeout"] == 5 and options["pool_pre_ping"] is True


def test_statement_timeout_cancels_a_slow_query_on_postgresql(make_app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("statement_timeout is PostgreSQL's")
    app = make_app(DB_STATEMENT_TIMEOUT=0.3)
    with app.app_context():
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            db.session.execute(text("SELECT pg_sleep(5)"))
        db.session.rollback()
        assert time.monotonic() - started < 2
