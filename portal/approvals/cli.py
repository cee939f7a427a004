"""Command line of the approvals capability: thin click commands over its services."""

from flask.cli import AppGroup

approvals_cli = AppGroup("approvals", help="审批相关命令。")
