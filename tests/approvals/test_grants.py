"""免申即享: offers to every enterprise whose verified data qualifies; one click confirms through the same path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from portal.approvals import services
from portal.approvals.models import Application, GrantOffer, OfferStatus, Status
from portal.extensions import db
from portal.models import Notification
from portal.policies.models import Policy
from portal.services import ServiceError


@pytest.fixture
def three(enterprise_user):
    """A qualifying enterprise, one that fails a condition, one that qualifies only on self-declared data."""
    return (
        enterprise_user(name="合格企业"),
        enterprise_user(name="不合格企业", rd_expense_wan=Decimal("10.00")),
        enterprise_user(name="未核验企业", verified=("registered_district",)),
    )


def test_offers_go_only_to_verified_qualifiers_once(app, official, three, create_policy):
    policy = create_policy()
    counts = services.start_grant(policy, actor=official)
    db.session.commit()
    assert (counts.new, counts.offered) == (1, 1)
    offer = db.session.scalars(select(GrantOffer)).one()
    assert offer.enterprise_id == three[0].enterprise_id and offer.amount_wan == Decimal("31.00")
    note = db.session.scalars(select(Notification)).one()
    assert note.enterprise_id == three[0].enterprise_id and "免申即享" in note.title
    again = services.start_grant(policy, actor=official)
    db.session.commit()
    assert (again.new, again.offered) == (0, 1)
    assert db.session.scalar(select(func.count(Notification.id))) == 1


def test_grant_loads_only_the_enterprises_the_database_says_qualify(app, official, three, create_policy):
    """The audience comes from SQL: an enterprise failing a condition is never loaded into the session."""
    from portal.models import Enterprise, User

    policy_id, official_id = create_policy().id, official.id
    failing, qualifier = three[1].enterprise_id, three[0].enterprise_id
    db.session.commit()
    db.session.expunge_all()
    policy, actor = db.session.get(Policy, policy_id), db.session.get(User, official_id)
    loaded: list[int] = []
    record = lambda target, context: loaded.append(target.id)  # noqa: E731
    event.listen(Enterprise, "load", record)
    try:
        services.start_grant(policy, actor=actor)
    finally:
        event.remove(Enterprise, "load", record)
    assert failing not in loaded and qualifier in loaded
    db.session.rollback()


def test_confirm_approves_with_budget_and_records(client, auth, official, three, create_policy):
    policy = create_policy()
    services.start_grant(policy, actor=official)
    db.session.commit()
    offer = db.session.scalars(select(GrantOffer)).one()
    auth.login(three[0])
    page = client.get("/approvals/").get_data(as_text=True)
    assert "确认领取" in page and policy.title in page
    client.post(f"/approvals/offers/{offer.id}/confirm")
    db.session.expire_all()
    application = db.session.scalars(select(Application)).one()
    assert application.status == Status.APPROVED and application.source == "grant"
    assert application.amount_wan == Decimal("31.00")
    assert db.session.get(Policy, policy.id).budget_spent_wan == Decimal("31.00")
    assert application.records[0].reason == "企业确认领取（免申即享）" and application.records[-1].results
    offer = db.session.get(GrantOffer, offer.id)
    assert offer.status == OfferStatus.CONFIRMED and offer.application_id == application.id
    # a second click changes nothing
    client.post(f"/approvals/offers/{offer.id}/confirm")
    assert db.session.scalar(select(func.count(Application.id))) == 1


def test_confirm_with_a_short_budget_goes_to_review(app, official, three, create_policy):
    policy = create_policy(budget_wan=Decimal("30.00"))
    services.start_grant(policy, actor=official)
    offer = db.session.scalars(select(GrantOffer)).one()
    application = services.confirm_offer(offer, actor=three[0])
    db.session.commit()
    assert application.status == Status.IN_REVIEW
    assert "预算余额不足" in application.records[-1].reason


def test_decline_is_recorded_and_counted(client, auth, official, three, create_policy):
    policy = create_policy()
    services.start_grant(policy, actor=official)
    db.session.commit()
    offer = db.session.scalars(select(GrantOffer)).one()
    auth.login(three[0])
    client.post(f"/approvals/offers/{offer.id}/decline")
    db.session.expire_all()
    offer = db.session.get(GrantOffer, offer.id)
    assert offer.status == OfferStatus.DECLINED and offer.responded_at is not None
    with pytest.raises(ServiceError, match="已处理"):
        services.confirm_offer(offer, actor=three[0])
    auth.logout()
    auth.login(official)
    page = client.get("/approvals/grants").get_data(as_text=True)
    assert policy.title in page
    counts = services.grant_counts([policy.id])[policy.id]
    assert (counts.offered, counts.confirmed, counts.declined) == (0, 0, 1)


def test_the_official_starts_it_from_the_grant_page(client, auth, official, three, create_policy):
    policy = create_policy()
    auth.login(official)
    page = client.post(f"/approvals/grants/{policy.id}", follow_redirects=True).get_data(as_text=True)
    assert "已向 1 家符合条件的企业发出免申即享邀约" in page


def test_only_instant_policies_can_be_granted(app, official, create_policy):
    with pytest.raises(ServiceError, match="只有秒批事项"):
        services.start_grant(create_policy(instant=False), actor=official)
