"""Split, merge and transform over the API: mass balance, yield bands, anomalies and origin plots."""

from __future__ import annotations

import pytest

from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def ship_and_receive(client, world, who: str, code: str) -> None:
    shipped = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.processor_org},
        headers=world.auth(who),
    )
    assert shipped.status_code == 201, shipped.json
    received = client.post(f"/api/v1/shipments/{shipped.json['id']}/receive", json={}, headers=world.auth("processor"))
    assert received.status_code == 200, received.json


def test_a_kernel_lot_from_three_farmers_traces_back_to_all_three_plots(client, world):
    codes = [world.harvest(who, "1000") for who in world.HOUSEHOLDS]
    for who, code in zip(world.HOUSEHOLDS, codes, strict=True):
        ship_and_receive(client, world, who, code)
    merged = client.post("/api/v1/merges", json={"inputs": codes}, headers=world.auth("processor"))
    assert merged.status_code == 201, merged.json
    pooled = merged.json["batch"]
    assert (
        pooled["quantity"] == "3000" and pooled["custodian_id"] == world.processor_org and merged.json["warnings"] == []
    )
    assert sorted(pooled["plot_ids"]) == sorted([world.an_plot, world.binh_plot, world.cuc_plot])

    made = client.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"code": pooled["code"]}],
            "outputs": [{"product": "cashew_kernels", "grade": "w320", "quantity": "690"}],
            "step": "shelling",
        },
        headers=world.auth("processor"),
    )
    assert made.status_code == 201, made.json
    kernels = made.json["outputs"][0]
    assert made.json["anomaly"] is False and kernels["grade"] == "W320" and kernels["commodity"] == "cashew"
    assert sorted(kernels["plot_ids"]) == sorted([world.an_plot, world.binh_plot, world.cuc_plot])

    lineage = client.get(f"/api/v1/batches/{kernels['code']}/lineage", headers=world.auth("processor")).json
    assert {p["id"] for p in lineage["plots"]} == {world.an_plot, world.binh_plot, world.cuc_plot}
    assert {a["code"] for a in lineage["ancestors"]} == {pooled["code"], *codes}
    assert {a["depth"] for a in lineage["ancestors"] if a["code"] in codes} == {2}
    farm_holders = {a["custodian_name"] for a in lineage["ancestors"] if a["code"] in codes}
    assert farm_holders == {"Xưởng điều Lộc Ninh"}  # the farmers' lots now belong to the processor

    forward = client.get(f"/api/v1/batches/{codes[0]}/lineage", headers=world.auth("processor")).json
    assert [d["code"] for d in forward["descendants"]] == [pooled["code"], kernels["code"]]
    assert [h["organization_id"] for h in forward["custody"]] == [world.an_org, world.processor_org]
    assert client.get(f"/api/v1/batches/{pooled['code']}", headers=world.auth("processor")).json["status"] == "consumed"


def test_a_transform_outside_the_band_is_refused_and_accepted_with_a_reason(client, world):
    code = world.harvest("an", "1000")
    body = {
        "inputs": [{"code": code, "quantity": "1000"}],
        "outputs": [{"product": "cashew_kernels", "grade": "W240", "quantity": "900"}],
        "step": "shelling",
    }
    refused = client.post("/api/v1/transformations", json=body, headers=world.auth("an"))
    assert refused.status_code == 422 and "outputs" in refused.json["errors"]
    assert "0.20" in refused.json["errors"]["outputs"][0]
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("an")).json["remaining"] == "1000"

    accepted = client.post(
        "/api/v1/transformations",
        json={**body, "reason": "Nuts were pre-shelled by the buyer"},
        headers=world.auth("an"),
    )
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["anomaly"] is True
    assert accepted.json["event"]["anomaly_reason"] == "Nuts were pre-shelled by the buyer"
    events = client.get(f"/api/v1/batches/{code}/events", headers=world.auth("an")).json
    assert [e["anomaly"] for e in events] == [False, True]
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("an")).json["status"] == "consumed"


def test_a_transformation_between_unrelated_forms_is_refused(client, world):
    code = world.harvest("an", "1000")
    body = {"inputs": [{"code": code}], "outputs": [{"product": "black_pepper", "quantity": "250"}], "step": "shelling"}
    response = client.post("/api/v1/transformations", json=body, headers=world.auth("an"))
    assert response.status_code == 422 and "outputs.0.product" in response.json["errors"]


def test_a_transform_cannot_take_more_than_remains(client, world):
    code = world.harvest("an", "1000")
    body = {
        "inputs": [{"code": code, "quantity": "1500"}],
        "outputs": [{"product": "cashew_kernels", "quantity": "300"}],
        "step": "shelling",
    }
    response = client.post("/api/v1/transformations", json=body, headers=world.auth("an"))
    assert response.status_code == 422 and "inputs.0.quantity" in response.json["errors"]


def test_latex_to_svr_is_checked_on_a_dry_basis(client, app):
    world = BatchWorld(app, crop="rubber")
    code = world.harvest("an", "1000", drc_percent="32")  # 320 kg of dry rubber
    body = {
        "inputs": [{"code": code}],
        "outputs": [{"product": "svr", "grade": "SVR10", "quantity": "310"}],
        "step": "crumbling",
    }
    response = client.post("/api/v1/transformations", json=body, headers=world.auth("an"))
    assert response.status_code == 201, response.json
    assert response.json["anomaly"] is False and response.json["outputs"][0]["grade"] == "10"


def test_split_parts_sum_to_at_most_what_remains(client, world):
    code = world.harvest("an", "1000")
    too_much = client.post(
        f"/api/v1/batches/{code}/split",
        json={"parts": [{"quantity": "600"}, {"quantity": "500"}]},
        headers=world.auth("an"),
    )
    assert too_much.status_code == 422 and "parts" in too_much.json["errors"]
    assert "1000" in too_much.json["errors"]["parts"][0]

    response = client.post(
        f"/api/v1/batches/{code}/split",
        json={"parts": [{"quantity": "600"}, {"quantity": "250.5"}]},
        headers=world.auth("an"),
    )
    assert response.status_code == 201, response.json
    assert response.json["batch"]["remaining"] == "149.5"
    parts = response.json["parts"]
    assert [p["quantity"] for p in parts] == ["600", "250.5"]
    assert all(p["plot_ids"] == [world.an_plot] and p["product"] == "raw_cashew_nuts" for p in parts)
    assert len({p["code"] for p in parts} | {code}) == 3

    events = client.get(f"/api/v1/batches/{parts[0]['code']}/events", headers=world.auth("an")).json
    assert [(e["type"], e["step"]) for e in events] == [("TransformationEvent", "repackaging")]

    rest = client.post(
        f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "149.5"}]}, headers=world.auth("an")
    )
    assert rest.status_code == 201 and rest.json["batch"]["status"] == "consumed"
    again = client.post(f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "1"}]}, headers=world.auth("an"))
    assert again.status_code == 409


def test_a_quantity_above_what_remains_in_a_step_or_split_names_the_field(client, world):
    code = world.harvest("an", "10")
    split = client.post(f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "11"}]}, headers=world.auth("an"))
    assert split.status_code == 422 and split.json["errors"]["parts"]
    bad = client.post(f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "-1"}]}, headers=world.auth("an"))
    assert bad.status_code == 422 and "parts.0.quantity" in bad.json["errors"]


def test_merge_needs_the_same_product_grade_and_holder(client, world):
    mine, theirs = world.harvest("an", "100"), world.harvest("binh", "100")
    response = client.post("/api/v1/merges", json={"inputs": [mine, theirs]}, headers=world.auth("an"))
    assert response.status_code == 404  # binh's lot is not an's to see
    one = client.post("/api/v1/merges", json={"inputs": [mine]}, headers=world.auth("an"))
    assert one.status_code == 422 and "inputs" in one.json["errors"]
    kernels = client.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"code": world.harvest("an", "1000")}],
            "outputs": [{"product": "cashew_kernels", "grade": "W240", "quantity": "240"}],
            "step": "shelling",
        },
        headers=world.auth("an"),
    ).json["outputs"][0]["code"]
    mixed = client.post("/api/v1/merges", json={"inputs": [mine, kernels]}, headers=world.auth("an"))
    assert mixed.status_code == 422 and "inputs" in mixed.json["errors"]


def test_merging_lots_in_tonnes_and_kilograms(client, world):
    a = world.harvest("an", "1.5", unit="t")
    b = world.harvest("an", "250")
    merged = client.post("/api/v1/merges", json={"inputs": [a, b]}, headers=world.auth("an"))
    assert merged.status_code == 201, merged.json
    assert merged.json["batch"]["quantity"] == "1750" and merged.json["batch"]["unit"] == "kg"
