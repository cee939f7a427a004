"""The dashboard's arithmetic on figures already read: months, the shared month axis, trends (pure, no Flask)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from portal.timeutil import local


@dataclass
class Headline:
    """One headline figure: a count, an optional amount (万元), and counts per month."""

    label: str
    count: int
    amount_wan: Decimal | None
    by_month: dict[str, int]


def by_month(moments: Iterable[date | datetime]) -> dict[str, int]:
    """Counts per month ("2026-01"); a timestamp (UTC) counts in China time, a date as it is."""
    counts = Counter(
        local(m).strftime("%Y-%m") if isinstance(m, datetime) else m.strftime("%Y-%m") for m in moments
    )
    return dict(sorted(counts.items()))


def month_axis(on: date, count: int = 12) -> list[str]:
    """The `count` months ending with on's month, oldest first ("2026-01" …), so quiet months show as zero."""
    year, month = on.year, on.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def trend(figures: list[Headline], on: date, count: int = 12) -> dict:
    """Each headline's monthly counts on one shared month axis (data older than the axis is left out)."""
    months = month_axis(on, count)
    # Data before the window (or a stray future month) widens the axis rather than disappearing.
    seen = sorted({m for h in figures for m in h.by_month})
    if seen:
        months = sorted(set(months) | {m for m in seen if m >= months[0]})
    return {
        "months": months,
        "series": [{"label": h.label, "data": [h.by_month.get(m, 0) for m in months]} for h in figures],
    }
