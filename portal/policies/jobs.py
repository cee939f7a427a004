"""Background delivery: RQ on Redis when REDIS_URL is set, inline otherwise (tests, a laptop).

The job function owns its unit of work like a CLI command: it commits after each chunk so the official sees
progress, and marks the job failed (committed) if delivery raises.
"""

from __future__ import annotations

import logging
import time

from flask import current_app, has_app_context

from portal import services
from portal.extensions import db
from portal.policies import delivery
from portal.policies.models import DeliveryJob, JobStatus
from portal.timeutil import today, utcnow

log = logging.getLogger(__name__)
QUEUE = "portal"  # the queue `make worker` listens on


def dispatch(job: DeliveryJob) -> str:
    """Start a committed delivery job: enqueue it on RQ, or run it now; return "queued" or "done"/"failed"."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return run(job.id).status
    try:
        from redis import Redis
        from rq import Queue

        queue = Queue(current_app.config.get("RQ_QUEUE") or QUEUE, connection=Redis.from_url(url))
        queue.enqueue(delivery_task, job.id, job_timeout=3600, description=f"policy delivery job {job.id}")
    except Exception as exc:  # Redis down or misconfigured: say so on the policy page; deliver can be re-run
        log.exception("could not enqueue delivery job %s", job.id)
        job.status, job.error, job.finished_at = (
            JobStatus.FAILED,
            f"任务队列不可用：{type(exc).__name__}",
            utcnow(),
        )
        db.session.commit()
        return job.status
    return "queued"


def run(job_id: int) -> DeliveryJob:
    """Run one delivery job to the end, committing progress after each chunk."""
    from portal.ops import JOB_SECONDS

    started, outcome = time.perf_counter(), "error"
    try:
        job = _run(job_id)
        outcome = str(job.status)
        return job
    finally:
        JOB_SECONDS.labels("delivery", outcome).observe(time.perf_counter() - started)


def _run(job_id: int) -> DeliveryJob:
    job = db.session.get(DeliveryJob, job_id)
    if job is None:
        raise LookupError(f"delivery job {job_id} not found")
    try:
        delivery.deliver(job.policy, on=today(), job=job, after_chunk=lambda *_: db.session.commit())
    except Exception as exc:
        db.session.rollback()
        job = db.session.get(DeliveryJob, job_id)
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        job.error = str(exc) if isinstance(exc, services.ServiceError) else f"推送出错：{type(exc).__name__}"
        db.session.commit()
        if not isinstance(exc, services.ServiceError):
            raise
        return job
    db.session.commit()
    return job


def delivery_task(job_id: int) -> str:
    """The RQ entry point: run the job inside an app (the worker process builds its own)."""
    if has_app_context():
        return run(job_id).status
    from portal import create_app

    with create_app().app_context():
        return run(job_id).status
