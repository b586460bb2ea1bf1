"""`flask seed-demo`: a believable season of demo data."""

import click
from flask.cli import with_appcontext


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo co-op season (does nothing when data is already there)."""
