"""The public trace page on a phone: no sideways scrolling, in Vietnamese and English, with and without JavaScript."""

from __future__ import annotations

import pytest

from tests.trace_page_builders import build_story
from tests.traceability_builders import seeded

pytestmark = pytest.mark.browser

PHONES = [(360, 740), (390, 844)]


@pytest.fixture
def story(app):
    return seeded(app, build_story)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("width", "height"), PHONES)
def test_the_trace_page_fits_a_phone_screen(live_server, browser, story, lang, width, height):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN", java_script_enabled=False
    )
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    try:
        for path in (f"/t/{story['kernels']}", f"/t/{story['kernels']}/lineage", "/t/ZZZZ2222"):
            response = page.goto(live_server + path)
            assert response is not None and response.status == (404 if "ZZZZ" in path else 200), path
            assert page.evaluate("document.documentElement.lang") == lang, path
            scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll_width <= inner_width, (
                f"{path} ({lang}) scrolls sideways at {width} px: {scroll_width} > {inner_width}"
            )
        page.goto(live_server + f"/t/{story['kernels']}")
        assert page.locator("h1").inner_text().startswith("Nhân điều" if lang == "vi" else "Cashew kernels")
        photo = page.locator(".trace-top img")
        assert photo.evaluate("(img) => img.complete && img.naturalWidth") == 480  # the thumbnail, not the full photo
    finally:
        context.close()


def test_the_language_link_switches_without_javascript(live_server, browser, story):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + f"/t/{story['kernels']}")
        assert page.locator("html").get_attribute("lang") == "vi"
        page.locator("a.lang-switch").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Cashew kernels W240" in page.locator("h1").inner_text()
    finally:
        context.close()
