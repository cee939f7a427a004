"""Background jobs: runs recorded inline without Redis, on RQ with the real Redis, the digest split by ranges,
and the officials' jobs page (role and CSRF)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs import services
from portal.jobs.models import DigestEntry, JobRun, RunStatus
from portal.models import Role

REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        connection = redis.Redis.from_url(REDIS)
        connection.ping()
    except Exception as exc:
        pytest.skip(f"Redis not reachable at {REDIS}: {type(exc).__name__}")
    return connection


def test_inline_run_is_recorded_with_its_result(app, create_enterprise):
    create_enterprise()
    run_id = services.enqueue("dashboard")
    run = db.session.get(JobRun, run_id)
    assert run.status == RunStatus.DONE and run.where == "inline"
    assert run.seconds is not None and "seconds" in run.result and run.started_at and run.finished_at


def test_a_failing_job_is_recorded_failed_with_its_error_and_nothing_half_written(app, monkeypatch):
    def broken(**_):
        db.session.add(JobRun(name="half", part="written"))
        db.session.flush()
        raise RuntimeError("数据源不可用")

    monkeypatch.setitem(services.TASKS, "broken", services.Task("坏任务", broken))
    run = db.session.get(JobRun, services.enqueue("broken"))
    assert run.status == RunStatus.FAILED and "数据源不可用" in run.error
    assert db.session.scalar(select(func.count()).where(JobRun.name == "half")) == 0


def test_unknown_job_is_refused(app):
    with pytest.raises(services.ServiceError, match="未知的后台任务"):
        services.enqueue("nope")


def test_tick_starts_only_what_is_due(app):
    now = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)  # 02:30 in Shanghai: the digest and draw are due
    first = services.tick(now)
    # subscriptions run from 07:00, deadline reminders from 08:00
    assert set(first) == {"dashboard", "expire_routes", "digest", "post_audit"}
    assert services.tick(now) == []  # nothing twice


def test_digest_split_into_ranges_writes_every_enterprise_once(app, create_enterprise, make_policy):
    make_policy(
        {
            "title": "宝安区研发投入奖励",
            "category": "研发资助",
            "published_on": date(2026, 3, 1),
            "text": "支持在宝安区注册的企业开展研发。",
            "conditions": {"all": [{"field": "registered_district", "op": "eq", "value": "宝安区"}]},
            "targets": {"industries": ["C39"], "qualifications": []},
            "support": {"kind": "fixed", "amount_wan": 10},
        }
    )
    firms = [create_enterprise() for _ in range(5)]
    run = db.session.get(JobRun, services.enqueue("digest", parts=2))
    assert run.status == RunStatus.DONE and run.result["parts"] == 2
    parts = db.session.scalars(select(JobRun).where(JobRun.name == "digest_part").order_by(JobRun.id)).all()
    assert [p.status for p in parts] == [RunStatus.DONE, RunStatus.DONE]
    assert sum(p.result["firms"] for p in parts) == len(firms)
    entries = db.session.scalars(select(DigestEntry)).all()
    assert sorted(e.enterprise_id for e in entries) == sorted(f.id for f in firms)
    assert any(e.policy_ids for e in entries)
    # A re-run replaces the night's rows rather than adding to them.
    services.enqueue("digest", parts=3)
    assert db.session.scalar(select(func.count()).select_from(DigestEntry)) == len(firms)


def test_on_rq_a_worker_runs_the_recorded_job(app, create_enterprise):
    connection = _redis_or_skip()
    from rq import Queue, SimpleWorker

    queue_name = f"portal-test-{os.getpid()}"
    app.config.update(REDIS_URL=REDIS, RQ_QUEUE=queue_name)
    try:
        create_enterprise()
        run_id = services.enqueue("dashboard")
        assert db.session.get(JobRun, run_id).status == RunStatus.QUEUED
        assert services.queue_state()["depth"] == 1
        queue = Queue(queue_name, connection=connection)
        SimpleWorker([queue], connection=connection).work(burst=True)
        db.session.expire_all()
        run = db.session.get(JobRun, run_id)
        assert run.status == RunStatus.DONE and run.where == "rq" and "seconds" in run.result
        # The scheduler chain starts once: a second `jobs schedule` does not double it.
        assert services.schedule_next(app, 60) is True
        assert services.schedule_next(app, 60) is False
        assert queue.scheduled_job_registry.count == 1
    finally:
        for key in connection.scan_iter(f"rq:*{queue_name}*"):
            connection.delete(key)
        connection.delete(f"{queue_name}:tick:next")
        app.config.update(REDIS_URL=None, RQ_QUEUE=None)


def test_redis_down_marks_the_run_failed(app):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0")
    try:
        run = db.session.get(JobRun, services.enqueue("dashboard"))
    finally:
        app.config.update(REDIS_URL=None)
    assert run.status == RunStatus.FAILED and "任务队列不可用" in run.error


def test_jobs_page_for_officials_and_admins_only(client, auth, create_user):
    auth.login(create_user(Role.ENTERPRISE))
    assert client.get("/jobs/").status_code == 403
    assert client.post("/jobs/run", data={"name": "dashboard"}).status_code == 403
    auth.logout()
    auth.login(create_user(Role.OFFICIAL))
    page = client.get("/jobs/").get_data(as_text=True)
    assert "后台任务" in page and "未配置任务队列" in page and "看板数据汇总" in page
    answer = client.post("/jobs/run", data={"name": "dashboard"})
    assert answer.status_code == 303
    assert (
        db.session.scalar(select(func.count()).where(JobRun.name == "dashboard", JobRun.status == "done"))
        == 1
    )
    assert client.post("/jobs/run", data={"name": "digest_part"}).status_code == 303  # not startable by hand
    assert db.session.scalar(select(func.count()).where(JobRun.name == "digest_part")) == 0


def test_run_form_needs_its_csrf_token(make_app, create_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        official = create_user(Role.OFFICIAL)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(official.id)
            session["_fresh"] = True
        client.post("/jobs/run", data={"name": "dashboard"})
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0


def test_digest_part_reads_the_profile_the_recommendations_read(app, create_enterprise, make_policy):
    from decimal import Decimal

    from portal.models import EnterpriseFigures
    from portal.policies.recommendations import recommend_for

    make_policy(
        {
            "title": "宝安区营收增长奖励",
            "category": "资金奖励",
            "published_on": date(2026, 3, 1),
            "text": "营业收入同比增长 20% 以上的企业。",
            "conditions": {"all": [{"field": "revenue_growth", "op": "gte", "value": 0.2}]},
            "targets": {"industries": [], "qualifications": []},
            "support": {"kind": "fixed", "amount_wan": 10},
        }
    )
    grown, flat, unknown = (create_enterprise() for _ in range(3))
    # Growth comes from the yearly figures (a table of its own): a loader of the plain columns misses it.
    for firm, before in ((grown, "4000.00"), (flat, "5200.00")):
        db.session.add_all(
            [
                EnterpriseFigures(enterprise_id=firm.id, year=2024, revenue_wan=Decimal(before)),
                EnterpriseFigures(enterprise_id=firm.id, year=2025, revenue_wan=Decimal("5230.00")),
            ]
        )
    db.session.commit()
    services.enqueue("digest", parts=2)
    digest = {e.enterprise_id: e.policy_ids for e in db.session.scalars(select(DigestEntry))}
    from portal.timeutil import today

    on = today()
    for firm in (grown, flat, unknown):
        online = [card.policy.id for card in recommend_for(db.session.merge(firm), on=on).eligible]
        assert digest[firm.id] == online, firm.id
    assert digest[grown.id] and not digest[flat.id] and not digest[unknown.id]
