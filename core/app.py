"""Core's part of the app: ``create_core_app`` builds Flask with core's configuration, extensions and pages.

It knows no domain. The composition root (``nongsan_app.create_app``) calls it and then each domain's
``init_app(app)``, which registers that domain's models, blueprints, tasks, claims and commands through
core's small interfaces (``core.api.register_api_blueprints``, ``core.tasks.register_tasks``,
``core.claims.register_claims_provider``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from core import replay
from core.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_core_app(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    environ = os.environ if environ is None else environ
    instance_path = Path(
        environ.get("NONGSAN_INSTANCE_PATH") or (overrides or {}).get("INSTANCE_PATH") or ROOT / "instance"
    )
    app = Flask(
        "nongsan",
        root_path=str(ROOT),
        instance_path=str(instance_path.resolve()),
        template_folder="templates",
        static_folder="static",
    )
    app.config.from_mapping(load_config(environ, instance_path, overrides))
    app.testing = app.config["NONGSAN_ENV"] == "testing" or bool(app.config.get("TESTING"))
    if app.config["TRUSTED_PROXIES"]:
        # Behind N reverse proxies: take the client address and scheme from their X-Forwarded-* headers.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    # Outermost: a replayed public page needs nothing of the proxy fix's (core.replay).
    replay.install(app)
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def warm_up(app: Flask) -> None:
    """Start what a server needs warm before its first request (called once every part is registered)."""
    if app.config.get("GEO_WARM_UP"):
        # The old-address matcher needs seconds to load; start now so the first sign-up does not wait.
        # Production workers warm up after the fork instead (gunicorn.conf.py post_fork).
        from core.geo.services import warm_up as warm_up_geo

        warm_up_geo()


def register_logging(app: Flask) -> None:
    from core.logging import init_logging

    init_logging(app)


def register_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from core import i18n
    from core.extensions import api, csrf, db, limiter, login_manager, migrate
    from core.idempotency import init_idempotency, keep_keyed_bodies
    from core.request_bodies import init_request_bodies
    from core.security import load_session_user
    from core.static_files import init_static_files
    from core.storage import init_storage
    from core.tasks import init_celery
    from core.web_security import init_web_security

    init_static_files(app)  # first: its compression then runs after every other after_request hook
    init_web_security(app)  # next: its headers are on every response, errors and idempotent replays included
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    i18n.init_app(app)
    keep_keyed_bodies(app)  # before CSRF reads the form
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_session_user)
    login_manager.login_view = "accounts.sign_in"
    # Flask-Login's English, translated when it is flashed (str() of a lazy text), in the reader's language.
    login_manager.login_message = _l("Please log in to access this page.")
    login_manager.login_message_category = "warning"
    login_manager.localize_callback = str
    limiter.init_app(app)
    api.init_app(app)
    init_celery(app)
    init_request_bodies(app)  # before init_idempotency: a refused body claims no key
    init_idempotency(app)
    init_storage(app)


def register_blueprints(app: Flask) -> None:
    from core.accounts import api as accounts_api
    from core.accounts import verification_views
    from core.accounts import views as accounts_views
    from core.accounts.services.auth import AUDIT_ACTIONS as SIGN_IN_ACTIONS
    from core.accounts.services.organizations import AUDIT_ACTIONS
    from core.api import register_api_blueprints
    from core.audit import register_actions
    from core.audit import views as audit_views
    from core.files import api as files_api
    from core.files import views as files_views
    from core.geo import api as geo_api
    from core.geo import views as geo_views
    from core.health import bp as health_bp
    from core.navigation import CORE_ITEMS, OFFICER, register_landing, register_menu_items
    from core.offline import bp as offline_bp
    from core.routing import BoundedIntConverter
    from core.views import bp as core_views

    app.url_map.converters["int"] = BoundedIntConverter  # before any route: an id too large for the database is a 404

    register_api_blueprints(app, accounts_api.blp, geo_api.blp, files_api.blp)
    for blueprint in (
        health_bp,
        core_views,
        offline_bp,
        accounts_views.bp,
        verification_views.bp,
        audit_views.bp,
        files_views.bp,
        geo_views.bp,
    ):
        app.register_blueprint(blueprint)
    register_menu_items(app, *CORE_ITEMS)
    register_actions(app, AUDIT_ACTIONS)
    register_actions(app, SIGN_IN_ACTIONS)
    register_landing(app, OFFICER, "department.organizations")


def register_errorhandlers(app: Flask) -> None:
    from core.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from core.accounts.cli import accounts_cli
    from core.i18n_cli import translations_cli

    app.cli.add_command(accounts_cli)
    app.cli.add_command(translations_cli)
