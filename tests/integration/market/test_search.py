"""Browsing: each filter narrows the active listings to exactly those that match."""

from __future__ import annotations

import pytest

from tests.integration.market.conftest import BU_GIA_MAP, LOC_NINH, PHU_RIENG, create_listing


@pytest.fixture
def catalog(client, world):
    cashew = create_listing(
        client, world, "cashew", world.harvest("cashew", "2000"), quantity="500", price_per_kg=35000
    )
    pepper = create_listing(
        client, world, "pepper", world.harvest("pepper", "500"), title="Tiêu tươi", quantity="300", price_per_kg=60000
    )
    ready = create_listing(
        client, world, "rubber", world.harvest("rubber", "900"), title="Mủ nước", quantity="800", price_per_kg=18000
    )
    unready = create_listing(
        client,
        world,
        "rubber",
        world.harvest("rubber", "900", plot="rubber_bare_plot"),
        title="Mủ nước 2",
        quantity="800",
        price_per_kg=17000,
    )
    draft = create_listing(
        client, world, "cashew", world.harvest("cashew", "100"), publish=False, quantity="100", price_per_kg=1000
    )
    return {
        "cashew": cashew["id"],
        "pepper": pepper["id"],
        "ready": ready["id"],
        "unready": unready["id"],
        "draft": draft["id"],
    }


def ids(client, query: str = "") -> list[str]:
    response = client.get(f"/api/v1/listings{query}")
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json]


def test_browsing_shows_only_published_listings_newest_first(client, catalog):
    assert ids(client) == [catalog["unready"], catalog["ready"], catalog["pepper"], catalog["cashew"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?commodity=rubber", {"ready", "unready"}),
        ("?commodity=cashew", {"cashew"}),
        ("?product=fresh_pepper", {"pepper"}),
        ("?product=field_latex", {"ready", "unready"}),
        ("?certification=vietgap", {"cashew"}),
        (f"?commune={LOC_NINH}", {"cashew"}),
        (f"?commune={BU_GIA_MAP}", {"pepper"}),
        (f"?commune={PHU_RIENG}", {"ready", "unready"}),
        ("?eudr_ready=true", {"ready"}),
        ("?eudr_ready=false", {"unready"}),
        ("?price_min=30000", {"cashew", "pepper"}),
        ("?price_max=17500", {"unready"}),
        ("?price_min=17500&price_max=40000", {"ready", "cashew"}),
        ("?commodity=rubber&price_max=17500", {"unready"}),
    ],
)
def test_each_filter_narrows_the_results(client, catalog, query, expected):
    assert set(ids(client, query)) == {catalog[name] for name in expected}


def test_grade_filter_matches_the_lots_grade(client, world, catalog):
    raw = world.harvest("cashew", "1000")
    shelled = client.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"code": raw}],
            "outputs": [{"product": "cashew_kernels", "grade": "W240", "quantity": "230"}],
            "step": "shelling",
        },
        headers=world.auth("cashew"),
    )
    assert shelled.status_code == 201, shelled.json
    kernels = create_listing(
        client,
        world,
        "cashew",
        shelled.json["outputs"][0]["code"],
        title="Nhân điều W240",
        quantity="12.5",
        price_per_kg=250000,
    )
    assert kernels["quantity"] == "12.5"  # kernels sell in small bags: grams allowed
    assert ids(client, "?grade=W240") == [kernels["id"]]
    assert ids(client, "?grade=w240&product=cashew_kernels") == [kernels["id"]]
    assert ids(client, "?grade=W320") == []


def test_sorted_by_price_and_paged(client, catalog):
    assert ids(client, "?sort=price_asc") == [catalog[n] for n in ("unready", "ready", "cashew", "pepper")]
    assert ids(client, "?sort=price_desc") == [catalog[n] for n in ("pepper", "cashew", "ready", "unready")]
    page = client.get("/api/v1/listings?sort=price_asc&page=2&per_page=3")
    assert [item["id"] for item in page.json] == [catalog["pepper"]]
    assert '"total": 4' in page.headers["X-Pagination"]
    assert client.get("/api/v1/listings?sort=cheapest").status_code == 422


def test_a_visitors_search_is_sent_again_for_a_few_seconds_then_searched_anew(make_app, client, world, monkeypatch):
    from core import replay
    from tests.trace_page_builders import counted

    create_listing(client, world, "cashew", world.harvest("cashew", "2000"), quantity="500", price_per_kg=35000)
    quick = make_app(MARKET_SEARCH_SECONDS=30)
    visitor = quick.test_client()
    first = visitor.get("/market?commodity=cashew", headers={"Accept-Language": "en"})
    assert first.status_code == 200 and first.get_data(as_text=True).count("/market/listings/") >= 1
    again, statements = counted(
        quick, lambda: visitor.get("/market?commodity=cashew", headers={"Accept-Language": "en"})
    )
    assert again.data == first.data and statements == []  # the same page, without the database
    create_listing(
        client, world, "cashew", world.harvest("cashew", "900"), title="Điều mới", quantity="300", price_per_kg=36000
    )
    later = replay.time.monotonic() + 31
    monkeypatch.setattr(replay.time, "monotonic", lambda: later)
    fresh = visitor.get("/market?commodity=cashew", headers={"Accept-Language": "en"})
    assert "Điều mới" in fresh.get_data(as_text=True)  # once the few seconds passed, searched again
    other = visitor.get("/market?commodity=pepper", headers={"Accept-Language": "en"})
    assert other.data != fresh.data  # another search is another page
