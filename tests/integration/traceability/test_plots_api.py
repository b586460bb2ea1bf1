"""The plots API: registering, reading, editing and listing plots, and what the EUDR needs from them."""

from __future__ import annotations

import json

import pytest

from tests.traceability_builders import COMMUNE, PlotWorld, make_plot, point, seeded, square


@pytest.fixture
def world(app):
    return PlotWorld(app)


def new_plot(client, world, who="farmer", organization="farm", **fields):
    body = {
        "organization_id": getattr(world, organization),
        "name": "Lô điều sau nhà",
        "commune_code": COMMUNE,
        "area_ha": "2.5",
        "crops": ["cashew"],
    }
    body.update(fields)
    return client.post("/api/v1/plots", json=body, headers=world.auth(who))


def test_farmer_registers_a_plot_with_a_declaration(client, world):
    response = new_plot(
        client,
        world,
        geometry=point(106.5812345678, 11.8512345678),
        deforestation_free=True,
        growing_area_code="VN-DN-0012",
    )
    assert response.status_code == 201
    plot = response.get_json()
    assert plot["area_ha"] == "2.5"
    assert plot["geometry"]["coordinates"] == [106.5812345678, 11.8512345678]  # all decimals kept
    assert plot["geometry_type"] == "Point"
    assert plot["deforestation_free"] is True
    assert plot["deforestation_declared_by_id"] == world.farmer_id and plot["deforestation_declared_at"]
    assert plot["eudr"] == {"ready": True, "reasons": [], "needs_polygon": False}
    again = client.get(f"/api/v1/plots/{plot['id']}", headers=world.auth("farmer")).get_json()
    assert again["name"] == "Lô điều sau nhà" and again["growing_area_code"] == "VN-DN-0012"


def test_a_plot_needs_a_token(client, world):
    assert client.get("/api/v1/plots").status_code == 401
    assert client.post("/api/v1/plots", json={}).status_code == 401


@pytest.mark.parametrize(
    "geometry",
    [
        {
            "type": "Polygon",
            "coordinates": [[[106.0, 11.0], [106.001, 11.001], [106.001, 11.0], [106.0, 11.001], [106.0, 11.0]]],
        },
        {"type": "Polygon", "coordinates": [[[106.0, 11.0], [106.001, 11.0], [106.001, 11.001]]]},
        {"type": "Point", "coordinates": [206.0, 11.0]},
        {"type": "Circle", "coordinates": [106.0, 11.0]},
        "not geojson",
    ],
)
def test_invalid_geojson_is_a_geometry_field_error(client, world, geometry):
    response = new_plot(client, world, geometry=geometry)
    assert response.status_code == 422
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert list(problem["errors"]) == ["geometry"]
    assert problem["errors"]["geometry"][0]


def test_every_bad_field_is_named(client, world):
    response = new_plot(client, world, name="", commune_code="99999", area_ha="0", crops=["durian"])
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"name", "commune_code", "area_ha", "crops"}
    assert new_plot(client, world, area_ha="abc").get_json()["errors"] == {"area_ha": ["Enter a number."]}


def test_coop_manager_registers_a_plot_for_a_member_household(client, world):
    response = new_plot(client, world, who="manager", organization="member", name="Lô của hộ Cúc")
    assert response.status_code == 201
    plot_id = response.get_json()["id"]
    assert response.get_json()["organization_id"] == world.member
    # The household itself sees it; the co-op manager lists it among the member's plots.
    assert client.get(f"/api/v1/plots/{plot_id}", headers=world.auth("member_owner")).status_code == 200
    listed = client.get(f"/api/v1/plots?organization_id={world.member}", headers=world.auth("manager")).get_json()
    assert [p["name"] for p in listed] == ["Lô của hộ Cúc"]
    # The household may not register plots for the co-op.
    assert new_plot(client, world, who="member_owner", organization="coop").status_code == 404


def test_other_organizations_plots_are_not_found(client, world):
    plot_id = new_plot(client, world).get_json()["id"]
    outsider = world.auth("outsider")
    assert client.get(f"/api/v1/plots/{plot_id}", headers=outsider).status_code == 404
    assert client.patch(f"/api/v1/plots/{plot_id}", json={"name": "Của tôi"}, headers=outsider).status_code == 404
    assert client.get("/api/v1/plots", headers=outsider).get_json() == []
    assert client.get(f"/api/v1/plots?organization_id={world.farm}", headers=outsider).get_json() == []
    assert new_plot(client, world, who="outsider", organization="farm").status_code == 404
    assert client.get("/api/v1/plots/999999", headers=world.auth("farmer")).status_code == 404


def test_department_officer_reads_every_plot_but_does_not_edit(client, world):
    plot_id = new_plot(client, world).get_json()["id"]
    officer = world.auth("officer")
    assert client.get(f"/api/v1/plots/{plot_id}", headers=officer).status_code == 200
    assert len(client.get("/api/v1/plots", headers=officer).get_json()) == 1
    assert client.patch(f"/api/v1/plots/{plot_id}", json={"name": "x"}, headers=officer).status_code == 403


def test_a_plot_over_four_hectares_with_only_a_point_is_not_eudr_ready(client, world):
    response = new_plot(client, world, area_ha="5.2", geometry=point(), deforestation_free=True, crops=["rubber"])
    plot = response.get_json()
    assert plot["eudr"]["ready"] is False and plot["eudr"]["needs_polygon"] is True
    assert any("polygon" in reason for reason in plot["eudr"]["reasons"])

    boundary = square(side=0.0021)
    patched = client.patch(
        f"/api/v1/plots/{plot['id']}", json={"geometry": boundary}, headers=world.auth("farmer")
    ).get_json()
    assert patched["eudr"] == {"ready": True, "reasons": [], "needs_polygon": True}
    assert patched["geometry_type"] == "Polygon"
    assert 5 < float(patched["polygon_area_ha"]) < 6


def test_no_declaration_or_no_geometry_is_said(client, world):
    plot = new_plot(client, world).get_json()
    assert plot["eudr"]["ready"] is False
    assert len(plot["eudr"]["reasons"]) == 2  # no geolocation, no declaration


def test_patch_changes_only_what_is_sent_and_withdraws_a_declaration(client, world):
    plot = new_plot(client, world, deforestation_free=True, geometry=point()).get_json()
    url = f"/api/v1/plots/{plot['id']}"
    patched = client.patch(
        url, json={"area_ha": 3.75, "deforestation_free": False}, headers=world.auth("farmer")
    ).get_json()
    assert patched["area_ha"] == "3.75" and patched["name"] == "Lô điều sau nhà"
    assert patched["deforestation_free"] is False and patched["deforestation_declared_at"] is None
    removed = client.patch(url, json={"geometry": None}, headers=world.auth("farmer")).get_json()
    assert removed["geometry"] is None and removed["geometry_type"] is None
    bad = client.patch(url, json={"geometry": {"type": "Point", "coordinates": [1.0]}}, headers=world.auth("farmer"))
    assert bad.status_code == 422 and "geometry" in bad.get_json()["errors"]


def test_list_filters_and_pages(app, client, world):
    def build():
        from core.accounts.models import Organization
        from core.extensions import db

        farm = db.session.get(Organization, world.farm)
        for index in range(25):
            make_plot(farm, name=f"Lô {index:02d}", crops=["pepper"] if index % 5 == 0 else ["cashew"])
        make_plot(farm, name="Lô ở Bình Phước", commune_code="25195", crops=["rubber", "cashew"])

    seeded(app, build)
    auth = world.auth("farmer")
    first = client.get("/api/v1/plots?page=1&per_page=10", headers=auth)
    assert len(first.get_json()) == 10
    assert json.loads(first.headers["X-Pagination"])["total"] == 26
    pepper = client.get("/api/v1/plots?crop=pepper", headers=auth).get_json()
    assert sorted(p["name"] for p in pepper) == ["Lô 00", "Lô 05", "Lô 10", "Lô 15", "Lô 20"]
    assert [p["name"] for p in client.get("/api/v1/plots?commune_code=25195", headers=auth).get_json()] == [
        "Lô ở Bình Phước"
    ]
    assert [p["name"] for p in client.get("/api/v1/plots?crop=rubber", headers=auth).get_json()] == ["Lô ở Bình Phước"]
    assert client.get("/api/v1/plots?crop=durian", headers=auth).status_code == 422
