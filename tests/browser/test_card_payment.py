"""A buyer pays by card on our checkout page in Chromium, with localstripe's Stripe.js and its signed webhook."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.accounts.models import OrganizationKind, User
from core.extensions import db
from market.models import Order
from market.services.listings import create_listing
from tests.browser.test_navigation import sign_in
from tests.builders import make_org
from tests.traceability_builders import make_harvest, make_plot, point, quick_user, seeded

PHONE = {"width": 390, "height": 844}


def card_offer(app) -> dict:
    def build():
        farmer = quick_user("Lê Văn Tâm")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Lê Văn Tâm", owner=farmer, commune_code="25270")
        plot = make_plot(farm, name="Vườn điều", crops=["cashew"], commune_code="25270", geometry=point(106.6, 11.8))
        lot = make_harvest(farmer, [plot], quantity="300")
        listing = create_listing(
            db.session.get(User, farmer.id),
            batch_code=lot.code,
            publish=True,
            title="Điều thô Lộc Ninh",
            price_per_kg=25000,
            quantity="300",
            payment_methods=["card", "cod"],
        )
        buyer = quick_user("Emma Schmidt")
        make_org(OrganizationKind.BUYER, name="Schmidt Nuts GmbH", owner=buyer, commune_code=None)
        return {"listing": listing.public_id, "buyer": buyer.phone}

    return seeded(app, build)


def test_a_buyer_pays_by_card_on_the_checkout_page(stripe_site, browser, screenshots):
    offer = card_offer(stripe_site.app)
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    try:
        site = stripe_site.url
        sign_in(page, site, offer["buyer"])
        page.goto(f"{site}/market/listings/{offer['listing']}")
        page.fill("#f-quantity", "10")
        with page.expect_navigation():
            page.get_by_role("button", name="Thêm vào giỏ").click()
        page.goto(f"{site}/market/checkout")
        page.check("#pay-card")
        with page.expect_navigation():
            page.get_by_role("button", name="Đặt hàng").click()
        assert re.search(r"/market/orders/\w+/pay$", page.url), page.url
        assert "250.000" in page.locator("main").inner_text()
        # localstripe's Card Element: plain inputs named by their placeholders.
        element = page.locator("#card-element")
        element.locator("input[placeholder=number]").fill("4242424242424242")
        element.locator("input[placeholder=exp_month]").fill("12")
        element.locator("input[placeholder=exp_year]").fill("34")
        element.locator("input[placeholder=cvc]").fill("123")
        element.locator("input[placeholder=postal_code]").fill("70000")
        screenshots(page, "card-form")
        page.get_by_role("button", name=re.compile("Thanh toán")).click()
        page.wait_for_url(re.compile(r"/market/orders/\w+$"), timeout=30_000)
        screenshots(page, "card-paid")
        assert "Đã thanh toán" in page.locator("main").inner_text()
        assert "Thanh toán bằng thẻ: đã nhận tiền" in page.locator("#payment-state").inner_text()
    finally:
        context.close()

    def paid():
        return db.session.scalars(select(Order)).one()

    order = seeded(stripe_site.app, paid)
    assert order.status.value == "paid" and order.total == 250_000
