"""Every page and every form error, read in Vietnamese: no English sentence of the catalogue is left on it.

Each kind of user (none, a farming household, a co-op manager, a processor, a buyer, a
department officer) opens every page of the app (``app.url_map``'s GET endpoints outside the
API, their URL parameters filled from one world) with the ``lang=vi`` cookie, then submits
every form of those pages empty and with bad values, plus the refusals that carry numbers.
The page text must hold no English fragment of the catalogue (tests/vietnamese_pages.py) and
no number written the English way in its messages.
"""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from core.accounts.models import OrganizationKind, User
from core.extensions import db
from tests.builders import join_cooperative, make_org
from tests.conftest import CSRF_RE
from tests.integration.market.conftest import MarketWorld, create_listing, place
from tests.traceability_builders import make_harvest, quick_user, seeded
from tests.vietnamese_pages import english_left, forms_of
from traceability.models import Batch, EventQuantity, Plot
from traceability.services import custody

ROLES = ("anonymous", "farmer", "manager", "processor", "buyer", "officer")
SKIPPED_PAGES = {
    "static": "CSS, scripts and images, no text",
    "files.original": "an image",
    "files.thumbnail": "an image",
    "market.order_pay": "needs a card order on a server with Stripe keys: checked in Vietnamese in test_card_payments",
    "market.order_payment_status": "JSON for the card payment page's script",
    "health.healthz": "JSON for the load balancer",
    "offline.manifest": "the web app manifest (JSON); its Vietnamese name is checked in test_offline_app.py",
    "offline.service_worker": "a script",
    "offline.session_token": "JSON for the phone's offline queue",
    "health.readyz": "JSON for the load balancer",
    "resolver.description": "JSON for GS1 resolvers",
    "resolver.resolve": "redirects to the trace page, which is walked",
    "core.switch_language_link": "sets the language cookie and redirects (test_pages.py follows it)",
    "trace.illustration": "a PNG",
    "market.order_vietqr_png": "a PNG (the walked order is paid in cash; test_bank_transfer.py decodes one)",
    "traceability.batch_qr": "a PNG or SVG",
    "traceability.label_sheet_download": "a PDF (its Vietnamese is checked in test_labels.py)",
    "department_reports.download": "a CSV or XLSX file (its Vietnamese is checked in reports/test_dashboard.py)",
    "department_reports.summary_pdf": "a PDF (its Vietnamese is checked in reports/test_dashboard.py)",
}
# Forms that change who or where one is rather than refuse: nothing to read on a refusal.
SKIPPED_ACTIONS = ("/sign-out", "/lang/", "/org/switch")
BAD_VALUES = ("abc", "-1", "99999999")


class World:
    """MarketWorld's sellers and buyers, plus a co-op manager, a processor and an officer; one lot of each kind."""

    def __init__(self, app, client):
        market = MarketWorld(app)
        self.market = market
        ids = seeded(app, lambda: self._build(market))
        self.__dict__.update(ids)
        self.listing = create_listing(client, market, "cashew", self.lot, quantity="500")["id"]
        self.order = place(client, market, "buyer", [(self.listing, "10")]).json["orders"][0]["id"]
        sheet = client.post(
            f"/api/v1/batches/{self.lot}/label-sheets",
            json={"count": 2, "format": "a4", "net_weight_kg": "80"},
            headers=market.auth("cashew"),
        )
        self.label_sheet = sheet.json["id"]

    @staticmethod
    def _build(market) -> dict:
        farmer = db.session.get(User, market.cashew_user)
        plot = db.session.get(Plot, market.cashew_plot)
        manager, processor_user, officer = (quick_user(n) for n in ("Chủ nhiệm HTX", "Chủ xưởng", "Cán bộ Sở"))
        coop = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Lộc Ninh", owner=manager)
        join_cooperative(coop, db.session.get(type(coop), market.cashew_org))
        processor = make_org(OrganizationKind.PROCESSOR, name="Xưởng điều Lộc Ninh", owner=processor_user)
        make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT Đồng Nai", owner=officer)
        officer.is_admin = True  # as in the demo: the platform's administrators' pages are walked too
        lot = make_harvest(farmer, [plot], quantity="1250.5")
        received = make_harvest(farmer, [plot], quantity="300")
        custody.receive(processor_user, custody.ship(farmer, received.code, to_organization_id=processor.id).id)
        incoming = make_harvest(farmer, [plot], quantity="200")
        custody.ship(farmer, incoming.code, to_organization_id=processor.id)
        batch_id = db.session.scalar(select(Batch.id).where(Batch.code == lot.code))
        event = db.session.scalar(select(EventQuantity.event_id).where(EventQuantity.batch_id == batch_id))
        return {
            "logins": {
                "farmer": farmer.phone,
                "manager": manager.phone,
                "processor": processor_user.phone,
                "buyer": market.buyer_login,
                "officer": officer.phone,
            },
            "lot": lot.code,
            "processor_lot": received.code,
            "event": event,
            "plot": plot.id,
            "farm": market.cashew_org,
        }

    def lot_of(self, role: str) -> str:
        return self.processor_lot if role == "processor" else self.lot

    def pages(self, role: str) -> dict[str, dict]:
        """Each walked endpoint with its URL parameters."""
        lot = {"code": self.lot_of(role)}
        return {
            **dict.fromkeys(NO_PARAMETERS, {}),
            **dict.fromkeys(("trace.batch_scans", "trace.lineage", "trace.page"), lot),
            **dict.fromkeys(("traceability.batch_detail", "traceability.label_form"), lot),
            **dict.fromkeys(("traceability.ship", "traceability.split", "traceability.step_new"), lot),
            "traceability.correction_new": {"code": self.lot, "event_id": self.event},
            "traceability.label_sheet": {"public_id": self.label_sheet},
            "traceability.plot_detail": {"plot_id": self.plot},
            "traceability.plot_edit": {"plot_id": self.plot},
            "market.listing": {"listing_id": self.listing},
            "market.listing_edit": {"listing_id": self.listing},
            "market.order_detail": {"order_id": self.order},
            "department_reports.dashboard": {"section": "market"},
            "department.organization_review": {"organization_id": self.farm},
        }


NO_PARAMETERS = (
    "accounts.households",
    "accounts.members",
    "accounts.organization",
    "accounts.sign_in",
    "accounts.sign_up",
    "audit.log",
    "core.home",
    "department.organizations",
    "department_reports.index",
    "core.trace",
    "geo.address_check",
    "market.bank_account",
    "market.admin_payouts",
    "market.browse",
    "market.cart_page",
    "market.checkout",
    "market.listing_new",
    "market.my_listings",
    "market.my_orders",
    "market.payment_review",
    "market.payouts",
    "market.sales",
    "offline.offline_page",
    "open_data.catalogue",
    "traceability.batch_list",
    "traceability.certificate_new",
    "traceability.certificate_queue",
    "traceability.first_steps",
    "traceability.harvest_new",
    "traceability.import_sheet",
    "traceability.merge_new",
    "traceability.plot_list",
    "traceability.plot_new",
    "traceability.recall_list",
    "traceability.shipment_list",
    "traceability.transform_new",
)


def page_endpoints(app) -> set[str]:
    return {
        rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods and not rule.rule.startswith("/api")
    }


def refusals_with_numbers(world: World, role: str) -> list[tuple[str, dict]]:
    """Refusals that carry a quantity, a bound or coordinates, each posted to the page that shows it."""
    lot = world.lot_of(role)
    return [
        (f"/batches/{lot}/steps/new", {"step": "drying", "m_moisture": "140", "quantity_after": "2000"}),
        (f"/batches/{lot}/split", {"part_quantity": ["900,5", "900"]}),
        (
            "/batches/transform",
            {
                "input_code": lot,
                f"input_qty_{lot}": "5000",
                "product": "cashew_kernels",
                "output_quantity": ["100", "", ""],  # one output row, so the input's bound is what is refused
                "step": "shelling",
            },
        ),
        ("/plots/new", {"name": "Lô thử", "area_ha": "1", "geometry": '{"type": "Point", "coordinates": [200.5, 11]}'}),
        (
            "/market/my-listings/new",
            {"batch_code": lot, "title": "Điều", "price_per_kg": "35000", "quantity": "5000", "pickup": "y"},
        ),
        ("/market/checkout", {"payment_method": "card", "delivery_method": "pickup"}),
    ]


@pytest.fixture
def world(app, client):
    return World(app, client)


def sign_in(client, world: World, role: str) -> None:
    client.set_cookie("lang", "vi", domain="localhost")
    if role == "anonymous":
        return
    token = CSRF_RE.search(client.get("/sign-in").get_data(as_text=True)).group(1)
    answer = client.post(
        "/sign-in", data={"csrf_token": token, "login": world.logins[role], "password": "correct horse battery"}
    )
    assert answer.status_code == 303, f"{role} could not sign in"


def test_every_page_endpoint_is_walked_or_skipped_with_a_reason(app, world):
    walked = set(world.pages("farmer"))
    assert page_endpoints(app) - walked - set(SKIPPED_PAGES) == set()
    assert walked & set(SKIPPED_PAGES) == set()


def _leaks(where: str, response) -> list[str]:
    if response.mimetype != "text/html":
        return []
    return [f"{where}: {left}" for left in english_left(response.get_data(as_text=True))]


def _submissions(form, csrf: str):
    """The form posted with nothing typed, then with each bad value in every field (hidden ones too)."""
    yield {"csrf_token": csrf}
    for bad in BAD_VALUES:
        data = dict.fromkeys((*form.hidden, *form.fields), bad)
        yield {**data, "csrf_token": csrf}


def _submit_forms(client, html: str, url: str, seen: set[str]) -> list[str]:
    leaks = []
    csrf = CSRF_RE.search(html)
    for form in forms_of(html, url):
        key = f"{form.method} {form.action}"
        if key in seen or form.action.startswith(SKIPPED_ACTIONS) or "://" in form.action:
            continue
        seen.add(key)
        for data in _submissions(form, csrf.group(1) if csrf else ""):
            if form.method == "post":
                answer = client.post(form.action, data=data, follow_redirects=True)
            else:
                answer = client.get(form.action, query_string=data, follow_redirects=True)
            leaks += _leaks(f"{key} {sorted(data.items())[:4]}", answer)
    return leaks


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_form_error_reads_in_vietnamese(app, client, world, role):
    sign_in(client, world, role)
    if role == "buyer":
        client.post(
            "/market/cart/add", data={"csrf_token": _csrf(client), "listing_id": world.listing, "quantity": "5"}
        )
    leaks: list[str] = []
    seen: set[str] = set()
    with app.test_request_context():
        urls = {endpoint: url_for(endpoint, **values) for endpoint, values in world.pages(role).items()}
    for url in urls.values():
        response = client.get(url, follow_redirects=True)
        leaks += _leaks(f"GET {url}", response)
        if response.mimetype == "text/html":
            leaks += _submit_forms(client, response.get_data(as_text=True), url, seen)
    for url, data in refusals_with_numbers(world, role):
        response = client.post(url, data={"csrf_token": _csrf(client), **data}, follow_redirects=True)
        leaks += _leaks(f"POST {url} {data}", response)
    assert leaks == [], f"{len(leaks)} English texts on Vietnamese pages:\n" + "\n".join(sorted(set(leaks)))


def _csrf(client) -> str:
    """The session's CSRF token, from any page with a form (the navigation's sign-out button has one)."""
    for url in ("/", "/sign-in"):
        found = CSRF_RE.search(client.get(url).get_data(as_text=True))
        if found:
            return found.group(1)
    return ""
