"""The composition root: ``create_app`` builds the app from the environment and overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext

from core.config import load_config

ROOT = Path(__file__).resolve().parent.parent
# Celery task modules of the domains, imported by the app and the worker (core's own come with core.tasks).
TASK_MODULES: tuple[str, ...] = ("traceability.tasks", "market.tasks")


def create_app(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
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
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    if app.config.get("GEO_WARM_UP"):
        # The old-address matcher needs seconds to load; start now so the first sign-up does not wait.
        # Production workers warm up after the fork instead (gunicorn.conf.py post_fork).
        from core.geo.services import warm_up

        warm_up()
    return app


def register_logging(app: Flask) -> None:
    from core.logging import init_logging

    init_logging(app)


def register_extensions(app: Flask) -> None:
    from core import i18n
    from core.extensions import api, csrf, db, limiter, login_manager, migrate
    from core.idempotency import init_idempotency
    from core.security import load_session_user
    from core.storage import init_storage
    from core.tasks import init_celery

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    i18n.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_session_user)
    login_manager.login_view = "accounts.sign_in"
    limiter.init_app(app)
    api.init_app(app)
    init_celery(app, task_modules=TASK_MODULES)
    init_idempotency(app)
    init_storage(app)


def register_blueprints(app: Flask) -> None:
    from core.accounts import api as accounts_api
    from core.accounts import views as accounts_views
    from core.extensions import api, csrf
    from core.files import api as files_api
    from core.files import views as files_views
    from core.geo import api as geo_api
    from core.geo import views as geo_views
    from core.health import bp as health_bp
    from core.routing import BoundedIntConverter
    from core.views import bp as core_views

    app.url_map.converters["int"] = BoundedIntConverter  # before any route: an id too large for the database is a 404

    # The JSON API authenticates with bearer tokens, never cookies, so CSRF does not apply to it.
    from market.api import blueprints as market_api
    from market.views import bp as market_views
    from traceability.api import blueprints as traceability_api
    from traceability.views import bp as traceability_views
    from traceability.views.resolver import bp as resolver_views
    from traceability.views.trace import bp as trace_views

    for blueprint in (accounts_api.blp, geo_api.blp, files_api.blp, *traceability_api(), *market_api()):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix="/api/v1")
    app.register_blueprint(health_bp)
    app.register_blueprint(core_views)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(files_views.bp)
    app.register_blueprint(geo_views.bp)
    app.register_blueprint(traceability_views)
    app.register_blueprint(resolver_views)
    app.register_blueprint(trace_views)
    app.register_blueprint(market_views)


def register_errorhandlers(app: Flask) -> None:
    from core.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from core.accounts.cli import accounts_cli
    from core.i18n_cli import translations_cli

    app.cli.add_command(accounts_cli)
    app.cli.add_command(translations_cli)
    app.cli.add_command(seed_demo_command)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo season of a cashew co-op, a pepper household, rubber smallholders and a processor.

    Each domain seeds its own part; this composition root runs them in order. Running it
    again does nothing. Production refuses: the demo logins share a published password.
    """
    from flask import current_app

    from core import seed
    from core.extensions import db
    from market.demo import seed_market_demo
    from traceability.demo import seed_traceability

    if current_app.config["NONGSAN_ENV"] == "production":
        raise click.ClickException("The demo data has published passwords; load it only with NONGSAN_ENV=development.")
    if seed.already_seeded():
        click.echo("Demo data is already loaded.")
        return
    world = seed.seed_accounts()
    db.session.commit()
    lots = seed_traceability(world.users, world.orgs)
    listings = seed_market_demo(world.users, world.orgs, lots)
    click.echo(f"Demo season loaded. Every demo login uses the password: {seed.DEMO_PASSWORD}")
    for who, login, organization in world.logins:
        click.echo(f"  {login:<28} {who} — {organization}")
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo("Trace pages of demo lots:")
    for name, lot in lots.items():
        click.echo(f"  {name:<20} {base}/t/{lot.code}")
    click.echo(f"Marketplace ({len(listings)} demo listings): {base}/market")
