"""SQL and script payloads in every text a user types come back inert: stored as typed, escaped on every page.

Each payload goes in through the API as a farmer would send it (plot name, lot and step notes, organization name and
street, certificate number and issuer, listing title and description), then is read back from the JSON (verbatim)
and from the pages that show it to others (the public trace page, the marketplace, the farmer's own pages, the
department's review): none carries the markup alive, and the SQL did nothing (every table is still there).
"""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from core.extensions import db
from tests.integration.security_world import SecurityWorld
from traceability.models import Batch

PAYLOADS = [
    "'; DROP TABLE batches;--",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
]
LIVE_MARKUP = ("<script>alert(1)", "<img src=x onerror", 'href="javascript:', 'src="javascript:')


@pytest.fixture
def world(matrix_app):
    return SecurityWorld(matrix_app)


@pytest.fixture(scope="module")
def matrix_app(app, database_url, instance_path):
    from nongsan_app import create_app
    from tests.conftest import test_overrides

    built = create_app(test_overrides(database_url, instance_path), environ={})
    yield built
    with built.app_context():
        db.session.remove()
        db.engine.dispose()


def _inert(page: str, payload: str) -> None:
    for markup in LIVE_MARKUP:
        assert markup not in page, f"{markup!r} reached the page unescaped"
    assert str(escape(payload)) in page, "the text is not on the page"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_every_text_field_is_stored_as_typed_and_shown_escaped(world, payload):
    client, farmer = world.client, world.auth("farmer")
    plot = client.post(
        "/api/v1/plots",
        json={
            "organization_id": world.farmer_org,
            "name": payload,
            "commune_code": "25270",
            "area_ha": "1.0",
            "crops": ["cashew"],
            "street": payload,
        },
        headers=farmer,
    )
    assert plot.status_code == 201, plot.json
    assert plot.json["name"] == payload and plot.json["street"] == payload
    harvest = client.post(
        "/api/v1/batches",
        json={
            "product": "raw_cashew_nuts",
            "quantity": "100",
            "plot_ids": [plot.json["id"]],
            "harvest_date": "2026-11-30",
            "note": payload,
        },
        headers=farmer,
    )
    assert harvest.status_code == 201, harvest.json
    code = harvest.json["code"]
    assert harvest.json["note"] == payload
    step = client.post(f"/api/v1/batches/{code}/events", json={"step": "sun_drying", "note": payload}, headers=farmer)
    assert step.status_code == 201 and step.json["note"] == payload
    renamed = client.patch(f"/api/v1/organizations/{world.farmer_org}", json={"name": payload}, headers=farmer)
    assert renamed.status_code == 200 and renamed.json["name"] == payload
    certificate = client.post(
        "/api/v1/certificates",
        json={
            "organization_id": world.farmer_org,
            "type": "vietgap",
            "number": payload[:100],
            "issuer": payload,
            "valid_from": "2025-01-01",
            "valid_to": "2027-12-31",
            "plot_ids": [plot.json["id"]],
        },
        headers=farmer,
    )
    assert certificate.status_code == 201, certificate.json
    assert certificate.json["issuer"] == payload
    listing = client.patch(
        f"/api/v1/listings/{world.listing}", json={"title": payload, "description": payload}, headers=farmer
    )
    assert listing.status_code == 200 and listing.json["title"] == payload

    pages = {
        "trace page": (world.signed_in("anonymous"), f"/t/{code}"),
        "listing": (world.signed_in("anonymous"), f"/market/listings/{world.listing}"),
        "marketplace": (world.signed_in("anonymous"), "/market"),
        "lot page": (world.signed_in("farmer"), f"/batches/{code}"),
        "lot list": (world.signed_in("farmer"), "/batches"),
        "plot list": (world.signed_in("farmer"), "/plots"),
        "plot page": (world.signed_in("farmer"), f"/plots/{plot.json['id']}"),
        "organization": (world.signed_in("farmer"), "/org"),
        "department review": (world.signed_in("officer"), f"/department/organizations/{world.farmer_org}"),
        "certificate queue": (world.signed_in("officer"), "/department/certificates"),
        "buyer's order": (world.signed_in("buyer"), f"/market/orders/{world.order}"),
    }
    for name, (browser, path) in pages.items():
        response = browser.get(path)
        assert response.status_code == 200, (name, response.status_code)
        page = response.get_data(as_text=True)
        _inert(page, payload)
    # The same texts as JSON, exactly as typed: searching by them is a parameter, never SQL.
    assert client.get(f"/api/v1/plots/{plot.json['id']}", headers=farmer).json["name"] == payload
    found = client.get("/api/v1/listings", query_string={"q": payload}).status_code
    assert found == 200
    with world.app.app_context():
        assert db.session.scalar(select(func.count(Batch.id))) == 5  # three lots, a shipped one and this harvest
