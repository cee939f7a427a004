"""Time in one place: timestamps in UTC, "today" and deadlines in China Standard Time, working days by the
State Council's holiday calendar (chinese-calendar), including 调休 make-up working days."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar

CHINA = ZoneInfo("Asia/Shanghai")
log = logging.getLogger(__name__)

# For a year the calendar package does not cover yet (the State Council announces each year's dates in
# November or December): Monday to Friday, except the statutory holidays that fall on fixed dates
# (《全国年节及纪念日放假办法》: 元旦 1 Jan, 劳动节 1–2 May, 国庆 1–3 Oct). Lunar holidays and 调休 days cannot be
# known before the announcement, so such deadlines may be a day or two early; upgrading chinese-calendar fixes it.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})
_warned_years: set[int] = set()


def utcnow() -> datetime:
    """Now, timezone-aware in UTC (how timestamps are stored)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Asia/Shanghai (what "today" means to the portal's users)."""
    return datetime.now(CHINA).date()


def local(moment: datetime | None) -> datetime | None:
    """A stored UTC timestamp in China Standard Time, for display."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite returns naive datetimes; they were stored as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA)


def calendar_covers(day: date) -> bool:
    """Whether the holiday calendar has the announced dates for this day's year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


# Cached: chinese-calendar scans its whole table for the covered year range on every call (≈ 40 µs a day).
@cache
def is_working_day(day: date) -> bool:
    """Whether `day` is a working day in mainland China (holidays off, 调休 make-up weekends on)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning(
                "chinese-calendar has no %s holidays yet: counting Mon–Fri minus fixed-date holidays",
                day.year,
            )
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself is not counted)."""
    counted = 0
    while counted < count:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
