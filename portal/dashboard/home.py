"""The enterprise home's answer to "what can I get?": best matches with amounts, deadlines, applications, offers.

Read-only: it combines the recommender's ranking with the enterprise's own applications and offers. The kernel's
home page reaches it through the hook create_app wires (portal.views.ENTERPRISE_OVERVIEW).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from portal.approvals import services as approvals
from portal.approvals.models import STATUS_LABELS, Status
from portal.models import Enterprise
from portal.policies import recommendations
from portal.policies.recommendations import Card

# An application in one of these states already settles the policy: it is no longer "to claim".
_SETTLED = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.PAID, Status.APPEALED})


@dataclass
class Overview:
    """Everything the enterprise home shows, computed once per request."""

    best: list[Card]
    total_wan: Decimal
    claimable: int
    deadlines: list[tuple[Card, int]]
    by_state: list[tuple[str, int]]
    offers: int
    instant: list[Card] = field(default_factory=list)


def enterprise_overview(enterprise: Enterprise, *, on: date, best: int = 5, deadlines: int = 5) -> Overview:
    """The enterprise's best matches with amounts and their total, nearest deadlines, applications, offers."""
    found = recommendations.recommend_for(enterprise, on=on)
    applications = approvals.applications_of(enterprise.id)
    settled = {a.policy_id for a in applications if a.status in _SETTLED}
    # What is still to claim: eligible and not already applied for (a rejected one may be applied for again).
    open_cards = [c for c in found.eligible if c.policy.id not in settled]
    ranked = sorted(open_cards, key=lambda c: (c.amount is None, -(c.amount or 0), c.policy.id))
    total = sum((c.amount for c in open_cards if c.amount is not None), Decimal("0.00"))
    dated = sorted(
        (c for c in open_cards if c.policy.deadline), key=lambda c: (c.policy.deadline, c.policy.id)
    )
    counts = Counter(Status(a.status) for a in applications)
    return Overview(
        best=ranked[:best],
        total_wan=total.quantize(Decimal("0.01")),
        claimable=len(open_cards),
        deadlines=[(c, (c.policy.deadline - on).days) for c in dated[:deadlines]],
        by_state=[(STATUS_LABELS[s], counts[s]) for s in Status if counts[s]],
        offers=len(approvals.open_offers(enterprise.id)),
        # 秒批事项: only the instant policies the enterprise qualifies for today, with the amount.
        instant=[c for c in ranked if c.policy.instant][:5],
    )
