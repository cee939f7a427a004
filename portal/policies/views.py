"""Pages of the policies capability."""

from flask import Blueprint

bp = Blueprint("policies", __name__, url_prefix="/policies", template_folder="templates")
