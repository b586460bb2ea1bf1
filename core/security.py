"""Password hashing, API token authentication and the acting user."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import UTC, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import request
from flask_login import current_user
from sqlalchemy import or_, select, update

from core.accounts.models import ApiToken, User
from core.db import utcnow
from core.errors import AuthenticationError
from core.extensions import db

# How precisely a token's last use is kept: finer would cost a write per request.
LAST_USE_RESOLUTION = timedelta(minutes=1)

_hasher = PasswordHasher()
TOKEN_PREFIX = "ns_"
BEARER = [{"bearerAuth": []}]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> tuple[str, str]:
    """A fresh API token and the SHA-256 hex digest that is stored in its place."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_from_bearer() -> User | None:
    """The user behind ``Authorization: Bearer <token>``; ``AuthenticationError`` if it is wrong."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("Send 'Authorization: Bearer <token>' with a token from POST /api/v1/auth/tokens.")
    row = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == hash_token(token.strip()), ApiToken.revoked_at.is_(None), User.is_active.is_(True)
        )
    ).first()
    if row is None:
        raise AuthenticationError("The API token is unknown or revoked.")
    api_token, user = row
    _record_use(api_token)
    return user


def _record_use(api_token: ApiToken) -> None:
    """Keep when the token was last used, to the minute: a write at most once a minute, not one per request.

    The write is its own short transaction, committed here: the caller is resolved before the view runs (the
    ``authenticated`` decorator asks first), so nothing of the request's own work is pending yet and none is
    committed with it. The UPDATE is conditional, so concurrent requests of one token write it once.
    """
    now = utcnow()
    last = api_token.last_used_at
    if last is not None and (last if last.tzinfo else last.replace(tzinfo=UTC)) > now - LAST_USE_RESOLUTION:
        return
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USE_RESOLUTION)
    db.session.execute(
        update(ApiToken).where(ApiToken.id == api_token.id, stale).values(last_used_at=now),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


def api_user() -> User | None:
    """The authenticated API caller for this request, or None (resolved once per request)."""
    # Cached on the request itself: ``g`` belongs to the app context, which an outer
    # context (a CLI command, a test) may share across several requests.
    key = "nongsan.api_user"
    if key not in request.environ:
        request.environ[key] = user_from_bearer()
    return request.environ[key]


def auth_required(view):
    """Refuse an API call without a valid bearer token (401, problem JSON)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if api_user() is None:
            raise AuthenticationError("This endpoint needs 'Authorization: Bearer <token>'.")
        return view(*args, **kwargs)

    return wrapper


def current_actor() -> User | None:
    """Who is acting: the API token's user under /api, else the signed-in page user."""
    if request.path.startswith("/api/"):
        return api_user()
    return current_user if current_user.is_authenticated else None


def load_session_user(user_id: str) -> User | None:
    """Flask-Login's user loader for page sessions."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.is_active else None
