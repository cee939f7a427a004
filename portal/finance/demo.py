"""Demo data of the finance capability, written after the kernel's (enterprises, banks, parks, accounts)."""

from __future__ import annotations

from datetime import date

from portal.models import User


def seed(on: date, users: dict[str, User]) -> list[str]:
    """Write this capability's demo data; return summary lines."""
    return []
