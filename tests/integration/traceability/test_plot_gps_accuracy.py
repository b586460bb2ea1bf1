"""A plot's GPS point keeps the accuracy the phone reported, through the API and the plot form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts.models import OrganizationKind
from tests.builders import make_org, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import COMMUNE, PlotWorld, point, seeded

ADDRESS = {"address-province_code": "75", "address-commune_code": COMMUNE}


@pytest.fixture
def world(app):
    return PlotWorld(app)


def new_plot(client, world, **fields):
    body = {
        "organization_id": world.farm,
        "name": "Lô điều",
        "commune_code": COMMUNE,
        "area_ha": "1.5",
        "geometry": point(),
        **fields,
    }
    return client.post("/api/v1/plots", json=body, headers=world.auth("farmer"))


def test_the_api_keeps_the_accuracy_and_forgets_it_with_a_new_location(client, world):
    created = new_plot(client, world, gps_accuracy_m="4.5")
    assert created.status_code == 201, created.json
    assert created.json["gps_accuracy_m"] == "4.5"
    plot_id = created.json["id"]
    assert client.get(f"/api/v1/plots/{plot_id}", headers=world.auth("farmer")).json["gps_accuracy_m"] == "4.5"

    renamed = client.patch(f"/api/v1/plots/{plot_id}", json={"name": "Lô điều mới"}, headers=world.auth("farmer"))
    assert renamed.json["gps_accuracy_m"] == "4.5"
    moved = client.patch(
        f"/api/v1/plots/{plot_id}", json={"geometry": point(106.6, 11.9)}, headers=world.auth("farmer")
    )
    assert moved.json["gps_accuracy_m"] is None  # the accuracy was that of the old point
    remeasured = client.patch(
        f"/api/v1/plots/{plot_id}",
        json={"geometry": point(106.6, 11.9), "gps_accuracy_m": 12},
        headers=world.auth("farmer"),
    )
    assert remeasured.json["gps_accuracy_m"] == "12"
    assert new_plot(client, world).json["gps_accuracy_m"] is None


@pytest.mark.parametrize("accuracy", ["0", "-3", "abc", "20000", "1.234", "4,5"])
def test_a_bad_accuracy_is_a_field_error(client, world, accuracy):
    response = new_plot(client, world, gps_accuracy_m=accuracy)
    assert response.status_code == 422, response.json
    assert "gps_accuracy_m" in response.json["errors"]


@pytest.fixture
def farmer(app):
    def build():
        owner = make_user(phone="+84913000011", name="Trần Văn Minh")
        return make_org(OrganizationKind.HOUSEHOLD, name="Hộ Trần Văn Minh", owner=owner, commune_code=COMMUNE).id

    return seeded(app, build)


def test_the_plot_form_saves_the_accuracy_and_the_plot_page_shows_it(client, farmer):
    sign_in(client, "0913000011")
    client.set_cookie("lang", "vi", domain="localhost")
    form = client.get("/plots/new").get_data(as_text=True)
    assert 'name="gps_accuracy_m"' in form
    data = {
        "csrf_token": csrf_token(client, "/plots/new"),
        "name": "Lô 1",
        **ADDRESS,
        "area_ha": "2,5",
        "latitude": "11.851234",
        "longitude": "106.581234",
        "gps_accuracy_m": "7,5",
    }
    created = client.post("/plots/new", data=data)
    assert created.status_code == 303, created.get_data(as_text=True)
    detail_url = created.headers["Location"]
    client.set_cookie("lang", "en", domain="localhost")
    assert "Accuracy: about 7.5 m" in client.get(detail_url).get_data(as_text=True)
    edit = client.get(detail_url + "/edit").get_data(as_text=True)
    assert 'value="7.5"' in edit and 'value="2.5"' in edit  # shown as an English page reads numbers back


def test_an_area_with_three_decimals_survives_a_vietnamese_edit(app, client, farmer):
    from core.extensions import db
    from traceability.models import Plot

    sign_in(client, "0913000011")
    client.set_cookie("lang", "vi", domain="localhost")
    data = {"csrf_token": csrf_token(client, "/plots/new"), "name": "Lô 2", **ADDRESS, "area_ha": "1,125"}
    detail_url = client.post("/plots/new", data=data).headers["Location"]
    edit_url = detail_url + "/edit"
    page = client.get(edit_url).get_data(as_text=True)
    assert 'value="1,125"' in page
    saved = client.post(
        edit_url, data={"csrf_token": csrf_token(client, edit_url), "name": "Lô 2", **ADDRESS, "area_ha": "1,125"}
    )
    assert saved.status_code == 303
    assert seeded(app, lambda: db.session.scalar(db.select(Plot.area_ha).where(Plot.name == "Lô 2"))) == Decimal(
        "1.125"
    )
