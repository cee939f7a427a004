"""The one idempotent insert: the unique key decides, on SQLite and PostgreSQL, with nothing read first."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.idempotent import insert_ignoring_duplicates, insert_once
from portal.models import Notification
from portal.services import notify


def _notes(enterprise_id: int) -> list[tuple[str | None, str]]:
    return db.session.execute(
        select(Notification.dedupe_key, Notification.title)
        .where(Notification.enterprise_id == enterprise_id)
        .order_by(Notification.id)
    ).all()


def test_notify_with_a_key_writes_once(create_enterprise):
    firm = create_enterprise()
    first = notify(firm.id, category="测试", title="第一次", dedupe_key="k:1")
    assert first is not None and first.id and first.created_at is not None  # defaults applied by the insert
    assert notify(firm.id, category="测试", title="第二次", dedupe_key="k:1") is None
    assert notify(firm.id, category="测试", title="无键一", dedupe_key=None) is not None
    assert notify(firm.id, category="测试", title="无键二", dedupe_key=None) is not None  # no key: no dedupe
    assert _notes(firm.id) == [("k:1", "第一次"), (None, "无键一"), (None, "无键二")]


def test_bulk_insert_skips_existing_keys_and_keeps_the_rest(create_enterprise):
    firm = create_enterprise()
    table = Notification.__table__
    keys = ("enterprise_id", "dedupe_key")
    assert insert_once(
        table, {"enterprise_id": firm.id, "dedupe_key": "a", "category": "c", "title": "旧"}, keys=keys
    )
    rows = [
        {"enterprise_id": firm.id, "dedupe_key": key, "category": "c", "title": f"新{key}"}
        for key in ("a", "b", "c")
    ]
    insert_ignoring_duplicates(table, rows, keys=keys)
    insert_ignoring_duplicates(table, rows, keys=keys)  # a re-run adds nothing
    insert_ignoring_duplicates(table, [], keys=keys)
    assert _notes(firm.id) == [("a", "旧"), ("b", "新b"), ("c", "新c")]
    assert db.session.scalar(select(func.count(Notification.id))) == 3
