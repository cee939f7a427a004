"""The pure schedule: when jobs are due, and the digest's enterprise ranges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.jobs.schedule import Every, due, ranges


@pytest.mark.parametrize(
    ("first", "last", "parts", "expected"),
    [
        (1, 10, 2, [(1, 5), (6, 10)]),
        (1, 10, 3, [(1, 4), (5, 7), (8, 10)]),
        (5, 6, 4, [(5, 5), (6, 6)]),  # never more parts than ids
        (7, 6, 2, []),
        (1, 1_000_240, 8, None),
    ],
)
def test_ranges_cover_every_id_once(first, last, parts, expected):
    got = ranges(first, last, parts)
    if expected is not None:
        assert got == expected
    covered = [i for lo, hi in got for i in (lo, hi)]
    assert covered == sorted(covered)
    if got:
        assert got[0][0] == first and got[-1][1] == last
        assert all(b[0] == a[1] + 1 for a, b in zip(got, got[1:], strict=False))
        widths = [hi - lo + 1 for lo, hi in got]
        assert max(widths) - min(widths) <= 1


NOW = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)  # 02:30 on 4 December in Shanghai


@pytest.mark.parametrize(
    ("every", "last", "expected"),
    [
        (Every(seconds=300), None, True),
        (Every(seconds=300), NOW - timedelta(seconds=299), False),
        (Every(seconds=300), NOW - timedelta(seconds=300), True),
        (Every(at_hour=2), None, True),
        (Every(at_hour=2), NOW - timedelta(hours=1), True),  # 01:30 Shanghai: still the day before's run
        (Every(at_hour=2), NOW - timedelta(minutes=10), False),  # already ran at 02:20 today
        (Every(at_hour=3), None, False),  # before 03:00 Shanghai
    ],
)
def test_due(every, last, expected):
    assert due(every, last, NOW) is expected
