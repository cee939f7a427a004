"""亲清虚拟园区 — the application factory. It wires; it runs no query, migration or network call."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults → instance/config.py → PORTAL_* environment → test_config."""
    # Imported here so that `import portal.conditions` (and the other pure modules) does not load Flask.
    from flask import Flask

    # PORTAL_INSTANCE_PATH lets a deployment keep its instance folder (config, secret, SQLite, uploads) elsewhere.
    app = Flask(__name__, instance_relative_config=True, instance_path=os.environ.get("PORTAL_INSTANCE_PATH"))
    app.config.from_object("portal.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(prefix="PORTAL")
    if test_config:
        app.config.from_mapping(test_config)
    _finish_config(app)
    from portal import reference

    # Validation of district values (conditions, profile, import) follows the deployment's region.
    reference.use_region(app.config["REGION"])

    from portal import auth, cli, edge, errors, ops, throttle, views  # noqa: F401 (throttle registers portaldb://)
    from portal.alerts.views import bp as alerts_bp
    from portal.approvals.views import bp as approvals_bp
    from portal.dashboard import home
    from portal.dashboard.views import bp as dashboard_bp
    from portal.exports.views import bp as exports_bp
    from portal.extensions import csrf, db, limiter, login_manager, migrate
    from portal.finance.api import api_bp as finance_api_bp
    from portal.finance.views import bp as finance_bp
    from portal.jobs.views import bp as jobs_bp
    from portal.policies.qa_views import bp as qa_bp
    from portal.policies.views import bp as policies_bp
    from portal.vocabulary.views import bp as vocabulary_bp

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    # Before the blueprints: their rules use the `id` converter, and the input check must run first.
    edge.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(policies_bp)
    app.register_blueprint(approvals_bp)
    app.register_blueprint(finance_bp)
    app.register_blueprint(finance_api_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(alerts_bp)
    app.register_blueprint(qa_bp)
    app.register_blueprint(dashboard_bp)
    app.extensions[views.ENTERPRISE_OVERVIEW] = home.enterprise_overview
    app.register_blueprint(vocabulary_bp)
    app.register_blueprint(jobs_bp)
    ops.init_app(app)
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
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # A database that accepts connections but never answers must not hang every worker: bound the connect,
        # each statement (server side) and the wait for a pooled connection.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", app.config["DB_CONNECT_TIMEOUT"])
        statement_ms = int(app.config["DB_STATEMENT_TIMEOUT"] * 1000)
        connect_args.setdefault("options", f"-c statement_timeout={statement_ms}")
        options["connect_args"] = connect_args
        options.setdefault("pool_timeout", app.config["DB_POOL_TIMEOUT"])
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.config.setdefault("UPLOAD_FOLDER", str(instance / "uploads"))
    if not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if key_file.exists():
            app.config["SECRET_KEY"] = key_file.read_text().strip()
        else:
            # Never a fixed key: a per-process one keeps CLI commands working; `make run` writes the file.
            log.warning("No SECRET_KEY configured and no %s: using a temporary key", key_file)
            app.config["SECRET_KEY"] = secrets.token_hex(32)
