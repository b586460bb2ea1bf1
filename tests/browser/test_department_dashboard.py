"""An officer's dashboard in Chromium: the charts are drawn (SVG with bars), with their numbers beneath."""

from __future__ import annotations

import pytest

from tests.builders import PASSWORD
from tests.integration.reports.supply_world import SupplyWorld

pytestmark = pytest.mark.browser


def test_an_officer_sees_the_supply_charts_drawn_with_their_tables(app, browser, live_server):
    world = SupplyWorld(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.fill("input[name=login]", world.officer_phone)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.goto(live_server + "/department/reports/supply?period=2025/26")

    for key in ("harvested_over_time", "harvested_by_commune", "certified_area"):
        section = page.locator(f"section#{key}")
        chart = section.locator("figure.chart svg")
        chart.wait_for(state="visible")
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100, key
        # pygal draws each value as a rect (bars) inside the plot: the chart shows figures, not an empty frame.
        assert section.locator("figure.chart svg .plot .rect").count() > 0, key
        # pygal's stylesheet (inline, allowed by the response's nonce) colours the bars: refused, they are black.
        fill = section.locator("figure.chart svg .plot .rect").first.evaluate("(bar) => getComputedStyle(bar).fill")
        assert fill != "rgb(0, 0, 0)", key
        assert section.locator("table tbody tr").count() > 0, key
    communes = page.locator("section#harvested_by_commune")
    assert "Phường Bình Long" in communes.locator("svg").text_content()
    assert "4.300" in communes.locator("table").inner_text()
    context.close()
