"""When background jobs are due, and how the nightly digest is split into enterprise ranges (no Flask import)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Every:
    """A periodic job: every `seconds`, or (daily) once per China Standard Time day from `at_hour` on."""

    seconds: int = 0
    at_hour: int | None = None


# What the scheduler tick starts. Intervals are shorter than the freshness the pages promise (the dashboard
# says "每 10 分钟更新", so it is refreshed every 5), and daily work runs at night, China time.
SCHEDULE: dict[str, Every] = {
    "dashboard": Every(seconds=300),
    "expire_routes": Every(seconds=600),
    "subscriptions": Every(at_hour=7),
    "digest": Every(at_hour=2),
    "post_audit": Every(at_hour=1),  # yesterday's approvals, once the day is over
    "deadline_reminders": Every(at_hour=8),  # in the morning, when firms read their inbox
}


def due(every: Every, last_started: datetime | None, now: datetime) -> bool:
    """Whether a job last started at `last_started` (None: never) should start at `now` (both aware)."""
    if every.at_hour is None:
        return last_started is None or now - last_started >= timedelta(seconds=every.seconds)
    local_now = now.astimezone(CHINA)
    if local_now.hour < every.at_hour:
        return False
    slot = local_now.replace(hour=every.at_hour, minute=0, second=0, microsecond=0)  # today's start time
    return last_started is None or last_started < slot


def ranges(first: int, last: int, parts: int) -> list[tuple[int, int]]:
    """Split ids first..last (inclusive) into at most `parts` contiguous ranges of near-equal width."""
    if last < first or parts < 1:
        return []
    width = last - first + 1
    parts = min(parts, width)
    step, extra = divmod(width, parts)
    out, start = [], first
    for k in range(parts):
        stop = start + step + (1 if k < extra else 0) - 1
        out.append((start, stop))
        start = stop + 1
    return out
