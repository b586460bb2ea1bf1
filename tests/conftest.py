"""Fixtures shared by every test: an app on SQLite or PostgreSQL, clients and builders.

``TEST_DATABASE=postgres`` runs the suite against a private database created on the
shared PostgreSQL server (127.0.0.1:5432 unless ``TEST_POSTGRES_URL`` says otherwise)
and dropped at the end. Without a reachable server those tests skip with the reason
printed; under CI (``CI=true``) a missing server is an error instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from core.extensions import db, limiter
from nongsan_app import create_app

pytest_plugins = ["tests.localstripe"]

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` (row locks) run in the PostgreSQL pass only, ``sqlite`` ones (pragmas) in the SQLite
    pass.

    They are deselected, not skipped: `make test` runs both passes, so each runs where it means something.
    """
    other = "sqlite" if os.environ.get("TEST_DATABASE") == "postgres" else "postgres"
    selected = [item for item in items if other not in item.keywords]
    deselected = [item for item in items if other in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def need_service(reason: str) -> None:
    """Skip a test whose service is missing on a bare machine; in CI that is a failure."""
    if IN_CI:
        pytest.fail(f"CI requires this service: {reason}")
    pytest.skip(reason)


def postgres_available() -> str | None:
    import psycopg

    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}"


def create_postgres_database() -> tuple[str, Callable[[], None]]:
    """A fresh, private database on the shared server, and a function that drops it."""
    import psycopg

    name = f"nongsan_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = re.sub(r"/[^/]*$", f"/{name}", POSTGRES_ADMIN_URL)

    def drop() -> None:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


@contextlib.contextmanager
def fresh_database(folder: Path) -> Iterator[str]:
    """The URL of a new, empty database of the backend under test (TEST_DATABASE), removed afterwards."""
    if os.environ.get("TEST_DATABASE", "sqlite") == "postgres":
        problem = postgres_available()
        if problem:
            need_service(problem)
        url, drop = create_postgres_database()
        try:
            yield url
        finally:
            drop()
    else:
        yield f"sqlite:///{folder / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


REPOSITORY = Path(__file__).resolve().parent.parent


def epcis_standards_dir() -> Path | None:
    """GS1's EPCIS 2.0 schema and examples: EPCIS_SCHEMA_DIR, else the shared standards folder beside the repository
    (GS1's files are never copied into it)."""
    given = os.environ.get("EPCIS_SCHEMA_DIR")
    folder = Path(given) if given else REPOSITORY.parent / "shared" / "standards" / "epcis"
    return folder if (folder / "epcis-json-schema.json").is_file() else None


def test_overrides(database_url: str, instance_path: Path, **extra: Any) -> dict[str, Any]:
    overrides = {
        "NONGSAN_ENV": "testing",
        "SECRET_KEY": "test-only-" + uuid.uuid4().hex,
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": "http://localhost",
        "INSTANCE_PATH": str(instance_path),
        "STORAGE_LOCAL_PATH": str(instance_path / "files"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "localhost",
        "GEO_WARM_UP": False,
        # Every request reads the trace page's version and sends its view count at once (tests of the memo and
        # the tally set their own).
        "TRACE_VERSION_TTL": 0,
        "SCAN_FLUSH_SECONDS": 0,
        "MARKET_SEARCH_SECONDS": 0,
        "EPCIS_SCHEMA_DIR": str(epcis_standards_dir() or ""),
    }
    overrides.update(extra)
    return overrides


@pytest.fixture(scope="session")
def app(database_url: str, instance_path: Path) -> Iterator[Flask]:
    application = create_app(test_overrides(database_url, instance_path), environ={})
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request) -> Iterator[None]:
    """Every test starts from empty tables (the schema is made once per session)."""
    yield
    if "app" not in request.fixturenames:
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))
    limiter.reset()  # per-IP counters must not leak from one test into the next


@pytest.fixture
def make_app(database_url: str, instance_path: Path) -> Iterator[Callable[..., Flask]]:
    """Another app on the same database with other settings (the tables come from ``app``)."""
    built: list[Flask] = []

    def build(environ: dict[str, str] | None = None, **overrides: Any) -> Flask:
        built.append(create_app(test_overrides(database_url, instance_path, **overrides), environ=environ or {}))
        return built[-1]

    yield build
    for application in built:  # each app has its own connection pool; close it (PostgreSQL warns otherwise)
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.remove()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token a browser would find in the form at ``url``."""
    response = client.get(url)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token in the form at {url}"
    return match.group(1)
