"""The composition root: the whole app, core and every domain, and the commands that span domains.

``create_app`` builds core's app (``core.app.create_core_app``), then lets each domain register itself with
its ``init_app(app)``: its tables, API resources, pages, Celery tasks and claims. Domains are wired in
dependency order (the market is built on traceability). ``wsgi.py``, the Celery worker, the CLI and the
tests all build the app here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext

import market
import reports
import traceability
from core.app import create_core_app, warm_up

DOMAINS = (traceability, market, reports)


def create_app(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """The app from the environment (``os.environ`` unless ``environ`` is given) and ``overrides``."""
    app = create_core_app(overrides, environ)
    for domain in DOMAINS:
        domain.init_app(app)
    app.cli.add_command(seed_demo_command)
    warm_up(app)
    return app


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo season of a cashew co-op, a pepper household, rubber smallholders and a processor.

    Around them, the 2025/26 season of the households growing each crop in five communes, so
    that the department's dashboard has figures at once (the harvest rollup is refreshed at the
    end). Each domain seeds its own part; this composition root runs them in order. Running it
    again does nothing. Production refuses: the demo logins share a published password.
    """
    from flask import current_app

    from core import seed
    from core.extensions import db
    from market.demo import seed_market_demo
    from reports import rollup
    from traceability.demo import seed_traceability
    from traceability.demo_season import seed_season
    from traceability.services import integrity

    if current_app.config["NONGSAN_ENV"] == "production":
        raise click.ClickException("The demo data has published passwords; load it only with NONGSAN_ENV=development.")
    if seed.already_seeded():
        click.echo("Demo data is already loaded.")
        return
    world = seed.seed_accounts()
    db.session.commit()
    lots = seed_traceability(world.users, world.orgs)
    lots |= seed_season(world.users, world.orgs, world.growers)
    listings = seed_market_demo(world.users, world.orgs, lots)
    rollup.refresh()
    # The first full check of the ledger, so trace pages say it held; beat repeats it (make worker).
    integrity.audit_ledger()
    click.echo(f"Demo season loaded. Every demo login uses the password: {seed.DEMO_PASSWORD}")
    for who, login, organization in world.logins:
        click.echo(f"  {login:<28} {who} — {organization}")
    growers = [world.users[key].login for _crop, key in world.growers]
    if growers:
        click.echo(
            f"  {growers[0]} … {growers[-1]}  {len(growers)} more households of the season "
            f"({seed.HOUSEHOLDS_PER_GROWING_AREA} for each crop in each commune growing it)"
        )
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo("Trace pages of demo lots:")
    for name, lot in lots.items():
        click.echo(f"  {name:<20} {base}/t/{lot.code}")
    click.echo(f"Marketplace ({len(listings)} demo listings): {base}/market")
