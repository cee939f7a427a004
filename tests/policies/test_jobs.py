"""Background delivery: RQ on Redis when configured (skipped when Redis is unreachable)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Notification
from portal.policies import jobs
from portal.policies.models import DeliveryJob

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis():
    try:
        from redis import Redis

        conn = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
        conn.ping()
        return conn
    except Exception:
        return None


@pytest.mark.skipif(_redis() is None, reason="Redis is not reachable on 127.0.0.1:6379")
def test_publish_enqueues_on_redis_and_a_worker_delivers(
    make_app, create_user, create_policy, create_enterprise
):
    from rq import Queue, SimpleWorker

    queue_name = f"test-policies-{uuid.uuid4().hex[:8]}"  # never the shared "portal" queue
    app = make_app(REDIS_URL=REDIS_URL, RQ_QUEUE=queue_name)
    create_enterprise()
    create_enterprise()
    policy = create_policy(status="draft")
    official = create_user("official")
    client = app.test_client()
    with app.app_context():
        client.post("/login", data={"username": official.username, "password": "correct-horse-9"})
        page = client.post(f"/policies/{policy.id}/publish", follow_redirects=True).get_data(as_text=True)
        assert "已进入后台队列" in page
        assert db.session.scalar(select(func.count(Notification.id))) == 0  # nothing pushed in the request
        job = db.session.scalar(select(DeliveryJob))
        assert job.status == "queued"
        queue = Queue(queue_name, connection=_redis())
        assert queue.count == 1
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        db.session.expire_all()
        job = db.session.get(DeliveryJob, job.id)
        assert (job.status, job.pushed, job.done) == ("done", 2, 2)
        assert db.session.scalar(select(func.count(Notification.id))) == 2
        queue.delete(delete_jobs=True)


def test_unreachable_queue_marks_the_job_failed(make_app, create_policy, create_user):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    policy = create_policy(status="draft")
    official = create_user("official")
    with app.app_context():
        from portal.policies import catalog
        from portal.timeutil import today

        job = catalog.publish(db.session.merge(policy), actor=db.session.merge(official), on=today())
        db.session.commit()
        assert jobs.dispatch(job) == "failed"
        assert "任务队列不可用" in db.session.get(DeliveryJob, job.id).error
