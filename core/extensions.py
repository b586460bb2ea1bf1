"""Every Flask extension, created unbound and attached in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from core.db import Base
from core.openapi import ProblemApi

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
api = ProblemApi()
# Per-IP limits stay generous: a whole co-op office may share one address.
limiter = Limiter(key_func=get_remote_address, default_limits=["600 per minute"])


def sign_in_limit() -> str:
    """Sign-in and token requests a client address may make a minute, whatever their outcome."""
    from flask import current_app

    return f"{current_app.config['SIGN_IN_REQUESTS_PER_MINUTE']} per minute"


def resolver_limit() -> str:
    from flask import current_app

    return f"{current_app.config['RESOLVER_REQUESTS_PER_MINUTE']} per minute"
