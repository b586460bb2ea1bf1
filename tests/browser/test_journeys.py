"""Whole journeys on a phone (Chromium, 390×844), as the farmer, the buyer and the officer make them.

Each step saves a screenshot under the folder the test log names ("Browser journey screenshots: …").
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from core.accounts.models import OrganizationKind, User
from core.extensions import db
from market.services.listings import create_listing
from tests.browser.test_navigation import sign_in
from tests.browser.test_offline_capture import wait_until_kept
from tests.builders import make_org
from tests.trace_page_builders import HOUSEHOLDS, build_three_household_merge
from tests.traceability_builders import make_certificate, make_plot, quick_user, seeded
from traceability.models import Batch, Certificate, Event, Plot, VerificationState

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
FARM = (11.8512345, 106.5812345)


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 140, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def events_named(app, operation: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Event).where(Event.operation == operation)) or 0


def test_a_farmer_signs_up_adds_a_plot_harvests_records_a_step_offline_and_prints_labels(
    app, live_server, browser, screenshots
):
    context = browser.new_context(
        viewport=PHONE,
        locale="vi-VN",
        permissions=["geolocation"],
        geolocation={"latitude": FARM[0], "longitude": FARM[1], "accuracy": 7},
    )
    page = context.new_page()
    try:
        page.goto(live_server + "/sign-up")
        page.fill("#name", "Điểu Thị Lan")
        page.fill("#login", "0912 345 678")
        page.fill("#org_name", "Hộ Điểu Thị Lan")
        page.select_option("#org_kind", "household")
        page.select_option("select[name='address-commune_code']", "25270")
        page.fill("#password", "correct horse battery")
        screenshots(page, "sign-up")
        with page.expect_navigation():
            page.get_by_role("button", name="Tạo tài khoản của tôi").click()
        assert page.url.endswith("/start")
        assert page.locator("h1").inner_text() == "Những bước đầu tiên"
        screenshots(page, "first-steps")

        page.locator("main").get_by_role("link", name="Thêm lô đất").click()
        page.wait_for_url("**/plots/new")
        page.fill("#f-name", "Vườn điều sau nhà")
        page.select_option("select[name='address-commune_code']", "25270")
        page.fill("#f-area_ha", "1,2")
        page.check("#crop-cashew")
        page.get_by_role("button", name="Dùng vị trí của tôi").click()
        page.wait_for_function("() => document.getElementById('f-latitude').value !== ''")
        screenshots(page, "plot-located")
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu lô đất").click()
        with app.app_context():
            plot = db.session.scalar(select(Plot).where(Plot.name == "Vườn điều sau nhà"))
            assert plot.geometry["coordinates"] == [FARM[1], FARM[0]] and plot.gps_accuracy_m is not None

        page.locator(".nav-main").get_by_role("link", name="Thu hoạch").click()
        page.wait_for_url("**/batches/new")
        page.check(f"#plot-{plot.id}")
        page.select_option("#f-product", "raw_cashew_nuts")
        page.fill("#f-quantity", "1.250,5")
        screenshots(page, "harvest")
        page.get_by_role("button", name="Lưu thu hoạch").click()
        page.wait_for_url(re.compile(r".*/batches/[A-Z0-9]+$"))
        code = page.url.rsplit("/", 1)[1]
        assert "Đã ghi nhận thu hoạch" in page.content()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
        page.reload()  # the lot page, now kept, warms its step form for offline use
        wait_until_kept(page, f"/batches/{code}", f"/batches/{code}/steps/new")
        screenshots(page, "lot")

        context.set_offline(True)
        page.get_by_role("link", name="Ghi một công đoạn").first.click()
        page.wait_for_url("**/steps/new")
        page.select_option("#f-step", "drying")
        page.fill("#f-quantity_after", "1.200")
        page.set_input_files("#f-photo", files=[{"name": "phoi.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
        page.get_by_role("button", name="Lưu công đoạn").click()
        page.wait_for_selector("#offline-queue li.queued-waiting")
        screenshots(page, "step-waiting-offline")
        assert events_named(app, "process") == 0

        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_function("() => document.getElementById('offline-note').textContent.includes('Đã gửi')")
        screenshots(page, "step-synced")
        assert events_named(app, "process") == 1  # synced once

        page.goto(f"{live_server}/batches/{code}")
        page.get_by_role("link", name="In nhãn bao").click()
        page.fill("#f-count", "4")
        with page.expect_navigation():
            page.get_by_role("button", name="Tạo nhãn").click()
        screenshots(page, "labels")
        assert "4" in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.fixture
def merged_for_sale(app) -> dict:
    def build():
        story = build_three_household_merge()
        manager = db.session.get(User, story["manager_id"])
        listing = create_listing(
            manager,
            batch_code=story["merged"],
            publish=True,
            title="Điều thô ba hộ Lộc Ninh",
            price_per_kg=35000,
            quantity="600",
            payment_methods=["cod"],
        )
        buyer = quick_user("Nguyễn Minh Khoa")
        make_org(OrganizationKind.BUYER, name="Cửa hàng Khoa", owner=buyer, commune_code=None)
        batch = db.session.scalar(select(Batch).where(Batch.code == story["merged"]))
        return story | {"listing": listing.public_id, "buyer": buyer.phone, "gtin": batch.gtin}

    return seeded(app, build)


def test_a_buyer_scans_the_bag_sees_three_harvests_switches_to_english_and_orders_seeing_the_total(
    live_server, browser, merged_for_sale, screenshots
):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    try:
        sign_in(page, live_server, merged_for_sale["buyer"])
        qr = page.request.get(f"{live_server}/t/{merged_for_sale['merged']}/qr.png")
        (scanned,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.body())))  # what the buyer's camera reads
        page.goto(live_server + urlsplit(scanned.text).path)
        harvests = page.locator("#harvests")
        assert harvests.locator("li").count() == 3
        for name, day in zip(HOUSEHOLDS, merged_for_sale["days"], strict=True):
            assert name in harvests.inner_text() and f"{day:%d/%m/%Y}" in harvests.inner_text()
        screenshots(page, "trace-vi")
        with page.expect_navigation():
            page.locator(".lang-switch button").click()  # signed in: the site's switch, kept for the next pages
        assert page.locator("html").get_attribute("lang") == "en"
        assert f"{merged_for_sale['days'][0]:%-d %b %Y}" in page.locator("#harvests").inner_text()
        screenshots(page, "trace-en")

        page.goto(f"{live_server}/market/listings/{merged_for_sale['listing']}")
        assert page.locator("html").get_attribute("lang") == "en"  # the choice made on the trace page stays
        page.fill("#f-quantity", "10")
        with page.expect_navigation():
            page.get_by_role("button", name="Add to cart").click()
        page.goto(f"{live_server}/market/checkout")
        total = page.locator("#total")
        assert re.search(r"Total\s+₫350,000", total.inner_text())  # 10 kg × 35,000, collected: no fee
        screenshots(page, "checkout-total")
        with page.expect_navigation():
            page.get_by_role("button", name="Place the order").click()
        screenshots(page, "ordered")
        assert "₫350,000" in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.fixture
def officer_and_certificate(app) -> dict:
    def build():
        officer = quick_user("Cán bộ Sở Nông nghiệp")
        make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT Đồng Nai", owner=officer)
        farmer = quick_user("Lê Văn Tám")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Lê Văn Tám", owner=farmer)
        certificate = make_certificate(farm, [make_plot(farm, name="Vườn tiêu")], number="VG-2026-0042")
        return {"officer": officer.phone, "certificate": certificate.id}

    return seeded(app, build)


def test_an_officer_verifies_a_certificate_from_a_page(app, live_server, browser, officer_and_certificate, screenshots):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    try:
        sign_in(page, live_server, officer_and_certificate["officer"])
        assert page.url.endswith("/department/organizations")
        assert page.locator(".nav-main a[href='/batches']").count() == 0  # never the farmer's menu
        screenshots(page, "organizations")
        page.locator(".nav-main").get_by_role("link", name="Chứng nhận").click()
        page.wait_for_url("**/department/certificates")
        item = page.locator(f"#certificate-{officer_and_certificate['certificate']}")
        assert "VG-2026-0042" in item.inner_text() and "Hộ Lê Văn Tám" in item.inner_text()
        screenshots(page, "certificate-queue")
        with page.expect_navigation():
            item.get_by_role("button", name="Xác minh").click()
        assert "Chứng nhận VG-2026-0042 đã được xác minh." in page.locator(".flashes").inner_text()
        screenshots(page, "certificate-verified")
        with app.app_context():
            certificate = db.session.get(Certificate, officer_and_certificate["certificate"])
            assert certificate.verification is VerificationState.VERIFIED
    finally:
        context.close()
