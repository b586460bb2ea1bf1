"""Batch pages on the phone: my lots, a harvest, a lot's story, a step, a split; failed forms keep what was typed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.extensions import db
from tests.conftest import csrf_token
from tests.traceability_builders import BatchWorld, seeded
from traceability.models import Plot


@pytest.fixture
def world(app):
    return BatchWorld(app)


def signed_in(client, world, who: str):
    with client.session_transaction() as session:
        session["_user_id"] = str(getattr(world, f"{who}_user"))
        session["_fresh"] = True
    client.set_cookie("lang", "en", domain="localhost")
    return client


def post(client, form_url, **data):
    return client.post(form_url, data={"csrf_token": csrf_token(client, form_url), **data})


def text(response) -> str:
    return response.get_data(as_text=True)


def test_pages_need_a_signed_in_user(client, world):
    assert client.get("/batches").status_code == 302
    assert client.get("/batches/new").status_code == 302


def test_a_failed_harvest_form_keeps_what_was_typed_and_names_the_problem(client, world):
    signed_in(client, world, "an")
    page = text(client.get("/batches/new"))
    assert "Vườn an" in page and 'name="csrf_token"' in page
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = post(
        client,
        "/batches/new",
        plot_ids=str(world.an_plot),
        product="raw_cashew_nuts",
        quantity="1.250,5",
        unit="kg",
        harvest_date=tomorrow,
        lot_number="LÔ-1",
        note="bao đay",
    )
    assert response.status_code == 422
    page = text(response)
    assert "The harvest date cannot be in the future." in page
    assert "A lot number may only use Latin letters" in page
    assert 'value="1.250,5"' in page and f'value="{tomorrow}"' in page and "bao đay" in page
    assert f'value="{world.an_plot}" checked' in page
    assert client.get("/api/v1/batches", headers=world.auth("an")).json == []


def test_a_harvest_from_the_phone_then_a_step_and_a_split(client, world):
    signed_in(client, world, "an")
    response = post(
        client,
        "/batches/new",
        plot_ids=str(world.an_plot),
        product="raw_cashew_nuts",
        quantity="1.250,5",
        unit="kg",
        harvest_date=date.today().isoformat(),
    )
    assert response.status_code == 303
    lot = client.get("/api/v1/batches", headers=world.auth("an")).json[0]
    assert lot["quantity"] == "1250.5" and response.headers["Location"].endswith(f"/batches/{lot['code']}")

    step_url = f"/batches/{lot['code']}/steps/new"
    failed = post(client, step_url, step="sun_drying", m_moisture="140", note="phơi 3 ngày")
    assert failed.status_code == 422
    assert (
        "moisture must be between 0 and 100" in text(failed)
        and "phơi 3 ngày" in text(failed)
        and 'value="140"' in text(failed)
    )
    assert post(client, step_url, step="sun_drying", m_moisture="10,5", quantity_after="1200").status_code == 303

    split_url = f"/batches/{lot['code']}/split"
    too_much = post(client, split_url, part_quantity=["", "1300"])
    assert too_much.status_code == 422 and 'value="1300"' in text(too_much) and "remain" in text(too_much)
    assert post(client, split_url, part_quantity=["200", "300"]).status_code == 303

    detail = text(client.get(f"/batches/{lot['code']}"))
    assert lot["code"] in detail and "Sun drying" in detail and "10.5" in detail
    assert "700" in detail  # what remains
    assert "unchanged since they were written" in detail
    listing = text(client.get("/batches"))
    assert lot["code"] in listing


def test_someone_elses_lot_page_is_not_found(client, world):
    code = world.harvest("binh")
    signed_in(client, world, "an")
    assert client.get(f"/batches/{code}").status_code == 404
    assert client.get(f"/batches/{code}/steps/new").status_code == 404
    assert client.get(f"/batches/{code}/split").status_code == 404


def test_the_receiver_confirms_a_shipment_from_the_list(client, world):
    code = world.harvest("an", "500")
    shipment = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.processor_org},
        headers=world.auth("an"),
    ).json
    signed_in(client, world, "processor")
    listing = text(client.get("/batches"))
    assert f"/shipments/{shipment['id']}/receive" in listing
    response = client.post(f"/shipments/{shipment['id']}/receive", data={"csrf_token": csrf_token(client, "/batches")})
    assert response.status_code == 303
    assert (
        client.get(f"/api/v1/batches/{code}", headers=world.auth("processor")).json["custodian_id"]
        == world.processor_org
    )


def test_a_rubber_lot_page_shows_why_it_is_not_eudr_ready(app, client):
    world = BatchWorld(app, crop="rubber")

    def drop_geometry():
        plot = db.session.get(Plot, world.an_plot)
        plot.geometry, plot.geometry_type = None, None
        db.session.commit()

    seeded(app, drop_geometry)
    code = world.harvest("an")
    signed_in(client, world, "an")
    page = text(client.get(f"/batches/{code}"))
    assert "Not ready" in page and "The plot has no geolocation" in page
