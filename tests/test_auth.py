"""Registration with credit-code validation, login/logout, throttling, safe next, role checks, CSRF."""

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter

from portal.auth import is_safe_next
from portal.extensions import db
from portal.models import Enterprise, User
from tests.conftest import PASSWORD, make_uscc

VALID = make_uscc(424242)


def _register(client, uscc=VALID, username="acme", **extra):
    data = {
        "uscc": uscc,
        "name": "深圳市测试电子有限公司",
        "username": username,
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    return client.post("/register", data=data | extra)


def test_register_creates_unconfirmed_account_and_logs_in(client):
    response = _register(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/activate")
    user = db.session.scalar(select(User).where(User.username == "acme"))
    # Registration names the code; the account is bound to an enterprise only once it proves itself.
    assert user.role == "enterprise" and user.claimed_uscc == VALID and user.enterprise_id is None
    assert user.password_hash != PASSWORD and user.check_password(PASSWORD)
    assert client.get("/activate").status_code == 200
    assert client.get("/profile").headers["Location"].endswith("/activate")


def test_register_accepts_lowercase_code(client):
    # A code with letters (VALID is all digits, so lower-casing it would test nothing).
    code = "91440306MA52E87W2D"
    assert _register(client, uscc=code.lower()).status_code == 302
    # Stored upper-cased, so the same enterprise is never registered twice under two spellings.
    user = db.session.scalar(select(User).where(User.username == "acme"))
    assert user.claimed_uscc == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (VALID[:-1], "18"),  # too short
        (VALID + "0", "18"),  # too long
        (VALID[:5] + "I" + VALID[6:], "第6位"),  # I is not in the GB 32100-2015 charset
        (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "校验码"),  # wrong check character
    ],
)
def test_register_refuses_invalid_codes(client, code, message):
    response = _register(client, uscc=code)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Enterprise).where(Enterprise.uscc == code)) is None


def test_login_logout(client, auth, create_user):
    user = create_user("official")
    assert auth.login(user, "wrong-password").status_code == 200
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "工作台" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert client.get("/parks").status_code == 302  # back to login


def test_inactive_user_cannot_log_in(auth, create_user):
    user = create_user("official", active=False)
    response = auth.login(user)
    assert response.status_code == 200 and "账号已停用" in response.get_data(as_text=True)
    # No session was opened: a staff page still sends the client to the login page.
    page = auth._client.get("/dashboard")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/profile", "/profile"),
        ("/parks?x=1", "/parks?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_login_next_is_safe(auth, create_user, target, expected):
    user = create_user("enterprise")
    response = auth.login(user, query_string={"next": target})
    assert response.headers["Location"] == expected


def test_is_safe_next_table():
    assert is_safe_next("/a/b")
    assert not is_safe_next("http://x/")
    assert not is_safe_next("///x")
    assert not is_safe_next(None)


def test_login_is_throttled(make_app, create_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [
        client.post("/login", data={"username": "nobody", "password": "x"}).status_code for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]


# Each role-restricted page and the roles allowed on it.
RESTRICTED = [
    ("/profile", {"enterprise"}),
    ("/parks/1", {"official", "admin"}),
    ("/admin/users", {"admin"}),
    ("/admin/import", {"admin"}),
    ("/admin/parks/new", {"admin"}),
    ("/dashboard", {"official", "admin"}),
]
ROLES = ("enterprise", "official", "bank", "admin")


@pytest.mark.parametrize(("path", "allowed"), RESTRICTED)
@pytest.mark.parametrize("role", ROLES)
def test_role_checks(client, auth, create_user, path, allowed, role):
    from portal.models import VirtualPark

    db.session.add(VirtualPark(id=1, name="测试园区", industry_prefixes=["C39"], qualifications=[]))
    db.session.commit()
    auth.login(create_user(role))
    status = client.get(path).status_code
    assert status == (200 if role in allowed else 403)


@pytest.mark.parametrize("path", [p for p, _ in RESTRICTED])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_every_post_route_requires_csrf_token(make_app, create_user):
    """With CSRF on, a POST without a token is refused on every route that accepts POST (none are exempt)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    admin = create_user("admin")
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()  # id:session token, as the user loader expects
        session["_fresh"] = True
    assert client.get("/admin/users").status_code == 200  # the sweep runs logged in, not anonymously
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue  # the bank API authenticates with tokens, not cookies
        values = {
            arg: sorted(conv.items)[0] if isinstance(conv, AnyConverter) else 1
            for arg, conv in rule._converters.items()
        }
        url = app.url_map.bind("localhost").build(rule.endpoint, values, method="POST")
        response = client.post(url, data={})
        assert response.status_code == 400, rule.rule
        checked += 1
    assert checked >= 6
