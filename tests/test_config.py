"""Configuration: defaults → instance/config.py → PORTAL_* environment → test_config; the secret key."""

from portal import create_app


def test_precedence(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "FROM_INSTANCE = 'instance'\nOVERRIDDEN_BY_ENV = 'instance'\nOVERRIDDEN_BY_TEST = 'instance'\n"
        "ROUTE_MAX_BANKS = 5\n"
    )
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORTAL_OVERRIDDEN_BY_ENV", "env")
    monkeypatch.setenv("PORTAL_OVERRIDDEN_BY_TEST", "env")
    monkeypatch.setenv("PORTAL_POST_AUDIT_SHARE", "0.1")
    app = create_app({"OVERRIDDEN_BY_TEST": "test", "SECRET_KEY": "x"})
    assert app.config["FROM_INSTANCE"] == "instance"
    assert app.config["OVERRIDDEN_BY_ENV"] == "env"
    assert app.config["OVERRIDDEN_BY_TEST"] == "test"
    assert app.config["ROUTE_MAX_BANKS"] == 5  # instance beats the default of 3
    assert app.config["POST_AUDIT_SHARE"] == 0.1  # env values are parsed as JSON
    assert app.config["TIMEZONE"] == "Asia/Shanghai"  # default untouched


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.sqlite'}"


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_secret_key_read_from_instance_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "secret_key").write_text("from-the-file\n")
    assert create_app().config["SECRET_KEY"] == "from-the-file"


def test_no_fixed_secret_key_without_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    first, second = create_app().config["SECRET_KEY"], create_app().config["SECRET_KEY"]
    assert first != second and len(first) >= 32
