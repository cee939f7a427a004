"""Password rules: a minimum length per kind of account, no common password, no password containing the username.

Pure: no Flask import. The list of refused passwords is package data (portal/data/common_passwords.txt).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

ENTERPRISE_MIN_LENGTH = 8
# Officials, bank staff and admins reach many enterprises' data: a longer minimum.
STAFF_MIN_LENGTH = 12
MAX_LENGTH = 128
STAFF_ROLES = frozenset({"official", "bank", "admin"})


@cache
def common_passwords() -> frozenset[str]:
    """The refused passwords, lower-cased."""
    text = resources.files("portal").joinpath("data", "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def min_length(role: str) -> int:
    """The shortest password the role may have."""
    return STAFF_MIN_LENGTH if role in STAFF_ROLES else ENTERPRISE_MIN_LENGTH


def problem(password: str, *, username: str, role: str) -> str | None:
    """Why the password is refused for this account, in Chinese; None when it is acceptable."""
    shortest = min_length(role)
    if len(password) < shortest:
        if role in STAFF_ROLES:
            return f"政府工作人员、金融机构和管理员账号的密码至少 {shortest} 位。"
        return f"密码至少 {shortest} 位。"
    if len(password) > MAX_LENGTH:
        return f"密码最多 {MAX_LENGTH} 位。"
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        return "该密码过于常见，容易被猜中，请换一个。"
    name = username.strip().lower()
    if len(name) >= 3 and name in lowered:
        return "密码不能包含用户名。"
    return None
