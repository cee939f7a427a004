"""The daily deadline reminders: policies closing within DEADLINE_REMINDER_DAYS reach each qualifying enterprise
that has not applied and has not muted the category, once ever. The clock is set through portal.timeutil.
(The same job's reminders to banks: tests/finance/test_route_reminders.py.)"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal.approvals import reminders
from portal.approvals import services as approvals
from portal.extensions import db
from portal.jobs import schedule
from portal.jobs import services as jobs
from portal.jobs.models import JobRun, RunStatus
from portal.models import Notification
from portal.timeutil import CHINA

TODAY = date(2026, 12, 3)
CATEGORY = "研发资助"


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(8), CHINA)


def _policy(make_policy, title: str, deadline: date | None, **fields):
    content = {
        "title": title,
        "category": CATEGORY,
        "published_on": date(2026, 1, 1),
        "text": "支持在宝安区注册的企业。",
        "conditions": {"all": [{"field": "registered_district", "op": "eq", "value": "宝安区"}]},
        "targets": {"industries": [], "qualifications": []},
        "support": {"kind": "fixed", "amount_wan": 10},
        "instant": True,
        "deadline": deadline,
    } | fields
    return make_policy(content)


def _run() -> JobRun:
    run = db.session.get(JobRun, jobs.enqueue("deadline_reminders"))
    assert run.status == RunStatus.DONE, run.error
    return run


def _reminders_of(enterprise_id: int) -> dict[str, str]:
    rows = db.session.execute(
        select(Notification.dedupe_key, Notification.title).where(
            Notification.enterprise_id == enterprise_id, Notification.dedupe_key.like("deadline:%")
        )
    )
    return dict(rows.all())


@pytest.fixture
def catalog(app, make_policy, create_enterprise):
    """Policies closing in 3, 7 and 8 days, one closed yesterday, one without a deadline; four firms."""
    policies = {
        "soon": _policy(make_policy, "三天后截止的研发资助", TODAY + timedelta(days=3)),
        "week": _policy(make_policy, "七天后截止的研发资助", TODAY + timedelta(days=7)),
        "later": _policy(make_policy, "八天后截止的研发资助", TODAY + timedelta(days=8)),
        "past": _policy(make_policy, "昨天截止的研发资助", TODAY - timedelta(days=1)),
        "open_ended": _policy(make_policy, "长期有效的研发资助", None),
    }
    firms = {
        "waiting": create_enterprise(),
        "applied": create_enterprise(),
        "muted": create_enterprise(muted_categories=[CATEGORY]),
        "elsewhere": create_enterprise(registered_district="南山区"),
    }
    # the applied firm has applied for the policy closing first (not for the one closing in a week)
    approvals.apply_instant(firms["applied"], policies["soon"], actor=None, on=TODAY)
    db.session.commit()
    return policies, firms


def test_closing_policies_are_the_open_ones_within_the_window(catalog):
    policies, _ = catalog
    closing = reminders.closing_policies(TODAY, 7)
    assert [p.id for p in closing] == [policies["soon"].id, policies["week"].id]


def test_qualifying_firms_that_have_not_applied_are_reminded_once(catalog, clock):
    policies, firms = catalog
    clock(_morning(TODAY))
    first = _run()
    assert first.result == {
        "policies": 2,
        "sent": 3,  # waiting × 2, applied × 1 (the policy it has not applied for)
        "muted": 2,  # the muted firm, for each policy
        "already": 0,
        "banks_reminded": 0,
        "banks_already": 0,
    }
    soon, week = policies["soon"].id, policies["week"].id
    waiting = _reminders_of(firms["waiting"].id)
    assert set(waiting) == {f"deadline:{soon}", f"deadline:{week}"}
    assert waiting[f"deadline:{soon}"] == "申报即将截止（还剩 3 天）：三天后截止的研发资助"
    assert set(_reminders_of(firms["applied"].id)) == {f"deadline:{week}"}
    assert _reminders_of(firms["muted"].id) == {} and _reminders_of(firms["elsewhere"].id) == {}
    note = db.session.scalar(select(Notification).where(Notification.dedupe_key == f"deadline:{soon}"))
    assert note.category == CATEGORY and note.link == f"/policies/{soon}" and note.policy_id == soon
    assert "2026-12-06 截止" in note.body and "一键申请" in note.body
    # a second run (the same day or any later one) sends nothing more
    assert _run().result == first.result | {"sent": 0, "already": 3}
    clock(_morning(TODAY + timedelta(days=2)))  # "later" has entered the window: only its reminders are new
    assert _run().result | {"sent": 0} == {
        "policies": 3, "sent": 0, "muted": 3, "already": 3, "banks_reminded": 0, "banks_already": 0,
    }  # fmt: skip
    later = f"deadline:{policies['later'].id}"
    keys = db.session.scalars(
        select(Notification.dedupe_key).where(Notification.dedupe_key.like("deadline:%"))
    )
    assert sorted(keys) == sorted([f"deadline:{soon}"] + [f"deadline:{week}"] * 2 + [later] * 2)


def test_the_window_is_configurable(catalog, clock, app):
    app.config["DEADLINE_REMINDER_DAYS"] = 3
    clock(_morning(TODAY))
    assert _run().result["policies"] == 1


def test_the_reminder_on_the_last_day(catalog, clock):
    policies, firms = catalog
    clock(_morning(TODAY + timedelta(days=3)))
    _run()
    key = f"deadline:{policies['soon'].id}"
    assert _reminders_of(firms["waiting"].id)[key].startswith("申报即将截止（今天截止）")


def test_the_cli_runs_it(catalog, runner, clock):
    clock(_morning(TODAY))
    result = runner.invoke(args=["jobs", "run", "deadline_reminders"])
    assert result.exit_code == 0, result.output
    assert "'sent': 3" in result.output


def test_it_is_scheduled_in_the_morning_and_startable_by_hand():
    assert schedule.SCHEDULE["deadline_reminders"].at_hour == 8
    assert schedule.SCHEDULE["post_audit"].at_hour == 1
    assert jobs.TASKS["deadline_reminders"].label and jobs.TASKS["post_audit"].label
