"""The state machine: every allowed transition, every illegal one, and the append-only log."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.approvals import services
from portal.approvals.models import (
    TRANSITIONS,
    AppendOnlyError,
    Application,
    DecisionRecord,
    Status,
    check_transition,
)
from portal.extensions import db
from portal.transitions import IllegalTransition

ALLOWED = {
    (Status.SUBMITTED, Status.APPROVED),
    (Status.SUBMITTED, Status.REJECTED),
    (Status.SUBMITTED, Status.IN_REVIEW),
    (Status.IN_REVIEW, Status.APPROVED),
    (Status.IN_REVIEW, Status.REJECTED),
    (Status.REJECTED, Status.APPEALED),
    (Status.APPEALED, Status.APPROVED),
    (Status.APPEALED, Status.REJECTED),
    (Status.APPROVED, Status.PAID),
}
PAIRS = list(itertools.product(Status, Status))


def test_the_table_is_the_product_rule():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_transition(current, target):
    application = Application(status=Status.SUBMITTED)
    set_committed_value(application, "status", current.value)  # place it in `current` without a transition
    if (current, target) in ALLOWED:
        check_transition(current, target)
        application.status = target
        assert application.status == target
    else:
        with pytest.raises(IllegalTransition, match=r"^不允许的状态变更：.+ → .+"):
            application.status = target
        assert application.status == current


def test_a_new_application_starts_submitted():
    with pytest.raises(IllegalTransition, match="已提交"):
        Application(status=Status.APPROVED)


def _approved_application(user, create_policy):
    application, _ = services.apply_instant(user.enterprise, create_policy(), actor=user)
    db.session.commit()
    assert application.status == Status.APPROVED
    return application


def test_move_logs_who_when_from_to_why(app, enterprise_user, create_policy, official):
    user = enterprise_user()
    application = _approved_application(user, create_policy)
    services.mark_paid(application, actor=official)
    db.session.commit()
    log = [(r.actor_name, r.from_status, r.to_status) for r in application.records]
    assert log == [
        (user.display_name, None, Status.SUBMITTED),
        ("规则引擎", Status.SUBMITTED, Status.APPROVED),
        ("王科长", Status.APPROVED, Status.PAID),
    ]
    engine = application.records[1]
    assert engine.actor_id is None and engine.results and engine.created_at is not None
    assert engine.profile_snapshot["sources"]["rd_expense_wan"]["source"] == "测试数据源"
    # A second "pay" is a double click: nothing moves and nothing is logged twice.
    assert services.mark_paid(application, actor=official) is False
    assert len(application.records) == 3
    with pytest.raises(IllegalTransition):
        services.move(application, Status.APPROVED, actor=official, reason="回退")


def test_decision_records_refuse_update_and_delete_in_the_orm(app, enterprise_user, create_policy):
    application = _approved_application(enterprise_user(), create_policy)
    record = application.records[-1]
    record.reason = "篡改"
    with pytest.raises(AppendOnlyError, match="只能追加"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(DecisionRecord, record.id))
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(update(DecisionRecord).values(reason="篡改"))
    with pytest.raises(AppendOnlyError):
        db.session.execute(delete(DecisionRecord))
    db.session.rollback()
    assert db.session.get(DecisionRecord, record.id).reason != "篡改"


def test_postgresql_trigger_refuses_raw_sql(app, enterprise_user, create_policy):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    _approved_application(enterprise_user(), create_policy)
    for statement in ("UPDATE decision_records SET reason = 'x'", "DELETE FROM decision_records"):
        with db.engine.connect() as conn, pytest.raises(Exception, match="append-only|permission denied"):
            conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM decision_records WHERE reason = 'x'")).scalar() == 0
