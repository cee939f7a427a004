"""Command line of the policies capability: thin click commands over its services."""

from flask.cli import AppGroup

policies_cli = AppGroup("policies", help="政策相关命令。")
