"""`flask accounts ...`: operator commands."""

from flask.cli import AppGroup

accounts_cli = AppGroup("accounts", help="Manage user accounts.")
