"""Virtual parks, the home pages, error pages and JSON errors, health check, demo data, migrations."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal import services
from portal.extensions import db
from portal.models import Enterprise, User, VirtualPark
from portal.timeutil import today


def test_park_membership_by_prefix_and_qualification(app, create_enterprise, create_user):
    official = create_user("official")
    chips = create_enterprise(industry_code="C3976", qualifications=["专精特新中小企业"])
    create_enterprise(industry_code="C3976", qualifications=[])
    create_enterprise(industry_code="I6513", qualifications=["专精特新中小企业"])
    park = services.save_park(
        None,
        name="专精特新电子园",
        description="",
        industry_prefixes=["C39"],
        qualifications=["专精特新中小企业"],
        manager_id=official.id,
    )
    db.session.commit()
    assert [e.id for e in services.park_members(park)] == [chips.id]


def test_park_refuses_bad_definitions(app, create_user):
    with pytest.raises(services.ServiceError, match="前缀"):
        services.save_park(
            None, name="x", description="", industry_prefixes=["Z99"], qualifications=[], manager_id=None
        )
    with pytest.raises(services.ServiceError, match="至少"):
        services.save_park(
            None, name="x", description="", industry_prefixes=[], qualifications=[], manager_id=None
        )
    bank = create_user("bank")
    with pytest.raises(services.ServiceError, match="政府工作人员"):
        services.save_park(
            None, name="x", description="", industry_prefixes=["C"], qualifications=[], manager_id=bank.id
        )


def test_admin_creates_park_and_official_sees_members(client, auth, create_user, create_enterprise):
    official = create_user("official", name="王科长")
    firm = create_enterprise(industry_code="C3841")
    auth.login(create_user("admin"))
    response = client.post(
        "/admin/parks/new",
        data={
            "name": "新能源园",
            "description": "锂电",
            "industry_prefixes": "c384",
            "manager_id": official.id,
        },
    )
    assert response.status_code == 302
    park = db.session.scalar(select(VirtualPark))
    assert park.industry_prefixes == ["C384"]
    auth.logout()
    auth.login(official)
    page = client.get(f"/parks/{park.id}").get_data(as_text=True)
    assert firm.name in page
    # the member list's size class is the profile's, read without a query per member
    size = firm.profile(today())["size_class"]
    assert size and f"<td>{size}</td>" in page
    assert "新能源园" in client.get("/parks").get_data(as_text=True)


def test_admin_creates_accounts(client, auth, create_user):
    auth.login(create_user("admin"))
    data = {
        "username": "wang",
        "display_name": "王科长",
        "role": "official",
        "bank_id": 0,
        "password": "long-enough-1",
    }
    assert client.post("/admin/users", data=data).status_code == 302
    assert client.post("/admin/users", data=data | {"role": "bank"}).status_code == 200  # no bank chosen
    user = db.session.scalar(select(User).where(User.username == "wang"))
    assert user.role == "official" and user.check_password("long-enough-1")


def test_cli_creates_user(runner):
    result = runner.invoke(args=["users", "create", "li", "--role", "admin", "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.username == "li")).role == "admin"
    bad = runner.invoke(args=["users", "create", "li2", "--role", "admin", "--password", "short"])
    assert bad.exit_code != 0 and "至少 12 位" in bad.output


@pytest.mark.parametrize("role", ["enterprise", "official", "bank", "admin"])
def test_home_page_per_role(client, auth, create_user, role):
    auth.login(create_user(role))
    page = client.get("/").get_data(as_text=True)
    assert "工作台" in page
    assert ("账号管理" in page) == (role == "admin")
    assert ("企业画像" in page) == (role == "enterprise")


def test_error_pages_html_and_json(client):
    assert "页面不存在" in client.get("/no-such-page").get_data(as_text=True)
    response = client.get("/api/no-such-endpoint")
    assert response.status_code == 404 and response.is_json and response.json["status"] == 404


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(make_app):
    broken = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_seed_demo_writes_the_demo_set_once(runner):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Enterprise.id))) >= 200
    roles = set(db.session.scalars(select(User.role)))
    assert roles >= {"enterprise", "official", "bank", "admin"}
    assert db.session.scalar(select(func.count(VirtualPark.id))) == 3
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "跳过" in again.output


def test_migrations_match_the_models(database_url, tmp_path, monkeypatch):
    """The schema comes from migrations: upgrade a fresh database and find nothing left to autogenerate."""
    from flask_migrate import check, upgrade

    from portal import create_app

    if not database_url.startswith("sqlite"):
        pytest.skip("checked on a fresh SQLite file; PostgreSQL holds the test schema")
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        check()  # raises when models and migrations differ


def test_visits_are_counted_once_per_session_per_day(client, make_app):
    from portal.models import DailyVisits

    client.get("/")
    client.get("/login")
    client.get("/healthz")
    other = make_app().test_client()
    other.get("/")
    other.get("/")  # a visit counts once the browser returns the session cookie (cookie-less clients never)
    assert db.session.scalar(select(func.sum(DailyVisits.visits))) == 2


def test_dashboard_for_officials_only(client, auth, create_user, create_enterprise):
    auth.login(create_user("official"))
    page = client.get("/dashboard").get_data(as_text=True)
    assert "平台访问量" in page and "惠企资金秒批" in page and "政银企融资撮合" in page
    auth.logout()
    auth.login(create_user("enterprise"))
    assert client.get("/dashboard").status_code == 403


def test_park_list_counts_members_in_the_database(app, create_enterprise, create_user):
    """The parks page counts each park's members as park_members does, with one COUNT per park in the database."""
    from sqlalchemy import event

    official = create_user("official")
    create_enterprise(industry_code="C3976", qualifications=["专精特新中小企业"])
    create_enterprise(industry_code="C3976", qualifications=[])
    create_enterprise(industry_code="I6513", qualifications=["专精特新中小企业"])
    definitions = [(["C39"], ["专精特新中小企业"]), (["C39"], []), ([], ["专精特新中小企业"]), (["A01"], [])]
    for n, (prefixes, quals) in enumerate(definitions):
        services.save_park(
            None,
            name=f"园区{n}",
            description="",
            industry_prefixes=prefixes,
            qualifications=quals,
            manager_id=official.id,
        )
    db.session.commit()
    selects = []
    listener = lambda conn, cursor, statement, *rest: selects.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        rows = services.parks_with_member_counts()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert [(park.name, count) for park, count in rows] == [
        ("园区0", 1),
        ("园区1", 2),
        ("园区2", 2),
        ("园区3", 0),
    ]
    assert [count for park, count in rows] == [len(services.park_members(park)) for park, _ in rows]
    assert len(selects) == 2  # the parks, then one COUNT … FILTER per park in a single scan (no N+1)


def test_favicon_is_served_and_linked(client):
    """Issue 9: /favicon.ico was 404 on every page."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon" href="/favicon.ico"' in client.get("/auth/login").text


def test_page_script_is_a_static_file_not_inline(client):
    """Confirm dialogs and page behaviour come from portal.js (the CSP forbids inline script)."""
    page = client.get("/auth/login").text
    assert '<script src="/static/portal.js"></script>' in page
    script = client.get("/static/portal.js")
    assert script.status_code == 200 and b"dataset.confirm" in script.data


PARK_SHAPES = [
    ({"industry_prefixes": ["C39"], "qualifications": []}),
    ({"industry_prefixes": [], "qualifications": ["专精特新中小企业", "国家高新技术企业"]}),
    ({"industry_prefixes": ["C39", "I65"], "qualifications": ["专精特新中小企业"]}),
]


@pytest.mark.parametrize("shape", PARK_SHAPES)
def test_sql_membership_equals_admits_pair_for_pair(app, create_enterprise, shape):
    firms = [
        create_enterprise(industry_code=code, qualifications=quals)
        for code in ("C3976", "C3911", "I6513", "A0111", None)
        for quals in (["专精特新中小企业"], ["国家高新技术企业"], [], None, ["其他", "国家高新技术企业"])
    ]
    park = VirtualPark(name="园区", description="", **shape)
    db.session.add(park)
    db.session.commit()
    expected = sorted(e.id for e in firms if park.admits(e.industry_code, e.qualifications))
    assert expected, "the table must contain members"
    assert sorted(e.id for e in services.park_members(park)) == expected
    assert services.park_member_count(park) == len(expected)
    assert len(services.park_members(park, limit=2)) == 2


def test_park_page_with_a_member_whose_qualifications_are_null(
    app, client, auth, create_enterprise, create_user
):
    create_enterprise(name="甲空资质科技有限公司", industry_code="C3976", qualifications=None)
    create_enterprise(name="乙科技有限公司", industry_code="C3976", qualifications=["国家高新技术企业"])
    park = VirtualPark(name="电子园", description="", industry_prefixes=["C39"], qualifications=[])
    db.session.add(park)
    db.session.commit()
    auth.login(create_user("official"))
    page = client.get(f"/parks/{park.id}")
    assert page.status_code == 200
    assert "甲空资质科技有限公司" in page.text and "成员企业（2 家）" in page.text
    listing = client.get("/parks")
    assert listing.status_code == 200 and "电子园" in listing.text


def test_park_figures_in_sql_equal_the_per_enterprise_sums_on_the_demo_data(app, runner):
    from portal.approvals.models import Application, Status
    from portal.dashboard import services as dashboard
    from portal.finance.models import Disbursement, FinancingRequest
    from portal.models import Notification

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    firms = db.session.scalars(select(Enterprise)).all()
    # a push is a delivery of a policy (its policy:<id> key), not a decision or reminder about one
    notes = [
        n
        for n in db.session.scalars(select(Notification).where(Notification.policy_id.is_not(None)))
        if (n.dedupe_key or "").startswith("policy:")
    ]
    granted = db.session.scalars(
        select(Application).where(Application.status.in_((Status.APPROVED, Status.PAID)))
    )
    granted = granted.all()
    loans = db.session.execute(
        select(FinancingRequest.enterprise_id, Disbursement.amount_wan).join(
            FinancingRequest, FinancingRequest.id == Disbursement.request_id
        )
    ).all()
    figures = dashboard.park_figures()
    assert figures and any(f.pushes for f in figures) and any(f.approved for f in figures)
    for figure in figures:
        ids = {e.id for e in firms if figure.park.admits(e.industry_code, e.qualifications)}
        assert figure.members == len(ids)
        assert figure.pushes == sum(1 for n in notes if n.enterprise_id in ids)
        assert figure.approved == sum(1 for a in granted if a.enterprise_id in ids)
        assert figure.approved_wan == sum(
            (a.amount_wan or 0 for a in granted if a.enterprise_id in ids), Decimal(0)
        )
        assert figure.disbursed_wan == sum((amount for e, amount in loans if e in ids), Decimal(0))
