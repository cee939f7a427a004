"""Time in one place: timestamps in UTC, "today" and deadlines in China Standard Time."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


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
