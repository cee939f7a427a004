"""The labelled-enum base and the finance transition tables with their one conditional-UPDATE helper."""

from __future__ import annotations

import pytest

from portal.approvals.models import STATUS_LABELS, Status
from portal.extensions import db
from portal.finance.models import (
    OFFER_TRANSITIONS,
    REQUEST_LABELS,
    REQUEST_TRANSITIONS,
    ROUTE_TRANSITIONS,
    FinancingRequest,
    OfferStatus,
    RequestStatus,
    RouteStatus,
)
from portal.labels import LabelledEnum
from portal.policies.models import JobStatus, PolicyStatus
from portal.transitions import IllegalTransition, move


def test_labelled_enum_stores_the_value_and_keeps_the_label():
    assert RequestStatus.OPEN == "open" and RequestStatus("open").label == "撮合中"
    assert RequestStatus.label_of("disbursed") == "已放款"
    assert RequestStatus.label_of("legacy") == "legacy"  # an unknown stored value is shown as it is
    assert REQUEST_LABELS["withdrawn"] == "已撤回"  # the old dicts still answer plain strings
    assert STATUS_LABELS[Status.IN_REVIEW] == "待人工审核"


@pytest.mark.parametrize("enum", [PolicyStatus, JobStatus, Status, RequestStatus, RouteStatus, OfferStatus])
def test_every_status_has_a_distinct_chinese_label(enum):
    assert issubclass(enum, LabelledEnum)
    labels = [member.label for member in enum]
    assert len(set(labels)) == len(labels) and all(label and label.isascii() is False for label in labels)


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        (REQUEST_TRANSITIONS, RequestStatus),
        (ROUTE_TRANSITIONS, RouteStatus),
        (OFFER_TRANSITIONS, OfferStatus),
    ],
)
def test_transition_tables_cover_every_status(table, enum):
    assert set(table) == set(enum)
    assert all(target in enum for targets in table.values() for target in targets)


def _request(world):
    request = world.post()
    db.session.commit()
    return request


def test_move_changes_one_row_once_and_refuses_an_unlisted_change(world):
    request = _request(world)
    kwargs = {"table": REQUEST_TRANSITIONS, "current": RequestStatus.OPEN}
    assert move(FinancingRequest, request.id, target=RequestStatus.WITHDRAWN, **kwargs) is True
    # The second mover (a racing request) finds the row already moved and changes nothing.
    assert move(FinancingRequest, request.id, target=RequestStatus.WITHDRAWN, **kwargs) is False
    db.session.expire_all()
    assert db.session.get(FinancingRequest, request.id).status == RequestStatus.WITHDRAWN
    with pytest.raises(IllegalTransition, match="已撤回 → 撮合中"):
        move(
            FinancingRequest,
            request.id,
            table=REQUEST_TRANSITIONS,
            current=RequestStatus.WITHDRAWN,
            target=RequestStatus.OPEN,
        )
