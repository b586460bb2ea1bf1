"""A buyer sees, on the marketplace and on a listing, which sellers the department verified."""

from __future__ import annotations

from core.accounts.models import OrganizationKind
from tests.builders import make_org, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import create_listing
from tests.traceability_builders import seeded

VERIFIED_VI = "✓ Đã được Sở xác minh"
VERIFIED_EN = "✓ Verified by the department"


def card_of(page: str, seller: str) -> str:
    """The marketplace card that names ``seller``."""
    return next(card for card in page.split('<li class="card">')[1:] if seller in card).split("</li>", 1)[0]


def test_listings_show_the_verified_mark_once_the_department_verifies_the_seller(app, client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"))
    create_listing(client, world, "pepper", world.harvest("pepper"), title="Tiêu đen Bù Gia Mập")
    assert listing["seller"]["verified"] is False
    assert VERIFIED_VI not in client.get(f"/market/listings/{listing['id']}").get_data(as_text=True)

    def officer():
        person = make_user(name="Cán bộ Sở")
        make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT", owner=person)
        return person.phone

    sign_in(client, seeded(app, officer))
    page = f"/department/organizations/{world.cashew_org}"
    decided = client.post(f"{page}/verification", data={"csrf_token": csrf_token(client, page), "decision": "verify"})
    assert decided.status_code == 303
    client.post("/sign-out")

    browse = client.get("/market").get_data(as_text=True)
    assert VERIFIED_VI in card_of(browse, "Hộ bán cashew")
    assert VERIFIED_VI not in card_of(browse, "Hộ bán pepper")
    assert VERIFIED_VI in client.get(f"/market/listings/{listing['id']}").get_data(as_text=True)
    client.set_cookie("lang", "en", domain="localhost")
    assert VERIFIED_EN in client.get(f"/market/listings/{listing['id']}").get_data(as_text=True)
    assert client.get(f"/api/v1/listings/{listing['id']}").json["seller"]["verified"] is True
