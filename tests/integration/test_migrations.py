"""`flask db upgrade` on an empty database must produce exactly the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from core.extensions import db
from tests.conftest import fresh_database


@pytest.fixture
def empty_database_url(tmp_path):
    with fresh_database(tmp_path) as url:
        yield url


def test_upgrade_from_empty_matches_the_models(make_app, empty_database_url):
    app = make_app(DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"migrations and models differ: {differences}"
        db.engine.dispose()


def test_downgrade_to_base_removes_every_table(make_app, empty_database_url):
    app = make_app(DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()
