"""load_config: settings from the environment, production refusing to guess, development defaults."""

from __future__ import annotations

import stat

import pytest

from core.config import REQUIRED_IN_PRODUCTION, ConfigurationError, load_config

PRODUCTION = {
    "SECRET_KEY": "s" * 64,
    "DATABASE_URL": "postgresql://nongsan@db.internal/nongsan",
    "PUBLIC_BASE_URL": "https://nongsan.example.vn/",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "STORAGE_BACKEND": "s3",
}


def test_production_is_the_default_and_takes_every_required_setting(tmp_path):
    config = load_config(PRODUCTION, tmp_path)
    assert config["NONGSAN_ENV"] == "production"
    assert config["SECRET_KEY"] == "s" * 64
    assert config["PUBLIC_BASE_URL"] == "https://nongsan.example.vn"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["CELERY"]["broker_url"] == "redis://redis.internal:6379/0"
    assert config["CELERY"]["task_always_eager"] is False
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
def test_production_without_a_required_setting_stops_naming_it(tmp_path, name):
    environ = {key: value for key, value in PRODUCTION.items() if key != name}
    with pytest.raises(ConfigurationError, match=name):
        load_config(environ, tmp_path)


def test_production_with_an_empty_setting_counts_it_missing(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_config({**PRODUCTION, "SECRET_KEY": ""}, tmp_path)


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="staging"):
        load_config({**PRODUCTION, "NONGSAN_ENV": "staging"}, tmp_path)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/nongsan", "postgresql+psycopg://u:p@db:5432/nongsan"),
        ("postgresql://u:p@db/nongsan", "postgresql+psycopg://u:p@db/nongsan"),
        ("postgresql+psycopg://u@db/nongsan", "postgresql+psycopg://u@db/nongsan"),
        ("sqlite:////var/lib/nongsan/db.sqlite3", "sqlite:////var/lib/nongsan/db.sqlite3"),
    ],
)
def test_database_url_gets_the_psycopg_driver(tmp_path, given, expected):
    config = load_config({**PRODUCTION, "DATABASE_URL": given}, tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == expected


def test_postgres_connections_give_up_instead_of_hanging(tmp_path):
    options = load_config(PRODUCTION, tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"]["connect_timeout"] > 0
    assert "connect_args" not in load_config({"NONGSAN_ENV": "development"}, tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1", True),
        ("true", True),
        ("True", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("", False),
    ],
)
def test_boolean_settings(tmp_path, given, expected):
    assert load_config({**PRODUCTION, "MAIL_USE_TLS": given}, tmp_path)["MAIL_USE_TLS"] is expected


def test_a_missing_boolean_takes_its_default(tmp_path):
    assert load_config(PRODUCTION, tmp_path)["MAIL_USE_TLS"] is False


def test_a_number_that_is_not_a_number_is_named(tmp_path):
    with pytest.raises(ConfigurationError, match="MAIL_PORT"):
        load_config({**PRODUCTION, "MAIL_PORT": "twenty-five"}, tmp_path)
    assert load_config({**PRODUCTION, "MAIL_PORT": "587"}, tmp_path)["MAIL_PORT"] == 587


def test_tasks_run_eagerly_only_without_a_broker(tmp_path):
    development = {"NONGSAN_ENV": "development"}
    assert load_config(development, tmp_path)["CELERY"]["task_always_eager"] is True
    assert (
        load_config({**development, "CELERY_BROKER_URL": "redis://x:6379/0"}, tmp_path)["CELERY"]["task_always_eager"]
        is False
    )
    # A broker given as an override (as the tests do) counts the same as one from the environment.
    assert (
        load_config(development, tmp_path, {"CELERY_BROKER_URL": "redis://x:6379/0"})["CELERY"]["task_always_eager"]
        is False
    )
    forced = {**development, "CELERY_BROKER_URL": "redis://x:6379/0", "CELERY_TASK_ALWAYS_EAGER": "true"}
    assert load_config(forced, tmp_path)["CELERY"]["task_always_eager"] is True


def test_development_makes_a_private_secret_once_and_reuses_it(tmp_path):
    first = load_config({"NONGSAN_ENV": "development"}, tmp_path)
    second = load_config({"NONGSAN_ENV": "development"}, tmp_path)
    secret_file = tmp_path / "secret_key"
    assert len(first["SECRET_KEY"]) >= 64
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == secret_file.read_text().strip()
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no staging files left behind


def test_development_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    config = load_config({"NONGSAN_ENV": "development", "PORT": "5050"}, tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'nongsan.sqlite3'}"
    assert config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5050"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_overrides_win_over_the_environment(tmp_path):
    config = load_config({**PRODUCTION, "LOGIN_FAILURE_LIMIT": "9"}, tmp_path, {"LOGIN_FAILURE_LIMIT": 3})
    assert config["LOGIN_FAILURE_LIMIT"] == 3


def test_production_trusts_one_proxy_by_default_and_development_none(tmp_path):
    # Behind the reverse proxy every visitor would otherwise share its address (and its per-IP limit).
    assert load_config(PRODUCTION, tmp_path)["TRUSTED_PROXIES"] == 1
    assert load_config({**PRODUCTION, "TRUSTED_PROXIES": "2"}, tmp_path)["TRUSTED_PROXIES"] == 2
    assert load_config({"NONGSAN_ENV": "development"}, tmp_path)["TRUSTED_PROXIES"] == 0


@pytest.mark.parametrize("given", ["abc", "-1", "100", "NaN", "Infinity", ""])
def test_a_platform_fee_the_ledger_cannot_apply_stops_production_naming_it(tmp_path, given):
    with pytest.raises(ConfigurationError, match="PLATFORM_FEE_PERCENT"):
        load_config({**PRODUCTION, "PLATFORM_FEE_PERCENT": given}, tmp_path)


def test_a_decimal_platform_fee_is_taken(tmp_path):
    assert load_config({**PRODUCTION, "PLATFORM_FEE_PERCENT": "2.5"}, tmp_path)["PLATFORM_FEE_PERCENT"] == "2.5"
