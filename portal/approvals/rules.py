"""The 秒批 decision: approve, reject or send to an official, from conditions, support and a profile.

Pure module (no Flask). Budgets are the caller's business.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from portal.conditions import (
    FAIL,
    FIELDS,
    INPUT_LABELS,
    PASS,
    UNKNOWN,
    Result,
    bind_own,
    derive,
    describe_support,
    evaluate,
    explain_support,
    leaves,
    matcher,
    support_amount,
    to_decimal,
    verdict,
)

APPROVE, REJECT, REVIEW = "approve", "reject", "review"


@dataclass(frozen=True)
class Decision:
    """What the rules decided, with the per-condition results and the reasons shown to the enterprise."""

    outcome: str  # approve | reject | review
    amount: Decimal | None
    results: list[Result]
    reasons: list[str]


def rests_on(conditions: Mapping, support: Mapping) -> list[str]:
    """Return the enterprise record fields that the conditions and the amount depend on, in order."""
    # the portal's own records are the portal's facts: nothing for a government source to verify
    fields = [
        i
        for row in leaves(conditions)
        if FIELDS[row["field"]].source != "portal"
        for i in FIELDS[row["field"]].inputs
    ]
    if support.get("kind") in ("ratio", "tiers", "per_unit"):
        fields.append(support["base"])
    return list(dict.fromkeys(fields))


def _checker(verified: Callable[[str], bool] | set[str] | frozenset[str]) -> Callable[[str], bool]:
    return verified if callable(verified) else verified.__contains__


def _outcome(status: str, unverified: list[str], amount: Decimal | None) -> str:
    if status == FAIL:
        return REJECT
    if status == UNKNOWN or unverified or amount is None:
        return REVIEW
    return APPROVE


def decide(
    policy_conditions: Mapping,
    support: Mapping,
    profile: Mapping[str, Any],
    verified: Callable[[str], bool] | set[str] | frozenset[str],
) -> Decision:
    """Decide an instant application: any fail → reject; unknown or self-declared data → review; else approve."""
    results = evaluate(policy_conditions, profile)
    status = verdict(results)
    is_verified = _checker(verified)
    unverified = [f for f in rests_on(policy_conditions, support) if not is_verified(f)]
    amount = support_amount(support, profile) if status != FAIL else None
    outcome = _outcome(status, unverified, amount)
    if outcome == REJECT:
        reasons = [r.sentence for r in results if r.status == FAIL]
    elif outcome == APPROVE:
        reasons = [f"全部条件均满足（{describe_support(support)}），核定金额 {amount} 万元"]
        if support.get("kind") in ("tiers", "per_unit") or support.get("over_wan") is not None:
            reasons.append(explain_support(support, profile))  # which tier was reached, what base counted
    else:
        reasons = [r.sentence for r in results if r.status == UNKNOWN]
        if unverified:
            names = "、".join(INPUT_LABELS.get(f, f) for f in unverified)
            reasons.append(f"以下数据为企业自行申报、尚未核验，需工作人员审核：{names}")
        if amount is None and status != UNKNOWN:
            reasons.append(f"补助金额无法自动核定（{describe_support(support)}），需工作人员审核")
    return Decision(outcome, amount, results, reasons)


def decide_plan(
    policies: Iterable[Mapping], enterprises: Iterable[Mapping], as_of: date
) -> Iterator[tuple[str, str, str, str]]:
    """Yield (uscc, policy_id, outcome, amount_str) for every enterprise × instant policy, all data verified."""
    instant = [
        (p["id"], matcher(bind_own(p["criteria"], p.get("group"))), p["support"])
        for p in policies
        if p.get("instant")
    ]
    for record in enterprises:
        profile = derive(record, as_of)
        for policy_id, run, support in instant:
            status = run(profile)
            amount = support_amount(support, profile) if status != FAIL else None
            outcome = _outcome(status, [], amount)
            yield record["uscc"], policy_id, outcome, str(amount) if outcome == APPROVE else ""


def snapshot(
    policy_conditions: Mapping,
    support: Mapping,
    profile: Mapping[str, Any],
    provenance: Mapping[str, Mapping],
) -> dict[str, dict[str, Any]]:
    """Return the profile values a decision used and the provenance of each record field they rest on."""
    used = [row["field"] for row in leaves(policy_conditions)]
    if support.get("kind") in ("ratio", "tiers", "per_unit"):
        used.append(support["base"])
    sources = {}
    for name in rests_on(policy_conditions, support):
        source = provenance.get(name)
        sources[name] = (
            {"source": source.get("source", ""), "date": source.get("date", "")}
            if source
            else {"source": "自主申报", "date": ""}
        )
    return {"values": {name: _plain(profile.get(name)) for name in dict.fromkeys(used)}, "sources": sources}


def _plain(value: Any) -> Any:
    """JSON-able form of a profile value (exact numbers and dates as text)."""
    if isinstance(value, tuple | list):
        return list(value)
    if isinstance(value, Mapping):  # approved_groups: {group: years since the latest approval}
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def amount_ceiling(support: Mapping, profile: Mapping[str, Any]) -> Decimal | None:
    """The most an official may approve: the computed amount, else the policy's cap; None when unbounded."""
    amount = support_amount(support, profile)
    if amount is not None:
        return amount
    cap = support.get("cap_wan")
    return None if cap is None else to_decimal(cap).quantize(Decimal("0.01"), ROUND_HALF_UP)


def grantable(
    policy_conditions: Mapping, support: Mapping
) -> Callable[[Mapping[str, Any], Callable[[str], bool]], Decimal | None]:
    """Compile a policy for 免申即享: (profile, verified) → the amount it would approve, or None (bulk path)."""
    run = matcher(policy_conditions)
    needed = rests_on(policy_conditions, support)

    def amount_for(profile: Mapping[str, Any], verified: Callable[[str], bool]) -> Decimal | None:
        if run(profile) != PASS or not all(verified(f) for f in needed):
            return None
        return support_amount(support, profile)

    return amount_for


# ---------------------------------------------------------------- post-audit draw

_DRAW_SCALE = 2**64  # the first 8 bytes of the digest, read as a fraction of this


def audit_draw(key: str | bytes, application_id: int, day: date) -> float:
    """The application's draw for post-audit on `day`: HMAC-SHA256 under `key`, read as a number in [0, 1)."""
    secret = key.encode() if isinstance(key, str) else key
    # "post-audit" separates this use of the key from its others (sessions, links): no shared digests
    message = f"post-audit|{application_id}|{day.isoformat()}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / _DRAW_SCALE


def drawn_for_audit(ids: Iterable[int], *, key: str | bytes, day: date, share: float) -> list[int]:
    """The ids drawn for post-audit on `day` (ascending): those whose keyed draw is below `share`.

    Deterministic given the key (a rerun of a day draws the same set), and unpredictable without it (an
    applicant cannot tell beforehand whether an approval will be checked)."""
    return sorted(i for i in set(ids) if audit_draw(key, i, day) < share)
