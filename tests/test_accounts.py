"""Accounts (issue 8 items 1, 2, 6, 11, 12): unconfirmed enterprise accounts and activation codes, the login
lockout, throttles that survive a dead store, session tokens, password rules and the cookie-less visit count."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal import identity, passwords, services
from portal.extensions import db
from portal.models import ActivationCode, DailyVisits, Enterprise, Role, User
from tests.conftest import PASSWORD, make_uscc

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _register(client, uscc, username="acme", password=PASSWORD, name="深圳市测试电子有限公司"):
    data = {"uscc": uscc, "name": name, "username": username, "password": password, "confirm": password}
    return client.post("/register", data=data)


def _user(username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


# ---------------------------------------------------------------- item 1: unconfirmed until proven


def test_registering_an_imported_code_binds_nothing_and_shows_no_verified_figure(client, create_enterprise):
    firm = create_enterprise(revenue_wan="98765.43", tax_paid_wan="4321.09")
    response = _register(client, firm.uscc)
    assert response.headers["Location"].endswith("/activate")
    user = _user("acme")
    assert user.enterprise_id is None and not user.is_confirmed
    for path in ("/", "/activate", "/parks"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert "98,765.43" not in page and "98765.43" not in page and "4,321.09" not in page, path


ENTERPRISE_PAGES = [
    "/profile",
    "/policies/recommend",
    "/policies/inbox",
    "/policies/settings",
    "/approvals/",
    "/finance/requests",
    "/finance/requests/new",
]


@pytest.mark.parametrize("path", ENTERPRISE_PAGES)
def test_every_enterprise_page_sends_an_unconfirmed_account_to_confirm(client, create_enterprise, path):
    _register(client, create_enterprise().uscc)
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/activate")


@pytest.mark.parametrize(
    "path",
    [
        "/approvals/apply/1",  # 一键申领
        "/approvals/apply/1/form",  # 申报 with a form
        "/approvals/offers/1/confirm",  # 免申即享
        "/finance/requests/new",  # 融资需求
        "/profile",  # would edit the enterprise's record
    ],
)
def test_an_unconfirmed_account_cannot_act(client, create_enterprise, path):
    firm = create_enterprise()
    _register(client, firm.uscc)
    before = db.session.scalar(select(Enterprise.updated_at).where(Enterprise.id == firm.id))
    response = client.post(path, data={"name": "改名", "amount_wan": "100"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(Enterprise.updated_at).where(Enterprise.id == firm.id)) == before


def test_the_services_refuse_an_unconfirmed_actor(app, create_enterprise):
    from portal.approvals import services as approvals
    from portal.finance import services as finance

    services.register_enterprise(
        uscc=create_enterprise().uscc, name="某公司", username="acme", password=PASSWORD
    )
    user = _user("acme")
    with pytest.raises(services.ServiceError, match="尚未认证"):
        services.require_confirmed(user)
    with pytest.raises(services.ServiceError):
        finance.create_request(
            actor=user,
            amount_wan="100",
            term_months=12,
            purpose="流动资金周转",
            collateral="信用",
            max_rate="5",
            consent_bank_ids=None,
            consent_groups=[],
            consent_until=NOW.date() + timedelta(days=30),
        )
    with pytest.raises(services.ServiceError, match="尚未认证"):
        approvals.apply_instant(create_enterprise(), None, actor=user)


def test_registration_says_the_same_whatever_the_code(client, create_enterprise, create_user):
    imported = create_enterprise()
    taken = create_user(Role.ENTERPRISE).enterprise
    unknown = make_uscc()
    outcomes = []
    for n, code in enumerate((imported.uscc, taken.uscc, unknown)):
        response = _register(client, code, username=f"probe{n}")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        outcomes.append(
            (response.status_code, response.headers["Location"], services.REGISTERED_MESSAGE in page)
        )
        client.post("/logout")
    assert outcomes == [(302, "/activate", True)] * 3
    # The code of the enterprise that has an account keeps exactly its one confirmed account.
    assert db.session.scalar(select(func.count(User.id)).where(User.enterprise_id == taken.id)) == 1


def test_an_import_never_binds_an_unconfirmed_account(client, app):
    code = make_uscc()
    _register(client, code)
    line = f'{{"uscc": "{code}", "name": "导入企业", "revenue_wan": 5000}}'
    report = services.import_enterprises([line], source="市场监管局", on=NOW.date())
    db.session.commit()
    assert report.inserted == 1
    assert _user("acme").enterprise_id is None
    assert client.get("/profile").headers["Location"].endswith("/activate")


def test_activation_code_confirms_once_and_is_hashed_at_rest(client, create_enterprise):
    firm = create_enterprise()
    _register(client, firm.uscc)
    (letter,) = identity.issue_codes([firm], actor=None)
    db.session.commit()
    stored = db.session.scalar(select(ActivationCode.code_hash))
    assert identity.normalise_code(letter.code) not in stored and letter.code not in stored
    response = client.post("/activate", data={"code": letter.code.lower().replace("-", " ")})
    assert response.headers["Location"].endswith("/profile")
    assert _user("acme").enterprise_id == firm.id
    assert client.get("/profile").status_code == 200
    # A second account with the same letter gets nothing.
    client.post("/logout")
    _register(client, firm.uscc, username="thief")
    page = client.post("/activate", data={"code": letter.code}).get_data(as_text=True)
    assert identity.REFUSED in page and _user("thief").enterprise_id is None


@pytest.mark.parametrize("case", ["expired", "other_enterprise", "reissued", "garbage"])
def test_activation_code_refusals_all_read_the_same(app, create_enterprise, case):
    firm, other = create_enterprise(), create_enterprise()
    services.register_enterprise(uscc=firm.uscc, name="某公司", username="acme", password=PASSWORD)
    user = _user("acme")
    (letter,) = identity.issue_codes([other if case == "other_enterprise" else firm], actor=None, now=NOW)
    code, now = letter.code, NOW + timedelta(days=1)
    if case == "expired":
        now = NOW + timedelta(days=identity.CODE_VALID_DAYS, seconds=1)
    elif case == "reissued":
        identity.issue_codes([firm], actor=None, now=NOW + timedelta(hours=1))
    elif case == "garbage":
        code = "not-a-code\x00"
    with pytest.raises(identity.IdentityError) as refused:
        identity.confirm(user, "activation_code", {"code": code}, now=now)
    assert str(refused.value) == identity.REFUSED
    assert user.enterprise_id is None


def test_officials_issue_codes_on_a_page_and_pending_registrations_get_an_enterprise(
    client, auth, create_user, create_enterprise
):
    imported = create_enterprise()
    pending_code = make_uscc()
    services.register_enterprise(uscc=pending_code, name="新设企业", username="newco", password=PASSWORD)
    db.session.commit()
    auth.login(create_user(Role.OFFICIAL))
    page = client.post(
        "/admin/activation-codes",
        data={"usccs": f"{imported.uscc}\n{pending_code}\n{make_uscc()}", "valid_days": 30},
    ).get_data(as_text=True)
    assert page.count("<code>") == 2  # the two codes, shown once
    assert db.session.scalar(select(func.count(ActivationCode.id))) == 2
    assert db.session.scalar(select(Enterprise.name).where(Enterprise.uscc == pending_code)) == "新设企业"
    assert "未找到企业" in page


def test_enterprise_and_bank_accounts_cannot_issue_codes(client, auth, create_user):
    for role in (Role.ENTERPRISE, Role.BANK):
        client.post("/logout")
        auth.login(create_user(role))
        assert (
            client.post("/admin/activation-codes", data={"usccs": make_uscc(), "valid_days": 30}).status_code
            == 403
        )
    assert db.session.scalar(select(func.count(ActivationCode.id))) == 0


def test_cli_writes_codes_for_mailing(runner, create_enterprise, tmp_path):
    firms = [create_enterprise(), create_enterprise()]
    out = tmp_path / "letters.csv"
    result = runner.invoke(
        args=["users", "activation-codes", str(out), "--uscc", firms[0].uscc, "--uscc", firms[1].uscc]
    )
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "uscc,name,code,expires" and len(rows) == 3
    assert {r.split(",")[0] for r in rows[1:]} == {f.uscc for f in firms}
    # The file is never overwritten: the letters in it may not have been mailed yet.
    again = runner.invoke(args=["users", "activation-codes", str(out), "--uscc", firms[0].uscc])
    assert again.exit_code != 0 and len(out.read_text(encoding="utf-8").splitlines()) == 3


# ---------------------------------------------------------------- item 2: lockout and throttles


def test_wrong_passwords_lock_the_account_across_workers_until_an_admin_unlocks(make_app, create_user):
    victim = create_user(Role.OFFICIAL)
    # Two apps on one database stand for two gunicorn workers (or hosts) with their own memory.
    workers = [make_app(LOGIN_MAX_FAILURES=5).test_client() for _ in range(2)]
    for n in range(5):
        workers[n % 2].post("/login", data={"username": victim.username, "password": f"wrong-{n}"})
    response = workers[0].post("/login", data={"username": victim.username, "password": PASSWORD})
    assert response.status_code == 429 and "已临时锁定" in response.get_data(as_text=True)
    assert _user(victim.username).locked_until is not None
    admin_client = workers[1]
    admin = create_user(Role.ADMIN)
    assert (
        admin_client.post("/login", data={"username": admin.username, "password": PASSWORD}).status_code
        == 302
    )
    assert "已锁定" in admin_client.get("/admin/users").get_data(as_text=True)
    assert admin_client.post(f"/admin/users/{victim.id}/unlock").status_code == 302
    response = workers[0].post("/login", data={"username": victim.username, "password": PASSWORD})
    assert response.status_code == 302


def test_lock_ends_by_itself_and_a_success_resets_the_count(app, create_user):
    user = create_user(Role.ENTERPRISE)
    for _ in range(4):
        assert services.authenticate(user.username, "nope", now=NOW) is None
    assert services.authenticate(user.username, PASSWORD, now=NOW) is not None
    assert _user(user.username).failed_logins == 0
    for _ in range(5):
        services.authenticate(user.username, "nope", now=NOW)
    with pytest.raises(services.AccountLocked, match="15 分钟"):
        services.authenticate(user.username, PASSWORD, now=NOW)
    assert (
        services.authenticate(user.username, PASSWORD, now=NOW + timedelta(minutes=15, seconds=1)) is not None
    )


def test_only_admins_unlock(client, auth, create_user):
    victim = create_user(Role.ENTERPRISE, locked_until=NOW + timedelta(days=3650))
    auth.login(create_user(Role.OFFICIAL))
    assert client.post(f"/admin/users/{victim.id}/unlock").status_code == 403
    assert _user(victim.username).locked_until is not None


def test_unknown_username_costs_a_password_hash(make_app, create_user):
    app = make_app(PASSWORD_HASH_METHOD="pbkdf2:sha256:300000")
    client = app.test_client()
    with app.app_context():
        username = create_user(Role.OFFICIAL).username  # hashed with the slow method

    def timed(username):
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            client.post("/login", data={"username": username, "password": "wrong-password"})
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    timed("warm-up")
    known, unknown = timed(username), timed("no-such-user")
    # Before: an unknown name returned without hashing (23 ms vs 250 ms with scrypt).
    assert unknown > known * 0.3, (known, unknown)


def test_a_dead_throttle_store_does_not_stop_logins(make_app, create_user):
    app = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", LOGIN_RATE_LIMIT="3 per minute"
    )
    client = app.test_client()
    username = create_user(Role.OFFICIAL).username
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    # The in-memory fallback keeps limiting while the store is down.
    client.post("/logout")
    codes = [client.post("/login", data={"username": "x", "password": "y"}).status_code for _ in range(4)]
    assert 429 in codes


def test_registration_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, REGISTER_RATE_LIMIT="2 per hour")
    client = app.test_client()
    codes = [_register(client, "bad-code", username=f"u{n}").status_code for n in range(3)]
    assert codes == [200, 200, 429]


# ---------------------------------------------------------------- item 6: sessions


def _login(client, user, password=PASSWORD):
    assert client.post("/login", data={"username": user.username, "password": password}).status_code == 302


@pytest.fixture
def web(make_app):
    """An app whose context is not pushed by the test, so each request gets its own (g, current_user)."""
    return make_app()


def test_a_copied_session_cookie_dies_at_logout(web, create_user):
    client, thief = web.test_client(), web.test_client()
    _login(client, create_user(Role.OFFICIAL))
    name = web.config["SESSION_COOKIE_NAME"]
    thief.set_cookie(name, client.get_cookie(name).value)
    assert thief.get("/parks").status_code == 200
    client.post("/logout")
    assert thief.get("/parks").status_code == 302


def test_password_change_ends_other_sessions_and_keeps_this_one(web, create_user):
    user = create_user(Role.ENTERPRISE)
    client, other = web.test_client(), web.test_client()
    _login(client, user)
    _login(other, user)
    new = "a-much-better-pass-77"
    response = client.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302
    assert _user(user.username).check_password(new)


def test_deactivation_ends_sessions_for_good(web, create_user):
    user, admin = create_user(Role.BANK), create_user(Role.ADMIN)
    client, admin_client = web.test_client(), web.test_client()
    _login(client, user)
    _login(admin_client, admin)
    admin_client.post(f"/admin/users/{user.id}/active")  # off
    assert client.get("/parks").status_code == 302
    admin_client.post(f"/admin/users/{user.id}/active")  # on again: the old cookie stays dead
    assert _user(user.username).active
    assert client.get("/parks").status_code == 302


def test_a_logged_in_user_cannot_register_another_account(web, create_user):
    client = web.test_client()
    _login(client, create_user(Role.ENTERPRISE))
    assert client.get("/register").status_code == 302
    response = _register(client, make_uscc(), username="second")
    assert response.status_code == 302 and _user("second") is None
    assert client.get("/profile").status_code == 200  # still the same account


# ---------------------------------------------------------------- item 11: passwords


@pytest.mark.parametrize(
    ("password", "username", "role", "refused"),
    [
        ("12345678", "acme", "enterprise", "常见"),
        ("Password123", "acme", "enterprise", "常见"),
        ("woaini1314", "acme", "enterprise", "常见"),
        ("aaaaaaaaaaaa", "acme", "enterprise", "常见"),
        ("acme-2026-xyz", "acme", "enterprise", "用户名"),
        ("xx-ACME-2026", "Acme", "enterprise", "用户名"),
        ("short-7", "acme", "enterprise", "至少 8 位"),
        ("eleven-char", "wang", "official", "至少 12 位"),
        ("eleven-char", "wang", "bank", "至少 12 位"),
        ("eleven-char", "wang", "admin", "至少 12 位"),
        ("eleven-char", "wang", "enterprise", None),
        ("twelve-chars", "wang", "official", None),
    ],
)
def test_password_rules(password, username, role, refused):
    problem = passwords.problem(password, username=username, role=role)
    assert (problem is None) if refused is None else (refused in problem)


def test_the_list_of_common_passwords_ships_with_the_package():
    assert len(passwords.common_passwords()) > 200 and "12345678" in passwords.common_passwords()


def test_registration_refuses_a_common_password(client):
    response = _register(client, make_uscc(), password="12345678")
    assert response.status_code == 200 and "过于常见" in response.get_data(as_text=True)
    assert _user("acme") is None


def test_admin_and_cli_account_creation_refuse_weak_passwords(client, auth, create_user, runner):
    auth.login(create_user(Role.ADMIN))
    page = client.post(
        "/admin/users",
        data={"username": "wang", "role": "official", "password": "wang-password", "bank_id": 0},
    ).get_data(as_text=True)
    assert "用户名" in page and _user("wang") is None
    result = runner.invoke(args=["users", "create", "li", "--role", "admin", "--password", "li-short-1"])
    assert result.exit_code != 0 and "至少 12 位" in result.output and _user("li") is None
    result = runner.invoke(
        args=["users", "create", "li", "--role", "admin", "--password", "quiet-river-2031"]
    )
    assert result.exit_code == 0 and _user("li") is not None


def test_password_change_applies_the_rules(client, auth, create_user):
    user = create_user(Role.OFFICIAL)
    auth.login(user)
    page = client.post(
        "/account/password", data={"current": PASSWORD, "password": "qwertyuiop", "confirm": "qwertyuiop"}
    ).get_data(as_text=True)
    assert "至少 12 位" in page and _user(user.username).check_password(PASSWORD)


# ---------------------------------------------------------------- item 12: visits


def test_cookieless_requests_do_not_each_add_a_visit(app):
    for _ in range(50):
        app.test_client(use_cookies=False).get("/")
    assert (db.session.scalar(select(func.sum(DailyVisits.visits))) or 0) == 0
    browser = app.test_client()
    for _ in range(3):
        browser.get("/")
    assert db.session.scalar(select(func.sum(DailyVisits.visits))) == 1


def test_the_embedded_per_address_limit_is_exact_across_workers(make_app):
    # Two apps with their own memory stand for two gunicorn workers; the default store is the database.
    workers = [
        make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="4 per minute").test_client() for _ in range(2)
    ]
    assert workers[0].application.config["RATELIMIT_STORAGE_URI"] == "portaldb://"
    codes = [
        workers[n % 2].post("/login", data={"username": "x", "password": "y"}).status_code for n in range(6)
    ]
    # Before: memory:// per worker let 2 × 4 through.
    assert codes == [200, 200, 200, 200, 429, 429]


def test_another_identity_provider_plugs_in(app, create_enterprise, monkeypatch):
    firm = create_enterprise()

    class BusinessLicence:
        """Stands for 电子营业执照: vouches for the enterprise whose credit code a signed licence carries."""

        name, label = "e_licence", "电子营业执照"

        def verify(self, user, evidence, now):
            if evidence.get("signature") != "valid":
                raise identity.IdentityError("执照验证失败。")
            return db.session.scalar(select(Enterprise).where(Enterprise.uscc == evidence["uscc"]))

    monkeypatch.setitem(identity._PROVIDERS, "e_licence", BusinessLicence())
    services.register_enterprise(uscc=firm.uscc, name="某公司", username="acme", password=PASSWORD)
    user = _user("acme")
    with pytest.raises(identity.IdentityError):
        identity.confirm(user, "e_licence", {"uscc": firm.uscc, "signature": "forged"})
    assert user.enterprise_id is None
    identity.confirm(user, "e_licence", {"uscc": firm.uscc, "signature": "valid"}, now=NOW)
    assert user.enterprise_id == firm.id and user.confirmed_by == "e_licence" and user.is_confirmed


def test_only_an_admin_actor_may_create_accounts(app, create_user):
    from portal import services as kernel

    official = create_user(Role.OFFICIAL)
    with pytest.raises(kernel.ServiceError, match="只有管理员可以创建账号"):
        kernel.create_user(
            username="by-official", password="a-long-pass-phrase-9", role=Role.BANK, actor=official
        )
    assert db.session.scalar(select(User.id).where(User.username == "by-official")) is None
    admin = create_user(Role.ADMIN)
    made = kernel.create_user(
        username="by-admin", password="a-long-pass-phrase-9", role=Role.OFFICIAL, actor=admin
    )
    assert made.role == Role.OFFICIAL
