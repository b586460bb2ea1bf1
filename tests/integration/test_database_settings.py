"""SQLite runs with WAL, enforced foreign keys and a busy timeout; times come back timezone-aware."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.accounts.models import Membership, Role
from core.extensions import db
from tests.builders import make_user


@pytest.mark.sqlite
def test_sqlite_connection_settings(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.sqlite
def test_a_row_pointing_at_nothing_is_refused(ctx):
    user = make_user()
    db.session.add(Membership(user_id=user.id, organization_id=999_999, role=Role.OWNER))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_stored_times_come_back_aware_in_utc(ctx):
    user = make_user()
    db.session.expire_all()
    reloaded = db.session.execute(text("SELECT created_at FROM users WHERE id = :id"), {"id": user.id}).scalar()
    assert reloaded is not None
    assert db.session.get(type(user), user.id).created_at.utcoffset().total_seconds() == 0
