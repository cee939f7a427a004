"""The daily deadline_reminders job tells each bank once of a routed request whose answer falls due within
ROUTE_REMINDER_HOURS (a notice, and a `reminded` event in the request's log). The clock is set through
portal.timeutil."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.finance import services
from portal.finance.models import BankNotice, FinanceEvent
from portal.jobs import services as jobs
from portal.jobs.models import JobRun, RunStatus
from portal.timeutil import CHINA
from tests.finance.conftest import MONDAY


def _remind_at(moment: datetime, clock) -> dict:
    clock(moment)
    run = db.session.get(JobRun, jobs.enqueue("deadline_reminders"))
    assert run.status == RunStatus.DONE, run.error
    return run.result


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(8), CHINA)


def _reminders(bank_id: int) -> list[str]:
    query = select(BankNotice.title).where(
        BankNotice.bank_id == bank_id, BankNotice.title.like("%即将到答复期限%")
    )
    return list(db.session.scalars(query))


def test_banks_are_reminded_once_on_the_last_day_to_answer(world, clock):
    # routed Monday 10:00; the banks must answer before Friday 00:00 (China time)
    request = world.post(now=MONDAY)
    first, declining = world.bank_ids[0], world.bank_ids[1]
    route = services.bank_route(request.id, declining)
    services.decline(
        route, actor=world.bank_user(declining), reason="额度已满", now=MONDAY + timedelta(hours=1)
    )
    db.session.commit()  # the fourth bank takes its slot, due the same Friday 00:00
    waiting = [b for b in world.bank_ids if b != declining]
    # 40 hours before the deadline: not yet
    assert _remind_at(_morning(date(2026, 12, 2)), clock)["banks_reminded"] == 0
    result = _remind_at(_morning(date(2026, 12, 3)), clock)  # 16 hours before
    assert (result["banks_reminded"], result["banks_already"]) == (3, 0)  # not the bank that declined
    for bank_id in waiting:
        assert _reminders(bank_id) == [f"融资需求 #{request.id} 即将到答复期限：2026-12-04 00:00"]
    assert _reminders(declining) == []
    events = select(FinanceEvent.bank_id).where(FinanceEvent.action == "reminded")
    assert sorted(db.session.scalars(events)) == sorted(waiting)
    # the rerun finds them reminded; after the deadline nothing is due any more
    result = _remind_at(_morning(date(2026, 12, 3)), clock)
    assert (result["banks_reminded"], result["banks_already"]) == (0, 3)
    assert _remind_at(_morning(date(2026, 12, 4)), clock)["banks_reminded"] == 0
    assert len(_reminders(first)) == 1


def test_the_window_is_configurable_and_answered_routes_are_left_alone(world, app, clock):
    app.config["ROUTE_REMINDER_HOURS"] = 48
    request = world.post(now=MONDAY)
    answered = world.bank_ids[0]
    services.decline(
        services.bank_route(request.id, answered),
        actor=world.bank_user(answered),
        reason="不符合准入",
        now=MONDAY,
    )
    db.session.commit()
    result = _remind_at(_morning(date(2026, 12, 2)), clock)  # 40 hours before: within 48
    assert (result["banks_reminded"], result["banks_already"]) == (3, 0)
    assert _reminders(answered) == []
