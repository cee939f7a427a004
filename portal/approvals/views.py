"""Pages of the approvals capability."""

from flask import Blueprint

bp = Blueprint("approvals", __name__, url_prefix="/approvals", template_folder="templates")
