"""The menu on every page: what a visitor and a signed-in producer can reach, and that each link opens."""

from __future__ import annotations

import re

from tests.traceability_builders import BatchWorld


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert nav is not None
    return re.findall(r'href="([^"]+)"', nav.group(0))


def sign_in(client, user_id: int) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    client.set_cookie("lang", "en", domain="localhost")


def test_a_visitor_finds_the_marketplace_and_how_to_sign_in(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    found = nav_links(page)
    assert {"/market", "/sign-in", "/sign-up"} <= set(found)
    assert "/batches" not in found and "/plots" not in found
    assert 'href="/market"' in page.split("<main", 1)[1]  # the home page itself points buyers to it


def test_a_signed_in_producer_reaches_plots_lots_shipments_market_and_organization(app, client):
    world = BatchWorld(app)
    sign_in(client, world.an_user)
    home = client.get("/").get_data(as_text=True)
    found = nav_links(home)
    for path in ("/batches", "/plots", "/shipments", "/market", "/org"):
        assert path in found, path
        assert client.get(path).status_code == 200, path
    assert 'action="/sign-out"' in home
    assert "/sign-in" not in found
    assert 'href="/batches"' in home.split("<main", 1)[1]  # "My lots" on the home page


def test_the_marketplace_is_linked_once_on_its_own_pages(client):
    found = nav_links(client.get("/market?lang=en").get_data(as_text=True))
    assert found.count("/market") == 1
    assert "/market/cart" in found


def test_the_menu_opens_without_javascript(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert re.search(r'<li class="nav-more">\s*<details>\s*<summary>More</summary>', page)
