"""亲清虚拟园区 — the application factory. It wires; it runs no query, migration or network call."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults → instance/config.py → PORTAL_* environment → test_config."""
    # PORTAL_INSTANCE_PATH lets a deployment keep its instance folder (config, secret, SQLite, uploads) elsewhere.
    app = Flask(__name__, instance_relative_config=True, instance_path=os.environ.get("PORTAL_INSTANCE_PATH"))
    app.config.from_object("portal.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(prefix="PORTAL")
    if test_config:
        app.config.from_mapping(test_config)
    _finish_config(app)

    from portal import auth, cli, errors, throttle, views  # noqa: F401 (throttle registers portaldb://)
    from portal.approvals import bp as approvals_bp
    from portal.extensions import csrf, db, limiter, login_manager, migrate
    from portal.finance import api_bp as finance_api_bp
    from portal.finance import bp as finance_bp
    from portal.policies import bp as policies_bp

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(policies_bp)
    app.register_blueprint(approvals_bp)
    app.register_blueprint(finance_bp)
    app.register_blueprint(finance_api_bp)
    errors.init_app(app)
    cli.init_app(app)
    return app


def _finish_config(app: Flask) -> None:
    """Derive settings that depend on the instance folder; refuse to run without a secret outside tests."""
    instance = Path(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL") or f"sqlite:///{instance / 'portal.sqlite'}"
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # pool_pre_ping is pointless on a file and SQLite needs a longer lock wait under threads.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    app.config.setdefault("UPLOAD_FOLDER", str(instance / "uploads"))
    if not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if key_file.exists():
            app.config["SECRET_KEY"] = key_file.read_text().strip()
        else:
            # Never a fixed key: a per-process one keeps CLI commands working; `make run` writes the file.
            log.warning("No SECRET_KEY configured and no %s: using a temporary key", key_file)
            app.config["SECRET_KEY"] = secrets.token_hex(32)
