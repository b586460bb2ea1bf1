"""The EUDR package of a rubber lot: the GeoJSON for the EU Information System, the due diligence (JSON and PDF),
and who may fetch them."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from shapely.geometry import shape

from core.accounts.models import OrganizationKind
from core.extensions import db
from tests.builders import make_org, make_token
from tests.traceability_builders import BatchWorld, quick_user, seeded
from traceability.models import Plot

TODAY = date.today()
# The small plot's GPS point, with 8 and 7 decimals: it must come back digit for digit.
PRECISE_POINT = [106.58123456, 11.8512345]
# A walked boundary of a large plot (about 11 ha), corners with 7 decimals.
LARGE_RING = [
    [106.6012345, 11.8101234],
    [106.6042345, 11.8101234],
    [106.6042345, 11.8131234],
    [106.6012345, 11.8131234],
    [106.6012345, 11.8101234],
]
# Two fields of one plot, apart.
MULTI = [
    [[[106.6201, 11.8201], [106.6221, 11.8201], [106.6221, 11.8221], [106.6201, 11.8221], [106.6201, 11.8201]]],
    [[[106.6301, 11.8301], [106.6321, 11.8301], [106.6321, 11.8321], [106.6301, 11.8321], [106.6301, 11.8301]]],
]


def change_plot(app, plot_id, **values):
    def build():
        plot = db.session.get(Plot, plot_id)
        for key, value in values.items():
            setattr(plot, key, value)
        db.session.commit()

    seeded(app, build)


def ship(client, world, sender, code, to_org, receiver):
    shipment = client.post(
        "/api/v1/shipments", json={"batch_code": code, "to_organization_id": to_org}, headers=world.auth(sender)
    )
    assert shipment.status_code == 201, shipment.json
    received = client.post(f"/api/v1/shipments/{shipment.json['id']}/receive", json={}, headers=world.auth(receiver))
    assert received.status_code == 200, received.json


@pytest.fixture
def world(app, client):
    """Three households' latex (a small point plot, a large polygon, a multipolygon without declaration), merged by
    the processor and made into SVR 10; one part of the SVR is sold to a buyer."""
    world = BatchWorld(app, crop="rubber")
    change_plot(app, world.an_plot, geometry={"type": "Point", "coordinates": PRECISE_POINT}, area_ha=1.2)
    change_plot(
        app,
        world.binh_plot,
        geometry={"type": "Polygon", "coordinates": [LARGE_RING]},
        geometry_type="Polygon",
        area_ha=11,
    )
    change_plot(
        app,
        world.cuc_plot,
        geometry={"type": "MultiPolygon", "coordinates": MULTI},
        geometry_type="MultiPolygon",
        area_ha=9.5,
        deforestation_free=False,
        deforestation_declared_at=None,
    )

    def buyer():
        user = quick_user("Người mua")
        organization = make_org(OrganizationKind.BUYER, name="Công ty Cao su Xuất khẩu", owner=user)
        return organization.id, make_token(user)

    world.buyer_org, world.buyer = seeded(app, buyer)
    world.latex = {}
    for days, who in ((40, "an"), (30, "binh"), (20, "cuc")):
        code = world.harvest(who, harvest_date=TODAY - timedelta(days=days))
        ship(client, world, who, code, world.processor_org, "processor")
        world.latex[who] = code
    merged = client.post("/api/v1/merges", json={"inputs": list(world.latex.values())}, headers=world.auth("processor"))
    assert merged.status_code == 201, merged.json
    world.merged = merged.json["batch"]["code"]
    svr = client.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"code": world.merged}],
            "outputs": [{"product": "svr", "grade": "SVR10", "quantity": "900"}],
            "step": "crumbling",
        },
        headers=world.auth("processor"),
    )
    assert svr.status_code == 201, svr.json
    world.svr = svr.json["outputs"][0]["code"]
    split = client.post(
        f"/api/v1/batches/{world.svr}/split", json={"parts": [{"quantity": "300"}]}, headers=world.auth("processor")
    )
    assert split.status_code == 201, split.json
    world.sold = split.json["parts"][0]["code"]
    ship(client, world, "processor", world.sold, world.buyer_org, "buyer")
    return world


def features_by_plot(collection):
    return {feature["id"]: feature for feature in collection["features"]}


def positions(geometry):
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [position for polygon in polygons for ring in polygon for position in ring]


def test_the_geojson_holds_every_origin_plot_as_stored(client, world):
    response = client.get(f"/api/v1/batches/{world.svr}/eudr.geojson", headers=world.auth("processor"))
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/geo+json"
    assert f'filename="eudr-{world.svr}.geojson"' in response.headers["Content-Disposition"]
    collection = response.get_json(force=True)
    assert collection["type"] == "FeatureCollection"
    features = features_by_plot(collection)
    assert set(features) == {world.an_plot, world.binh_plot, world.cuc_plot}  # followed merge, transform, split

    small, large, multi = features[world.an_plot], features[world.binh_plot], features[world.cuc_plot]
    assert small["geometry"] == {"type": "Point", "coordinates": PRECISE_POINT}  # 8 and 7 decimals, not rounded
    assert large["geometry"]["type"] == "Polygon" and large["geometry"]["coordinates"] == [LARGE_RING]
    assert multi["geometry"]["type"] == "MultiPolygon" and multi["geometry"]["coordinates"] == MULTI
    for feature in features.values():
        geometry = feature["geometry"]
        for lon, lat in positions(geometry):
            assert 102 <= lon <= 110 and 8 <= lat <= 24, (lon, lat)  # [longitude, latitude], in Vietnam
        if geometry["type"] != "Point":
            assert shape(geometry).is_valid
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            assert all(ring[0] == ring[-1] and len(ring) >= 4 for polygon in polygons for ring in polygon)
        # Point up to 4 ha, a boundary above.
        assert (geometry["type"] == "Point") == (feature["properties"]["Area"] <= 4)

    assert small["properties"] == {
        "ProducerName": "Hộ an",
        "ProducerCountry": "VN",
        "ProductionPlace": "Vườn an, Xã Lộc Ninh, Đồng Nai",
        "Area": 1.2,
    }
    assert large["properties"]["Area"] == 11 and multi["properties"]["ProducerName"] == "Hộ cuc"


def test_a_large_plot_with_only_a_point_is_sent_but_fails_the_verdict(app, client, world):
    change_plot(app, world.binh_plot, geometry={"type": "Point", "coordinates": [106.6012345, 11.8101234]})
    change_plot(app, world.binh_plot, geometry_type="Point")
    geo = client.get(f"/api/v1/batches/{world.svr}/eudr.geojson", headers=world.auth("processor")).get_json(force=True)
    assert features_by_plot(geo)[world.binh_plot]["geometry"]["type"] == "Point"
    due = client.get(f"/api/v1/batches/{world.svr}/due-diligence", headers=world.auth("processor")).json
    binh = next(plot for plot in due["plots"] if plot["id"] == world.binh_plot)
    assert binh["eudr_ready"] is False and binh["geometry_type"] == "Point"
    assert binh["problems"] == ["A plot over 4 ha needs its boundary as a polygon; a GPS point is not enough."]
    assert any("Vườn binh" in reason and "polygon" in reason for reason in due["reasons"])


def test_a_plot_without_geolocation_has_no_feature_and_is_a_reason(app, client, world):
    change_plot(app, world.an_plot, geometry=None, geometry_type=None)
    geo = client.get(f"/api/v1/batches/{world.svr}/eudr.geojson", headers=world.auth("processor")).get_json(force=True)
    assert set(features_by_plot(geo)) == {world.binh_plot, world.cuc_plot}
    due = client.get(f"/api/v1/batches/{world.svr}/due-diligence", headers=world.auth("processor")).json
    assert any("Vườn an" in reason and "geolocation" in reason for reason in due["reasons"])


def test_the_due_diligence_gives_the_statement_figures_and_the_verdict(client, world):
    response = client.get(f"/api/v1/batches/{world.svr}/due-diligence", headers=world.auth("processor"))
    assert response.status_code == 200, response.json
    due = response.json
    assert (due["code"], due["commodity"], due["product"], due["grade"]) == (world.svr, "rubber", "svr", "10")
    assert due["hs_code"] == "4001.22" and "TSNR" in due["hs_description"]
    assert (due["quantity"], due["initial_quantity"], due["unit"]) == ("600", "900", "kg")  # 300 kg were sold
    assert due["harvest_start"] == (TODAY - timedelta(days=40)).isoformat()
    assert due["harvest_end"] == (TODAY - timedelta(days=20)).isoformat()
    assert due["country_of_production"] == "VN" and due["deforestation_cutoff"] == "2020-12-31"
    assert due["operator"] == {
        "id": world.processor_org,
        "name": "Xưởng điều Lộc Ninh",
        "commune_code": "25270",
        "commune": "Xã Lộc Ninh, Đồng Nai",
    }
    plots = {plot["id"]: plot for plot in due["plots"]}
    assert set(plots) == {world.an_plot, world.binh_plot, world.cuc_plot}
    assert plots[world.an_plot]["geometry_type"] == "Point" and plots[world.an_plot]["area_ha"] == "1.2"
    assert plots[world.an_plot]["commune"] == "Xã Lộc Ninh, Đồng Nai"
    assert plots[world.an_plot]["deforestation_free"] is True and plots[world.an_plot]["declared_at"]
    assert plots[world.cuc_plot]["deforestation_free"] is False and plots[world.cuc_plot]["declared_at"] is None
    assert [d["plot_id"] for d in due["declarations"]] == sorted([world.an_plot, world.binh_plot])
    # The MultiPolygon plot has no declaration: the lot is not ready, for that reason alone.
    assert due["eudr_ready"] is False
    assert due["reasons"] == [
        f"Plot Vườn cuc (#{world.cuc_plot}): No declaration that the land was not deforested after 31 December 2020."
    ]
    assert [(p["plot_id"], p["message"]) for p in due["problems"]] == [
        (world.cuc_plot, "No declaration that the land was not deforested after 31 December 2020.")
    ]
    assert due["geojson_url"] == f"/api/v1/batches/{world.svr}/eudr.geojson"


def test_the_verdict_is_ready_once_every_plot_is_declared(app, client, world):
    change_plot(app, world.cuc_plot, deforestation_free=True)
    due = client.get(f"/api/v1/batches/{world.merged}/due-diligence", headers=world.auth("processor")).json
    assert due["eudr_ready"] is True and due["reasons"] == []
    assert due["hs_code"] == "4001.10" and due["drc_percent"] == "32"  # the merged field latex
    assert due["quantity"] == "0" and due["initial_quantity"] == "3000"  # all of it went into the SVR


def test_the_pdf_is_for_people_in_their_language(client, world):
    response = client.get(f"/api/v1/batches/{world.svr}/due-diligence.pdf", headers=world.auth("processor"))
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert world.svr in text and "4001.22" in text
    assert "Vườn cuc" in text and "Xã Lộc Ninh" in text  # Vietnamese letters render
    assert "EUDR: chưa đủ" in text  # Vietnamese by default
    english = client.get(f"/api/v1/batches/{world.svr}/due-diligence.pdf?lang=en", headers=world.auth("processor"))
    english_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(english.data)).pages)
    assert "EUDR: not ready" in english_text and "No declaration" in english_text


PACKAGE = ("eudr.geojson", "due-diligence", "due-diligence.pdf")


@pytest.mark.parametrize("address", PACKAGE)
def test_the_custodian_a_buyer_of_a_descendant_and_officers_may_fetch_it(client, world, address):
    for who in ("processor", "buyer", "officer"):
        response = client.get(f"/api/v1/batches/{world.svr}/{address}", headers=world.auth(who))
        assert response.status_code == 200, (who, response.json)
    # The buyer received only the part it bought: the latex lot it came from is the buyer's to check too.
    assert client.get(f"/api/v1/batches/{world.merged}/{address}", headers=world.auth("buyer")).status_code == 200


@pytest.mark.parametrize("address", PACKAGE)
def test_anyone_else_is_told_the_lot_does_not_exist(client, world, address):
    unknown = client.get(f"/api/v1/batches/ZZZZZZZZ/{address}", headers=world.auth("outsider"))
    assert unknown.status_code == 404
    # A supplier of the latex does not see what the processor made of it, nor another organization.
    for who in ("outsider", "an"):
        response = client.get(f"/api/v1/batches/{world.svr}/{address}", headers=world.auth(who))
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
        assert response.json["code"] == unknown.json["code"] == "batch_not_found"
    anonymous = client.get(f"/api/v1/batches/{world.svr}/{address}")
    assert anonymous.status_code == 401 and anonymous.json["code"] == "unauthorized"


@pytest.mark.parametrize("address", PACKAGE)
def test_a_cashew_lot_is_outside_the_regulation(app, client, address):
    cashew = BatchWorld(app)
    code = cashew.harvest("an")
    response = client.get(f"/api/v1/batches/{code}/{address}", headers=cashew.auth("an"))
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert response.json["code"] == "eudr_not_applicable" and response.json["commodity"] == "cashew"
    assert "covers rubber, not cashew or pepper" in response.json["detail"]
    # Not to someone who may not see the lot: they learn nothing of it.
    assert client.get(f"/api/v1/batches/{code}/{address}", headers=cashew.auth("outsider")).status_code == 404


def test_a_lot_over_the_information_systems_25_mb_is_refused(app, client, world):
    # A boundary of 700,000 corners at full float precision (a GPS track logged every few millimetres): over 25 MB.
    ring = [[106.6 + i * 1.234567891e-9, 11.8 + i * 2.345678912e-9] for i in range(700_000)]
    ring.append(ring[0])
    change_plot(app, world.binh_plot, geometry={"type": "Polygon", "coordinates": [ring]})
    response = client.get(f"/api/v1/batches/{world.svr}/eudr.geojson", headers=world.auth("processor"))
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["code"] == "eudr_geojson_too_large"
    assert problem["limit_bytes"] == 25_000_000 and problem["size_bytes"] > 25_000_000
    assert "more than the 25 MB the EU Information System accepts" in problem["detail"]
