"""EUDR readiness of rubber lots: every plot behind the lot must be geolocated and declared."""

from __future__ import annotations

import pytest

from core.extensions import db
from tests.traceability_builders import BatchWorld, seeded, square
from traceability.models import Plot


@pytest.fixture
def world(app):
    return BatchWorld(app, crop="rubber")


def change_plot(app, plot_id, **values):
    def build():
        plot = db.session.get(Plot, plot_id)
        for key, value in values.items():
            setattr(plot, key, value)
        db.session.commit()

    seeded(app, build)


def eudr(client, world, code, who="processor"):
    return client.get(f"/api/v1/batches/{code}/eudr", headers=world.auth(who)).json


def to_processor(client, world, who, code):
    shipment = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.processor_org},
        headers=world.auth(who),
    ).json
    client.post(f"/api/v1/shipments/{shipment['id']}/receive", json={}, headers=world.auth("processor"))


def test_a_lot_from_geolocated_declared_plots_is_ready(client, world):
    code = world.harvest("an")
    result = eudr(client, world, code, "an")
    assert result == {"code": code, "applicable": True, "ready": True, "reasons": [], "problems": []}
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("an")).json["eudr_ready"] is True


def test_a_rubber_lot_with_one_plot_lacking_geolocation_is_not_ready(app, client, world):
    change_plot(app, world.binh_plot, geometry=None, geometry_type=None)
    ready, lacking = world.harvest("an"), world.harvest("binh")
    to_processor(client, world, "an", ready)
    to_processor(client, world, "binh", lacking)
    merged = client.post("/api/v1/merges", json={"inputs": [ready, lacking]}, headers=world.auth("processor"))
    assert merged.status_code == 201
    assert merged.json["warnings"] and "not EUDR-ready" in merged.json["warnings"][0]
    lot = merged.json["batch"]
    assert lot["eudr_ready"] is False
    assert any("Vườn binh" in reason and "geolocation" in reason for reason in lot["eudr_reasons"])
    svr = client.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"code": lot["code"]}],
            "outputs": [{"product": "svr", "grade": "10", "quantity": "620"}],
            "step": "crumbling",
        },
        headers=world.auth("processor"),
    ).json["outputs"][0]
    assert svr["eudr_ready"] is False  # the plot set follows the transformation


def test_a_large_plot_needs_a_polygon_and_a_declaration(app, client, world):
    change_plot(app, world.an_plot, area_ha=5)
    code = world.harvest("an")
    assert eudr(client, world, code, "an")["ready"] is False
    change_plot(app, world.an_plot, geometry=square(), geometry_type="Polygon", deforestation_free=False)
    result = eudr(client, world, code, "an")
    assert result["ready"] is False and ["deforested" in r for r in result["reasons"]] == [True]
    change_plot(app, world.an_plot, deforestation_free=True)
    assert eudr(client, world, code, "an")["ready"] is True


def test_a_lot_of_unknown_origin_is_never_ready(client, world):
    response = client.post(
        "/api/v1/batches",
        json={
            "product": "cup_lump",
            "quantity": "300",
            "origin_unknown": True,
            "organization_id": world.processor_org,
            "harvest_date": "2026-01-02",
        },
        headers=world.auth("processor"),
    )
    assert response.status_code == 201, response.json
    assert response.json["unknown_origin"] is True and response.json["eudr_ready"] is False


def test_cashew_is_outside_the_regulation(client, app):
    cashew = BatchWorld(app)
    code = cashew.harvest("an")
    result = client.get(f"/api/v1/batches/{code}/eudr", headers=cashew.auth("an")).json
    assert result["applicable"] is False and result["ready"] is None
