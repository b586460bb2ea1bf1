"""A lot's step form offers its own commodity's steps and measurements; the service refuses another's."""

from __future__ import annotations

from core.extensions import db
from tests.conftest import csrf_token
from tests.traceability_builders import BatchWorld, seeded
from traceability.models import Batch, Event

RUBBER_STEPS = ("tapping", "coagulation", "creping")


def signed_in(client, world, lang: str = "vi"):
    with client.session_transaction() as session:
        session["_user_id"] = str(world.an_user)
        session["_fresh"] = True
    client.set_cookie("lang", lang, domain="localhost")
    return client


def options(page: str, name: str) -> bool:
    return f'value="{name}"' in page


def harvest(app, world, **fields) -> str:
    from core.accounts.models import User
    from tests.traceability_builders import make_harvest
    from traceability.models import Plot

    def build():
        return make_harvest(
            db.session.get(User, world.an_user), [db.session.get(Plot, world.an_plot)], quantity="1000", **fields
        ).code

    return seeded(app, build)


def test_a_cashew_lot_is_offered_cashew_steps_and_measurements_only(app, client):
    world = BatchWorld(app)
    page = signed_in(client, world).get(f"/batches/{harvest(app, world)}/steps/new").get_data(as_text=True)
    assert all(options(page, step) for step in ("drying", "sun_drying", "steaming", "shelling", "storing"))
    assert not any(options(page, step) for step in RUBBER_STEPS)
    assert 'name="m_moisture"' in page and 'name="m_kor"' in page
    assert 'name="m_drc"' not in page and 'name="m_density"' not in page
    assert "Cạo mủ" not in page and "Đánh đông" not in page and "Cán crếp" not in page


def test_a_rubber_lot_is_offered_rubber_steps(app, client):
    world = BatchWorld(app, crop="rubber")
    code = harvest(app, world, drc_percent="32")
    page = signed_in(client, world).get(f"/batches/{code}/steps/new").get_data(as_text=True)
    assert all(options(page, step) for step in RUBBER_STEPS)
    assert 'name="m_drc"' in page and 'name="m_kor"' not in page
    assert not options(page, "shelling")


def test_a_rubber_step_posted_to_a_cashew_lot_is_refused_in_vietnamese_and_nothing_is_stored(app, client):
    world = BatchWorld(app)
    code = harvest(app, world)
    url = f"/batches/{code}/steps/new"
    signed_in(client, world)
    refused = client.post(url, data={"csrf_token": csrf_token(client, url), "step": "tapping", "m_drc": "32"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f"Lô {code} là điều: công đoạn “Cạo mủ” không thuộc các công đoạn của lô này." in page  # its name, not code
    assert f"Lô {code} là điều: không đo DRC trên lô này." in page
    with app.app_context():
        batch = db.session.query(Batch).filter_by(code=code).one()
        assert db.session.query(Event).count() == 1  # the harvest only
        assert batch.quantity_remaining == 1000


def test_the_api_refuses_by_code_and_keeps_english(app, client):
    world = BatchWorld(app)
    code = harvest(app, world)
    response = client.post(
        f"/api/v1/batches/{code}/events",
        json={"step": "creping", "measurements": [{"type": "drc", "value": "32"}]},
        headers=world.auth("an"),
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["step"] == [f"Lot {code} is cashew: the step “Creping” is not one of its steps."]
    assert errors["measurements.0.type"] == [f"Lot {code} is cashew: drc is not measured on it."]
    ok = client.post(f"/api/v1/batches/{code}/events", json={"step": "sun_drying"}, headers=world.auth("an"))
    assert ok.status_code == 201, ok.get_json()


def kernels(app, world) -> str:
    from core.accounts.models import User
    from traceability.services import operations

    code = harvest(app, world)

    def build():
        owner = db.session.get(User, world.an_user)
        outputs = [{"product": "cashew_kernels", "grade": "W320", "quantity": "230", "unit": "kg"}]
        _event, (made,) = operations.transform(owner, inputs=[{"code": code}], outputs=outputs, step="shelling")
        return made.code

    return seeded(app, build)


def test_a_kernel_lot_is_not_offered_the_raw_nuts_outturn_and_the_service_refuses_it(app, client):
    world = BatchWorld(app)
    code = kernels(app, world)
    url = f"/batches/{code}/steps/new"
    page = signed_in(client, world).get(url).get_data(as_text=True)
    assert 'name="m_moisture"' in page and 'name="m_kor"' not in page
    raw = signed_in(client, world).get(f"/batches/{harvest(app, world)}/steps/new").get_data(as_text=True)
    assert 'name="m_kor"' in raw  # raw nuts are judged by their outturn
    refused = client.post(
        f"/api/v1/batches/{code}/events",
        json={"step": "grading", "measurements": [{"type": "kor", "value": "48"}]},
        headers=world.auth("an"),
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["measurements.0.type"] == [f"Lot {code}: kor is not measured on this product."]
    with app.app_context():
        assert db.session.query(Event).filter(Event.operation == "process").count() == 0


def test_a_transformation_with_another_crops_step_is_refused_and_makes_nothing(app, client):
    world = BatchWorld(app)
    code = harvest(app, world)
    refused = client.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"code": code}],
            "outputs": [{"product": "cashew_kernels", "quantity": "230", "unit": "kg"}],
            "step": "creping",
        },
        headers=world.auth("an"),
    )
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["errors"]["step"] == [
        f"Lot {code} is cashew: the step “Creping” is not one of its steps."
    ]
    with app.app_context():
        assert db.session.query(Batch).count() == 1
