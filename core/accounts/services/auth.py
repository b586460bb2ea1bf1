"""Signing in, the failure limits (per login and address, per address), and personal API tokens."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from core import audit
from core.accounts import messages
from core.accounts.logins import LoginError, login_key, normalize_login
from core.accounts.models import ApiToken, LoginFailure, User
from core.db import utcnow
from core.errors import AuthenticationError, NotFound, TooManyAttempts
from core.extensions import db
from core.messages import N_
from core.security import hash_password, new_token, verify_password

_dummy_hash: str | None = None


def _spend_password_time(password: str) -> None:
    """Verify against a throwaway hash so an unknown login takes as long as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not a real password, only here for timing")
    verify_password(_dummy_hash, password)


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


# The audit log's codes for signing in (labels in AUDIT_ACTIONS).
SIGNED_IN = "account.signed_in"
SIGN_IN_FAILED = "account.sign_in_failed"
AUDIT_ACTIONS = {
    SIGNED_IN: N_("Signed in"),
    SIGN_IN_FAILED: N_("Sign-in failed"),
}


def _audit_failure(key: str, user: User | None, reason: str) -> None:
    """The failed attempt in the log: the account tried when there is one, the login as typed either way."""
    audit.record(user, SIGN_IN_FAILED, user, details={"login": key, "reason": reason}, organization_id=None)


def _blocked_for(where, limit: int) -> int | None:
    """Seconds until the failures matching ``where`` inside the window drop below ``limit``; None if they are below."""
    now = utcnow()
    since = now - _window()
    count = db.session.scalar(select(func.count(LoginFailure.id)).where(where, LoginFailure.at > since)) or 0
    if count < limit:
        return None
    # The block lifts when enough failures have aged out to drop below the limit.
    ages = db.session.scalars(
        select(LoginFailure.at).where(where, LoginFailure.at > since).order_by(LoginFailure.at).limit(count - limit + 1)
    ).all()
    return max(1, math.ceil((ages[-1] + _window() - now).total_seconds()))


def check_login_allowed(key: str, address: str | None = None) -> None:
    """``TooManyAttempts`` while ``key`` has reached its failure limit from ``address`` inside the window, or
    ``address`` its limit across every login.

    A login's failures count per client address, so that someone guessing from elsewhere cannot lock its owner out;
    an address's failures count across logins, so that it cannot try a few passwords on each of many logins.
    """
    config = current_app.config
    seconds = _blocked_for((LoginFailure.login == key) & _same_address(address), config["LOGIN_FAILURE_LIMIT"])
    if seconds is not None:
        _refuse(key, messages.TOO_MANY_ATTEMPTS_FOR_LOGIN(seconds=seconds), seconds)
    if address is not None:
        seconds = _blocked_for(LoginFailure.address == address, config["LOGIN_ADDRESS_FAILURE_LIMIT"])
        if seconds is not None:
            _refuse(key, messages.TOO_MANY_ATTEMPTS_FROM_ADDRESS(seconds=seconds), seconds)


def _refuse(key: str, message, seconds: int) -> None:
    """Log the blocked attempt (committed: the refusal must not take it back) and refuse it."""
    _audit_failure(key, None, "blocked")
    db.session.commit()
    raise TooManyAttempts(message, retry_after=seconds)


def _same_address(address: str | None):
    return LoginFailure.address.is_(None) if address is None else LoginFailure.address == address


def _record_failure(key: str, address: str | None, user: User | None) -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= utcnow() - _window()))
    db.session.add(LoginFailure(login=key, address=address))
    _audit_failure(key, user, "bad_credentials")
    db.session.commit()


def authenticate(
    login: str, password: str, address: str | None = None, *, via: str = "password", commit: bool = True
) -> User:
    """The active user with this login and password, asked from the client ``address``.

    Unknown logins and wrong passwords fail alike (same error, similar time) and
    both count toward the limits; a blocked login (from this address) stays blocked
    even when the right password is given, until its failures age out. Every attempt is in the
    audit log with the client's address; a success is committed here unless
    ``commit`` is false (the caller's commit then writes it with its own work).
    """
    key = login_key(login)
    check_login_allowed(key, address)
    user = None
    try:
        stored = normalize_login(login)
    except LoginError:
        stored = None
    if stored is not None:
        column = User.email if "@" in stored else User.phone
        user = db.session.scalar(select(User).where(column == stored))
    if user is None or not user.is_active:
        _spend_password_time(password or "")
        _record_failure(key, address, user)
        raise AuthenticationError(messages.BAD_CREDENTIALS)
    if not verify_password(user.password_hash, password or ""):
        _record_failure(key, address, user)
        raise AuthenticationError(messages.BAD_CREDENTIALS)
    audit.record(user, SIGNED_IN, user, details={"login": key, "via": via}, organization_id=None)
    if commit:
        db.session.commit()
    return user


def issue_token(login: str, password: str, name: str = "", address: str | None = None) -> tuple[ApiToken, str]:
    """A new API token for the user with these credentials, and its secret (shown once, stored hashed)."""
    user = authenticate(login, password, address, via="api_token", commit=False)
    secret, digest = new_token()
    token = ApiToken(user_id=user.id, name=(name or "").strip()[:100], token_hash=digest, prefix=secret[:8])
    db.session.add(token)
    db.session.commit()
    return token, secret


def list_tokens(user: User, *, offset: int = 0, limit: int | None = None) -> tuple[list[ApiToken], int]:
    """The user's own tokens, newest first, and how many there are."""
    where = ApiToken.user_id == user.id
    total = db.session.scalar(select(func.count(ApiToken.id)).where(where)) or 0
    query = select(ApiToken).where(where).order_by(ApiToken.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query)), total


def revoke_token(user: User, token_id: int) -> None:
    """Revoke one of ``user``'s tokens; someone else's token is ``NotFound``."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("Token not found.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
