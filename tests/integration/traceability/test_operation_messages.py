"""An operation's refusal is a message with a code: the API names the code, a Vietnamese page says it in Vietnamese."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def vietnamese(client, world, who: str):
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = str(getattr(world, f"{who}_user"))
        session["_fresh"] = True
    client.set_cookie("lang", "vi", domain="localhost")
    return client


def test_a_split_asking_more_than_the_lot_holds_is_told_in_vietnamese_numbers(client, world):
    code = world.harvest("an", "1000")
    vietnamese(client, world, "an")
    page_url = f"/batches/{code}/split"
    refused = client.post(
        page_url,
        data={"csrf_token": csrf_token(client, page_url), "part_quantity": ["1000,25", "250,25"]},  # typed the vi way
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Tổng các phần là 1.250,5 kg; chỉ còn tối đa 1.000 kg." in page
    assert "add up to" not in page and "1250.5" not in page


def test_the_api_names_an_overdrawn_split_by_its_code_in_unchanged_english(client, world):
    code = world.harvest("an", "1000")
    refused = client.post(
        f"/api/v1/batches/{code}/split",
        json={"parts": [{"quantity": "1000.25"}, {"quantity": "250.25"}]},
        headers=world.auth("an"),
    )
    assert refused.status_code == 422
    assert refused.json["code"] == "mass_balance"
    assert refused.json["detail"].startswith(f"The parts add up to 1250.50 kg but batch {code} has 1000")
    assert refused.json["errors"]["parts"][0].startswith("The parts add up to 1250.50 kg; at most 1000")


def test_the_api_refuses_a_step_adding_weight_with_its_code_and_the_english_it_always_gave(client, world):
    code = world.harvest("an", "1250.5")
    refused = client.post(
        f"/api/v1/batches/{code}/events",
        json={"step": "drying", "quantity_after": "2000"},
        headers=world.auth("an"),
    )
    assert refused.status_code == 422 and refused.json["code"] == "invalid"
    assert refused.json["errors"]["quantity_after"] == [f"A step cannot add weight: batch {code} holds 1250.5000 kg."]
