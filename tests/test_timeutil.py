"""Working days by the State Council's calendar: 国庆 and 春节 are off, 调休 make-up weekends are on, and a year the
calendar does not cover falls back to Monday–Friday minus the fixed-date holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal import timeutil
from portal.finance import matching


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 10, 1), False),  # 国庆, a Thursday
        (date(2026, 10, 7), False),  # last day of the 国庆 break, a Wednesday
        (date(2026, 10, 10), True),  # Saturday 调休: a make-up working day
        (date(2026, 9, 20), True),  # Sunday 调休 before 国庆
        (date(2026, 2, 17), False),  # 春节, a Tuesday
        (date(2026, 2, 28), True),  # Saturday 调休 after 春节
        (date(2026, 12, 2), True),  # an ordinary Wednesday
        (date(2026, 12, 5), False),  # an ordinary Saturday
    ],
)
def test_is_working_day_follows_the_announced_calendar(day, working):
    assert timeutil.calendar_covers(day)
    assert timeutil.is_working_day(day) is working


def test_add_working_days_skips_national_day_and_counts_the_make_up_saturday():
    # From Wed 30 Sep 2026: 1–7 Oct are off, Thu 8 and Fri 9 count, Sat 10 (调休) counts.
    assert timeutil.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert timeutil.add_working_days(date(2026, 9, 30), 0) == date(2026, 9, 30)


def test_a_year_not_covered_falls_back_to_weekdays_minus_fixed_holidays(caplog):
    far = date(2099, 10, 1)
    assert not timeutil.calendar_covers(far)
    assert timeutil.is_working_day(far) is False  # 国庆 falls on fixed dates
    assert timeutil.is_working_day(date(2099, 10, 5)) is True  # a Monday: lunar/调休 days are not known yet
    assert timeutil.is_working_day(date(2099, 10, 3)) is False  # Saturday
    assert timeutil.add_working_days(date(2099, 9, 30), 1) == date(2099, 10, 5)
    assert "2099" in caplog.text


def test_finance_deadline_does_not_fall_inside_national_day():
    # Posted Tue 29 Sep 2026 10:00 CST, 3 working days: Wed 30 Sep, Thu 8 Oct, Fri 9 Oct → due Sat 10 Oct 00:00 CST.
    start = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)
    assert matching.deadline(start, 3) == datetime(2026, 10, 9, 16, 0, tzinfo=UTC)
