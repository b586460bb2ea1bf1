"""The trace page's plot map: tiles (served from a local PNG, never the network) under the plots, with the credit;
the outline drawings without JavaScript or when a tile fails."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.trace_page_builders import build_coop_plots
from tests.traceability_builders import seeded

pytestmark = pytest.mark.browser

TILES = "https://tile.openstreetmap.org/"


def tile_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 190)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def coop_lot(app):
    return seeded(app, build_coop_plots)


def open_page(browser, live_server, code, *, javascript=True, tiles="serve"):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    page = context.new_page()
    requested: list[str] = []
    png = tile_png()

    def offline(route):  # nothing leaves the machine
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            route.abort()

    def tile(route):
        requested.append(route.request.url)
        if tiles == "serve":
            route.fulfill(status=200, content_type="image/png", body=png)
        else:
            route.abort()

    page.route("**/*", offline)
    page.route(TILES + "**", tile)
    page.goto(f"{live_server}/t/{code}?lang=en")
    return context, page, requested


def test_tiles_load_under_the_plots_with_the_credit(live_server, browser, coop_lot):
    context, page, requested = open_page(browser, live_server, coop_lot)
    try:
        page.wait_for_selector("#origin.map-shown", timeout=10_000)
        box = page.locator("#plot-map")
        assert box.is_visible()
        tiles = box.locator("img")
        assert tiles.count() >= 1 and len(requested) == tiles.count()
        assert all(url.startswith(TILES) and url.endswith(".png") for url in requested)
        zoom = {url[len(TILES) :].split("/")[0] for url in requested}
        assert len(zoom) == 1 and 10 <= int(zoom.pop()) <= 17  # one zoom, close enough to see a 20 ha plot
        assert tiles.first.evaluate("(img) => img.complete && img.naturalWidth") == 256
        assert box.locator("svg path").count() == 1 and box.locator("svg circle").count() == 1
        inside = page.evaluate(
            """() => { const b = document.getElementById('plot-map').getBoundingClientRect();
                return [...document.querySelectorAll('#plot-map svg path, #plot-map svg circle')].every(m => {
                  const r = m.getBoundingClientRect();
                  return r.left >= b.left && r.right <= b.right && r.top >= b.top && r.bottom <= b.bottom; }); }"""
        )
        assert inside, "every plot is drawn inside the map box"
        credit = box.locator("a.credit")
        assert credit.is_visible() and credit.inner_text() == "© OpenStreetMap contributors"
        assert credit.get_attribute("href") == "https://www.openstreetmap.org/copyright"
        assert not page.locator(".plots svg").first.is_visible()  # the map replaced the drawings
    finally:
        context.close()


def test_without_javascript_the_outline_drawings_show(live_server, browser, coop_lot):
    context, page, requested = open_page(browser, live_server, coop_lot, javascript=False)
    try:
        assert page.locator(".plots svg").first.is_visible()
        assert not page.locator("#plot-map").is_visible() and requested == []
    finally:
        context.close()


def test_when_a_tile_fails_the_drawings_stay(live_server, browser, coop_lot):
    context, page, requested = open_page(browser, live_server, coop_lot, tiles="fail")
    try:
        page.wait_for_function("() => !document.getElementById('plot-map')", timeout=10_000)
        assert requested and page.locator(".plots svg").first.is_visible()
        assert page.locator("#origin.map-shown").count() == 0
    finally:
        context.close()
