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


def _transform_too_much(client, world, code: str, lang: str):
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = str(world.an_user)
        session["_fresh"] = True
    client.set_cookie("lang", lang, domain="localhost")
    page_url = "/batches/transform"
    return client.post(
        page_url,
        data={
            "csrf_token": csrf_token(client, page_url),
            "input_code": code,
            f"input_qty_{code}": "99999",
            "product": "cashew_kernels",
            "output_quantity": ["100", "", ""],
            "step": "shelling",
        },
    )


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("vi", "chỉ còn tối đa 1250,5 kg."),
        ("en", "At most 1250.5 kg remain in batch"),
    ],
)
def test_a_transform_taking_more_than_a_lot_holds_says_its_quantity_in_the_page_language(client, world, lang, shown):
    code = world.harvest("an", "1250.5")
    refused = _transform_too_much(client, world, code, lang)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert shown in page and "1250.5000" not in page


@pytest.mark.parametrize(("lang", "shown"), [("vi", "tối đa 12.500,25 kg."), ("en", "At most 12,500.25 kg remain")])
def test_a_quantity_of_five_digits_in_a_refusal_is_grouped_for_the_reader(client, world, lang, shown):
    code = world.harvest("an", "12500.25")
    page = _transform_too_much(client, world, code, lang).get_data(as_text=True)
    assert shown in page


def test_the_api_keeps_the_english_of_a_transform_taking_too_much(client, world):
    code = world.harvest("an", "1250.5")
    refused = client.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"code": code, "quantity": "99999"}],
            "outputs": [{"product": "cashew_kernels", "quantity": "100"}],
            "step": "shelling",
        },
        headers=world.auth("an"),
    )
    assert refused.status_code == 422
    assert refused.json["errors"]["inputs.0.quantity"] == [f"At most 1250.5000 kg remain in batch {code}."]
