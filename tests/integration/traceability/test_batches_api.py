"""Harvests, process steps and reading lots over the API: field errors, filters and who may see what."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.traceability_builders import BatchWorld

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.fixture
def world(app):
    return BatchWorld(app)


def harvest_body(world, **overrides):
    body = {
        "product": "raw_cashew_nuts",
        "quantity": "1000",
        "unit": "kg",
        "plot_ids": [world.an_plot],
        "harvest_date": YESTERDAY,
    }
    body.update(overrides)
    return body


def test_a_harvest_becomes_a_lot_with_a_random_code_its_plots_and_what_remains(client, world):
    response = client.post(
        "/api/v1/batches",
        json=harvest_body(world, lot_number="LN-2026-01", gtin="8930000000019"),
        headers=world.auth("an"),
    )
    assert response.status_code == 201, response.json
    lot = response.json
    assert len(lot["code"]) == 8 and lot["code"].isalnum()
    assert lot["commodity"] == "cashew" and lot["product"] == "raw_cashew_nuts"
    assert lot["quantity"] == "1000" and lot["remaining"] == "1000" and lot["unit"] == "kg"
    assert lot["plot_ids"] == [world.an_plot]
    assert lot["custodian_id"] == world.an_org
    assert lot["harvest_date"] == YESTERDAY
    assert lot["gtin"] == "08930000000019" and lot["lot_number"] == "LN-2026-01"
    assert lot["eudr_applicable"] is False and lot["eudr_ready"] is None

    events = client.get(f"/api/v1/batches/{lot['code']}/events", headers=world.auth("an")).json
    assert [(e["type"], e["action"], e["step"]) for e in events] == [("ObjectEvent", "ADD", "commissioning")]
    assert events[0]["quantities"] == [{"batch_code": lot["code"], "role": "output", "quantity": "1000", "unit": "kg"}]
    assert events[0]["event_time_zone_offset"] == "+07:00"


def test_two_harvests_never_share_a_code(client, world):
    codes = {
        client.post("/api/v1/batches", json=harvest_body(world), headers=world.auth("an")).json["code"]
        for _ in range(5)
    }
    assert len(codes) == 5


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"gtin": "8930000000018"}, "gtin"),
        ({"lot_number": "LÔ-ĐIỀU-1"}, "lot_number"),
        ({"harvest_date": (date.today() + timedelta(days=2)).isoformat()}, "harvest_date"),
        (
            {
                "harvest_date": None,
                "harvest_start": YESTERDAY,
                "harvest_end": (date.today() - timedelta(days=3)).isoformat(),
            },
            "harvest_end",
        ),
        ({"quantity": "0"}, "quantity"),
        ({"product": "cashew_kernels"}, "product"),
        ({"product": "banana"}, "product"),
        ({"product": "field_latex"}, "plot_ids"),  # a cashew plot does not yield latex
        ({"plot_ids": []}, "plot_ids"),
    ],
)
def test_harvest_field_errors_name_the_field(client, world, overrides, field):
    response = client.post("/api/v1/batches", json=harvest_body(world, **overrides), headers=world.auth("an"))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    assert client.get("/api/v1/batches", headers=world.auth("an")).json == []


def test_a_bad_gtin_check_digit_says_which_digit_is_expected(client, world):
    response = client.post("/api/v1/batches", json=harvest_body(world, gtin="8930000000018"), headers=world.auth("an"))
    assert "check digit" in response.json["errors"]["gtin"][0]


def test_latex_needs_its_drc(client, app):
    world = BatchWorld(app, crop="rubber")
    body = harvest_body(world, product="field_latex")
    response = client.post("/api/v1/batches", json=body, headers=world.auth("an"))
    assert response.status_code == 422 and "drc_percent" in response.json["errors"]
    response = client.post("/api/v1/batches", json={**body, "drc_percent": "32.5"}, headers=world.auth("an"))
    assert response.status_code == 201 and response.json["drc_percent"] == "32.5"


def test_a_harvest_from_someone_elses_plot_is_refused(client, world):
    response = client.post(
        "/api/v1/batches", json=harvest_body(world, plot_ids=[world.binh_plot]), headers=world.auth("an")
    )
    assert response.status_code == 422 and "plot_ids" in response.json["errors"]


def test_without_a_token_the_api_answers_401(client, world):
    assert client.get("/api/v1/batches").status_code == 401
    assert client.post("/api/v1/batches", json=harvest_body(world)).status_code == 401


def test_a_process_step_with_measurements_and_a_weight_loss(client, world):
    code = world.harvest("an", "1000")
    response = client.post(
        f"/api/v1/batches/{code}/events",
        json={
            "step": "sun_drying",
            "event_time": "2026-01-05T09:30:00",
            "measurements": [{"type": "moisture", "value": "10.5"}],
            "quantity_after": "940",
        },
        headers=world.auth("an"),
    )
    assert response.status_code == 201, response.json
    event = response.json
    assert event["step"] == "sun_drying" and event["biz_step"].endswith("/voc/bizstep/sun_drying")
    assert event["event_time"].startswith("2026-01-05T09:30:00+07:00")
    assert event["measurements"] == [{"type": "moisture", "value": "10.5", "unit": "percent"}]
    assert event["quantities"] == [{"batch_code": code, "role": "input", "quantity": "60", "unit": "kg"}]
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("an")).json["remaining"] == "940"


def test_a_bare_step_is_valid_and_an_unknown_step_is_not(client, world):
    code = world.harvest("an")
    assert (
        client.post(f"/api/v1/batches/{code}/events", json={"step": "drying"}, headers=world.auth("an")).status_code
        == 201
    )
    assert (
        client.post(f"/api/v1/batches/{code}/events", json={"step": "inspecting"}, headers=world.auth("an")).status_code
        == 201
    )
    response = client.post(f"/api/v1/batches/{code}/events", json={"step": "harvesting"}, headers=world.auth("an"))
    assert response.status_code == 422 and "step" in response.json["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"step": "drying", "quantity_after": "1200"}, "quantity_after"),
        ({"step": "drying", "event_time": "2099-01-01T00:00:00+07:00"}, "event_time"),
        ({"step": "drying", "measurements": [{"type": "moisture", "value": "140"}]}, "measurements.0.value"),
        ({"step": "drying", "photos": ["nope"]}, "photos.0"),
        ({"step": "drying", "disposition": "eaten"}, "disposition"),
    ],
)
def test_step_field_errors(client, world, body, field):
    code = world.harvest("an", "1000")
    response = client.post(f"/api/v1/batches/{code}/events", json=body, headers=world.auth("an"))
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert len(client.get(f"/api/v1/batches/{code}/events", headers=world.auth("an")).json) == 1


def test_list_filters_and_pages(client, world):
    world.harvest("an", "100", harvest_date=date(2026, 1, 10))
    world.harvest("an", "200", harvest_date=date(2026, 2, 10))
    world.harvest("binh", "300")
    mine = client.get("/api/v1/batches", headers=world.auth("an"))
    assert sorted(b["quantity"] for b in mine.json) == ["100", "200"]
    january = client.get("/api/v1/batches?harvest_from=2026-01-01&harvest_to=2026-01-31", headers=world.auth("an")).json
    assert [b["quantity"] for b in january] == ["100"]
    assert client.get("/api/v1/batches?commodity=pepper", headers=world.auth("an")).json == []
    assert len(client.get("/api/v1/batches?product=raw_cashew_nuts", headers=world.auth("an")).json) == 2
    paged = client.get("/api/v1/batches?per_page=1&page=2", headers=world.auth("an"))
    assert len(paged.json) == 1 and json.loads(paged.headers["X-Pagination"])["total"] == 2
    officer = client.get(f"/api/v1/batches?custodian={world.binh_org}", headers=world.auth("officer")).json
    assert [b["quantity"] for b in officer] == ["300"]


def test_another_organization_cannot_see_or_touch_a_lot(client, world):
    code = world.harvest("an")
    outsider = world.auth("outsider")
    for path in ("", "/events", "/lineage", "/verification", "/eudr"):
        assert client.get(f"/api/v1/batches/{code}{path}", headers=outsider).status_code == 404, path
    assert client.post(f"/api/v1/batches/{code}/events", json={"step": "drying"}, headers=outsider).status_code == 404
    assert (
        client.post(f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "1"}]}, headers=outsider).status_code
        == 404
    )
    assert (
        client.post("/api/v1/merges", json={"inputs": [code, world.harvest("binh")]}, headers=outsider).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/transformations",
            json={
                "inputs": [{"code": code}],
                "outputs": [{"product": "cashew_kernels", "quantity": "1"}],
                "step": "shelling",
            },
            headers=outsider,
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/shipments", json={"batch_code": code, "to_organization_id": world.outsider_org}, headers=outsider
        ).status_code
        == 404
    )
    assert client.get("/api/v1/batches", headers=outsider).json == []


def test_department_officers_read_but_do_not_act(client, world):
    code = world.harvest("an")
    officer = world.auth("officer")
    assert client.get(f"/api/v1/batches/{code}", headers=officer).status_code == 200
    assert client.get(f"/api/v1/batches/{code}/verification", headers=officer).json["valid"] is True
    assert client.post(f"/api/v1/batches/{code}/events", json={"step": "drying"}, headers=officer).status_code == 403
