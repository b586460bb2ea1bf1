"""The menu on a phone: a farmer's own pages in one row, the rest under "More", opened without JavaScript."""

from __future__ import annotations

import pytest

from core.accounts.models import OrganizationKind
from tests.builders import PASSWORD, make_org, make_user
from tests.traceability_builders import seeded

pytestmark = pytest.mark.browser


@pytest.fixture
def producer(app) -> str:
    def build():
        user = make_user(name="Lê Thị Mai")
        make_org(OrganizationKind.HOUSEHOLD, name="Hộ Lê Thị Mai", owner=user)
        return user.phone

    return seeded(app, build)


def sign_in(page, live_server: str, login: str) -> None:
    page.goto(live_server + "/sign-in")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_producer_reaches_plots_from_the_row_and_shipments_under_more_on_a_small_phone(
    live_server, browser, producer, lang
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    try:
        sign_in(page, live_server, producer)
        page.goto(live_server + "/market")
        row = page.locator(".site-nav .nav-main")
        assert row.bounding_box()["height"] < 60, "the menu row wraps onto a second line at 360 px"
        # A farmer's most used pages are in the row (#9), not under "More".
        for path in ("/batches", "/plots", "/batches/new"):
            link = page.locator(f".nav-main > li > a[href='{path}']")
            assert link.is_visible() and link.bounding_box()["height"] >= 44, path
        shipments = page.locator(".nav-more a[href='/shipments']")
        assert not shipments.is_visible()
        page.locator(".nav-more summary").click()
        assert shipments.is_visible() and shipments.bounding_box()["height"] >= 44
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width
        with page.expect_navigation():
            page.locator(".nav-main > li > a[href='/plots']").click()
        assert page.url.endswith("/plots")
    finally:
        context.close()
