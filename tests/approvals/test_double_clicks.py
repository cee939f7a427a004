"""Officials' double clicks: pay twice, claim twice, start 免申即享 twice — idempotent, no 500, one record each.

The sequential cases run everywhere; the simultaneous ones need PostgreSQL's row locks (SQLite serialises writers).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from portal.approvals import services
from portal.approvals.models import Application, DecisionRecord, GrantOffer, Status
from portal.extensions import db
from portal.models import Notification, User
from portal.policies.models import Policy
from tests.approvals.test_review import _in_review

CLICKS = 8


def _approved(enterprise_user, create_policy) -> Application:
    user = enterprise_user()
    application, _ = services.apply_instant(user.enterprise, create_policy(), actor=user)
    db.session.commit()
    assert application.status == Status.APPROVED
    return application


def _records(application_id: int, kind: str | None = None) -> int:
    query = select(func.count(DecisionRecord.id)).where(DecisionRecord.application_id == application_id)
    if kind:
        query = query.where(DecisionRecord.kind == kind)
    return db.session.scalar(query)


def test_pay_twice_is_one_payment(client, auth, official, enterprise_user, create_policy):
    application = _approved(enterprise_user, create_policy)
    auth.login(official)
    first = client.post(f"/approvals/{application.id}/pay", follow_redirects=True)
    second = client.post(f"/approvals/{application.id}/pay", follow_redirects=True)
    assert first.status_code == second.status_code == 200
    assert "已登记拨付" in first.get_data(as_text=True)
    assert "该申请已登记拨付，无需重复操作" in second.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status == Status.PAID
    assert [r.to_status for r in application.records].count(Status.PAID) == 1


def test_claim_twice_appends_one_record(client, auth, official, enterprise_user, create_policy):
    application = _in_review(enterprise_user, create_policy())
    before = _records(application.id)
    auth.login(official)
    for _ in range(3):
        assert client.post(f"/approvals/{application.id}/claim").status_code == 302
    assert _records(application.id) == before + 1
    assert _records(application.id, "claim") == 1


def test_start_grant_twice_from_the_page(client, auth, official, enterprise_user, create_policy):
    enterprise_user(name="合格企业")
    policy = create_policy()
    auth.login(official)
    client.post(f"/approvals/grants/{policy.id}")
    page = client.post(f"/approvals/grants/{policy.id}", follow_redirects=True).get_data(as_text=True)
    assert "已向 0 家符合条件的企业发出免申即享邀约" in page
    assert db.session.scalar(select(func.count(GrantOffer.id))) == 1


@pytest.fixture
def pg_app(make_app):
    """An app on PostgreSQL (row locks make the race real)."""
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CLICKS, "max_overflow": 2})
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("simultaneous clicks are tested on PostgreSQL (set PORTAL_TEST_DATABASE_URL)")
    return app


def _at_once(app, action) -> list[BaseException | None]:
    barrier = threading.Barrier(CLICKS)

    def run(_):
        with app.app_context():
            try:
                barrier.wait()
                action()
                db.session.commit()
            except Exception as exc:  # the test asserts there were none
                db.session.rollback()
                return exc
            return None

    with ThreadPoolExecutor(CLICKS) as pool:
        return list(pool.map(run, range(CLICKS)))


def test_simultaneous_pay_clicks(pg_app, official, enterprise_user, create_policy):
    application_id = _approved(enterprise_user, create_policy).id
    official_id = official.id

    def pay():
        services.mark_paid(
            db.session.get(Application, application_id), actor=db.session.get(User, official_id)
        )

    assert _at_once(pg_app, pay) == [None] * CLICKS
    assert _records(application_id) == 3  # submitted, approved, paid


def test_simultaneous_grant_starts(pg_app, official, enterprise_user, create_policy):
    for i in range(3):
        enterprise_user(name=f"合格企业{i}")
    policy_id = create_policy().id
    official_id = official.id

    def start():
        services.start_grant(db.session.get(Policy, policy_id), actor=db.session.get(User, official_id))

    assert _at_once(pg_app, start) == [None] * CLICKS
    db.session.expire_all()
    assert db.session.scalar(select(func.count(GrantOffer.id))) == 3
    assert db.session.scalar(select(func.count(Notification.id))) == 3


def test_simultaneous_claim_clicks(pg_app, official, enterprise_user, create_policy):
    application_id = _in_review(enterprise_user, create_policy()).id
    official_id = official.id

    def claim():
        services.claim(db.session.get(Application, application_id), actor=db.session.get(User, official_id))

    assert _at_once(pg_app, claim) == [None] * CLICKS
    assert _records(application_id, "claim") == 1
