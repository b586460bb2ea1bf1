"""Password hashing, API token authentication and the acting user."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import request
from flask_login import current_user
from sqlalchemy import Connection, Row, or_, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from core.accounts.models import ApiToken, User
from core.db import utcnow
from core.errors import AuthenticationError
from core.extensions import db

_hasher = PasswordHasher()
TOKEN_PREFIX = "ns_"
BEARER = [{"bearerAuth": []}]
# How stale a token's recorded last use may be before a call writes it again.
LAST_USE_RESOLUTION = timedelta(minutes=1)


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
    token_hash = hash_token(token.strip())
    # The look-up and the last use go through their own short transaction on their own connection, so the auth
    # check never commits (or rolls back) the request's work, and a read-only call still records its use. Once the
    # request's session holds a transaction (the caller resolved late), a second connection would wait on SQLite
    # for that one's write lock: then the last use rides on the request's transaction, kept if it commits.
    if db.session().in_transaction():
        row = _check_token(db.session.connection(), token_hash)
    else:
        with db.engine.begin() as connection:
            row = _check_token(connection, token_hash)
    user = _session_user(row) if row is not None else None
    if user is None or not user.is_active:
        raise AuthenticationError("The API token is unknown or revoked.")
    return user


USER_COLUMNS = tuple(User.__table__.c)


def _session_user(row: Row) -> User | None:
    """The token's user as an instance of the request's session, made from the columns the token check read.

    The check already joined the user's row; reading it again through the session would cost every API call a
    round trip. A user the session holds already is that instance (refreshed if expired), never a second copy.
    """
    user_id = row.user_id
    if db.session.identity_map.get(identity_key(User, user_id)) is not None:
        return db.session.get(User, user_id)
    user = User(**{column.key: row._mapping[column] for column in USER_COLUMNS})
    make_transient_to_detached(user)  # as if loaded: nothing pending, so adding it writes nothing
    db.session.add(user)
    return user


def _check_token(connection: Connection, token_hash: str) -> Row | None:
    """The token's id, last use and its active user's columns (None if unknown or revoked); stamps its last use
    when stale.

    The last use is a minute's resolution: writing it on every call would make every read a write (on SQLite, a
    turn at the one write lock). The UPDATE repeats the staleness test, so two calls racing write it once.
    """
    row = connection.execute(
        select(ApiToken.id.label("token_id"), ApiToken.user_id, ApiToken.last_used_at, *USER_COLUMNS)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None), User.is_active.is_(True))
    ).first()
    if row is None:
        return None
    now = utcnow()
    cutoff = now - LAST_USE_RESOLUTION
    if row.last_used_at is None or row.last_used_at < cutoff:
        connection.execute(
            update(ApiToken)
            .where(ApiToken.id == row.token_id, or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < cutoff))
            .values(last_used_at=now)
        )
    return row


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
