"""Quantity, weight, price, area and measurement fields open the phone's number keyboard (#9).

Each is a text input with ``inputmode="decimal"`` (or ``"numeric"`` for whole numbers: đồng, counts), never
``type=number``: Chromium's number input drops a Vietnamese decimal comma ("1.250,5") and refuses the dot
grouping, so the server's own parser must see what the farmer typed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import MarketWorld, create_listing

KEYBOARDS = {"decimal", "numeric"}
# A field whose name says it holds a number; the pages are checked for every such field, not only the listed ones.
# (area_ha, not "area": a growing-area code is an identifier with letters.)
NUMBER_NAME = re.compile(
    r"quantity|qty|price|fee|amount|area_ha|weight|count|tier_min|^m_|drc|latitude|longitude|accuracy|gtin"
)
NOT_TYPED = {"hidden", "checkbox", "radio", "file", "date", "datetime-local", "submit", "button"}


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append({k: v or "" for k, v in attrs})


def inputs_of(html: str) -> list[dict[str, str]]:
    parser = Inputs()
    parser.feed(html)
    return parser.inputs


@pytest.fixture
def world(app, client):
    market = MarketWorld(app)
    lot = market.harvest("cashew", quantity="1250.5")
    listing = create_listing(client, market, "cashew", lot, quantity="500")["id"]
    return market, lot, listing


def producer_pages(lot: str) -> dict[str, set[str]]:
    """Each page with the number fields it must have (a page that lost them would otherwise pass)."""
    return {
        "/batches/new": {"quantity", "drc_percent"},
        f"/batches/{lot}/steps/new": {"quantity_after"},
        f"/batches/{lot}/split": {"part_quantity"},
        "/batches/merge": set(),  # whole lots are merged: no quantity to type
        f"/batches/transform?code={lot}": {f"input_qty_{lot}", "output_quantity"},
        f"/batches/{lot}/ship": set(),  # the whole lot is shipped
        f"/batches/{lot}/labels": {"count", "net_weight_kg"},
        f"/market/my-listings/new?lot={lot}": {"price_per_kg", "quantity", "min_order_quantity"},
        "/plots/new": {"area_ha", "latitude", "longitude", "gps_accuracy_m"},
    }


def check(client, url: str, required: set[str]) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    inputs = inputs_of(response.get_data(as_text=True))
    problems = [f"{url}: {i.get('name')} is type=number" for i in inputs if i.get("type") == "number"]
    names = {i.get("name", "") for i in inputs}
    problems += [f"{url}: no field {name}" for name in sorted(required - names)]
    for field in inputs:
        name = field.get("name", "")
        if field.get("type", "text") in NOT_TYPED or not NUMBER_NAME.search(name):
            continue
        if field.get("inputmode") not in KEYBOARDS:
            problems.append(f"{url}: {name} has inputmode={field.get('inputmode')!r}")
    return problems


def test_producer_forms_open_the_number_keyboard(client, world):
    market, lot, _ = world
    sign_in(client, market.cashew_login)
    problems = []
    for url, required in producer_pages(lot).items():
        problems += check(client, url, required)
    step = inputs_of(client.get(f"/batches/{lot}/steps/new").get_data(as_text=True))
    assert any(i.get("name", "").startswith("m_") for i in step), "the step form shows no measurement"
    assert not problems, "\n".join(problems)


def test_a_buyers_quantity_fields_open_the_number_keyboard(client, world):
    market, _, listing = world
    sign_in(client, market.buyer_login)
    problems = check(client, f"/market/listings/{listing}", {"quantity"})
    problems += check(client, "/market?price_min=1", {"price_min", "price_max"})
    token = csrf_token(client, f"/market/listings/{listing}")
    added = client.post("/market/cart/add", data={"csrf_token": token, "listing_id": listing, "quantity": "20"})
    assert added.status_code == 303
    problems += check(client, "/market/cart", {f"quantity-{listing}"})
    assert not problems, "\n".join(problems)
