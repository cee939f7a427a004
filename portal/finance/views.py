"""Pages of the finance capability."""

from flask import Blueprint

bp = Blueprint("finance", __name__, url_prefix="/finance", template_folder="templates")
