"""One "open on a day" rule: Policy.open_on gives the same answer in Python and as a SQL condition."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.policies.models import Policy, PolicyStatus


@pytest.mark.parametrize(
    ("status", "deadline", "day", "open_"),
    [
        (PolicyStatus.PUBLISHED, None, date(2026, 12, 2), True),
        (
            PolicyStatus.PUBLISHED,
            date(2026, 12, 2),
            date(2026, 12, 2),
            True,
        ),  # the deadline day itself counts
        (PolicyStatus.PUBLISHED, date(2026, 12, 1), date(2026, 12, 2), False),
        (PolicyStatus.DRAFT, None, date(2026, 12, 2), False),
        (PolicyStatus.EXPIRED, date(2027, 1, 1), date(2026, 12, 2), False),
    ],
)
def test_open_on_agrees_in_python_and_sql(create_policy, status, deadline, day, open_):
    policy = create_policy(status=status, deadline=deadline)
    assert policy.open_on(day) is open_ and policy.is_open(day) is open_
    in_sql = db.session.scalar(select(Policy.id).where(Policy.id == policy.id, Policy.open_on(day)))
    assert (in_sql == policy.id) is open_
