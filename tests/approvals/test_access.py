"""Enterprise A cannot see, apply as, appeal for, or download the attachments of enterprise B; CSRF is enforced."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from sqlalchemy import func, select

from portal.approvals import services
from portal.approvals.models import Application, Status
from portal.extensions import db
from portal.models import Role

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _form_application(app, user, create_policy) -> Application:
    policy = create_policy(instant=False, support={"kind": "fixed", "amount_wan": 20})
    application, _ = services.apply_with_form(
        user.enterprise,
        policy,
        actor=user,
        form_data={"contact_name": "张三", "contact_phone": "0755-12345678", "statement": "申请"},
        uploads=[services.Upload("材料.pdf", io.BytesIO(PDF))],
        upload_folder=app.config["UPLOAD_FOLDER"],
        max_bytes=app.config["UPLOAD_MAX_BYTES"],
    )
    db.session.commit()
    return application


def test_enterprise_b_cannot_see_or_touch_a(app, client, auth, enterprise_user, create_policy):
    owner, intruder = enterprise_user(), enterprise_user(rd_expense_wan=Decimal("1.00"))
    application = _form_application(app, owner, create_policy)
    attachment = application.attachments[0]
    auth.login(intruder)
    assert client.get(f"/approvals/{application.id}").status_code == 404
    assert client.get(f"/approvals/attachments/{attachment.id}").status_code == 404
    assert client.post(f"/approvals/{application.id}/appeal", data={"reason": "x"}).status_code == 404
    assert application.enterprise.name not in client.get("/approvals/").get_data(as_text=True)
    auth.logout()
    auth.login(owner)
    assert client.get(f"/approvals/{application.id}").status_code == 200
    download = client.get(f"/approvals/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF


def test_applying_always_acts_for_the_own_enterprise(client, auth, enterprise_user, create_policy):
    victim, actor = enterprise_user(), enterprise_user(rd_expense_wan=Decimal("1.00"))
    policy = create_policy()
    auth.login(actor)
    client.post(f"/approvals/apply/{policy.id}", data={"enterprise_id": victim.enterprise_id})
    application = db.session.scalars(select(Application)).one()
    assert application.enterprise_id == actor.enterprise_id and application.status == Status.REJECTED


def test_grant_offers_of_b_cannot_be_answered_by_a(
    app, client, auth, enterprise_user, create_policy, official
):
    owner, intruder = enterprise_user(), enterprise_user(rd_expense_wan=Decimal("1.00"))
    services.start_grant(create_policy(), actor=official)
    db.session.commit()
    offer = services.open_offers(owner.enterprise_id)[0]
    auth.login(intruder)
    assert client.post(f"/approvals/offers/{offer.id}/confirm").status_code == 404
    assert db.session.scalar(select(func.count(Application.id))) == 0


def test_officials_may_download_banks_and_admins_may_not(
    app, client, auth, create_user, enterprise_user, create_policy, official
):
    application = _form_application(app, enterprise_user(), create_policy)
    attachment = application.attachments[0]
    auth.login(official)
    assert client.get(f"/approvals/attachments/{attachment.id}").status_code == 200
    assert client.get(f"/approvals/{application.id}").status_code == 200
    for role in (Role.BANK, Role.ADMIN):
        auth.logout()
        auth.login(create_user(role))
        assert client.get(f"/approvals/attachments/{attachment.id}").status_code == 403
        assert client.get(f"/approvals/{application.id}").status_code == 403


def test_csrf_is_required(make_app, create_policy, enterprise_user):
    # the `app` fixture has CSRF off; build one with it on, on the same database
    user, policy = enterprise_user(), create_policy()
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    client.post(
        "/login", data={"username": user.username, "password": "correct-horse-9", "csrf_token": token}
    )
    assert client.post(f"/approvals/apply/{policy.id}").status_code == 400
    with csrf_app.app_context():
        assert db.session.scalar(select(func.count(Application.id))) == 0
    page = client.get("/approvals/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    assert client.post(f"/approvals/apply/{policy.id}", data={"csrf_token": token}).status_code == 302
    with csrf_app.app_context():
        assert db.session.scalar(select(func.count(Application.id))) == 1
