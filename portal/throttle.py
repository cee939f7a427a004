"""Flask-Limiter storage in the portal's database ("portaldb://"): exact per-address limits across workers and
hosts without Redis. Counters are fixed windows, written on their own short transaction, so a request that rolls
back still counts and a counter never waits for the request's unit of work."""

from __future__ import annotations

import time

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.models import RateLimitCounter

TABLE = RateLimitCounter.__table__


class DatabaseStorage(Storage):
    """limits' Storage on the rate_limit_counters table (fixed-window strategy)."""

    STORAGE_SCHEME = ["portaldb"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        """Errors that mean "the store is down" (Flask-Limiter swallows them when configured)."""
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add to the key's counter, starting a new window when the old one has ended; the new count."""
        now = time.time()
        insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(TABLE).values(key=key, count=amount, expires_at=now + expiry)
        ended = TABLE.c.expires_at <= now
        stmt = stmt.on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={
                "count": case((ended, amount), else_=TABLE.c.count + amount),
                "expires_at": case((ended, now + expiry), else_=TABLE.c.expires_at),
            },
        ).returning(TABLE.c.count)
        with db.engine.begin() as conn:
            return int(conn.execute(stmt).scalar_one())

    def get(self, key: str) -> int:
        """The key's count in its current window (0 when none)."""
        with db.engine.connect() as conn:
            row = conn.execute(select(TABLE.c.count, TABLE.c.expires_at).where(TABLE.c.key == key)).first()
        return int(row.count) if row and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (epoch seconds)."""
        with db.engine.connect() as conn:
            expires = conn.execute(select(TABLE.c.expires_at).where(TABLE.c.key == key)).scalar()
        return float(expires) if expires else time.time()

    def check(self) -> bool:
        """True when the database answers."""
        try:
            with db.engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Drop every counter."""
        with db.engine.begin() as conn:
            return conn.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Drop one key's counter."""
        with db.engine.begin() as conn:
            conn.execute(delete(TABLE).where(TABLE.c.key == key))
