"""JSON API for accounts, organizations and tokens."""

from flask_smorest import Blueprint

blp = Blueprint("accounts_api", __name__, description="Accounts, organizations and API tokens")
