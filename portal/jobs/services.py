"""Background jobs: run one (recording state, duration and error), enqueue it on RQ or run it inline, the
scheduler tick, the nightly digest split by enterprise ranges, and the overview officials see.

Every job calls into a feature's own service; this module only owns the JobRun records and the fan-out.
Job functions own their unit of work (like CLI commands): they commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import delete, func, insert, select

from portal import timeutil
from portal.extensions import db
from portal.jobs import schedule
from portal.jobs.models import DigestEntry, JobRun, RunStatus
from portal.models import Enterprise
from portal.services import ServiceError
from portal.timeutil import today, utcnow

log = logging.getLogger(__name__)
QUEUE = "portal"  # the queue `make worker` listens on (as portal.policies.jobs)
TICK_SECONDS = 60
DIGEST_TOP = 20


# ---------------------------------------------------------------- the jobs (each calls a feature service)


def _dashboard(**_: Any) -> dict:
    from portal.dashboard import services as dashboard

    snapshot = dashboard.refresh(utcnow())
    return {"seconds": snapshot.seconds}


def _expire_routes(**_: Any) -> dict:
    from portal.finance import services as finance

    expired, routed = finance.expire_routes(now=utcnow())
    return {"expired": expired, "routed": routed}


def _subscriptions(**_: Any) -> dict:
    from portal.alerts import services as alerts

    config = current_app.config
    report = alerts.run_digest(
        on=today(),
        secret=config["SECRET_KEY"],
        base_url=config["PUBLIC_BASE_URL"],
        smtp={
            "host": config["SMTP_HOST"],
            "port": config["SMTP_PORT"],
            "sender": config["SMTP_SENDER"],
            "username": config["SMTP_USERNAME"],
            "password": config["SMTP_PASSWORD"],
            "starttls": config["SMTP_STARTTLS"],
            "timeout": config["SMTP_TIMEOUT"],
        },
    )
    return {
        "users": report.users,
        "inbox": report.inbox,
        "mailed": report.mailed,
        "mail_errors": report.mail_errors,
    }


def _deadline_reminders(**_: Any) -> dict:
    """Remind firms of policies closing soon, and banks of routed requests whose answer falls due soon."""
    from portal.approvals import reminders
    from portal.finance import services as finance

    config = current_app.config
    report = reminders.remind_deadlines(timeutil.today(), days=int(config["DEADLINE_REMINDER_DAYS"]))
    banks, banks_already = finance.remind_routes(
        within=timedelta(hours=float(config["ROUTE_REMINDER_HOURS"])), now=timeutil.utcnow()
    )
    return report.as_dict() | {"banks_reminded": banks, "banks_already": banks_already}


def _post_audit(day: str = "", **_: Any) -> dict:
    """Draw a day's automatic approvals for post-audit (default: yesterday, China time)."""
    from portal.approvals import services as approvals

    config = current_app.config
    on = date.fromisoformat(day) if day else timeutil.today() - timedelta(days=1)
    report = approvals.sample_for_audit(
        on, key=config["SECRET_KEY"], share=float(config["POST_AUDIT_SHARE"]), at=timeutil.utcnow()
    )
    return report.as_dict()


def _delivery(job_id: int = 0, **_: Any) -> dict:
    from portal.policies import jobs as delivery

    job = delivery.run(int(job_id))
    return {"delivery_job": job.id, "status": str(job.status), "pushed": job.pushed}


def _digest(parts: int = 0, **_: Any) -> dict:
    """Plan tonight's digest: one digest_part job per enterprise id range (RQ spreads them over workers)."""
    first, last = db.session.execute(select(func.min(Enterprise.id), func.max(Enterprise.id))).one()
    if first is None:
        return {"parts": 0}
    parts = int(parts or current_app.config.get("DIGEST_PARTS", 8))
    day = today()
    planned = []
    for lo, hi in schedule.ranges(first, last, parts):
        planned.append(enqueue("digest_part", part=f"{lo}-{hi}", lo=lo, hi=hi, day=day.isoformat()))
    return {"parts": len(planned), "day": day.isoformat(), "runs": planned}


def _digest_part(lo: int, hi: int, day: str, run_id: int | None = None, **_: Any) -> dict:
    """Top policies for enterprises lo..hi with the recommender's digest; results replace that range's rows."""
    from portal.policies import recommender
    from portal.policies.recommendations import digest_table, policy_index

    on = date.fromisoformat(day)
    index = policy_index()
    # The range's profiles as a recommender table (memory ∝ the range, not the district).
    table, ids = digest_table(lo, hi, on)
    result = recommender.digest(index, table, DIGEST_TOP, open_on=on)
    policy_ids = [int(p) for p in index.policy_ids]
    rows = []
    for r, enterprise_id in enumerate(ids):
        top = [policy_ids[p] for p in result.policies[r].tolist() if p >= 0]
        rows.append({"day": on, "enterprise_id": enterprise_id, "policy_ids": top, "run_id": run_id})
    db.session.execute(
        delete(DigestEntry).where(DigestEntry.day == on, DigestEntry.enterprise_id.between(lo, hi))
    )
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(DigestEntry), rows[start : start + 5000])
    return {"firms": len(rows), "with_matches": sum(1 for r in rows if r["policy_ids"])}


@dataclass(frozen=True)
class Task:
    """A job the portal knows: its label for officials and the function that does it."""

    label: str
    fn: Callable[..., dict]


TASKS: dict[str, Task] = {
    "dashboard": Task("看板数据汇总", _dashboard),
    "expire_routes": Task("融资推送逾期收回与重新推送", _expire_routes),
    "subscriptions": Task("订阅提醒", _subscriptions),
    "digest": Task("夜间推荐汇总（按企业分段）", _digest),
    "digest_part": Task("夜间推荐汇总 · 分段", _digest_part),
    "delivery": Task("政策精准推送", _delivery),
    "deadline_reminders": Task("申报截止与银行答复期限提醒", _deadline_reminders),
    "post_audit": Task("秒批事后抽查抽样（前一日）", _post_audit),
}


# ---------------------------------------------------------------- running and enqueueing


def _record(run_id: int, **values: Any) -> None:
    """Write a run's state in its own short commit, so the overview shows it while the job works."""
    run = db.session.get(JobRun, run_id)
    for name, value in values.items():
        setattr(run, name, value)
    db.session.commit()


def execute(run_id: int, name: str, kwargs: dict) -> JobRun:
    """Run a recorded job now in this process: running → done (with its result) or failed (with the error)."""
    from portal.ops import JOB_SECONDS

    task = TASKS[name]
    started, clock = utcnow(), time.perf_counter()
    _record(run_id, status=RunStatus.RUNNING, started_at=started)
    outcome = "error"
    try:
        result = task.fn(run_id=run_id, **kwargs)
        db.session.commit()
        outcome = "done"
    except Exception as exc:
        db.session.rollback()
        log.exception("job %s (run %s) failed", name, run_id)
        message = str(exc) if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"[:2000]
        _record(
            run_id,
            status=RunStatus.FAILED,
            error=message,
            finished_at=utcnow(),
            seconds=round(time.perf_counter() - clock, 3),
        )
        return db.session.get(JobRun, run_id)
    finally:
        JOB_SECONDS.labels(name, outcome).observe(time.perf_counter() - clock)
    _record(
        run_id,
        status=RunStatus.DONE,
        result=result,
        finished_at=utcnow(),
        seconds=round(time.perf_counter() - clock, 3),
    )
    return db.session.get(JobRun, run_id)


def _queue():
    from redis import Redis
    from rq import Queue

    config = current_app.config
    return Queue(config.get("RQ_QUEUE") or QUEUE, connection=Redis.from_url(config["REDIS_URL"]))


def enqueue(name: str, *, part: str = "", at: datetime | None = None, **kwargs: Any) -> int:
    """Record a run and hand it to RQ when REDIS_URL is set, else run it inline now; return the run's id.

    Commits (the run must exist before a worker picks it up)."""
    if name not in TASKS:
        raise ServiceError(f"未知的后台任务：{name}")
    on_rq = bool(current_app.config.get("REDIS_URL"))
    run = JobRun(
        name=name,
        part=part,
        where="rq" if on_rq else "inline",
        enqueued_at=at or utcnow(),  # the scheduler's clock, so `due` compares like with like
        result={"args": kwargs},
    )
    db.session.add(run)
    db.session.commit()
    if not on_rq:
        execute(run.id, name, kwargs)
        return run.id
    try:
        _queue().enqueue(
            job_task,
            run.id,
            name,
            kwargs,
            job_timeout=current_app.config.get("JOB_TIMEOUT", 3600),
            description=f"{name} {part}".strip(),
        )
    except Exception as exc:  # Redis down: the run says so; the CLI can run the job by hand
        log.exception("could not enqueue %s", name)
        _record(
            run.id,
            status=RunStatus.FAILED,
            error=f"任务队列不可用：{type(exc).__name__}",
            finished_at=utcnow(),
        )
    return run.id


def job_task(run_id: int, name: str, kwargs: dict) -> str:
    """The RQ entry point: run the recorded job inside an app (the worker process builds its own)."""
    if has_app_context():
        return execute(run_id, name, kwargs).status
    from portal import create_app

    with create_app().app_context():
        return execute(run_id, name, kwargs).status


# ---------------------------------------------------------------- the scheduler


def last_started(name: str) -> datetime | None:
    """When the job was last enqueued (queued runs count: a slow queue must not pile up duplicates)."""
    moment = db.session.scalar(select(func.max(JobRun.enqueued_at)).where(JobRun.name == name))
    if moment is not None and moment.tzinfo is None:  # SQLite returns naive UTC
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment


def tick(now: datetime) -> list[str]:
    """Enqueue every scheduled job that is due at `now`; return their names."""
    started = []
    for name, every in schedule.SCHEDULE.items():
        if schedule.due(every, last_started(name), now):
            enqueue(name, at=now)
            started.append(name)
    return started


def tick_task() -> list[str]:
    """RQ's periodic entry: run the tick, then schedule the next one (RQ's scheduler, `--with-scheduler`)."""
    from portal import create_app

    app = current_app._get_current_object() if has_app_context() else create_app()
    with app.app_context():
        started = tick(utcnow())
        schedule_next(app, TICK_SECONDS)
        return started


def schedule_next(app, seconds: int) -> bool:
    """Put the next tick on RQ's scheduler unless one is already planned (one chain for all workers)."""
    with app.app_context():
        queue = _queue()
        # SET NX with an expiry a little over the interval: a second `jobs schedule` or worker does not start
        # a second chain, and a chain lost with its worker restarts by itself on the next `jobs schedule`.
        key = f"{queue.name}:tick:next"
        if not queue.connection.set(key, "1", nx=True, ex=seconds + 30):
            return False
        queue.enqueue_in(timedelta(seconds=seconds), _tick_entry, description="scheduler tick")
        return True


def _tick_entry() -> list[str]:
    """What the scheduled RQ job calls: clear the chain marker, then tick (which plans the next one)."""
    from portal import create_app

    app = current_app._get_current_object() if has_app_context() else create_app()
    with app.app_context():
        queue = _queue()
        queue.connection.delete(f"{queue.name}:tick:next")
    return tick_task()


# ---------------------------------------------------------------- what officials see


@dataclass
class Overview:
    """The jobs page: per job its last runs, failures, and the queue when RQ is used."""

    latest: dict[str, JobRun | None]
    runs: list[JobRun]
    failures: list[JobRun]
    queue: dict[str, Any]


def queue_state() -> dict[str, Any]:
    """RQ's queue depth, started and failed counts, and workers; {"mode": "inline"} without Redis."""
    if not current_app.config.get("REDIS_URL"):
        return {"mode": "inline"}
    try:
        from rq import Worker

        queue = _queue()
        return {
            "mode": "rq",
            "depth": queue.count,
            "started": queue.started_job_registry.count,
            "scheduled": queue.scheduled_job_registry.count,
            "failed": queue.failed_job_registry.count,
            "workers": Worker.count(queue=queue),
        }
    except Exception as exc:  # the page still shows the runs recorded in the database
        return {"mode": "rq", "error": type(exc).__name__}


def overview(limit: int = 50) -> Overview:
    """The last runs (newest first), the last run of each job, recent failures and the queue."""
    runs = list(db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))
    latest = {
        name: db.session.scalar(select(JobRun).where(JobRun.name == name).order_by(JobRun.id.desc()).limit(1))
        for name in TASKS
    }
    failures = list(
        db.session.scalars(
            select(JobRun).where(JobRun.status == RunStatus.FAILED).order_by(JobRun.id.desc()).limit(10)
        )
    )
    return Overview(latest, runs, failures, queue_state())
