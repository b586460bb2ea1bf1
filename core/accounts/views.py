"""Account pages: sign up, sign in, sign out, organization profile and members."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
