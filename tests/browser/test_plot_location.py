"""Adding a plot on a phone without typing coordinates: the browser's location for a point, walked corners for a
boundary, the accuracy shown and stored; a refused location says what to do instead."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.accounts.models import OrganizationKind
from core.extensions import db
from tests.browser.test_navigation import sign_in
from tests.builders import make_org, make_user
from tests.traceability_builders import seeded
from traceability.models import Plot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def farmer(app) -> str:
    def build():
        user = make_user(name="Điểu Thị Hoa")
        make_org(OrganizationKind.HOUSEHOLD, name="Hộ Điểu Thị Hoa", owner=user)
        return user.phone

    return seeded(app, build)


def fill_plot(page, name: str) -> None:
    page.fill("#f-name", name)
    page.select_option("select[name='address-commune_code']", "25270")
    page.fill("#f-area_ha", "1,2")
    page.check("#crop-cashew")


def stored(app, name: str) -> Plot:
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.name == name))
        db.session.expunge_all()
        return plot


def test_use_my_location_fills_the_point_and_its_accuracy(app, live_server, browser, farmer):
    context = browser.new_context(
        viewport=PHONE, permissions=["geolocation"], geolocation={"latitude": 11.8512345, "longitude": 106.5812345}
    )
    page = context.new_page()
    try:
        sign_in(page, live_server, farmer)
        page.goto(live_server + "/plots/new")
        fill_plot(page, "Vườn điều sau nhà")
        page.get_by_role("button", name="Dùng vị trí của tôi").click()
        page.wait_for_function("() => document.getElementById('f-latitude').value !== ''")
        assert "sai số khoảng" in page.locator("#position-status").inner_text()
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu lô đất").click()
        plot = stored(app, "Vườn điều sau nhà")
        assert plot.geometry == {"type": "Point", "coordinates": [106.5812345, 11.8512345]}
        assert plot.gps_accuracy_m is not None and plot.gps_accuracy_m > 0
    finally:
        context.close()


def test_walking_the_corners_draws_the_boundary(app, live_server, browser, farmer):
    corners = [(11.85, 106.58), (11.85, 106.582), (11.852, 106.582), (11.852, 106.58)]
    context = browser.new_context(viewport=PHONE, permissions=["geolocation"])
    page = context.new_page()
    try:
        sign_in(page, live_server, farmer)
        page.goto(live_server + "/plots/new")
        fill_plot(page, "Vườn cao su")
        for count, (lat, lng) in enumerate(corners, start=1):
            context.set_geolocation({"latitude": lat, "longitude": lng, "accuracy": 6})
            page.get_by_role("button", name="Thêm điểm này làm góc").click()
            page.wait_for_function(f"() => document.getElementById('corner-count').textContent.includes('{count}')")
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu lô đất").click()
        plot = stored(app, "Vườn cao su")
        assert plot.geometry["type"] == "Polygon"
        ring = plot.geometry["coordinates"][0]
        assert ring[0] == ring[-1] == [106.58, 11.85] and len(ring) == 5
        assert float(plot.gps_accuracy_m) == 6
    finally:
        context.close()


def test_a_refused_location_says_to_type_the_coordinates(live_server, browser, farmer):
    context = browser.new_context(viewport=PHONE)  # no geolocation permission: the browser refuses
    page = context.new_page()
    try:
        sign_in(page, live_server, farmer)
        page.goto(live_server + "/plots/new")
        assert not page.locator("#f-latitude").is_visible()  # the coordinates are an advanced option
        page.get_by_role("button", name="Dùng vị trí của tôi").click()
        page.wait_for_function("() => document.getElementById('position-status').textContent.includes('nhập tọa độ')")
        page.locator("details.advanced summary").click()
        assert page.locator("#f-latitude").is_visible()
    finally:
        context.close()


def tile_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 190)).save(buffer, "PNG")
    return buffer.getvalue()


def test_tapping_the_corners_on_a_map_draws_the_boundary(app, live_server, browser, farmer):
    lat, lng = 11.85, 106.58
    context = browser.new_context(
        viewport=PHONE, permissions=["geolocation"], geolocation={"latitude": lat, "longitude": lng}
    )
    page = context.new_page()
    png = tile_png()
    page.route(
        "https://tile.openstreetmap.org/**", lambda route: route.fulfill(status=200, content_type="image/png", body=png)
    )
    try:
        sign_in(page, live_server, farmer)
        page.goto(live_server + "/plots/new")
        fill_plot(page, "Vườn tiêu bờ suối")
        page.get_by_role("button", name="Chạm các góc trên bản đồ").click()
        box = page.locator("#draw-map")
        box.wait_for(state="visible")
        assert "OpenStreetMap" in box.locator(".credit").inner_text()
        size = box.bounding_box()
        centre = (size["width"] / 2, size["height"] / 2)
        for dx, dy in ((0, 0), (100, 0), (100, 80), (0, 80)):
            box.click(position={"x": centre[0] + dx, "y": centre[1] + dy})
        assert box.locator("circle").count() == 4
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu lô đất").click()
        ring = stored(app, "Vườn tiêu bờ suối").geometry["coordinates"][0]
        assert len(ring) == 5 and ring[0] == ring[-1]
        metres_per_pixel = 40_075_016 * 0.98 / (256 * 2**18)  # at 11.85° N, zoom 18: about 0.58 m
        assert abs(ring[0][0] - lng) < 1e-5 and abs(ring[0][1] - lat) < 1e-5  # the centre is where the phone is
        assert ring[1][0] > ring[0][0] and abs(ring[1][1] - ring[0][1]) < 1e-7  # 100 px east, same latitude
        east_m = (ring[1][0] - ring[0][0]) * 111_320 * 0.9787
        assert abs(east_m - 100 * metres_per_pixel) < 2
        assert ring[2][1] < ring[1][1]  # 80 px down the screen is south
    finally:
        context.close()
