"""How an enterprise account proves it speaks for its enterprise: identity providers behind one small interface.

Built in: a one-time activation code the district issues per enterprise (hashed at rest, single use, expiring).
A deployment adds 电子营业执照 or a unified government login by registering another provider with
`register_provider`; `confirm` binds the account to the enterprise the provider vouches for, whichever it is.
Services flush and never commit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import ActivationCode, Enterprise, Role, User
from portal.timeutil import utcnow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from a letter
CODE_LENGTH = 16  # 16 symbols of 32 = 80 bits: guessing is hopeless even without the attempt limit
CODE_VALID_DAYS = 60
REFUSED = "激活码无效、已使用或已过期，请核对后重试，或联系区企业服务中心。"


class IdentityError(Exception):
    """A confirmation refused; the message is shown as is and never says which part was wrong."""


class IdentityProvider(Protocol):
    """Proves that an account speaks for an enterprise: returns the enterprise it vouches for, or raises."""

    name: str  # stored in User.confirmed_by
    label: str  # shown to the user

    def verify(self, user: User, evidence: dict[str, Any], now: datetime) -> Enterprise:
        """The enterprise the evidence proves the user speaks for; IdentityError if it proves nothing."""
        ...


_PROVIDERS: dict[str, IdentityProvider] = {}


def register_provider(provider: IdentityProvider) -> None:
    """Make a provider available to `confirm` under its name."""
    _PROVIDERS[provider.name] = provider


def provider(name: str) -> IdentityProvider:
    """The registered provider of that name (KeyError if none)."""
    return _PROVIDERS[name]


def providers() -> list[IdentityProvider]:
    """Every registered provider."""
    return list(_PROVIDERS.values())


def confirm(
    user: User, provider_name: str, evidence: dict[str, Any], *, now: datetime | None = None
) -> Enterprise:
    """Confirm an enterprise account through a provider: bind it to the enterprise the provider vouches for."""
    if user.role != Role.ENTERPRISE:
        raise IdentityError("只有企业账号需要认证。")
    if user.is_confirmed:
        raise IdentityError("账号已认证。")
    now = now or utcnow()
    enterprise = provider(provider_name).verify(user, evidence, now)
    user.enterprise_id = enterprise.id
    user.claimed_uscc = enterprise.uscc
    user.display_name = enterprise.name
    user.confirmed_at = now
    user.confirmed_by = provider_name
    db.session.flush()
    return enterprise


# ---------------------------------------------------------------- the built-in provider: activation codes


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    """A typed code without spaces, dashes and case (codes are printed in groups of four)."""
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())


def new_code() -> str:
    """A fresh random code, grouped by four for reading (XXXX-XXXX-XXXX-XXXX)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass(frozen=True)
class IssuedCode:
    """A code as issued: the plain text exists only here, for the letter; the database keeps its hash."""

    uscc: str
    name: str
    code: str
    expires_at: datetime


def issue_codes(
    enterprises: Iterable[Enterprise],
    *,
    actor: User | None,
    now: datetime | None = None,
    valid_days: int = CODE_VALID_DAYS,
) -> list[IssuedCode]:
    """Issue one new code per enterprise; earlier unused codes of those enterprises stop working."""
    now = now or utcnow()
    expires = now + timedelta(days=valid_days)
    issued = []
    for enterprise in enterprises:
        # One live code per enterprise: a re-issued letter makes the lost or intercepted one useless.
        db.session.execute(
            update(ActivationCode)
            .where(ActivationCode.enterprise_id == enterprise.id, ActivationCode.used_at.is_(None))
            .values(expires_at=now)
        )
        code = new_code()
        db.session.add(
            ActivationCode(
                enterprise_id=enterprise.id,
                code_hash=_hash(code),
                expires_at=expires,
                issued_by_id=actor.id if actor else None,
                created_at=now,
            )
        )
        issued.append(IssuedCode(enterprise.uscc, enterprise.name, code, expires))
    db.session.flush()
    return issued


def issue_codes_for(
    usccs: Iterable[str],
    *,
    actor: User | None,
    now: datetime | None = None,
    valid_days: int = CODE_VALID_DAYS,
) -> tuple[list[IssuedCode], list[str]]:
    """Codes for the enterprises with these credit codes → (issued, codes of no enterprise and no registration).

    A code not imported yet but named by a pending registration gets a bare, unverified enterprise record, so
    the district can confirm an enterprise that is not in the government feed.
    """
    wanted = list(dict.fromkeys(u.strip().upper() for u in usccs if u.strip()))
    found = {e.uscc: e for e in db.session.scalars(select(Enterprise).where(Enterprise.uscc.in_(wanted)))}
    missing = []
    for uscc in wanted:
        if uscc in found:
            continue
        claimant = db.session.scalar(
            select(User).where(User.claimed_uscc == uscc, User.enterprise_id.is_(None)).order_by(User.id)
        )
        if claimant is None:
            missing.append(uscc)
            continue
        enterprise = Enterprise(uscc=uscc, name=claimant.display_name, qualifications=[], verified={})
        db.session.add(enterprise)
        db.session.flush()
        found[uscc] = enterprise
    issued = issue_codes(
        (found[u] for u in wanted if u in found), actor=actor, now=now, valid_days=valid_days
    )
    return issued, missing


def pending_accounts(limit: int = 200) -> list[User]:
    """Enterprise accounts still waiting to be confirmed, newest first."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.ENTERPRISE, User.enterprise_id.is_(None))
            .order_by(User.created_at.desc(), User.id.desc())
            .limit(limit)
        )
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ActivationCodeProvider:
    """The built-in proof: a one-time code mailed by the district to the enterprise's registered address."""

    name = "activation_code"
    label = "区企业服务中心寄发的激活码"

    def verify(self, user: User, evidence: dict[str, Any], now: datetime) -> Enterprise:
        """The enterprise of a live code matching the account's credit code; the code is used up."""
        code = normalise_code(str(evidence.get("code") or ""))
        if len(code) != CODE_LENGTH:
            raise IdentityError(REFUSED)
        digest = _hash(code)
        row = db.session.scalar(
            select(ActivationCode).where(ActivationCode.code_hash == digest).with_for_update()
        )
        if (
            row is None
            or not hmac.compare_digest(row.code_hash, digest)
            or row.used_at is not None
            or _aware(row.expires_at) <= now
            or row.enterprise.uscc != (user.claimed_uscc or "")
        ):
            raise IdentityError(REFUSED)
        # Single use even under a race: only the request whose UPDATE finds the code unused wins.
        used = db.session.execute(
            update(ActivationCode)
            .where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None))
            .values(used_at=now, used_by_id=user.id)
        )
        if used.rowcount != 1:
            raise IdentityError(REFUSED)
        return row.enterprise


register_provider(ActivationCodeProvider())
