"""The district dashboard page (officials and admins)."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal.auth import role_required
from portal.dashboard import figures, services
from portal.models import Role
from portal.timeutil import today

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.route("/dashboard")
@role_required(Role.OFFICIAL, Role.ADMIN)
def district():
    """The district's figures: headline numbers over time, virtual parks, budgets."""
    headlines = services.headlines()
    return render_template(
        "dashboard/district.html",
        headlines=headlines,
        trend=figures.trend(headlines, today()),
        parks=services.park_figures(),
        budgets=services.budgets(),
    )
