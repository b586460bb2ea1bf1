"""Accessibility on a phone (#9): axe-core finds no serious or critical violation and no text is under 16 px.

axe-core comes inside the axe-playwright-python wheel (axe.min.js), so nothing is downloaded at run time: every
request that leaves the loopback server is refused and an axe run that tried one fails the test.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_navigation import sign_in
from tests.browser.test_trace_map import TILES, tile_png
from tests.integration.market.conftest import MarketWorld, create_listing
from tests.trace_page_builders import build_coop_plots
from tests.traceability_builders import seeded

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")
# (page name, language, signed in as the lot's household); "refused": the form sent empty, showing its errors.
PAGES = [
    ("trace", "vi", False),
    ("trace", "en", False),
    ("trace map", "vi", False),  # a co-op's lot: its plots on map tiles (a local PNG) with the tiles' credit
    ("market", "vi", False),
    ("harvest", "vi", True),
    ("harvest refused", "vi", True),
    ("step", "vi", True),
    ("step refused", "vi", True),
]
MIN_FONT_PX = 16.0

# Every element with its own visible text (a non-blank text node as a direct child), with its computed size.
SMALL_TEXT_JS = """(minimum) => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
    if (el.closest('[hidden], [aria-hidden=true]') || !el.checkVisibility()) continue;
    const size = parseFloat(style.fontSize);
    if (size < minimum) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].map((c) => '.' + c).join('');
      found.push(`${name} ${size}px: ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  return found;
}"""


@pytest.fixture
def world(app) -> dict:
    """A household with a lot for sale on the marketplace."""
    market = MarketWorld(app)
    lot = market.harvest("cashew", quantity="1250.5")
    create_listing(app.test_client(), market, "cashew", lot, quantity="500")
    return {"login": market.cashew_login, "lot": lot, "coop_lot": seeded(app, build_coop_plots)}


def path_of(name: str, world: dict) -> str:
    lot = world["lot"]
    return {
        "trace": f"/t/{lot}",
        "trace map": f"/t/{world['coop_lot']}",
        "market": "/market",
        "harvest": "/batches/new",
        "step": f"/batches/{lot}/steps/new",
    }[name.removesuffix(" refused")]


def open_page(browser, live_server: str, world: dict, name: str, lang: str, signed_in: bool):
    """A fresh phone-sized context on the page; returns (context, page, the list of refused outside requests)."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    outside: list[str] = []
    png = tile_png()

    def local_only(route):
        if route.request.url.startswith(live_server):
            route.continue_()
        elif route.request.url.startswith(TILES):
            route.fulfill(status=200, content_type="image/png", body=png)
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    if signed_in:
        sign_in(page, live_server, world["login"])
    response = page.goto(live_server + path_of(name, world))
    assert response is not None and response.status == 200, (name, response and response.status)
    assert page.evaluate("document.documentElement.lang") == lang
    if name == "trace map":
        page.wait_for_selector("#origin.map-shown", timeout=10_000)
    if name == "market":
        assert page.locator("main li.card").count() >= 1, "the marketplace shows no listing to check"
    if name.endswith(" refused"):
        with page.expect_navigation():
            page.locator("main form.card button[type=submit]").click()
        assert page.locator("main .field-errors, main .form-errors").count() >= 1, f"{name}: no error shown"
    return context, page, outside


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(str(part) for part in node['target'])}")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "lang", "signed_in"), PAGES)
def test_axe_finds_no_serious_or_critical_violation(live_server, browser, world, name, lang, signed_in):
    context, page, outside = open_page(browser, live_server, world, name, lang, signed_in)
    try:
        outside.clear()
        results = Axe().run(page)
        assert not outside, f"axe-core fetched from outside: {outside}"
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        assert not blocking, f"{name} ({lang}) has serious or critical violations:\n{describe(blocking)}"
    finally:
        context.close()


def test_the_axe_check_sees_a_violation_and_names_its_nodes(live_server, browser, world):
    """Guards the harness: a run that silently checked nothing (a refused script, an empty page) would pass above."""
    context, page, _ = open_page(browser, live_server, world, "trace", "vi", False)
    try:
        page.evaluate(
            """() => { const img = document.createElement('img'); img.id = 'no-alt'; img.src = '/static/favicon.svg';
                       document.querySelector('main').append(img); }"""
        )
        violations = Axe().run(page).response["violations"]
        message = describe([v for v in violations if v["impact"] in BLOCKING])
        assert "image-alt (critical)" in message and "#no-alt" in message, message
    finally:
        context.close()


@pytest.mark.parametrize(("name", "lang", "signed_in"), PAGES)
def test_no_visible_text_is_under_16_px(live_server, browser, world, name, lang, signed_in):
    context, page, _ = open_page(browser, live_server, world, name, lang, signed_in)
    try:
        small = page.evaluate(SMALL_TEXT_JS, MIN_FONT_PX)
        assert not small, f"{name} ({lang}) has text under {MIN_FONT_PX:g} px:\n" + "\n".join(small)
    finally:
        context.close()
