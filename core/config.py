"""Settings read from the environment when the app is created, never at import.

Production is the default: a deployment that forgets a setting stops at start-up
with a message naming it instead of running on a guess. Development (``make run``)
is the embedded default: SQLite in the instance folder, tasks run in-process, and
a random secret generated once and kept in the instance folder.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("production", "development", "testing")

# Settings a production deployment must give; each is named in the error when missing.
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL", "CELERY_BROKER_URL", "STORAGE_BACKEND")


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment does not describe a runnable deployment."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None


def _instance_secret(instance_path: Path) -> str:
    """The embedded default's secret: made once (owner-only, 0600), kept with the instance database."""
    instance_path.mkdir(parents=True, exist_ok=True)
    secret_file = instance_path / "secret_key"
    try:
        # Written under a temporary name and linked into place, so a second process
        # starting at the same moment never reads a half-written (empty) secret.
        staging = instance_path / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(staging, secret_file)
        except FileExistsError:
            pass  # made earlier (or just now by another process): keep that one
        finally:
            staging.unlink()
    except OSError as exc:
        raise ConfigurationError(f"Cannot keep the development SECRET_KEY in {secret_file}: {exc}") from exc
    secret = secret_file.read_text().strip()
    if not secret:
        raise ConfigurationError(
            f"The development secret in {secret_file} is empty; delete the file to make a new one."
        )
    return secret


def _database_url(url: str) -> str:
    # Heroku-style URLs name the scheme "postgres"; SQLAlchemy wants an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config(
    environ: Mapping[str, str], instance_path: Path, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Build the Flask config mapping from ``environ`` and ``overrides`` (overrides win)."""
    overrides = dict(overrides or {})
    env = _environment(environ, overrides)
    config = {
        "NONGSAN_ENV": env,
        **_service_settings(environ, instance_path, env, overrides),
        **_policy_settings(environ, env),
        **_page_settings(environ),
    }
    config.update(overrides)
    if config["NONGSAN_ENV"] == "production":
        _refuse_missing_settings(config)
    else:
        _embedded_defaults(config, environ, instance_path)
    _database_settings(config)
    config["CELERY"] = _celery_settings(config)
    config.update(_api_conventions())
    # Overrides win over what was derived as well (a test's own engine options, a fixed Swagger UI path).
    for key, value in overrides.items():
        if key not in {"NONGSAN_ENV"}:
            config[key] = value
    platform_fee_percent(config["PLATFORM_FEE_PERCENT"])  # a fee the ledger could not apply stops the start
    return config


def platform_fee_percent(value: Any) -> Decimal:
    """PLATFORM_FEE_PERCENT as a ``Decimal`` from 0 up to, not including, 100; ConfigurationError otherwise."""
    try:
        percent = Decimal(str(value).strip())
    except InvalidOperation:
        percent = None
    if percent is None or not percent.is_finite() or not 0 <= percent < 100:
        raise ConfigurationError(
            f"PLATFORM_FEE_PERCENT must be a number from 0 up to 100 (such as 3 or 2.5), not {value!r}."
        )
    return percent


def _environment(environ: Mapping[str, str], overrides: Mapping[str, Any]) -> str:
    env = overrides.get("NONGSAN_ENV") or environ.get("NONGSAN_ENV") or "production"
    if env not in ENVIRONMENTS:
        raise ConfigurationError(f"NONGSAN_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    return env


def _service_settings(
    environ: Mapping[str, str], instance_path: Path, env: str, overrides: Mapping[str, Any]
) -> dict[str, Any]:
    """Where the database, broker, payment provider, mail server and file storage are."""
    production = env == "production"
    broker = overrides.get("CELERY_BROKER_URL", environ.get("CELERY_BROKER_URL") or environ.get("REDIS_URL") or "")
    return {
        "SECRET_KEY": environ.get("SECRET_KEY", ""),
        "DATABASE_URL": environ.get("DATABASE_URL", ""),
        "PUBLIC_BASE_URL": environ.get("PUBLIC_BASE_URL", "").rstrip("/"),
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": environ.get("CELERY_RESULT_BACKEND") or environ.get("REDIS_URL") or "",
        # No broker (make run): tasks run in the web process, before send_task returns.
        "CELERY_TASK_ALWAYS_EAGER": _bool(environ.get("CELERY_TASK_ALWAYS_EAGER"), default=not broker),
        # Where GS1's EPCIS 2.0 JSON schema (epcis-json-schema.json) is: EPCIS capture validates against it.
        # GS1 publishes it (ref.gs1.org/standards/epcis/artefacts); it is not ours to ship in the repository.
        "EPCIS_SCHEMA_DIR": environ.get("EPCIS_SCHEMA_DIR", ""),
        "STRIPE_SECRET_KEY": environ.get("STRIPE_SECRET_KEY", ""),
        "STRIPE_PUBLISHABLE_KEY": environ.get("STRIPE_PUBLISHABLE_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": environ.get("STRIPE_WEBHOOK_SECRET", ""),
        "STRIPE_API_BASE": environ.get("STRIPE_API_BASE", ""),
        # Stripe.js is always loaded from Stripe (PCI); tests point it at localstripe's copy.
        "STRIPE_JS_URL": environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/"),
        # How old a webhook's signed timestamp may be (replays of an old delivery are refused).
        "STRIPE_WEBHOOK_TOLERANCE": _int(environ, "STRIPE_WEBHOOK_TOLERANCE", 300),
        # A bank's (or an aggregator's) transfer notifications, signed with HMAC-SHA256 of the raw body.
        "BANK_WEBHOOK_SECRET": environ.get("BANK_WEBHOOK_SECRET", ""),
        "MAIL_SERVER": environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int(environ, "MAIL_PORT", 25),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(environ.get("MAIL_USE_TLS")),
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER", "nongsan@localhost"),
        "STORAGE_BACKEND": environ.get("STORAGE_BACKEND", "" if production else "local"),
        "STORAGE_LOCAL_PATH": environ.get("STORAGE_LOCAL_PATH") or str(instance_path / "files"),
        "STORAGE_S3_BUCKET": environ.get("STORAGE_S3_BUCKET", ""),
        "STORAGE_S3_ENDPOINT_URL": environ.get("STORAGE_S3_ENDPOINT_URL", ""),
        "STORAGE_S3_REGION": environ.get("STORAGE_S3_REGION", "us-east-1"),
        "STORAGE_S3_ACCESS_KEY_ID": environ.get("STORAGE_S3_ACCESS_KEY_ID", ""),
        "STORAGE_S3_SECRET_ACCESS_KEY": environ.get("STORAGE_S3_SECRET_ACCESS_KEY", ""),
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI") or environ.get("REDIS_URL") or "memory://",
        # With Redis gone, limits are counted in each process's memory instead of failing every request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    }


def _policy_settings(environ: Mapping[str, str], env: str) -> dict[str, Any]:
    """Limits, time windows and cookie rules."""
    production = env == "production"
    return {
        # Marketplace: how long checkout holds stock, and how long a seller has to accept a cash-on-delivery order.
        "RESERVATION_MINUTES": _int(environ, "RESERVATION_MINUTES", 30),
        "COD_ACCEPT_HOURS": _int(environ, "COD_ACCEPT_HOURS", 48),
        # The platform's share of each sale, in percent (a decimal such as "2.5"), kept in the payout ledger.
        "PLATFORM_FEE_PERCENT": environ.get("PLATFORM_FEE_PERCENT", "3"),
        # Stripe refuses charges under about US$0.50; in đồng, with room for the exchange rate.
        "STRIPE_MIN_AMOUNT_VND": _int(environ, "STRIPE_MIN_AMOUNT_VND", 15000),
        "LOGIN_FAILURE_LIMIT": _int(environ, "LOGIN_FAILURE_LIMIT", 5),
        "LOGIN_ADDRESS_FAILURE_LIMIT": _int(environ, "LOGIN_ADDRESS_FAILURE_LIMIT", 20),
        # Requests a client address may make a minute: sign-in and token requests (right or wrong), Digital Links.
        "SIGN_IN_REQUESTS_PER_MINUTE": max(1, _int(environ, "SIGN_IN_REQUESTS_PER_MINUTE", 30)),
        "RESOLVER_REQUESTS_PER_MINUTE": max(1, _int(environ, "RESOLVER_REQUESTS_PER_MINUTE", 300)),
        "LOGIN_FAILURE_WINDOW_SECONDS": _int(environ, "LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60),
        "MAX_CONTENT_LENGTH": _int(environ, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        # Production runs behind one reverse proxy (gunicorn binds 127.0.0.1): without trusting it, every
        # visitor would share the proxy's address and its per-IP limit.
        "TRUSTED_PROXIES": _int(environ, "TRUSTED_PROXIES", 1 if production else 0),
        "GEO_WARM_UP": _bool(environ.get("GEO_WARM_UP"), default=env == "development"),
        "IMAGE_MAX_BYTES": _int(environ, "IMAGE_MAX_BYTES", 8 * 1024 * 1024),
        # The trace page (traceability.services.trace_page): how long a process trusts the version it read of a
        # lot's page before reading it again, how much rendered HTML it keeps, how often it sends its view counts,
        # and how often the whole ledger's hashes are re-verified.
        "TRACE_VERSION_TTL": _int(environ, "TRACE_VERSION_TTL", 5),
        "TRACE_PAGE_CACHE_MB": _int(environ, "TRACE_PAGE_CACHE_MB", 32),
        "TRACE_BUILDS_PER_MINUTE": max(1, _int(environ, "TRACE_BUILDS_PER_MINUTE", 120)),
        "SCAN_FLUSH_SECONDS": _int(environ, "SCAN_FLUSH_SECONDS", 10),
        # Visitors' public pages sent again from the copy Flask made (core.replay): its memory per process, and
        # how long a marketplace search stays as it was.
        "REPLAY_CACHE_MB": _int(environ, "REPLAY_CACHE_MB", 32),
        "MARKET_SEARCH_SECONDS": _int(environ, "MARKET_SEARCH_SECONDS", 5),
        "LEDGER_AUDIT_MINUTES": max(1, _int(environ, "LEDGER_AUDIT_MINUTES", 60)),
        # How old a task of the outbox must be before the drain sends it (core/outbox.py): a younger one is still
        # being sent by the process that wrote it.
        "OUTBOX_GRACE_SECONDS": max(0, _int(environ, "OUTBOX_GRACE_SECONDS", 30)),
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A signed-in phone stays signed in this long (renewed by each visit), so that forms queued offline
        # for hours still go out under the same session (core/offline.py).
        "PERMANENT_SESSION_LIFETIME": max(1, _int(environ, "SESSION_DAYS", 30)) * 86400,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Strict-Transport-Security's max-age, sent in production over HTTPS only (core.web_security); 0 sends none.
        "HSTS_SECONDS": _int(environ, "HSTS_SECONDS", 365 * 86400),
    }


def _page_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """How pages reach browsers: the plot map's tiles and response compression."""
    return {
        # Any XYZ tile server; an empty MAP_TILE_URL keeps the trace page's plain outline drawings.
        "MAP_TILE_URL": environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "MAP_ATTRIBUTION": environ.get("MAP_ATTRIBUTION", "© OpenStreetMap contributors"),
        "MAP_ATTRIBUTION_URL": environ.get("MAP_ATTRIBUTION_URL", "https://www.openstreetmap.org/copyright"),
        # Off when the proxy in front compresses instead (core.static_files).
        "COMPRESS_REGISTER": _bool(environ.get("COMPRESS_RESPONSES"), default=True),
    }


STRIPE_SETTINGS = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")


def _refuse_missing_settings(config: Mapping[str, Any]) -> None:
    missing = [name for name in REQUIRED_IN_PRODUCTION if not config.get(name)]
    # Card payments are all or nothing: a secret key without the webhook's secret would take money that is
    # never recorded as paid.
    if any(config.get(name) for name in STRIPE_SETTINGS):
        missing += [name for name in STRIPE_SETTINGS if not config.get(name)]
    if missing:
        raise ConfigurationError(
            "Production start-up needs these settings in the environment: "
            + ", ".join(missing)
            + ". Set them, or set NONGSAN_ENV=development for a local trial."
        )


def _embedded_defaults(config: dict[str, Any], environ: Mapping[str, str], instance_path: Path) -> None:
    """Development and testing run without a setting: a kept secret, SQLite in the instance folder, a local URL."""
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(instance_path)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'nongsan.sqlite3'}"
    if not config["PUBLIC_BASE_URL"]:
        config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{environ.get('PORT') or 5000}"


def _database_settings(config: dict[str, Any]) -> None:
    config["DATABASE_URL"] = _database_url(config["DATABASE_URL"])
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    engine_options: dict[str, Any] = {"pool_pre_ping": True}
    if config["DATABASE_URL"].startswith("postgresql"):
        # An unreachable server must fail a request (and /readyz) in seconds, not hang a worker.
        engine_options["connect_args"] = {"connect_timeout": 5}
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options)


def _celery_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "broker_url": config["CELERY_BROKER_URL"] or "memory://",
        "result_backend": config["CELERY_RESULT_BACKEND"] or None,
        "task_always_eager": config["CELERY_TASK_ALWAYS_EAGER"],
        "task_eager_propagates": True,
        "task_ignore_result": True,
        "broker_connection_retry_on_startup": True,
        "timezone": "Asia/Ho_Chi_Minh",
        "enable_utc": True,
    }


def _api_conventions() -> dict[str, Any]:
    """API conventions and documents (flask-smorest), languages and forms: the same in every environment."""
    return {
        "API_TITLE": "nongsan",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Swagger UI comes from the pinned swagger-ui-bundle wheel, served by core.views: no CDN.
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
        "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None, "deepLinking": True},
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "WTF_CSRF_TIME_LIMIT": None,
    }
