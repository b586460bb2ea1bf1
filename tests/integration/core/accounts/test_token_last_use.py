"""A token's last use is recorded to the minute, without the auth check committing the request's work."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select, update

from core.accounts.models import ApiToken, Organization, OrganizationKind
from core.db import utcnow
from core.extensions import db
from tests.builders import bearer, make_token, make_user
from tests.integration.core.accounts.helpers import Seed


def _last_use(app):
    with app.app_context():
        try:
            return db.session.scalar(select(ApiToken.last_used_at))
        finally:
            db.session.remove()


def _token_updates(app):
    """A list that collects every UPDATE of api_tokens sent to the database."""
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(engine, "before_cursor_execute", listen)


def test_two_calls_within_a_minute_write_the_last_use_once(app, client):
    token = Seed(app)(lambda: make_token(make_user()))
    assert _last_use(app) is None
    updates, stop = _token_updates(app)
    try:
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
        first = _last_use(app)
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    finally:
        stop()
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    assert len(updates) == 1
    assert _last_use(app) == first


def test_a_call_past_the_minute_records_the_new_last_use(app, client):
    token = Seed(app)(lambda: make_token(make_user()))
    earlier = utcnow() - timedelta(minutes=2)

    def age():
        db.session.execute(update(ApiToken).values(last_used_at=earlier))
        db.session.commit()

    Seed(app)(age)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    recorded = _last_use(app)
    assert recorded > earlier + timedelta(minutes=1)
    assert utcnow() - recorded < timedelta(seconds=30)


def test_the_auth_check_does_not_commit_the_requests_unfinished_work(ctx, client):
    token = make_token(make_user())
    # Work flushed but not committed in the session the request shares, as a service that later raises leaves it.
    db.session.add(Organization(name="Nửa chừng", kind=OrganizationKind.HOUSEHOLD))
    db.session.flush()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(Organization).where(Organization.name == "Nửa chừng")) is None
