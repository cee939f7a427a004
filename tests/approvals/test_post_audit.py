"""Post-audit: a daily job draws a share of the day before's automatic approvals by a keyed hash (the same set on
a rerun, unknowable without SECRET_KEY), logs each draw and puts it into the officials' post-audit queue."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from portal.approvals import rules, services
from portal.approvals.models import Application, AuditStatus, DecisionRecord, Status
from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.models import JobRun, RunStatus
from portal.services import ServiceError
from portal.timeutil import CHINA, local

KEY = "test-only-secret"  # the tests' SECRET_KEY (tests/conftest.py)
DAY = date(2026, 6, 15)
IDS = range(1, 2001)


# ---------------------------------------------------------------- the pure draw


def test_the_draw_is_deterministic_given_the_key_and_differs_by_key_and_day():
    drawn = rules.drawn_for_audit(IDS, key=KEY, day=DAY, share=0.05)
    assert drawn == rules.drawn_for_audit(reversed(IDS), key=KEY.encode(), day=DAY, share=0.05)
    assert drawn != rules.drawn_for_audit(IDS, key="another-secret", day=DAY, share=0.05)
    assert drawn != rules.drawn_for_audit(IDS, key=KEY, day=DAY + timedelta(days=1), share=0.05)


@pytest.mark.parametrize("share", [0.01, 0.05, 0.2, 0.5])
def test_the_share_is_respected_on_2000_ids(share):
    drawn = rules.drawn_for_audit(IDS, key=KEY, day=DAY, share=share)
    expected = share * len(IDS)
    sigma = (len(IDS) * share * (1 - share)) ** 0.5
    assert abs(len(drawn) - expected) <= 4 * sigma  # binomial: within four standard deviations
    assert set(drawn) <= set(IDS) and drawn == sorted(drawn)


def test_no_share_draws_nothing_and_a_full_share_draws_all():
    assert rules.drawn_for_audit(IDS, key=KEY, day=DAY, share=0.0) == []
    assert rules.drawn_for_audit(IDS, key=KEY, day=DAY, share=1.0) == list(IDS)


def test_a_larger_share_draws_a_superset():
    small = set(rules.drawn_for_audit(IDS, key=KEY, day=DAY, share=0.05))
    assert small <= set(rules.drawn_for_audit(IDS, key=KEY, day=DAY, share=0.2))


# ---------------------------------------------------------------- the daily job


def _approved_at(enterprise, policy, moment: datetime) -> int:
    """An engine (秒批) approval dated `moment`, written as apply_instant logs one (the log cannot be back-dated)."""
    revision = services.current_revision(policy)
    application_id = db.session.execute(
        insert(Application.__table__).values(
            enterprise_id=enterprise.id, policy_id=policy.id, revision_id=revision.id, source="apply",
            status=Status.APPROVED, amount_wan=Decimal("10.00"), form_data={}, created_at=moment,
            updated_at=moment, decided_at=moment, audit_comment="",
        )
    ).inserted_primary_key[0]  # fmt: skip
    common = {"application_id": application_id, "kind": "transition", "actor_id": None, "created_at": moment}
    db.session.execute(
        insert(DecisionRecord.__table__),
        [
            common | {"actor_name": enterprise.name, "from_status": None, "to_status": Status.SUBMITTED},
            common | {"actor_name": services.ENGINE_NAME, "from_status": Status.SUBMITTED,
                      "to_status": Status.APPROVED, "amount_wan": Decimal("10.00")},
        ],
    )  # fmt: skip
    db.session.commit()
    return application_id


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), CHINA).astimezone(UTC)


@pytest.fixture
def approvals(app, enterprise_user, create_policy):
    """Twelve engine approvals on DAY (one firm, twelve policies), one just before and one just after it."""
    app.config["POST_AUDIT_SHARE"] = 0.5
    firm = enterprise_user().enterprise
    policies = [create_policy(budget_wan=None) for _ in range(14)]
    on_day = [_approved_at(firm, p, _at(DAY, 9) + timedelta(minutes=k)) for k, p in enumerate(policies[:12])]
    # 23:59 the day before and 00:00 the day after, China time: other days' approvals
    _approved_at(firm, policies[12], _at(DAY, 0) - timedelta(minutes=1))
    _approved_at(firm, policies[13], _at(DAY + timedelta(days=1), 0))
    return on_day


def _run_post_audit(**kwargs) -> JobRun:
    run = db.session.get(JobRun, jobs.enqueue("post_audit", **kwargs))
    assert run.status == RunStatus.DONE, run.error
    return run


def test_the_job_draws_yesterdays_approvals_into_the_queue(approvals, clock):
    expected = rules.drawn_for_audit(approvals, key=KEY, day=DAY, share=0.5)
    assert 0 < len(expected) < len(approvals)  # the fixture's ids draw some, not all
    clock(_at(DAY + timedelta(days=1), 1))
    run = _run_post_audit()
    assert run.result == {
        "day": "2026-06-15",
        "approvals": 12,
        "drawn": len(expected),
        "queued": len(expected),
    }
    assert [a.id for a in services.audit_queue()] == expected
    assert services.audit_count() == len(expected)
    for application in db.session.scalars(select(Application).where(Application.id.in_(expected))):
        record = application.records[-1]
        assert record.kind == "sample" and record.actor_id is None and record.to_status == Status.APPROVED
        assert record.actor_name == services.SAMPLER_NAME and "50%" in record.reason
        assert local(record.created_at) == _at(DAY + timedelta(days=1), 1)  # when the job ran


def test_a_rerun_of_the_day_draws_nothing_new(approvals, clock):
    clock(_at(DAY + timedelta(days=1), 1))
    first = _run_post_audit()
    again = _run_post_audit(day=DAY.isoformat())
    assert again.result["drawn"] == first.result["drawn"] and again.result["queued"] == 0
    samples = select(func.count()).where(DecisionRecord.kind == "sample")
    assert db.session.scalar(samples) == first.result["queued"]


def test_an_audited_draw_is_not_queued_again(approvals, clock, official):
    clock(_at(DAY + timedelta(days=1), 1))
    _run_post_audit()
    checked = services.audit_queue()[0]
    services.record_audit(checked, actor=official, confirmed=True, comment="")
    db.session.commit()
    assert _run_post_audit(day=DAY.isoformat()).result["queued"] == 0
    db.session.refresh(checked)
    assert checked.audit_status == AuditStatus.CONFIRMED


def test_an_explicit_day_draws_that_day(approvals, clock):
    clock(_at(DAY + timedelta(days=5), 1))
    assert _run_post_audit().result["approvals"] == 0  # yesterday had none
    assert _run_post_audit(day=(DAY - timedelta(days=1)).isoformat()).result["approvals"] == 1  # 23:59


def test_the_cli_runs_the_job_for_a_day(approvals, runner):
    result = runner.invoke(args=["jobs", "run", "post_audit", "--day", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "'approvals': 12" in result.output


def test_official_decisions_and_rejections_are_not_drawn(app, enterprise_user, create_policy, official):
    app.config["POST_AUDIT_SHARE"] = 1.0
    rejected_user = enterprise_user(rd_expense_wan=Decimal("1.00"))
    rejected, _ = services.apply_instant(rejected_user.enterprise, create_policy(), actor=rejected_user)
    reviewed_user = enterprise_user(verified=())  # self-declared data: an official decides
    reviewed, _ = services.apply_instant(reviewed_user.enterprise, create_policy(), actor=reviewed_user)
    services.decide(reviewed, actor=official, approve=True, comment="")
    approved_user = enterprise_user()
    approved, _ = services.apply_instant(approved_user.enterprise, create_policy(), actor=approved_user)
    db.session.commit()
    assert (rejected.status, reviewed.status, approved.status) == (Status.REJECTED,) + (Status.APPROVED,) * 2
    # no flag at decision time any more: only the draw puts an approval into the queue
    assert approved.audit_status is None and services.audit_count() == 0
    day = local(approved.records[-1].created_at).date()
    assert services.engine_approvals(day) == [approved.id]
    report = services.sample_for_audit(day, key=KEY, share=1.0)
    assert (report.approvals, report.drawn, report.queued) == (1, 1, 1)
    assert [a.id for a in services.audit_queue()] == [approved.id]


def test_the_official_records_the_result(client, auth, official, approvals, clock):
    clock(_at(DAY + timedelta(days=1), 1))
    _run_post_audit()
    drawn = services.audit_queue()
    application = drawn[0]
    auth.login(official)
    page = client.get("/approvals/audits").get_data(as_text=True)
    assert all(a.policy.title in page for a in drawn)
    left_out = db.session.scalars(select(Application).where(Application.audit_status.is_(None))).first()
    assert left_out.policy.title not in page
    detail = client.get(f"/approvals/{application.id}").get_data(as_text=True)
    assert "抽中事后抽查" in detail
    page = client.post(
        f"/approvals/{application.id}/audit", data={"result": "problem"}, follow_redirects=True
    )
    assert "发现问题时须填写说明" in page.get_data(as_text=True)
    client.post(
        f"/approvals/{application.id}/audit", data={"result": "problem", "comment": "研发费用口径有误"}
    )
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.audit_status == AuditStatus.PROBLEM and application.audited_by_id == official.id
    record = application.records[-1]
    assert record.kind == "audit" and record.reason == "事后抽查：发现问题。研发费用口径有误"
    with pytest.raises(ServiceError, match="不在待抽查状态"):
        services.record_audit(application, actor=official, confirmed=True, comment="")


def test_samples_are_not_counted_as_approvals_on_the_dashboard(approvals, clock):
    from portal.dashboard import services as dashboard

    def instant_count() -> int:
        return next(h for h in dashboard.headlines() if h.label == "惠企资金秒批").count

    before = instant_count()
    clock(_at(DAY + timedelta(days=1), 1))
    assert _run_post_audit().result["queued"] > 0
    assert instant_count() == before == 14
