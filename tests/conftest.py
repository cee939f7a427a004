"""Fixtures for every seam: app, client, runner, auth, and create_* factories.

Every test runs on SQLite; with PORTAL_TEST_DATABASE_URL set, on that database (PostgreSQL) instead.
The schema is created once per session and one app serves every test that needs no extra config; each test
ends by emptying every table (DELETE, and on PostgreSQL the sequences restarted) and restoring that app's config.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from portal import create_app, dbguard, reference, timeutil
from portal.extensions import db, limiter
from portal.models import Bank, Enterprise, Role, User
from portal.policies.models import Policy

PASSWORD = "correct-horse-9"
_serial = itertools.count(1)


def _base_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "REDIS_URL": None,
        # One cheap iteration: scrypt took most of the suite's time.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    }


def _sqlite_folder(tmp_path_factory) -> Path:
    """A folder for the SQLite test file: in memory (/dev/shm) where there is one, since every test commits.

    A commit to a file on disk waits for fsync: emptying the tables took 19 ms on disk, 3.6 ms on /dev/shm.
    """
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="portal-test-", dir=shm))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return folder
    return tmp_path_factory.mktemp("db")


@pytest.fixture(scope="session")
def owner_url(tmp_path_factory) -> str:
    """The test database as its owner, with a fresh schema made once per session (migrations run as the owner)."""
    url = (
        os.environ.get("PORTAL_TEST_DATABASE_URL")
        or f"sqlite:///{_sqlite_folder(tmp_path_factory) / 'test.sqlite'}"
    )
    app = create_app(_base_config(url))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def database_url(owner_url) -> str:
    """The URL the app uses: on PostgreSQL a non-owner, non-superuser role (`<database>_app`), as in production."""
    url = make_url(owner_url)
    if url.get_backend_name() != "postgresql":
        return owner_url
    role = f"{url.database}_app".lower()
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in dbguard.app_role_statements(role):
            conn.execute(text(statement))
    engine.dispose()
    return url.set(username=role, password=None).render_as_string(hide_password=False)


def _empty_tables(owner_url: str) -> None:
    db.session.remove()
    tables = db.metadata.sorted_tables
    if not owner_url.startswith("postgresql"):
        with db.engine.begin() as conn:
            for table in reversed(tables):
                conn.execute(table.delete())
        return
    # As the owner, with triggers off for this transaction: the audit logs refuse DELETE to everyone else, and
    # the foreign keys' triggers are off too, so the order does not matter. DELETE, not TRUNCATE: TRUNCATE of 25
    # tables writes 25 new files and fsyncs them (0.9-1 s a test on this box; DELETE of a few rows: 6-11 ms).
    # The sequences restart at 1, as TRUNCATE … RESTART IDENTITY did (tests may name /parks/1).
    engine, sequences = _owner_engine(owner_url)
    sql = "SET LOCAL session_replication_role = replica;" + "".join(
        f'DELETE FROM "{t.name}";' for t in tables
    )
    if sequences:
        sql += "SELECT " + ", ".join(f"setval('{name}', 1, false)" for name in sequences)
    with engine.begin() as conn:
        conn.exec_driver_sql(sql)


_owner_engines: dict[str, tuple[Engine, list[str]]] = {}


def _owner_engine(url: str) -> tuple[Engine, list[str]]:
    """One pooled engine as the owner per URL, and the schema's sequences (read once: the schema is fixed)."""
    if url not in _owner_engines:
        engine = create_engine(url, pool_size=1)
        with engine.connect() as conn:
            sequences = (
                conn.exec_driver_sql(
                    "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind = 'S' AND n.nspname = 'public' ORDER BY 1"
                )
                .scalars()
                .all()
            )
        _owner_engines[url] = (engine, list(sequences))
    return _owner_engines[url]


@pytest.fixture(scope="session")
def _shared_app(database_url):
    """One app on the test database for every test that needs no extra config (create_app took 45 ms a test)."""
    app = create_app(_base_config(database_url))
    return app, dict(app.config), dict(limiter.__dict__)


@pytest.fixture
def make_app(database_url, owner_url, tmp_path, _shared_app):
    """Build apps on the test database with extra config; tables are emptied after the test.

    make_app() builds a new app (a test that wants its own, e.g. with no context pushed, gets one); the `app`
    fixture takes the shared one with make_app(shared_app=True).
    """
    apps = []
    shared, pristine, limiter_state = _shared_app

    def build(shared_app: bool = False, **config):
        if shared_app:
            # The shared app with this test's upload folder; its config is restored after the test, so a test
            # that changes app.config cannot leak into the next one.
            shared.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
            apps.append(shared)
            return shared
        app = create_app(_base_config(database_url) | {"UPLOAD_FOLDER": str(tmp_path / "uploads")} | config)
        apps.append(app)
        return app

    yield build
    # Empty the tables through an app on the test database (a test may also build one on a broken URL).
    cleaner = next((a for a in apps if a.config["SQLALCHEMY_DATABASE_URI"] == database_url), None)
    if cleaner is not None:
        with cleaner.app_context():
            _empty_tables(owner_url)
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    shared.config.clear()
    shared.config.update(pristine)
    if any(app is not shared for app in apps):
        # Flask-Limiter keeps its settings (enabled, storage) on the one global Limiter, which the other app's
        # init_app overwrote; put back the shared app's.
        limiter.__dict__.clear()
        limiter.__dict__.update(limiter_state)


@pytest.fixture
def app(make_app):
    """The app with CSRF and rate limits off (the tests that need them turn them on)."""
    app = make_app(shared_app=True)
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


def make_uscc(seq: int | None = None) -> str:
    """A valid credit code, unique per call."""
    return reference.make_uscc("440306", seq if seq is not None else next(_serial))


@pytest.fixture
def create_enterprise(app):
    """Factory: an enterprise with a realistic verified profile; override any field."""

    def create(verified: tuple[str, ...] | None = None, **fields) -> Enterprise:
        values = {
            "uscc": make_uscc(),
            "name": f"深圳市测试科技有限公司{next(_serial)}",
            "registered_district": "宝安区",
            "street": "新安街道",
            "industry_code": "C3982",
            "founded": date(2018, 5, 12),
            "employees": 120,
            "revenue_wan": Decimal("5230.00"),
            "assets_wan": Decimal("4100.00"),
            "rd_expense_wan": Decimal("310.00"),
            "tax_paid_wan": Decimal("180.00"),
            "qualifications": ["国家高新技术企业"],
            "credit_ok": True,
            "business_scope": "一般经营项目是：电子电路的研发与销售；许可经营项目是：印制电路板生产。",
            "description": "主营高密度互连印制电路板。",
        } | fields
        names = values.keys() - {"uscc", "name"} if verified is None else verified
        values["verified"] = {name: {"source": "测试数据源", "date": "2026-06-01"} for name in names}
        enterprise = Enterprise(**values)
        db.session.add(enterprise)
        db.session.commit()
        return enterprise

    return create


@pytest.fixture
def create_user(app):
    """Factory: an account of a role (an enterprise user gets an enterprise, a bank user a bank)."""

    def create(role: str = Role.ENTERPRISE, username: str | None = None, **fields) -> User:
        user = User(
            username=username or f"{role}{next(_serial)}", role=role, display_name=fields.pop("name", role)
        )
        user.set_password(fields.pop("password", PASSWORD))
        if role == Role.ENTERPRISE and "enterprise_id" not in fields:
            enterprise = Enterprise(
                uscc=make_uscc(), name=f"深圳市样例企业{next(_serial)}", qualifications=[], verified={}
            )
            db.session.add(enterprise)
            db.session.flush()
            user.enterprise_id = enterprise.id
        if role == Role.BANK and "bank_id" not in fields:
            bank = Bank(name=f"测试银行{next(_serial)}")
            db.session.add(bank)
            db.session.flush()
            user.bank_id = bank.id
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.add(user)
        db.session.commit()
        return user

    return create


@pytest.fixture
def make_policy(app, create_user):
    """Factory through the catalog services: an official saves the content (a draft) and, unless status="draft",
    publishes it (status="expired": then takes it off). Package conftests give their own default content."""
    from portal.policies import catalog
    from portal.policies.models import PolicyStatus

    staff: list[User] = []

    def create(content: dict, status: str = PolicyStatus.PUBLISHED) -> Policy:
        if not staff:
            staff.append(create_user(Role.OFFICIAL, name="政策工厂"))
        actor = db.session.merge(staff[0])
        policy, _ = catalog.save_policy(None, content, actor=actor)
        if status != PolicyStatus.DRAFT:
            catalog.publish(policy, actor=actor, on=policy.published_on or date(2026, 1, 1))
        if status == PolicyStatus.EXPIRED:
            catalog.expire(policy, actor=actor)
        db.session.commit()
        return policy

    return create


class AuthActions:
    """Log a client in and out."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_name, password: str = PASSWORD, **kwargs):
        """POST the login form."""
        username = getattr(user_or_name, "username", user_or_name)
        return self._client.post("/login", data={"username": username, "password": password}, **kwargs)

    def logout(self):
        """POST logout."""
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    """Login helper bound to the client."""
    return AuthActions(client)


@pytest.fixture
def clock(monkeypatch):
    """Set the portal's clock (portal.timeutil's utcnow and today) to an aware moment."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(timeutil, "utcnow", lambda: moment.astimezone(UTC))
        monkeypatch.setattr(timeutil, "today", lambda: moment.astimezone(timeutil.CHINA).date())

    return set_to
