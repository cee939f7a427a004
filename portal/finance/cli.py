"""Command line of the finance capability: thin click commands over its services."""

from flask.cli import AppGroup

finance_cli = AppGroup("finance", help="融资相关命令。")
