""" "Valid today" means today in Vietnam, whatever time zone the server runs in."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, datetime

import pytest

from core.accounts.models import User
from core.extensions import db
from tests.traceability_builders import BatchWorld, make_certificate
from traceability.models import Plot
from traceability.services.event_input import VIETNAM


@pytest.fixture
def server_elsewhere() -> Iterator[date]:
    """Run the process in a time zone whose calendar day is not Vietnam's right now; yields Vietnam's day."""
    vietnam_now = datetime.now(VIETNAM)
    # UTC-12 is 19 hours behind Vietnam (another day until 05:00 there), UTC+14 is 7 hours ahead (another day from
    # 17:00).
    zone = "Etc/GMT+12" if vietnam_now.hour < 18 else "Etc/GMT-14"
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        assert date.today() != datetime.now(VIETNAM).date()
        yield datetime.now(VIETNAM).date()
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def world(app):
    return BatchWorld(app)


def test_a_certificate_valid_only_today_counts_today(app, client, world, server_elsewhere):
    today = server_elsewhere
    code = world.harvest("an", "1000")
    with app.app_context():
        from core.accounts.models import Organization

        plot = db.session.get(Plot, world.an_plot)
        certificate = make_certificate(
            db.session.get(Organization, world.an_org),
            [plot],
            valid_from=today,
            valid_to=today,
            verification="verified",
        )
        certificate_id = certificate.id
        db.session.remove()

    shown = client.get(f"/api/v1/certificates/{certificate_id}", headers=world.auth("an")).json
    assert shown["valid_today"] is True

    with app.app_context():
        from traceability.services.for_sale import source_for_listing

        source = source_for_listing(db.session.get(User, world.an_user), code)
        assert source.certifications == ("vietgap",)
        db.session.remove()
