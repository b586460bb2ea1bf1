"""A GTIN belongs to the first organization that uses it, and a lot number names one lot per GTIN."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.extensions import db
from tests.traceability_builders import BatchWorld
from traceability.models import GtinRegistration

GTIN = "08930000000019"
OTHER_GTIN = "08930000000026"
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.fixture
def world(app):
    return BatchWorld(app)


def harvest(client, world, who: str, **fields):
    body = {
        "product": "raw_cashew_nuts",
        "quantity": "1000",
        "plot_ids": [getattr(world, f"{who}_plot")],
        "harvest_date": YESTERDAY,
        **fields,
    }
    return client.post("/api/v1/batches", json=body, headers=world.auth(who))


def test_another_organization_cannot_register_lots_under_a_used_gtin(client, world, app):
    first = harvest(client, world, "an", gtin=GTIN, lot_number="LOT-1")
    assert first.status_code == 201, first.json

    impostor = harvest(client, world, "binh", gtin=GTIN, lot_number="LOT-1")
    assert impostor.status_code == 422
    assert "another organization" in impostor.json["errors"]["gtin"][0]
    impostor_new_lot = harvest(client, world, "binh", gtin=GTIN, lot_number="LOT-2")
    assert impostor_new_lot.status_code == 422 and "gtin" in impostor_new_lot.json["errors"]

    # The QR code of the first lot still leads to it, and binh has no lot at all.
    assert client.get(f"/01/{GTIN}/10/LOT-1").location == f"http://localhost/t/{first.json['code']}"
    assert client.get("/api/v1/batches", headers=world.auth("binh")).json == []
    with app.app_context():
        owners = db.session.execute(db.select(GtinRegistration.gtin, GtinRegistration.organization_id)).all()
    assert owners == [(GTIN, world.an_org)]


def test_the_owner_keeps_using_its_gtin_but_never_a_lot_number_twice(client, world):
    assert harvest(client, world, "an", gtin=GTIN, lot_number="LOT-1").status_code == 201
    assert harvest(client, world, "an", gtin=GTIN, lot_number="LOT-2").status_code == 201

    again = harvest(client, world, "an", gtin=GTIN, lot_number="LOT-1")
    assert again.status_code == 422
    assert again.json["errors"] == {"lot_number": ["Another lot of this GTIN already has this lot number."]}
    # The same lot number under another GTIN is another product's lot: fine.
    assert harvest(client, world, "an", gtin=OTHER_GTIN, lot_number="LOT-1").status_code == 201


def test_the_harvest_page_shows_a_taken_gtin_next_to_the_field(client, world, app):
    from tests.builders import PASSWORD
    from tests.conftest import csrf_token

    assert harvest(client, world, "an", gtin=GTIN).status_code == 201
    with app.app_context():
        from core.accounts.models import User

        phone = db.session.get(User, world.binh_user).phone
    client.post("/sign-in", data={"login": phone, "password": PASSWORD, "csrf_token": csrf_token(client, "/sign-in")})
    form = {
        "csrf_token": csrf_token(client, "/batches/new"),
        "product": "raw_cashew_nuts",
        "quantity": "500",
        "unit": "kg",
        "plot_ids": str(world.binh_plot),
        "harvest_date": YESTERDAY,
        "gtin": GTIN,
        "lot_number": "B-1",
    }
    response = client.post("/batches/new", data=form)
    assert response.status_code == 422
    # A signed-in user reads their own language (Vietnamese here), next to the field they typed.
    assert "Mã GTIN này thuộc về một tổ chức khác" in response.get_data(as_text=True)
    assert GTIN in response.get_data(as_text=True)


def test_split_parts_inherit_the_gtin_and_get_a_lot_number_only_when_given(client, world):
    parent = harvest(client, world, "an", gtin=GTIN, lot_number="LOT-1").json["code"]

    plain = client.post(
        f"/api/v1/batches/{parent}/split",
        json={"parts": [{"quantity": "100"}, {"quantity": "100"}]},
        headers=world.auth("an"),
    )
    assert plain.status_code == 201, plain.json
    parts = plain.json["parts"]
    assert [(p["gtin"], p["lot_number"]) for p in parts] == [(GTIN, None), (GTIN, None)]
    # Each part has a Digital Link of its own: its code stands for the lot number.
    for part in parts:
        assert client.get(f"/01/{GTIN}/10/{part['code']}").location == f"http://localhost/t/{part['code']}"
    assert client.get(f"/01/{GTIN}/10/LOT-1").location == f"http://localhost/t/{parent}"

    parents_number = client.post(
        f"/api/v1/batches/{parent}/split",
        json={"parts": [{"quantity": "10", "lot_number": "LOT-1"}]},
        headers=world.auth("an"),
    )
    assert parents_number.status_code == 422
    assert parents_number.json["errors"] == {
        "parts.0.lot_number": ["Another lot of this GTIN already has this lot number."]
    }

    twice = client.post(
        f"/api/v1/batches/{parent}/split",
        json={"parts": [{"quantity": "10", "lot_number": "LOT-9"}, {"quantity": "10", "lot_number": "LOT-9"}]},
        headers=world.auth("an"),
    )
    assert twice.status_code == 422 and "parts.1.lot_number" in twice.json["errors"]

    named = client.post(
        f"/api/v1/batches/{parent}/split",
        json={"parts": [{"quantity": "10", "lot_number": "LOT-1A"}]},
        headers=world.auth("an"),
    )
    assert named.status_code == 201 and named.json["parts"][0]["lot_number"] == "LOT-1A"
    assert client.get(f"/01/{GTIN}/10/LOT-1A").location == f"http://localhost/t/{named.json['parts'][0]['code']}"


def test_transformation_outputs_claim_and_respect_gtins(client, world):
    harvest(client, world, "binh", gtin=OTHER_GTIN)  # binh owns OTHER_GTIN
    raw = harvest(client, world, "an").json["code"]

    def shell(**output):
        body = {
            "inputs": [{"code": raw, "quantity": "100"}],
            "step": "shelling",
            "outputs": [{"product": "cashew_kernels", "grade": "W240", "quantity": "23", **output}],
        }
        return client.post("/api/v1/transformations", json=body, headers=world.auth("an"))

    taken = shell(gtin=OTHER_GTIN, lot_number="K-1")
    assert taken.status_code == 422 and "another organization" in taken.json["errors"]["outputs.0.gtin"][0]

    made = shell(gtin=GTIN, lot_number="K-1")
    assert made.status_code == 201, made.json
    assert made.json["outputs"][0]["gtin"] == GTIN
    assert harvest(client, world, "cuc", gtin=GTIN).status_code == 422  # now an's

    again = shell(gtin=GTIN, lot_number="K-1")
    assert again.status_code == 422 and "outputs.0.lot_number" in again.json["errors"]

    body = {
        "inputs": [{"code": raw, "quantity": "100"}],
        "step": "shelling",
        "outputs": [
            {"product": "cashew_kernels", "grade": g, "quantity": "11", "gtin": GTIN, "lot_number": "K-2"}
            for g in ("W240", "W320")
        ],
    }
    same_twice = client.post("/api/v1/transformations", json=body, headers=world.auth("an"))
    assert same_twice.status_code == 422 and "outputs.1.lot_number" in same_twice.json["errors"]


def test_a_lot_number_clash_that_slips_past_the_checks_is_a_409_not_a_500(app, ctx, world):
    """Two requests racing for one lot number: the database's unique constraint has the last word."""
    from core.accounts.models import User
    from core.errors import Conflict
    from traceability.models import Batch
    from traceability.services.batches import new_batch

    code = world.harvest("an", gtin=GTIN, lot_number="LOT-1")
    parent = db.session.scalar(db.select(Batch).where(Batch.code == code))
    user = db.session.get(User, world.an_user)
    with pytest.raises(Conflict) as raised:
        new_batch(
            parent,
            lot_field="parts.0.lot_number",
            initial_quantity=parent.initial_quantity,
            lot_number="LOT-1",
            created_by_id=user.id,
        )
    assert raised.value.status == 409
    assert raised.value.errors == {"parts.0.lot_number": ["Another lot of this GTIN already has this lot number."]}
    assert db.session.scalar(db.select(db.func.count()).select_from(Batch)) == 1
