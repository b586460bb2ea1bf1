"""The layout on a phone: no sideways scrolling and big tap targets, in Vietnamese and English.

A real Chromium (Debian's) drives the app served by werkzeug on 127.0.0.1 (fixtures in conftest.py).
"""

from __future__ import annotations

import pytest

PHONES = [(360, 740), (390, 844)]
# Controls a thumb must hit; checkboxes are exempt because their 48 px label is the target.
TAP_TARGETS = "button, .button, .site-nav a, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio])"

pytestmark = pytest.mark.browser


def pages_to_check(app) -> list[tuple[str, int]]:
    pages = [("/", 200), ("/no-such-page", 404)]
    if "accounts.sign_in" in app.view_functions:
        pages.append(("/sign-in", 200))
    return pages


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("width", "height"), PHONES)
def test_pages_fit_a_phone_screen(app, live_server, browser, lang, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    try:
        for path, status in pages_to_check(app):
            response = page.goto(live_server + path)
            assert response is not None and response.status == status, path
            assert page.evaluate("document.documentElement.lang") == lang, path
            scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll_width <= inner_width, (
                f"{path} ({lang}) scrolls sideways at {width} px: {scroll_width} > {inner_width}"
            )
            small = page.evaluate(
                """(selector) => [...document.querySelectorAll(selector)]
                    .filter((el) => el.offsetParent !== null)
                    .map((el) => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
                    .filter(([, h]) => h < 44)""",
                TAP_TARGETS,
            )
            assert small == [], f"{path} ({lang}): tap targets under 44 px: {small}"
    finally:
        context.close()


def test_language_switch_works_without_javascript(live_server, browser):
    # A Vietnamese phone: Accept-Language vi-VN, so the first page is Vietnamese.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        assert page.locator("html").get_attribute("lang") == "vi"
        page.locator(".lang-switch button").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Dong Nai Farm Produce" in page.locator(".brand").inner_text()
        page.locator(".lang-switch button").click()
        page.wait_for_load_state()
        assert page.locator(".brand").inner_text() == "Nông sản Đồng Nai"
    finally:
        context.close()


def test_lot_code_form_works_without_javascript(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        page.fill("input[name=code]", "ab-12 cd")
        with page.expect_navigation():
            page.locator("#trace button[type=submit]").click()
        assert page.url.endswith("/t/AB12CD")
    finally:
        context.close()
