"""The district dashboard page (officials and admins)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from portal import services as kernel
from portal.auth import role_required
from portal.dashboard import figures, services
from portal.extensions import db
from portal.models import Role
from portal.timeutil import today, utcnow

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.route("/dashboard")
@role_required(Role.OFFICIAL, Role.ADMIN)
def district():
    """The district's figures: headline numbers over time, virtual parks, budgets, funnels, bank response."""
    # The district-wide figures come pre-aggregated (a scheduled job refreshes them; without one, a stale one is
    # redone here).
    snapshot = services.figures(utcnow(), kernel.snapshot_max_age(current_app.config))
    db.session.commit()  # a snapshot computed here is kept for the next views
    asked = request.args.get("policy", type=int)
    focus = services.focus_policy(asked)
    if asked is not None and focus is None:
        abort(404)  # a draft's figures are not the district's, and an unknown id has none
    return render_template(
        "dashboard/district.html",
        headlines=snapshot.headlines,
        trend=figures.trend(snapshot.headlines, today()),
        parks=snapshot.parks,
        computed_at=snapshot.computed_at,
        budgets=services.budgets(),
        funnels=snapshot.funnels,
        focus=focus,
        focus_funnel=services.funnel_of(focus) if focus else None,
        burn=services.burn_down(focus, today()) if focus and focus.budget_wan is not None else None,
        banks=snapshot.banks,
    )
